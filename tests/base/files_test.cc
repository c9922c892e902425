#include "rubrica/base/files.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

TEST(FilesTest, WhatRubricaWritesIsItsOwnersAlone) {
  testing::TempDir dir;
  ASSERT_TRUE(MakeDirs(dir / "a/b").ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "a/b/f", "secreto").ok());
  struct stat st;
  ASSERT_EQ(::stat((dir / "a").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir / "a/b/f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(FilesTest, APrivateDirectoryIsRequiredAndAnOpenTreeIsClosed) {
  testing::TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0700), 0);
  EXPECT_TRUE(RequirePrivateDirectory(dir.path()).ok());
  for (unsigned open_mode : {0750u, 0705u, 0755u, 0777u}) {
    ASSERT_EQ(::chmod(dir.path().c_str(), open_mode), 0);
    Status s = RequirePrivateDirectory(dir.path());
    EXPECT_EQ(s.code(), "base.dir_not_private") << std::oct << open_mode;
    EXPECT_EQ(s.kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(s.message().find("chmod 700"), std::string::npos) << s.message();
  }
  // A tree left open by an older version: every entry loses its group and other bits,
  // symbolic links are not followed.
  ASSERT_TRUE(MakeDirs(dir / "sub", 0755).ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "sub/f", "x", {.mode = 0644}).ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "g", "x", {.mode = 0604}).ok());
  testing::TempDir outside;
  ASSERT_TRUE(WriteFileAtomic(outside / "target", "x", {.mode = 0644}).ok());
  ASSERT_EQ(::symlink((outside / "target").c_str(), (dir / "link").c_str()), 0);
  auto changed = MakePrivateTree(dir.path());
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 4);  // the root, sub, sub/f, g
  for (const char* p : {"", "/sub", "/sub/f", "/g"}) {
    struct stat st;
    ASSERT_EQ(::stat((dir.path() + p).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0u) << p;
  }
  struct stat st;
  ASSERT_EQ(::stat((outside / "target").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_TRUE(RequirePrivateDirectory(dir.path()).ok());
  EXPECT_EQ(*MakePrivateTree(dir.path()), 0);
}

}  // namespace
}  // namespace rubrica
