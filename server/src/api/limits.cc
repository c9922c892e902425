#include "limits.h"

namespace rubrica::server::api {

void FailureLimiter::Prune(std::deque<Instant>& times, Instant now) const {
  while (!times.empty() && times.front() + window_ <= now) times.pop_front();
}

std::optional<std::chrono::seconds> FailureLimiter::RetryAfter(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  const Instant now = clock_.Now();
  Prune(it->second, now);
  if (static_cast<int>(it->second.size()) < max_failures_) return std::nullopt;
  const auto wait = std::chrono::ceil<std::chrono::seconds>(it->second.front() + window_ - now);
  return std::max(wait, std::chrono::seconds(1));
}

void FailureLimiter::RecordFailure(const std::string& key) {
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
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

KeyedMutex::Guard::Guard(KeyedMutex& owner, int64_t key) : owner_(owner), key_(key) {
  std::unique_lock lock(owner_.mu_);
  Entry& e = owner_.entries_[key];
  ++e.waiters;
  e.cv.wait(lock, [&] { return !e.held; });
  --e.waiters;
  e.held = true;
}

KeyedMutex::Guard::~Guard() {
  std::lock_guard lock(owner_.mu_);
  auto it = owner_.entries_.find(key_);
  it->second.held = false;
  if (it->second.waiters == 0) {
    owner_.entries_.erase(it);
  } else {
    it->second.cv.notify_one();
  }
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
