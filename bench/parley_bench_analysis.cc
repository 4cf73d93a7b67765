// Analysis after load on real scenarios: Pareto frontier plus every bargaining solution, per ANAC
// linear scenario in ../shared/data (the target: <= 3 ms each, up to AMPOvsCity), and the
// whole `analyze` pipeline (frontier, solutions, zone of agreement, obstacles, gaps).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <set>

#include "parley/analysis/analyze.h"
#include "parley/io/scenario_io.h"

namespace parley {
namespace {

namespace fs = std::filesystem;

void FrontierAndSolutions(benchmark::State& state, const std::string& folder) {
  Result<model::Scenario> scenario = io::LoadScenario(folder);
  if (!scenario.ok()) {
    state.SkipWithError(scenario.status().ToString().c_str());
    return;
  }
  std::vector<std::size_t> parties = scenario->PrincipalIndices();
  if (parties.size() > 2) parties.resize(2);
  analysis::ParetoOptions options;
  options.parties = parties;
  options.threads = 1;
  std::vector<double> reservations = analysis::ReservationValues(*scenario, parties);
  for (auto _ : state) {
    Result<analysis::ParetoFrontier> frontier = analysis::ComputeParetoFrontier(*scenario, options);
    analysis::BargainingSolutions solutions =
        analysis::ComputeBargainingSolutions(*frontier, reservations);
    benchmark::DoNotOptimize(solutions.nash.defined);
  }
  state.SetLabel(scenario->BuildOutcomeSpace().Count().ToDisplayString() + " outcomes");
}

void FullAnalysis(benchmark::State& state, const std::string& path) {
  Result<model::Scenario> scenario = io::LoadScenario(path);
  if (!scenario.ok()) {
    state.SkipWithError(scenario.status().ToString().c_str());
    return;
  }
  analysis::AnalysisOptions options;
  std::vector<std::size_t> parties = scenario->PrincipalIndices();
  if (parties.size() > 2) parties.resize(2);
  options.parties = parties;
  options.pareto.threads = 1;
  for (auto _ : state) {
    Result<analysis::ScenarioAnalysis> analysis = analysis::AnalyzeScenario(*scenario, options);
    benchmark::DoNotOptimize(analysis.ok());
  }
}

// Registers one benchmark per linear ANAC / other GENIUS folder and GeniusWeb folder.
int RegisterCorpusBenchmarks() {
  fs::path data(PARLEY_SHARED_DATA_DIR);
  std::error_code ec;
  if (!fs::is_directory(data, ec)) return 0;
  std::set<std::string> folders;
  for (const auto& entry : fs::recursive_directory_iterator(data)) {
    if (entry.is_regular_file() && entry.path().extension() == ".xml" &&
        entry.path().string().find("/y2014/") == std::string::npos &&
        entry.path().string().find("S-1N") == std::string::npos) {
      folders.insert(entry.path().parent_path().string());
    }
  }
  for (const std::string& folder : folders) {
    std::string name = "BM_FrontierAndSolutions/" + fs::path(folder).filename().string();
    benchmark::RegisterBenchmark(name.c_str(), FrontierAndSolutions, folder)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("BM_FullAnalysis/AMPOvsCity", FullAnalysis,
                               (data / "genius/other/AMPOvsCity").string())
      ->Unit(benchmark::kMillisecond);
  return 0;
}

const int kRegistered = RegisterCorpusBenchmarks();

void BM_FullAnalysisCeasefire(benchmark::State& state) {
  FullAnalysis(state, std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml");
}
BENCHMARK(BM_FullAnalysisCeasefire)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley
