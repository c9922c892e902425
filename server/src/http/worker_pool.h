// Private to the HTTP layer: a fixed pool of threads running jobs from a bounded queue.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rubrica::server::http {

class WorkerPool {
 public:
  /// Starts `threads` threads; at most `max_queued` jobs wait for a free thread.
  WorkerPool(int threads, size_t max_queued);
  /// Shutdown().
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `job`; false (and the job dropped) when the queue is full or shut down.
  bool TrySubmit(std::function<void()> job);
  /// Runs what is queued, then joins the threads. Idempotent.
  void Shutdown();

 private:
  void Run();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool shutting_down_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace rubrica::server::http
