#include "parley/analysis/internal/pareto_search.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <memory>
#include <string>
#include <thread>

#include "parley/analysis/internal/frontier_archive.h"
#include "parley/analysis/internal/non_dominated.h"
#include "parley/analysis/internal/pareto_additive.h"

namespace parley::analysis::internal {
namespace {

using model::OptionIndex;
using model::Outcome;

// Budget shares: the additive relaxation at most 10%, annealing 70% of the rest, then Pareto
// local search.
constexpr double kRelaxationShare = 0.1;
constexpr double kAnnealingShare = 0.7;
// Samples per option when estimating a non-additive utility's per-issue main effects.
constexpr std::uint64_t kMaxSamples = 16;
// The relaxation's frontier is merged only up to this size, and this many of its points seed.
constexpr std::size_t kRelaxationFrontierLimit = 20'000;
constexpr std::size_t kRelaxationSeeds = 64;
// Outcomes listed per distinct utility vector: ties found by search are a sample anyway.
constexpr std::size_t kMaxTiesListed = 16;
constexpr double kStartTemperature = 0.05;
constexpr double kEndTemperature = 0.0005;
constexpr std::size_t kMaxQueue = 1 << 16;
constexpr std::uint64_t kStopCheckInterval = 1024;

// SplitMix64: small, fast and the same on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t Below(std::uint64_t bound) { return Next() % bound; }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1p-53; }

 private:
  std::uint64_t state_;
};

struct UnitResult {
  std::vector<double> values;
  std::vector<Outcome> outcomes;
  std::uint64_t evaluated = 0;
};

class Searcher {
 public:
  Searcher(const FrontierProblem& problem, const ParetoOptions& options)
      : problem_(problem),
        options_(options),
        num_issues_(problem.NumIssues()),
        dims_(problem.NumParties()) {
    for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
      if (problem.space.Cardinality(issue_idx) > 1) movable_.push_back(issue_idx);
    }
    for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
      model::UtilityRange range =
          model::ComputeUtilityRange(*problem.utilities[party_idx], problem.space, 0);
      low_.push_back(range.min);
      scale_.push_back(range.max > range.min ? range.max - range.min : 1.0);
      seeds_.push_back(range.argmax);
    }
  }

  Result<MethodOutput> Run() {
    std::uint64_t budget = std::max<std::uint64_t>(options_.search_budget, 1);
    PARLEY_ASSIGN_OR_RETURN(
        UnitResult relaxed,
        Relax(static_cast<std::uint64_t>(static_cast<double>(budget) * kRelaxationShare)));
    budget -= std::min(budget, relaxed.evaluated);
    std::uint64_t annealing_budget =
        static_cast<std::uint64_t>(static_cast<double>(budget) * kAnnealingShare);
    std::vector<UnitResult> annealed(kSearchUnits);
    RunUnits(
        [&](std::size_t unit) { annealed[unit] = Anneal(unit, Share(annealing_budget, unit)); });
    if (options_.stop.stop_requested()) return CancelledStatus();
    std::uint64_t evaluated = relaxed.evaluated;
    UnitResult merged = Merge(annealed, std::move(relaxed));

    // Pareto local search from the merged archive, points dealt round-robin to the units.
    std::vector<UnitResult> explored(kSearchUnits);
    RunUnits([&](std::size_t unit) {
      std::vector<std::size_t> mine;
      for (std::size_t point = unit; point < merged.outcomes.size(); point += kSearchUnits) {
        mine.push_back(point);
      }
      explored[unit] = Explore(unit, merged, mine, Share(budget - annealing_budget, unit));
    });
    if (options_.stop.stop_requested()) return CancelledStatus();
    UnitResult final_archive = Merge(explored, std::move(merged));

    MethodOutput output;
    output.note = relaxation_note_ + "; at most " + std::to_string(kMaxTiesListed) +
                  " outcomes are listed per utility vector";
    for (const UnitResult& unit : annealed) evaluated += unit.evaluated;
    for (const UnitResult& unit : explored) evaluated += unit.evaluated;
    output.outcomes_examined = BigCount(evaluated);
    output.points.resize(final_archive.outcomes.size());
    for (std::size_t point_idx = 0; point_idx < output.points.size(); ++point_idx) {
      output.points[point_idx].outcome = std::move(final_archive.outcomes[point_idx]);
      output.points[point_idx].utilities.assign(
          final_archive.values.begin() + point_idx * dims_,
          final_archive.values.begin() + (point_idx + 1) * dims_);
    }
    return output;
  }

 private:
  static std::uint64_t Share(std::uint64_t total, std::size_t unit) {
    return total / kSearchUnits + (unit < total % kSearchUnits ? 1 : 0);
  }

  template <typename Task>
  void RunUnits(const Task& task) {
    std::size_t threads =
        std::min<std::size_t>(static_cast<std::size_t>(ThreadCount(options_)), kSearchUnits);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t unit = next.fetch_add(1); unit < kSearchUnits; unit = next.fetch_add(1)) {
        task(unit);
      }
    };
    if (threads <= 1) {
      work();
      return;
    }
    std::vector<std::thread> pool;
    for (std::size_t thread_idx = 0; thread_idx < threads; ++thread_idx) pool.emplace_back(work);
    for (std::thread& thread : pool) thread.join();
  }

  std::uint64_t UnitSeed(std::size_t unit, std::uint64_t phase) const {
    Rng mixer(options_.seed ^ (0x51ed2701ULL * (unit + 1)) ^ (phase << 40));
    return mixer.Next();
  }

  void Evaluate(const Outcome& outcome, double* row) const {
    for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
      row[party_idx] = problem_.utilities[party_idx]->Evaluate(outcome);
    }
  }

  double Scalarise(const double* row, const std::vector<double>& weights) const {
    double total = 0;
    for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
      total += weights[party_idx] * (row[party_idx] - low_[party_idx]) / scale_[party_idx];
    }
    return total;
  }

  Outcome RandomOutcome(Rng& rng) const {
    Outcome outcome(num_issues_);
    for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
      outcome[issue_idx] =
          static_cast<OptionIndex>(rng.Below(problem_.space.Cardinality(issue_idx)));
    }
    return outcome;
  }

  // Changes one issue's option at random; returns the issue and its previous option.
  std::pair<std::size_t, OptionIndex> Move(Outcome& outcome, Rng& rng) const {
    std::size_t issue_idx = movable_[rng.Below(movable_.size())];
    OptionIndex previous = outcome[issue_idx];
    auto option = static_cast<OptionIndex>(rng.Below(problem_.space.Cardinality(issue_idx) - 1));
    outcome[issue_idx] = option >= previous ? option + 1 : option;
    return {issue_idx, previous};
  }

  // The additive relaxation: additive utilities as they are, others replaced by their estimated
  // main effects (the mean utility with one issue's option fixed, over random outcomes, the same
  // samples for every option of an issue). Its exact frontier (additive merge, red lines
  // respected) gives outcomes spread along the true frontier's likely shape; they are evaluated
  // and seed the annealing.
  Result<UnitResult> Relax(std::uint64_t budget) {
    UnitResult result;
    std::uint64_t options_total = 0;
    for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
      options_total += problem_.space.Cardinality(issue_idx);
    }
    bool all_additive = problem_.AllAdditive();
    std::uint64_t samples = options_total == 0 ? 0 : std::min(kMaxSamples, budget / options_total);
    if (!all_additive && samples == 0) {
      relaxation_note_ = "no additive relaxation (budget too small to estimate it)";
      return result;
    }
    std::vector<std::unique_ptr<model::AdditiveUtility>> estimates;
    FrontierProblem relaxed = problem_;
    relaxed.reservations.clear();
    if (!all_additive) {
      Rng rng(UnitSeed(0, 3));
      // sums[party][issue_start + option]
      std::vector<std::size_t> issue_start(num_issues_ + 1, 0);
      for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
        issue_start[issue_idx + 1] = issue_start[issue_idx] + problem_.space.Cardinality(issue_idx);
      }
      std::vector<std::vector<double>> sums(dims_, std::vector<double>(options_total, 0.0));
      for (std::uint64_t sample = 0; sample < samples; ++sample) {
        if (options_.stop.stop_requested()) return CancelledStatus();
        Outcome outcome = RandomOutcome(rng);
        for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
          OptionIndex kept = outcome[issue_idx];
          for (std::uint64_t option = 0; option < problem_.space.Cardinality(issue_idx); ++option) {
            outcome[issue_idx] = static_cast<OptionIndex>(option);
            ++result.evaluated;
            for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
              if (problem_.additive[party_idx] != nullptr) continue;
              sums[party_idx][issue_start[issue_idx] + option] +=
                  problem_.utilities[party_idx]->Evaluate(outcome);
            }
          }
          outcome[issue_idx] = kept;
        }
      }
      for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
        if (problem_.additive[party_idx] != nullptr) continue;
        std::vector<model::ValueFunction> tables(num_issues_);
        for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
          for (std::size_t slot = issue_start[issue_idx]; slot < issue_start[issue_idx + 1];
               ++slot) {
            tables[issue_idx].table.push_back(sums[party_idx][slot] / static_cast<double>(samples));
          }
        }
        estimates.push_back(std::make_unique<model::AdditiveUtility>(
            std::vector<double>(num_issues_, 1.0), std::move(tables)));
        relaxed.additive[party_idx] = estimates.back().get();
        relaxed.utilities[party_idx] = estimates.back().get();
      }
    }
    ParetoOptions relaxed_options;
    relaxed_options.max_frontier_size = kRelaxationFrontierLimit;
    relaxed_options.max_composite_size = options_.max_composite_size;
    relaxed_options.stop = options_.stop;
    PARLEY_ASSIGN_OR_RETURN(AdditiveMergeOutput merged,
                            ComputeFrontierByAdditiveMerge(relaxed, relaxed_options));
    if (!merged.completed) {
      relaxation_note_ = "the additive relaxation was not used (" + merged.reason + ")";
      return result;
    }
    std::vector<ParetoPoint>& points = merged.output.points;
    std::sort(points.begin(), points.end(), [](const ParetoPoint& a, const ParetoPoint& b) {
      return a.utilities < b.utilities || (a.utilities == b.utilities && a.outcome < b.outcome);
    });
    BufferedArchive<Outcome> archive(dims_, /*unique_payloads=*/true);
    std::vector<double> row(dims_);
    std::size_t count = std::min(points.size(), kRelaxationSeeds);
    for (std::size_t seed_idx = 0; seed_idx < count; ++seed_idx) {
      const Outcome& outcome = points[seed_idx * points.size() / count].outcome;
      relaxation_seeds_.push_back(outcome);
      Evaluate(outcome, row.data());
      ++result.evaluated;
      if (problem_.Allowed(outcome) && problem_.Acceptable(row.data())) {
        archive.Offer(row.data(), outcome);
      }
    }
    archive.AppendTo(result.values, result.outcomes);
    relaxation_note_ = all_additive ? "seeded from the additive frontier"
                                    : "seeded from an additive relaxation (" +
                                          std::to_string(samples) + " samples per option)";
    return result;
  }

  UnitResult Anneal(std::size_t unit, std::uint64_t budget) const {
    UnitResult result;
    Rng rng(UnitSeed(unit, 1));
    std::vector<double> weights(dims_, 0.0);
    if (unit < dims_) {
      for (double& weight : weights) weight = 0.01;
      weights[unit] = 1.0;
    } else {
      for (double& weight : weights) weight = -std::log(1.0 - rng.Uniform());
    }
    // Starts: each party's best outcome for the first units, then points of the relaxation's
    // frontier spread along it, alternating with random outcomes.
    Outcome current;
    if (unit < dims_) {
      current = seeds_[unit];
    } else if ((unit - dims_) % 2 == 0 && !relaxation_seeds_.empty()) {
      std::size_t spread = (unit - dims_) / 2;
      std::size_t slots = (kSearchUnits - dims_ + 1) / 2;
      current =
          relaxation_seeds_[spread * relaxation_seeds_.size() / std::max<std::size_t>(slots, 1)];
    } else {
      current = RandomOutcome(rng);
    }
    for (int attempt = 0; attempt < 100 && !problem_.Allowed(current); ++attempt) {
      current = RandomOutcome(rng);
    }
    BufferedArchive<Outcome> archive(dims_, /*unique_payloads=*/true);
    std::vector<double> row(dims_);
    Evaluate(current, row.data());
    ++result.evaluated;
    bool current_allowed = problem_.Allowed(current);
    if (current_allowed && problem_.Acceptable(row.data())) archive.Offer(row.data(), current);
    double current_score = Scalarise(row.data(), weights);
    for (std::uint64_t step = 1; step < budget && !movable_.empty(); ++step) {
      if (step % kStopCheckInterval == 0 && options_.stop.stop_requested()) break;
      auto [issue_idx, previous] = Move(current, rng);
      if (!problem_.Allowed(current)) {
        if (current_allowed) {
          current[issue_idx] = previous;
          continue;
        }
      }
      Evaluate(current, row.data());
      ++result.evaluated;
      bool allowed = problem_.Allowed(current);
      if (allowed && problem_.Acceptable(row.data())) archive.Offer(row.data(), current);
      double score = Scalarise(row.data(), weights);
      double progress = static_cast<double>(step) / static_cast<double>(budget);
      double temperature =
          kStartTemperature * std::pow(kEndTemperature / kStartTemperature, progress);
      if (score >= current_score ||
          rng.Uniform() < std::exp((score - current_score) / temperature)) {
        current_score = score;
        current_allowed = allowed;
      } else {
        current[issue_idx] = previous;
      }
    }
    archive.AppendTo(result.values, result.outcomes);
    return result;
  }

  UnitResult Explore(std::size_t unit, const UnitResult& start,
                     const std::vector<std::size_t>& mine, std::uint64_t budget) const {
    UnitResult result;
    if (mine.empty() || movable_.empty()) return result;
    Rng rng(UnitSeed(unit, 2));
    BufferedArchive<Outcome> archive(dims_, /*unique_payloads=*/true);
    std::deque<std::pair<Outcome, std::vector<double>>> queue;
    for (std::size_t point : mine) {
      queue.emplace_back(start.outcomes[point],
                         std::vector<double>(start.values.begin() + point * dims_,
                                             start.values.begin() + (point + 1) * dims_));
    }
    std::vector<double> row(dims_);
    // Neighbours tried per explored point before it goes to the back of the queue.
    std::size_t neighbours = std::min<std::size_t>(32, 4 * movable_.size());
    std::uint64_t steps = 0;
    // Moves the red lines forbid are not evaluated, so they are counted apart: without this
    // bound a queue whose every neighbour is forbidden would be explored forever.
    std::uint64_t tried_moves = 0;
    const std::uint64_t max_moves = 64 * budget + 4096;
    while (result.evaluated < budget && tried_moves < max_moves && !queue.empty()) {
      if (++steps % 64 == 0 && options_.stop.stop_requested()) break;
      auto [outcome, utilities] = std::move(queue.front());
      queue.pop_front();
      for (std::size_t tried = 0; tried < neighbours && result.evaluated < budget; ++tried) {
        ++tried_moves;
        auto [issue_idx, previous] = Move(outcome, rng);
        if (problem_.Allowed(outcome)) {
          Evaluate(outcome, row.data());
          ++result.evaluated;
          if (problem_.Acceptable(row.data())) {
            archive.Offer(row.data(), outcome);
            if (!DominatesRow(utilities.data(), row.data(), dims_) && queue.size() < kMaxQueue) {
              queue.emplace_back(outcome, row);
            }
          }
        }
        outcome[issue_idx] = previous;
      }
      queue.emplace_back(std::move(outcome), std::move(utilities));
    }
    archive.AppendTo(result.values, result.outcomes);
    return result;
  }

  // The non-dominated points of `base` and every unit's archive.
  UnitResult Merge(std::vector<UnitResult>& units, UnitResult base) const {
    for (UnitResult& unit : units) {
      base.values.insert(base.values.end(), unit.values.begin(), unit.values.end());
      for (Outcome& outcome : unit.outcomes) base.outcomes.push_back(std::move(outcome));
      unit.values.clear();
      unit.outcomes.clear();
    }
    std::vector<double> zero_tolerance(dims_, 0.0);
    std::vector<std::uint32_t> kept = FilterNonDominated(base.values, dims_, zero_tolerance);
    // Drop duplicates of one outcome found by several units; list at most kMaxTiesListed
    // outcomes per utility vector (the smallest ones, so the choice is deterministic).
    std::sort(kept.begin(), kept.end(), [&](std::uint32_t a, std::uint32_t b) {
      const double* row_a = &base.values[a * dims_];
      const double* row_b = &base.values[b * dims_];
      if (!std::equal(row_a, row_a + dims_, row_b)) {
        return std::lexicographical_compare(row_a, row_a + dims_, row_b, row_b + dims_);
      }
      return base.outcomes[a] < base.outcomes[b];
    });
    UnitResult merged;
    std::size_t tied = 0;
    for (std::size_t position = 0; position < kept.size(); ++position) {
      std::uint32_t index = kept[position];
      if (position > 0) {
        std::uint32_t previous = kept[position - 1];
        bool same_row = std::equal(base.values.begin() + index * dims_,
                                   base.values.begin() + (index + 1) * dims_,
                                   base.values.begin() + previous * dims_);
        if (same_row && base.outcomes[index] == base.outcomes[previous]) continue;
        tied = same_row ? tied + 1 : 0;
        if (tied >= kMaxTiesListed) continue;
      }
      merged.values.insert(merged.values.end(), base.values.begin() + index * dims_,
                           base.values.begin() + (index + 1) * dims_);
      merged.outcomes.push_back(base.outcomes[index]);
    }
    return merged;
  }

  const FrontierProblem& problem_;
  const ParetoOptions& options_;
  std::size_t num_issues_;
  std::size_t dims_;
  std::vector<std::size_t> movable_;       // issues with more than one option
  std::vector<double> low_;                // per party: smallest utility found
  std::vector<double> scale_;              // per party: utility range (1 when flat)
  std::vector<Outcome> seeds_;             // per party: its best outcome found
  std::vector<Outcome> relaxation_seeds_;  // points of the additive relaxation's frontier
  std::string relaxation_note_;
};

}  // namespace

Result<MethodOutput> ComputeFrontierBySearch(const FrontierProblem& problem,
                                             const ParetoOptions& options) {
  Searcher searcher(problem, options);
  return searcher.Run();
}

}  // namespace parley::analysis::internal
