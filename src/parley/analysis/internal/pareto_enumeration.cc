#include "parley/analysis/internal/pareto_enumeration.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "parley/analysis/internal/frontier_archive.h"
#include "parley/analysis/internal/non_dominated.h"
#include "parley/base/check.h"

namespace parley::analysis::internal {
namespace {

using model::OptionIndex;
using model::Outcome;

// Outcomes between two looks at the stop token.
constexpr std::uint64_t kStopCheckInterval = 1 << 16;

class Enumerator {
 public:
  Enumerator(const FrontierProblem& problem, const ParetoOptions& options)
      : problem_(problem),
        options_(options),
        num_issues_(problem.NumIssues()),
        dims_(problem.NumParties()),
        count_(*problem.space.Count64()) {
    plain_ = problem.AllAdditive() && problem.red_lines.empty() && problem.reservations.empty();
    issue_start_.resize(num_issues_ + 1, 0);
    for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
      issue_start_[issue_idx + 1] = issue_start_[issue_idx] + problem.space.Cardinality(issue_idx);
    }
    table_.assign(issue_start_[num_issues_] * dims_, 0.0);
    offsets_.assign(dims_, 0.0);
    for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
      const model::AdditiveUtility* additive = problem.additive[party_idx];
      if (additive == nullptr) continue;
      offsets_[party_idx] = additive->offset();
      for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
        for (std::uint64_t option = 0; option < problem.space.Cardinality(issue_idx); ++option) {
          table_[(issue_start_[issue_idx] + option) * dims_ + party_idx] =
              additive->Contribution(issue_idx, static_cast<OptionIndex>(option));
        }
      }
    }
  }

  Result<MethodOutput> Run() {
    MethodOutput output;
    output.outcomes_examined = BigCount(count_);
    if (count_ == 0) return output;
    int threads = ThreadCount(options_);
    if (count_ < (1u << 16)) threads = 1;
    std::size_t num_chunks = threads == 1 ? 1 : static_cast<std::size_t>(threads) * 8;
    num_chunks = static_cast<std::size_t>(std::min<std::uint64_t>(num_chunks, count_));
    std::atomic<std::size_t> next_chunk{0};
    std::vector<std::unique_ptr<Worker>> workers(static_cast<std::size_t>(threads));
    // Each worker allocates its state in its own thread (so in that thread's malloc arena):
    // workers writing to neighbouring cache lines would slow each other down.
    auto work = [&](std::unique_ptr<Worker>& worker) {
      worker = std::make_unique<Worker>(num_issues_, dims_);
      for (;;) {
        std::size_t chunk = next_chunk.fetch_add(1);
        if (chunk >= num_chunks || abort_.load(std::memory_order_relaxed)) return;
        EnumerateRange(ChunkStart(chunk, num_chunks), ChunkStart(chunk + 1, num_chunks), *worker);
      }
    };
    if (threads == 1) {
      work(workers[0]);
    } else {
      std::vector<std::thread> pool;
      for (std::unique_ptr<Worker>& worker : workers) pool.emplace_back(work, std::ref(worker));
      for (std::thread& thread : pool) thread.join();
    }
    if (options_.stop.stop_requested()) return CancelledStatus();
    if (overflow_.load()) {
      return Unsupported("the Pareto frontier has more than max_frontier_size (" +
                         std::to_string(options_.max_frontier_size) +
                         ") points, ties included; raise the limit to list them all");
    }
    std::vector<double> values;
    std::vector<std::uint64_t> payloads;
    for (auto& worker : workers) worker->AppendTo(values, payloads);
    std::vector<double> zero_tolerance(dims_, 0.0);
    std::vector<std::uint32_t> kept = FilterNonDominated(values, dims_, zero_tolerance);
    if (kept.size() > options_.max_frontier_size) {
      return Unsupported("the Pareto frontier has " + std::to_string(kept.size()) +
                         " points, ties included, more than max_frontier_size (" +
                         std::to_string(options_.max_frontier_size) + ")");
    }
    output.points.resize(kept.size());
    for (std::size_t point_idx = 0; point_idx < kept.size(); ++point_idx) {
      ParetoPoint& point = output.points[point_idx];
      std::uint32_t index = kept[point_idx];
      point.outcome = problem_.space.OutcomeAt(payloads[index]);
      point.utilities.assign(values.begin() + index * dims_, values.begin() + (index + 1) * dims_);
    }
    return output;
  }

 private:
  struct Worker {
    Worker(std::size_t num_issues, std::size_t dims)
        : outcome(num_issues, 0), prefix(num_issues * dims, 0.0), row(dims), many(dims) {}
    Outcome outcome;
    std::vector<double> prefix;  // (issue, party): additive utility after issues 0..issue
    std::vector<double> row;
    Staircase2<std::uint64_t> two;
    BufferedArchive<std::uint64_t> many;

    void AppendTo(std::vector<double>& values, std::vector<std::uint64_t>& payloads) {
      two.AppendTo(values, payloads);
      many.AppendTo(values, payloads);
    }
  };

  std::uint64_t ChunkStart(std::size_t chunk, std::size_t num_chunks) const {
    std::uint64_t base = count_ / num_chunks;
    std::uint64_t extra = count_ % num_chunks;
    return base * chunk + std::min<std::uint64_t>(chunk, extra);
  }

  // Recomputes the prefix sums of issues first..num_issues-2 (the last issue is added per row).
  void Recompute(Worker& worker, std::size_t first) const {
    for (std::size_t issue_idx = first; issue_idx + 1 < num_issues_; ++issue_idx) {
      const double* previous =
          issue_idx == 0 ? offsets_.data() : &worker.prefix[(issue_idx - 1) * dims_];
      const double* contribution =
          &table_[(issue_start_[issue_idx] + worker.outcome[issue_idx]) * dims_];
      double* current = &worker.prefix[issue_idx * dims_];
      for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
        current[party_idx] = previous[party_idx] + contribution[party_idx];
      }
    }
  }

  bool Overflowing(const Worker& worker) const {
    std::size_t size = dims_ == 2 ? worker.two.NumPayloads() : worker.many.NumFiltered();
    return size > options_.max_frontier_size;
  }

  // Outcomes first_index .. first_index + count - 1, which differ only in the last issue's
  // option (starting at worker.outcome's).
  void Row(Worker& worker, std::uint64_t first_index, std::uint64_t count) const {
    std::size_t last = num_issues_ - 1;
    OptionIndex first_option = worker.outcome[last];
    const double* base = num_issues_ >= 2 ? &worker.prefix[(last - 1) * dims_] : offsets_.data();
    const double* contribution = &table_[(issue_start_[last] + first_option) * dims_];
    if (plain_ && dims_ == 2) {
      double base0 = base[0];
      double base1 = base[1];
      for (std::uint64_t step = 0; step < count; ++step) {
        worker.two.Offer(base0 + contribution[2 * step], base1 + contribution[2 * step + 1],
                         first_index + step);
      }
      return;
    }
    double* row = worker.row.data();
    for (std::uint64_t step = 0; step < count; ++step) {
      worker.outcome[last] = static_cast<OptionIndex>(first_option + step);
      if (!problem_.red_lines.empty() && !problem_.Allowed(worker.outcome)) continue;
      for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
        row[party_idx] = problem_.additive[party_idx] != nullptr
                             ? base[party_idx] + contribution[step * dims_ + party_idx]
                             : problem_.utilities[party_idx]->Evaluate(worker.outcome);
      }
      if (!problem_.reservations.empty() && !problem_.Acceptable(row)) continue;
      if (dims_ == 2) {
        worker.two.Offer(row[0], row[1], first_index + step);
      } else {
        worker.many.Offer(row, first_index + step);
      }
    }
    worker.outcome[last] = first_option;
  }

  void EnumerateRange(std::uint64_t begin, std::uint64_t end, Worker& worker) {
    if (num_issues_ == 0) {
      // One outcome, the empty one.
      for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
        worker.row[party_idx] = problem_.utilities[party_idx]->Evaluate(worker.outcome);
      }
      if (!problem_.Allowed(worker.outcome) ||
          (!problem_.reservations.empty() && !problem_.Acceptable(worker.row.data()))) {
        return;
      }
      if (dims_ == 2) {
        worker.two.Offer(worker.row[0], worker.row[1], 0);
      } else {
        worker.many.Offer(worker.row.data(), 0);
      }
      return;
    }
    std::size_t last = num_issues_ - 1;
    std::uint64_t last_cardinality = problem_.space.Cardinality(last);
    worker.outcome = problem_.space.OutcomeAt(begin);
    Recompute(worker, 0);
    std::uint64_t index = begin;
    std::uint64_t next_check = index + kStopCheckInterval;
    while (index < end) {
      std::uint64_t count = std::min(end - index, last_cardinality - worker.outcome[last]);
      Row(worker, index, count);
      index += count;
      if (index >= next_check) {
        next_check = index + kStopCheckInterval;
        if (options_.stop.stop_requested() || abort_.load(std::memory_order_relaxed)) return;
        if (Overflowing(worker)) {
          overflow_.store(true);
          abort_.store(true);
          return;
        }
      }
      if (index >= end) break;
      // Odometer carry into the earlier issues.
      worker.outcome[last] = 0;
      std::size_t changed = last;
      while (changed-- > 0) {
        if (++worker.outcome[changed] < problem_.space.Cardinality(changed)) break;
        worker.outcome[changed] = 0;
      }
      Recompute(worker, changed);
    }
    if (Overflowing(worker)) {
      overflow_.store(true);
      abort_.store(true);
    }
  }

  const FrontierProblem& problem_;
  const ParetoOptions& options_;
  std::size_t num_issues_;
  std::size_t dims_;
  std::uint64_t count_;
  bool plain_ = false;
  std::vector<std::uint64_t> issue_start_;  // first row of each issue in table_
  std::vector<double> table_;               // (issue option, party) contributions, additive only
  std::vector<double> offsets_;
  std::atomic<bool> abort_{false};
  std::atomic<bool> overflow_{false};
};

}  // namespace

Result<MethodOutput> ComputeFrontierByEnumeration(const FrontierProblem& problem,
                                                  const ParetoOptions& options) {
  PARLEY_CHECK(problem.space.Count64().has_value());
  Enumerator enumerator(problem, options);
  return enumerator.Run();
}

}  // namespace parley::analysis::internal
