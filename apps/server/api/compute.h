// Bounded heavy work for the live server: the mediator's analysis and the reference points of an
// export never run under a room's lock, at most `concurrency` at once, each within a time budget
// and a memory budget. Both stop the work through a stop token, which the analysis checks
// throughout: a watchdog requests it at the deadline, or as soon as the server's resident memory
// has grown by more than the budget since the work started (checked every 20 ms; the analysis's
// own size limits, derived from the same budget, keep it from getting there in most cases).
// Waiting for a free slot is bounded too.
//
// The mediator's analysis is cached per room, keyed by the room's preferences version: a
// dashboard refreshing on every event recomputes nothing until a principal's preferences change,
// and concurrent requests for the same version wait for one computation. A scenario beyond the
// budget is answered 422 once per version, from the cache after that; a server whose slots stay
// busy answers 503 (nothing is cached, the next request tries again).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include "parley/analysis/analyze.h"
#include "parley/model/scenario.h"
#include "server/api/api.h"

namespace parley::server::api {

struct ComputeBudget {
  std::chrono::milliseconds time{10'000};             // --analysis-time-limit
  std::size_t memory_bytes = std::size_t{512} << 20;  // --analysis-memory-limit (MiB)
  int concurrency = 2;                                // --analysis-concurrency
  std::chrono::milliseconds queue_wait{2'000};        // for a free slot, then 503
};

// Analysis options that keep one analysis of `scenario` within `budget`'s memory, on one thread,
// stopping when `stop` is requested.
analysis::AnalysisOptions BudgetedAnalysisOptions(const model::Scenario& scenario,
                                                  const std::vector<std::size_t>& parties,
                                                  const ComputeBudget& budget,
                                                  std::stop_token stop);

class ComputeSlots {
 public:
  explicit ComputeSlots(ComputeBudget budget) : budget_(budget) {}
  const ComputeBudget& budget() const { return budget_; }

  // A running computation's slot and deadline: its token is stopped when the time budget is
  // spent. Releases the slot when it goes away.
  class Ticket {
   public:
    Ticket(ComputeSlots& slots, std::chrono::milliseconds time, std::size_t memory_bytes);
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    std::stop_token token() const { return stop_.get_token(); }
    bool expired() const { return stop_.stop_requested(); }
    // Whether it was stopped for memory rather than time.
    bool out_of_memory() const { return out_of_memory_; }

   private:
    ComputeSlots& slots_;
    std::stop_source stop_;
    std::mutex mutex_;
    std::condition_variable done_changed_;
    bool done_ = false;
    std::atomic<bool> out_of_memory_{false};
    std::thread watchdog_;
  };

  // Waits up to budget.queue_wait for a slot; nullopt when none freed up.
  std::unique_ptr<Ticket> Acquire();
  int running() const;

 private:
  friend class Ticket;
  ComputeBudget budget_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int running_ = 0;
};

// The part of the mediator's analysis that depends only on the scenario and the principals'
// preferences (frontier, solutions, zone, obstacles, gaps), cached per room and preferences
// version.
class AnalysisCache {
 public:
  explicit AnalysisCache(ComputeSlots& slots) : slots_(slots) {}

  struct Answer {
    ApiResult<Json> json = ApiError{};
    bool cached = false;
    double elapsed_ms = 0;
  };
  // `scenario` is the room's scenario at `version` (a copy: no lock is held).
  Answer Get(const std::string& room_id, int version, const model::Scenario& scenario,
             const std::vector<std::size_t>& parties);
  void Forget(const std::string& room_id);

 private:
  struct Entry {
    int version = -1;
    std::shared_future<std::pair<ApiResult<Json>, double>> result;
  };
  ApiResult<Json> Compute(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                          double* elapsed_ms);
  ComputeSlots& slots_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace parley::server::api
