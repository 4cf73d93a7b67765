#include "parley/io/tournament_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "parley/base/file.h"
#include "parley/base/names.h"
#include "parley/base/numbers.h"
#include "parley/io/limits.h"
#include "parley/io/yaml_limits.h"

namespace parley::io {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& KnownKeys() {
  static const std::vector<std::string> keys = {
      "scenarios", "strategies",    "protocol", "rounds",     "repetitions", "seed",
      "mediators", "role_swapping", "discount", "statistics", "format",      "output"};
  return keys;
}

class TournamentFileReader {
 public:
  TournamentFileReader(std::string file_name, std::string base_folder)
      : file_(std::move(file_name)), base_(std::move(base_folder)) {}

  Result<TournamentFile> Read(const YAML::Node& root) const {
    TournamentFile config;
    config.file = file_;
    if (!root.IsMap()) {
      return Error(root, "",
                   "a tournament config is a mapping with the keys " + ListNames(KnownKeys()));
    }
    PARLEY_RETURN_IF_ERROR(CheckKeys(root));
    PARLEY_ASSIGN_OR_RETURN(config.scenarios, ReadScenarios(root["scenarios"]));
    PARLEY_ASSIGN_OR_RETURN(config.strategies, ReadStrategies(root["strategies"], "strategies"));
    if (root["mediators"]) {
      PARLEY_ASSIGN_OR_RETURN(config.mediators, ReadStrategies(root["mediators"], "mediators"));
    }
    config.protocol_location = At(root["protocol"], "protocol");
    if (root["protocol"]) {
      PARLEY_ASSIGN_OR_RETURN(config.protocol, ReadString(root["protocol"], "protocol"));
    }
    PARLEY_RETURN_IF_ERROR(ReadNumbers(root, config));
    if (root["statistics"]) {
      PARLEY_ASSIGN_OR_RETURN(config.confidence, ReadConfidence(root["statistics"]));
    }
    config.format_location = At(root["format"], "format");
    if (root["format"]) {
      PARLEY_ASSIGN_OR_RETURN(config.format, ReadString(root["format"], "format"));
    }
    if (root["output"]) {
      PARLEY_ASSIGN_OR_RETURN(std::string output, ReadString(root["output"], "output"));
      config.output = Resolve(output);
    }
    return config;
  }

 private:
  Status CheckKeys(const YAML::Node& root) const {
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
    return Status::Ok();
  }

  Status ReadNumbers(const YAML::Node& root, TournamentFile& config) const {
    if (root["rounds"]) {
      PARLEY_ASSIGN_OR_RETURN(config.rounds,
                              ReadInt(root["rounds"], "rounds", 1, kMaxTournamentRounds));
    }
    if (root["repetitions"]) {
      PARLEY_ASSIGN_OR_RETURN(config.repetitions, ReadInt(root["repetitions"], "repetitions", 1,
                                                          kMaxTournamentRepetitions));
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
    return Status::Ok();
  }

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

  Result<std::optional<double>> ReadConfidence(const YAML::Node& node) const {
    if (!node.IsMap()) return Error(node, "statistics", "expected a mapping: {confidence: 0.95}");
    std::optional<double> confidence;
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
      confidence = *value;
    }
    return confidence;
  }

  // A list, or one item standing for a list of one (`also_map`: a mapping may be that item).
  static std::vector<YAML::Node> Items(const YAML::Node& node, bool also_map) {
    std::vector<YAML::Node> items;
    if (node.IsSequence()) {
      for (const auto& item : node) items.push_back(item);
    } else if (node.IsScalar() || (also_map && node.IsMap())) {
      items.push_back(node);
    }
    return items;
  }

  Result<std::vector<TournamentScenarioItem>> ReadScenarios(const YAML::Node& node) const {
    std::vector<YAML::Node> items = Items(node, /*also_map=*/false);
    if (items.empty()) {
      return Error(node, "scenarios", "expected a list of scenario files or folders");
    }
    std::vector<TournamentScenarioItem> scenarios;
    std::set<std::string> labels;
    for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
      const YAML::Node& item = items[item_idx];
      std::string field = "scenarios[" + std::to_string(item_idx) + "]";
      PARLEY_ASSIGN_OR_RETURN(TournamentScenarioItem entry, ReadScenario(item, field));
      if (!labels.insert(entry.label).second) {
        return Error(item, field, "scenario " + Quote(entry.label) + " is listed twice");
      }
      scenarios.push_back(std::move(entry));
    }
    return scenarios;
  }

  Result<TournamentScenarioItem> ReadScenario(const YAML::Node& item,
                                              const std::string& field) const {
    TournamentScenarioItem entry;
    entry.location = At(item, field);
    if (item.IsScalar() && !item.Scalar().empty()) {
      entry.label = fs::path(item.Scalar()).lexically_normal().generic_string();
      entry.source.path = Resolve(item.Scalar());
      return entry;
    }
    if (!item.IsMap()) {
      return Error(item, field,
                   "expected a scenario file or folder, or {domain: FILE, profiles: [...]}");
    }
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
      return entry;
    }
    if (!item["domain"] || !item["profiles"] || !item["profiles"].IsSequence() ||
        item["profiles"].size() == 0) {
      return Error(item, field, "expected a path, or domain: FILE with profiles: [FILE, ...]");
    }
    PARLEY_ASSIGN_OR_RETURN(std::string domain, ReadString(item["domain"], field + ".domain"));
    entry.label = fs::path(domain).lexically_normal().generic_string();
    entry.source.domain = Resolve(domain);
    for (const auto& profile : item["profiles"]) {
      PARLEY_ASSIGN_OR_RETURN(std::string path, ReadString(profile, field + ".profiles"));
      entry.label += "+" + fs::path(path).lexically_normal().generic_string();
      entry.source.profiles.push_back(Resolve(path));
    }
    return entry;
  }

  Result<std::vector<TournamentStrategyItem>> ReadStrategies(const YAML::Node& node,
                                                             const std::string& key) const {
    std::vector<YAML::Node> items = Items(node, /*also_map=*/true);
    if (items.empty()) return Error(node, key, "expected a list of strategy specs");
    std::vector<TournamentStrategyItem> strategies;
    for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
      std::string field = key + "[" + std::to_string(item_idx) + "]";
      PARLEY_ASSIGN_OR_RETURN(TournamentStrategyItem item, ReadStrategy(items[item_idx], field));
      strategies.push_back(std::move(item));
    }
    return strategies;
  }

  Result<TournamentStrategyItem> ReadStrategy(const YAML::Node& item,
                                              const std::string& field) const {
    TournamentStrategyItem entry;
    entry.location = At(item, field);
    if (item.IsScalar()) {
      entry.spec = item.Scalar();
      return entry;
    }
    if (!item.IsMap()) {
      return Error(item, field,
                   "expected a strategy spec such as time_based(e=0.5), or {name: ..., "
                   "parameters: {...}}");
    }
    for (const auto& part : item) {
      std::string key = part.first.Scalar();
      if (key != "name" && key != "parameters") {
        return Error(part.first, field + "." + key,
                     UnknownName("key", key, "keys", {"name", "parameters"}));
      }
    }
    PARLEY_ASSIGN_OR_RETURN(entry.name, ReadString(item["name"], field + ".name"));
    const YAML::Node parameters = item["parameters"];
    if (!parameters) return entry;
    if (!parameters.IsMap()) {
      return Error(parameters, field + ".parameters",
                   "expected a mapping of parameter names to a value or a list of values");
    }
    for (const auto& parameter : parameters) {
      std::string key = parameter.first.Scalar();
      PARLEY_ASSIGN_OR_RETURN(std::vector<std::string> values,
                              ReadParameterValues(parameter.second, field + ".parameters." + key));
      entry.parameters.emplace_back(key, std::move(values));
    }
    return entry;
  }

  Result<std::vector<std::string>> ReadParameterValues(const YAML::Node& node,
                                                       const std::string& field) const {
    std::vector<std::string> values;
    if (node.IsSequence()) {
      for (const auto& value : node) {
        if (!value.IsScalar()) return Error(value, field, "expected a plain value");
        values.push_back(value.Scalar());
      }
      if (values.empty()) return Error(node, field, "empty list");
    } else if (node.IsScalar()) {
      values.push_back(node.Scalar());
    } else {
      return Error(node, field, "expected a value or a list of values");
    }
    for (const std::string& value : values) {
      if (value.find_first_of(",()[]") != std::string::npos) {
        return Error(node, field, "a value may not contain ',', '(', ')', '[' or ']'");
      }
    }
    return values;
  }

  std::string file_;
  std::string base_;
};

}  // namespace

Result<TournamentFile> ParseTournamentFile(const std::string& text, const std::string& file_name,
                                           const std::string& base_folder) {
  try {
    PARLEY_ASSIGN_OR_RETURN(YAML::Node root,
                            LoadYaml(text, ScenarioYamlLimits(kMaxConfigFileBytes), file_name));
    return TournamentFileReader(file_name, base_folder).Read(root);
  } catch (const YAML::Exception& error) {
    return YamlError(error, file_name);
  } catch (const std::exception& error) {
    return InvalidInput(std::string("cannot read the tournament config: ") + error.what(),
                        Location::InFile(file_name));
  }
}

Result<TournamentFile> ReadTournamentFile(const std::string& path) {
  PARLEY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, kMaxConfigFileBytes));
  return ParseTournamentFile(text, path, fs::path(path).parent_path().string());
}

}  // namespace parley::io
