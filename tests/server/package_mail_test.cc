// The monthly package by e-mail (issue 15): when the agency's address is an e-mail address,
// the service sends the package as an attachment through the notifications' outbox and SMTP
// sender, to a real SMTP server (Debian's python3-aiosmtpd, peers/smtp_sink.py) that the
// test stops for a while. What arrived is read with Python's email package and `unzip -t`,
// code Rubrica did not write.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api_world.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "smtp_sink.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::CommandResult;
using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;
using rubrica::testing::WaitUntil;

constexpr const char* kAgencyMail = "recepcion.paquetes@transparencia-prueba.example";

// The package's e-mails among what the sink received: for each, its To, Subject,
// Message-ID and attachments' types and names, one line each; every attachment is written
// to <out>-<n>.
std::vector<std::string> PackageMails(const SmtpSink& sink, const std::string& out) {
  const char* script =
      "import email, email.policy, sys\n"
      "n = 0\n"
      "for f in sys.argv[2:]:\n"
      "    m = email.message_from_binary_file(open(f, 'rb'), policy=email.policy.default)\n"
      "    if not str(m['Message-ID']).startswith('<agency.'): continue\n"
      "    parts = []\n"
      "    for a in m.iter_attachments():\n"
      "        n += 1\n"
      "        open(sys.argv[1] + '-' + str(n), 'wb').write(a.get_content())\n"
      "        parts.append(a.get_content_type() + ' ' + a.get_filename())\n"
      "    body = m.get_body(preferencelist=('plain',)).get_content()\n"
      "    print(m['To'].addresses[0].addr_spec + '|' + str(m['Subject']) + '|' + str(m['Message-ID']) + '|' +\n"
      "          ','.join(parts) + '|' + body.replace('\\n', ' '))\n";
  std::vector<std::string> argv = {kPython, "-c", script, out};
  for (const auto& f : sink.Files()) argv.push_back(f);
  CommandResult r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  size_t at = 0;
  for (size_t nl; (nl = r.out.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(r.out.substr(at, nl - at));
  }
  return lines;
}

TEST(PackageMailTest, AnAgencyByEmailGetsThePackageAttachedOnceAfterTheRelayComesBack) {
  TempDir tmp;
  SmtpSink sink(tmp / "smtp");
  const int port = sink.Start();
  ASSERT_GT(port, 0);
  sink.Stop();  // the relay is down when the month completes
  WorldOptions o;
  o.agency_address = std::string("mailto:") + kAgencyMail;
  ApiWorld w(o);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kFootSignature);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.UseSmtp(port);  // from here on, mail goes through the SMTP server
  w.AdvanceTo(Stage::kArchived);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  // Built and queued by itself (no agency trust configured: an e-mail needs none); the
  // relay refuses connections, the attempts fail and are retried.
  auto failed = [&] {
    return std::atoi(Sql(w, "SELECT count(*) FROM outbox_attempts WHERE message_id LIKE 'agency:%' AND ok = 0;")
                         .c_str());
  };
  ASSERT_TRUE(WaitUntil([&] { return failed() >= 2; }, 120, [&] { w.clock().Advance(std::chrono::minutes(5)); }))
      << Sql(w, "SELECT id, channel, state, last_error FROM outbox_messages;");
  const std::string base = "/api/secretariats/" + std::to_string(w.secretariat) + "/packages";
  Reply list = w.As("garante").Get(base + "?month=2026-02");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Size("packages"), 1) << list.body;
  const std::string sha = list.Str("packages[0].sha256");
  EXPECT_EQ(Sql(w, "SELECT channel || ' ' || destination || ' ' || state FROM outbox_messages WHERE id = 'agency:" +
                       sha + "';"),
            std::string("mail ") + kAgencyMail + " pending\n");
  EXPECT_EQ(sink.Count(), 0);

  // The relay comes back on the same port: the package arrives.
  ASSERT_EQ(sink.Start(port), port);
  const std::string state_sql = "SELECT state FROM outbox_messages WHERE id = 'agency:" + sha + "';";
  ASSERT_TRUE(WaitUntil([&] { return Sql(w, state_sql) == "sent\n"; }, 120,
                        [&] { w.clock().Advance(std::chrono::minutes(30)); }))
      << Sql(w, "SELECT state, last_error FROM outbox_messages WHERE channel = 'mail';");
  // Asked again on demand, and later retries due: nothing more is sent.
  Reply again = w.As("facilitator").Post(base + "/" + sha + "/send");
  EXPECT_EQ(again.status, 202) << again.body;
  EXPECT_FALSE(again.Bool("queued_now")) << again.body;
  EXPECT_EQ(again.Str("outbox_state"), "sent") << again.body;
  for (int i = 0; i < 10; ++i) {
    w.clock().Advance(std::chrono::hours(7));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  w.Relogin();  // the sessions expired on the way
  // Handed to the relay: the package is `sent` (no receipt comes back on the wire).
  Reply month = w.As("facilitator").Get(base + "?month=2026-02");
  ASSERT_EQ(month.Size("packages"), 1) << month.body;
  EXPECT_EQ(month.Str("packages[0].state"), "sent") << month.body;
  const auto mails = PackageMails(sink, tmp / "adjunto");
  ASSERT_EQ(mails.size(), 1u) << "exactly once";
  EXPECT_EQ(mails[0].substr(0, mails[0].find('|')), kAgencyMail) << mails[0];
  EXPECT_NE(mails[0].find("|Paquete mensual de actas de febrero de 2026"), std::string::npos) << mails[0];
  EXPECT_NE(mails[0].find("|<agency." + sha + "@rubrica>|"), std::string::npos) << mails[0];
  const std::string file = "paquete-" + std::to_string(w.secretariat) + "-2026-02.zip";
  EXPECT_NE(mails[0].find("|application/zip " + file + "|"), std::string::npos) << mails[0];
  EXPECT_NE(mails[0].find(sha), mails[0].rfind(sha)) << "the body names the package's SHA-256: " << mails[0];
  // The attachment is the package, byte for byte; unzip accepts it.
  auto bytes = ReadFile(tmp / "adjunto-1", 1 << 30);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(Sha256Hex(*bytes), sha);
  CommandResult unzip = RunCommand({"unzip", "-t", tmp / "adjunto-1"});
  EXPECT_EQ(unzip.exit_code, 0) << unzip.out << unzip.err;
  EXPECT_NE(unzip.out.find("manifest.xml"), std::string::npos) << unzip.out;
  // The e-mail is not the receipt: the package waits for it, the acta is not delivered
  // until the receipt is recorded (POST /api/actas/{id}/delivery).
  EXPECT_EQ(w.As("facilitator").Get("/api/actas/" + std::to_string(w.acta)).Str("state"), "archived");
  EXPECT_NE(Sql(w, "SELECT payload FROM audit_log WHERE action = 'package.send';")
                .find(std::string("\"destination\":\"mailto:") + kAgencyMail + "\""),
            std::string::npos);
}

}  // namespace
}  // namespace rubrica::server::testing
