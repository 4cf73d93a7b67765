// Loading speed on real scenarios from ../shared/data and on the bundled examples.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "parley/io/scenario_io.h"

namespace parley {
namespace {

void LoadOrSkip(benchmark::State& state, const std::string& path) {
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("scenario not found (../shared/data absent?)");
    return;
  }
  for (auto _ : state) {
    Result<model::Scenario> scenario = io::LoadScenario(path);
    if (!scenario.ok()) {
      state.SkipWithError(scenario.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(scenario->issues.size());
  }
}

void BM_LoadCeasefireYaml(benchmark::State& state) {
  LoadOrSkip(state, std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml");
}
BENCHMARK(BM_LoadCeasefireYaml)->Unit(benchmark::kMicrosecond);

void BM_LoadGeniusTravel(benchmark::State& state) {
  LoadOrSkip(state, std::string(PARLEY_SHARED_DATA_DIR) + "/genius/anac/y2010/Travel");
}
BENCHMARK(BM_LoadGeniusTravel)->Unit(benchmark::kMicrosecond);

void BM_LoadGeniusAmpoVsCity(benchmark::State& state) {
  LoadOrSkip(state, std::string(PARLEY_SHARED_DATA_DIR) + "/genius/other/AMPOvsCity");
}
BENCHMARK(BM_LoadGeniusAmpoVsCity)->Unit(benchmark::kMicrosecond);

void BM_LoadGenius50IssuesNonlinear(benchmark::State& state) {
  LoadOrSkip(state, std::string(PARLEY_SHARED_DATA_DIR) + "/genius/anac/y2014/50issues");
}
BENCHMARK(BM_LoadGenius50IssuesNonlinear)->Unit(benchmark::kMillisecond);

void BM_LoadGeniusWebParty(benchmark::State& state) {
  LoadOrSkip(state, std::string(PARLEY_SHARED_DATA_DIR) + "/geniusweb/Party");
}
BENCHMARK(BM_LoadGeniusWebParty)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace parley
