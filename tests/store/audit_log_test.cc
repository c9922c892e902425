#include "rubrica/store/audit_log.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace rubrica::store {
namespace {

using namespace std::chrono;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenFresh("audit.db"); }

  void OpenFresh(const std::string& name) {
    db_.reset();
    auto db = Database::Open(dir_ / name);
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("audit", AuditLog::Migrations()).ok());
  }

  void AppendN(int n) {
    auto tx = db_->Begin();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < n; ++i) {
      clock_.Advance(1s);
      auto seq = log_.Append(*tx, {"person:" + std::to_string(i % 7), "acta.sign", "acta",
                                   std::to_string(i / 10), "{\"page\":" + std::to_string(i) + "}"});
      ASSERT_TRUE(seq.ok()) << seq.status().ToString();
    }
    ASSERT_TRUE(tx->Commit().ok());
  }

  // Tampering as an attacker with write access to the file would: drop the guards first.
  void Tamper(const std::string& sql) {
    auto tx = db_->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->Exec("DROP TRIGGER IF EXISTS audit_log_no_update;"
                         "DROP TRIGGER IF EXISTS audit_log_no_delete;")
                    .ok());
    ASSERT_TRUE(tx->Exec(sql).ok()) << sql;
    ASSERT_TRUE(tx->Commit().ok());
  }

  AuditVerification Verify() {
    auto v = log_.Verify(*db_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AuditVerification{};
  }

  testing::TempDir dir_;
  ManualClock clock_{sys_days(2026y / 11 / 21)};
  AuditLog log_{clock_};
  std::unique_ptr<Database> db_;
};

TEST_F(AuditLogTest, AcceptsAnIntactLogOf10000Entries) {
  AppendN(10000);
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.detail;
  EXPECT_EQ(v.entries_checked, 10000);
  EXPECT_EQ(v.head_hash.size(), 64u);
}

TEST_F(AuditLogTest, EmptyLogIsIntact) {
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.entries_checked, 0);
}

TEST_F(AuditLogTest, RefusesUpdatesAndDeletesThroughSql) {
  AppendN(3);
  auto tx = db_->Begin();
  ASSERT_TRUE(tx.ok());
  EXPECT_FALSE(tx->Exec("UPDATE audit_log SET actor='x' WHERE seq=2").ok());
  EXPECT_FALSE(tx->Exec("DELETE FROM audit_log WHERE seq=2").ok());
}

struct TamperCase {
  const char* name;
  const char* sql;
  int64_t first_bad;
  const char* problem;
  int64_t intact_before;  // entries verified before the bad one
};

TEST_F(AuditLogTest, CatchesEditedDeletedAndSwappedEntries) {
  const TamperCase cases[] = {
      {"edited actor", "UPDATE audit_log SET actor='person:99' WHERE seq=40", 40, "altered", 39},
      {"edited payload", "UPDATE audit_log SET payload='{}' WHERE seq=41", 41, "altered", 40},
      {"edited time", "UPDATE audit_log SET at='2020-01-01T00:00:00.000000Z' WHERE seq=42", 42,
       "altered", 41},
      {"deleted", "DELETE FROM audit_log WHERE seq=50", 51, "removed", 49},
      {"deleted and renumbered",
       "DELETE FROM audit_log WHERE seq=60; UPDATE audit_log SET seq=seq-1 WHERE seq>60", 60,
       "reordered", 59},
      {"swapped",
       "UPDATE audit_log SET seq=-1 WHERE seq=70; UPDATE audit_log SET seq=70 WHERE seq=71;"
       "UPDATE audit_log SET seq=71 WHERE seq=-1",
       70, "reordered", 69},
  };
  for (const TamperCase& c : cases) {
    SCOPED_TRACE(c.name);
    OpenFresh(std::string(c.name) + ".db");
    AppendN(100);
    ASSERT_TRUE(Verify().ok);
    Tamper(c.sql);
    AuditVerification v = Verify();
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_seq, c.first_bad) << v.detail;
    EXPECT_EQ(v.problem, c.problem) << v.detail;
    EXPECT_EQ(v.entries_checked, c.intact_before);
  }
}

TEST_F(AuditLogTest, ListReturnsEntriesInOrder) {
  AppendN(5);
  auto entries = log_.List(*db_, 2, 10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].seq, 3);
  EXPECT_EQ((*entries)[0].entry.action, "acta.sign");
  EXPECT_EQ((*entries)[1].prev_hash, (*entries)[0].entry_hash);
}

}  // namespace
}  // namespace rubrica::store
