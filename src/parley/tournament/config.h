// A tournament configuration: which scenarios, which strategies (with parameter grids), under
// which protocol, for how many rounds and repetitions, from which seed (docs/tournament.md).
//
// ```yaml
// scenarios: [riverside.yaml, ../../shared/data/genius/anac/y2010]   # files or folders
// strategies: [boulware, "time_based(e=[0.5, 1, 2])", hardliner]
// protocol: alternating_offers
// rounds: 200
// repetitions: 10
// seed: 7
// ```
// The file itself is read by io/tournament_file.h (keys, shapes, numbers, relative paths resolved
// against the config file's folder, each value's line and column). Here strategy and protocol
// specs are checked against the registries and grids expanded; checks that need the scenarios
// (enough principals, a mediator when the protocol needs one) happen when the tournament is
// prepared.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/io/scenario_io.h"
#include "parley/strategies/strategy.h"

namespace parley::tournament {

enum class ResultsFormat { kCsv, kJsonl };
std::string_view ResultsFormatName(ResultsFormat format);  // "csv", "jsonl"
Result<ResultsFormat> ParseResultsFormat(const std::string& name);
// .jsonl / .ndjson -> JSON Lines; anything else CSV.
ResultsFormat FormatForPath(const std::string& path);

// One strategy after grid expansion.
struct StrategyEntry {
  std::string label;      // normalised spec as written, e.g. "time_based(e=0.5)"
  std::string canonical;  // every parameter written out (what traces record)
  Location location;      // where the config names it
};

// One `scenarios` entry as written (a folder may stand for many scenarios).
struct ScenarioEntry {
  std::string label;          // the path as written; "DOMAIN+PROFILE+..." for explicit files
  io::ScenarioSource source;  // paths resolved against the config's folder
  Location location;
};

struct TournamentConfig {
  std::string file;  // the config file (error messages)
  std::vector<ScenarioEntry> scenarios;
  std::vector<StrategyEntry> strategies;  // principals' strategies
  std::vector<StrategyEntry> mediators;   // optional: one session set per mediator strategy
  std::string protocol = "alternating_offers";
  std::string protocol_canonical;
  int rounds = 200;
  int repetitions = 1;
  std::uint64_t seed = 1;
  bool role_swapping = true;
  bool discount = true;
  double confidence = 0.95;             // statistics.confidence
  std::optional<ResultsFormat> format;  // `format`
  std::string output;                   // `output`, resolved against the config's folder
  // Where strategy specs were checked and sessions look them up; null: the global registry (see
  // session::SessionConfig::strategy_registry). Must outlive the tournament.
  const strategies::StrategyRegistry* strategy_registry = nullptr;
};

// `base_folder` resolves relative paths; `file_name` is used in error locations. Strategy specs
// are checked against `strategy_registry` (null: the global registry), which the config keeps.
Result<TournamentConfig> ParseTournamentConfig(
    const std::string& text, const std::string& file_name, const std::string& base_folder,
    const strategies::StrategyRegistry* strategy_registry = nullptr);
Result<TournamentConfig> LoadTournamentConfig(
    const std::string& path, const strategies::StrategyRegistry* strategy_registry = nullptr);

}  // namespace parley::tournament
