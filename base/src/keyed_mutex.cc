#include "rubrica/base/keyed_mutex.h"

namespace rubrica {

KeyedMutex::Guard::Guard(KeyedMutex& owner, int64_t key) : owner_(owner), key_(key) {
  std::unique_lock lock(owner_.mu_);
  Entry& e = owner_.entries_[key];
  ++e.waiters;
  e.cv.wait(lock, [&] { return !e.held; });
  --e.waiters;
  e.held = true;
}

KeyedMutex::Guard::~Guard() {
  std::lock_guard lock(owner_.mu_);
  auto it = owner_.entries_.find(key_);
  it->second.held = false;
  if (it->second.waiters == 0) {
    owner_.entries_.erase(it);
  } else {
    it->second.cv.notify_one();
  }
}

}  // namespace rubrica
