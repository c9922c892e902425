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
