// The tournament config file as written (docs/tournament.md): its YAML read into plain values
// with the file, line and column of each, every key and shape checked. What the values mean
// (strategy and protocol specs against the registries, parameter grids, results formats) is
// tournament/config.h's job; that is the only reader of this.
//
// ```yaml
// scenarios: [riverside.yaml, ../../shared/data/genius/anac/y2010]   # files or folders
// strategies: [boulware, "time_based(e=[0.5, 1, 2])", hardliner]
// protocol: alternating_offers
// rounds: 200
// repetitions: 10
// seed: 7
// ```
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parley/base/status.h"
#include "parley/io/scenario_io.h"

namespace parley::io {

// Upper bounds on the numbers a config may give.
inline constexpr int kMaxTournamentRounds = 100'000'000;
inline constexpr int kMaxTournamentRepetitions = 1'000'000;

// One `scenarios` entry (a folder may stand for many scenarios).
struct TournamentScenarioItem {
  std::string label;  // the path as written, normalised; "DOMAIN+PROFILE+..." for explicit files
  ScenarioSource source;  // paths resolved against the config's folder
  Location location;
};

// One `strategies` / `mediators` entry: a spec text such as "time_based(e=[0.5, 1])", or the
// mapping form {name: ..., parameters: {key: value or [values]}}.
struct TournamentStrategyItem {
  std::optional<std::string> spec;  // the text form
  std::string name;                 // the mapping form
  std::vector<std::pair<std::string, std::vector<std::string>>> parameters;
  Location location;  // the entry's; `field` is e.g. "strategies[2]"
};

struct TournamentFile {
  std::string file;  // error locations
  std::vector<TournamentScenarioItem> scenarios;
  std::vector<TournamentStrategyItem> strategies;
  std::vector<TournamentStrategyItem> mediators;  // empty when not given
  std::optional<std::string> protocol;
  Location protocol_location;  // where `protocol` is (the file's start when absent)
  std::optional<int> rounds;
  std::optional<int> repetitions;
  std::optional<std::uint64_t> seed;
  std::optional<bool> role_swapping;
  std::optional<bool> discount;
  std::optional<double> confidence;  // statistics.confidence
  std::optional<std::string> format;
  Location format_location;
  std::optional<std::string> output;  // resolved against the config's folder
};

// `base_folder` resolves relative paths; `file_name` is used in error locations.
Result<TournamentFile> ParseTournamentFile(const std::string& text, const std::string& file_name,
                                           const std::string& base_folder);
Result<TournamentFile> ReadTournamentFile(const std::string& path);

}  // namespace parley::io
