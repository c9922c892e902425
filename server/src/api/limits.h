// Limits the API applies per request: failure rate limits (logins), per-acta locks
// (signatures of one acta one at a time) and admission limits (how many slow requests
// run at once). All thread-safe; time comes from the injected Clock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "rubrica/base/clock.h"

namespace rubrica::server::api {

/// Counts failures per key (a login, a client address) in a sliding window. After
/// `max_failures` within `window`, the key is refused until the oldest counted failure
/// leaves the window. Bounded memory: at most `max_keys` keys are tracked (the stalest
/// are dropped first).
class FailureLimiter {
 public:
  FailureLimiter(const Clock& clock, int max_failures, std::chrono::seconds window,
                 size_t max_keys = 100000)
      : clock_(clock), max_failures_(max_failures), window_(window), max_keys_(max_keys) {}

  /// When `key` is refused now: how long until it may try again (at least 1 s).
  std::optional<std::chrono::seconds> RetryAfter(const std::string& key);
  void RecordFailure(const std::string& key);
  void Reset(const std::string& key);

 private:
  void Prune(std::deque<Instant>& times, Instant now) const;
  const Clock& clock_;
  const int max_failures_;
  const std::chrono::seconds window_;
  const size_t max_keys_;
  std::mutex mu_;
  std::map<std::string, std::deque<Instant>> failures_;
};

/// One mutex per key, created on demand and dropped when nobody holds or waits for it.
class KeyedMutex {
 public:
  class Guard {
   public:
    Guard(KeyedMutex& owner, int64_t key);
    ~Guard();
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    KeyedMutex& owner_;
    int64_t key_;
  };

 private:
  struct Entry {
    bool held = false;
    int waiters = 0;
    std::condition_variable cv;
  };
  std::mutex mu_;
  std::map<int64_t, Entry> entries_;
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
