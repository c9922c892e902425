// The authorisation matrix of docs/api-authorization.md, executed: every operation as every
// role in every listed state, on the real service, against the cell the document writes.
// A refused request (any non-2xx) must leave the database exactly as it was. Every route
// of the service must have a row.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "api_world.h"
#include "db_snapshot.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/server/api.h"

namespace rubrica::server::testing {
namespace {

const std::vector<std::string> kRoles = {"admin",     "facilitator", "titular",  "suplente",
                                         "garante",   "archivist",   "observer", "public"};

struct MatrixRow {
  std::string operation;
  std::string state;
  std::vector<std::string> cells;  // per kRoles
  int line = 0;
};

std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  std::getline(in, cell, '|');  // before the first bar
  while (std::getline(in, cell, '|')) {
    const size_t b = cell.find_first_not_of(' ');
    const size_t e = cell.find_last_not_of(' ');
    out.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
  }
  return out;
}

std::vector<MatrixRow> ReadMatrix() {
  auto doc = ReadFile(rubrica::testing::SourceDir() + "/docs/api-authorization.md");
  EXPECT_TRUE(doc.ok());
  std::vector<MatrixRow> rows;
  if (!doc.ok()) return rows;
  std::stringstream in(*doc);
  std::string line;
  bool inside = false;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find("<!-- matrix:begin -->") != std::string::npos) inside = true;
    if (line.find("<!-- matrix:end -->") != std::string::npos) inside = false;
    if (!inside || line.rfind("| ", 0) != 0 || line.rfind("| operation", 0) == 0) continue;
    auto cells = Cells(line);
    EXPECT_GE(cells.size(), 10u) << "line " << n << ": " << line;
    if (cells.size() < 10) continue;
    rows.push_back({cells[0], cells[1], {cells.begin() + 2, cells.begin() + 10}, n});
  }
  return rows;
}

// A minimal, well-formed PDF without signatures (a report, a receipt).
std::string MinimalPdf() {
  const std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"};
  std::string out = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t o : offsets) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", o);
    out += buf;
  }
  out += "trailer\n<< /Size " + std::to_string(objs.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

struct Request {
  std::string method;
  std::string path;
  std::string body;
  std::string content_type = "application/json";
};

using Builder = std::function<std::string(ApiWorld&, const std::string& role, const std::string& state)>;

struct OpSpec {
  std::map<std::string, std::function<int64_t(ApiWorld&)>> params;  // overrides
  Builder body;
  bool isolate = true;  // a success changes the world: run it on a copy
  std::string content_type = "application/json";
  std::string query;    // appended to the path
};

int64_t Pid(ApiWorld& w, const std::string& key) { return w.person(key).id; }
std::string Id(int64_t v) { return std::to_string(v); }
Builder Json(std::string body) {
  return [body](ApiWorld&, const std::string&, const std::string&) { return body; };
}

int g_counter = 0;

std::map<std::string, OpSpec> Specs() {
  std::map<std::string, OpSpec> s;
  auto login_body = [](ApiWorld& w, const std::string& role, const std::string&) {
    if (role == "public") return std::string(R"({"login":"nadie@example.invalid","password":"incorrecta-123"})");
    const WorldPerson& p = w.person(role);
    return "{\"login\":" + Q(role == "admin" ? "admin" : p.email) + ",\"password\":" + Q(p.password) + "}";
  };
  s["login"] = {{}, login_body, false};
  s["createToken"] = {{}, login_body, false};
  s["acceptInvitation"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                             // A fresh invitation for a new person, made by the administrator.
                             const int n = ++g_counter;
                             Client admin = w.As("admin");
                             Reply p = admin.Post("/api/people", "{\"full_name\":\"Persona Invitada " + Id(n) + "\"}");
                             const std::string email = "invitada-" + Id(n) + "@example.invalid";
                             Reply a = admin.Post("/api/accounts", "{\"email\":" + Q(email) + ",\"person_id\":" +
                                                                       Id(p.Int("person_id")) + "}");
                             EXPECT_EQ(a.status, 201) << Describe(a);
                             return "{\"token\":" + Q(InvitationTokenFor(w.data_dir() + "/outbox", email)) +
                                    ",\"password\":\"una-contraseña-larga\",\"pin\":\"pin-invitada-" + Id(n) +
                                    "\"}";
                           },
                           false};
  s["createAccount"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                          return "{\"email\":\"diana.rosales@universidad.example\",\"person_id\":" +
                                 Id(Pid(w, "academia_titular")) + "}";
                        }};
  s["reinviteAccount"] = {{{"account_id", [](ApiWorld& w) { return w.person("titular").account; }}}, Json("")};
  // The current PIN is the second factor (accounts without one are refused before it counts).
  auto current_pin = [](ApiWorld& w, const std::string& role) {
    const std::string pin = role == "public" || role == "archivist" || role == "admin" ? "" : w.person(role).pin;
    return pin.empty() ? std::string("000000") : pin;
  };
  s["enrolMyKey"] = {{}, [current_pin](ApiWorld& w, const std::string& role, const std::string&) {
                       return "{\"pin\":\"pin-nuevo-123456\",\"current_pin\":" + Q(current_pin(w, role)) + "}";
                     }};
  s["registerExternalCertificate"] = {{}, [current_pin](ApiWorld& w, const std::string& role, const std::string&) {
                                        return "{\"certificate\":" + Q(Base64Encode(w.device().cer_der)) +
                                               ",\"current_pin\":" + Q(current_pin(w, role)) + "}";
                                      }};
  s["changeMyPin"] = {{{"credential_id", [](ApiWorld& w) { return w.credential_of("titular"); }}},
                      [current_pin](ApiWorld& w, const std::string& role, const std::string&) {
                        return "{\"current_pin\":" + Q(current_pin(w, role)) + ",\"new_pin\":\"pin-cambiado-2468\"}";
                      }};
  s["lookupInvitation"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                             const int n = ++g_counter;
                             Client admin = w.As("admin");
                             const std::string email = "consulta-" + Id(n) + "@example.invalid";
                             Reply a = admin.Post("/api/accounts", "{\"email\":" + Q(email) +
                                                                       ",\"grants\":[{\"role\":\"observer\",\"secretariat_id\":" +
                                                                       Id(w.secretariat) + "}]}");
                             EXPECT_EQ(a.status, 201) << Describe(a);
                             return "{\"token\":" + Q(InvitationTokenFor(w.data_dir() + "/outbox", email)) + "}";
                           },
                           false};
  s["issueReenrolment"] = {{{"person_id", [](ApiWorld& w) { return w.person("titular").id; }}}, Json("")};
  s["acceptReenrolment"] = {{}, [](ApiWorld& w, const std::string& role, const std::string&) {
                              // A link the administrator issued for the caller (when a person).
                              std::string token = "sin-enlace";
                              if (role != "public" && role != "admin" && role != "archivist") {
                                Reply r = w.As("admin").Post("/api/people/" + Id(w.person(role).id) + "/reenrolment");
                                EXPECT_EQ(r.status, 201) << Describe(r);
                                token = ReenrolmentTokenFor(w.data_dir() + "/outbox", w.person(role).email);
                              }
                              return "{\"token\":" + Q(token) + ",\"pin\":\"pin-reinscrito-1357\"}";
                            }};
  s["createSecretariat"] = {{}, Json(R"({"template":"stl","name":"Secretariado Técnico Local de Prueba","place":"Ciudad de Prueba"})")};
  s["addAgency"] = {{}, Json(R"({"name":"Organismo Sucesor de Prueba","effective_from":"2027-01-01"})")};
  s["addHoliday"] = {{}, Json(R"({"day":"2026-12-14","reason":"Día inhábil institucional"})")};
  s["addSeat"] = {{}, Json(R"({"member_type":"citizens","represents":"Ciudadanía"})")};
  s["startTerm"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                      return "{\"person_id\":" + Id(Pid(w, "spare")) +
                             ",\"role\":\"substitute\",\"seat_id\":" + Id(w.seats["civil_society"]) +
                             ",\"starts_on\":\"2026-02-16\"}";
                    }};
  s["addPerson"] = {{}, Json(R"({"full_name":"Persona de Prueba Nueva"})")};
  s["proposeRemoval"] = {{{"term_id", [](ApiWorld& w) { return w.person("titular2").term; }}},
                         [](ApiWorld& w, const std::string&, const std::string&) {
                           return "{\"proposers\":[" + Id(Pid(w, "titular")) + "," + Id(Pid(w, "garante")) +
                                  "],\"reason\":\"Inasistencias reiteradas\"}";
                         }};
  s["fileTermReport"] = {{}, [](ApiWorld&, const std::string&, const std::string&) {
                           return "{\"summary\":\"Informe de actividades\",\"report_pdf\":" +
                                  Q(Base64Encode(MinimalPdf())) + "}";
                         }};
  s["recordHandover"] = {{}, Json("{}")};
  s["convene"] = {{}, Json(R"({"kind":"ordinary","starts_at":"2026-03-23T10:00:00-06:00","place":"Sala de Cabildo","agenda":["Lista de asistencia"]})")};
  s["getSession"] = {{{"session_id", [](ApiWorld& w) { return w.session; }}}, Json("")};
  s["getSessionRecord"] = {{{"session_id", [](ApiWorld& w) { return w.session; }}}, Json("")};
  s["cancelSession"] = {{}, Json(R"({"reason":"Causa de fuerza mayor"})")};
  s["recordAttendance"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                             return "{\"person_id\":" + Id(Pid(w, "titular2")) + "}";
                           }};
  s["recordObserver"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                           return "{\"person_id\":" + Id(w.observer_person) + "}";
                         }};
  s["approveAgenda"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                          return "{\"approving\":[" + Id(Pid(w, "titular")) + "," + Id(Pid(w, "garante")) +
                                 "," + Id(Pid(w, "suplente")) + "]}";
                        }};
  s["recordDiscussion"] = {{}, Json(R"({"item_position":1,"summary":"Se pasó lista."})")};
  s["recordDecision"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                           return "{\"item_position\":1,\"subject\":\"Aprobar la lista\"," + w.YesVotes().substr(1);
                         }};
  s["recordAgreement"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                            return "{\"session_id\":" + Id(w.session) +
                                   ",\"text\":\"Difundir la convocatoria\",\"owner_person_id\":" +
                                   Id(Pid(w, "titular")) + ",\"due_on\":\"2026-05-31\"}";
                          }};
  s["addAgreementNote"] = {{}, Json(R"({"note":"Se publicó el borrador.","status":"in_progress"})")};
  s["createWebhook"] = {{}, Json(R"({"url":"https://93.184.216.34/rubrica","events":["acta.approved"]})")};
  s["deactivateWebhook"] = {{{"webhook_id", [](ApiWorld&) { return int64_t{987}; }}}, Json("")};
  s["listWebhookDeliveries"] = {{{"webhook_id", [](ApiWorld&) { return int64_t{987}; }}}, Json("")};
  s["setReminderSettings"] = {{}, Json(R"({"session_hours":48,"due_business_days":5,"late":true})")};
  s["createPlan"] = {{}, Json(R"({"title":"Plan de Acción Municipal 2027"})")};
  s["addCommitment"] = {{}, Json(R"({"title":"Contrataciones abiertas"})")};
  s["setMicrositeProfile"] = {
      {}, Json(R"({"email":"st@example.org","links":[{"title":"Portal","url":"https://portal.example.org/"}]})")};
  s["addMicrositeItem"] = {
      {}, Json(R"({"kind":"video","title":"Sesión","published_on":"2026-02-16","url":"https://video.example.org/1"})")};
  s["fileSubmission"] = {{}, Json(R"({"kind":"question","text":"¿Cuándo es la próxima sesión?"})")};
  s["answerSubmission"] = {{}, Json(R"({"answer":"El 9 de marzo."})")};
  s["addActivity"] = {{}, Json(R"({"title":"Publicar los contratos","due_on":"2026-09-30"})")};
  s["reportProgress"] = {{}, Json(R"({"percent":40,"note":"Se publicó la mitad."})")};
  s["createActa"] = {{}, [](ApiWorld&, const std::string&, const std::string&) {
                       return "{\"kind\":\"installation\",\"title\":\"Acta de instalación\",\"acta_date\":\"2026-01-05\","
                              "\"content\":" + ApiWorld::MinuteContent("ACTA DE INSTALACIÓN") + "}";
                     }};
  s["addActaVersion"] = {{}, [](ApiWorld&, const std::string&, const std::string&) {
                           return "{\"content\":" + ApiWorld::MinuteContent("ACTA (versión nueva)") + "}";
                         }};
  s["getActaVersion"] = {{{"version", [](ApiWorld&) { return int64_t{1}; }}}, Json("")};
  s["addComment"] = {{}, Json(R"({"text":"De acuerdo con el texto."})")};
  s["addRequiredSigner"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) {
                              return "{\"person_id\":" + Id(Pid(w, "titular2")) + ",\"capacity\":\"subscriber\"}";
                            }};
  s["removeRequiredSigner"] = {{{"person_id", [](ApiWorld& w) { return Pid(w, "garante"); }}}, Json("")};
  s["approveActa"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) { return w.YesVotes(); }};
  s["reapproveActa"] = {{}, [](ApiWorld& w, const std::string&, const std::string&) { return w.YesVotes(); }};
  s["recordDelivery"] = {{}, [](ApiWorld&, const std::string&, const std::string&) {
                           return "{\"media_type\":\"text/plain\",\"receipt\":" + Q(Base64Encode("Acuse de recibo.")) + "}";
                         }};
  auto pin_body = [](ApiWorld& w, const std::string& role, const std::string&) {
    const std::string pin = role == "public" || role == "archivist" || role == "admin" ? "" : w.person(role).pin;
    return "{\"pin\":" + Q(pin.empty() ? "000000" : pin) + "}";
  };
  s["rubricateActa"] = {{}, pin_body};
  s["signActaFoot"] = {{}, pin_body};
  s["prepareExternalSignature"] = {{}, [](ApiWorld&, const std::string&, const std::string& state) {
                                     return std::string("{\"kind\":\"") +
                                            (state == "foot_signature" ? "foot" : "rubric") + "\"}";
                                   }};
  s["finalizeExternalSignature"] = {{}, [](ApiWorld& w, const std::string&, const std::string& state) {
                                      // The substitute's device prepared it in this world.
                                      Reply prep = w.As("suplente").Post(
                                          "/api/actas/" + Id(w.acta) + "/sign/prepare",
                                          std::string("{\"kind\":\"") + (state == "foot_signature" ? "foot" : "rubric") + "\"}");
                                      EXPECT_EQ(prep.status, 201) << Describe(prep);
                                      auto attrs = Base64Decode(prep.Str("signed_attributes"));
                                      return "{\"ticket\":" + Q(prep.Str("ticket")) + ",\"signature\":" +
                                             Q(Base64Encode(w.DeviceSign(attrs.ok() ? *attrs : ""))) + "}";
                                    }};
  s["downloadActaRevision"] = {{}, Json("")};
  s["monthlyDeliveries"] = {{}, Json(""), true, "application/json", "?month=2026-02"};
  s["listPackages"] = {{}, Json(""), true, "application/json", "?month=2026-02"};
  s["buildPackage"] = {{}, Json(R"({"month":"2026-02"})")};
  s["finalizePackageCosignature"] = {{}, Json(R"({"ticket":"no-such-ticket","signature":"AAAA"})")};
  s["setPackageCosigner"] = {{}, Json(R"({"package_cosigner":"none"})")};
  s["verifyPdf"] = {{}, [](ApiWorld&, const std::string&, const std::string&) { return MinimalPdf(); }, false,
                    "application/pdf"};
  return s;
}

// Path parameters: the world's ids unless the operation names others.
std::string FillPath(const std::string& pattern, ApiWorld& w, const OpSpec& spec) {
  std::map<std::string, std::function<int64_t(ApiWorld&)>> ids = {
      {"secretariat_id", [](ApiWorld& x) { return x.secretariat; }},
      {"session_id", [](ApiWorld& x) { return x.next_session; }},
      {"acta_id", [](ApiWorld& x) { return x.acta; }},
      {"agreement_id", [](ApiWorld& x) { return x.agreement; }},
      {"plan_id", [](ApiWorld& x) { return x.plan; }},
      {"commitment_id", [](ApiWorld& x) { return x.commitment; }},
      {"activity_id", [](ApiWorld& x) { return x.activity; }},
      {"term_id", [](ApiWorld& x) { return x.person("titular").term; }},
      {"person_id", [](ApiWorld& x) { return x.person("titular").id; }},
      {"account_id", [](ApiWorld& x) { return x.person("titular").account; }},
      {"version", [](ApiWorld&) { return int64_t{1}; }},
      // No published item and no submission in these fixtures.
      {"item_id", [](ApiWorld&) { return int64_t{1}; }},
      {"submission_id", [](ApiWorld&) { return int64_t{1}; }},
  };
  for (const auto& [k, v] : spec.params) ids[k] = v;
  std::string out;
  size_t pos = 0;
  while (pos < pattern.size()) {
    const size_t open = pattern.find('{', pos);
    if (open == std::string::npos) {
      out += pattern.substr(pos);
      break;
    }
    const size_t close = pattern.find('}', open);
    out += pattern.substr(pos, open - pos);
    const std::string name = pattern.substr(open + 1, close - open - 1);
    if (name == "blob_id") {
      Reply revs = w.As("facilitator").Get("/api/actas/" + Id(w.acta) + "/revisions");
      std::string blob = revs.Str("revisions[0].blob_id");
      out += blob.empty() ? std::string(64, '0') : blob;
    } else if (name == "package_sha256") {
      out += std::string(64, 'a');  // no package in these fixtures
    } else if (name == "dataset") {
      out += "sessions";
    } else if (name == "package_sha256") {
      out += std::string(64, '0');  // no such package
    } else if (name == "folio") {
      out += "QUE-000001-AAAAAAAA";  // no such folio
    } else {
      out += std::to_string(ids.at(name)(w));
    }
    pos = close + 1;
  }
  return out;
}

bool Matches(const std::string& cell, int status) {
  if (cell == "✓") return status >= 200 && status < 300;
  return std::to_string(status) == cell;
}

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    WorldOptions o;
    o.titular2_attends = false;
    o.external_suplente = true;
    base_ = new ApiWorld(o);
    if (HasFatalFailure()) return;
    for (Stage st : {Stage::kDraft, Stage::kReview, Stage::kRubric, Stage::kFootSignature,
                     Stage::kArchived, Stage::kDelivered}) {
      base_->AdvanceTo(st);
      if (HasFatalFailure()) return;
      worlds_[StageName(st)] = new ApiWorld(*base_, StageName(st));
    }
    // The second session, on its date, opened with the same three present; then with its
    // agenda approved.
    ApiWorld* open = new ApiWorld(*worlds_["review"], "open");
    open->SetClock(ApiWorld::Local(2026, 3, 9, 10));
    Client f = open->As("facilitator");
    const std::string s = "/api/sessions/" + std::to_string(open->next_session);
    for (const char* k : {"titular", "garante", "suplente"}) {
      Reply r = f.Post(s + "/attendance", "{\"person_id\":" + Id(open->person(k).id) + "}");
      ASSERT_EQ(r.status, 200) << Describe(r);
    }
    ASSERT_EQ(f.Post(s + "/opening").status, 200);
    worlds_["open"] = open;
    ApiWorld* approved = new ApiWorld(*open, "agenda_approved");
    Reply r = approved->As("facilitator")
                  .Post(s + "/agenda-approval",
                        "{\"approving\":[" + Id(open->person("titular").id) + "," +
                            Id(open->person("garante").id) + "," + Id(open->person("suplente").id) + "]}");
    ASSERT_EQ(r.status, 200) << Describe(r);
    worlds_["agenda_approved"] = approved;
    worlds_["any"] = worlds_["review"];
    worlds_["convened"] = worlds_["review"];
  }
  static void TearDownTestSuite() {
    std::set<ApiWorld*> owned;
    for (auto& [k, w] : worlds_) owned.insert(w);
    for (ApiWorld* w : owned) delete w;
    delete base_;
    worlds_.clear();
    base_ = nullptr;
  }

  static ApiWorld* base_;
  static std::map<std::string, ApiWorld*> worlds_;
};

ApiWorld* AuthorizationMatrixTest::base_ = nullptr;
std::map<std::string, ApiWorld*> AuthorizationMatrixTest::worlds_;

TEST_F(AuthorizationMatrixTest, EveryRouteHasARowAndEveryRowARoute) {
  const auto rows = ReadMatrix();
  ASSERT_GT(rows.size(), 50u);
  std::set<std::string> in_doc;
  for (const auto& r : rows) in_doc.insert(r.operation);
  std::set<std::string> routes;
  for (const auto& r : ApiRoutes()) {
    routes.insert(r.operation_id);
    EXPECT_TRUE(in_doc.count(r.operation_id)) << r.operation_id << " (" << r.method << " "
                                              << r.path << ") has no row in the matrix";
  }
  for (const auto& op : in_doc) EXPECT_TRUE(routes.count(op)) << op << " is not a route";
}

TEST_F(AuthorizationMatrixTest, EveryOperationAsEveryRoleInEveryStateMatchesTheMatrix) {
  ASSERT_FALSE(worlds_.empty());
  std::map<std::string, ApiRoute> routes;
  for (const auto& r : ApiRoutes()) routes[r.operation_id] = r;
  const auto specs = Specs();
  int checked = 0, isolated = 0;
  for (const MatrixRow& row : ReadMatrix()) {
    ASSERT_TRUE(routes.count(row.operation)) << row.operation;
    ASSERT_TRUE(worlds_.count(row.state)) << "line " << row.line << ": unknown state " << row.state;
    const ApiRoute& route = routes[row.operation];
    const OpSpec spec = specs.count(row.operation) ? specs.at(row.operation) : OpSpec{{}, Json(""), true};
    for (size_t i = 0; i < kRoles.size(); ++i) {
      const std::string& role = kRoles[i];
      const std::string& cell = row.cells[i];
      ApiWorld* world = worlds_[row.state];
      std::unique_ptr<ApiWorld> copy;
      const bool mutating = route.method != "GET";
      if (cell == "✓" && mutating && spec.isolate) {
        copy = std::make_unique<ApiWorld>(*world, row.operation + "-" + role);
        world = copy.get();
        ++isolated;
      }
      const std::string path = FillPath(route.path, *world, spec) + spec.query;
      const std::string body = spec.body(*world, role, row.state);
      // A refused login is counted, by design (the rate limit survives restarts): that table
      // is left out of "a refusal writes nothing" for it.
      const std::string except = row.operation == "createToken" || row.operation == "login"
                                     ? "srv_login_failure"
                                     : "";
      const std::string before = DumpTables(world->data_dir() + "/rubrica.db", "", except);
      Reply r = world->As(role).Send(route.method, path, body,
                                     body.empty() && route.method != "POST" ? "" : spec.content_type);
      ++checked;
      EXPECT_TRUE(Matches(cell, r.status))
          << "docs/api-authorization.md:" << row.line << " " << row.operation << " [" << row.state
          << "] as " << role << ": expected " << cell << ", got " << Describe(r);
      if (!r.ok()) {
        EXPECT_EQ(DumpTables(world->data_dir() + "/rubrica.db", "", except), before)
            << row.operation << " [" << row.state << "] as " << role << " was refused ("
            << r.status << ") but changed the database";
      }
    }
  }
  std::cout << "matrix: " << checked << " requests, " << isolated << " on fresh copies\n";
}

}  // namespace
}  // namespace rubrica::server::testing
