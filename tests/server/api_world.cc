#include "api_world.h"

#include "db_snapshot.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/keys/schema.h"
#include "rubrica/server/config.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"

namespace rubrica::server::testing {

namespace {

using namespace std::chrono;

struct PersonSpec {
  const char* key;
  const char* name;
  const char* title;
  const char* email;
};

// Fictional people only.
const std::vector<PersonSpec> kPeople = {
    {"facilitator", "Paula Esquivel Rangel", "Enlace de la Unidad de Transparencia",
     "paula.esquivel@villa-esperanza.example"},
    {"titular", "Mariana Ortiz Leyva", "Secretaria del Ayuntamiento",
     "mariana.ortiz@villa-esperanza.example"},
    {"garante", "Julián Cárdenas Vela", "Subcoordinador de Estado Abierto",
     "julian.cardenas@garante.example"},
    {"titular2", "Héctor Navarro Pineda", "Presidente de la asociación civil",
     "hector.navarro@asociacion.example"},
    {"academia_titular", "Diana Rosales Téllez", "Investigadora", "diana.rosales@universidad.example"},
    {"suplente", "Emilio Vargas Cano", "Profesor", "emilio.vargas@universidad.example"},
    {"observer", "Rodrigo Peña Alcalá", "Observador social", "rodrigo.pena@observatorio.example"},
    {"spare", "Alma Quintero Ruiz", "Regidora", "alma.quintero@villa-esperanza.example"},
};

}  // namespace

std::string StageName(Stage s) {
  switch (s) {
    case Stage::kSetUp: return "setup";
    case Stage::kSessionHeld: return "session_held";
    case Stage::kDraft: return "draft";
    case Stage::kReview: return "review";
    case Stage::kRubric: return "rubric";
    case Stage::kFootSignature: return "foot_signature";
    case Stage::kArchived: return "archived";
    case Stage::kDelivered: return "delivered";
  }
  return "?";
}

Instant ApiWorld::Local(int y, unsigned m, unsigned d, int h, int min) {
  return Instant(sys_days(year(y) / month(m) / day(d)) + hours(h + 6) + minutes(min));
}

std::string ApiWorld::LocalText(int y, unsigned m, unsigned d, int h, int min) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:00-06:00", y, m, d, h, min);
  return buf;
}

void ApiWorld::Expect(const Reply& r, int status, const std::string& what) const {
  ASSERT_EQ(r.status, status) << what << ": " << Describe(r);
}

ApiWorld::ApiWorld(WorldOptions o) : options(o) {
  dir_ = std::make_unique<rubrica::testing::TempDir>();
  data_dir_ = dir_->path() + "/data";
  clock_ = std::make_unique<ManualClock>(Local(2026, 1, 5, 9));
  CreateTestCa();
  StartService();
  Setup();
}

ApiWorld::ApiWorld(ApiWorld& other, const std::string& tag)
    : ApiWorld(other, tag, [&other](const std::string& data_dir) {
        // Files as they are, the database as one consistent snapshot (the other service runs on).
        namespace fs = std::filesystem;
        for (const auto& entry : fs::recursive_directory_iterator(other.data_dir_)) {
          const fs::path rel = fs::relative(entry.path(), other.data_dir_);
          if (rel.string().rfind("rubrica.db", 0) == 0) continue;
          // A file being written (.tmp-*, renamed into place when complete: the outbox's
          // .eml files are written by a background sender at any moment) is not copied.
          if (entry.path().filename().string().rfind(".tmp-", 0) == 0) continue;
          if (entry.is_directory()) {
            fs::create_directories(fs::path(data_dir) / rel);
          } else if (entry.is_regular_file()) {
            fs::create_directories((fs::path(data_dir) / rel).parent_path());
            std::error_code gone;  // renamed or removed by the running service meanwhile
            fs::copy_file(entry.path(), fs::path(data_dir) / rel, gone);
            EXPECT_TRUE(!gone || gone == std::errc::no_such_file_or_directory) << entry.path() << ": " << gone.message();
          }
        }
        EXPECT_TRUE(CopyDatabase(other.data_dir_ + "/rubrica.db", data_dir + "/rubrica.db"));
      }) {}

ApiWorld::ApiWorld(ApiWorld& other, const std::string& tag,
                   const std::function<void(const std::string& data_dir)>& fill)
    : options(other.options) {
  dir_ = std::make_unique<rubrica::testing::TempDir>();
  data_dir_ = dir_->path() + "/data-" + tag;
  clock_ = std::make_unique<ManualClock>(other.clock().Now());
  fill(data_dir_);
  secretariat = other.secretariat;
  seats = other.seats;
  session = other.session;
  next_session = other.next_session;
  decision = other.decision;
  agreement = other.agreement;
  plan = other.plan;
  commitment = other.commitment;
  activity = other.activity;
  acta = other.acta;
  observer_person = other.observer_person;
  people_ = other.people_;
  stage_ = other.stage_;
  device_ = other.device_;
  test_ca_pem_ = other.test_ca_pem_;
  StartService();
}

ApiWorld::~ApiWorld() { StopService(); }

void ApiWorld::StopService() {
  if (service_) {
    service_->Stop();
    service_.reset();
  }
}

void ApiWorld::UseSmtp(int port) {
  options.config_flags["smtp.host"] = "127.0.0.1";
  options.config_flags["smtp.port"] = std::to_string(port);
  options.config_flags["smtp.timeout_seconds"] = "5";
  StopService();
  StartService();
  Relogin();
}

void ApiWorld::StartService() {
  ConfigInputs in;
  in.flags = {{"data_dir", data_dir_},
              {"listen.port", "0"},
              {"http.threads", std::to_string(options.http_threads)}};
  for (const auto& [key, value] : options.config_flags) in.flags[key] = value;
  auto config = LoadConfig(in);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ServiceOptions so;
  so.pin_scrypt_log2_n = 10;
  so.password_scrypt_log2_n = 10;
  so.verify_worker_binary = rubrica::testing::RubricaBinary();
  so.notifications = options.notifications;
  so.renewal_poll = options.renewal_poll;
  so.notify_max_attempts = options.notify_max_attempts;
  auto svc = Service::Create(*config, *clock_, logger_, so);
  ASSERT_TRUE(svc.ok()) << svc.status().ToString();
  service_ = std::move(*svc);
  Status started = service_->Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
}

int ApiWorld::port() const { return service_ ? service_->port() : 0; }

Client ApiWorld::As(const std::string& role) const {
  Client c(port());
  if (role == "public") return c;
  const WorldPerson& p = people_.at(role);
  if (!p.csrf.empty()) {
    c.Cookie(p.token, p.csrf);
  } else {
    c.Bearer(p.token);
  }
  return c;
}

// A second CA, as a SAT-like issuer of the substitute's device certificate; its anchors go
// to the installation's trust/anchors before the service starts.
void ApiWorld::CreateTestCa() {
  auto db = store::Database::Open(dir_->path() + "/test-ca.db");
  ASSERT_TRUE(db.ok());
  store::AuditLog audit(*clock_);
  ASSERT_TRUE((*db)->Migrate("audit", store::AuditLog::Migrations()).ok());
  ASSERT_TRUE((*db)->Migrate(keys::kSchemaComponent, keys::Migrations()).ok());
  keys::LocalCaOptions ca_options;
  ca_options.secretariat = "Autoridad Certificadora de Pruebas";
  auto ca = keys::LocalCa::Ensure(**db, audit, *clock_, RandomBytes(32), ca_options);
  ASSERT_TRUE(ca.ok()) << ca.status().ToString();
  // A device: a key that stays with the test, its certificate from the test CA.
  auto issue = [&](keys::MemberSubject subject, const std::string& password, DeviceCredential& out) {
    auto key = keys::SigningKey::Generate(keys::KeyAlgorithm::kEcdsaP256);
    ASSERT_TRUE(key.ok());
    subject.not_before = clock_->Now();
    subject.not_after = Instant(sys_days(2027y / August / 31));
    auto cert = (*ca)->IssueMemberCertificate(subject, key->PublicKeyInfoDer());
    ASSERT_TRUE(cert.ok()) << cert.status().ToString();
    out.cer_der = cert->der();
    out.key_password = password;
    keys::Pkcs8Encryption fast;
    fast.scrypt_log2_n = 10;
    auto pem = key->ToEncryptedPkcs8Pem(out.key_password, fast);
    ASSERT_TRUE(pem.ok());
    out.key_pem = *pem;
  };
  keys::MemberSubject subject;
  subject.name = "Emilio Vargas Cano";
  subject.role = "Profesor";
  subject.email = "emilio.vargas@universidad.example";
  // Fictional RFC and CURP, where the SAT's e.firma carries them: the service records
  // them, and the archive finds what this signer signed by either.
  subject.rfc = "VACE750315AB1";
  subject.curp = "VACE750315HMNRNM09";
  issue(subject, "clave-del-dispositivo", device_);
  keys::MemberSubject garante;
  garante.name = "Julián Cárdenas Vela";
  garante.role = "Subcoordinador de Estado Abierto";
  garante.email = "julian.cardenas@garante.example";
  issue(garante, "clave-del-garante", garante_device_);
  test_ca_pem_ = (*ca)->TrustAnchorPem();
  ASSERT_TRUE(MakeDirs(data_dir_ + "/trust/anchors").ok());
  ASSERT_TRUE(WriteFileAtomic(data_dir_ + "/trust/anchors/test-ca.pem", test_ca_pem_).ok());
}

int64_t ApiWorld::credential_of(const std::string& role) const {
  Reply r = As(role).Get("/api/me/credentials");
  const int n = r.Size("credentials");
  return n > 0 ? r.Int("credentials[" + std::to_string(n - 1) + "].id") : 0;
}

std::string ApiWorld::DeviceSign(const std::string& data) const { return DeviceSign(data, device_); }

std::string ApiWorld::DeviceSign(const std::string& data, const DeviceCredential& device) {
  auto key = keys::SigningKey::FromEncryptedPkcs8(device.key_pem, device.key_password);
  EXPECT_TRUE(key.ok());
  if (!key.ok()) return "";
  auto sig = key->Sign(data);
  EXPECT_TRUE(sig.ok());
  return sig.ok() ? *sig : "";
}

std::string ApiWorld::MinuteContent(const std::string& title) {
  return R"({"format":1,"id":"stm-villa-esperanza-2026-02-16","kind":"sesion",)"
         R"("secretariat":"Secretariado Técnico Municipal de Gobierno Abierto de Villa Esperanza",)"
         R"("title":)" + Q(title) +
         R"(,"place_date":"Villa Esperanza, Michoacán, a 16 de febrero de 2026",)"
         R"("blocks":[{"type":"paragraph","text":"Siendo las **10:00 horas** se reunieron los integrantes del Secretariado."},)"
         R"({"type":"section","title":"Acuerdos","blocks":[{"type":"list","items":["Se aprueba el orden del día.","Se da seguimiento al plan de acción."]}]},)"
         R"({"type":"closing","text":"No habiendo más asuntos que tratar, se cierra la sesión."}]})";
}

std::vector<std::string> ApiWorld::Signers() const {
  std::vector<std::string> s = {"titular", "garante", "suplente"};
  if (options.titular2_attends) s.push_back("titular2");
  return s;
}

std::string ApiWorld::YesVotes() const {
  std::string votes = "{\"votes\":[";
  bool first = true;
  for (const auto& k : Signers()) {
    votes += (first ? "" : ",") + std::string("{\"person_id\":") +
             std::to_string(people_.at(k).id) + ",\"choice\":\"yes\"}";
    first = false;
  }
  return votes + "]}";
}

void ApiWorld::Setup() {
  // The administrator: the one-time link the service logged at its first start.
  const std::string link = logger_.Field("accounts.administrator_invitation", "link");
  ASSERT_FALSE(link.empty());
  WorldPerson admin{"admin", "", "", "", "contraseña-de-administración", "", 0, 0, 0, "", ""};
  Client anon(port());
  Expect(anon.Post("/api/invitations/accept", "{\"token\":" + Q(TokenOfLink(link)) +
                                                  ",\"password\":" + Q(admin.password) + "}"),
         200, "admin accepts");
  admin.token = LoginBearer(port(), "admin", admin.password).token();
  people_["admin"] = admin;
  Client a = As("admin");

  Reply s = a.Post("/api/secretariats", R"({"template":"stm",)"
                   R"("name":"Secretariado Técnico Municipal de Gobierno Abierto de Villa Esperanza",)"
                   R"("place":"Villa Esperanza, Michoacán","administration_ends":"2027-08-31",)"
                   R"("agencies":[{"name":"Instituto Estatal de Transparencia de Prueba",)"
                   R"("address":)" + Q(options.agency_address) + ","
                   R"("effective_from":"2016-01-01","effective_to":"2026-12-31"}])" +
                   (options.package_cosigner.empty() ? std::string()
                                                     : ",\"package_cosigner\":" + Q(options.package_cosigner)) +
                   "}");
  Expect(s, 201, "create secretariat");
  secretariat = s.Int("id");
  const std::string base = "/api/secretariats/" + std::to_string(secretariat);
  for (const char* type : {"authority", "organismo_garante", "civil_society", "academia"}) {
    Reply r = a.Post(base + "/seats", "{\"member_type\":" + Q(type) + ",\"represents\":" +
                                          Q(std::string("Representación de ") + type) + "}");
    Expect(r, 201, std::string("seat ") + type);
    seats[type] = r.Int("seat_id");
  }
  for (const auto& spec : kPeople) {
    WorldPerson p{spec.key, spec.name, spec.title, spec.email, "contraseña-de-" + std::string(spec.key),
                  "", 0, 0, 0, "", ""};
    Reply r = a.Post("/api/people", "{\"full_name\":" + Q(p.name) + ",\"title\":" + Q(p.title) +
                                        ",\"email\":" + Q(p.email) + "}");
    Expect(r, 201, "person " + p.key);
    p.id = r.Int("person_id");
    people_[p.key] = p;
  }
  observer_person = people_["observer"].id;
  struct TermSpec {
    const char* person;
    const char* role;
    const char* seat;
  };
  for (const TermSpec& t : {TermSpec{"facilitator", "facilitator", nullptr},
                            TermSpec{"titular", "titular", "authority"},
                            TermSpec{"garante", "titular", "organismo_garante"},
                            TermSpec{"titular2", "titular", "civil_society"},
                            TermSpec{"academia_titular", "titular", "academia"},
                            TermSpec{"suplente", "substitute", "academia"}}) {
    std::string body = "{\"person_id\":" + std::to_string(people_[t.person].id) + ",\"role\":" +
                       Q(t.role) + ",\"starts_on\":\"2026-01-05\"";
    if (t.seat) body += ",\"seat_id\":" + std::to_string(seats[t.seat]);
    Reply r = a.Post(base + "/terms", body + "}");
    Expect(r, 201, std::string("term ") + t.person);
    people_[t.person].term = r.Int("id");
  }
  // Accounts: every person but the absent academia titular; the archivist has none.
  const std::string outbox = data_dir_ + "/outbox";
  for (const char* key : {"facilitator", "titular", "garante", "titular2", "suplente", "observer"}) {
    WorldPerson& p = people_[key];
    std::string body = "{\"email\":" + Q(p.email) + ",\"person_id\":" + std::to_string(p.id);
    if (p.key == "observer") {
      body += ",\"grants\":[{\"role\":\"observer\",\"secretariat_id\":" + std::to_string(secretariat) + "}]";
    }
    Reply r = a.Post("/api/accounts", body + "}");
    Expect(r, 201, std::string("account ") + key);
    p.account = r.Int("account.id");
    // Every person chooses how they will sign: a PIN, or (the external substitute) the
    // device's certificate.
    const bool device = options.external_suplente && p.key == "suplente";
    if (!device) p.pin = "pin-" + std::to_string(p.id) + "-firma";
    std::string accept = "{\"token\":" + Q(InvitationTokenFor(outbox, p.email)) +
                         ",\"password\":" + Q(p.password);
    if (!p.pin.empty()) accept += ",\"pin\":" + Q(p.pin);
    if (device) accept += ",\"certificate\":" + Q(Base64Encode(device_.cer_der));
    Reply acc = anon.Post("/api/invitations/accept", accept + "}");
    Expect(acc, 200, std::string("accept ") + key);
    if (p.key == "facilitator") {
      Client f = LoginBrowser(port(), p.email, p.password);
      p.token = f.session();
      p.csrf = f.csrf();
    } else {
      p.token = LoginBearer(port(), p.email, p.password).token();
    }
  }
  {
    WorldPerson arch{"archivist", "", "", "archivo@villa-esperanza.example", "contraseña-del-archivo",
                     "", 0, 0, 0, "", ""};
    Reply r = a.Post("/api/accounts", "{\"email\":" + Q(arch.email) +
                                          ",\"grants\":[{\"role\":\"archivist\",\"secretariat_id\":" +
                                          std::to_string(secretariat) + "}]}");
    Expect(r, 201, "archivist account");
    arch.account = r.Int("account.id");
    Expect(anon.Post("/api/invitations/accept",
                     "{\"token\":" + Q(InvitationTokenFor(outbox, arch.email)) +
                         ",\"password\":" + Q(arch.password) + "}"),
           200, "archivist accepts");
    arch.token = LoginBearer(port(), arch.email, arch.password).token();
    people_["archivist"] = arch;
  }
}

void ApiWorld::SetClock(Instant t) {
  clock_->Set(t);
  Relogin();
}

void ApiWorld::Relogin() {
  for (auto& [key, p] : people_) {
    if (p.password.empty() || p.token.empty()) continue;
    const std::string login = key == "admin" ? "admin" : p.email;
    if (!p.csrf.empty()) {
      Client c = LoginBrowser(port(), login, p.password);
      p.token = c.session();
      p.csrf = c.csrf();
    } else {
      p.token = LoginBearer(port(), login, p.password).token();
    }
  }
}

void ApiWorld::HoldSession() {
  const std::string base = "/api/secretariats/" + std::to_string(secretariat);
  SetClock(Local(2026, 1, 26, 9));
  Reply conv = As("facilitator").Post(base + "/sessions",
                      "{\"kind\":\"ordinary\",\"starts_at\":" + Q(LocalText(2026, 2, 16, 10)) +
                          R"(,"place":"Sala de Cabildo","agenda":["Lista de asistencia",)"
                          R"("Seguimiento del plan de acción","Asuntos generales"]})");
  Expect(conv, 201, "convene");
  session = conv.Int("session.id");
  const std::string s = "/api/sessions/" + std::to_string(session);
  SetClock(Local(2026, 2, 16, 10));
  Client f = As("facilitator");
  std::vector<std::string> present = {"titular", "garante", "suplente"};
  if (options.titular2_attends) present.push_back("titular2");
  for (const auto& k : present) {
    Expect(f.Post(s + "/attendance", "{\"person_id\":" + std::to_string(people_[k].id) + "}"), 200,
           "attendance " + k);
  }
  Expect(f.Post(s + "/attendance", "{\"person_id\":" + std::to_string(people_["facilitator"].id) + "}"),
         200, "facilitator present");
  Expect(f.Post(s + "/observers", "{\"person_id\":" + std::to_string(observer_person) + "}"), 200,
         "observer present");
  Expect(f.Post(s + "/opening"), 200, "open");
  std::string approving = "{\"approving\":[";
  for (size_t i = 0; i < present.size(); ++i) {
    approving += (i ? "," : "") + std::to_string(people_[present[i]].id);
  }
  Expect(f.Post(s + "/agenda-approval", approving + "]}"), 200, "agenda approval");
  Expect(f.Post(s + "/discussion",
                R"({"item_position":2,"summary":"Se revisó el avance del plan de acción."})"),
         200, "discussion");
  Reply dec = f.Post(s + "/decisions", "{\"item_position\":2,\"subject\":\"Aprobar el calendario de "
                                       "seguimiento\"," + YesVotes().substr(1));
  Expect(dec, 201, "decision");
  decision = dec.Int("decision_id");
  Reply ag = f.Post(base + "/agreements",
                    "{\"session_id\":" + std::to_string(session) + ",\"decision_id\":" +
                        std::to_string(decision) +
                        ",\"text\":\"Publicar el calendario de seguimiento\",\"owner_person_id\":" +
                        std::to_string(people_["titular"].id) + ",\"due_on\":\"2026-04-30\"}");
  Expect(ag, 201, "agreement");
  agreement = ag.Int("id");
  Reply pl = f.Post(base + "/plans", R"({"title":"Plan de Acción Municipal 2026"})");
  Expect(pl, 201, "plan");
  plan = pl.Int("id");
  Reply cm = f.Post("/api/plans/" + std::to_string(plan) + "/commitments",
                    R"({"title":"Datos abiertos del presupuesto"})");
  Expect(cm, 201, "commitment");
  commitment = cm.Int("commitments[0].id");
  Reply ac = f.Post("/api/plans/" + std::to_string(plan) + "/commitments/" +
                        std::to_string(commitment) + "/activities",
                    "{\"title\":\"Publicar el presupuesto en formato abierto\",\"owner_person_id\":" +
                        std::to_string(people_["titular"].id) + ",\"due_on\":\"2026-06-30\"}");
  Expect(ac, 201, "activity");
  activity = ac.Int("commitments[0].activities[0].id");
  clock_->Set(Local(2026, 2, 16, 10, 30));
  Expect(f.Post(s + "/closing"), 200, "close");
  Reply next = f.Post(base + "/sessions",
                      "{\"kind\":\"ordinary\",\"starts_at\":" + Q(LocalText(2026, 3, 9, 10)) +
                          R"(,"place":"Sala de Cabildo","agenda":["Lista de asistencia"]})");
  Expect(next, 201, "convene next");
  next_session = next.Int("session.id");
}

void ApiWorld::AdvanceTo(Stage target) {
  while (stage_ < target && !::testing::Test::HasFatalFailure()) {
    Client f = As("facilitator");
    const std::string a = "/api/actas/" + std::to_string(acta);
    switch (stage_) {
      case Stage::kSetUp:
        HoldSession();
        break;
      case Stage::kSessionHeld: {
        Reply r = f.Post("/api/secretariats/" + std::to_string(secretariat) + "/actas",
                         "{\"kind\":\"session_minute\",\"session_id\":" + std::to_string(session) +
                             ",\"title\":\"Acta de la primera sesión ordinaria de 2026\",\"content\":" +
                             MinuteContent("ACTA DE LA PRIMERA SESIÓN ORDINARIA DE 2026") + "}");
        Expect(r, 201, "draft");
        acta = r.Int("id");
        break;
      }
      case Stage::kDraft:
        Expect(f.Post(a + "/review"), 200, "review");
        Expect(As("titular").Post(a + "/comments", R"({"text":"Sugiero precisar la hora de cierre."})"),
               201, "comment");
        break;
      case Stage::kReview:
        SetClock(Local(2026, 2, 16, 12));
        Expect(As("facilitator").Post(a + "/approval", YesVotes()), 200, "approve");
        break;
      case Stage::kRubric:
      case Stage::kFootSignature: {
        const bool rubric = stage_ == Stage::kRubric;
        for (const auto& k : Signers()) {
          const WorldPerson& p = people_[k];
          if (!p.pin.empty()) {
            Expect(As(k).Post(a + (rubric ? "/rubric" : "/foot-signature"),
                              "{\"pin\":" + Q(p.pin) + "}"),
                   200, (rubric ? "rubric " : "foot ") + k);
          } else {
            Reply prep = As(k).Post(a + "/sign/prepare",
                                    std::string("{\"kind\":\"") + (rubric ? "rubric" : "foot") + "\"}");
            Expect(prep, 201, "prepare " + k);
            auto attrs = Base64Decode(prep.Str("signed_attributes"));
            ASSERT_TRUE(attrs.ok());
            Expect(As(k).Post(a + "/sign/finalize",
                              "{\"ticket\":" + Q(prep.Str("ticket")) + ",\"signature\":" +
                                  Q(Base64Encode(DeviceSign(*attrs))) + "}"),
                   200, "finalize " + k);
          }
        }
        if (!rubric) Expect(As("garante").Post(a + "/archive"), 200, "archive");
        break;
      }
      case Stage::kArchived:
        Expect(As("garante").Post(a + "/delivery",
                                  "{\"media_type\":\"text/plain\",\"receipt\":" +
                                      Q(Base64Encode("Acuse de recibo 2026/0216 del Instituto "
                                                     "Estatal de Transparencia de Prueba.")) +
                                      "}"),
               200, "deliver");
        break;
      case Stage::kDelivered:
        break;
    }
    stage_ = static_cast<Stage>(static_cast<int>(stage_) + 1);
  }
}

std::string Sql(const ApiWorld& w, const std::string& query) {
  rubrica::testing::CommandResult r =
      rubrica::testing::RunCommand({"sqlite3", "-readonly", w.data_dir() + "/rubrica.db", query});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

}  // namespace rubrica::server::testing
