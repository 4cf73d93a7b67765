#include "parley/tournament/config.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "parley/base/names.h"
#include "parley/io/tournament_file.h"
#include "parley/protocols/protocol.h"
#include "parley/protocols/registry.h"
#include "parley/strategies/strategy.h"
#include "parley/tournament/grid.h"

namespace parley::tournament {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxStrategies = 10'000;

// What the file's values mean: strategy and protocol specs resolved against the registries,
// grids expanded, the results format named.
class ConfigResolver {
 public:
  explicit ConfigResolver(const strategies::StrategyRegistry* strategy_registry)
      : strategy_registry_(strategy_registry),
        strategies_(strategy_registry != nullptr ? *strategy_registry
                                                 : strategies::StrategyRegistry::Global()) {}

  Result<TournamentConfig> Resolve(io::TournamentFile file) const {
    TournamentConfig config;
    config.file = file.file;
    config.strategy_registry = strategy_registry_;
    for (io::TournamentScenarioItem& item : file.scenarios) {
      config.scenarios.push_back(
          ScenarioEntry{std::move(item.label), std::move(item.source), std::move(item.location)});
    }
    PARLEY_ASSIGN_OR_RETURN(config.strategies,
                            ResolveStrategies(file.strategies, model::Role::kPrincipal));
    PARLEY_ASSIGN_OR_RETURN(config.mediators,
                            ResolveStrategies(file.mediators, model::Role::kMediator));
    if (file.protocol) config.protocol = *file.protocol;
    PARLEY_ASSIGN_OR_RETURN(config.protocol_canonical,
                            CanonicalProtocol(config.protocol, file.protocol_location));
    config.rounds = file.rounds.value_or(config.rounds);
    config.repetitions = file.repetitions.value_or(config.repetitions);
    config.seed = file.seed.value_or(config.seed);
    config.role_swapping = file.role_swapping.value_or(config.role_swapping);
    config.discount = file.discount.value_or(config.discount);
    config.confidence = file.confidence.value_or(config.confidence);
    if (file.format) {
      Result<ResultsFormat> format = ParseResultsFormat(*file.format);
      if (!format.ok()) return InvalidInput(format.status().message(), file.format_location);
      config.format = *format;
    }
    if (file.output) config.output = *file.output;
    return config;
  }

 private:
  // One entry of `strategies` / `mediators` -> its grid.
  static Result<GridSpec> Grid(const io::TournamentStrategyItem& item) {
    if (!item.spec) return GridSpec{item.name, item.parameters};
    Result<GridSpec> grid = ParseGridSpec(*item.spec);
    if (!grid.ok()) {
      Location location = item.location;
      if (location.column > 0 && grid.status().location().column > 0) {
        location.column += grid.status().location().column - 1;
      }
      return InvalidInput(grid.status().message(), location);
    }
    return grid;
  }

  Result<std::vector<StrategyEntry>> ResolveStrategies(
      const std::vector<io::TournamentStrategyItem>& items, model::Role role) const {
    std::vector<StrategyEntry> out;
    std::set<std::string> labels;
    for (const io::TournamentStrategyItem& item : items) {
      PARLEY_ASSIGN_OR_RETURN(GridSpec grid, Grid(item));
      if (GridSize(grid) > kMaxStrategies || out.size() + GridSize(grid) > kMaxStrategies) {
        return InvalidInput(
            "the grids expand to more than " + std::to_string(kMaxStrategies) + " strategies",
            item.location);
      }
      for (const std::string& label : ExpandGrid(grid)) {
        PARLEY_ASSIGN_OR_RETURN(std::string canonical,
                                CanonicalStrategy(label, role, item.location));
        if (!labels.insert(label).second) {
          return InvalidInput("strategy " + Quote(label) + " is listed twice", item.location);
        }
        out.push_back(StrategyEntry{label, canonical, item.location});
      }
    }
    return out;
  }

  // Through Registry::Resolve, as everywhere; this adds the config's file, line and column.
  Result<std::string> CanonicalStrategy(const std::string& label, model::Role role,
                                        const Location& location) const {
    Result<protocols::ResolvedSpec<strategies::StrategyDescriptor>> resolved =
        strategies_.Resolve(label, role);
    if (!resolved.ok()) return InvalidInput(resolved.status().message(), location);
    return resolved->canonical;
  }

  static Result<std::string> CanonicalProtocol(const std::string& text, const Location& location) {
    Result<protocols::ResolvedSpec<protocols::ProtocolDescriptor>> resolved =
        protocols::ProtocolRegistry::Global().Resolve(text);
    if (!resolved.ok()) return InvalidInput(resolved.status().message(), location);
    // Parameter values the specs cannot express (e.g. a negative bound) fail here, not later.
    Result<std::unique_ptr<protocols::Protocol>> created =
        resolved->descriptor->create(resolved->parameters);
    if (!created.ok()) return InvalidInput(created.status().message(), location);
    return resolved->canonical;
  }

  const strategies::StrategyRegistry* strategy_registry_;
  const strategies::StrategyRegistry& strategies_;
};

}  // namespace

std::string_view ResultsFormatName(ResultsFormat format) {
  return format == ResultsFormat::kJsonl ? "jsonl" : "csv";
}

Result<ResultsFormat> ParseResultsFormat(const std::string& name) {
  if (name == "csv") return ResultsFormat::kCsv;
  if (name == "jsonl") return ResultsFormat::kJsonl;
  return InvalidInput(UnknownName("format", name, "formats", {"csv", "jsonl"}));
}

ResultsFormat FormatForPath(const std::string& path) {
  std::string extension = fs::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".jsonl" || extension == ".ndjson" ? ResultsFormat::kJsonl
                                                         : ResultsFormat::kCsv;
}

Result<TournamentConfig> ParseTournamentConfig(
    const std::string& text, const std::string& file_name, const std::string& base_folder,
    const strategies::StrategyRegistry* strategy_registry) {
  PARLEY_ASSIGN_OR_RETURN(io::TournamentFile file,
                          io::ParseTournamentFile(text, file_name, base_folder));
  return ConfigResolver(strategy_registry).Resolve(std::move(file));
}

Result<TournamentConfig> LoadTournamentConfig(
    const std::string& path, const strategies::StrategyRegistry* strategy_registry) {
  PARLEY_ASSIGN_OR_RETURN(io::TournamentFile file, io::ReadTournamentFile(path));
  return ConfigResolver(strategy_registry).Resolve(std::move(file));
}

}  // namespace parley::tournament
