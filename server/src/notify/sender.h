// The background sender of the outbox: runs the producers (the event relay, the reminder
// scheduler), then claims the messages that are due and hands each to its channel's
// deliverer (mail transport, webhook client). A failed attempt is retried with exponential
// backoff and jitter (base * 2^(attempt-1), capped, times a random factor in [0.5, 1));
// a permanent failure or the last allowed attempt makes the message dead (logged).
//
// Times come from the injected Clock (due dates, backoff), so tests move a ManualClock;
// the thread itself wakes every `poll` of real time, or at once on Wake().
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mail_transport.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/store/database.h"
#include "rubrica/store/outbox.h"

namespace rubrica::server::notify {

struct SenderOptions {
  std::chrono::seconds lease{300};  // a claim older than this is taken again
  std::chrono::seconds base_backoff{30};
  std::chrono::seconds max_backoff{6 * 3600};
  int max_attempts = 20;
  std::chrono::milliseconds poll{500};
  int batch = 20;
};

using Deliverer = std::function<DeliveryOutcome(const store::OutboxEntry&)>;
using Producer = std::function<Status()>;
/// Told when a message of its channel is given up (dead), with the last attempt's error.
using DeadHandler = std::function<void(const store::OutboxEntry&, const std::string& error)>;

/// The retry delay before attempt `attempts + 1`, without jitter.
std::chrono::seconds Backoff(const SenderOptions& o, int attempts);

class Sender {
 public:
  Sender(store::Database& db, const store::Outbox& outbox, const Clock& clock, Logger& logger,
         SenderOptions options = {});
  ~Sender();

  void AddChannel(const std::string& channel, Deliverer deliverer);
  void AddProducer(Producer producer);
  /// `handler` runs on the sender's thread after a message of `channel` became dead.
  void OnDead(const std::string& channel, DeadHandler handler);

  /// Runs the producers once and delivers every message that is due now (one pass).
  /// Returns how many attempts were made.
  Result<int> RunOnce();

  void Start();
  void Stop();
  /// Makes the thread run a pass now (a message was just enqueued).
  void Wake();

 private:
  void Loop();

  store::Database& db_;
  const store::Outbox& outbox_;
  const Clock& clock_;
  Logger& logger_;
  SenderOptions options_;
  std::map<std::string, Deliverer> channels_;
  std::map<std::string, DeadHandler> dead_handlers_;
  std::vector<Producer> producers_;
  std::mutex run_mu_;  // one pass at a time (thread, RunOnce from tests and the demo)
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace rubrica::server::notify
