// Notifications end to end, against real peers started by the test: an SMTP server
// (Debian's python3-aiosmtpd, tests/server/peers/smtp_sink.py) and a webhook receiver
// (python3 http.server, peers/webhook_receiver.py). Calendar parts are parsed with Python's
// icalendar library and webhook signatures checked with Python's hmac: code Rubrica did
// not write.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "api_world.h"
#include "smtp_sink.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::ChildProcess;
using rubrica::testing::CommandResult;
using rubrica::testing::RunCommand;
using rubrica::testing::SourceDir;
using rubrica::testing::SplitFields;
using rubrica::testing::WaitUntil;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Every person with a term in force on the session date: the four seat holders (the
// academia seat's titular and substitute both) and the facilitator.
std::set<std::string> MemberEmails(ApiWorld& w) {
  std::set<std::string> out;
  for (const char* k : {"facilitator", "titular", "garante", "titular2", "suplente"}) {
    out.insert(w.person(k).email);
  }
  out.insert("diana.rosales@universidad.example");  // the academia titular (absent later)
  return out;
}

void UseSmtp(ApiWorld& w, int port) {
  w.options.config_flags["smtp.host"] = "127.0.0.1";
  w.options.config_flags["smtp.port"] = std::to_string(port);
  w.options.config_flags["smtp.timeout_seconds"] = "5";
  w.StopService();
  w.StartService();
  w.Relogin();
}

int64_t Convene(ApiWorld& w) {
  w.SetClock(ApiWorld::Local(2026, 1, 26, 9));
  Reply r = w.As("facilitator")
                .Post("/api/secretariats/" + std::to_string(w.secretariat) + "/sessions",
                      "{\"kind\":\"ordinary\",\"starts_at\":" +
                          Q(ApiWorld::LocalText(2026, 2, 16, 10)) +
                          R"(,"place":"Sala de Cabildo, Palacio Municipal","agenda":["Lista de asistencia","Avance del plan de acción"]})");
  EXPECT_EQ(r.status, 201) << Describe(r);
  return r.Int("session.id");
}

std::vector<std::vector<std::string>> Convocations(const SmtpSink& sink) {
  std::vector<std::vector<std::string>> out;
  for (auto& m : sink.Parsed()) {
    if (m.size() == 8 && m[2].rfind("Convocatoria", 0) == 0) out.push_back(m);
  }
  return out;
}

TEST(NotifySmtpTest, ConveningMailsEveryMemberAnInvitationWhoseCalendarPartParses) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  SmtpSink sink(w.dir() + "/smtp");
  const int port = sink.Start();
  ASSERT_GT(port, 0);
  UseSmtp(w, port);
  const int64_t session = Convene(w);
  const auto expected = MemberEmails(w);
  ASSERT_TRUE(WaitUntil([&] { return Convocations(sink).size() >= expected.size(); }, 60))
      << "received " << sink.Count() << " messages";
  const auto mails = Convocations(sink);
  std::set<std::string> to;
  for (const auto& m : mails) {
    to.insert(m[0]);
    EXPECT_EQ(m[3], "REQUEST") << m[0];
    EXPECT_EQ(m[4], mails[0][4]) << "one stable UID for the session";
    EXPECT_NE(m[4].find("session-" + std::to_string(session)), std::string::npos) << m[4];
    EXPECT_EQ(m[5], "0");
    // 10:00 in Mexico City (UTC-6 all year since 2022) is 16:00 UTC.
    EXPECT_EQ(m[6], "2026-02-16T16:00:00Z") << m[0];
  }
  EXPECT_EQ(to, expected);
  EXPECT_EQ(mails.size(), expected.size()) << "one message per member";
  std::set<std::string> ids;
  for (const auto& m : mails) ids.insert(m[1]);
  EXPECT_EQ(ids.size(), mails.size()) << "each message has its own Message-ID";
}

TEST(NotifySmtpTest, AfterAnOutageAndARestartEveryMessageArrivesExactlyOnce) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  SmtpSink sink(w.dir() + "/smtp");
  const int port = sink.Start();
  ASSERT_GT(port, 0);
  sink.Stop();  // the relay is down
  UseSmtp(w, port);
  Convene(w);
  const std::string db = w.data_dir() + "/rubrica.db";
  auto failed_attempts = [&] {
    CommandResult r = RunCommand({"sqlite3", "-readonly", db,
                                  "SELECT COUNT(*) FROM outbox_attempts a JOIN outbox_messages m "
                                  "ON m.id = a.message_id WHERE a.ok = 0 AND m.event = 'session.convened'"});
    return r.exit_code == 0 ? std::atoi(r.out.c_str()) : -1;
  };
  ASSERT_TRUE(WaitUntil([&] { return failed_attempts() >= 6; }, 60)) << failed_attempts();
  // The service restarts while the messages wait; it keeps retrying (and failing).
  w.StopService();
  w.clock().Advance(std::chrono::hours(1));
  w.StartService();
  const int before = failed_attempts();
  ASSERT_TRUE(WaitUntil([&] { return failed_attempts() > before; }, 60,
                        [&] { w.clock().Advance(std::chrono::minutes(10)); }));
  EXPECT_EQ(sink.Count(), 0);
  // The relay comes back on the same port: everything arrives, once.
  ASSERT_EQ(sink.Start(port), port);
  const auto expected = MemberEmails(w);
  ASSERT_TRUE(WaitUntil([&] { return Convocations(sink).size() >= expected.size(); }, 90,
                        [&] { w.clock().Advance(std::chrono::hours(1)); }))
      << "received " << sink.Count();
  // Give duplicates every chance to show up: more retries would be due by now.
  for (int i = 0; i < 10; ++i) {
    w.clock().Advance(std::chrono::hours(7));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  std::map<std::string, int> by_id;
  std::set<std::string> to;
  for (const auto& m : Convocations(sink)) {
    ++by_id[m[1]];
    to.insert(m[0]);
  }
  EXPECT_EQ(to, expected);
  EXPECT_EQ(by_id.size(), expected.size());
  for (const auto& [id, n] : by_id) EXPECT_EQ(n, 1) << id;
}

// The secretariat's list of notifications (GET .../notifications) shows a convocation the
// relay refused as retrying, with its attempts counted and the next one due, then as sent
// once the relay is back.
TEST(NotifySmtpTest, AFailedDeliveryIsListedAsRetryingWithItsAttemptsThenAsSent) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  SmtpSink sink(w.dir() + "/smtp");
  const int port = sink.Start();
  ASSERT_GT(port, 0);
  sink.Stop();  // the relay is down
  UseSmtp(w, port);
  const int64_t session = Convene(w);
  const std::string path = "/api/secretariats/" + std::to_string(w.secretariat) +
                           "/notifications?kind=session.convened&session_id=" + std::to_string(session);
  const int64_t facilitator = w.person("facilitator").id;
  // The facilitator's own convocation, as the list shows it.
  auto mine = [&](const std::string& field) {
    Reply r = w.As("facilitator").Get(path);
    EXPECT_EQ(r.status, 200) << Describe(r);
    for (int i = 0; i < r.Size("notifications"); ++i) {
      const std::string p = "notifications[" + std::to_string(i) + "].";
      if (r.Int(p + "recipient.person_id") == facilitator) return r.Str(p + field);
    }
    return std::string("absent");
  };
  ASSERT_TRUE(WaitUntil([&] { return mine("state") == "retrying" && std::stoi(mine("attempts")) >= 2; }, 60,
                        [&] { w.clock().Advance(std::chrono::minutes(10)); }))
      << mine("state") << " " << mine("attempts");
  EXPECT_NE(mine("next_attempt_at"), "");
  EXPECT_EQ(mine("sent_at"), "");
  EXPECT_EQ(sink.Count(), 0);
  // The relay comes back: the list says sent, after more than one attempt.
  ASSERT_EQ(sink.Start(port), port);
  ASSERT_TRUE(WaitUntil([&] { return mine("state") == "sent"; }, 90,
                        [&] { w.clock().Advance(std::chrono::hours(1)); }))
      << mine("state");
  EXPECT_GE(std::stoi(mine("attempts")), 3);
  EXPECT_NE(mine("sent_at"), "");
  EXPECT_EQ(mine("next_attempt_at"), "");
}

// A relay that requires STARTTLS (a certificate from a local CA the test makes with openssl)
// and AUTH after it: with a wrong password every attempt fails with the stable code
// notify.smtp_auth_failed and is retried by the outbox's policy (nothing is dropped or
// sent); once the password is right, every convocation arrives once, over TLS, authenticated.
TEST(NotifySmtpTest, StartTlsAndAuthDeliverAndAWrongPasswordIsRetriedNotLost) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string pki = w.dir() + "/pki";
  ASSERT_TRUE(MakeDirs(pki, 0700).ok());
  auto openssl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "openssl");
    CommandResult r = RunCommand(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
           pki + "/ca.key", "-out", pki + "/ca.pem", "-days", "3", "-subj", "/CN=Rubrica SMTP Test CA"});
  openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", pki + "/relay.key",
           "-out", pki + "/relay.csr", "-subj", "/CN=127.0.0.1"});
  ASSERT_TRUE(WriteFileAtomic(pki + "/ext.cnf", "subjectAltName=IP:127.0.0.1,DNS:127.0.0.1\n").ok());
  openssl({"x509", "-req", "-in", pki + "/relay.csr", "-CA", pki + "/ca.pem", "-CAkey", pki + "/ca.key",
           "-CAcreateserial", "-out", pki + "/relay.pem", "-days", "3", "-extfile", pki + "/ext.cnf"});
  ASSERT_FALSE(::testing::Test::HasFailure());

  SmtpSink sink(w.dir() + "/smtp", {"--tls", pki + "/relay.pem", pki + "/relay.key", "--auth", "rubrica",
                                    "clave-de-prueba-2026"});
  const int port = sink.Start();
  ASSERT_GT(port, 0);
  w.options.config_flags["smtp.starttls"] = "required";
  w.options.config_flags["smtp.ca_file"] = pki + "/ca.pem";
  w.options.config_flags["smtp.user"] = "rubrica";
  w.options.config_flags["smtp.password"] = "no-es-la-clave";
  UseSmtp(w, port);
  Convene(w);

  const std::string db = w.data_dir() + "/rubrica.db";
  auto sql = [&](const std::string& q) {
    CommandResult r = RunCommand({"sqlite3", "-readonly", db, q});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find_last_not_of('\n') + 1);
  };
  const std::string convened = "FROM outbox_messages WHERE event = 'session.convened'";
  // Every convocation tried at least twice, each attempt refused for the credentials.
  ASSERT_TRUE(WaitUntil([&] { return std::atoi(sql("SELECT COALESCE(MIN(attempts), 0) " + convened).c_str()) >= 2; },
                        90, [&] { w.clock().Advance(std::chrono::minutes(30)); }))
      << sql("SELECT id, state, attempts, last_error " + convened);
  EXPECT_EQ(sql("SELECT COUNT(*) " + convened + " AND state <> 'pending'"), "0");
  EXPECT_EQ(sql("SELECT COUNT(*) FROM outbox_attempts a JOIN outbox_messages m ON m.id = a.message_id "
                "WHERE m.event = 'session.convened' AND (a.ok = 1 OR a.detail NOT LIKE 'notify.smtp_auth_failed: SMTP 535%')"),
            "0")
      << sql("SELECT a.detail FROM outbox_attempts a LIMIT 3");
  EXPECT_EQ(sink.Count(), 0);

  // The operator fixes the password: everything waiting arrives, once, over TLS, with AUTH.
  w.options.config_flags["smtp.password"] = "clave-de-prueba-2026";
  w.StopService();
  w.StartService();
  w.Relogin();
  const auto expected = MemberEmails(w);
  ASSERT_TRUE(WaitUntil([&] { return Convocations(sink).size() >= expected.size(); }, 90,
                        [&] { w.clock().Advance(std::chrono::hours(1)); }))
      << "received " << sink.Count() << "\n" << sql("SELECT id, state, attempts, last_error " + convened);
  for (int i = 0; i < 5; ++i) {
    w.clock().Advance(std::chrono::hours(7));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  std::map<std::string, int> by_id;
  for (const auto& m : Convocations(sink)) ++by_id[m[1]];
  EXPECT_EQ(by_id.size(), expected.size());
  for (const auto& [id, n] : by_id) EXPECT_EQ(n, 1) << id;
  for (const auto& f : sink.Files()) {
    auto text = ReadFile(f);
    ASSERT_TRUE(text.ok());
    EXPECT_NE(text->find("X-Sink-TLS: yes\r\n"), std::string::npos) << f;
    EXPECT_NE(text->find("X-Sink-Auth: rubrica\r\n"), std::string::npos) << f;
  }
  EXPECT_EQ(sql("SELECT COUNT(*) " + convened + " AND state <> 'sent'"), "0");
}

TEST(NotifyWebhookTest, AReceiverGetsEachEventOnceSignedAndAFailingOneGetsRetriesInTheLog) {
  WorldOptions o;
  o.config_flags["webhooks.allow_http_loopback"] = "true";
  ApiWorld w(o);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string log = w.dir() + "/webhooks.log";
  const std::string secret_file = w.dir() + "/webhook.secret";
  ChildProcess receiver;
  ASSERT_TRUE(receiver.Start({kPython, Peer("webhook_receiver.py"), log, secret_file, "2"}));
  const std::string ready = receiver.WaitForLine("ready", 30);
  ASSERT_FALSE(ready.empty()) << receiver.output();
  const std::string url = "http://127.0.0.1:" + ready.substr(ready.find("ready") + 6) + "/rubrica";
  const std::string base = "/api/secretariats/" + std::to_string(w.secretariat) + "/webhooks";
  Client f = w.As("facilitator");
  // Targets an attacker would like the service to call are refused.
  for (const char* bad : {"http://10.0.0.7/hook", "https://169.254.169.254/latest/meta-data",
                          "ftp://127.0.0.1/x", "https://user:pw@example.invalid/"}) {
    Reply r = f.Post(base, "{\"url\":" + Q(bad) + ",\"events\":[\"session.convened\"]}");
    EXPECT_EQ(r.status, 400) << bad << " " << Describe(r);
    EXPECT_EQ(r.Code(), "notify.bad_webhook_url") << bad;
  }
  EXPECT_EQ(f.Post(base, "{\"url\":" + Q(url) + ",\"events\":[\"acta.eaten\"]}").Code(),
            "notify.unknown_event");
  // A member without a managing role cannot subscribe.
  EXPECT_EQ(w.As("titular2").Post(base, "{\"url\":" + Q(url) + ",\"events\":[\"session.convened\"]}").status,
            403);
  Reply sub = f.Post(base, "{\"url\":" + Q(url) + ",\"events\":[\"session.convened\",\"acta.approved\"]}");
  ASSERT_EQ(sub.status, 201) << Describe(sub);
  ASSERT_TRUE(WriteFileAtomic(secret_file, sub.Str("secret")).ok());
  EXPECT_EQ(f.Get(base).Str("webhooks[0].secret"), "") << "the secret is shown once";

  Convene(w);
  auto lines = [&] {
    auto text = ReadFile(log);
    return text.ok() ? Lines(*text) : std::vector<std::string>{};
  };
  auto delivered = [&] {
    for (const auto& l : lines()) {
      if (l.rfind("200 ", 0) == 0) return true;
    }
    return false;
  };
  ASSERT_TRUE(WaitUntil(delivered, 60, [&] { w.clock().Advance(std::chrono::minutes(30)); }));
  for (int i = 0; i < 5; ++i) {  // later retries would show up as more lines
    w.clock().Advance(std::chrono::hours(7));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  const auto got = lines();
  ASSERT_EQ(got.size(), 3u) << "two failures, then the delivery";
  const auto first = SplitFields(got[0], ' ');
  for (size_t i = 0; i < got.size(); ++i) {
    const auto f4 = SplitFields(got[i], ' ');
    ASSERT_EQ(f4.size(), 4u) << got[i];
    EXPECT_EQ(f4[0], i < 2 ? "500" : "200");
    EXPECT_EQ(f4[1], first[1]) << "the same delivery id on every attempt";
    EXPECT_EQ(f4[2], "session.convened");
    EXPECT_EQ(f4[3], "1") << "HMAC valid on attempt " << i + 1;
  }
  w.Relogin();  // the clock moved past the session's 8 hours
  Reply d = w.As("facilitator").Get(base + "/" + sub.Str("id") + "/deliveries");
  ASSERT_EQ(d.status, 200) << Describe(d);
  ASSERT_EQ(d.Size("deliveries"), 1) << d.body;
  EXPECT_EQ(d.Str("deliveries[0].id"), first[1]);
  EXPECT_EQ(d.Str("deliveries[0].state"), "sent");
  EXPECT_EQ(d.Int("deliveries[0].attempts"), 3);
  ASSERT_EQ(d.Size("deliveries[0].log"), 3);
  EXPECT_FALSE(d.Bool("deliveries[0].log[0].ok"));
  EXPECT_EQ(d.Str("deliveries[0].log[0].detail"), "HTTP 500 Internal Server Error");
  EXPECT_FALSE(d.Bool("deliveries[0].log[1].ok"));
  EXPECT_TRUE(d.Bool("deliveries[0].log[2].ok"));
}

}  // namespace
}  // namespace rubrica::server::testing
