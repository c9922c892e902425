// One `rubrica` process per data directory, and a data directory nobody else can read: the
// real binary, a real second process.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>

#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica {
namespace {

using testing::RubricaBinary;
using testing::RunCommand;

void ExpectOneLineRefusal(const testing::CommandResult& r, const std::string& code, const std::string& also) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(code), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(also), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "exactly one line: " << r.err;
}

TEST(InstanceTest, ASecondWriterOnALockedDataDirectoryExits2NamingTheHolder) {
  testing::TempDir dir;
  const std::string data = dir / "data";
  testing::ChildProcess server;
  ASSERT_TRUE(server.Start({RubricaBinary(), "serve", "--data-dir", data, "--port", "0"}));
  ASSERT_FALSE(server.WaitForLine("\"server.started\"", 120).empty()) << server.output();
  const std::string holder = "process " + std::to_string(server.pid()) + " (rubrica serve)";

  struct stat before;
  ASSERT_EQ(::stat((data + "/rubrica.db").c_str(), &before), 0);
  const auto db_before = ReadFile(data + "/rubrica.db");
  ASSERT_TRUE(db_before.ok());
  // Another service on another port, and the writing verbs: refused, one line, exit 2.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"serve", "--data-dir", data, "--port", "0"},
        std::vector<std::string>{"init", "--data-dir", data},
        std::vector<std::string>{"demo", "--data-dir", data}}) {
    SCOPED_TRACE(args[0]);
    std::vector<std::string> argv = {RubricaBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    ExpectOneLineRefusal(RunCommand(argv, {}, 60), "base.dir_locked", holder);
  }
  // Nothing was written by the refused ones.
  EXPECT_EQ(*ReadFile(data + "/rubrica.db"), *db_before);
  // A reader goes on beside the service.
  auto audit = RunCommand({RubricaBinary(), "audit", "verify", "--data-dir", data, "--json"}, {}, 60);
  EXPECT_EQ(audit.exit_code, 0) << audit.err;

  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30), 0) << server.output();

  // What the service wrote is its owner's alone.
  int checked = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(data)) {
    struct stat st;
    ASSERT_EQ(::lstat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0u) << e.path() << " mode " << std::oct << (st.st_mode & 0777);
    ++checked;
  }
  EXPECT_GT(checked, 5);

  // Once it stopped, the next one starts.
  testing::ChildProcess next;
  ASSERT_TRUE(next.Start({RubricaBinary(), "serve", "--data-dir", data, "--port", "0"}));
  EXPECT_FALSE(next.WaitForLine("\"server.started\"", 120).empty()) << next.output();
  next.Signal(SIGTERM);
  EXPECT_EQ(next.Wait(30), 0) << next.output();
}

TEST(InstanceTest, ServeRefusesADataDirectoryOthersCanRead) {
  testing::TempDir dir;
  const std::string data = dir / "data";
  ASSERT_TRUE(MakeDirs(data).ok());
  for (unsigned mode : {0750u, 0705u, 0755u}) {
    SCOPED_TRACE(mode);
    ASSERT_EQ(::chmod(data.c_str(), mode), 0);
    ExpectOneLineRefusal(RunCommand({RubricaBinary(), "serve", "--data-dir", data, "--port", "0"}, {}, 60),
                         "base.dir_not_private", "chmod 700");
    EXPECT_FALSE(PathExists(data + "/rubrica.db"));  // refused before anything is created
  }
}

}  // namespace
}  // namespace rubrica
