// Analysis after load on real scenarios: Pareto frontier plus every bargaining solution, per ANAC
// linear scenario in ../shared/data (the issue's target: <= 3 ms each, up to AMPOvsCity), and the
// whole `analyze` pipeline (frontier, solutions, zone of agreement, obstacles, gaps), and the
// mediator's suggestions (ranked acceptable texts, or relaxations and deferrals when none).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "parley/analysis/analyze.h"
#include "parley/analysis/suggestions.h"
#include "parley/io/scenario_io.h"
#include "parley/model/utility.h"
#include "parley/testing/random_scenario.h"

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

// The draft is every issue's first option, or with `far` the first party's worst option on every
// issue (the closest acceptable texts then change many issues).
void Suggest(benchmark::State& state, const model::Scenario& scenario,
             analysis::SuggestionCriterion criterion, bool far = false) {
  analysis::SuggestionOptions options;
  options.criterion = criterion;
  options.draft = model::Outcome(scenario.issues.size(), 0);
  if (far) {
    const auto& first =
        dynamic_cast<const model::AdditiveUtility&>(*scenario.parties[0].preferences->utility);
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const std::vector<double>& table = first.values()[issue_idx].table;
      (*options.draft)[issue_idx] = static_cast<model::OptionIndex>(
          std::min_element(table.begin(), table.end()) - table.begin());
    }
  }
  options.pareto.threads = 1;
  std::size_t candidates = 0;
  for (auto _ : state) {
    Result<analysis::Suggestions> suggestions = analysis::ComputeSuggestions(scenario, options);
    if (!suggestions.ok()) {
      state.SkipWithError(suggestions.status().ToString().c_str());
      return;
    }
    candidates = suggestions->candidates;
  }
  state.SetLabel(std::to_string(candidates) + " texts ranked");
}

model::Scenario Example(const std::string& name) {
  return io::LoadScenario(std::string(PARLEY_SOURCE_DIR) + "/examples/" + name).value();
}

// 2 parties, 30 issues x 10 options (10^30 outcomes), reservations up to 0.3.
model::Scenario Huge() {
  parley::testing::RandomScenarioSpec spec;
  spec.num_issues = 30;
  spec.min_options = 10;
  spec.max_options = 10;
  spec.reservation_max = 0.3;
  return parley::testing::MakeRandomScenario(spec, 7);
}

// No zone: the relaxations (obstacles) and the phased deferrals.
void BM_SuggestCeasefire(benchmark::State& state) {
  Suggest(state, Example("ceasefire.yaml"), analysis::SuggestionCriterion::kNash);
}
BENCHMARK(BM_SuggestCeasefire)->Unit(benchmark::kMillisecond);

void BM_SuggestRiverside(benchmark::State& state) {
  Suggest(state, Example("riverside.yaml"),
          static_cast<analysis::SuggestionCriterion>(state.range(0)));
}
BENCHMARK(BM_SuggestRiverside)->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

void BM_SuggestHuge(benchmark::State& state) {
  Suggest(state, Huge(), static_cast<analysis::SuggestionCriterion>(state.range(0)));
}
BENCHMARK(BM_SuggestHuge)->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

void BM_SuggestHugeFarDraft(benchmark::State& state) {
  Suggest(state, Huge(), static_cast<analysis::SuggestionCriterion>(state.range(0)), true);
}
BENCHMARK(BM_SuggestHugeFarDraft)->DenseRange(3, 4)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley
