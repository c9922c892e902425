#include "sender.h"

#include <algorithm>

#include "rubrica/base/crypto_util.h"

namespace rubrica::server::notify {

std::chrono::seconds Backoff(const SenderOptions& o, int attempts) {
  std::chrono::seconds d = o.base_backoff;
  for (int i = 1; i < attempts && d < o.max_backoff; ++i) d *= 2;
  return std::min(d, o.max_backoff);
}

namespace {

// A factor in [0.5, 1): spreads the retries of many messages that failed together.
double Jitter() {
  const std::string b = RandomBytes(2);
  const unsigned v = (static_cast<unsigned char>(b[0]) << 8) | static_cast<unsigned char>(b[1]);
  return 0.5 + 0.5 * (static_cast<double>(v) / 65536.0);
}

}  // namespace

Sender::Sender(store::Database& db, const store::Outbox& outbox, const Clock& clock,
               Logger& logger, SenderOptions options)
    : db_(db), outbox_(outbox), clock_(clock), logger_(logger), options_(options) {}

Sender::~Sender() { Stop(); }

void Sender::AddChannel(const std::string& channel, Deliverer deliverer) {
  channels_[channel] = std::move(deliverer);
}

void Sender::AddProducer(Producer producer) { producers_.push_back(std::move(producer)); }

void Sender::OnDead(const std::string& channel, DeadHandler handler) {
  dead_handlers_[channel] = std::move(handler);
}

Result<int> Sender::RunOnce() {
  std::lock_guard<std::mutex> run(run_mu_);
  for (auto& p : producers_) {
    Status s = p();
    if (!s.ok()) logger_.Warn("notify.producer_failed", {{"error", s.ToString()}});
  }
  int attempts = 0;
  while (true) {
    ASSIGN_OR_RETURN(auto claimed, outbox_.Claim(db_, options_.batch, options_.lease));
    if (claimed.empty()) break;
    for (const auto& e : claimed) {
      ++attempts;
      auto it = channels_.find(e.message.channel);
      DeliveryOutcome out = it == channels_.end()
                                ? DeliveryOutcome{false, true, "no deliverer for channel " + e.message.channel}
                                : it->second(e);
      if (out.ok) {
        RETURN_IF_ERROR(outbox_.MarkSent(db_, e.message.id, out.detail));
        logger_.Info("notify.sent", {{"id", e.message.id},
                                     {"event", e.message.event},
                                     {"attempt", e.attempts}});
        continue;
      }
      std::optional<Instant> retry;
      if (!out.permanent && e.attempts < options_.max_attempts) {
        const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(
            Backoff(options_, e.attempts) * Jitter());
        retry = clock_.Now() + delay;
      }
      RETURN_IF_ERROR(outbox_.MarkFailed(db_, e.message.id, out.detail, retry));
      logger_.Warn(retry ? "notify.retry" : "notify.dead",
                   {{"id", e.message.id}, {"attempt", e.attempts}, {"error", out.detail}});
      if (!retry) {
        auto dead = dead_handlers_.find(e.message.channel);
        if (dead != dead_handlers_.end()) dead->second(e, out.detail);
      }
    }
    if (static_cast<int>(claimed.size()) < options_.batch) break;
  }
  return attempts;
}

void Sender::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Sender::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sender::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Sender::Loop() {
  while (true) {
    auto r = RunOnce();
    if (!r.ok()) logger_.Warn("notify.pass_failed", {{"error", r.status().ToString()}});
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, options_.poll, [this] { return stop_ || woken_; });
    woken_ = false;
    if (stop_) return;
  }
}

}  // namespace rubrica::server::notify
