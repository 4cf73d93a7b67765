// Uncertainty analysis: the speed target (10,000 samples of the ceasefire scenario,
// 503,808 outcomes, in at most 10 s on one core, with the exact zone of agreement per sample and
// no enumeration of the space), the cost of one sample's exact zone, learning from a record and
// a forecast. Figures in docs/performance.md.
#include <benchmark/benchmark.h>

#include "parley/base/file.h"
#include "parley/io/limits.h"
#include "parley/io/record_io.h"
#include "parley/io/scenario_io.h"
#include "parley/uncertainty/forecast.h"
#include "parley/uncertainty/learning.h"
#include "parley/uncertainty/robust.h"

namespace parley {
namespace {

model::Scenario Load(const std::string& name) {
  Result<model::Scenario> scenario =
      io::LoadScenario(std::string(PARLEY_SOURCE_DIR) + "/examples/" + name);
  return scenario.ok() ? std::move(scenario).value() : model::Scenario{};
}

// The whole robust analysis (samples, exact zones, robust packages, sensitivity) on one thread.
void BM_CeasefireRobustAnalysis(benchmark::State& state) {
  model::Scenario scenario = Load("ceasefire.yaml");
  uncertainty::RobustOptions options;
  options.samples = static_cast<std::uint64_t>(state.range(0));
  options.threads = 1;
  double probability = 0;
  for (auto _ : state) {
    Result<uncertainty::RobustAnalysis> analysis = uncertainty::AnalyzeUncertainty(
        scenario, scenario.PrincipalIndices(), state.range(1) / 100.0, options);
    if (!analysis.ok()) {
      state.SkipWithError(analysis.status().ToString().c_str());
      return;
    }
    probability = analysis->zopa_probability.estimate;
  }
  state.counters["zone_probability"] = probability;
  state.counters["samples_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CeasefireRobustAnalysis)
    ->Args({10000, 0})
    ->Args({10000, 10})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// One sample: materialise the utilities and decide the zone exactly.
void BM_CeasefireZonePerSample(benchmark::State& state) {
  model::Scenario scenario = Load("ceasefire.yaml");
  Result<uncertainty::ParameterSet> set =
      uncertainty::ParameterSet::Build(scenario, scenario.PrincipalIndices(), 0.1);
  Result<uncertainty::ZoneSolver> solver = uncertainty::ZoneSolver::Build(*set);
  std::vector<std::vector<double>> samples = uncertainty::DrawPriorSamples(*set, 1024, 1, 1);
  uncertainty::ZoneWorkspace workspace;
  uncertainty::SampledUtilities utilities;
  std::size_t sample = 0;
  for (auto _ : state) {
    set->Materialize(samples[sample++ % samples.size()], utilities);
    benchmark::DoNotOptimize(solver->Solve(utilities, workspace).exists);
  }
}
BENCHMARK(BM_CeasefireZonePerSample)->Unit(benchmark::kMicrosecond);

// Learning from the invented riverside record and the robust analysis on the posterior.
void BM_RiversideLearning(benchmark::State& state) {
  model::Scenario scenario = Load("riverside.yaml");
  Result<std::string> text = ReadFileToString(
      std::string(PARLEY_SOURCE_DIR) + "/examples/riverside_record.yaml", io::kMaxTraceFileBytes);
  Result<model::Record> record = io::ReadRecord(*text, "riverside_record.yaml", scenario);
  Result<uncertainty::ParameterSet> set =
      uncertainty::ParameterSet::Build(scenario, scenario.PrincipalIndices(), 0.1);
  uncertainty::LearningOptions options;
  options.threads = 1;
  for (auto _ : state) {
    std::vector<std::vector<double>> prior =
        uncertainty::DrawPriorSamples(*set, static_cast<std::uint64_t>(state.range(0)), 1, 1);
    Result<uncertainty::Posterior> posterior =
        uncertainty::LearnFromRecord(*set, *record, prior, options);
    benchmark::DoNotOptimize(posterior->stages);
  }
}
BENCHMARK(BM_RiversideLearning)->Arg(2000)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_RiversideForecast(benchmark::State& state) {
  model::Scenario scenario = Load("riverside.yaml");
  Result<std::string> text = ReadFileToString(
      std::string(PARLEY_SOURCE_DIR) + "/examples/riverside_record.yaml", io::kMaxTraceFileBytes);
  Result<model::Record> record = io::ReadRecord(*text, "riverside_record.yaml", scenario);
  for (auto _ : state) {
    Result<uncertainty::Forecast> forecast =
        uncertainty::ForecastAgreement(scenario, *record, uncertainty::ForecastOptions{});
    benchmark::DoNotOptimize(forecast->agreement_probability.estimate);
  }
}
BENCHMARK(BM_RiversideForecast)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley
