#include "rubrica/base/files.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "support/test_support.h"

namespace rubrica {
namespace {

TEST(FilesTest, AtomicWriteThenRead) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "a.txt", "hola").ok());
  auto r = ReadFile(dir / "a.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "hola");
  ASSERT_TRUE(WriteFileAtomic(dir / "a.txt", "adiós").ok());
  EXPECT_EQ(*ReadFile(dir / "a.txt"), "adiós");
  EXPECT_EQ(ListFilesRecursive(dir.path()).size(), 1u);  // no temp file left behind
}

TEST(FilesTest, ReadFileLimitsAndMissing) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "big", std::string(100, 'x')).ok());
  EXPECT_EQ(ReadFile(dir / "big", 10).status().kind(), ErrorKind::kTooLarge);
  EXPECT_EQ(ReadFile(dir / "nope").status().kind(), ErrorKind::kNotFound);
}

// A full disk, simulated with RLIMIT_FSIZE in a child process: the write fails with
// base.disk_full and the previous content of the file survives.
TEST(FilesTest, DiskFullKeepsOldFile) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "f", "old").ok());
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {1024, 1024};
    setrlimit(RLIMIT_FSIZE, &lim);
    Status s = WriteFileAtomic(dir / "f", std::string(4096, 'n'));
    _exit(s.code() == "base.disk_full" ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "child did not see base.disk_full";
  EXPECT_EQ(*ReadFile(dir / "f"), "old");
  EXPECT_EQ(ListFilesRecursive(dir.path()).size(), 1u);
}

TEST(FilesTest, CheckWritableDirRejectsUncreatable) {
  // Works for root too: nothing can be created under /proc.
  EXPECT_FALSE(CheckWritableDir("/proc/rubrica-data").ok());
}

TEST(FilesTest, CheckWritableDirRejectsAFile) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "file", "x").ok());
  EXPECT_FALSE(CheckWritableDir(dir / "file").ok());
  EXPECT_FALSE(CheckWritableDir(dir / "file/sub").ok());
}

}  // namespace
}  // namespace rubrica
