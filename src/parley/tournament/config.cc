#include "parley/tournament/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "parley/base/file.h"
#include "parley/base/names.h"
#include "parley/base/numbers.h"
#include "parley/io/yaml_limits.h"
#include "parley/protocols/protocol.h"
#include "parley/protocols/registry.h"
#include "parley/strategies/strategy.h"
#include "parley/tournament/grid.h"

namespace parley::tournament {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxRounds = 100'000'000;
constexpr int kMaxRepetitions = 1'000'000;
constexpr std::size_t kMaxStrategies = 10'000;

const std::vector<std::string>& KnownKeys() {
  static const std::vector<std::string> keys = {
      "scenarios", "strategies",    "protocol", "rounds",     "repetitions", "seed",
      "mediators", "role_swapping", "discount", "statistics", "format",      "output"};
  return keys;
}

class ConfigReader {
 public:
  ConfigReader(std::string file_name, std::string base_folder,
               const strategies::StrategyRegistry* strategy_registry)
      : file_(std::move(file_name)),
        base_(std::move(base_folder)),
        strategy_registry_(strategy_registry),
        strategies_(strategy_registry != nullptr ? *strategy_registry
                                                 : strategies::StrategyRegistry::Global()) {}

  Result<TournamentConfig> Read(const YAML::Node& root) {
    TournamentConfig config;
    config.file = file_;
    config.strategy_registry = strategy_registry_;
    if (!root.IsMap()) {
      return Error(root, "",
                   "a tournament config is a mapping with the keys " + ListNames(KnownKeys()));
    }
    std::set<std::string> seen;
    for (const auto& entry : root) {
      std::string key = entry.first.Scalar();
      if (!seen.insert(key).second) return Error(entry.first, key, "key given twice");
      if (std::find(KnownKeys().begin(), KnownKeys().end(), key) == KnownKeys().end()) {
        return Error(entry.first, key, UnknownName("key", key, "keys", KnownKeys()));
      }
    }
    if (!root["scenarios"]) return Error(root, "scenarios", "missing: the scenarios to play");
    if (!root["strategies"]) return Error(root, "strategies", "missing: the strategies to play");
    PARLEY_RETURN_IF_ERROR(ReadScenarios(root["scenarios"], config));
    PARLEY_RETURN_IF_ERROR(ReadStrategies(root["strategies"], "strategies", model::Role::kPrincipal,
                                          config.strategies));
    if (root["mediators"]) {
      PARLEY_RETURN_IF_ERROR(
          ReadStrategies(root["mediators"], "mediators", model::Role::kMediator, config.mediators));
    }
    if (root["protocol"]) {
      PARLEY_ASSIGN_OR_RETURN(config.protocol, ReadString(root["protocol"], "protocol"));
    }
    PARLEY_ASSIGN_OR_RETURN(config.protocol_canonical,
                            CanonicalProtocol(config.protocol, root["protocol"]));
    if (root["rounds"]) {
      PARLEY_ASSIGN_OR_RETURN(config.rounds, ReadInt(root["rounds"], "rounds", 1, kMaxRounds));
    }
    if (root["repetitions"]) {
      PARLEY_ASSIGN_OR_RETURN(config.repetitions,
                              ReadInt(root["repetitions"], "repetitions", 1, kMaxRepetitions));
    }
    if (root["seed"]) {
      PARLEY_ASSIGN_OR_RETURN(config.seed, ReadSeed(root["seed"]));
    }
    if (root["role_swapping"]) {
      PARLEY_ASSIGN_OR_RETURN(config.role_swapping,
                              ReadBool(root["role_swapping"], "role_swapping"));
    }
    if (root["discount"]) {
      PARLEY_ASSIGN_OR_RETURN(config.discount, ReadBool(root["discount"], "discount"));
    }
    if (root["statistics"]) PARLEY_RETURN_IF_ERROR(ReadStatistics(root["statistics"], config));
    if (root["format"]) {
      PARLEY_ASSIGN_OR_RETURN(std::string name, ReadString(root["format"], "format"));
      Result<ResultsFormat> format = ParseResultsFormat(name);
      if (!format.ok()) return Error(root["format"], "format", format.status().message());
      config.format = *format;
    }
    if (root["output"]) {
      PARLEY_ASSIGN_OR_RETURN(std::string output, ReadString(root["output"], "output"));
      config.output = Resolve(output);
    }
    return config;
  }

 private:
  Location At(const YAML::Node& node, const std::string& field) const {
    Location location{file_, 0, 0, field};
    if (node.IsDefined() && !node.Mark().is_null()) {
      location.line = node.Mark().line + 1;
      location.column = node.Mark().column + 1;
    }
    return location;
  }
  Status Error(const YAML::Node& node, const std::string& field, std::string message) const {
    return InvalidInput(std::move(message), At(node, field));
  }

  std::string Resolve(const std::string& path) const {
    fs::path given(path);
    if (given.is_absolute() || base_.empty()) return given.lexically_normal().string();
    return (fs::path(base_) / given).lexically_normal().string();
  }

  Result<std::string> ReadString(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar() || node.Scalar().empty()) {
      return Error(node, field, "expected a non-empty text");
    }
    return node.Scalar();
  }

  Result<int> ReadInt(const YAML::Node& node, const std::string& field, int low, int high) const {
    std::optional<std::int64_t> value =
        node.IsScalar() ? ParseInt64(node.Scalar()) : std::optional<std::int64_t>();
    if (!value || *value < low || *value > high) {
      return Error(node, field,
                   "expected an integer from " + std::to_string(low) + " to " +
                       std::to_string(high) +
                       (node.IsScalar() ? ", got " + Quote(node.Scalar()) : std::string()));
    }
    return static_cast<int>(*value);
  }

  Result<std::uint64_t> ReadSeed(const YAML::Node& node) const {
    std::string text = node.IsScalar() ? node.Scalar() : "";
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      return Error(node, "seed",
                   "expected a non-negative integer below 2^64" +
                       (node.IsScalar() ? ", got " + Quote(text) : std::string()));
    }
    return value;
  }

  Result<bool> ReadBool(const YAML::Node& node, const std::string& field) const {
    if (node.IsScalar()) {
      const std::string& text = node.Scalar();
      if (text == "true" || text == "yes" || text == "on") return true;
      if (text == "false" || text == "no" || text == "off") return false;
    }
    return Error(node, field, "expected true or false");
  }

  Status ReadStatistics(const YAML::Node& node, TournamentConfig& config) const {
    if (!node.IsMap()) return Error(node, "statistics", "expected a mapping: {confidence: 0.95}");
    for (const auto& entry : node) {
      std::string key = entry.first.Scalar();
      if (key != "confidence") {
        return Error(entry.first, "statistics." + key,
                     UnknownName("key", key, "keys", {"confidence"}));
      }
      std::optional<double> value = entry.second.IsScalar()
                                        ? ParseFiniteDouble(entry.second.Scalar())
                                        : std::optional<double>();
      if (!value || *value <= 0 || *value >= 1) {
        return Error(entry.second, "statistics.confidence",
                     "expected a number between 0 and 1 (exclusive), e.g. 0.95");
      }
      config.confidence = *value;
    }
    return Status::Ok();
  }

  Status ReadScenarios(const YAML::Node& node, TournamentConfig& config) const {
    std::vector<YAML::Node> items;
    if (node.IsSequence()) {
      for (const auto& item : node) items.push_back(item);
    } else if (node.IsScalar()) {
      items.push_back(node);
    }
    if (items.empty()) {
      return Error(node, "scenarios", "expected a list of scenario files or folders");
    }
    std::set<std::string> labels;
    for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
      const YAML::Node& item = items[item_idx];
      std::string field = "scenarios[" + std::to_string(item_idx) + "]";
      ScenarioEntry entry;
      entry.location = At(item, field);
      if (item.IsScalar() && !item.Scalar().empty()) {
        entry.label = fs::path(item.Scalar()).lexically_normal().generic_string();
        entry.source.path = Resolve(item.Scalar());
      } else if (item.IsMap()) {
        for (const auto& part : item) {
          std::string key = part.first.Scalar();
          if (key != "path" && key != "domain" && key != "profiles") {
            return Error(part.first, field + "." + key,
                         UnknownName("key", key, "keys", {"path", "domain", "profiles"}));
          }
        }
        if (item["path"]) {
          if (item["domain"] || item["profiles"]) {
            return Error(item, field, "give either path or domain and profiles, not both");
          }
          PARLEY_ASSIGN_OR_RETURN(std::string path, ReadString(item["path"], field + ".path"));
          entry.label = fs::path(path).lexically_normal().generic_string();
          entry.source.path = Resolve(path);
        } else {
          if (!item["domain"] || !item["profiles"] || !item["profiles"].IsSequence() ||
              item["profiles"].size() == 0) {
            return Error(item, field,
                         "expected a path, or domain: FILE with profiles: [FILE, ...]");
          }
          PARLEY_ASSIGN_OR_RETURN(std::string domain,
                                  ReadString(item["domain"], field + ".domain"));
          entry.label = fs::path(domain).lexically_normal().generic_string();
          entry.source.domain = Resolve(domain);
          for (const auto& profile : item["profiles"]) {
            PARLEY_ASSIGN_OR_RETURN(std::string path, ReadString(profile, field + ".profiles"));
            entry.label += "+" + fs::path(path).lexically_normal().generic_string();
            entry.source.profiles.push_back(Resolve(path));
          }
        }
      } else {
        return Error(item, field,
                     "expected a scenario file or folder, or {domain: FILE, profiles: [...]}");
      }
      if (!labels.insert(entry.label).second) {
        return Error(item, field, "scenario " + Quote(entry.label) + " is listed twice");
      }
      config.scenarios.push_back(std::move(entry));
    }
    return Status::Ok();
  }

  // One entry of `strategies` / `mediators` -> its grid.
  Result<GridSpec> ReadGrid(const YAML::Node& item, const std::string& field) const {
    if (item.IsScalar()) {
      Result<GridSpec> grid = ParseGridSpec(item.Scalar());
      if (!grid.ok()) {
        Location location = At(item, field);
        if (location.column > 0 && grid.status().location().column > 0) {
          location.column += grid.status().location().column - 1;
        }
        return InvalidInput(grid.status().message(), location);
      }
      return grid;
    }
    if (!item.IsMap()) {
      return Error(item, field,
                   "expected a strategy spec such as time_based(e=0.5), or {name: ..., "
                   "parameters: {...}}");
    }
    GridSpec grid;
    for (const auto& part : item) {
      std::string key = part.first.Scalar();
      if (key != "name" && key != "parameters") {
        return Error(part.first, field + "." + key,
                     UnknownName("key", key, "keys", {"name", "parameters"}));
      }
    }
    PARLEY_ASSIGN_OR_RETURN(grid.name, ReadString(item["name"], field + ".name"));
    const YAML::Node parameters = item["parameters"];
    if (!parameters) return grid;
    if (!parameters.IsMap()) {
      return Error(parameters, field + ".parameters",
                   "expected a mapping of parameter names to a value or a list of values");
    }
    for (const auto& parameter : parameters) {
      std::string key = parameter.first.Scalar();
      std::string parameter_field = field + ".parameters." + key;
      std::vector<std::string> values;
      if (parameter.second.IsSequence()) {
        for (const auto& value : parameter.second) {
          if (!value.IsScalar()) return Error(value, parameter_field, "expected a plain value");
          values.push_back(value.Scalar());
        }
        if (values.empty()) return Error(parameter.second, parameter_field, "empty list");
      } else if (parameter.second.IsScalar()) {
        values.push_back(parameter.second.Scalar());
      } else {
        return Error(parameter.second, parameter_field, "expected a value or a list of values");
      }
      for (const std::string& value : values) {
        if (value.find_first_of(",()[]") != std::string::npos) {
          return Error(parameter.second, parameter_field,
                       "a value may not contain ',', '(', ')', '[' or ']'");
        }
      }
      grid.parameters.emplace_back(key, std::move(values));
    }
    return grid;
  }

  Status ReadStrategies(const YAML::Node& node, const std::string& key, model::Role role,
                        std::vector<StrategyEntry>& out) const {
    std::vector<YAML::Node> items;
    if (node.IsSequence()) {
      for (const auto& item : node) items.push_back(item);
    } else if (node.IsScalar() || node.IsMap()) {
      items.push_back(node);
    }
    if (items.empty()) return Error(node, key, "expected a list of strategy specs");
    std::set<std::string> labels;
    for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
      const YAML::Node& item = items[item_idx];
      std::string field = key + "[" + std::to_string(item_idx) + "]";
      PARLEY_ASSIGN_OR_RETURN(GridSpec grid, ReadGrid(item, field));
      if (GridSize(grid) > kMaxStrategies || out.size() + GridSize(grid) > kMaxStrategies) {
        return Error(
            item, field,
            "the grids expand to more than " + std::to_string(kMaxStrategies) + " strategies");
      }
      for (const std::string& label : ExpandGrid(grid)) {
        Location location = At(item, field);
        PARLEY_ASSIGN_OR_RETURN(std::string canonical, CanonicalStrategy(label, role, location));
        if (!labels.insert(label).second) {
          return InvalidInput("strategy " + Quote(label) + " is listed twice", location);
        }
        out.push_back(StrategyEntry{label, canonical, location});
      }
    }
    return Status::Ok();
  }

  // Through Registry::Resolve, as everywhere; this adds the config's file, line and column.
  Result<std::string> CanonicalStrategy(const std::string& label, model::Role role,
                                        const Location& location) const {
    Result<protocols::ResolvedSpec<strategies::StrategyDescriptor>> resolved =
        strategies_.Resolve(label, role);
    if (!resolved.ok()) return InvalidInput(resolved.status().message(), location);
    return resolved->canonical;
  }

  Result<std::string> CanonicalProtocol(const std::string& text, const YAML::Node& node) const {
    Location location = At(node, "protocol");
    Result<protocols::ResolvedSpec<protocols::ProtocolDescriptor>> resolved =
        protocols::ProtocolRegistry::Global().Resolve(text);
    if (!resolved.ok()) return InvalidInput(resolved.status().message(), location);
    // Parameter values the specs cannot express (e.g. a negative bound) fail here, not later.
    Result<std::unique_ptr<protocols::Protocol>> created =
        resolved->descriptor->create(resolved->parameters);
    if (!created.ok()) return InvalidInput(created.status().message(), location);
    return resolved->canonical;
  }

  std::string file_;
  std::string base_;
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
  try {
    PARLEY_ASSIGN_OR_RETURN(
        YAML::Node root,
        io::LoadYaml(text, io::ScenarioYamlLimits(io::kMaxConfigFileBytes), file_name));
    return ConfigReader(file_name, base_folder, strategy_registry).Read(root);
  } catch (const YAML::Exception& error) {
    return io::YamlError(error, file_name);
  } catch (const std::exception& error) {
    return InvalidInput(std::string("cannot read the tournament config: ") + error.what(),
                        Location::InFile(file_name));
  }
}

Result<TournamentConfig> LoadTournamentConfig(
    const std::string& path, const strategies::StrategyRegistry* strategy_registry) {
  PARLEY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, io::kMaxConfigFileBytes));
  std::string folder = fs::path(path).parent_path().string();
  return ParseTournamentConfig(text, path, folder, strategy_registry);
}

}  // namespace parley::tournament
