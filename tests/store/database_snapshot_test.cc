#include "rubrica/store/database_snapshot.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/store/database.h"
#include "support/test_support.h"

namespace rubrica::store {
namespace {

using rubrica::testing::TempDir;

Result<int64_t> Scalar(Database& db, const std::string& sql) {
  ASSIGN_OR_RETURN(Transaction tx, db.BeginRead());
  ASSIGN_OR_RETURN(Statement st, tx.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Error(ErrorKind::kInternal, "test.no_row", sql);
  return st.ColumnInt(0);
}

// A writer commits pairs of rows (debit and credit) as fast as it can while snapshots are
// taken: every snapshot holds whole pairs, never half of one.
TEST(DatabaseSnapshotTest, ASnapshotTakenWhileAnotherConnectionWritesHoldsWholeTransactions) {
  TempDir dir;
  auto db = Database::Open(dir / "live.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate("t", {{1, "ledger", "CREATE TABLE ledger(id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);"}}).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> committed{0};
  std::thread writer([&] {
    while (!stop) {
      auto tx = (*db)->Begin();
      ASSERT_TRUE(tx.ok());
      ASSERT_TRUE(tx->Exec("INSERT INTO ledger(amount) VALUES (100); INSERT INTO ledger(amount) VALUES (-100);").ok());
      ASSERT_TRUE(tx->Commit().ok());
      ++committed;
    }
  });
  while (committed < 20) std::this_thread::yield();
  for (int i = 0; i < 5; ++i) {
    const std::string snap = dir / ("snap" + std::to_string(i) + ".db");
    Status s = SnapshotDatabase(dir / "live.db", snap);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_TRUE(CheckDatabaseIntegrity(snap).ok());
    struct stat st;
    ASSERT_EQ(::stat(snap.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_FALSE(PathExists(snap + "-wal"));
    auto copy = Database::Open(snap);
    ASSERT_TRUE(copy.ok());
    auto rows = Scalar(**copy, "SELECT count(*) FROM ledger");
    auto sum = Scalar(**copy, "SELECT coalesce(sum(amount), 0) FROM ledger");
    ASSERT_TRUE(rows.ok() && sum.ok());
    EXPECT_GT(*rows, 0);
    EXPECT_EQ(*rows % 2, 0);
    EXPECT_EQ(*sum, 0);
  }
  stop = true;
  writer.join();
}

TEST(DatabaseSnapshotTest, RefusesToOverwriteAndReportsAMissingSource) {
  TempDir dir;
  EXPECT_EQ(SnapshotDatabase(dir / "absent.db", dir / "s.db").kind(), ErrorKind::kNotFound);
  ASSERT_TRUE(Database::Open(dir / "live.db").ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "s.db", "keep").ok());
  EXPECT_EQ(SnapshotDatabase(dir / "live.db", dir / "s.db").code(), "store.snapshot_exists");
  EXPECT_EQ(*ReadFile(dir / "s.db"), "keep");
}

TEST(DatabaseSnapshotTest, ADamagedPageFailsTheIntegrityCheck) {
  TempDir dir;
  {
    auto db = Database::Open(dir / "d.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Migrate("t", {{1, "rows", "CREATE TABLE r(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX r_v ON r(v);"}}).ok());
    auto tx = (*db)->Begin();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 2000; ++i) {
      auto st = tx->Prepare("INSERT INTO r(v) VALUES (?)");
      ASSERT_TRUE(st.ok());
      ASSERT_TRUE(st->Bind(1, "value " + std::to_string(i * 7919 % 2000)).Run().ok());
    }
    ASSERT_TRUE(tx->Commit().ok());
  }
  ASSERT_TRUE(CheckDatabaseIntegrity(dir / "d.db").ok());
  std::string bytes = *ReadFile(dir / "d.db");
  ASSERT_GT(bytes.size(), 5u * 4096);
  // The header of every b-tree page after the first (which lists the tables) overwritten.
  for (size_t page = 4096; page < bytes.size(); page += 4096) {
    for (size_t i = page; i < page + 16; ++i) bytes[i] = static_cast<char>(0xA5);
  }
  ASSERT_TRUE(WriteFileAtomic(dir / "d.db", bytes).ok());
  Status s = CheckDatabaseIntegrity(dir / "d.db");
  EXPECT_EQ(s.code(), "store.corrupt") << s.ToString();
  EXPECT_EQ(s.kind(), ErrorKind::kDataLoss);
}

TEST(DatabaseSnapshotTest, ReferencedBlobIdsAreTheHexNamesThatHoldABlob) {
  TempDir dir;
  auto blobs = BlobStore::Open(dir / "blobs");
  ASSERT_TRUE(blobs.ok());
  const std::string in_column = *blobs->Put("a PDF revision");
  const std::string in_json = *blobs->Put("a receipt");
  const std::string unreferenced = *blobs->Put("an orphan");
  const std::string hash_only = Sha256Hex("an audit payload");  // no blob of that name
  {
    auto db = Database::Open(dir / "d.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Migrate("t", {{1, "t", "CREATE TABLE doc(id INTEGER PRIMARY KEY, blob_id TEXT, meta TEXT);"}}).ok());
    auto tx = (*db)->Begin();
    ASSERT_TRUE(tx.ok());
    auto st = tx->Prepare("INSERT INTO doc(blob_id, meta) VALUES (?, ?)");
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(st->Bind(1, in_column).Bind(2, "{\"receipt\":\"" + in_json + "\",\"hash\":\"" + hash_only + "\"}").Run().ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto ids = ReferencedBlobIds(dir / "d.db", *blobs);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  std::vector<std::string> expected = {in_column, in_json};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(*ids, expected);
  (void)unreferenced;
}

}  // namespace
}  // namespace rubrica::store
