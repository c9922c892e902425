// Runs the real `rubrica` binary.
#include <gtest/gtest.h>
#include <signal.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica {
namespace {

using testing::RubricaBinary;
using testing::RunCommand;

TEST(CliTest, BadConfigStopsStartupWithExitCode2AndOneLine) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "bad.conf", "colour = blue\n").ok());
  struct Case {
    const char* name;
    std::vector<std::string> args;
    const char* key;
  } cases[] = {
      {"unknown key", {"serve", "--data-dir", dir / "d", "--config", dir / "bad.conf"}, "colour"},
      {"port out of range", {"serve", "--data-dir", dir / "d", "--port", "65536"}, "listen.port"},
      {"unwritable data dir", {"serve", "--data-dir", "/proc/nope"}, "data_dir"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> argv = {RubricaBinary()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = RunCommand(argv, {}, 30);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.key), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "exactly one line: " << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(CliTest, InitNamesTheSecretariatInTheCertificatesUntilAMemberHasOne) {
  testing::TempDir dir;
  const std::string data = dir / "data";
  // As `rubrica serve` would leave it: a CA under the default name.
  auto first = RunCommand({RubricaBinary(), "init", "--data-dir", data});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("Local CA created for Secretariado Técnico Local de Gobierno Abierto"),
            std::string::npos)
      << first.out;
  auto before = ReadFile(data + "/trust/ca.pem");
  ASSERT_TRUE(before.ok());
  const std::string name = "Secretariado Técnico Municipal de Gobierno Abierto de Zamora";
  auto renamed = RunCommand({RubricaBinary(), "init", "--data-dir", data, "--secretariat", name});
  ASSERT_EQ(renamed.exit_code, 0) << renamed.err;
  EXPECT_NE(renamed.out.find("Local CA ready for " + name), std::string::npos) << renamed.out;
  auto after = ReadFile(data + "/trust/ca.pem");
  ASSERT_TRUE(after.ok());
  EXPECT_NE(*after, *before) << "a new root under the new name";
  auto subject = RunCommand({"openssl", "x509", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb",
                             "-in", data + "/trust/ca.pem"});
  EXPECT_NE(subject.out.find("O=" + name), std::string::npos) << subject.out;
  // Once a member holds a certificate, the name no longer changes.
  ASSERT_TRUE(WriteFileAtomic(dir / "pin", "246810\n").ok());
  auto enrol = RunCommand({RubricaBinary(), "keys", "enrol", "--data-dir", data, "--holder",
                           "person:1", "--name", "Ana Ejemplo Pérez", "--role", "Titular",
                           "--email", "ana@correo.example", "--until", "2030-01-01T00:00:00Z",
                           "--pin-file", dir / "pin"});
  ASSERT_EQ(enrol.exit_code, 0) << enrol.err;
  auto refused = RunCommand({RubricaBinary(), "init", "--data-dir", data, "--secretariat", "Otro"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("keys.ca_in_use"), std::string::npos) << refused.err;
  auto kept = ReadFile(data + "/trust/ca.pem");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, *after);
}

TEST(CliTest, UnknownCommandAndOptionAreUsageErrors) {
  EXPECT_EQ(RunCommand({RubricaBinary(), "fly"}).exit_code, 2);
  EXPECT_EQ(RunCommand({RubricaBinary(), "init", "--colour", "x"}).exit_code, 2);
  auto help = RunCommand({RubricaBinary(), "help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("rubrica serve"), std::string::npos);
}

TEST(CliTest, ServeAnswersHealthzAndStopsGracefullyOnSigterm) {
  testing::TempDir dir;
  testing::ChildProcess server;
  ASSERT_TRUE(server.Start({RubricaBinary(), "serve", "--data-dir", dir / "data", "--port", "0"}));
  std::string started = server.WaitForLine("\"server.started\"");
  ASSERT_FALSE(started.empty()) << server.output();
  // {"ts":...,"event":"server.started","host":"127.0.0.1","port":NNNNN,...}
  auto p = started.find("\"port\":");
  ASSERT_NE(p, std::string::npos);
  int port = std::stoi(started.substr(p + 7));
  ASSERT_GT(port, 0);

  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, "/healthz");
  session.sendRequest(req);
  Poco::Net::HTTPResponse resp;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(resp), body);
  EXPECT_EQ(resp.getStatus(), 200);
  EXPECT_EQ(body, "{\"status\":\"ok\"}");

  // The request was logged as one JSON object per line.
  EXPECT_FALSE(server.WaitForLine("\"http.request\"").empty());

  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30), 0) << server.output();
  EXPECT_NE(server.output().find("\"server.stopped\""), std::string::npos) << server.output();
}

TEST(CliTest, AuditVerifyOnFreshDataDirectory) {
  testing::TempDir dir;
  auto r = RunCommand({RubricaBinary(), "audit", "verify", "--data-dir", dir / "d", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"ok\":true"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rubrica
