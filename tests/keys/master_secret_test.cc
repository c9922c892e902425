#include "rubrica/keys/master_secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>

#include "keys_test_support.h"
#include "rubrica/base/files.h"

namespace rubrica::keys {
namespace {

using namespace testing;

unsigned Mode(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(MasterSecretTest, CreatesAPrivateRandomSecretOnceAndReadsItBack) {
  TempDir dir;
  const std::string path = DefaultMasterKeyPath(dir.path());
  EXPECT_EQ(path, dir.path() + "/secrets/master.key");
  auto first = LoadOrCreateMasterSecret(path, true);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->size(), 32u);
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(dir.path() + "/secrets"), 0700u);
  auto again = LoadOrCreateMasterSecret(path, true);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
  TempDir other;
  auto different = LoadOrCreateMasterSecret(DefaultMasterKeyPath(other.path()), true);
  ASSERT_TRUE(different.ok());
  EXPECT_NE(*different, *first);
}

TEST(MasterSecretTest, ConcurrentFirstStartsAgreeOnOneSecret) {
  for (int round = 0; round < 5; ++round) {
    TempDir dir;
    const std::string path = DefaultMasterKeyPath(dir.path());
    std::vector<std::string> seen(8);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < seen.size(); ++i) {
      threads.emplace_back([&, i] {
        auto s = LoadOrCreateMasterSecret(path, true);
        if (s.ok()) seen[i] = *s;
      });
    }
    for (auto& t : threads) t.join();
    for (const auto& s : seen) EXPECT_EQ(s, Slurp(path));
    EXPECT_EQ(ListFilesRecursive(dir / "secrets").size(), 1u) << "no temporary file left behind";
  }
}

TEST(MasterSecretTest, AcceptsAnExternalHexSecretAndNeverCreatesIt) {
  TempDir dir;
  const std::string path = dir / "rubrica-master.hex";
  EXPECT_EQ(LoadOrCreateMasterSecret(path, false).status().code(), "keys.master_secret_missing");
  EXPECT_FALSE(PathExists(path));
  Spit(path, std::string(64, 'a') + "\n");  // as `openssl rand -hex 32` writes it
  auto secret = LoadOrCreateMasterSecret(path, false);
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  EXPECT_EQ(*secret, std::string(32, '\xaa'));
}

TEST(MasterSecretTest, RefusesFilesOfTheWrongShape) {
  TempDir dir;
  for (const std::string& content : {std::string("short"), std::string(64, 'z'), std::string(33, 'x'),
                                    std::string()}) {
    SCOPED_TRACE(content);
    Spit(dir / "m.key", content);
    EXPECT_EQ(LoadOrCreateMasterSecret(dir / "m.key", false).status().code(), "keys.bad_master_secret");
  }
}

}  // namespace
}  // namespace rubrica::keys
