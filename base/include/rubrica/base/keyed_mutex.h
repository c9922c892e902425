// One mutex per key (e.g. per acta id), created on demand and dropped when nobody holds or
// waits for it, so a long-running service keeps no entry per key it ever saw.
//
//   KeyedMutex locks;
//   { KeyedMutex::Guard g(locks, acta_id); ... }  // work on that acta, alone
//
// Thread-safe. Not recursive: a thread that holds a key's guard must not take it again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>

namespace rubrica {

class KeyedMutex {
 public:
  class Guard {
   public:
    /// Blocks until `key` is free, then holds it until destruction.
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

}  // namespace rubrica
