// The constancia de verificación: what the verification of the sealed acta found, for
// people, rendered like the actas (PDF/A) with one signature field, the seal's, which it
// signs: no certification, rubric or mark field is left empty.
#include "certified_copy.h"
#include "engine_text.h"
#include "rubrica/lang/dates.h"
#include "rubrica/pdf/render.h"
#include "rubrica/signing/pades_signer.h"

namespace rubrica::documents {

namespace {

using pdf::RichText;

RichText Text(std::string s) { return {pdf::TextSpan{std::move(s)}}; }
RichText Bold(std::string s) { return {pdf::TextSpan{std::move(s), true}}; }

std::string KindEs(signing::SignatureRole role) {
  switch (role) {
    case signing::SignatureRole::kCertification: return "Certificación de la versión aprobada";
    case signing::SignatureRole::kRubric: return "Rúbrica en todas las hojas";
    case signing::SignatureRole::kFoot: return "Firma al calce";
    case signing::SignatureRole::kDocumentTimestamp: return "Sello de tiempo de archivo";
    case signing::SignatureRole::kOther: break;
  }
  return "Otra firma";
}

std::string ResultEs(const signing::SignatureEntry& s) {
  switch (s.indication) {
    case signing::Indication::kTotalPassed: return "Válida";
    case signing::Indication::kTotalFailed: return "No válida";
    case signing::Indication::kIndeterminate: break;
  }
  return "Indeterminada";
}

std::string TimeEs(const std::optional<std::string>& utc, const TimeZone& zone) {
  if (!utc) return "sin sello de tiempo";
  auto t = ParseRfc3339(*utc);
  return t.ok() ? lang::DateTimeEs(*t, zone) : *utc;
}

std::string ActaKindEs(const std::string& kind) {
  return kind == "installation" ? "Acta de instalación" : "Acta de sesión";
}

pdf::ActaDocument Document(const CopyMaker& m, const workflows::CertifiedCopyRequest& r,
                           const signing::VerifyReport& report, const std::string& sealed_sha256) {
  pdf::ActaDocument d;
  d.id = "constancia-acta-" + std::to_string(r.acta_id);
  d.kind = r.kind == "installation" ? pdf::ActaKind::kInstallation : pdf::ActaKind::kSession;
  d.secretariat = r.secretariat_name;
  d.heading = {r.secretariat_name, "CONSTANCIA DE VERIFICACIÓN"};
  d.title = "Constancia de verificación del acta " + (r.folio.empty() ? std::to_string(r.acta_id) : r.folio);
  const std::string today = lang::DateEs(m.zone.LocalDate(m.clock.Now()));
  d.place_date = m.location.empty() ? "A " + today : m.location + ", a " + today;

  d.blocks.push_back(pdf::Paragraph{
      Text("El " + r.secretariat_name + " hace constar que el acta que acompaña a esta constancia, «" +
           r.title + "», fue verificada con el resultado siguiente: " + report.verdict_es)});

  pdf::Section acta{"DATOS DEL ACTA", {}};
  pdf::Table facts;
  facts.header = {Text("Dato"), Text("Valor")};
  facts.widths = {1, 2.4};
  facts.rows = {
      {Text("Folio"), Text(r.folio.empty() ? "sin folio" : r.folio)},
      {Text("Título"), Text(r.title)},
      {Text("Tipo"), Text(ActaKindEs(r.kind))},
      {Text("Secretariado"), Text(r.secretariat_name)},
      {Text("Fecha del acta"), Text(lang::DateEs(r.acta_date))},
      {Text("Estado en el archivo"), Text(r.state_es)},
      {Text("Revisiones del archivo"), Text(std::to_string(report.revisions))},
  };
  if (report.completeness.archived_at) {
    facts.rows.push_back({Text("Sellada para el archivo"), Text(TimeEs(report.completeness.archived_at, m.zone))});
  }
  acta.blocks.push_back(std::move(facts));
  acta.blocks.push_back(pdf::Paragraph{
      {pdf::TextSpan{"Huella SHA-256 del acta sellada: ", true}, pdf::TextSpan{sealed_sha256}},
      pdf::Align::kLeft});
  d.blocks.push_back(std::move(acta));

  pdf::Section people{"FIRMANTES REQUERIDOS", {}};
  pdf::Table signers;
  signers.header = {Text("Nombre"), Text("Carácter"), Text("Asiento")};
  signers.widths = {1.6, 1, 1.6};
  for (const auto& s : r.signers) {
    signers.rows.push_back({Text(s.full_name), Text(RoleOf(s.capacity, lang::Gender::kNeutral)),
                            Text(s.represents.empty() ? "—" : s.represents)});
  }
  people.blocks.push_back(std::move(signers));
  d.blocks.push_back(std::move(people));

  pdf::Section sigs{"FIRMAS VERIFICADAS", {}};
  pdf::Table table;
  table.header = {Text("Firma"), Text("Firmante"), Text("Resultado"), Text("Fecha y hora")};
  table.widths = {1.3, 1.5, 0.8, 1.5};
  for (const auto& s : report.signatures) {
    table.rows.push_back({Text(KindEs(s.kind)), Text(s.signer_name.empty() ? s.tsa : s.signer_name),
                          Bold(ResultEs(s)), Text(TimeEs(s.time_utc, m.zone))});
  }
  sigs.blocks.push_back(std::move(table));
  d.blocks.push_back(std::move(sigs));

  d.blocks.push_back(pdf::Closing{Text(
      "Esta constancia, el reporte de verificación en XML (" + std::string(kReportEntry) +
      ") y el acta sellada forman la copia certificada electrónica. La constancia y el reporte "
      "llevan el sello electrónico del secretariado con la hora de su autoridad de sellado de "
      "tiempo; cualquier persona puede comprobarlos sin conexión con el certificado raíz del "
      "secretariado.")});
  return d;
}

}  // namespace

Result<std::string> MakeConstancia(const CopyMaker& m, const workflows::CertifiedCopyRequest& r,
                                   const signing::VerifyReport& report, const std::string& sealed_sha256) {
  const std::string seal_name = m.ca.secretariat();
  pdf::SignaturePlan plan;
  plan.approved_on = DateText(m.zone.LocalDate(m.clock.Now()));
  plan.time_zone = m.zone.name();
  pdf::RequiredSigner seal;
  seal.name = seal_name;
  seal.role = "sello electrónico";
  seal.representation = "Sello electrónico del secretariado";
  plan.signers.push_back(seal);

  pdf::RenderOptions ro;
  ro.created_at = m.clock.Now();
  ro.time_zone = m.zone.name();
  ro.font_dir = m.font_dir;
  ro.plan = std::move(plan);
  ro.single_seal_field = true;  // the seal's firma_1 and nothing else: no empty field left
  ASSIGN_OR_RETURN(pdf::RenderedActa rendered, pdf::RenderActa(Document(m, r, report, sealed_sha256), ro));

  ASSIGN_OR_RETURN(keys::SigningKey seal_key, m.ca.UnlockSealKey());
  std::vector<keys::Certificate> chain = {m.ca.seal_certificate()};
  for (const auto& c : m.ca.Chain()) chain.push_back(c);
  const Instant now = m.clock.Now();
  pdf::cos::SignatureRequest sr;
  sr.kind = pdf::cos::SignatureKind::kFoot;
  sr.field = pdf::FootFieldName(1);
  sr.appearance_lines = {"Sellado electrónicamente por", seal_name, "Sello electrónico",
                         AppearanceTime(lang::DateTimeEs(now, m.zone))};
  sr.name = seal_name;
  sr.reason = "Constancia de verificación del acta " + (r.folio.empty() ? std::to_string(r.acta_id) : r.folio);
  sr.location = m.location;
  sr.pdf_date = PdfDate(m.zone, now);
  return signing::SignPdf(rendered.pdf, sr, seal_key, chain, &m.tsa);
}

}  // namespace rubrica::documents
