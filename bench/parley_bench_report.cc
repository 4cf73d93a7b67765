// Report speed: the HTML page of examples/ceasefire.yaml (503,808 outcomes placed by enumeration,
// the analysis with its obstacle search, every chart), of a 200-round shuttle session on it (the
// session `make demo` runs), and of a 10^30-outcome scenario (100,000 sampled outcomes). The
// scenario is loaded and the session run once, outside the timing. Figures in
// docs/performance.md.
#include <benchmark/benchmark.h>

#include <random>

#include "parley/io/scenario_io.h"
#include "parley/report/html_report.h"
#include "parley/session/session.h"

namespace parley {
namespace {

model::Scenario Ceasefire() {
  Result<model::Scenario> scenario =
      io::LoadScenario(std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml");
  PARLEY_CHECK(scenario.ok());
  return std::move(scenario).value();
}

void BM_CeasefireScenarioReport(benchmark::State& state) {
  model::Scenario scenario = Ceasefire();
  std::size_t bytes = 0;
  for (auto _ : state) {
    Result<std::string> page = report::ScenarioReportHtml(scenario);
    PARLEY_CHECK(page.ok());
    bytes = page->size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["page_kB"] = static_cast<double>(bytes) / 1000;
}
BENCHMARK(BM_CeasefireScenarioReport)->Unit(benchmark::kMillisecond);

void BM_CeasefireTraceReport(benchmark::State& state) {
  model::Scenario scenario = Ceasefire();
  session::SessionConfig config;
  config.protocol = "shuttle";
  config.rounds = 200;
  config.seed = 7;
  config.strategies[*scenario.FindParty("qatar")] = "nash_mediator";
  config.strategies[*scenario.FindParty("united_states")] = "split_the_difference";
  Result<session::Trace> trace = session::RunSession(scenario, config);
  PARLEY_CHECK(trace.ok());
  std::size_t bytes = 0;
  for (auto _ : state) {
    Result<std::string> page = report::TraceReportHtml(scenario, *trace);
    PARLEY_CHECK(page.ok());
    bytes = page->size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["page_kB"] = static_cast<double>(bytes) / 1000;
  state.counters["messages"] = static_cast<double>(trace->events.size());
}
BENCHMARK(BM_CeasefireTraceReport)->Unit(benchmark::kMillisecond);

// Two additive parties over 30 issues of 10 options.
model::Scenario Huge() {
  model::Scenario scenario;
  scenario.name = "huge";
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int issue_idx = 0; issue_idx < 30; ++issue_idx) {
    std::vector<std::string> options;
    for (int option = 0; option < 10; ++option) options.push_back("o" + std::to_string(option));
    scenario.issues.push_back(model::Issue::Discrete("i" + std::to_string(issue_idx), options));
  }
  for (const char* id : {"a", "b"}) {
    std::vector<double> weights(30, 1.0 / 30);
    std::vector<model::ValueFunction> values(30);
    for (model::ValueFunction& table : values) {
      for (int option = 0; option < 10; ++option) table.table.push_back(unit(rng));
    }
    model::Party party;
    party.id = id;
    party.name = id;
    party.preferences = model::Preferences{};
    party.preferences->utility = std::make_shared<model::AdditiveUtility>(weights, values);
    party.preferences->reservation_value = 0.4;
    scenario.parties.push_back(party);
  }
  return scenario;
}

void BM_HugeScenarioReport(benchmark::State& state) {
  model::Scenario scenario = Huge();
  for (auto _ : state) {
    Result<std::string> page = report::ScenarioReportHtml(scenario);
    PARLEY_CHECK(page.ok());
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_HugeScenarioReport)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley
