// Limits the API applies per request: failure rate limits (logins) and admission limits
// (how many slow requests run at once). All thread-safe; time comes from the injected Clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/store/database.h"

namespace rubrica::server::api {

/// Counts failures per key (a login, a client address) in a sliding window. After
/// `max_failures` within `window`, the key is refused until the oldest counted failure
/// leaves the window. In memory, bounded: at most `max_keys` keys are tracked (the stalest
/// are dropped first). Given a database, the failures are kept in srv_login_failure
/// instead, so a restart does not forget them (the table holds only failures still inside
/// the window); a database error then refuses for a second rather than let a guess through.
class FailureLimiter {
 public:
  FailureLimiter(const Clock& clock, int max_failures, std::chrono::seconds window,
                 size_t max_keys = 100000, store::Database* db = nullptr)
      : clock_(clock), max_failures_(max_failures), window_(window), max_keys_(max_keys), db_(db) {}

  /// When `key` is refused now: how long until it may try again (at least 1 s).
  std::optional<std::chrono::seconds> RetryAfter(const std::string& key);
  void RecordFailure(const std::string& key);
  void Reset(const std::string& key);

 private:
  void Prune(std::deque<Instant>& times, Instant now) const;
  Result<std::optional<std::chrono::seconds>> StoredRetryAfter(const std::string& key);
  Status StoreFailure(const std::string& key);
  Result<int64_t> StoredCount(const std::string& key);
  const Clock& clock_;
  const int max_failures_;
  const std::chrono::seconds window_;
  const size_t max_keys_;
  store::Database* const db_;
  std::mutex mu_;
  std::map<std::string, std::deque<Instant>> failures_;
};

/// At most `limit` holders at once; TryEnter never waits (the caller answers "busy").
class Admission {
 public:
  explicit Admission(int limit) : limit_(limit) {}
  class Ticket {
   public:
    explicit Ticket(Admission* a) : a_(a) {}
    Ticket(Ticket&& o) noexcept : a_(o.a_) { o.a_ = nullptr; }
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

   private:
    Admission* a_;
  };
  std::optional<Ticket> TryEnter();
  int limit() const { return limit_; }

 private:
  const int limit_;
  std::mutex mu_;
  int in_use_ = 0;
};

}  // namespace rubrica::server::api
