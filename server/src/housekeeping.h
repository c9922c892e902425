// What keeps an installation tidy for years, as a background thread of `rubrica serve`
// (docs/operations.md, "Backup and restore" and "Logs"):
//   - the scheduled backup: when `backup_dir` is set, a backup is added to that backup set
//     (server/backup.h, blobs kept once by hash; without the master secret, which should
//     live elsewhere) whenever the last backup of the data directory (`last-backup`, written
//     by every backup, scheduled or not) is `backup_interval` old on the clock, then the set
//     is pruned to the newest `backup_keep` backups;
//   - the outbox folder's retention: an .eml file of <data_dir>/outbox/ whose message the
//     database records as sent more than `outbox_retention` ago is removed. A file whose
//     message is not recorded as sent, or whose name does not say which message it is, or
//     a file being written (.tmp-*), is never removed.
//
// Time is the injected Clock's: a pass runs at Start() and whenever `poll` of real time
// passed. Thread-safe: passes are serialised; Stop() waits for the one in progress.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/backup.h"
#include "rubrica/store/database.h"

namespace rubrica::server {

struct HousekeepingOptions {
  std::string data_dir;
  std::string backup_dir;  // empty: no scheduled backup
  std::chrono::hours backup_interval{24};
  int backup_keep = 7;
  std::chrono::days outbox_retention{90};  // zero: the outbox folder is kept whole
  std::chrono::milliseconds poll = std::chrono::minutes(1);
};

struct HousekeepingPass {
  std::optional<BackupSummary> backup;  // when one was due and taken
  std::optional<PruneSummary> pruned;
  int outbox_files_removed = 0;
};

/// The .eml files of `outbox_dir` whose message (named by the sequence number in the file
/// name, as the folder transport writes it) the database records as sent before `before`
/// are removed; returns how many. Everything else stays.
Result<int> RemoveSentOutboxFiles(store::Database& db, const std::string& outbox_dir, Instant before);

class Housekeeping {
 public:
  /// `db` and the rest are not owned and must outlive the object.
  Housekeeping(HousekeepingOptions options, store::Database& db, const Clock& clock, Logger& logger);
  ~Housekeeping();

  /// One pass now (the backup only when due). Failures are logged and reported in the
  /// result's status; the first that fails stops the pass.
  Result<HousekeepingPass> RunOnce();

  void Start();
  void Stop();

 private:
  void Loop();
  std::optional<Instant> LastBackup() const;

  HousekeepingOptions options_;
  store::Database& db_;
  const Clock& clock_;
  Logger& logger_;
  std::mutex pass_mu_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace rubrica::server
