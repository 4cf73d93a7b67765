// Pareto frontier speed: the enumeration path (2 and 3 parties, 1 and 2 threads), the exact
// additive merge on a 10^30-outcome space, non-additive enumeration and the search method.
// One thread unless the benchmark's name says otherwise. Figures in docs/performance.md.
//
// Counters: outcomes/s for enumeration; `frontier` is the number of frontier points;
// `peak_rss_mb` is the process's peak resident memory so far (run one benchmark alone with
// --benchmark_filter to read it for that benchmark).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cmath>
#include <memory>
#include <random>

#include "parley/analysis/pareto.h"
#include "parley/io/scenario_io.h"
#include "parley/model/hyper_rectangle_utility.h"

namespace parley {
namespace {

// "p" + number, written so that GCC 12's -Wrestrict false positive (PR 105329) stays quiet.
std::string Numbered(std::string_view prefix, std::size_t number) {
  std::string text(prefix);
  text += std::to_string(number);
  return text;
}

std::vector<model::Issue> MakeIssues(std::size_t num_issues, std::size_t options) {
  std::vector<model::Issue> issues;
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    std::vector<std::string> labels;
    for (std::size_t option = 0; option < options; ++option) {
      labels.push_back(Numbered("o", option));
    }
    issues.push_back(model::Issue::Discrete(Numbered("i", issue_idx), labels));
  }
  return issues;
}

model::Party Principal(std::string id, std::shared_ptr<const model::UtilityFunction> utility) {
  model::Party party;
  party.id = std::move(id);
  party.preferences = model::Preferences{};
  party.preferences->utility = std::move(utility);
  return party;
}

// Random weights and values in [0, 1), fixed seed.
model::Scenario RandomAdditive(std::size_t num_parties, std::size_t num_issues, std::size_t options,
                               std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  model::Scenario scenario;
  scenario.issues = MakeIssues(num_issues, options);
  for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
    std::vector<double> weights;
    std::vector<model::ValueFunction> values(num_issues);
    for (auto& value : values) {
      weights.push_back(uniform(rng));
      for (std::size_t option = 0; option < options; ++option) value.table.push_back(uniform(rng));
    }
    scenario.parties.push_back(Principal(
        Numbered("p", party_idx), std::make_shared<model::AdditiveUtility>(weights, values)));
  }
  return scenario;
}

// Non-additive: GENIUS-style hyper-rectangles, each constraining 1 to 3 issues.
model::Scenario RandomHyperRectangles(std::size_t num_parties, std::size_t num_issues,
                                      std::size_t options, std::size_t rectangles,
                                      std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  model::Scenario scenario;
  scenario.issues = MakeIssues(num_issues, options);
  for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
    model::RectangleSet set;
    for (std::size_t rectangle_idx = 0; rectangle_idx < rectangles; ++rectangle_idx) {
      model::HyperRectangle rectangle;
      rectangle.utility = static_cast<double>(1 + rng() % 100);
      std::size_t bounds = 1 + rng() % 3;
      for (std::size_t bound = 0; bound < bounds; ++bound) {
        double low = static_cast<double>(rng() % options);
        double high =
            std::min(static_cast<double>(options - 1), low + static_cast<double>(rng() % 4));
        rectangle.includes.push_back(model::RectangleBound{rng() % num_issues, low, high});
      }
      set.rectangles.push_back(rectangle);
    }
    scenario.parties.push_back(
        Principal(Numbered("p", party_idx),
                  std::make_shared<model::HyperRectangleUtility>(
                      scenario.issues, std::vector{set}, 100.0 * static_cast<double>(rectangles))));
  }
  return scenario;
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void Run(benchmark::State& state, const model::Scenario& scenario,
         const analysis::ParetoOptions& options, double outcomes_per_run) {
  std::size_t frontier_size = 0;
  for (auto _ : state) {
    Result<analysis::ParetoFrontier> frontier = analysis::ComputeParetoFrontier(scenario, options);
    if (!frontier.ok()) {
      state.SkipWithError(frontier.status().ToString().c_str());
      return;
    }
    frontier_size = frontier->points.size();
    benchmark::DoNotOptimize(frontier->points.data());
  }
  state.counters["frontier"] = static_cast<double>(frontier_size);
  state.counters["peak_rss_mb"] = PeakRssMb();
  if (outcomes_per_run > 0) {
    state.counters["outcomes/s"] = benchmark::Counter(
        outcomes_per_run * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  }
}

// Args: issues (of 10 options), threads. Additive utilities, enumeration forced.
void BM_Enumeration2Parties(benchmark::State& state) {
  std::size_t num_issues = static_cast<std::size_t>(state.range(0));
  model::Scenario scenario = RandomAdditive(2, num_issues, 10, 11);
  analysis::ParetoOptions options;
  options.force_enumeration = true;
  options.threads = static_cast<int>(state.range(1));
  Run(state, scenario, options, std::pow(10.0, static_cast<double>(num_issues)));
}
BENCHMARK(BM_Enumeration2Parties)
    ->Args({6, 1})
    ->Args({7, 1})
    ->Args({7, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Enumeration3Parties(benchmark::State& state) {
  std::size_t num_issues = static_cast<std::size_t>(state.range(0));
  model::Scenario scenario = RandomAdditive(3, num_issues, 10, 12);
  analysis::ParetoOptions options;
  options.force_enumeration = true;
  options.threads = static_cast<int>(state.range(1));
  Run(state, scenario, options, std::pow(10.0, static_cast<double>(num_issues)));
}
BENCHMARK(BM_Enumeration3Parties)
    ->Args({6, 1})
    ->Args({6, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Args: parties, issues (of 10 options). The exact merge, 10^issues outcomes never enumerated.
void BM_AdditiveMerge(benchmark::State& state) {
  model::Scenario scenario = RandomAdditive(static_cast<std::size_t>(state.range(0)),
                                            static_cast<std::size_t>(state.range(1)), 10, 13);
  analysis::ParetoOptions options;
  options.threads = 1;
  Run(state, scenario, options, 0);
}
BENCHMARK(BM_AdditiveMerge)
    ->Args({2, 30})
    ->Args({2, 50})
    ->Args({3, 10})
    ->Args({3, 30})
    ->Unit(benchmark::kMillisecond);

// Non-additive enumeration: 2 parties, 6 issues x 10 options, 50 rectangles per party.
void BM_HyperRectangleEnumeration(benchmark::State& state) {
  model::Scenario scenario = RandomHyperRectangles(2, 6, 10, 50, 14);
  analysis::ParetoOptions options;
  options.threads = static_cast<int>(state.range(0));
  Run(state, scenario, options, 1e6);
}
BENCHMARK(BM_HyperRectangleEnumeration)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Search: 2 parties, 30 issues x 10 options of hyper-rectangles (10^30 outcomes), 200k evaluations.
void BM_Search(benchmark::State& state) {
  model::Scenario scenario = RandomHyperRectangles(2, 30, 10, 100, 15);
  analysis::ParetoOptions options;
  options.threads = static_cast<int>(state.range(0));
  options.search_budget = 200'000;
  Run(state, scenario, options, 200'000);
}
BENCHMARK(BM_Search)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The real AMPOvsCity scenario (GENIUS, 1.9M outcomes, 2 parties). Arg: 0 = additive merge,
// 1 = forced enumeration (one thread).
void BM_AmpoVsCity(benchmark::State& state) {
  Result<model::Scenario> scenario =
      io::LoadScenario(std::string(PARLEY_SHARED_DATA_DIR) + "/genius/other/AMPOvsCity");
  if (!scenario.ok()) {
    state.SkipWithError(scenario.status().ToString().c_str());
    return;
  }
  analysis::ParetoOptions options;
  options.threads = 1;
  options.force_enumeration = state.range(0) == 1;
  Run(state, *scenario, options, options.force_enumeration ? 1'944'000 : 0);
}
BENCHMARK(BM_AmpoVsCity)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley
