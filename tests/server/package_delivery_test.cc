// The service delivers the monthly package by itself (issue 15, phase 2): the secretariat's
// real service (ApiWorld: Service on loopback, every collaborator real, driven through its
// HTTP API) and a real `rubrica serve --agency` process over HTTPS with its own CA.
// Nothing here calls `rubrica package`: archiving the month's last acta through the API is
// what sends the package; a refusal reaches the facilitator and the garante by e-mail (the
// outbox folder), lateness too, and a corrected package is built and sent on demand
// through the API, exactly once.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "api_world.h"
#include "rubrica/base/files.h"
#include "rubrica/net/http_client.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::ChildProcess;
using rubrica::testing::JsonField;
using rubrica::testing::CommandResult;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;
using rubrica::testing::SourceDir;
using rubrica::testing::TempDir;

constexpr const char* kAgencyCreated = "2026-01-05T12:00:00Z";

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
  return n;
}

struct Mail {
  std::string to, subject, body;
};

// Every .eml of the outbox folder: its To, Subject and plain-text body (Python's email).
std::vector<Mail> OutboxMails(ApiWorld& w) {
  const char* script =
      "import email, email.policy, glob, sys\n"
      "for f in sorted(glob.glob(sys.argv[1] + '/*.eml')):\n"
      "    m = email.message_from_binary_file(open(f, 'rb'), policy=email.policy.default)\n"
      "    body = m.get_body(preferencelist=('plain',)).get_content()\n"
      "    print(m['To'].addresses[0].addr_spec + '\\x1f' + str(m['Subject']) + '\\x1f' +\n"
      "          body.replace('\\n', '\\x1e') )\n";
  auto r = RunCommand({"/usr/bin/python3", "-c", script, w.data_dir() + "/outbox"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<Mail> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    const size_t a = line.find('\x1f'), b = line.find('\x1f', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return out;
}

std::map<std::string, Mail> MailsTo(ApiWorld& w, const std::string& subject_prefix, size_t n) {
  std::map<std::string, Mail> got;
  for (int i = 0; i < 300; ++i) {
    got.clear();
    for (const auto& m : OutboxMails(w)) {
      if (m.subject.rfind(subject_prefix, 0) == 0) got[m.to] = m;
    }
    if (got.size() >= n) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return got;
}

// The agency's inbox process on a fixed port, its own data directory.
class Agency {
 public:
  explicit Agency(std::string dir) : dir_(std::move(dir)) {}
  ~Agency() { Stop(); }

  void Start(const std::string& clock_start, const std::string& port = "0") {
    process_ = std::make_unique<ChildProcess>();
    ASSERT_TRUE(process_->Start({RubricaBinary(), "serve", "--agency", "--data-dir", dir_, "--port", port,
                                 "--clock-start", clock_start}));
    const std::string started = process_->WaitForLine("agency.started", 120);
    ASSERT_FALSE(started.empty()) << process_->output();
    port_ = JsonField(started, "port");
  }
  void Stop() {
    if (!process_) return;
    process_->Signal(SIGTERM);
    EXPECT_EQ(process_->Wait(30), 0) << process_->output();
    process_.reset();
  }
  std::string Url() const { return "https://127.0.0.1:" + port_ + "/api/paquetes"; }
  const std::string& port() const { return port_; }
  const std::string& dir() const { return dir_; }

  std::string Month(const std::string& month) const {
    net::HttpRequest req;
    req.method = "GET";
    req.url = "https://127.0.0.1:" + port_ + "/api/entregas?mes=" + month;
    net::HttpClientOptions o;
    o.ca_file = dir_ + "/tls/ca.pem";
    auto r = net::SendHttp(req, o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->body : "";
  }

 private:
  std::string dir_;
  std::string port_;
  std::unique_ptr<ChildProcess> process_;
};

std::string ActaState(ApiWorld& w) {
  return w.As("facilitator").Get("/api/actas/" + std::to_string(w.acta)).Str("state");
}

bool WaitForActaState(ApiWorld& w, const std::string& state, int seconds) {
  for (int i = 0; i < seconds * 5; ++i) {
    if (ActaState(w) == state) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

// The secretariat's seal (what the agency registers it by), printed with the service
// stopped (the command takes the data directory's lock).
void RegisterAtAgency(ApiWorld& w, Agency& agency, TempDir& tmp) {
  w.StopService();
  const std::string now = FormatRfc3339Utc(w.clock().Now());
  CommandResult seal = RunCommand({RubricaBinary(), "package", "seal-cert", "--data-dir", w.data_dir(), "--out",
                                   tmp / "seal.pem", "--clock-start", now});
  ASSERT_EQ(seal.exit_code, 0) << seal.out << seal.err;
  w.StartService();
  CommandResult reg = RunCommand({RubricaBinary(), "agency", "register", "--data-dir", agency.dir(), "--name",
                                  "STM de Villa Esperanza (prueba)", "--seal-cert", tmp / "seal.pem", "--ca",
                                  w.data_dir() + "/trust/ca.pem", "--clock-start", now});
  ASSERT_EQ(reg.exit_code, 0) << reg.out << reg.err;
}

// The agency's TLS identity and port first (its inbox started once, then stopped): the
// secretariat's agency address names them. The options of a world that sends it packages.
WorldOptions SendingTo(Agency& agency) {
  agency.Start(kAgencyCreated);
  agency.Stop();
  WorldOptions o;
  o.agency_address = agency.Url();
  o.config_flags = {{"agency.tls_ca_file", agency.dir() + "/tls/ca.pem"},
                    {"agency.seal_trust_file", agency.dir() + "/trust/ca.pem"}};
  return o;
}

TEST(PackageDeliveryTest, ArchivingTheMonthsLastActaDeliversItsPackageWithoutAnyCommand) {
  TempDir tmp;
  Agency agency(tmp / "agency");
  WorldOptions o = SendingTo(agency);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ApiWorld w(o);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kFootSignature);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  RegisterAtAgency(w, agency, tmp);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  agency.Start(FormatRfc3339Utc(w.clock().Now()), agency.port());
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  // The minute is the only acta of February 2026: archiving it completes the month.
  w.AdvanceTo(Stage::kArchived);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ASSERT_TRUE(WaitForActaState(w, "delivered", 120)) << ActaState(w);

  const std::string month = agency.Month("2026-02");
  EXPECT_EQ(JsonField(month, "status"), "delivered_on_time") << month;
  const std::string sha = JsonField(month.substr(month.find("\"packages\"")), "sha256");
  ASSERT_EQ(sha.size(), 64u) << month;

  // Sent again on demand: the stored receipt, nothing posted again.
  const std::string send = "/api/secretariats/" + std::to_string(w.secretariat) + "/packages/" + sha + "/send";
  Reply again = w.As("garante").Post(send);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Str("package.state"), "delivered");
  EXPECT_EQ(again.Str("outbox_state"), "sent");
  EXPECT_NE(again.Str("answer_xml").find("resultado=\"recibido\""), std::string::npos) << again.body;
  EXPECT_EQ(Count(agency.Month("2026-02"), "\"sha256\""), 1u) << "the agency holds one copy";

  // Who may send: the facilitator and the garante, not a titular nor the public.
  EXPECT_EQ(w.As("titular").Post(send).status, 403);
  EXPECT_EQ(w.As("public").Post(send).status, 401);
}

TEST(PackageDeliveryTest, ARefusalAndTheLatenessReachTheFacilitatorAndGaranteAndACorrectionGoesOnDemand) {
  TempDir tmp;
  Agency agency(tmp / "agency");
  WorldOptions o = SendingTo(agency);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // The web pages: any index.html (the service answers every page path with it).
  ASSERT_TRUE(MakeDirs(tmp / "web").ok());
  ASSERT_TRUE(WriteFileAtomic(tmp / "web/index.html", "<!doctype html><title>Rúbrica</title>").ok());
  o.config_flags["web.root"] = tmp / "web";
  ApiWorld w(o);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kFootSignature);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // The agency has not registered this secretariat yet: it refuses the package.
  agency.Start(FormatRfc3339Utc(w.clock().Now()), agency.port());
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kArchived);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  auto refused = MailsTo(w, "Paquete mensual rechazado", 2);
  ASSERT_EQ(refused.size(), 2u);
  ASSERT_TRUE(refused.count(w.person("facilitator").email));
  ASSERT_TRUE(refused.count(w.person("garante").email));
  const Mail& m = refused.at(w.person("garante").email);
  EXPECT_NE(m.body.find("[delivery.unknown_sender]"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("Motivos:"), std::string::npos) << m.body;
  // The desk's list of notifications shows the refusal to both, by person.
  Reply listed = w.As("garante").Get("/api/secretariats/" + std::to_string(w.secretariat) +
                                     "/notifications?kind=package.refused");
  ASSERT_EQ(listed.status, 200) << Describe(listed);
  ASSERT_EQ(listed.Size("notifications"), 2) << listed.body;
  std::set<int64_t> listed_to;
  for (int i = 0; i < 2; ++i) {
    const std::string p = "notifications[" + std::to_string(i) + "].";
    EXPECT_EQ(listed.Str(p + "subject").rfind("Paquete mensual rechazado: ", 0), 0u) << listed.body;
    listed_to.insert(listed.Int(p + "recipient.person_id"));
  }
  EXPECT_EQ(listed_to, (std::set<int64_t>{w.person("facilitator").id, w.person("garante").id}));
  // The link leads to a page the service serves.
  const std::string link_path = "/secretariados/" + std::to_string(w.secretariat);
  EXPECT_NE(m.body.find(link_path), std::string::npos) << m.body;
  Reply page = w.As("public").Get(link_path);
  EXPECT_EQ(page.status, 200) << page.body.substr(0, 200);
  EXPECT_EQ(w.As("public").Get(link_path + "/no-es-una-pagina").status, 404) << "only pages answer";
  EXPECT_EQ(ActaState(w), "archived") << "a refused package delivers nothing";
  // Not rebuilt by itself: one package, refused, and its one outbox message (the sqlite3
  // tool reads the service's database beside it).
  std::this_thread::sleep_for(std::chrono::seconds(4));
  CommandResult rows = RunCommand({"sqlite3", "-readonly", w.data_dir() + "/rubrica.db",
                                   "SELECT state || ' ' || (refusal_json LIKE '%delivery.unknown_sender%') FROM "
                                   "delivery_packages; SELECT count(*) FROM outbox_messages WHERE channel = 'agency';"});
  EXPECT_EQ(rows.out, "refused 1\n1\n") << rows.err;

  // The month ends undelivered: the late notice goes to the facilitator and the garante.
  w.SetClock(ApiWorld::Local(2026, 3, 2, 9));
  auto late = MailsTo(w, "Entrega vencida", 2);
  EXPECT_EQ(late.size(), 2u);
  EXPECT_TRUE(late.count(w.person("facilitator").email));
  EXPECT_TRUE(late.count(w.person("garante").email));

  // Fixed (the agency registers the secretariat), a new package is built and sent on demand.
  agency.Stop();
  RegisterAtAgency(w, agency, tmp);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  agency.Start(FormatRfc3339Utc(w.clock().Now()), agency.port());
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string base = "/api/secretariats/" + std::to_string(w.secretariat) + "/packages";
  EXPECT_EQ(w.As("titular").Post(base, R"({"month":"2026-02"})").status, 403);
  EXPECT_EQ(w.As("facilitator").Post(base, R"({"month":"2026-13"})").status, 400);
  Reply built = w.As("facilitator").Post(base, R"({"month":"2026-02"})");
  ASSERT_EQ(built.status, 201) << built.body;
  const std::string sha = built.Str("sha256");
  EXPECT_EQ(built.Str("supersedes").size(), 64u) << built.body;
  EXPECT_EQ(built.Str("state"), "built");
  Reply sent = w.As("facilitator").Post(base + "/" + sha + "/send");
  ASSERT_EQ(sent.status, 202) << sent.body;
  ASSERT_TRUE(WaitForActaState(w, "delivered", 120)) << ActaState(w);
  Reply again = w.As("facilitator").Post(base + "/" + sha + "/send");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.Str("answer_xml").find("resultado=\"recibido\""), std::string::npos) << again.body;
  const std::string month = agency.Month("2026-02");
  EXPECT_EQ(Count(month, "\"sha256\""), 1u) << month;
  EXPECT_EQ(JsonField(month, "status"), "delivered_late") << month;
}

// The audit log's entries about packages, oldest first: "actor action payload" per line.
std::string PackageAudit(ApiWorld& w) {
  CommandResult rows = RunCommand({"sqlite3", "-readonly", w.data_dir() + "/rubrica.db",
                                   "SELECT actor || ' ' || action || ' ' || payload FROM audit_log "
                                   "WHERE object_type = 'package' ORDER BY seq;"});
  EXPECT_EQ(rows.exit_code, 0) << rows.err;
  return rows.out;
}

TEST(PackageDeliveryTest, ADeliveryGivenUpIsAuditedAndQueuedAgainOnDemandThenArrivesOnce) {
  TempDir tmp;
  Agency agency(tmp / "agency");
  WorldOptions o = SendingTo(agency);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  o.notify_max_attempts = 1;  // the first failed attempt is the last
  ApiWorld w(o);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kFootSignature);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  RegisterAtAgency(w, agency, tmp);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  // The agency is down when the month completes: the one attempt fails, the sender gives up.
  w.AdvanceTo(Stage::kArchived);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::string state;
  for (int i = 0; i < 300 && state != "dead\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    state = Sql(w, "SELECT state FROM outbox_messages WHERE channel = 'agency';");
  }
  ASSERT_EQ(state, "dead\n");
  const std::string base = "/api/secretariats/" + std::to_string(w.secretariat) + "/packages";
  Reply list = w.As("garante").Get(base + "?month=2026-02");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Size("packages"), 1) << list.body;
  const std::string sha = list.Str("packages[0].sha256");
  EXPECT_EQ(list.Str("packages[0].state"), "built");
  EXPECT_EQ(list.Int("packages[0].secretariat_id"), w.secretariat) << "one Package schema everywhere";
  EXPECT_EQ(ActaState(w), "archived");
  std::string audit;
  for (int i = 0; i < 50 && audit.find("package.delivery_dead") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    audit = PackageAudit(w);
  }
  EXPECT_NE(audit.find("system package.build {\"secretariat_id\":" + std::to_string(w.secretariat) +
                       ",\"month\":\"2026-02\""),
            std::string::npos)
      << audit;
  EXPECT_NE(audit.find("system package.send "), std::string::npos) << audit;
  EXPECT_NE(audit.find("system package.delivery_dead {\"attempts\":1,\"last_error\":"), std::string::npos) << audit;

  // Back up; the facilitator sends it again: the same outbox message is due again.
  agency.Start(FormatRfc3339Utc(w.clock().Now()), agency.port());
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Reply sent = w.As("facilitator").Post(base + "/" + sha + "/send");
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_TRUE(sent.Bool("queued_now")) << sent.body;
  ASSERT_TRUE(WaitForActaState(w, "delivered", 120)) << ActaState(w);
  Reply again = w.As("facilitator").Post(base + "/" + sha + "/send");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(again.Bool("queued_now"));
  EXPECT_EQ(again.Str("outbox_state"), "sent");
  EXPECT_EQ(Count(agency.Month("2026-02"), "\"sha256\""), 1u) << "the agency holds one copy";
  EXPECT_EQ(Sql(w, "SELECT count(*) || ' ' || sum(ok) FROM outbox_attempts WHERE message_id = 'agency:" + sha + "';"),
            "2 1\n")
      << "one failed attempt, one that delivered";

  audit = PackageAudit(w);
  const std::string facilitator = "account:" + std::to_string(w.person("facilitator").account);
  EXPECT_NE(audit.find(facilitator + " package.send {\"destination\":\"" + agency.Url() + "\",\"again\":true}"),
            std::string::npos)
      << audit;
  EXPECT_NE(audit.find("system package.receipt {\"answer_blob_id\":"), std::string::npos) << audit;
  EXPECT_EQ(Count(audit, "package.receipt"), 1u) << audit;
}

}  // namespace
}  // namespace rubrica::server::testing
