#include "demo.h"

#include <chrono>
#include <cstdio>
#include <cstring>

#include "demo_content.h"
#include "demo_people.h"
#include "agency/agency_installation.h"
#include "agency/inbox_server.h"
#include "agency/tls_identity.h"
#include "notify/notifier.h"
#include "package_delivery.h"
#include "rubrica/delivery/packages.h"
#include "rubrica/base/files.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/secret_string.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/keys/installation.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/lang/dates.h"
#include "rubrica/server/data_directory.h"
#include "rubrica/signing/pdf_verifier.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/documents/installation_draft.h"
#include "rubrica/documents/minute_draft.h"
#include "rubrica/documents/pdf_acta_engine.h"
#include "rubrica/pdf/acta_json.h"
#include "rubrica/workflows/session_minutes_record.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::server::demo {

using namespace std::chrono;
using workflows::Actor;

namespace {

constexpr year_month_day kSetUp = 2022y / November / 1;
constexpr year_month_day kInstalled = 2022y / November / 14;
constexpr year_month_day kConvened = 2023y / March / 1;
constexpr year_month_day kSession = 2023y / March / 16;
// Zamora's municipal administration 2024-2027 (fictional continuity): the members' terms
// and certificates run to its end, so viewers that validate "now" still find them current.
constexpr year_month_day kAdministrationEnds = 2027y / August / 31;
constexpr const char* kPin = "246810";
constexpr const char* kInstallationVenue = "Sala de Cabildo, Guerrero Oriente 82, Zamora";
constexpr const char* kSecretariat = "Secretariado Técnico Municipal de Gobierno Abierto de Zamora";
constexpr const char* kAgency =
    "Instituto Michoacano de Transparencia, Acceso a la Información y Protección de Datos Personales (IMAIP)";
// The demo's agency inbox: its seal is "Sello del <name>" (at most 64 characters).
constexpr const char* kAgencyInbox = "Instituto Michoacano de Transparencia (IMAIP)";
// The demo delivers March's package before the month's deadline.
constexpr year_month kDeliveredMonth = 2023y / March;
constexpr year_month_day kDeliveredOn = 2023y / March / 28;

struct Ids {
  int64_t secretariat = 0;
  int64_t installation = 0;
  int64_t minute = 0;
};

std::string IdsJson(const Ids& ids) {
  return "{\"secretariat\":" + std::to_string(ids.secretariat) + ",\"installation_acta\":" +
         std::to_string(ids.installation) + ",\"session_minute\":" + std::to_string(ids.minute) + "}\n";
}

Result<Ids> ParseIdsJson(const std::string& text) {
  Ids ids;
  auto field = [&](const char* key) -> int64_t {
    auto p = text.find(std::string("\"") + key + "\":");
    return p == std::string::npos ? 0 : std::atoll(text.c_str() + p + std::strlen(key) + 3);
  };
  ids.secretariat = field("secretariat");
  ids.installation = field("installation_acta");
  ids.minute = field("session_minute");
  if (ids.secretariat == 0 || ids.installation == 0 || ids.minute == 0) {
    return Status::Error(ErrorKind::kDataLoss, "demo.bad_marker", "out/demo.json is damaged",
                         "El archivo out/demo.json está dañado; use un directorio nuevo.");
  }
  return ids;
}

// The items of the demo session's agenda and what the facilitator recorded as discussed on
// each: the development sections of the long fictional minute (tests/fixtures/actas), whose
// paragraphs become the recorded discussion. Everything else in the minute (attendance,
// quorum, decisions, agreements, closing, signatures) comes from the session's record.
struct DemoItem {
  std::string title;
  std::string discussion;
};

Result<std::vector<DemoItem>> DemoAgenda() {
  static const std::pair<const char*, const char*> kItems[] = {
      {"SEGUIMIENTO DE ACUERDOS DE LA SESIÓN ANTERIOR", "Seguimiento de acuerdos de la sesión anterior"},
      {"DIAGNÓSTICO Y PRIORIZACIÓN DE PROBLEMAS PÚBLICOS PARA EL PLAN DE ACCIÓN MUNICIPAL",
       "Diagnóstico y priorización de problemas públicos para el Plan de Acción Municipal"},
      {"ESTRUCTURA Y CONTENIDOS DEL MICROSITIO DE GOBIERNO ABIERTO",
       "Estructura y contenidos del micrositio de gobierno abierto"},
      {"CATÁLOGO DE DATOS ABIERTOS DEL MUNICIPIO", "Catálogo de datos abiertos del municipio"},
      {"METODOLOGÍA Y CALENDARIO DE LAS MESAS DE COCREACIÓN",
       "Metodología y calendario de las mesas de cocreación"},
      {"COMPROMISO 1: TRANSPARENCIA Y SEGUIMIENTO CIUDADANO DE LA OBRA PÚBLICA",
       "Compromiso 1: transparencia y seguimiento ciudadano de la obra pública"},
      {"COMPROMISO 2: INFORMACIÓN SOBRE EL SERVICIO DE AGUA POTABLE",
       "Compromiso 2: información sobre el servicio de agua potable"},
      {"COMPROMISO 3: PARTICIPACIÓN DE LAS JUVENTUDES Y PRESUPUESTO PARTICIPATIVO",
       "Compromiso 3: participación de las juventudes y presupuesto participativo"},
      {"MEDIO DE RECEPCIÓN DE DUDAS, QUEJAS Y SUGERENCIAS",
       "Medio de recepción de dudas, quejas y sugerencias"},
      {"ENTREGA MENSUAL DE ACTAS AL IMAIP Y FIRMA ELECTRÓNICA DE LAS ACTAS",
       "Entrega mensual de actas al IMAIP y firma electrónica de las actas"},
      {"PROGRAMA DE CAPACITACIÓN Y DIFUSIÓN DEL MODELO DE GOBIERNO ABIERTO",
       "Programa de capacitación y difusión del modelo de gobierno abierto"},
      {"ASUNTOS GENERALES", "Asuntos generales"},
  };
  ASSIGN_OR_RETURN(pdf::ActaDocument doc, pdf::ParseActaJson(kSessionMinuteJson));
  std::vector<DemoItem> items;
  for (const auto& [section_title, title] : kItems) {
    DemoItem item{title, ""};
    for (const auto& block : doc.blocks) {
      const auto* section = std::get_if<pdf::Section>(&block);
      if (section == nullptr || section->title != section_title) continue;
      for (const auto& b : section->blocks) {
        std::string text;
        if (const auto* p = std::get_if<pdf::Paragraph>(&b)) text = pdf::PlainText(p->text);
        if (const auto* l = std::get_if<pdf::List>(&b)) {
          for (const auto& i : l->items) text += (text.empty() ? "" : "\n") + pdf::PlainText(i);
        }
        if (text.empty()) continue;
        if (!item.discussion.empty()) item.discussion += "\n\n";
        item.discussion += text;
      }
    }
    if (item.discussion.empty()) {
      return Status::Error(ErrorKind::kInternal, "demo.bad_fixture",
                           std::string("the demo minute has no section ") + section_title);
    }
    items.push_back(std::move(item));
  }
  return items;
}

// The facilitator's edit of the generated draft: the annex the record does not hold (the
// synthesis of the citizens' contributions to the diagnosis, from the same fixture), put
// before the signatures.
Result<std::string> WithAnnex(const std::string& content_json) {
  ASSIGN_OR_RETURN(pdf::ActaDocument draft, pdf::ParseActaJson(content_json));
  ASSIGN_OR_RETURN(pdf::ActaDocument fixture, pdf::ParseActaJson(kSessionMinuteJson));
  for (auto& block : fixture.blocks) {
    const auto* section = std::get_if<pdf::Section>(&block);
    if (section == nullptr || section->title.rfind("ANEXO", 0) != 0) continue;
    auto at = draft.blocks.end();
    if (!draft.blocks.empty() && std::holds_alternative<pdf::SignatureBlock>(draft.blocks.back())) --at;
    draft.blocks.insert(at, std::move(block));
    return pdf::ActaToJson(draft);
  }
  return Status::Error(ErrorKind::kInternal, "demo.bad_fixture", "the demo minute has no annex");
}

// Everything the demo needs, built on the demo's clock.
class DemoRun {
 public:
  DemoRun(const Config& config, std::ostream& out, ManualClock& clock)
      : config_(config), out_(out), clock_(clock), zone_(*TimeZone::Load("America/Mexico_City")) {}

  Status Start();
  Result<Ids> Create();
  Status Export(const Ids& ids);
  /// Builds the month's package to out/, delivers it to an agency inbox on loopback (its
  /// own data directory <data_dir>/agencia, HTTPS with its own CA) and leaves the receipt
  /// beside the ZIP.
  Status Deliver(const Ids& ids);
  /// Delivers the messages the demo's events produced to <data_dir>/outbox (.eml files).
  Status Notify();
  void Say(const std::string& s) { out_ << s << "\n" << std::flush; }
  Instant Local(year_month_day d, int h, int m = 0) const {
    return zone_.FromLocal(local_days(d) + hours(h) + minutes(m));
  }
  void At(year_month_day d, int h, int m = 0) { clock_.Set(Local(d, h, m)); }
  void Tick() { clock_.Advance(seconds(40)); }

 private:
  Result<int64_t> Person(const DemoPerson& p, std::optional<int64_t> seat, workflows::TermRole role);
  Status SignEveryone(int64_t acta);
  Result<int64_t> InstallationActa(const std::vector<int64_t>& extra_subscribers, int64_t facilitator,
                                   const std::vector<int64_t>& titulars);
  Result<int64_t> SessionMinute(const std::vector<SeatIds>& seats, int64_t facilitator);

  const Config& config_;
  std::ostream& out_;
  ManualClock& clock_;
  TimeZone zone_;
  DataDirectory data_;
  std::unique_ptr<store::AuditLog> audit_;
  keys::Installation keys_;
  std::unique_ptr<keys::TrustStore> trust_;
  std::unique_ptr<keys::KeyStore> keystore_;
  std::unique_ptr<signing::TimestampAuthority> tsa_;
  NullLogger logger_;
  std::unique_ptr<signing::InProcessTimestampClient> tsa_client_;
  std::unique_ptr<documents::PdfActaEngine> engine_;
  std::unique_ptr<workflows::Workflows> wf_;
  int64_t secretariat_ = 0;
};

Status DemoRun::Start() {
  At(kSetUp, 9);
  ASSIGN_OR_RETURN(data_, DataDirectory::Open(config_.data_dir, "rubrica demo"));
  audit_ = std::make_unique<store::AuditLog>(clock_);
  keys::InstallationOptions ko;
  ko.data_dir = config_.data_dir;
  ko.public_url = config_.public_url;
  ko.ca.secretariat = kSecretariat;  // O= of every certificate names the secretariat
  ASSIGN_OR_RETURN(keys_, keys::EnsureInstallationKeys(*data_.db, *audit_, clock_, ko));
  if (keys_.ca->root().NotBefore() > Local(kInstalled, 0)) {
    return Status::Error(ErrorKind::kInvalidArgument, "demo.not_a_demo_directory",
                         "the data directory '" + config_.data_dir + "' has a local CA created on " +
                             FormatRfc3339Utc(keys_.ca->root().NotBefore()) +
                             ", after the demo's dates (2022); run the demo in a new directory",
                         "Este directorio de datos ya tiene una autoridad certificadora propia; ejecute "
                         "la demostración en un directorio nuevo.");
  }
  ASSIGN_OR_RETURN(trust_, keys::LoadInstallationTrust(clock_, *keys_.ca, config_.data_dir));
  keystore_ = std::make_unique<keys::KeyStore>(*data_.db, *audit_, clock_, *keys_.ca, *trust_,
                                               std::move(keys_.key_wrap_secret));
  // The embedded TSA on the demo's clock, asked in-process as the service asks it.
  ASSIGN_OR_RETURN(keys::SigningKey tsa_key, keys_.ca->UnlockTsaKey());
  std::vector<keys::Certificate> chain = {keys_.ca->tsa_certificate()};
  for (const auto& c : keys_.ca->Chain()) chain.push_back(c);
  ASSIGN_OR_RETURN(tsa_, signing::TimestampAuthority::Create(chain, std::move(tsa_key), clock_));
  tsa_client_ = std::make_unique<signing::InProcessTimestampClient>(*tsa_);
  documents::PdfActaEngineOptions eo;
  eo.location = "Zamora, Michoacán";
  // Every certified page's QR code points at /verificar/<folio> of this data directory's
  // service (`rubrica serve --data-dir DIR` answers it).
  eo.public_url = config_.public_url;
  engine_ = std::make_unique<documents::PdfActaEngine>(*data_.blobs, *keystore_, *keys_.ca, *trust_,
                                                        *tsa_client_, clock_, logger_, eo);
  wf_ = std::make_unique<workflows::Workflows>(*data_.db, clock_, *engine_, logger_);
  return Status::Ok();
}

Result<int64_t> DemoRun::Person(const DemoPerson& p, std::optional<int64_t> seat, workflows::TermRole role) {
  ASSIGN_OR_RETURN(int64_t id,
                   wf_->people().AddPerson(Actor::Administrator(), {p.name, p.title, p.email, p.gender}));
  RETURN_IF_ERROR(wf_->people()
                      .StartTerm(Actor::Administrator(), secretariat_, {id, role, seat, kInstalled, std::nullopt})
                      .status());
  keys::EnrolRequest er;
  er.holder_id = documents::HolderIdFor(id);
  er.subject = {p.name, p.certificate_role, p.email, "", Local(kSetUp, 9), Local(kAdministrationEnds, 23, 59)};
  RETURN_IF_ERROR(keystore_->Enrol(er, kPin, "demo").status());
  return id;
}

Status DemoRun::SignEveryone(int64_t acta) {
  ASSIGN_OR_RETURN(workflows::ActaRecord rec, wf_->actas().Get(acta));
  auto pin = [] { return workflows::SigningCredential::Pin(SecretString::Copy(kPin)); };
  for (const auto& s : rec.signers) {
    Tick();
    RETURN_IF_ERROR(wf_->actas().Rubricate(Actor::Person(s.person_id), acta, pin()).status());
  }
  for (const auto& s : rec.signers) {
    Tick();
    RETURN_IF_ERROR(wf_->actas().SignFoot(Actor::Person(s.person_id), acta, pin()).status());
  }
  return Status::Ok();
}

Result<Ids> DemoRun::Create() {
  Ids ids;
  workflows::SecretariatConfig c = workflows::SecretariatConfig::StmTemplate();
  c.name = kSecretariat;
  c.place = "Zamora, Michoacán";
  c.administration_ends = kAdministrationEnds;
  c.facilitator_signs_minutes = true;
  c.agencies = {{kAgency, "", 2016y / January / 1, std::nullopt}};
  At(kInstalled, 9);
  ASSIGN_OR_RETURN(secretariat_, wf_->secretariats().Create(Actor::Administrator(), c));
  ids.secretariat = secretariat_;
  Say("Secretariado creado: " + std::string(kSecretariat));

  std::vector<SeatIds> seats;
  for (const DemoSeat& s : DemoSeats()) {
    ASSIGN_OR_RETURN(int64_t seat, wf_->people().AddSeat(Actor::Administrator(), secretariat_,
                                                         {s.member_type, s.represents}));
    SeatIds si{s.member_type, seat, 0, 0};
    ASSIGN_OR_RETURN(si.titular, Person(s.titular, seat, workflows::TermRole::kTitular));
    ASSIGN_OR_RETURN(si.substitute, Person(s.substitute, seat, workflows::TermRole::kSubstitute));
    seats.push_back(si);
  }
  ASSIGN_OR_RETURN(int64_t facilitator, Person(DemoFacilitator(), std::nullopt, workflows::TermRole::kFacilitator));
  std::vector<int64_t> subscribers;
  for (const DemoPerson& p : DemoSubscribers()) {
    ASSIGN_OR_RETURN(int64_t id, wf_->people().AddPerson(Actor::Administrator(),
                                                         {p.name, p.title, p.email, p.gender}));
    keys::EnrolRequest er;
    er.holder_id = documents::HolderIdFor(id);
    er.subject = {p.name, p.certificate_role, p.email, "", Local(kSetUp, 9), Local(kAdministrationEnds, 23, 59)};
    RETURN_IF_ERROR(keystore_->Enrol(er, kPin, "demo").status());
    subscribers.push_back(id);
  }
  Say("Integrantes, suplentes, facilitadora y suscriptores dados de alta, cada uno con su propia llave "
      "y certificados de la autoridad certificadora local (PIN de demostración: " + std::string(kPin) + ").");

  std::vector<int64_t> titulars;
  for (const auto& s : seats) titulars.push_back(s.titular);
  ASSIGN_OR_RETURN(ids.installation, InstallationActa(subscribers, facilitator, titulars));
  ASSIGN_OR_RETURN(ids.minute, SessionMinute(seats, facilitator));
  return ids;
}

Result<int64_t> DemoRun::InstallationActa(const std::vector<int64_t>& subscribers, int64_t facilitator,
                                          const std::vector<int64_t>& titulars) {
  const Actor fac = Actor::Person(facilitator);
  At(kInstalled, 10, 25);
  // The draft is written from the secretariat's configuration and who took office in the
  // installation session (documents::InstallationActaDraft), as the session minute is.
  ASSIGN_OR_RETURN(documents::InstallationRecord record,
                   documents::ReadInstallationRecord(*wf_, secretariat_, Local(kInstalled, 10),
                                                     kInstallationVenue, subscribers));
  ASSIGN_OR_RETURN(documents::MinuteDraft draft, documents::InstallationActaDraft(record));
  ASSIGN_OR_RETURN(int64_t acta, wf_->actas().CreateDraft(
                                     fac, {workflows::ActaKind::kInstallation, secretariat_, std::nullopt,
                                           draft.title, draft.content_json, kInstalled}));
  RETURN_IF_ERROR(wf_->actas().AddRequiredSigner(fac, acta, facilitator, "facilitator"));
  for (int64_t p : subscribers) RETURN_IF_ERROR(wf_->actas().AddRequiredSigner(fac, acta, p, "subscriber"));
  RETURN_IF_ERROR(wf_->actas().SubmitForReview(fac, acta));
  At(kInstalled, 12);
  std::vector<workflows::VoteInput> votes;
  for (int64_t p : titulars) votes.push_back({p, workflows::VoteChoice::kYes});
  RETURN_IF_ERROR(wf_->actas().Approve(fac, acta, votes).status());
  Say("Acta de instalación aprobada por consenso y certificada con el sello del secretariado el " +
      lang::DateEs(kInstalled) + ".");
  RETURN_IF_ERROR(SignEveryone(acta));
  Say("Las 13 personas requeridas rubricaron todas las hojas y firmaron al calce el mismo día.");
  Tick();
  RETURN_IF_ERROR(wf_->actas().Archive(fac, acta));
  Say("Acta de instalación sellada para archivo (sello de tiempo del documento y material de validación).");
  return acta;
}

Result<int64_t> DemoRun::SessionMinute(const std::vector<SeatIds>& seats, int64_t facilitator) {
  const Actor fac = Actor::Person(facilitator);
  At(kConvened, 9);
  ASSIGN_OR_RETURN(std::vector<DemoItem> items, DemoAgenda());
  std::vector<std::string> agenda = {"Lista de asistencia y declaración de quórum",
                                     "Aprobación del orden del día"};
  for (const auto& item : items) agenda.push_back(item.title);
  ASSIGN_OR_RETURN(int64_t session,
                   wf_->sessions().Convene(fac, secretariat_,
                                           {workflows::SessionKind::kOrdinary, Local(kSession, 10),
                                            "Sala de Cabildo, Guerrero Oriente 82, Zamora", agenda}));
  Say("Sesión ordinaria convocada el " + lang::DateEs(kConvened) + " para el " + lang::DateEs(kSession) +
      " (10 días hábiles de anticipación).");
  At(kSession, 10);
  std::vector<int64_t> present;
  for (const auto& s : seats) {
    // The academia seat's titular is away: the substitute stands in.
    present.push_back(s.member_type == "academia" ? s.substitute : s.titular);
  }
  for (int64_t p : present) RETURN_IF_ERROR(wf_->sessions().RecordAttendance(fac, session, p).status());
  RETURN_IF_ERROR(wf_->sessions().RecordAttendance(fac, session, facilitator).status());
  ASSIGN_OR_RETURN(auto quorum, wf_->sessions().Open(fac, session));
  Say("Quórum: " + std::to_string(quorum.present) + " de 5 asientos (el suplente de la academia en lugar del titular).");
  RETURN_IF_ERROR(wf_->sessions().ApproveAgenda(fac, session, present));
  for (size_t i = 0; i < items.size(); ++i) {
    RETURN_IF_ERROR(wf_->sessions().RecordDiscussion(fac, session, static_cast<int>(i) + 3, items[i].discussion));
  }
  std::vector<workflows::VoteInput> votes;
  for (int64_t p : present) votes.push_back({p, workflows::VoteChoice::kYes});
  RETURN_IF_ERROR(wf_->sessions()
                      .RecordDecision(fac, session, {4, "Priorizar los tres problemas públicos del diagnóstico", votes})
                      .status());
  votes.back().choice = workflows::VoteChoice::kNo;
  ASSIGN_OR_RETURN(auto decision, wf_->sessions().RecordDecision(
                                      fac, session, {5, "Publicar cada mes en el micrositio el avance del Plan de Acción", votes}));
  RETURN_IF_ERROR(wf_->agreements()
                      .Record(fac, {session, decision.id, "Publicar en el micrositio el avance mensual del Plan de "
                                                          "Acción Municipal", facilitator, 2023y / March / 31})
                      .status());
  Say("Dos decisiones: una por consenso y otra por mayoría (4 a favor, 1 en contra), con su acuerdo.");
  At(kSession, 13);
  RETURN_IF_ERROR(wf_->sessions().Close(fac, session));
  // The minute's first draft is written from the session's record, not typed again.
  ASSIGN_OR_RETURN(workflows::SessionMinutesRecord record, wf_->sessions().MinutesRecord(session));
  ASSIGN_OR_RETURN(documents::MinuteDraft draft, documents::SessionMinuteDraft(record));
  ASSIGN_OR_RETURN(int64_t acta, wf_->actas().CreateDraft(
                                     fac, {workflows::ActaKind::kSessionMinute, secretariat_, session, draft.title,
                                           draft.content_json, std::nullopt}));
  ASSIGN_OR_RETURN(std::string edited, WithAnnex(draft.content_json));
  RETURN_IF_ERROR(wf_->actas().AddVersion(fac, acta, edited).status());
  Say("Minuta redactada a partir del registro de la sesión (" + draft.title +
      "); la facilitadora agrega el anexo de aportaciones ciudadanas (versión 2).");
  RETURN_IF_ERROR(wf_->actas().SubmitForReview(fac, acta));
  At(kSession, 17);
  RETURN_IF_ERROR(wf_->actas().Approve(fac, acta, votes).status());
  Say("Minuta aprobada y certificada; firmantes requeridos: quienes ocuparon cada asiento y la facilitadora.");
  RETURN_IF_ERROR(SignEveryone(acta));
  Tick();
  RETURN_IF_ERROR(wf_->actas().Archive(fac, acta));
  Say("Minuta rubricada en sus hojas, firmada al calce y sellada para archivo.");
  return acta;
}

Status DemoRun::Export(const Ids& ids) {
  const std::string out_dir = config_.data_dir + "/out";
  RETURN_IF_ERROR(MakeDirs(out_dir));
  signing::VerifyOptions vo;
  vo.trust = trust_.get();
  struct Output {
    int64_t acta;
    std::string name;
  } outputs[] = {{ids.installation, "acta-instalacion"}, {ids.minute, "acta-sesion-ordinaria"}};
  for (const Output& o : outputs) {
    ASSIGN_OR_RETURN(workflows::ActaRecord rec, wf_->actas().Get(o.acta));
    if (rec.signatures.empty()) {
      return Status::Error(ErrorKind::kDataLoss, "demo.incomplete", "acta " + std::to_string(o.acta) + " has no signatures");
    }
    ASSIGN_OR_RETURN(std::string complete, data_.blobs->Get(rec.signatures.back().blob_id));
    RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/" + o.name + ".pdf", complete));
    const std::string sealed_id = rec.archived_blob_id.empty() ? rec.current_blob_id : rec.archived_blob_id;
    ASSIGN_OR_RETURN(std::string sealed, data_.blobs->Get(sealed_id));
    RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/" + o.name + ".sellada.pdf", sealed));
    // Judged on the demo's clock, where its story ends, not today: the certificates of
    // 2022 end in 2027, and only the service's renewal passes (never run here) keep a
    // sealed acta verifiable past its first TSA certificate.
    signing::VerifyReport r = signing::VerifyPdf(sealed, vo, clock_);
    Say("  " + out_dir + "/" + o.name + ".pdf: " + std::to_string(r.signatures.size() - 1) +
        " firmas; verificación: " + r.verdict_es);
    if (r.exit != signing::VerifyExit::kValidAndComplete) {
      return Status::Error(ErrorKind::kInternal, "demo.verification_failed",
                           o.name + " does not verify: " + r.verdict + "\n" + signing::ToText(r));
    }
    // The certified copy anyone can check offline (made once, then the recorded one).
    ASSIGN_OR_RETURN(std::string copy_id, wf_->actas().CertifiedCopy(o.acta, "cli:demo"));
    ASSIGN_OR_RETURN(std::string copy, data_.blobs->Get(copy_id));
    RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/" + o.name + ".copia-certificada.zip", copy));
    Say("  " + out_dir + "/" + o.name + ".copia-certificada.zip: copia certificada (acta sellada, "
        "reporte de verificación y constancia, firmados con el sello)");
  }
  RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/demo.json", IdsJson(ids)));
  ASSIGN_OR_RETURN(auto audit, audit_->Verify(*data_.db));
  Say("Bitácora de auditoría: " + std::to_string(audit.entries_checked) + " entradas, cadena " +
      (audit.ok ? "íntegra" : "ROTA"));
  Say("Ancla de confianza: " + keys_.ca_pem_path);
  Say("Compruébelo con herramientas independientes:");
  Say("  rubrica verify " + out_dir + "/acta-instalacion.pdf --trust " + keys_.ca_pem_path);
  Say("  pdfsig " + out_dir + "/acta-instalacion.pdf   (con una base NSS que confíe en ca.pem)");
  return Status::Ok();
}

Status DemoRun::Deliver(const Ids& ids) {
  const std::string out_dir = config_.data_dir + "/out";
  At(kDeliveredOn, 11);
  ArchiveCopies copies(*wf_, *data_.blobs, "cli:demo");
  delivery::Packages packages(*data_.db, *data_.blobs, *wf_, *keys_.ca, *tsa_client_, clock_, &copies);
  const std::string month = "2023-03";
  ASSIGN_OR_RETURN(auto existing, packages.ForMonth(ids.secretariat, month));
  delivery::PackageRecord pkg;
  if (existing.empty()) {
    ASSIGN_OR_RETURN(pkg, packages.Build(ids.secretariat, kDeliveredMonth));
  } else {
    pkg = existing.back();  // a second run delivers (or shows) the same package
  }
  const std::string zip_file = out_dir + "/" + delivery::PackageFileName(ids.secretariat, month);
  ASSIGN_OR_RETURN(std::string zip, packages.Bytes(pkg.sha256));
  RETURN_IF_ERROR(WriteFileAtomic(zip_file, zip));
  Say("Paquete mensual de marzo de 2023: " + zip_file + " (" + std::to_string(pkg.acta_ids.size()) +
      " acta(s), SHA-256 " + pkg.sha256 + ")");

  // The agency: its own installation under the data directory, knowing this secretariat by
  // its seal, receiving over HTTPS on loopback.
  const std::string agency_dir = config_.data_dir + "/agencia";
  ASSIGN_OR_RETURN(auto agency, agency::OpenAgencyInstallation(agency_dir, "rubrica demo (órgano garante)", kAgencyInbox,
                                                               clock_, true));
  auto registered = agency->inbox->Register(kSecretariat, keys_.ca->seal_certificate().ToPem(),
                                            keys_.ca->TrustAnchorPem(), "America/Mexico_City");
  if (!registered.ok() && registered.status().code() != "agency.already_registered") return registered.status();
  ASSIGN_OR_RETURN(agency::TlsIdentity tls, agency::EnsureTlsIdentity(agency_dir, {"127.0.0.1", "localhost"}, clock_));
  At(kDeliveredOn, 12);
  if (pkg.state == delivery::PackageState::kBuilt) {
    ASSIGN_OR_RETURN(auto server, agency::InboxServer::Start(*agency->inbox, tls, agency::InboxServerOptions{}, logger_));
    const std::string url = "https://127.0.0.1:" + std::to_string(server->port()) + "/api/paquetes";
    const DeliveryAttempt a = DeliverPackage(packages, AgencyTrust{tls.ca_file, agency->keys.ca->TrustAnchorPem()},
                                             clock_, url, pkg.sha256);
    server->Stop();
    if (!a.outcome.ok) {
      return Status::Error(ErrorKind::kInternal, "demo.delivery_failed", "the demo's package was not delivered: " +
                                                                             a.outcome.detail);
    }
  }
  ASSIGN_OR_RETURN(pkg, packages.Get(pkg.sha256));
  if (pkg.state != delivery::PackageState::kDelivered) {
    return Status::Error(ErrorKind::kInternal, "demo.delivery_refused",
                         "the demo's agency refused its package: " + pkg.refusal_json);
  }
  ASSIGN_OR_RETURN(std::string receipt, data_.blobs->Get(pkg.receipt_blob_id));
  const std::string receipt_file = zip_file.substr(0, zip_file.size() - 4) + ".acuse.xml";
  RETURN_IF_ERROR(WriteFileAtomic(receipt_file, receipt));
  Say("  entregado al órgano garante (buzón de demostración en " + agency_dir + ", HTTPS); acuse firmado: " +
      receipt_file);
  Say("  compruébelo: unzip -t " + zip_file + "; xmlsec1 --verify --trusted-pem <cada certificado de " +
      agency->keys.ca_pem_path + "> " + receipt_file);
  return Status::Ok();
}

Status DemoRun::Notify() {
  notify::NotifierSettings settings;
  settings.notify.public_url = config_.public_url;
  settings.outbox_dir = config_.data_dir + "/outbox";
  settings.relay_history = true;  // the demo's whole story happened in this run
  ASSIGN_OR_RETURN(auto notifier, notify::Notifier::Create(*data_.db, *audit_, *wf_, clock_,
                                                           logger_, settings));
  ASSIGN_OR_RETURN(int sent, notifier->sender().RunOnce());
  if (sent > 0) {
    Say("Correos de la demostración (convocatorias con invitación de calendario, «firme hoy»): " +
        std::to_string(sent) + " en " + settings.outbox_dir);
  }
  return Status::Ok();
}

}  // namespace

Status Run(const Config& config, std::ostream& out) {
  ManualClock clock(Instant{});
  DemoRun run(config, out, clock);
  RETURN_IF_ERROR(run.Start());
  const std::string marker = config.data_dir + "/out/demo.json";
  Ids ids;
  if (PathExists(marker)) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(marker, 4096));
    ASSIGN_OR_RETURN(ids, ParseIdsJson(text));
    run.Say("La demostración ya se ejecutó en este directorio: se exportan y verifican de nuevo sus actas.");
  } else {
    ASSIGN_OR_RETURN(ids, run.Create());
  }
  RETURN_IF_ERROR(run.Notify());
  RETURN_IF_ERROR(run.Export(ids));
  return run.Deliver(ids);
}

}  // namespace rubrica::server::demo
