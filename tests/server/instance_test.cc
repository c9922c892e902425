// One `rubrica` process per data directory, and a data directory nobody else can read: the
// real binary, a real second process.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "rubrica/base/directory_lock.h"
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
  // A backup is online: it runs beside the service (SQLite's online backup), lock or not.
  auto backup = RunCommand({RubricaBinary(), "backup", "--data-dir", data, "--to", dir / "b.tar"}, {}, 120);
  EXPECT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  // A restore takes the target's lock: onto the served directory it is refused naming the
  // service (before it looks at the directory's content).
  ExpectOneLineRefusal(RunCommand({RubricaBinary(), "restore", dir / "b.tar", "--data-dir", data}, {}, 60),
                       "base.dir_locked", holder);
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

// A restore holds the new directory's lock while it works: a process holding that lock
// keeps it out (base.dir_locked naming the holder, nothing written); once free, the
// restore fills the directory (its lock file aside, it was empty) and a service starts on it.
TEST(InstanceTest, RestoreTakesTheNewDirectorysLock) {
  testing::TempDir dir;
  auto init = RunCommand({RubricaBinary(), "init", "--data-dir", dir / "data"}, {}, 120);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  auto backup = RunCommand(
      {RubricaBinary(), "backup", "--data-dir", dir / "data", "--to", dir / "b.tar", "--include-master-secret"}, {}, 120);
  ASSERT_EQ(backup.exit_code, 0) << backup.err;

  const std::string target = dir / "restored";
  ASSERT_TRUE(MakeDirs(target, 0700).ok());
  {
    auto held = DirectoryLock::Acquire(target, "rubrica serve");
    ASSERT_TRUE(held.ok()) << held.status().ToString();
    ExpectOneLineRefusal(RunCommand({RubricaBinary(), "restore", dir / "b.tar", "--data-dir", target}, {}, 60),
                         "base.dir_locked", "process " + std::to_string(::getpid()) + " (rubrica serve)");
    EXPECT_FALSE(PathExists(target + "/rubrica.db"));
  }
  auto restored = RunCommand({RubricaBinary(), "restore", dir / "b.tar", "--data-dir", target}, {}, 300);
  ASSERT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  EXPECT_TRUE(PathExists(target + "/rubrica.db"));
  // A second restore onto it: now it has content.
  auto again = RunCommand({RubricaBinary(), "restore", dir / "b.tar", "--data-dir", target}, {}, 60);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("backup.target_not_empty"), std::string::npos) << again.err;
  // A failed restore into a directory it created leaves nothing behind.
  ASSERT_TRUE(WriteFileAtomic(dir / "broken.tar", "not a tar file at all").ok());
  auto broken = RunCommand({RubricaBinary(), "restore", dir / "broken.tar", "--data-dir", dir / "fresh"}, {}, 60);
  EXPECT_NE(broken.exit_code, 0);
  EXPECT_FALSE(PathExists(dir / "fresh")) << broken.err;

  testing::ChildProcess server;
  ASSERT_TRUE(server.Start({RubricaBinary(), "serve", "--data-dir", target, "--port", "0"}));
  EXPECT_FALSE(server.WaitForLine("\"server.started\"", 120).empty()) << server.output();
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30), 0) << server.output();
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
