// The service's housekeeping on an injected clock, against the data directory of a real
// service: scheduled backups into a backup set (taken when due, pruned to the newest N,
// restorable), and the outbox folder's retention (sent mail past its days removed, never
// a message not yet sent).
#include "housekeeping.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "api_world.h"
#include "support/test_support.h"
#include "rubrica/base/files.h"
#include "rubrica/base/logger.h"
#include "rubrica/store/database.h"

namespace rubrica::server::testing {
namespace {

namespace fs = std::filesystem;
using rubrica::testing::CommandResult;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;

// The backups of a set, oldest first.
std::vector<std::string> Archives(const std::string& set) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(set, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("rubrica-", 0) == 0 && e.path().extension() == ".tar") out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Waits (real time, at most 120 s) until the set holds `n` backups.
bool WaitForArchives(const std::string& set, size_t n) {
  for (int i = 0; i < 1200; ++i) {
    if (Archives(set).size() == n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(BackupScheduleTest, ABackupIsTakenWhenDueOnTheClockAndTheSetKeepsTheNewestN) {
  ApiWorld w;
  w.AdvanceTo(Stage::kArchived);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  TempDir out;
  const std::string set = out / "set";
  ManualClock clock(w.clock().Now());
  ASSERT_TRUE(MakeDirs(set + "/blobs/sha256/00/00", 0700).ok());
  // A blob no backup names (left by a removed backup): pruned away.
  const std::string orphan = set + "/blobs/sha256/00/00/" + std::string(64, '0');
  ASSERT_TRUE(WriteFileAtomic(orphan, "no backup names me").ok());

  auto db = store::Database::Open(w.data_dir() + "/rubrica.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  NullLogger logger;
  HousekeepingOptions o;
  o.data_dir = w.data_dir();
  o.backup_dir = set;
  o.backup_interval = std::chrono::hours(24);
  o.backup_keep = 2;
  o.poll = std::chrono::milliseconds(20);
  Housekeeping housekeeping(o, **db, clock, logger);
  housekeeping.Start();
  // At start: the data directory was never backed up. The set is pruned after the archive
  // is in place, so the orphan may outlive its appearance by a moment.
  ASSERT_TRUE(WaitForArchives(set, 1));
  EXPECT_TRUE(rubrica::testing::WaitUntil([&] { return !PathExists(orphan); }, 120)) << orphan;
  const std::string first = Archives(set)[0];
  // An hour later: not due.
  clock.Advance(std::chrono::hours(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(Archives(set).size(), 1u);
  // A day after the first: due; and again a day later, when the first is pruned.
  clock.Advance(std::chrono::hours(23));
  ASSERT_TRUE(WaitForArchives(set, 2));
  clock.Advance(std::chrono::hours(24));
  for (int i = 0; i < 1200 && (Archives(set).size() != 2 || Archives(set)[0] == first); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  housekeeping.Stop();
  const std::vector<std::string> kept = Archives(set);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_NE(kept[0], first);
  EXPECT_EQ(kept[1], "rubrica-" + [&] {
    std::string t = FormatRfc3339Utc(clock.Now());
    t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == '-' || c == ':'; }), t.end());
    return t;
  }() + ".tar");
  // last-backup (what /metrics reports) is the clock's time of the newest one.
  auto last = ReadFile(w.data_dir() + "/last-backup");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->substr(0, last->find(' ')),
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count()));
  Reply metrics = w.As("public").Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("rubrica_backup_last_success_timestamp_seconds " + last->substr(0, last->find(' '))),
            std::string::npos)
      << metrics.body;

  // The newest restores (blobs from the set, acta verified), and without the master secret.
  CommandResult r = RunCommand({RubricaBinary(), "restore", set + "/" + kept[1], "--data-dir", out / "restored"}, {}, 600);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("2 acta PDFs verified"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("master secret was not in the backup"), std::string::npos) << r.out;
}

TEST(BackupScheduleTest, PruningTheSetNeverRemovesABlobAKeptBackupNames) {
  ApiWorld w;
  w.AdvanceTo(Stage::kRubric);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  TempDir out;
  const std::string set = out / "set";
  auto backup = [&] {
    CommandResult r = RunCommand({RubricaBinary(), "backup", "--data-dir", w.data_dir(), "--to", set + "/"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  backup();  // the acta in rubric: its certified revision
  const std::string a = "/api/actas/" + std::to_string(w.acta);
  for (const auto& k : w.Signers()) {
    ASSERT_EQ(w.As(k).Post(a + "/rubric", "{\"pin\":" + Q(w.person(k).pin) + "}").status, 200);
  }
  backup();  // more revisions (in the same second, maybe: rubrica-<time>-2.tar, newer)
  size_t blobs_before = ListFilesRecursive(set + "/blobs").size();
  auto pruned = PruneBackupSet(set, 1);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->archives_removed, 1);
  EXPECT_EQ(pruned->archives_kept, 1);
  // Only the first backup's database snapshot goes (the signatures changed the database);
  // the older revisions are still revisions of the acta: the newer backup names them too.
  EXPECT_EQ(pruned->blobs_removed, 1);
  EXPECT_EQ(ListFilesRecursive(set + "/blobs").size(), blobs_before - 1);
  const std::string kept = set + "/" + Archives(set).at(0);
  CommandResult r = RunCommand({RubricaBinary(), "restore", kept, "--data-dir", out / "restored"}, {}, 600);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(BackupScheduleTest, ServeTakesTheFirstBackupAtStartAndStopsCleanlyOnSigterm) {
  TempDir dir;
  const std::string data = dir / "data";
  CommandResult init = RunCommand({RubricaBinary(), "init", "--data-dir", data}, {}, 300);
  ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
  rubrica::testing::ChildProcess serve;
  ASSERT_TRUE(serve.Start({RubricaBinary(), "serve", "--data-dir", data, "--port", "0"},
                          {"RUBRICA_BACKUP_DIR=" + (dir / "set"), "RUBRICA_BACKUP_KEEP=2"}));
  const std::string taken = serve.WaitForLine("\"backup.taken\"", 300);
  ASSERT_NE(taken, "") << serve.output();
  EXPECT_NE(taken.find(dir / "set/rubrica-"), std::string::npos) << taken;
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(120), 0) << serve.output();
  EXPECT_NE(serve.output().find("\"server.stopped\""), std::string::npos) << serve.output();
  EXPECT_EQ(Archives(dir / "set").size(), 1u);
  CommandResult restored = RunCommand(
      {RubricaBinary(), "restore", dir / ("set/" + Archives(dir / "set").at(0)), "--data-dir", dir / "restored"}, {}, 600);
  EXPECT_EQ(restored.exit_code, 0) << restored.out << restored.err;
}

// Inserts a mail message in the outbox table as `state`, returns its sequence (rowid).
// A pending one is due in 2100 (the world's sender leaves it alone).
int64_t InsertMessage(const std::string& db_path, const std::string& id, const std::string& state, int64_t at_us) {
  const int64_t due_us = state == "pending" ? UnixMicros(ApiWorld::Local(2100, 1, 1, 0)) : at_us;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  const std::string sql =
      "INSERT INTO outbox_messages(id, channel, destination, payload, event, state, created_us, next_attempt_us, "
      "sent_us) VALUES('" + id + "', 'mail', 'nadie@ejemplo.invalid', x'00', 'test', '" + state + "', " +
      std::to_string(at_us) + ", " + std::to_string(due_us) + ", " + (state == "sent" ? std::to_string(at_us) : "NULL") + ")";
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  const int64_t seq = sqlite3_last_insert_rowid(db);
  sqlite3_close(db);
  return seq;
}

std::string EmlName(int64_t seq, const std::string& id) {
  char order[24];
  std::snprintf(order, sizeof order, "%010lld", static_cast<long long>(seq));
  return "2026-01-05T15-00-00.000000Z-" + std::string(order) + "-" + id + ".eml";
}

TEST(OutboxRetentionTest, SentMailPastItsDaysIsRemovedAndNothingElse) {
  WorldOptions wo;
  wo.notifications = true;
  ApiWorld w(wo);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string outbox = w.data_dir() + "/outbox";
  const std::string db_path = w.data_dir() + "/rubrica.db";
  // The invitations the world's people accepted: sent, in the folder.
  std::vector<std::string> sent_files;
  for (const auto& e : fs::directory_iterator(outbox)) sent_files.push_back(e.path().filename().string());
  ASSERT_GE(sent_files.size(), 5u);
  // A message not yet sent (its file there all the same, e.g. copied back by an operator),
  // one that failed for good, a file of another name, and one being written.
  const int64_t t0 = UnixMicros(ApiWorld::Local(2026, 1, 5, 9));
  const std::string pending = EmlName(InsertMessage(db_path, "test:pending", "pending", t0), "test_pending");
  const std::string dead = EmlName(InsertMessage(db_path, "test:dead", "dead", t0), "test_dead");
  // Sent 10 days after the others.
  const int64_t t10 = UnixMicros(ApiWorld::Local(2026, 1, 15, 9));
  const std::string recent = EmlName(InsertMessage(db_path, "test:recent", "sent", t10), "test_recent");
  for (const std::string& name : {pending, dead, recent, std::string("notas-del-operador.eml"),
                                  std::string(".tmp-") + sent_files[0]}) {
    ASSERT_TRUE(WriteFileAtomic(outbox + "/" + name, "From: x\r\n\r\nx\r\n").ok());
  }
  auto db = store::Database::Open(db_path);
  ASSERT_TRUE(db.ok()) << db.status().ToString();

  // 30 days of retention, on 2026-02-10 (36 days after the invitations, 26 after "recent").
  auto removed = RemoveSentOutboxFiles(**db, outbox, ApiWorld::Local(2026, 2, 10, 9) - std::chrono::days(30));
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, static_cast<int>(sent_files.size()));
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(outbox)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  std::vector<std::string> expected = {pending, dead, recent, "notas-del-operador.eml", ".tmp-" + sent_files[0]};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(left, expected);

  // Through the housekeeping pass, 30 days after "recent": it goes too; the rest stays.
  ManualClock clock(ApiWorld::Local(2026, 2, 15, 9));
  NullLogger logger;
  HousekeepingOptions o;
  o.data_dir = w.data_dir();
  o.outbox_retention = std::chrono::days(30);
  Housekeeping housekeeping(o, **db, clock, logger);
  auto pass = housekeeping.RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_EQ(pass->outbox_files_removed, 1);
  EXPECT_FALSE(pass->backup.has_value());
  EXPECT_FALSE(PathExists(outbox + "/" + recent));
  EXPECT_TRUE(PathExists(outbox + "/" + pending));
  EXPECT_TRUE(PathExists(outbox + "/" + dead));
}

}  // namespace
}  // namespace rubrica::server::testing
