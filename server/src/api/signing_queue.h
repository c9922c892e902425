// The queue in front of PIN and device signatures: a signature is CPU-bound (the PIN's
// scrypt, the PDF revision, the CMS), so running more of them at once than there are
// cores only makes each one slower. At most `workers` run at once; up to `max_waiting`
// more wait their turn, first come first served, for at most `max_wait`; beyond either
// bound the caller answers 503 api.busy (bench/README.md has the figures behind this).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace rubrica::server::api {

class SigningQueue {
 public:
  /// `workers` and `max_waiting` are raised to at least 1 and 0.
  SigningQueue(int workers, int max_waiting, std::chrono::milliseconds max_wait);

  /// A running signature; its destructor lets the next waiter run.
  class Slot {
   public:
    explicit Slot(SigningQueue* q) : q_(q) {}
    Slot(Slot&& o) noexcept : q_(o.q_) { o.q_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    SigningQueue* q_;
  };

  /// A slot at once when one is free and nobody waits; else, when fewer than max_waiting
  /// wait, a slot in arrival order within max_wait; else (or at the deadline) nullopt.
  /// Thread-safe; blocks the calling thread while it waits.
  std::optional<Slot> Enter();

  int workers() const { return workers_; }
  int max_waiting() const { return max_waiting_; }
  /// How many wait right now.
  int waiting();

 private:
  void Leave();

  const int workers_;
  const int max_waiting_;
  const std::chrono::milliseconds max_wait_;
  std::mutex mu_;
  std::condition_variable turn_;
  int running_ = 0;
  uint64_t next_ticket_ = 0;
  std::deque<uint64_t> waiting_;  // tickets in arrival order
};

}  // namespace rubrica::server::api
