#include "rubrica/base/directory_lock.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>

#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica {
namespace {

TEST(DirectoryLockTest, OneHolderAtATimeAndTheRefusalNamesIt) {
  testing::TempDir dir;
  auto first = DirectoryLock::Acquire(dir.path(), "rubrica serve");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  struct stat st;
  ASSERT_EQ(::stat(first->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // Another process is refused, told the holder's pid and what it runs.
  const pid_t me = ::getpid();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto second = DirectoryLock::Acquire(dir.path(), "rubrica demo");
    const bool named = !second.ok() && second.status().code() == "base.dir_locked" &&
                       second.status().kind() == ErrorKind::kInvalidArgument &&
                       second.status().message().find("process " + std::to_string(me) + " (rubrica serve)") !=
                           std::string::npos;
    ::_exit(named ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the second process was not refused with the holder's pid";

  // In the same process too (flock is per open file).
  EXPECT_EQ(DirectoryLock::Acquire(dir.path(), "again").status().code(), "base.dir_locked");

  // Released with its owner, and then free.
  {
    DirectoryLock released = std::move(*first);
  }
  auto third = DirectoryLock::Acquire(dir.path(), "rubrica keys");
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  auto text = ReadFile(third->path());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, std::to_string(me) + "\nrubrica keys\n");
}

TEST(DirectoryLockTest, AHolderThatDiesReleasesTheLock) {
  testing::TempDir dir;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto held = DirectoryLock::Acquire(dir.path(), "crashing");
    if (!held.ok()) ::_exit(1);
    ::_exit(0);  // no destructor runs: the kernel releases it
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(DirectoryLock::Acquire(dir.path(), "next").ok());
}

}  // namespace
}  // namespace rubrica
