// Core model speed: utility evaluation and outcome-space indexing, the inner loops of every
// analysis and strategy. Figures in docs/performance.md.
#include <benchmark/benchmark.h>

#include <random>

#include "parley/io/scenario_io.h"
#include "parley/model/outcome_space.h"
#include "parley/model/utility.h"

namespace parley {
namespace {

// A synthetic additive profile: `num_issues` issues of `options` options, random values.
model::AdditiveUtility MakeAdditive(std::size_t num_issues, std::size_t options,
                                    std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> weights(num_issues, 1.0 / static_cast<double>(num_issues));
  std::vector<model::ValueFunction> values(num_issues);
  for (auto& value : values) {
    value.table.resize(options);
    for (double& entry : value.table) entry = uniform(rng);
  }
  return model::AdditiveUtility(weights, values);
}

void BM_AdditiveEvaluate(benchmark::State& state) {
  std::size_t num_issues = static_cast<std::size_t>(state.range(0));
  model::AdditiveUtility utility = MakeAdditive(num_issues, 10, 1);
  std::mt19937_64 rng(2);
  std::vector<model::Outcome> outcomes(1024, model::Outcome(num_issues));
  for (auto& outcome : outcomes) {
    for (auto& option : outcome) option = static_cast<model::OptionIndex>(rng() % 10);
  }
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(utility.Evaluate(outcomes[next++ & 1023]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AdditiveEvaluate)->Arg(6)->Arg(30)->Arg(50);

void BM_OutcomeSpaceForEach(benchmark::State& state) {
  // AMPOvsCity's shape is about 1.9M outcomes; this synthetic space has 7^7 = 823,543.
  model::OutcomeSpace space(std::vector<std::uint64_t>(7, 7));
  model::AdditiveUtility utility = MakeAdditive(7, 7, 3);
  for (auto _ : state) {
    double best = 0;
    Status status = space.ForEach(1'000'000, [&](const model::Outcome& outcome) {
      best = std::max(best, utility.Evaluate(outcome));
    });
    benchmark::DoNotOptimize(best);
    benchmark::DoNotOptimize(status.ok());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(*space.Count64()));
}
BENCHMARK(BM_OutcomeSpaceForEach)->Unit(benchmark::kMillisecond);

void BM_BigIndexRoundTrip(benchmark::State& state) {
  model::OutcomeSpace space(std::vector<std::uint64_t>(50, 10));
  model::Outcome outcome(50, 7);
  for (auto _ : state) {
    BigCount index = space.BigIndex(outcome);
    benchmark::DoNotOptimize(space.OutcomeAt(index));
  }
}
BENCHMARK(BM_BigIndexRoundTrip);

}  // namespace
}  // namespace parley
