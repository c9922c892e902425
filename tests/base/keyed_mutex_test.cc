#include "rubrica/base/keyed_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace rubrica {
namespace {

TEST(KeyedMutexTest, HoldersOfOneKeyRunOneAtATimeAndOtherKeysDoNotWait) {
  KeyedMutex locks;
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 200; ++j) {
        KeyedMutex::Guard g(locks, 7);
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  }
  {
    // While key 7 is busy, key 8 is free: taking it never waits for 7's holders.
    KeyedMutex::Guard other(locks, 8);
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 1);
}

}  // namespace
}  // namespace rubrica
