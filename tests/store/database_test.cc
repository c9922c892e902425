#include "rubrica/store/database.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>

#include "support/test_support.h"

namespace rubrica::store {
namespace {

const std::vector<Migration> kMigrations = {
    {1, "people", "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"},
    {2, "seats",
     "CREATE TABLE seats(id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL "
     "REFERENCES people(id));"},
};

Result<int64_t> CountRows(Database& db, const std::string& table) {
  ASSIGN_OR_RETURN(Transaction tx, db.BeginRead());
  ASSIGN_OR_RETURN(Statement st, tx.Prepare("SELECT count(*) FROM " + table));
  ASSIGN_OR_RETURN(bool row, st.Step());
  (void)row;
  return st.ColumnInt(0);
}

TEST(DatabaseTest, MigrationsAreIdempotentAndRecordTheVersion) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
  EXPECT_EQ(*(*db)->SchemaVersion("test"), 2);
  {
    auto tx = (*db)->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->Exec("INSERT INTO people(name) VALUES('Ana')").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  // Re-running, and re-opening then re-running, changes nothing and loses nothing.
  ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
  db->reset();
  auto again = Database::Open(dir / "t.db");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->Migrate("test", kMigrations).ok());
  EXPECT_EQ(*(*again)->SchemaVersion("test"), 2);
  EXPECT_EQ(*CountRows(**again, "people"), 1);
}

TEST(DatabaseTest, AppliesOnlyNewMigrations) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate("test", {kMigrations[0]}).ok());
  EXPECT_EQ(*(*db)->SchemaVersion("test"), 1);
  ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
  EXPECT_EQ(*(*db)->SchemaVersion("test"), 2);
}

TEST(DatabaseTest, RefusesGapsAndNewerSchemas) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->Migrate("test", {kMigrations[1]}).code(), "store.migration_gap");
  ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
  EXPECT_EQ((*db)->Migrate("test", {kMigrations[0]}).code(), "store.schema_too_new");
}

TEST(DatabaseTest, FailedMigrationLeavesVersionUnchanged) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok());
  std::vector<Migration> broken = {kMigrations[0], {2, "broken", "CREATE TABLE oops(;"}};
  EXPECT_FALSE((*db)->Migrate("test", broken).ok());
  EXPECT_EQ(*(*db)->SchemaVersion("test"), 1);
}

TEST(DatabaseTest, ForeignKeysAreEnforced) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
  auto tx = (*db)->Begin();
  ASSERT_TRUE(tx.ok());
  Status s = tx->Exec("INSERT INTO seats(person_id) VALUES(42)");
  EXPECT_EQ(s.code(), "store.constraint");
  EXPECT_EQ(s.kind(), ErrorKind::kConflict);
}

TEST(DatabaseTest, UncommittedTransactionRollsBack) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
  {
    auto tx = (*db)->Begin();
    ASSERT_TRUE(tx.ok());
    auto st = tx->Prepare("INSERT INTO people(name) VALUES(?)");
    ASSERT_TRUE(st.ok());
    st->Bind(1, std::string_view("Beto"));
    ASSERT_TRUE(st->Run().ok());
  }  // no Commit()
  EXPECT_EQ(*CountRows(**db, "people"), 0);
}

TEST(DatabaseTest, ConcurrentWritersSerialise) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto tx = (*db)->Begin();
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE(tx->Exec("INSERT INTO people(name) VALUES('x')").ok());
        ASSERT_TRUE(tx->Commit().ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(*CountRows(**db, "people"), 200);
}

// A Statement that outlives its transaction must not reset the cached statement another
// thread is stepping through in the next transaction.
TEST(DatabaseTest, StatementOutlivingItsTransactionLeavesOtherThreadsAlone) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
  {
    auto tx = (*db)->Begin();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(tx->Exec("INSERT INTO people(name) VALUES('x')").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  const std::string sql = "SELECT id FROM people ORDER BY id";
  std::optional<Statement> leftover;
  {
    auto tx = (*db)->BeginRead();
    ASSERT_TRUE(tx.ok());
    auto st = tx->Prepare(sql);
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(*st->Step());
    leftover.emplace(std::move(*st));
    ASSERT_TRUE(tx->Commit().ok());
  }
  // The next transaction (as another thread would) steps through the same cached statement;
  // halfway, the leftover Statement is destroyed.
  auto tx = (*db)->BeginRead();
  ASSERT_TRUE(tx.ok());
  auto st = tx->Prepare(sql);
  ASSERT_TRUE(st.ok());
  int rows = 0;
  while (*st->Step()) {
    if (++rows == 5) leftover.reset();
    ASSERT_LE(rows, 10) << "the iteration restarted";
  }
  EXPECT_EQ(rows, 10);
}

// A full disk, simulated with RLIMIT_FSIZE in a child process: the commit fails with
// base.disk_full or store.write_failed (SQLite does not always keep the errno that tells
// them apart), a Spanish message about the disk, and what was committed before survives.
TEST(DatabaseTest, AFullDiskIsReportedAsSuchAndLosesNothing) {
  testing::TempDir dir;
  {
    auto db = Database::Open(dir / "t.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
    auto tx = (*db)->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->Exec("INSERT INTO people(name) VALUES('Ana')").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    auto db = Database::Open(dir / "t.db");
    if (!db.ok()) _exit(3);
    struct rlimit lim = {64 * 1024, 64 * 1024};
    setrlimit(RLIMIT_FSIZE, &lim);
    auto tx = (*db)->Begin();
    if (!tx.ok()) _exit(4);
    Status s = Status::Ok();
    for (int i = 0; i < 200 && s.ok(); ++i) {
      s = tx->Exec("INSERT INTO people(name) VALUES('" + std::string(4000, 'x') + "')");
    }
    if (s.ok()) s = tx->Commit();
    const bool named = s.code() == "base.disk_full" || s.code() == "store.write_failed";
    const bool said = s.message_es().find("disco") != std::string::npos;
    if (!named || !said || s.kind() != ErrorKind::kIoError) std::fprintf(stderr, "child: %s\n", s.ToString().c_str());
    _exit(named && said && s.kind() == ErrorKind::kIoError ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child did not see base.disk_full";
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(*CountRows(**db, "people"), 1);
}

TEST(DatabaseTest, UsesWalMode) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "t.db");
  ASSERT_TRUE(db.ok());
  auto tx = (*db)->BeginRead();
  ASSERT_TRUE(tx.ok());
  auto st = tx->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->ColumnText(0), "wal");
}

}  // namespace
}  // namespace rubrica::store
