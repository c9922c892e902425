// SigningQueue: how many signatures run at once, who waits, in which order, and who is
// refused. Waits are bounded by futures so a broken queue fails the test instead of
// hanging it.
#include "api/signing_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace rubrica::server::api {
namespace {

using namespace std::chrono_literals;

constexpr auto kLong = 60s;     // a wait the test never means to reach
constexpr auto kGuard = 20s;    // how long the test waits before calling a step hung

// Waits (bounded) until `n` callers wait in `q`.
bool WaitUntilWaiting(SigningQueue& q, int n) {
  const auto until = std::chrono::steady_clock::now() + kGuard;
  while (q.waiting() != n) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(SigningQueueTest, RunsAsManyAsWorkersAtOnceWithoutWaiting) {
  for (int workers : {1, 2, 4}) {
    SigningQueue q(workers, 8, kLong);
    std::vector<SigningQueue::Slot> held;
    for (int i = 0; i < workers; ++i) {
      auto slot = q.Enter();
      ASSERT_TRUE(slot.has_value()) << "workers " << workers << ", slot " << i;
      held.push_back(std::move(*slot));
    }
    EXPECT_EQ(q.waiting(), 0) << "workers " << workers;
  }
}

TEST(SigningQueueTest, TheNextOneWaitsUntilASlotIsFreed) {
  SigningQueue q(2, 4, kLong);
  std::optional<SigningQueue::Slot> a = q.Enter(), b = q.Enter();
  ASSERT_TRUE(a && b);
  auto third = std::async(std::launch::async, [&] { return q.Enter().has_value(); });
  ASSERT_TRUE(WaitUntilWaiting(q, 1));
  EXPECT_EQ(third.wait_for(50ms), std::future_status::timeout) << "ran while both slots were held";
  a.reset();
  ASSERT_EQ(third.wait_for(kGuard), std::future_status::ready);
  EXPECT_TRUE(third.get());
  EXPECT_EQ(q.waiting(), 0);
}

TEST(SigningQueueTest, RefusesAtOnceWhenTheQueueIsFull) {
  SigningQueue q(1, 1, kLong);
  auto running = q.Enter();
  ASSERT_TRUE(running);
  auto waiter = std::async(std::launch::async, [&] { return q.Enter().has_value(); });
  ASSERT_TRUE(WaitUntilWaiting(q, 1));
  auto refused = std::async(std::launch::async, [&] { return q.Enter().has_value(); });
  ASSERT_EQ(refused.wait_for(kGuard), std::future_status::ready) << "a full queue made it wait";
  EXPECT_FALSE(refused.get());
  running.reset();
  ASSERT_EQ(waiter.wait_for(kGuard), std::future_status::ready);
  EXPECT_TRUE(waiter.get());
}

TEST(SigningQueueTest, WithNoRoomToWaitRefusesOnceEverySlotIsTaken) {
  SigningQueue q(1, 0, kLong);
  auto running = q.Enter();
  ASSERT_TRUE(running);
  EXPECT_FALSE(q.Enter().has_value());
  running.reset();
  EXPECT_TRUE(q.Enter().has_value());
}

TEST(SigningQueueTest, GivesUpAtTheDeadlineAndLetsTheNextWaiterMoveUp) {
  SigningQueue q(1, 4, 100ms);
  auto running = q.Enter();
  ASSERT_TRUE(running);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(q.Enter().has_value());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 100ms);
  EXPECT_EQ(q.waiting(), 0) << "a waiter that gave up is still counted";
  running.reset();
  EXPECT_TRUE(q.Enter().has_value());
}

TEST(SigningQueueTest, ServesWaitersInArrivalOrder) {
  SigningQueue q(1, 8, kLong);
  auto running = q.Enter();
  ASSERT_TRUE(running);
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::future<void>> waiters;
  for (int i = 0; i < 5; ++i) {
    waiters.push_back(std::async(std::launch::async, [&, i] {
      auto slot = q.Enter();
      if (!slot) return;
      std::lock_guard lock(mu);
      order.push_back(i);
    }));
    ASSERT_TRUE(WaitUntilWaiting(q, i + 1));  // queued before the next one arrives
  }
  running.reset();
  for (auto& w : waiters) ASSERT_EQ(w.wait_for(kGuard), std::future_status::ready);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace rubrica::server::api
