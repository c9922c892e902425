#include "limits.h"

namespace rubrica::server::api {

void FailureLimiter::Prune(std::deque<Instant>& times, Instant now) const {
  while (!times.empty() && times.front() + window_ <= now) times.pop_front();
}

Result<std::optional<std::chrono::seconds>> FailureLimiter::StoredRetryAfter(const std::string& key,
                                                                            int in_flight) {
  const Instant now = clock_.Now();
  if (in_flight >= max_failures_) return std::optional<std::chrono::seconds>(std::chrono::seconds(1));
  ASSIGN_OR_RETURN(auto tx, db_->BeginRead());
  // The (max_failures - in_flight)-th most recent failure inside the window, if there are
  // that many.
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT at_us FROM srv_login_failure WHERE login_key = ? AND at_us > ? "
                                       "ORDER BY at_us DESC LIMIT 1 OFFSET ?"));
  st.Bind(1, key).Bind(2, UnixMicros(now - window_)).Bind(3, static_cast<int64_t>(max_failures_ - 1 - in_flight));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::chrono::seconds>();
  const Instant oldest_counted = FromUnixMicros(st.ColumnInt(0));
  const auto wait = std::chrono::ceil<std::chrono::seconds>(oldest_counted + window_ - now);
  return std::optional<std::chrono::seconds>(std::max(wait, std::chrono::seconds(1)));
}

Result<int64_t> FailureLimiter::StoredCount(const std::string& key) {
  ASSIGN_OR_RETURN(auto tx, db_->BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT count(*) FROM srv_login_failure WHERE login_key = ?"));
  st.Bind(1, key);
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt(0) : 0;
}

Status FailureLimiter::StoreFailure(const std::string& key) {
  const Instant now = clock_.Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin());
  {
    // Everything that left the window goes, whoever it was for: the table stays small.
    ASSIGN_OR_RETURN(auto prune, tx.Prepare("DELETE FROM srv_login_failure WHERE at_us <= ?"));
    RETURN_IF_ERROR(prune.Bind(1, UnixMicros(now - window_)).Run());
    ASSIGN_OR_RETURN(auto add, tx.Prepare("INSERT INTO srv_login_failure(login_key, at_us) VALUES(?, ?)"));
    RETURN_IF_ERROR(add.Bind(1, key).Bind(2, UnixMicros(now)).Run());
    // Only the most recent max_failures of a key matter.
    ASSIGN_OR_RETURN(auto trim, tx.Prepare(
        "DELETE FROM srv_login_failure WHERE login_key = ?1 AND rowid NOT IN "
        "(SELECT rowid FROM srv_login_failure WHERE login_key = ?1 ORDER BY at_us DESC LIMIT ?2)"));
    RETURN_IF_ERROR(trim.Bind(1, key).Bind(2, static_cast<int64_t>(max_failures_)).Run());
  }
  return tx.Commit();
}

std::optional<std::chrono::seconds> FailureLimiter::RetryAfter(const std::string& key) {
  return RetryAfterLocked(key, 0);
}

std::optional<std::chrono::seconds> FailureLimiter::RetryAfterLocked(const std::string& key,
                                                                     int in_flight) {
  if (db_ != nullptr) {
    auto stored = StoredRetryAfter(key, in_flight);
    return stored.ok() ? *stored : std::optional<std::chrono::seconds>(std::chrono::seconds(1));
  }
  std::lock_guard lock(mu_);
  if (in_flight >= max_failures_) return std::chrono::seconds(1);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  const Instant now = clock_.Now();
  Prune(it->second, now);
  const int room = max_failures_ - in_flight;
  if (static_cast<int>(it->second.size()) < room) return std::nullopt;
  // The failure whose leaving the window makes room for one more.
  const Instant gate = it->second[it->second.size() - static_cast<size_t>(room)];
  const auto wait = std::chrono::ceil<std::chrono::seconds>(gate + window_ - now);
  return std::max(wait, std::chrono::seconds(1));
}

std::optional<std::chrono::seconds> FailureLimiter::TryBegin(const std::string& key) {
  std::lock_guard admission(admission_mu_);
  auto it = in_flight_.find(key);
  const int in_flight = it == in_flight_.end() ? 0 : it->second;
  if (auto wait = RetryAfterLocked(key, in_flight)) return wait;
  ++in_flight_[key];
  return std::nullopt;
}

void FailureLimiter::End(const std::string& key, bool failed) {
  std::lock_guard admission(admission_mu_);
  // Recorded before the attempt stops counting as in flight: no gap for another to slip in.
  if (failed) RecordFailure(key);
  auto it = in_flight_.find(key);
  if (it != in_flight_.end() && --it->second <= 0) in_flight_.erase(it);
}

void FailureLimiter::RecordFailure(const std::string& key) {
  if (db_ != nullptr) {
    (void)StoreFailure(key);  // a failure to record is refused by RetryAfter's fail-closed read
    return;
  }
  std::lock_guard lock(mu_);
  const Instant now = clock_.Now();
  if (failures_.size() >= max_keys_ && !failures_.count(key)) {
    // Drop keys whose failures all left the window; if none, the oldest-starting one.
    for (auto it = failures_.begin(); it != failures_.end();) {
      Prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= max_keys_) {
      auto oldest = failures_.begin();
      for (auto it = failures_.begin(); it != failures_.end(); ++it) {
        if (it->second.front() < oldest->second.front()) oldest = it;
      }
      failures_.erase(oldest);
    }
  }
  auto& times = failures_[key];
  Prune(times, now);
  times.push_back(now);
  // Only the most recent max_failures matter.
  while (static_cast<int>(times.size()) > max_failures_) times.pop_front();
}

void FailureLimiter::Reset(const std::string& key) {
  if (db_ != nullptr) {
    // Most logins follow no failure: a read spares them a write transaction.
    auto none = StoredCount(key);
    if (none.ok() && *none == 0) return;
    auto tx = db_->Begin();
    if (!tx.ok()) return;
    auto st = tx->Prepare("DELETE FROM srv_login_failure WHERE login_key = ?");
    if (st.ok() && st->Bind(1, key).Run().ok()) (void)tx->Commit();
    return;
  }
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

InProgress::Hold::~Hold() {
  if (owner_ == nullptr) return;
  std::lock_guard lock(owner_->mu_);
  owner_->taken_.erase(key_);
}

std::optional<InProgress::Hold> InProgress::TryTake(const std::string& key) {
  std::lock_guard lock(mu_);
  if (!taken_.insert(key).second) return std::nullopt;
  return Hold(this, key);
}

Admission::Ticket::~Ticket() {
  if (a_) {
    std::lock_guard lock(a_->mu_);
    --a_->in_use_;
  }
}

std::optional<Admission::Ticket> Admission::TryEnter() {
  std::lock_guard lock(mu_);
  if (in_use_ >= limit_) return std::nullopt;
  ++in_use_;
  return Ticket(this);
}

}  // namespace rubrica::server::api
