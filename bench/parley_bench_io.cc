// Loading speed on real scenarios from ../shared/data and on the bundled examples, and what the
// input limits cost: the scans before parsing, and refusing hostile or oversized input.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "parley/io/json_limits.h"
#include "parley/io/limits.h"
#include "parley/io/scenario_io.h"
#include "parley/io/yaml_limits.h"

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

// A parley YAML scenario of `issues` discrete issues of 10 options and `parties` parties with
// additive preferences: about 22 values per issue and party.
std::string WideScenario(int issues, int parties) {
  std::string text = "issues:\n";
  for (int issue = 0; issue < issues; ++issue) {
    text += "  - {id: i" + std::to_string(issue) +
            ", options: [o0, o1, o2, o3, o4, o5, o6, o7, "
            "o8, o9]}\n";
  }
  text += "parties:\n";
  for (int party = 0; party < parties; ++party) {
    text += "  - id: p" + std::to_string(party) + "\n    preferences:\n      weights: {";
    for (int issue = 0; issue < issues; ++issue) {
      text += (issue ? ", i" : "i") + std::to_string(issue) + ": 1";
    }
    text += "}\n      values:\n";
    for (int issue = 0; issue < issues; ++issue) {
      text += "        i" + std::to_string(issue) +
              ": {o0: 0, o1: 0.1, o2: 0.2, o3: 0.3, o4: 0.4, "
              "o5: 0.5, o6: 0.6, o7: 0.7, o8: 0.8, o9: 0.9}\n";
    }
  }
  return text;
}

// 1,000 issues x 10 options, 2 parties (the size of the issue that motivated the limits).
void BM_LoadWideScenario1000Issues(benchmark::State& state) {
  const std::string text = WideScenario(1000, 2);
  for (auto _ : state) {
    Result<model::Scenario> scenario = io::ReadParleyYaml(text, "wide.yaml");
    if (!scenario.ok()) state.SkipWithError(scenario.status().ToString().c_str());
    benchmark::DoNotOptimize(scenario.ok());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_LoadWideScenario1000Issues)->Unit(benchmark::kMillisecond);

// yaml-cpp's tree alone, then LoadYaml (the event pass that measures depth, values and aliases,
// then the same tree): the difference is what the limits cost.
void BM_YamlCppLoad(benchmark::State& state) {
  const std::string text = WideScenario(1000, 2);
  for (auto _ : state) benchmark::DoNotOptimize(YAML::Load(text).size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_YamlCppLoad)->Unit(benchmark::kMillisecond);

void BM_LoadYamlWithinLimits(benchmark::State& state) {
  const std::string text = WideScenario(1000, 2);
  for (auto _ : state) {
    Result<YAML::Node> node = io::LoadYaml(text, io::ScenarioYamlLimits(), "wide.yaml");
    benchmark::DoNotOptimize(node.ok());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_LoadYamlWithinLimits)->Unit(benchmark::kMillisecond);

// A 30 MB scenario (88,000 issues) is refused once the event pass counts its millionth value.
void BM_RefuseOversizedYaml(benchmark::State& state) {
  const std::string text = WideScenario(88'000, 2);
  for (auto _ : state) {
    Result<model::Scenario> scenario = io::ReadParleyYaml(text, "big.yaml");
    if (scenario.ok()) state.SkipWithError("an oversized scenario was read");
  }
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_RefuseOversizedYaml)->Unit(benchmark::kMillisecond)->Iterations(3);

// JSON nested a million levels deep: refused by the scan at level 65.
void BM_RefuseDeepJson(benchmark::State& state) {
  const std::string text(1'000'000, '[');
  for (auto _ : state) {
    Result<io::Json> json = io::ParseJson(text, io::ScenarioJsonLimits());
    if (json.ok()) state.SkipWithError("deep JSON was parsed");
  }
}
BENCHMARK(BM_RefuseDeepJson)->Unit(benchmark::kMicrosecond);

// Parsing within limits against nlohmann's plain parse (BM_PlainJson) on a flat 1 MB document:
// the cost of counting values and depth as it goes.
std::string FlatJson() {
  std::string text = "[";
  while (text.size() < 1'000'000) text += "{\"a\": 1.5, \"b\": \"text\", \"c\": [true, null]},";
  text += "0]";
  return text;
}

void BM_LimitedJson(benchmark::State& state) {
  const std::string text = FlatJson();
  for (auto _ : state) {
    Result<io::Json> json = io::ParseJson(text, io::ScenarioJsonLimits());
    benchmark::DoNotOptimize(json.ok());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_LimitedJson)->Unit(benchmark::kMicrosecond);

void BM_PlainJson(benchmark::State& state) {
  const std::string text = FlatJson();
  for (auto _ : state) {
    io::Json json = io::Json::parse(text);
    benchmark::DoNotOptimize(json.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_PlainJson)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace parley
