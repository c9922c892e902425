#include "housekeeping.h"

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string_view>

#include "rubrica/base/files.h"

namespace rubrica::server {

namespace {

namespace fs = std::filesystem;

// The folder transport names a message "<created>-<10-digit sequence>-<id>.eml"
// (server/src/notify/mail_transport.cc); the created stamp is RFC 3339 with ':' as '-'
// and ends in 'Z'. Returns the sequence, or nothing for any other name.
std::optional<int64_t> SequenceOf(std::string_view name) {
  // ".tmp-…": being written (WriteFileAtomic renames it into place when complete).
  if (name.empty() || name[0] == '.' || name.size() < 4 || name.substr(name.size() - 4) != ".eml") return std::nullopt;
  const size_t z = name.find("Z-");
  if (z == std::string_view::npos || name.size() < z + 2 + 11) return std::nullopt;
  const std::string_view digits = name.substr(z + 2, 10);
  int64_t seq = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + (c - '0');
  }
  if (name[z + 12] != '-') return std::nullopt;
  return seq;
}

}  // namespace

Result<int> RemoveSentOutboxFiles(store::Database& db, const std::string& outbox_dir, Instant before) {
  std::error_code ec;
  if (!fs::is_directory(outbox_dir, ec)) return 0;
  int removed = 0;
  for (const auto& e : fs::directory_iterator(outbox_dir, ec)) {
    if (!e.is_regular_file()) continue;
    const std::optional<int64_t> seq = SequenceOf(e.path().filename().string());
    if (!seq) continue;
    bool sent_before = false;
    {
      ASSIGN_OR_RETURN(store::Transaction tx, db.BeginRead());
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT sent_us FROM outbox_messages WHERE rowid = ? AND state = 'sent' AND "
                                  "channel = 'mail' AND sent_us IS NOT NULL"));
      st.Bind(1, *seq);
      ASSIGN_OR_RETURN(bool row, st.Step());
      sent_before = row && FromUnixMicros(st.ColumnInt(0)) < before;
    }
    if (sent_before) {
      if (::unlink(e.path().c_str()) != 0 && errno != ENOENT) return ErrnoStatus("remove", e.path().string(), errno);
      ++removed;
    }
  }
  if (ec) return ErrnoStatus("list", outbox_dir, ec.value());
  return removed;
}

Housekeeping::Housekeeping(HousekeepingOptions options, store::Database& db, const Clock& clock, Logger& logger)
    : options_(std::move(options)), db_(db), clock_(clock), logger_(logger) {}

Housekeeping::~Housekeeping() { Stop(); }

std::optional<Instant> Housekeeping::LastBackup() const {
  auto text = ReadFile(options_.data_dir + "/last-backup", 4096);
  if (!text.ok()) return std::nullopt;
  try {
    return Instant(std::chrono::seconds(std::stoll(*text)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Result<HousekeepingPass> Housekeeping::RunOnce() {
  std::lock_guard pass_lock(pass_mu_);
  HousekeepingPass pass;
  const Instant now = clock_.Now();
  if (!options_.backup_dir.empty()) {
    const std::optional<Instant> last = LastBackup();
    if (!last || now - *last >= options_.backup_interval || now < *last) {
      BackupOptions b;
      b.data_dir = options_.data_dir;
      b.to = options_.backup_dir + "/";
      auto taken = CreateBackup(b, clock_);
      if (!taken.ok()) {
        logger_.Warn("backup.failed", {{"code", taken.status().code()}, {"error", taken.status().message()}});
        return taken.status();
      }
      logger_.Info("backup.taken", {{"archive", taken->archive},
                                    {"blobs", static_cast<int64_t>(taken->blobs)},
                                    {"blobs_added", static_cast<int64_t>(taken->blobs_added)},
                                    {"bytes_written", static_cast<int64_t>(taken->bytes_written)},
                                    {"audit_head", taken->audit_head}});
      pass.backup = std::move(*taken);
      auto pruned = PruneBackupSet(options_.backup_dir, options_.backup_keep);
      if (!pruned.ok()) {
        logger_.Warn("backup.prune_failed", {{"code", pruned.status().code()}, {"error", pruned.status().message()}});
        return pruned.status();
      }
      if (pruned->archives_removed > 0 || pruned->blobs_removed > 0) {
        logger_.Info("backup.pruned", {{"archives_removed", static_cast<int64_t>(pruned->archives_removed)},
                                       {"blobs_removed", static_cast<int64_t>(pruned->blobs_removed)},
                                       {"archives_kept", static_cast<int64_t>(pruned->archives_kept)}});
      }
      pass.pruned = *pruned;
    }
  }
  if (options_.outbox_retention.count() > 0) {
    auto removed = RemoveSentOutboxFiles(db_, options_.data_dir + "/outbox", now - options_.outbox_retention);
    if (!removed.ok()) {
      logger_.Warn("outbox.retention_failed", {{"code", removed.status().code()}, {"error", removed.status().message()}});
      return removed.status();
    }
    if (*removed > 0) logger_.Info("outbox.files_removed", {{"files", static_cast<int64_t>(*removed)}});
    pass.outbox_files_removed = *removed;
  }
  return pass;
}

void Housekeeping::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Housekeeping::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Housekeeping::Loop() {
  while (true) {
    (void)RunOnce();  // logged there; tried again at the next poll
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, options_.poll, [this] { return stop_; })) return;
  }
}

}  // namespace rubrica::server
