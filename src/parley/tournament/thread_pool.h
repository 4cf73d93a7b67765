// A fixed set of threads running submitted tasks in submission order.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace parley::tournament {

class ThreadPool {
 public:
  // `threads` workers; 0 means one per core (std::thread::hardware_concurrency, at least 1).
  explicit ThreadPool(std::size_t threads);
  // Runs every task already submitted, then joins the workers.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Submit(std::function<void()> task);
  std::size_t size() const { return workers_.size(); }

  static std::size_t DefaultThreads();

 private:
  void Work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool closing_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace parley::tournament
