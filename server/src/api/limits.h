// Limits the API applies per request: failure rate limits (logins) and admission limits
// (how many slow requests run at once). All thread-safe; time comes from the injected Clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
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
///
/// Attempts are admitted before the check they guard (TryBegin), under one lock, counting
/// the failures recorded *and* the attempts still in flight: N parallel attempts count as
/// N, so no more than `max_failures` are ever checked inside a window. Each admitted
/// attempt ends with End(key, failed).
class FailureLimiter {
 public:
  FailureLimiter(const Clock& clock, int max_failures, std::chrono::seconds window,
                 size_t max_keys = 100000, store::Database* db = nullptr)
      : clock_(clock), max_failures_(max_failures), window_(window), max_keys_(max_keys), db_(db) {}

  /// When `key` is refused now: how long until it may try again (at least 1 s).
  std::optional<std::chrono::seconds> RetryAfter(const std::string& key);
  /// Admits one attempt for `key` (nullopt), or says how long to wait.
  std::optional<std::chrono::seconds> TryBegin(const std::string& key);
  /// Ends an attempt TryBegin admitted; a failed one counts as a failure.
  void End(const std::string& key, bool failed);
  void RecordFailure(const std::string& key);
  void Reset(const std::string& key);

 private:
  std::optional<std::chrono::seconds> RetryAfterLocked(const std::string& key, int in_flight);
  void Prune(std::deque<Instant>& times, Instant now) const;
  Result<std::optional<std::chrono::seconds>> StoredRetryAfter(const std::string& key, int in_flight);
  Status StoreFailure(const std::string& key);
  Result<int64_t> StoredCount(const std::string& key);
  const Clock& clock_;
  const int max_failures_;
  const std::chrono::seconds window_;
  const size_t max_keys_;
  store::Database* const db_;
  std::mutex mu_;
  std::map<std::string, std::deque<Instant>> failures_;
  std::mutex admission_mu_;  // TryBegin and End, around the reads and writes above
  std::map<std::string, int> in_flight_;
};

/// The keys being worked on right now (an invitation or a re-enrolment link being
/// accepted): one holder per key at a time; TryTake never waits. With one process per data
/// directory, this reserves the key before the slow work (scrypt, key generation), so a
/// burst of parallel acceptances does that work once.
class InProgress {
 public:
  class Hold {
   public:
    Hold(InProgress* owner, std::string key) : owner_(owner), key_(std::move(key)) {}
    Hold(Hold&& o) noexcept : owner_(o.owner_), key_(std::move(o.key_)) { o.owner_ = nullptr; }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;
    ~Hold();

   private:
    InProgress* owner_;
    std::string key_;
  };
  std::optional<Hold> TryTake(const std::string& key);

 private:
  std::mutex mu_;
  std::set<std::string> taken_;
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
