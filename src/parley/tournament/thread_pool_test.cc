#include "parley/tournament/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace parley::tournament {
namespace {

TEST(ThreadPoolTest, RunsEveryTaskBeforeTheDestructorReturns) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(3);
    EXPECT_EQ(pool.size(), 3u);
    for (int task = 0; task < 1000; ++task) pool.Submit([&] { ++done; });
  }
  EXPECT_EQ(done.load(), 1000);
}

TEST(ThreadPoolTest, ZeroThreadsMeansOnePerCore) {
  ThreadPool pool(0);
  EXPECT_EQ(pool.size(), ThreadPool::DefaultThreads());
  EXPECT_GE(ThreadPool::DefaultThreads(), 1u);
}

TEST(ThreadPoolTest, OneWorkerRunsTasksInSubmissionOrder) {
  std::vector<int> order;
  {
    ThreadPool pool(1);
    for (int task = 0; task < 100; ++task) pool.Submit([&order, task] { order.push_back(task); });
  }
  ASSERT_EQ(order.size(), 100u);
  for (int task = 0; task < 100; ++task) EXPECT_EQ(order[task], task);
}

TEST(ThreadPoolTest, TasksRunOnTheWorkersNotTheCaller) {
  std::mutex mutex;
  std::set<std::thread::id> threads;
  {
    ThreadPool pool(2);
    for (int task = 0; task < 50; ++task) {
      pool.Submit([&] {
        std::lock_guard<std::mutex> lock(mutex);
        threads.insert(std::this_thread::get_id());
      });
    }
  }
  EXPECT_FALSE(threads.empty());
  EXPECT_LE(threads.size(), 2u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
}

// A task may submit more work; the destructor still waits for all of it.
TEST(ThreadPoolTest, TasksSubmittedByTasksAlsoRun) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(2);
    for (int task = 0; task < 10; ++task) {
      pool.Submit([&] {
        ++done;
        pool.Submit([&] { ++done; });
      });
    }
    while (done.load() < 20) std::this_thread::yield();
  }
  EXPECT_EQ(done.load(), 20);
}

}  // namespace
}  // namespace parley::tournament
