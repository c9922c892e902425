#include "signing_queue.h"

#include <algorithm>

namespace rubrica::server::api {

SigningQueue::SigningQueue(int workers, int max_waiting, std::chrono::milliseconds max_wait)
    : workers_(std::max(1, workers)), max_waiting_(std::max(0, max_waiting)), max_wait_(max_wait) {}

SigningQueue::Slot::~Slot() {
  if (q_ != nullptr) q_->Leave();
}

std::optional<SigningQueue::Slot> SigningQueue::Enter() {
  std::unique_lock lock(mu_);
  if (running_ < workers_ && waiting_.empty()) {
    ++running_;
    return Slot(this);
  }
  if (static_cast<int>(waiting_.size()) >= max_waiting_) return std::nullopt;
  const uint64_t ticket = next_ticket_++;
  waiting_.push_back(ticket);
  const auto deadline = std::chrono::steady_clock::now() + max_wait_;
  const bool mine = turn_.wait_until(lock, deadline, [&] {
    return waiting_.front() == ticket && running_ < workers_;
  });
  if (!mine) {
    waiting_.erase(std::find(waiting_.begin(), waiting_.end(), ticket));
    turn_.notify_all();  // the one behind may be at the front now
    return std::nullopt;
  }
  waiting_.pop_front();
  ++running_;
  turn_.notify_all();  // with more than one slot free, the next waiter may run too
  return Slot(this);
}

int SigningQueue::waiting() {
  std::lock_guard lock(mu_);
  return static_cast<int>(waiting_.size());
}

void SigningQueue::Leave() {
  {
    std::lock_guard lock(mu_);
    --running_;
  }
  turn_.notify_all();
}

}  // namespace rubrica::server::api
