#include "rubrica/store/blob_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::store {
namespace {

TEST(BlobStoreTest, PutGetRoundTripIsContentAddressed) {
  testing::TempDir dir;
  auto bs = BlobStore::Open(dir / "blobs");
  ASSERT_TRUE(bs.ok());
  auto id = bs->Put("acta de instalación");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, Sha256Hex("acta de instalación"));
  EXPECT_TRUE(bs->Contains(*id));
  auto back = bs->Get(*id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "acta de instalación");
  // Idempotent.
  EXPECT_EQ(*bs->Put("acta de instalación"), *id);
}

TEST(BlobStoreTest, OneFlippedByteIsReportedAsCorruptAndNeverReturned) {
  testing::TempDir dir;
  auto bs = BlobStore::Open(dir / "blobs");
  ASSERT_TRUE(bs.ok());
  std::string data(10000, 'a');
  auto id = bs->Put(data);
  ASSERT_TRUE(id.ok());
  const std::string path = bs->PathFor(*id);
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  int fd = open(path.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(pwrite(fd, "b", 1, 5000), 1);
  close(fd);
  auto got = bs->Get(*id);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), "store.blob_corrupt");
  EXPECT_EQ(got.status().kind(), ErrorKind::kDataLoss);
  EXPECT_NE(got.status().message().find(*id), std::string::npos);
  // Putting the good bytes again repairs it.
  ASSERT_TRUE(bs->Put(data).ok());
  EXPECT_TRUE(bs->Get(*id).ok());
}

TEST(BlobStoreTest, CrashBetweenTempWriteAndRenameLeavesNoVisibleBlob) {
  testing::TempDir dir;
  const std::string data = "firmas";
  const std::string id = Sha256Hex(data);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    BlobStoreOptions opts;
    opts.before_rename = [](const std::string&) { _exit(0); };  // the "crash"
    auto bs = BlobStore::Open(dir / "blobs", opts);
    if (!bs.ok()) _exit(2);
    (void)bs->Put(data);
    _exit(3);  // not reached when the hook fires
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  // The temp file exists on disk, but no blob is visible.
  bool saw_temp = false;
  for (const auto& p : ListFilesRecursive(dir / "blobs")) {
    saw_temp = saw_temp || p.find("/.tmp-") != std::string::npos;
  }
  EXPECT_TRUE(saw_temp);
  auto bs = BlobStore::Open(dir / "blobs");  // reopening cleans up the leftover
  ASSERT_TRUE(bs.ok());
  EXPECT_FALSE(bs->Contains(id));
  EXPECT_EQ(bs->Get(id).status().code(), "store.blob_not_found");
  EXPECT_TRUE(ListFilesRecursive(dir / "blobs").empty());
}

TEST(BlobStoreTest, RejectsBadIdsAndOversizedBlobs) {
  testing::TempDir dir;
  BlobStoreOptions opts;
  opts.max_blob_bytes = 10;
  auto bs = BlobStore::Open(dir / "blobs", opts);
  ASSERT_TRUE(bs.ok());
  EXPECT_EQ(bs->Get("../../etc/passwd").status().code(), "store.bad_blob_id");
  EXPECT_EQ(bs->Put(std::string(11, 'x')).status().code(), "store.blob_too_large");
}

}  // namespace
}  // namespace rubrica::store
