// Reading parley's own scenario format (docs/scenario-format.md) from YAML or JSON.
//
// The text is parsed with yaml-cpp, which gives a line and column for every node (JSON is read
// through yaml-cpp too, after ParseJson has checked that it is strict JSON; when yaml-cpp
// cannot reproduce the JSON exactly, the nlohmann tree is used without positions: see
// parley_format_json_bridge.cc). The reader walks the tree with the schema in hand, remembering
// the position of every field path it meets, builds the Scenario and runs
// model::ValidateScenario, translating the field paths of its errors back into positions. Every
// failure is a kInvalidInput Status naming file, line, column and field; no exception escapes
// and nothing is returned half-built.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parley/base/names.h"
#include "parley/base/numbers.h"
#include "parley/io/internal/parley_format.h"
#include "parley/io/json_limits.h"
#include "parley/io/limits.h"
#include "parley/io/scenario_io.h"
#include "parley/io/yaml_limits.h"
#include "parley/model/hyper_rectangle_utility.h"
#include "parley/model/validate.h"

namespace parley::io {
namespace {

using internal::Child;
using internal::Element;
using internal::IssuePath;
using internal::LowerCase;
using internal::PartyPath;
using internal::PhasePath;
using internal::PreferencesPath;
using internal::RedLinePath;
using model::AdditiveUtility;
using model::HyperRectangleUtility;
using model::Issue;
using model::IssueKind;
using model::Outcome;
using model::Party;
using model::Phase;
using model::Preferences;
using model::RedLine;
using model::Scenario;
using model::ValueFunction;
using model::ValueFunctionForm;

// Value functions are tabulated per option; larger numeric issues cannot carry preferences.
constexpr std::uint64_t kMaxTabulatedOptions = 10'000'000;
// Utilities may exceed [0, 1] by rounding error (weights normalised by their sum...).
constexpr double kUtilityTolerance = 1e-9;

// Number parsing: the whole scalar must be a finite number (quoted numbers are accepted).

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  if (std::optional<std::int64_t> value = ParseInt64(text)) return value;
  // Integral numbers written with a fraction or exponent ("40.0", "1e3").
  std::optional<double> number = ParseFiniteDouble(text);
  if (number && std::trunc(*number) == *number && std::fabs(*number) <= 9007199254740992.0) {
    return static_cast<std::int64_t>(*number);
  }
  return std::nullopt;
}

std::string DescribeNode(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing (null)";
    case YAML::NodeType::Scalar:
      return Quote(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

// One key of a map, in document order.
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// A map's entries with their nodes (yaml-cpp's own lookup creates zombie nodes on misses).
struct MapView {
  YAML::Node node;
  std::vector<Entry> entries;

  const Entry* Find(std::string_view key) const {
    for (const Entry& entry : entries) {
      if (entry.key == key) return &entry;
    }
    return nullptr;
  }
};

// For each issue: the phase that lists it and where.
struct PhaseListing {
  std::vector<std::optional<std::size_t>> listed_by;
  std::vector<YAML::Mark> listed_at;
};

class ParleyReader {
 public:
  ParleyReader(std::string file, std::string_view text) : file_(std::move(file)), text_(text) {}

  Status CheckDuplicateKeys(const YAML::Node& root) {
    std::vector<std::string> path;
    std::set<int> visited;
    return CheckDuplicateKeys(root, path, visited);
  }

  Result<Scenario> Read(const YAML::Node& root);

 private:
  // --- errors and positions ---
  Location LocationOfMark(const YAML::Mark& mark, const std::string& field) const {
    Location location{file_, 0, 0, field};
    if (!mark.is_null()) {
      location.line = mark.line + 1;
      location.column = mark.column + 1;
    }
    return location;
  }
  Location LocationOf(const YAML::Node& node, const std::string& field) const {
    return LocationOfMark(node.IsDefined() ? node.Mark() : YAML::Mark::null_mark(), field);
  }
  Status ErrorAt(const YAML::Node& node, const std::string& field, std::string message) const {
    return InvalidInput(std::move(message), LocationOf(node, field));
  }
  // An error about the value remembered under `path` (inside {value, source, note} if wrapped).
  Status ErrorAtPath(const std::string& path, std::string message) const {
    auto found = marks_.find(path);
    YAML::Mark mark = found != marks_.end() ? found->second : YAML::Mark::null_mark();
    return InvalidInput(std::move(message), LocationOfMark(mark, path));
  }
  // " (first at line N)" for messages about something given twice.
  std::string FirstAt(const YAML::Mark& mark) const {
    Location location = LocationOfMark(mark, "");
    return location.line > 0 ? " (first at line " + std::to_string(location.line) + ")" : "";
  }
  std::string FirstAt(const YAML::Node& node) const {
    return FirstAt(node.IsDefined() ? node.Mark() : YAML::Mark::null_mark());
  }
  // " at line N" when the position is known.
  std::string AtLine(const YAML::Mark& mark) const {
    Location location = LocationOfMark(mark, "");
    return location.line > 0 ? " at line " + std::to_string(location.line) : "";
  }
  // Positions are kept as marks, never as node handles: assigning a yaml-cpp node handle to
  // another rebinds the node it referred to, changing the tree.
  void Remember(const std::string& path, const YAML::Node& node) {
    marks_.insert_or_assign(path, node.IsDefined() ? node.Mark() : YAML::Mark::null_mark());
  }
  Status CheckDuplicateKeys(const YAML::Node& node, std::vector<std::string>& path,
                            std::set<int>& visited);
  Status ErrorFromValidation(const Status& status) const;

  // --- generic shapes ---
  Result<MapView> ReadMap(const YAML::Node& node, const std::string& path, std::string_view what,
                          const std::vector<std::string>& allowed_keys) const;
  Result<MapView> ReadAnyMap(const YAML::Node& node, const std::string& path,
                             std::string_view what) const;
  Result<std::vector<YAML::Node>> ReadList(const YAML::Node& node, const std::string& path,
                                           std::string_view what) const;
  // A list of exactly two items, e.g. [lower, upper]; its position is remembered under `path`.
  Result<std::vector<YAML::Node>> ReadPair(const YAML::Node& node, const std::string& path,
                                           std::string_view what);
  Result<YAML::Node> Unwrap(const YAML::Node& node, const std::string& path, bool wrappable);
  Result<double> ReadNumber(const YAML::Node& node, const std::string& path, bool wrappable = true);
  Result<std::int64_t> ReadInteger(const YAML::Node& node, const std::string& path);
  Result<bool> ReadBool(const YAML::Node& node, const std::string& path);
  Result<std::string> ReadText(const YAML::Node& node, const std::string& path,
                               bool wrappable = true);
  Result<std::string> ReadName(const YAML::Node& node, const std::string& path,
                               std::string_view what) const;
  Result<double> ReadUnitNumber(const YAML::Node& node, const std::string& path,
                                std::string_view what);
  // A preference number: like ReadNumber, and the map form may add `range: [low, high]` and
  // `distribution` (model/uncertainty.h), kept under `path`. Values and range ends must lie in
  // [minimum, maximum] (`what` names the number in messages).
  Result<double> ReadUncertainNumber(const YAML::Node& node, const std::string& path,
                                     std::string_view what, double minimum, double maximum);
  Status ReadEntityProvenance(const MapView& map, const std::string& path);

  // --- schema ---
  Status ReadHeader(const MapView& top, Scenario& scenario);
  Status ReadIssues(const YAML::Node& root, const MapView& top, Scenario& scenario,
                    std::vector<YAML::Node>& issue_phase_nodes);
  Status ReadParties(const YAML::Node& root, const MapView& top, Scenario& scenario);
  Status ReadMeta(const YAML::Node& node, model::Meta& meta);
  Status ReadImportedFrom(const YAML::Node& node, Scenario& scenario);
  Result<Issue> ReadIssue(const YAML::Node& node, std::size_t issue_idx, YAML::Node& phase_node);
  Status ReadIssueDomain(const YAML::Node& node, const MapView& map, const std::string& path,
                         Issue& issue);
  Status ReadIntegerRange(const Entry& range, const Entry* step,
                          const std::vector<YAML::Node>& bounds, const std::string& path,
                          Issue& issue);
  Status ReadRealRange(const YAML::Node& node, const Entry& range, const Entry* step,
                       const std::vector<YAML::Node>& bounds, const std::string& path,
                       Issue& issue);
  Status ReadIssueOptions(const YAML::Node& node, const std::string& path, Issue& issue);
  Status ReadPhases(const YAML::Node& node, Scenario& scenario,
                    const std::vector<YAML::Node>& issue_phase_nodes);
  Result<Phase> ReadPhase(const YAML::Node& node, std::size_t phase_idx, const Scenario& scenario,
                          std::map<std::string, YAML::Mark>& phase_ids, PhaseListing& listing);
  Status ReadPhaseIssues(const YAML::Node& node, const std::string& issues_path,
                         std::size_t phase_idx, const Scenario& scenario, PhaseListing& listing,
                         Phase& phase);
  Status ReconcileIssuePhases(Scenario& scenario, const std::vector<YAML::Node>& issue_phase_nodes,
                              PhaseListing& listing) const;
  Result<Party> ReadParty(const YAML::Node& node, std::size_t party_idx, const Scenario& scenario);
  Result<Preferences> ReadPreferences(const YAML::Node& node, const std::string& party_id,
                                      const Scenario& scenario);
  Result<std::shared_ptr<const model::UtilityFunction>> ReadAdditive(const MapView& map,
                                                                     const std::string& party_id,
                                                                     const Scenario& scenario);
  Result<std::vector<double>> ReadWeights(const MapView& map, const std::string& party_id,
                                          const Scenario& scenario,
                                          const std::vector<std::string>& issue_ids);
  Result<std::vector<ValueFunction>> ReadValueFunctions(const MapView& map, const std::string& path,
                                                        const Scenario& scenario,
                                                        const std::vector<std::string>& issue_ids);
  Result<std::shared_ptr<const model::UtilityFunction>> ReadHyperRectangles(
      const MapView& map, const std::string& path, const Scenario& scenario);
  Result<model::RectangleSet> ReadRectangleSet(const YAML::Node& node, const std::string& set_path,
                                               const std::vector<std::string>& issue_ids);
  Result<model::HyperRectangle> ReadRectangle(const YAML::Node& node,
                                              const std::string& rectangle_path,
                                              const std::vector<std::string>& issue_ids);
  Status ReadRectangleBounds(const YAML::Node& node, const std::string& bounds_path,
                             const std::vector<std::string>& issue_ids,
                             std::vector<model::RectangleBound>& bounds);
  Result<ValueFunction> ReadValueFunction(const YAML::Node& node, const std::string& path,
                                          const Issue& issue);
  Status ReadValueFunctionForm(const YAML::Node& node, const std::string& path, const Issue& issue,
                               const std::string& type, const std::vector<std::string>& keys,
                               ValueFunction& function);
  Status ReadPoints(const YAML::Node& node, const std::string& points_path,
                    ValueFunction& function);
  Status ReadTableEntries(const MapView& map, const std::string& path, const Issue& issue,
                          bool skip_provenance_keys, ValueFunction& function);
  Status ReadReservation(const YAML::Node& node, const std::string& path, const Scenario& scenario,
                         Preferences& preferences);
  Result<std::vector<RedLine>> ReadRedLines(const YAML::Node& node, const std::string& party_id,
                                            const Scenario& scenario);
  Status ExpressionError(const YAML::Node& node, const std::string& field,
                         const std::string& expression, const Status& parse_error) const;
  Result<std::uint64_t> ReadOptionOf(const YAML::Node& node, const std::string& path,
                                     const Issue& issue);
  Result<std::size_t> ReadIssueReference(const YAML::Node& node, const std::string& path,
                                         const Scenario& scenario) const;

  std::string file_;
  std::string_view text_;
  std::map<std::string, YAML::Mark> marks_;  // field path -> position, for later errors
  model::ProvenanceMap provenance_;
  model::Uncertainty uncertainty_;
  // Scenarios imported from GENIUS or GeniusWeb keep their source's utility semantics: values
  // and utilities outside [0, 1] are accepted.
  bool relaxed_ = false;
  // What has been built so far, against parley/io/limits.h.
  ScenarioBudget budget_;
  // Options red-line comparisons cover so far (each keeps a bit per option of its issue).
  std::uint64_t red_line_options_ = 0;
  // Issue id -> index, filled as issues are read (Scenario::FindIssue scans the list).
  std::unordered_map<std::string, std::size_t> issue_index_;
  std::optional<std::size_t> FindIssue(const std::string& id) const {
    auto found = issue_index_.find(id);
    if (found == issue_index_.end()) return std::nullopt;
    return found->second;
  }
};

// "a.b[2].c" from path components ("a", "b", "[2]", "c").
std::string JoinPath(const std::vector<std::string>& components) {
  std::string out;
  for (const std::string& component : components) {
    if (!out.empty() && component.front() != '[') out += '.';
    out += component;
  }
  return out;
}

// yaml-cpp keeps both entries of a repeated key; a repeated key is an error, not a silent pick.
// An alias is the node it names: collections are checked once, recognised by their position
// (`visited`), so aliases that multiply ("billion laughs") cost nothing.
Status ParleyReader::CheckDuplicateKeys(const YAML::Node& node, std::vector<std::string>& path,
                                        std::set<int>& visited) {
  if ((node.IsMap() || node.IsSequence()) && !node.Mark().is_null() &&
      !visited.insert(node.Mark().pos).second) {
    return Status::Ok();
  }
  if (node.IsMap()) {
    std::map<std::string, YAML::Mark> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;
      path.push_back(key.IsScalar() ? key.Scalar() : "?");
      if (key.IsScalar()) {
        auto [previous, inserted] = seen.emplace(key.Scalar(), key.Mark());
        if (!inserted) {
          return ErrorAt(key, JoinPath(path),
                         "key " + Quote(key.Scalar()) + " appears twice in the same map" +
                             FirstAt(previous->second));
        }
      }
      PARLEY_RETURN_IF_ERROR(CheckDuplicateKeys(it->second, path, visited));
      path.pop_back();
    }
  } else if (node.IsSequence()) {
    std::size_t index = 0;
    for (auto it = node.begin(); it != node.end(); ++it, ++index) {
      path.push_back("[" + std::to_string(index) + "]");
      PARLEY_RETURN_IF_ERROR(CheckDuplicateKeys(*it, path, visited));
      path.pop_back();
    }
  }
  return Status::Ok();
}

Status ParleyReader::ErrorFromValidation(const Status& status) const {
  const std::string& field = status.location().field;
  std::string probe = field;
  while (!probe.empty()) {
    auto found = marks_.find(probe);
    if (found != marks_.end()) {
      return Status(status.code(), status.message(), LocationOfMark(found->second, field));
    }
    std::size_t cut = probe.back() == ']' ? probe.rfind('[') : probe.rfind('.');
    if (cut == std::string::npos) break;
    probe.resize(cut);
  }
  return Status(status.code(), status.message(), Location{file_, 0, 0, field});
}

Result<MapView> ParleyReader::ReadAnyMap(const YAML::Node& node, const std::string& path,
                                         std::string_view what) const {
  if (!node.IsMap()) {
    return ErrorAt(node, path,
                   "expected " + std::string(what) + " (a map), got " + DescribeNode(node));
  }
  MapView view;
  view.node = node;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      return ErrorAt(key, path, "map keys must be plain text, got " + DescribeNode(key));
    }
    view.entries.push_back(Entry{key.Scalar(), key, it->second});
  }
  return view;
}

Result<MapView> ParleyReader::ReadMap(const YAML::Node& node, const std::string& path,
                                      std::string_view what,
                                      const std::vector<std::string>& allowed_keys) const {
  PARLEY_ASSIGN_OR_RETURN(MapView view, ReadAnyMap(node, path, what));
  for (const Entry& entry : view.entries) {
    if (std::find(allowed_keys.begin(), allowed_keys.end(), entry.key) == allowed_keys.end()) {
      return ErrorAt(entry.key_node, Child(path, entry.key),
                     "unknown key " + Quote(entry.key) + " in " + std::string(what) +
                         Suggestion(entry.key, allowed_keys) +
                         " (allowed keys: " + ListNames(allowed_keys) + ")");
    }
  }
  return view;
}

Result<std::vector<YAML::Node>> ParleyReader::ReadList(const YAML::Node& node,
                                                       const std::string& path,
                                                       std::string_view what) const {
  if (!node.IsSequence()) {
    return ErrorAt(node, path,
                   "expected " + std::string(what) + " (a list), got " + DescribeNode(node));
  }
  std::vector<YAML::Node> items;
  for (auto it = node.begin(); it != node.end(); ++it) items.push_back(*it);
  return items;
}

// A scalar may be written as {value, source, note}; returns the node holding the value and
// records the provenance under `path`.
Result<std::vector<YAML::Node>> ParleyReader::ReadPair(const YAML::Node& node,
                                                       const std::string& path,
                                                       std::string_view what) {
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, ReadList(node, path, what));
  Remember(path, node);
  if (items.size() != 2) {
    return ErrorAt(
        node, path,
        "expected " + std::string(what) + ", got a list of " + std::to_string(items.size()));
  }
  return items;
}

Result<YAML::Node> ParleyReader::Unwrap(const YAML::Node& node, const std::string& path,
                                        bool wrappable) {
  if (!wrappable || !node.IsMap()) {
    Remember(path, node);
    return node;
  }
  PARLEY_ASSIGN_OR_RETURN(
      MapView map, ReadMap(node, path, "a value with provenance", {"value", "source", "note"}));
  const Entry* value = map.Find("value");
  if (value == nullptr) {
    return ErrorAt(node, path, "a map given for a single value needs a 'value' key");
  }
  PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, path));
  Remember(path, value->value);
  return value->value;
}

Status ParleyReader::ReadEntityProvenance(const MapView& map, const std::string& path) {
  model::Provenance provenance;
  bool given = false;
  if (const Entry* source = map.Find("source")) {
    if (!source->value.IsScalar()) {
      return ErrorAt(source->value, Child(path, "source"),
                     "expected report, assumption or derived, got " + DescribeNode(source->value));
    }
    std::optional<model::Source> parsed = model::ParseSource(source->value.Scalar());
    if (!parsed) {
      return ErrorAt(source->value, Child(path, "source"),
                     UnknownName("source", source->value.Scalar(), "sources",
                                 {"report", "assumption", "derived"}));
    }
    provenance.source = *parsed;
    given = true;
  }
  if (const Entry* note = map.Find("note")) {
    PARLEY_ASSIGN_OR_RETURN(provenance.note, ReadText(note->value, Child(path, "note"), false));
    given = true;
  }
  if (given) provenance_[path] = provenance;
  return Status::Ok();
}

Result<double> ParleyReader::ReadNumber(const YAML::Node& node, const std::string& path,
                                        bool wrappable) {
  PARLEY_ASSIGN_OR_RETURN(YAML::Node value, Unwrap(node, path, wrappable));
  std::optional<double> number;
  if (value.IsScalar()) number = ParseFiniteDouble(value.Scalar());
  if (!number) return ErrorAt(value, path, "expected a number, got " + DescribeNode(value));
  return *number;
}

Result<std::int64_t> ParleyReader::ReadInteger(const YAML::Node& node, const std::string& path) {
  std::optional<std::int64_t> number;
  if (node.IsScalar()) number = ParseInteger(node.Scalar());
  if (!number) return ErrorAt(node, path, "expected an integer, got " + DescribeNode(node));
  return *number;
}

Result<bool> ParleyReader::ReadBool(const YAML::Node& node, const std::string& path) {
  PARLEY_ASSIGN_OR_RETURN(YAML::Node value, Unwrap(node, path, true));
  if (value.IsScalar()) {
    std::string text = LowerCase(value.Scalar());
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return ErrorAt(value, path, "expected true or false, got " + DescribeNode(value));
}

Result<std::string> ParleyReader::ReadText(const YAML::Node& node, const std::string& path,
                                           bool wrappable) {
  PARLEY_ASSIGN_OR_RETURN(YAML::Node value, Unwrap(node, path, wrappable));
  if (value.IsNull()) return std::string();
  if (!value.IsScalar()) return ErrorAt(value, path, "expected text, got " + DescribeNode(value));
  return value.Scalar();
}

Result<std::string> ParleyReader::ReadName(const YAML::Node& node, const std::string& path,
                                           std::string_view what) const {
  if (!node.IsScalar() || node.Scalar().empty()) {
    return ErrorAt(node, path, "expected " + std::string(what) + ", got " + DescribeNode(node));
  }
  return node.Scalar();
}

Result<double> ParleyReader::ReadUnitNumber(const YAML::Node& node, const std::string& path,
                                            std::string_view what) {
  const double infinity = std::numeric_limits<double>::infinity();
  return relaxed_ ? ReadUncertainNumber(node, path, what, -infinity, infinity)
                  : ReadUncertainNumber(node, path, what, 0, 1);
}

Result<double> ParleyReader::ReadUncertainNumber(const YAML::Node& node, const std::string& path,
                                                 std::string_view what, double minimum,
                                                 double maximum) {
  auto bounds_text = [&] {
    if (minimum == 0 && std::isinf(maximum)) return std::string(" must be non-negative");
    return " must lie in [" + model::FormatNumber(minimum) + ", " + model::FormatNumber(maximum) +
           "]";
  };
  auto check = [&](double number, const std::string& field, const YAML::Node& at,
                   const std::string& which) -> Status {
    if (number < minimum || number > maximum) {
      return ErrorAt(
          at, field,
          which + std::string(what) + bounds_text() + ", got " + model::FormatNumber(number));
    }
    return Status::Ok();
  };
  if (!node.IsMap()) {
    PARLEY_ASSIGN_OR_RETURN(double value, ReadNumber(node, path));
    PARLEY_RETURN_IF_ERROR(check(value, path, node, ""));
    return value;
  }
  PARLEY_ASSIGN_OR_RETURN(MapView map,
                          ReadMap(node, path, "a value with provenance or a range",
                                  {"value", "range", "distribution", "source", "note"}));
  const Entry* value_entry = map.Find("value");
  if (value_entry == nullptr) {
    return ErrorAt(node, path, "a map given for a single value needs a 'value' key");
  }
  PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, path));
  Remember(path, value_entry->value);
  std::optional<double> parsed;
  if (value_entry->value.IsScalar()) parsed = ParseFiniteDouble(value_entry->value.Scalar());
  if (!parsed) {
    return ErrorAt(value_entry->value, path,
                   "expected a number, got " + DescribeNode(value_entry->value));
  }
  const double value = *parsed;
  PARLEY_RETURN_IF_ERROR(check(value, path, value_entry->value, ""));
  const Entry* range_entry = map.Find("range");
  const Entry* distribution_entry = map.Find("distribution");
  if (range_entry == nullptr) {
    if (distribution_entry != nullptr) {
      return ErrorAt(distribution_entry->key_node, Child(path, "distribution"),
                     "'distribution' needs a 'range: [low, high]' beside it");
    }
    return value;
  }
  const std::string range_path = Child(path, "range");
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> ends,
                          ReadPair(range_entry->value, range_path, "[low, high]"));
  model::ValueRange range;
  range.value = value;
  PARLEY_ASSIGN_OR_RETURN(range.low, ReadNumber(ends[0], Element(range_path, 0), false));
  PARLEY_ASSIGN_OR_RETURN(range.high, ReadNumber(ends[1], Element(range_path, 1), false));
  PARLEY_RETURN_IF_ERROR(check(range.low, range_path, ends[0], "the range's low end: "));
  PARLEY_RETURN_IF_ERROR(check(range.high, range_path, ends[1], "the range's high end: "));
  if (!(range.low <= value && value <= range.high)) {
    return ErrorAt(range_entry->value, range_path,
                   "the range [" + model::FormatNumber(range.low) + ", " +
                       model::FormatNumber(range.high) + "] must contain the value " +
                       model::FormatNumber(value));
  }
  if (distribution_entry != nullptr) {
    const std::string distribution_path = Child(path, "distribution");
    PARLEY_ASSIGN_OR_RETURN(std::string name, ReadName(distribution_entry->value, distribution_path,
                                                       "a distribution name"));
    std::optional<model::Distribution> distribution = model::ParseDistribution(name);
    if (!distribution) {
      return ErrorAt(distribution_entry->value, distribution_path,
                     UnknownName("distribution", name, "distributions", {"uniform", "triangular"}));
    }
    range.distribution = *distribution;
  }
  uncertainty_.ranges[path] = range;
  return value;
}

Result<Scenario> ParleyReader::Read(const YAML::Node& root) {
  if (root.IsNull() || !root.IsDefined()) {
    return InvalidInput("the document is empty: expected a map with 'issues' and 'parties'",
                        Location{file_, 1, 1, ""});
  }
  PARLEY_ASSIGN_OR_RETURN(MapView top, ReadMap(root, "", "the scenario",
                                               {"parley", "name", "meta", "imported_from", "phases",
                                                "issues", "parties"}));
  Scenario scenario;
  PARLEY_RETURN_IF_ERROR(ReadHeader(top, scenario));
  std::vector<YAML::Node> issue_phase_nodes;
  PARLEY_RETURN_IF_ERROR(ReadIssues(root, top, scenario, issue_phase_nodes));
  if (const Entry* phases = top.Find("phases")) {
    Remember("phases", phases->value);
    PARLEY_RETURN_IF_ERROR(ReadPhases(phases->value, scenario, issue_phase_nodes));
  } else {
    PARLEY_RETURN_IF_ERROR(
        ReadPhases(YAML::Node(YAML::NodeType::Sequence), scenario, issue_phase_nodes));
  }
  PARLEY_RETURN_IF_ERROR(ReadParties(root, top, scenario));

  Status valid = model::ValidateScenario(scenario);
  if (!valid.ok()) return ErrorFromValidation(valid);
  scenario.provenance = std::move(provenance_);
  scenario.uncertainty = std::move(uncertainty_);
  return scenario;
}

// The format version, the name (the file's stem by default), imported_from and meta.
Status ParleyReader::ReadHeader(const MapView& top, Scenario& scenario) {
  if (const Entry* version = top.Find("parley")) {
    PARLEY_ASSIGN_OR_RETURN(std::int64_t number, ReadInteger(version->value, "parley"));
    if (number != 1) {
      return ErrorAt(
          version->value, "parley",
          "unsupported format version " + std::to_string(number) + "; this parley reads version 1");
    }
  }
  if (const Entry* name = top.Find("name")) {
    PARLEY_ASSIGN_OR_RETURN(scenario.name, ReadText(name->value, "name"));
  } else {
    scenario.name = std::filesystem::path(file_).stem().string();
  }
  if (const Entry* imported = top.Find("imported_from")) {
    PARLEY_RETURN_IF_ERROR(ReadImportedFrom(imported->value, scenario));
  }
  if (const Entry* meta = top.Find("meta")) {
    PARLEY_RETURN_IF_ERROR(ReadMeta(meta->value, scenario.meta));
  }
  return Status::Ok();
}

// The issues, with ids used once; `issue_phase_nodes` receives each issue's `phase` node.
Status ParleyReader::ReadIssues(const YAML::Node& root, const MapView& top, Scenario& scenario,
                                std::vector<YAML::Node>& issue_phase_nodes) {
  const Entry* issues = top.Find("issues");
  if (issues == nullptr) return ErrorAt(root, "issues", "the scenario needs 'issues'");
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> issue_nodes,
                          ReadList(issues->value, "issues", "a list of issues"));
  if (issue_nodes.empty()) return ErrorAt(issues->value, "issues", "at least one issue is needed");
  PARLEY_RETURN_IF_ERROR(
      budget_.issues.Charge(issue_nodes.size(), LocationOf(issues->value, "issues")));
  Remember("issues", issues->value);
  std::map<std::string, YAML::Mark> issue_ids;
  issue_phase_nodes.resize(issue_nodes.size());
  for (std::size_t issue_idx = 0; issue_idx < issue_nodes.size(); ++issue_idx) {
    PARLEY_ASSIGN_OR_RETURN(
        Issue issue, ReadIssue(issue_nodes[issue_idx], issue_idx, issue_phase_nodes[issue_idx]));
    auto [previous, inserted] = issue_ids.emplace(issue.id, marks_.at(IssuePath(issue.id) + ".id"));
    if (!inserted) {
      return InvalidInput(
          "issue id " + Quote(issue.id) + " is used twice" + FirstAt(previous->second),
          LocationOfMark(marks_.at(IssuePath(issue.id) + ".id"), IssuePath(issue.id)));
    }
    issue_index_.emplace(issue.id, scenario.issues.size());
    scenario.issues.push_back(std::move(issue));
  }
  return Status::Ok();
}

// The parties (at most kMaxParties), with ids used once.
Status ParleyReader::ReadParties(const YAML::Node& root, const MapView& top, Scenario& scenario) {
  const Entry* parties = top.Find("parties");
  if (parties == nullptr) return ErrorAt(root, "parties", "the scenario needs 'parties'");
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> party_nodes,
                          ReadList(parties->value, "parties", "a list of parties"));
  if (party_nodes.empty()) {
    return ErrorAt(parties->value, "parties", "at least one party is needed");
  }
  if (party_nodes.size() > kMaxParties) {
    return ErrorAt(parties->value, "parties",
                   "the scenario has " + std::to_string(party_nodes.size()) +
                       " parties; parley reads at most " + std::to_string(kMaxParties) +
                       " (docs/scenario-format.md, Limits)");
  }
  Remember("parties", parties->value);
  std::map<std::string, YAML::Mark> party_ids;
  for (std::size_t party_idx = 0; party_idx < party_nodes.size(); ++party_idx) {
    PARLEY_ASSIGN_OR_RETURN(Party party, ReadParty(party_nodes[party_idx], party_idx, scenario));
    auto [previous, inserted] = party_ids.emplace(party.id, marks_.at(PartyPath(party.id) + ".id"));
    if (!inserted) {
      return InvalidInput(
          "party id " + Quote(party.id) + " is used twice" + FirstAt(previous->second),
          LocationOfMark(marks_.at(PartyPath(party.id) + ".id"), PartyPath(party.id)));
    }
    scenario.parties.push_back(std::move(party));
  }
  return Status::Ok();
}

Status ParleyReader::ReadImportedFrom(const YAML::Node& node, Scenario& scenario) {
  PARLEY_ASSIGN_OR_RETURN(MapView map,
                          ReadMap(node, "imported_from", "imported_from", {"format", "files"}));
  if (const Entry* format = map.Find("format")) {
    PARLEY_ASSIGN_OR_RETURN(std::string text,
                            ReadName(format->value, "imported_from.format", "a format name"));
    if (text == "parley") {
      scenario.source_format = model::SourceFormat::kParley;
    } else if (text == "genius") {
      scenario.source_format = model::SourceFormat::kGenius;
    } else if (text == "geniusweb") {
      scenario.source_format = model::SourceFormat::kGeniusWeb;
    } else {
      return ErrorAt(format->value, "imported_from.format",
                     UnknownName("format", text, "formats", {"parley", "genius", "geniusweb"}));
    }
  }
  relaxed_ = scenario.source_format != model::SourceFormat::kParley;
  if (const Entry* files = map.Find("files")) {
    PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> items,
                            ReadList(files->value, "imported_from.files", "a list of file names"));
    for (std::size_t file_idx = 0; file_idx < items.size(); ++file_idx) {
      PARLEY_ASSIGN_OR_RETURN(
          std::string file,
          ReadText(items[file_idx], Element("imported_from.files", file_idx), false));
      scenario.source_files.push_back(std::move(file));
    }
  }
  return Status::Ok();
}

Status ParleyReader::ReadMeta(const YAML::Node& node, model::Meta& meta) {
  PARLEY_ASSIGN_OR_RETURN(MapView map, ReadMap(node, "meta", "meta",
                                               {"title", "description", "as_of", "banner",
                                                "references", "source", "note"}));
  Remember("meta", node);
  PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, "meta"));
  for (auto [key, target] :
       {std::pair{"title", &meta.title}, std::pair{"description", &meta.description},
        std::pair{"as_of", &meta.as_of}, std::pair{"banner", &meta.banner}}) {
    if (const Entry* entry = map.Find(key)) {
      PARLEY_ASSIGN_OR_RETURN(*target, ReadText(entry->value, Child("meta", key)));
    }
  }
  if (const Entry* references = map.Find("references")) {
    PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> items,
                            ReadList(references->value, "meta.references", "a list of references"));
    for (std::size_t reference_idx = 0; reference_idx < items.size(); ++reference_idx) {
      PARLEY_ASSIGN_OR_RETURN(
          std::string reference,
          ReadText(items[reference_idx], Element("meta.references", reference_idx)));
      meta.references.push_back(std::move(reference));
    }
  }
  return Status::Ok();
}

Result<Issue> ParleyReader::ReadIssue(const YAML::Node& node, std::size_t issue_idx,
                                      YAML::Node& phase_node) {
  const std::string index_path = Element("issues", issue_idx);
  PARLEY_ASSIGN_OR_RETURN(
      MapView map, ReadMap(node, index_path, "an issue",
                           {"id", "name", "description", "type", "ordered", "options", "range",
                            "step", "phase", "unit", "source", "note"}));
  const Entry* id = map.Find("id");
  if (id == nullptr) return ErrorAt(node, index_path, "an issue needs an 'id'");
  Issue issue;
  PARLEY_ASSIGN_OR_RETURN(issue.id, ReadName(id->value, Child(index_path, "id"), "an issue id"));
  const std::string path = IssuePath(issue.id);
  Remember(path, node);
  Remember(Child(path, "id"), id->value);
  PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, path));
  issue.name = issue.id;
  if (const Entry* name = map.Find("name")) {
    PARLEY_ASSIGN_OR_RETURN(issue.name, ReadText(name->value, Child(path, "name")));
  }
  if (const Entry* description = map.Find("description")) {
    PARLEY_ASSIGN_OR_RETURN(issue.description,
                            ReadText(description->value, Child(path, "description")));
  }
  if (const Entry* unit = map.Find("unit")) {
    PARLEY_ASSIGN_OR_RETURN(issue.unit, ReadText(unit->value, Child(path, "unit")));
  }
  if (const Entry* type = map.Find("type")) {
    PARLEY_ASSIGN_OR_RETURN(std::string kind,
                            ReadName(type->value, Child(path, "type"), "an issue type"));
    if (kind == "discrete") {
      issue.kind = IssueKind::kDiscrete;
    } else if (kind == "integer") {
      issue.kind = IssueKind::kInteger;
    } else if (kind == "real") {
      issue.kind = IssueKind::kReal;
    } else {
      return ErrorAt(type->value, Child(path, "type"),
                     UnknownName("issue type", kind, "types", {"discrete", "integer", "real"}));
    }
  }
  if (const Entry* phase = map.Find("phase")) {
    PARLEY_ASSIGN_OR_RETURN(issue.phase,
                            ReadName(phase->value, Child(path, "phase"), "a phase id"));
    phase_node = phase->value;
    Remember(Child(path, "phase"), phase->value);
  }
  PARLEY_RETURN_IF_ERROR(ReadIssueDomain(node, map, path, issue));
  return issue;
}

// What an issue's options are: a list (discrete) or a range (integer; real, with a step).
Status ParleyReader::ReadIssueDomain(const YAML::Node& node, const MapView& map,
                                     const std::string& path, Issue& issue) {
  const Entry* options = map.Find("options");
  const Entry* range = map.Find("range");
  const Entry* step = map.Find("step");
  const Entry* ordered = map.Find("ordered");
  if (issue.kind == IssueKind::kDiscrete) {
    for (const Entry* numeric_only : {range, step}) {
      if (numeric_only != nullptr) {
        return ErrorAt(numeric_only->key_node, Child(path, numeric_only->key),
                       "'" + numeric_only->key +
                           "' applies to integer and real issues; this issue is discrete (set "
                           "'type')");
      }
    }
    if (options == nullptr) return ErrorAt(node, path, "a discrete issue needs 'options'");
    if (ordered != nullptr) {
      PARLEY_ASSIGN_OR_RETURN(issue.ordered, ReadBool(ordered->value, Child(path, "ordered")));
    }
    return ReadIssueOptions(options->value, path, issue);
  }
  for (const Entry* discrete_only : {options, ordered}) {
    if (discrete_only != nullptr) {
      return ErrorAt(discrete_only->key_node, Child(path, discrete_only->key),
                     "'" + discrete_only->key + "' applies to discrete issues; this issue is " +
                         std::string(model::IssueKindName(issue.kind)));
    }
  }
  if (range == nullptr) {
    return ErrorAt(node, path,
                   "an " + std::string(model::IssueKindName(issue.kind)) +
                       " issue needs 'range: [lower, upper]'");
  }
  const std::string range_path = Child(path, "range");
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> bounds,
                          ReadPair(range->value, range_path, "[lower, upper]"));
  if (issue.kind == IssueKind::kInteger) return ReadIntegerRange(*range, step, bounds, path, issue);
  return ReadRealRange(node, *range, step, bounds, path, issue);
}

Status ParleyReader::ReadIntegerRange(const Entry& range, const Entry* step,
                                      const std::vector<YAML::Node>& bounds,
                                      const std::string& path, Issue& issue) {
  const std::string range_path = Child(path, "range");
  if (step != nullptr) {
    return ErrorAt(step->key_node, Child(path, "step"),
                   "'step' applies to real issues; integer issues take every integer");
  }
  PARLEY_ASSIGN_OR_RETURN(issue.integer_lower, ReadInteger(bounds[0], Element(range_path, 0)));
  PARLEY_ASSIGN_OR_RETURN(issue.integer_upper, ReadInteger(bounds[1], Element(range_path, 1)));
  if (issue.integer_lower > issue.integer_upper) {
    return ErrorAt(range.value, range_path,
                   "lower bound " + std::to_string(issue.integer_lower) + " is above upper bound " +
                       std::to_string(issue.integer_upper));
  }
  if (static_cast<std::uint64_t>(issue.integer_upper) -
          static_cast<std::uint64_t>(issue.integer_lower) >=
      (std::uint64_t{1} << 32)) {
    return ErrorAt(range.value, range_path, "the range holds more than 2^32 values");
  }
  return Status::Ok();
}

Status ParleyReader::ReadRealRange(const YAML::Node& node, const Entry& range, const Entry* step,
                                   const std::vector<YAML::Node>& bounds, const std::string& path,
                                   Issue& issue) {
  const std::string range_path = Child(path, "range");
  PARLEY_ASSIGN_OR_RETURN(issue.real_lower, ReadNumber(bounds[0], Element(range_path, 0), false));
  PARLEY_ASSIGN_OR_RETURN(issue.real_upper, ReadNumber(bounds[1], Element(range_path, 1), false));
  if (issue.real_lower > issue.real_upper) {
    return ErrorAt(range.value, range_path,
                   "lower bound " + model::FormatNumber(issue.real_lower) +
                       " is above upper bound " + model::FormatNumber(issue.real_upper));
  }
  if (step == nullptr) {
    return ErrorAt(node, path, "a real issue needs 'step' (options are lower, lower + step, ...)");
  }
  PARLEY_ASSIGN_OR_RETURN(issue.real_step, ReadNumber(step->value, Child(path, "step")));
  if (!(issue.real_step > 0)) {
    return ErrorAtPath(Child(path, "step"),
                       "step must be positive, got " + model::FormatNumber(issue.real_step));
  }
  if ((issue.real_upper - issue.real_lower) / issue.real_step >=
      static_cast<double>(std::uint64_t{1} << 32)) {
    return ErrorAt(step->value, Child(path, "step"), "the range holds more than 2^32 steps");
  }
  return Status::Ok();
}

Status ParleyReader::ReadIssueOptions(const YAML::Node& node, const std::string& path,
                                      Issue& issue) {
  const std::string options_path = Child(path, "options");
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> items,
                          ReadList(node, options_path, "a list of options"));
  Remember(options_path, node);
  if (items.empty())
    return ErrorAt(node, options_path, "a discrete issue needs at least one option");
  PARLEY_RETURN_IF_ERROR(
      budget_.listed_options.Charge(items.size(), LocationOf(node, options_path)));
  std::map<std::string, YAML::Mark> seen;
  std::vector<std::string> descriptions;
  bool any_description = false;
  for (std::size_t option_idx = 0; option_idx < items.size(); ++option_idx) {
    const YAML::Node& item = items[option_idx];
    const std::string item_path = Element(options_path, option_idx);
    std::string label;
    std::string description;
    YAML::Mark label_mark = item.Mark();
    if (item.IsMap()) {
      PARLEY_ASSIGN_OR_RETURN(MapView map, ReadMap(item, item_path, "an option",
                                                   {"id", "description", "source", "note"}));
      const Entry* id = map.Find("id");
      if (id == nullptr) return ErrorAt(item, item_path, "an option given as a map needs an 'id'");
      PARLEY_ASSIGN_OR_RETURN(label, ReadName(id->value, item_path, "an option label"));
      label_mark = id->value.Mark();
      const std::string option_path = Child(options_path, label);
      PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, option_path));
      if (const Entry* text = map.Find("description")) {
        PARLEY_ASSIGN_OR_RETURN(description,
                                ReadText(text->value, Child(option_path, "description")));
        any_description = any_description || !description.empty();
      }
    } else {
      PARLEY_ASSIGN_OR_RETURN(label, ReadName(item, item_path, "an option label"));
    }
    auto [previous, inserted] = seen.emplace(label, label_mark);
    if (!inserted) {
      return InvalidInput("option " + Quote(label) + " is listed twice" + FirstAt(previous->second),
                          LocationOfMark(label_mark, options_path));
    }
    Remember(Child(options_path, label), item);
    issue.options.push_back(std::move(label));
    descriptions.push_back(std::move(description));
  }
  if (any_description) issue.option_descriptions = std::move(descriptions);
  return Status::Ok();
}

Status ParleyReader::ReadPhases(const YAML::Node& node, Scenario& scenario,
                                const std::vector<YAML::Node>& issue_phase_nodes) {
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> items,
                          ReadList(node, "phases", "a list of phases"));
  if (items.size() > kMaxPhases) {
    return ErrorAt(node, "phases",
                   "the scenario has " + std::to_string(items.size()) +
                       " phases; parley reads at most " + std::to_string(kMaxPhases));
  }
  std::map<std::string, YAML::Mark> phase_ids;
  PhaseListing listing;
  listing.listed_by.resize(scenario.issues.size());
  listing.listed_at.assign(scenario.issues.size(), YAML::Mark::null_mark());
  for (std::size_t phase_idx = 0; phase_idx < items.size(); ++phase_idx) {
    PARLEY_ASSIGN_OR_RETURN(Phase phase,
                            ReadPhase(items[phase_idx], phase_idx, scenario, phase_ids, listing));
    scenario.phases.push_back(std::move(phase));
  }
  return ReconcileIssuePhases(scenario, issue_phase_nodes, listing);
}

Result<Phase> ParleyReader::ReadPhase(const YAML::Node& node, std::size_t phase_idx,
                                      const Scenario& scenario,
                                      std::map<std::string, YAML::Mark>& phase_ids,
                                      PhaseListing& listing) {
  const std::string index_path = Element("phases", phase_idx);
  PARLEY_ASSIGN_OR_RETURN(MapView map,
                          ReadMap(node, index_path, "a phase",
                                  {"id", "label", "description", "issues", "source", "note"}));
  const Entry* id = map.Find("id");
  if (id == nullptr) return ErrorAt(node, index_path, "a phase needs an 'id'");
  Phase phase;
  PARLEY_ASSIGN_OR_RETURN(phase.id, ReadName(id->value, Child(index_path, "id"), "a phase id"));
  const std::string path = PhasePath(phase.id);
  auto [previous, inserted] = phase_ids.emplace(phase.id, id->value.Mark());
  if (!inserted) {
    return ErrorAt(id->value, path,
                   "phase id " + Quote(phase.id) + " is used twice" + FirstAt(previous->second));
  }
  Remember(path, node);
  PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, path));
  if (const Entry* label = map.Find("label")) {
    PARLEY_ASSIGN_OR_RETURN(phase.label, ReadText(label->value, Child(path, "label")));
  }
  if (const Entry* description = map.Find("description")) {
    PARLEY_ASSIGN_OR_RETURN(phase.description,
                            ReadText(description->value, Child(path, "description")));
  }
  if (const Entry* issues = map.Find("issues")) {
    PARLEY_RETURN_IF_ERROR(
        ReadPhaseIssues(issues->value, Child(path, "issues"), phase_idx, scenario, listing, phase));
  }
  return phase;
}

// The issues a phase lists: each settled by at most one phase.
Status ParleyReader::ReadPhaseIssues(const YAML::Node& node, const std::string& issues_path,
                                     std::size_t phase_idx, const Scenario& scenario,
                                     PhaseListing& listing, Phase& phase) {
  Remember(issues_path, node);
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> references,
                          ReadList(node, issues_path, "a list of issue ids"));
  for (const YAML::Node& reference : references) {
    PARLEY_ASSIGN_OR_RETURN(std::size_t issue_idx,
                            ReadIssueReference(reference, issues_path, scenario));
    if (listing.listed_by[issue_idx]) {
      std::string where = *listing.listed_by[issue_idx] == phase_idx
                              ? " is listed twice in this phase"
                              : " is already settled by phase " +
                                    Quote(scenario.phases[*listing.listed_by[issue_idx]].id);
      return ErrorAt(reference, issues_path,
                     "issue " + Quote(scenario.issues[issue_idx].id) + where +
                         FirstAt(listing.listed_at[issue_idx]) +
                         "; an issue is settled by at most one phase");
    }
    listing.listed_by[issue_idx] = phase_idx;
    listing.listed_at[issue_idx] = reference.Mark();
    phase.issue_indices.push_back(issue_idx);
  }
  return Status::Ok();
}

// Issues may name their phase instead of (or as well as) being listed by it; both ways must
// agree.
Status ParleyReader::ReconcileIssuePhases(Scenario& scenario,
                                          const std::vector<YAML::Node>& issue_phase_nodes,
                                          PhaseListing& listing) const {
  std::vector<std::string> phase_names;
  for (const Phase& phase : scenario.phases) phase_names.push_back(phase.id);
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    Issue& issue = scenario.issues[issue_idx];
    const std::string field = IssuePath(issue.id) + ".phase";
    std::optional<std::size_t>& listed_by = listing.listed_by[issue_idx];
    if (issue.phase.empty()) {
      if (listed_by) issue.phase = scenario.phases[*listed_by].id;
      continue;
    }
    std::optional<std::size_t> phase_idx = scenario.FindPhase(issue.phase);
    if (!phase_idx) {
      return ErrorAt(issue_phase_nodes[issue_idx], field,
                     UnknownName("phase", issue.phase, "phases", phase_names));
    }
    if (listed_by && *listed_by != *phase_idx) {
      return ErrorAt(issue_phase_nodes[issue_idx], field,
                     "issue " + Quote(issue.id) + " names phase " + Quote(issue.phase) +
                         " but phase " + Quote(scenario.phases[*listed_by].id) + " lists it" +
                         AtLine(listing.listed_at[issue_idx]));
    }
    if (!listed_by) {
      scenario.phases[*phase_idx].issue_indices.push_back(issue_idx);
      listed_by = *phase_idx;
    }
  }
  return Status::Ok();
}

Result<std::size_t> ParleyReader::ReadIssueReference(const YAML::Node& node,
                                                     const std::string& path,
                                                     const Scenario& scenario) const {
  PARLEY_ASSIGN_OR_RETURN(std::string id, ReadName(node, path, "an issue id"));
  if (std::optional<std::size_t> issue_idx = FindIssue(id)) return *issue_idx;
  std::vector<std::string> ids;
  for (const Issue& issue : scenario.issues) ids.push_back(issue.id);
  return ErrorAt(node, path, UnknownName("issue", id, "issues", ids));
}

Result<Party> ParleyReader::ReadParty(const YAML::Node& node, std::size_t party_idx,
                                      const Scenario& scenario) {
  const std::string index_path = Element("parties", party_idx);
  PARLEY_ASSIGN_OR_RETURN(MapView map, ReadMap(node, index_path, "a party",
                                               {"id", "name", "role", "enabled", "description",
                                                "preferences", "source_file", "source", "note"}));
  const Entry* id = map.Find("id");
  if (id == nullptr) return ErrorAt(node, index_path, "a party needs an 'id'");
  Party party;
  PARLEY_ASSIGN_OR_RETURN(party.id, ReadName(id->value, Child(index_path, "id"), "a party id"));
  const std::string path = PartyPath(party.id);
  Remember(path, node);
  Remember(Child(path, "id"), id->value);
  PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, path));
  party.name = party.id;
  if (const Entry* name = map.Find("name")) {
    PARLEY_ASSIGN_OR_RETURN(party.name, ReadText(name->value, Child(path, "name")));
  }
  if (const Entry* description = map.Find("description")) {
    PARLEY_ASSIGN_OR_RETURN(party.description,
                            ReadText(description->value, Child(path, "description")));
  }
  if (const Entry* source_file = map.Find("source_file")) {
    PARLEY_ASSIGN_OR_RETURN(party.source_file,
                            ReadText(source_file->value, Child(path, "source_file"), false));
  }
  if (const Entry* role = map.Find("role")) {
    PARLEY_ASSIGN_OR_RETURN(std::string text, ReadName(role->value, Child(path, "role"), "a role"));
    std::optional<model::Role> parsed = model::ParseRole(text);
    if (!parsed) {
      return ErrorAt(role->value, Child(path, "role"),
                     UnknownName("role", text, "roles", {"principal", "mediator", "observer"}));
    }
    party.role = *parsed;
  }
  if (const Entry* enabled = map.Find("enabled")) {
    PARLEY_ASSIGN_OR_RETURN(party.enabled, ReadBool(enabled->value, Child(path, "enabled")));
  }
  if (const Entry* preferences = map.Find("preferences")) {
    PARLEY_ASSIGN_OR_RETURN(party.preferences,
                            ReadPreferences(preferences->value, party.id, scenario));
  } else if (party.enabled && party.role == model::Role::kPrincipal) {
    return ErrorAt(id->value, path,
                   "principal " + Quote(party.id) +
                       " has no preferences (principals that take part need them; add "
                       "'preferences', set 'enabled: false' or give another role)");
  }
  return party;
}

Result<Preferences> ParleyReader::ReadPreferences(const YAML::Node& node,
                                                  const std::string& party_id,
                                                  const Scenario& scenario) {
  const std::string path = PreferencesPath(party_id);
  PARLEY_ASSIGN_OR_RETURN(MapView any, ReadAnyMap(node, path, "preferences"));
  Remember(path, node);
  std::string type = "additive";
  if (const Entry* type_entry = any.Find("type")) {
    PARLEY_ASSIGN_OR_RETURN(type,
                            ReadName(type_entry->value, Child(path, "type"), "a preference type"));
    if (type != "additive" && type != "hyper_rectangle") {
      return ErrorAt(
          type_entry->value, Child(path, "type"),
          UnknownName("preference type", type, "types", {"additive", "hyper_rectangle"}));
    }
  }
  const std::vector<std::string> common = {"type",      "reservation", "discount",
                                           "red_lines", "source",      "note"};
  std::vector<std::string> allowed = common;
  if (type == "additive") {
    allowed.insert(allowed.begin() + 1, {"weights", "normalize_weights", "offset", "values"});
  } else {
    allowed.insert(allowed.begin() + 1, {"max_utility", "sets"});
  }
  PARLEY_ASSIGN_OR_RETURN(MapView map, ReadMap(node, path,
                                               type == "additive" ? "additive preferences"
                                                                  : "hyper-rectangle preferences",
                                               allowed));
  PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, path));
  Preferences preferences;
  if (type == "additive") {
    PARLEY_ASSIGN_OR_RETURN(preferences.utility, ReadAdditive(map, party_id, scenario));
  } else {
    PARLEY_ASSIGN_OR_RETURN(preferences.utility, ReadHyperRectangles(map, path, scenario));
  }
  if (const Entry* reservation = map.Find("reservation")) {
    PARLEY_RETURN_IF_ERROR(
        ReadReservation(reservation->value, Child(path, "reservation"), scenario, preferences));
  }
  if (const Entry* discount = map.Find("discount")) {
    const std::string discount_path = Child(path, "discount");
    PARLEY_ASSIGN_OR_RETURN(preferences.discount,
                            ReadUncertainNumber(discount->value, discount_path, "discount", 0, 1));
    const model::ValueRange* range = uncertainty_.Find(discount_path);
    if (!(preferences.discount > 0)) {
      return ErrorAtPath(discount_path, "discount must lie in (0, 1] (1 means none), got " +
                                            model::FormatNumber(preferences.discount));
    }
    if (range != nullptr && !(range->low > 0)) {
      return ErrorAtPath(Child(discount_path, "range"),
                         "discount must lie in (0, 1] (1 means none); the range starts at " +
                             model::FormatNumber(range->low));
    }
  }
  if (const Entry* red_lines = map.Find("red_lines")) {
    PARLEY_ASSIGN_OR_RETURN(preferences.red_lines,
                            ReadRedLines(red_lines->value, party_id, scenario));
  }
  return preferences;
}

// Lists the ids of `issues` for which `present` is false.
std::vector<std::string> MissingIssues(const std::vector<Issue>& issues,
                                       const std::vector<bool>& present) {
  std::vector<std::string> missing;
  for (std::size_t issue_idx = 0; issue_idx < issues.size(); ++issue_idx) {
    if (!present[issue_idx]) missing.push_back(issues[issue_idx].id);
  }
  return missing;
}

Result<std::shared_ptr<const model::UtilityFunction>> ParleyReader::ReadAdditive(
    const MapView& map, const std::string& party_id, const Scenario& scenario) {
  const std::string path = PreferencesPath(party_id);
  std::vector<std::string> issue_ids;
  for (const Issue& issue : scenario.issues) issue_ids.push_back(issue.id);
  PARLEY_ASSIGN_OR_RETURN(std::vector<double> weights,
                          ReadWeights(map, party_id, scenario, issue_ids));
  double offset = 0;
  if (const Entry* entry = map.Find("offset")) {
    PARLEY_ASSIGN_OR_RETURN(offset,
                            ReadUncertainNumber(entry->value, Child(path, "offset"), "offset",
                                                -std::numeric_limits<double>::infinity(),
                                                std::numeric_limits<double>::infinity()));
  }
  PARLEY_ASSIGN_OR_RETURN(std::vector<ValueFunction> values,
                          ReadValueFunctions(map, path, scenario, issue_ids));
  auto utility = std::make_shared<AdditiveUtility>(std::move(weights), std::move(values), offset);
  if (!relaxed_) {
    model::UtilityRange range = model::ComputeUtilityRange(*utility, scenario.BuildOutcomeSpace());
    if (range.min < -kUtilityTolerance || range.max > 1 + kUtilityTolerance) {
      bool low = range.min < -kUtilityTolerance;
      return ErrorAt(map.node, path,
                     "utilities range from " + model::FormatNumber(range.min) + " to " +
                         model::FormatNumber(range.max) + " but must lie in [0, 1]; " +
                         (low ? "lowest" : "highest") + " at " +
                         scenario.DescribeOutcome(low ? range.argmin : range.argmax) +
                         " (check weights, offset and normalize_weights)");
    }
  }
  return std::shared_ptr<const model::UtilityFunction>(std::move(utility));
}

// One weight per issue, normalised by their sum unless normalize_weights is false; the scale
// is kept for writing ranges back as they were written.
Result<std::vector<double>> ParleyReader::ReadWeights(const MapView& map,
                                                      const std::string& party_id,
                                                      const Scenario& scenario,
                                                      const std::vector<std::string>& issue_ids) {
  const std::string path = PreferencesPath(party_id);
  const std::size_t num_issues = scenario.issues.size();
  const Entry* weights_entry = map.Find("weights");
  if (weights_entry == nullptr) {
    return ErrorAt(map.node, path, "additive preferences need 'weights' (one per issue)");
  }
  const std::string weights_path = Child(path, "weights");
  PARLEY_ASSIGN_OR_RETURN(MapView weights_map,
                          ReadAnyMap(weights_entry->value, weights_path, "weights per issue"));
  Remember(weights_path, weights_entry->value);
  std::vector<double> weights(num_issues, 0.0);
  std::vector<bool> has_weight(num_issues, false);
  for (const Entry& entry : weights_map.entries) {
    std::optional<std::size_t> issue_idx = FindIssue(entry.key);
    if (!issue_idx) {
      return ErrorAt(entry.key_node, Child(weights_path, entry.key),
                     UnknownName("issue", entry.key, "issues", issue_ids));
    }
    const std::string weight_path = Child(weights_path, entry.key);
    PARLEY_ASSIGN_OR_RETURN(double weight,
                            ReadUncertainNumber(entry.value, weight_path, "weight", 0,
                                                std::numeric_limits<double>::infinity()));
    weights[*issue_idx] = weight;
    has_weight[*issue_idx] = true;
  }
  std::vector<std::string> missing = MissingIssues(scenario.issues, has_weight);
  if (!missing.empty()) {
    return ErrorAt(weights_entry->value, weights_path,
                   "no weight for issue(s) " + ListNames(missing) +
                       " (every issue needs a weight; write 0 for issues the party does not "
                       "care about)");
  }
  bool normalize = true;
  if (const Entry* entry = map.Find("normalize_weights")) {
    PARLEY_ASSIGN_OR_RETURN(normalize, ReadBool(entry->value, Child(path, "normalize_weights")));
  }
  model::WeightScale scale;
  scale.normalized = normalize;
  if (normalize) {
    double sum = 0;
    for (double weight : weights) sum += weight;
    if (!(sum > 0) || !std::isfinite(sum)) {
      return ErrorAt(weights_entry->value, weights_path,
                     "weights sum to " + model::FormatNumber(sum) +
                         " and cannot be normalised (give a positive weight, or set "
                         "'normalize_weights: false')");
    }
    for (double& weight : weights) weight /= sum;
    scale.divisor = sum;
  }
  for (const Issue& issue : scenario.issues) {
    if (uncertainty_.Find(Child(weights_path, issue.id)) != nullptr) {
      uncertainty_.weight_scales[party_id] = scale;
      break;
    }
  }
  return weights;
}

// One value function per issue.
Result<std::vector<ValueFunction>> ParleyReader::ReadValueFunctions(
    const MapView& map, const std::string& path, const Scenario& scenario,
    const std::vector<std::string>& issue_ids) {
  const std::size_t num_issues = scenario.issues.size();
  const Entry* values_entry = map.Find("values");
  if (values_entry == nullptr) {
    return ErrorAt(map.node, path, "additive preferences need 'values' (one function per issue)");
  }
  const std::string values_path = Child(path, "values");
  PARLEY_ASSIGN_OR_RETURN(MapView values_map, ReadAnyMap(values_entry->value, values_path,
                                                         "value functions per issue"));
  Remember(values_path, values_entry->value);
  std::vector<ValueFunction> values(num_issues);
  std::vector<bool> has_values(num_issues, false);
  for (const Entry& entry : values_map.entries) {
    std::optional<std::size_t> issue_idx = FindIssue(entry.key);
    if (!issue_idx) {
      return ErrorAt(entry.key_node, Child(values_path, entry.key),
                     UnknownName("issue", entry.key, "issues", issue_ids));
    }
    PARLEY_ASSIGN_OR_RETURN(
        values[*issue_idx],
        ReadValueFunction(entry.value, Child(values_path, entry.key), scenario.issues[*issue_idx]));
    has_values[*issue_idx] = true;
  }
  std::vector<std::string> missing = MissingIssues(scenario.issues, has_values);
  if (!missing.empty()) {
    return ErrorAt(values_entry->value, values_path,
                   "no value function for issue(s) " + ListNames(missing) +
                       " (every issue needs one; {type: constant, value: 0} if it does not "
                       "matter)");
  }
  return values;
}

Result<ValueFunction> ParleyReader::ReadValueFunction(const YAML::Node& node,
                                                      const std::string& path, const Issue& issue) {
  Remember(path, node);
  if (!node.IsMap()) {
    return ErrorAt(node, path,
                   "expected a value function (a map of option values, or {type: ...}), got " +
                       DescribeNode(node));
  }
  if (issue.NumOptions() > kMaxTabulatedOptions) {
    return ErrorAt(node, path,
                   "issue " + Quote(issue.id) + " has " + std::to_string(issue.NumOptions()) +
                       " options; value functions are tabulated and support at most " +
                       std::to_string(kMaxTabulatedOptions) + " (use a coarser step)");
  }
  PARLEY_RETURN_IF_ERROR(budget_.tabulated.Charge(issue.NumOptions(), LocationOf(node, path)));
  PARLEY_ASSIGN_OR_RETURN(MapView any, ReadAnyMap(node, path, "a value function"));
  ValueFunction function;
  const Entry* type_entry = any.Find("type");
  if (type_entry == nullptr) {
    // Short form: a table keyed by option; 'source' and 'note' give provenance.
    PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(any, path));
    PARLEY_RETURN_IF_ERROR(ReadTableEntries(any, path, issue, true, function));
    return function;
  }
  PARLEY_ASSIGN_OR_RETURN(
      std::string type, ReadName(type_entry->value, Child(path, "type"), "a value-function type"));
  static const std::vector<std::string> kTypes = {"table", "linear", "piecewise_linear",
                                                  "triangular", "constant"};
  static const std::map<std::string, std::vector<std::string>> kKeys = {
      {"table", {"type", "values", "source", "note"}},
      {"linear", {"type", "at_lower", "at_upper", "source", "note"}},
      {"piecewise_linear", {"type", "points", "source", "note"}},
      {"triangular", {"type", "lower", "peak", "upper", "source", "note"}},
      {"constant", {"type", "value", "source", "note"}}};
  auto keys = kKeys.find(type);
  if (keys == kKeys.end()) {
    return ErrorAt(type_entry->value, Child(path, "type"),
                   UnknownName("value-function type", type, "types", kTypes));
  }
  if (type != "table" && type != "constant" && !issue.IsNumeric()) {
    return ErrorAt(type_entry->value, Child(path, "type"),
                   "a " + type + " value function needs a numeric issue; issue " + Quote(issue.id) +
                       " is discrete (use a table)");
  }
  PARLEY_RETURN_IF_ERROR(ReadValueFunctionForm(node, path, issue, type, keys->second, function));
  return function;
}

// A value function given with its `type` (allowed keys: `keys`): the form, tabulated.
Status ParleyReader::ReadValueFunctionForm(const YAML::Node& node, const std::string& path,
                                           const Issue& issue, const std::string& type,
                                           const std::vector<std::string>& keys,
                                           ValueFunction& function) {
  PARLEY_ASSIGN_OR_RETURN(MapView map, ReadMap(node, path, "a " + type + " value function", keys));
  PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, path));
  auto require = [&](const char* key) -> Result<const Entry*> {
    const Entry* entry = map.Find(key);
    if (entry == nullptr) {
      return ErrorAt(node, path, "a " + type + " value function needs '" + key + "'");
    }
    return entry;
  };
  if (type == "table") {
    PARLEY_ASSIGN_OR_RETURN(const Entry* values, require("values"));
    PARLEY_ASSIGN_OR_RETURN(MapView table,
                            ReadAnyMap(values->value, Child(path, "values"), "option values"));
    return ReadTableEntries(table, path, issue, false, function);
  }

  const double lower = issue.NumericValue(0);
  const double upper = issue.NumericValue(issue.NumOptions() - 1);
  if (type == "linear") {
    PARLEY_ASSIGN_OR_RETURN(const Entry* at_lower, require("at_lower"));
    PARLEY_ASSIGN_OR_RETURN(const Entry* at_upper, require("at_upper"));
    function.form = ValueFunctionForm::kLinear;
    PARLEY_ASSIGN_OR_RETURN(double value_lower,
                            ReadUnitNumber(at_lower->value, Child(path, "at_lower"), "a value"));
    PARLEY_ASSIGN_OR_RETURN(double value_upper,
                            ReadUnitNumber(at_upper->value, Child(path, "at_upper"), "a value"));
    function.points = {{lower, value_lower}, {upper, value_upper}};
  } else if (type == "piecewise_linear") {
    PARLEY_ASSIGN_OR_RETURN(const Entry* points, require("points"));
    PARLEY_RETURN_IF_ERROR(ReadPoints(points->value, Child(path, "points"), function));
  } else if (type == "triangular") {
    PARLEY_ASSIGN_OR_RETURN(const Entry* lower_entry, require("lower"));
    PARLEY_ASSIGN_OR_RETURN(const Entry* peak_entry, require("peak"));
    PARLEY_ASSIGN_OR_RETURN(const Entry* upper_entry, require("upper"));
    function.form = ValueFunctionForm::kTriangular;
    PARLEY_ASSIGN_OR_RETURN(double tri_lower, ReadNumber(lower_entry->value, Child(path, "lower")));
    PARLEY_ASSIGN_OR_RETURN(double peak, ReadNumber(peak_entry->value, Child(path, "peak")));
    PARLEY_ASSIGN_OR_RETURN(double tri_upper, ReadNumber(upper_entry->value, Child(path, "upper")));
    if (!(tri_lower < peak && peak < tri_upper)) {
      return ErrorAt(node, path,
                     "a triangular value function needs lower < peak < upper, got " +
                         model::FormatNumber(tri_lower) + ", " + model::FormatNumber(peak) + ", " +
                         model::FormatNumber(tri_upper));
    }
    function.points = {{tri_lower, 0.0}, {peak, 1.0}, {tri_upper, 0.0}};
  } else {
    PARLEY_ASSIGN_OR_RETURN(const Entry* value_entry, require("value"));
    function.form = ValueFunctionForm::kConstant;
    PARLEY_ASSIGN_OR_RETURN(double value,
                            ReadUnitNumber(value_entry->value, Child(path, "value"), "a value"));
    function.points = {{0.0, value}};
  }
  function.Tabulate(issue);
  return Status::Ok();
}

// The points of a piecewise-linear value function: [x, value] by increasing x.
Status ParleyReader::ReadPoints(const YAML::Node& node, const std::string& points_path,
                                ValueFunction& function) {
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> items,
                          ReadList(node, points_path, "a list of [x, value] points"));
  if (items.empty()) return ErrorAt(node, points_path, "at least one point is needed");
  function.form = ValueFunctionForm::kPiecewiseLinear;
  for (std::size_t point_idx = 0; point_idx < items.size(); ++point_idx) {
    const std::string point_path = Element(points_path, point_idx);
    PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> pair,
                            ReadList(items[point_idx], point_path, "a point [x, value]"));
    if (pair.size() != 2) {
      return ErrorAt(items[point_idx], point_path,
                     "a point is [x, value], got a list of " + std::to_string(pair.size()));
    }
    PARLEY_ASSIGN_OR_RETURN(double x, ReadNumber(pair[0], point_path, false));
    PARLEY_ASSIGN_OR_RETURN(double value, ReadNumber(pair[1], point_path, false));
    if (!relaxed_ && (value < 0 || value > 1)) {
      return ErrorAt(pair[1], point_path,
                     "a value must lie in [0, 1], got " + model::FormatNumber(value));
    }
    if (!function.points.empty() && x < function.points.back().first) {
      return ErrorAt(pair[0], point_path,
                     "points must be listed by increasing x; " + model::FormatNumber(x) +
                         " comes after " + model::FormatNumber(function.points.back().first));
    }
    function.points.emplace_back(x, value);
  }
  return Status::Ok();
}

Status ParleyReader::ReadTableEntries(const MapView& map, const std::string& path,
                                      const Issue& issue, bool skip_provenance_keys,
                                      ValueFunction& function) {
  function.form = ValueFunctionForm::kTable;
  const std::uint64_t num_options = issue.NumOptions();
  function.table.assign(num_options, 0.0);
  std::vector<bool> given(num_options, false);
  std::vector<YAML::Mark> given_at(num_options, YAML::Mark::null_mark());
  // Labels are looked up by hash: Issue::FindOption scans the list, quadratic on long tables.
  std::unordered_map<std::string_view, std::uint64_t> labels;
  for (std::size_t option_idx = 0; option_idx < issue.options.size(); ++option_idx) {
    labels.emplace(issue.options[option_idx], option_idx);
  }
  for (const Entry& entry : map.entries) {
    if (skip_provenance_keys && (entry.key == "source" || entry.key == "note")) continue;
    std::optional<std::uint64_t> option;
    if (issue.kind == IssueKind::kDiscrete) {
      auto found = labels.find(entry.key);
      if (found != labels.end()) option = found->second;
    } else {
      option = issue.FindOption(entry.key);
    }
    if (!option) {
      std::string message = issue.kind == IssueKind::kDiscrete
                                ? UnknownName("option", entry.key, "options", issue.options)
                                : Quote(entry.key) + " is not a value of issue " + Quote(issue.id) +
                                      " (from " + issue.OptionLabel(0) + " to " +
                                      issue.OptionLabel(num_options - 1) + ")";
      return ErrorAt(entry.key_node, Child(path, entry.key), message);
    }
    const std::string entry_path = Child(path, issue.OptionLabel(*option));
    if (given[*option]) {
      return ErrorAt(entry.key_node, entry_path,
                     "option " + Quote(issue.OptionLabel(*option)) + " is listed twice" +
                         FirstAt(given_at[*option]));
    }
    PARLEY_ASSIGN_OR_RETURN(function.table[*option],
                            ReadUnitNumber(entry.value, entry_path, "a value"));
    given[*option] = true;
    given_at[*option] = entry.key_node.Mark();
  }
  std::vector<std::string> missing;
  for (std::uint64_t option = 0; option < num_options && missing.size() <= 20; ++option) {
    if (!given[option]) missing.push_back(issue.OptionLabel(option));
  }
  if (!missing.empty()) {
    return ErrorAt(map.node, path,
                   "the table gives no value for option(s) " + ListNames(missing) + " of issue " +
                       Quote(issue.id) + " (every option needs a value)");
  }
  return Status::Ok();
}

Result<std::uint64_t> ParleyReader::ReadOptionOf(const YAML::Node& node, const std::string& path,
                                                 const Issue& issue) {
  PARLEY_ASSIGN_OR_RETURN(std::string label, ReadName(node, path, "an option"));
  if (std::optional<std::uint64_t> option = issue.FindOption(label)) return *option;
  if (issue.kind == IssueKind::kDiscrete) {
    return ErrorAt(node, path, UnknownName("option", label, "options", issue.options));
  }
  return ErrorAt(
      node, path,
      Quote(label) + " is not a value of issue " + Quote(issue.id) + " (from " +
          issue.OptionLabel(0) + " to " + issue.OptionLabel(issue.NumOptions() - 1) +
          (issue.kind == IssueKind::kReal ? " in steps of " + model::FormatNumber(issue.real_step)
                                          : std::string()) +
          ")");
}

Status ParleyReader::ReadReservation(const YAML::Node& node, const std::string& path,
                                     const Scenario& scenario, Preferences& preferences) {
  Remember(path, node);
  bool is_outcome = false;
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == "outcome") is_outcome = true;
    }
  }
  if (!is_outcome) {
    PARLEY_ASSIGN_OR_RETURN(double value, ReadUnitNumber(node, path, "reservation"));
    preferences.reservation_value = value;
    return Status::Ok();
  }
  PARLEY_ASSIGN_OR_RETURN(
      MapView map, ReadMap(node, path, "a reservation outcome", {"outcome", "source", "note"}));
  PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, path));
  const Entry* outcome_entry = map.Find("outcome");
  const std::string outcome_path = Child(path, "outcome");
  PARLEY_ASSIGN_OR_RETURN(MapView options,
                          ReadAnyMap(outcome_entry->value, outcome_path, "one option per issue"));
  std::vector<std::string> issue_ids;
  for (const Issue& issue : scenario.issues) issue_ids.push_back(issue.id);
  Outcome outcome(scenario.issues.size(), 0);
  std::vector<bool> given(scenario.issues.size(), false);
  for (const Entry& entry : options.entries) {
    std::optional<std::size_t> issue_idx = FindIssue(entry.key);
    if (!issue_idx) {
      return ErrorAt(entry.key_node, Child(outcome_path, entry.key),
                     UnknownName("issue", entry.key, "issues", issue_ids));
    }
    PARLEY_ASSIGN_OR_RETURN(
        std::uint64_t option,
        ReadOptionOf(entry.value, Child(outcome_path, entry.key), scenario.issues[*issue_idx]));
    outcome[*issue_idx] = static_cast<model::OptionIndex>(option);
    given[*issue_idx] = true;
  }
  std::vector<std::string> missing = MissingIssues(scenario.issues, given);
  if (!missing.empty()) {
    return ErrorAt(outcome_entry->value, outcome_path,
                   "the reservation outcome gives no option for issue(s) " + ListNames(missing));
  }
  preferences.reservation_value = preferences.utility->Evaluate(outcome);
  preferences.reservation_outcome = std::move(outcome);
  return Status::Ok();
}

Status ParleyReader::ExpressionError(const YAML::Node& node, const std::string& field,
                                     const std::string& expression,
                                     const Status& parse_error) const {
  Location location = LocationOf(node, field);
  std::string message = parse_error.message();
  int expression_column = parse_error.location().column;
  if (location.line > 0 && expression_column > 0) {
    // Point at the token when the expression stands on one line exactly as written (plain, or
    // quoted without escapes); otherwise name the column within the expression.
    std::size_t pos = static_cast<std::size_t>(node.Mark().pos);
    std::size_t quote = pos < text_.size() && (text_[pos] == '"' || text_[pos] == '\'') ? 1 : 0;
    bool verbatim = expression.find('\n') == std::string::npos &&
                    pos + quote + expression.size() <= text_.size() &&
                    text_.compare(pos + quote, expression.size(), expression) == 0;
    if (verbatim) {
      location.column += static_cast<int>(quote) + expression_column - 1;
    } else {
      message += " (column " + std::to_string(expression_column) + " of the expression)";
    }
  }
  return InvalidInput(message, location);
}

Result<std::vector<RedLine>> ParleyReader::ReadRedLines(const YAML::Node& node,
                                                        const std::string& party_id,
                                                        const Scenario& scenario) {
  const std::string list_path = PartyPath(party_id) + ".red_lines";
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> items,
                          ReadList(node, list_path, "a list of red lines"));
  if (items.size() > kMaxRedLinesPerParty) {
    return ErrorAt(node, list_path,
                   "the party has " + std::to_string(items.size()) +
                       " red lines; parley reads at most " + std::to_string(kMaxRedLinesPerParty));
  }
  std::vector<RedLine> red_lines;
  for (std::size_t line_idx = 0; line_idx < items.size(); ++line_idx) {
    const std::string path = RedLinePath(party_id, line_idx);
    PARLEY_ASSIGN_OR_RETURN(MapView map, ReadMap(items[line_idx], path, "a red line",
                                                 {"id", "forbid", "require", "holds", "description",
                                                  "source", "note"}));
    Remember(path, items[line_idx]);
    const Entry* forbid = map.Find("forbid");
    const Entry* require = map.Find("require");
    if ((forbid == nullptr) == (require == nullptr)) {
      return ErrorAt(items[line_idx], path,
                     "a red line needs exactly one of 'forbid' or 'require'");
    }
    RedLine red_line;
    red_line.kind = forbid != nullptr ? RedLine::Kind::kForbid : RedLine::Kind::kRequire;
    const Entry* expression_entry = forbid != nullptr ? forbid : require;
    const std::string expression_path = Child(path, expression_entry->key);
    PARLEY_ASSIGN_OR_RETURN(red_line.text,
                            ReadName(expression_entry->value, expression_path, "an expression"));
    PARLEY_RETURN_IF_ERROR(ReadEntityProvenance(map, path));
    if (const Entry* description = map.Find("description")) {
      PARLEY_ASSIGN_OR_RETURN(red_line.description,
                              ReadText(description->value, Child(path, "description")));
    }
    if (const Entry* id = map.Find("id")) {
      PARLEY_ASSIGN_OR_RETURN(red_line.id, ReadName(id->value, Child(path, "id"), "a red line id"));
      Remember(Child(path, "id"), id->value);
    }
    if (const Entry* holds = map.Find("holds")) {
      const std::string holds_path = Child(path, "holds");
      PARLEY_ASSIGN_OR_RETURN(red_line.holds, ReadNumber(holds->value, holds_path));
      if (!(red_line.holds >= 0 && red_line.holds <= 1)) {
        return ErrorAtPath(holds_path,
                           "holds is the probability that the red line is firm, in "
                           "[0, 1]; got " +
                               model::FormatNumber(red_line.holds));
      }
    }
    const std::uint64_t budget = kMaxRedLineOptions - red_line_options_;
    Result<model::Expression> expression =
        model::ParseExpression(red_line.text, scenario.issues, budget);
    if (!expression.ok()) {
      return ExpressionError(expression_entry->value, expression_path, red_line.text,
                             expression.status());
    }
    red_line_options_ += model::AtomOptions(*expression);
    red_line.expression = std::move(expression).value();
    red_lines.push_back(std::move(red_line));
  }
  return red_lines;
}

Result<std::shared_ptr<const model::UtilityFunction>> ParleyReader::ReadHyperRectangles(
    const MapView& map, const std::string& path, const Scenario& scenario) {
  double max_utility = 1;
  if (const Entry* entry = map.Find("max_utility")) {
    const std::string max_path = Child(path, "max_utility");
    PARLEY_ASSIGN_OR_RETURN(max_utility, ReadNumber(entry->value, max_path));
    if (!(max_utility > 0)) {
      return ErrorAtPath(max_path,
                         "max_utility must be positive, got " + model::FormatNumber(max_utility));
    }
  }
  const Entry* sets_entry = map.Find("sets");
  if (sets_entry == nullptr) {
    return ErrorAt(map.node, path, "hyper-rectangle preferences need 'sets'");
  }
  const std::string sets_path = Child(path, "sets");
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> set_nodes,
                          ReadList(sets_entry->value, sets_path, "a list of rectangle sets"));
  std::vector<std::string> issue_ids;
  for (const Issue& issue : scenario.issues) issue_ids.push_back(issue.id);
  std::vector<model::RectangleSet> sets;
  for (std::size_t set_idx = 0; set_idx < set_nodes.size(); ++set_idx) {
    PARLEY_ASSIGN_OR_RETURN(
        model::RectangleSet set,
        ReadRectangleSet(set_nodes[set_idx], Element(sets_path, set_idx), issue_ids));
    sets.push_back(std::move(set));
  }
  return std::shared_ptr<const model::UtilityFunction>(
      std::make_shared<HyperRectangleUtility>(scenario.issues, std::move(sets), max_utility));
}

Result<model::RectangleSet> ParleyReader::ReadRectangleSet(
    const YAML::Node& node, const std::string& set_path,
    const std::vector<std::string>& issue_ids) {
  PARLEY_ASSIGN_OR_RETURN(MapView set_map, ReadMap(node, set_path, "a rectangle set",
                                                   {"weight", "aggregation", "rectangles"}));
  model::RectangleSet set;
  if (const Entry* weight = set_map.Find("weight")) {
    PARLEY_ASSIGN_OR_RETURN(set.weight, ReadNumber(weight->value, Child(set_path, "weight")));
  }
  if (const Entry* aggregation = set_map.Find("aggregation")) {
    PARLEY_ASSIGN_OR_RETURN(
        std::string text,
        ReadName(aggregation->value, Child(set_path, "aggregation"), "an aggregation"));
    std::optional<model::Aggregation> parsed = model::ParseAggregation(text);
    if (!parsed) {
      return ErrorAt(aggregation->value, Child(set_path, "aggregation"),
                     UnknownName("aggregation", text, "aggregations", {"sum", "min", "max"}));
    }
    set.aggregation = *parsed;
  }
  const Entry* rectangles = set_map.Find("rectangles");
  if (rectangles == nullptr) return ErrorAt(node, set_path, "a rectangle set needs 'rectangles'");
  const std::string rectangles_path = Child(set_path, "rectangles");
  PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> rectangle_nodes,
                          ReadList(rectangles->value, rectangles_path, "a list of rectangles"));
  PARLEY_RETURN_IF_ERROR(budget_.rectangles.Charge(rectangle_nodes.size(),
                                                   LocationOf(rectangles->value, rectangles_path)));
  for (std::size_t rectangle_idx = 0; rectangle_idx < rectangle_nodes.size(); ++rectangle_idx) {
    PARLEY_ASSIGN_OR_RETURN(model::HyperRectangle rectangle,
                            ReadRectangle(rectangle_nodes[rectangle_idx],
                                          Element(rectangles_path, rectangle_idx), issue_ids));
    set.rectangles.push_back(std::move(rectangle));
  }
  return set;
}

Result<model::HyperRectangle> ParleyReader::ReadRectangle(
    const YAML::Node& node, const std::string& rectangle_path,
    const std::vector<std::string>& issue_ids) {
  PARLEY_ASSIGN_OR_RETURN(MapView rectangle_map, ReadMap(node, rectangle_path, "a rectangle",
                                                         {"utility", "includes", "excludes"}));
  model::HyperRectangle rectangle;
  const Entry* utility = rectangle_map.Find("utility");
  if (utility == nullptr) return ErrorAt(node, rectangle_path, "a rectangle needs 'utility'");
  PARLEY_ASSIGN_OR_RETURN(rectangle.utility,
                          ReadNumber(utility->value, Child(rectangle_path, "utility")));
  for (const char* key : {"includes", "excludes"}) {
    const Entry* bounds_entry = rectangle_map.Find(key);
    if (bounds_entry == nullptr) continue;
    PARLEY_RETURN_IF_ERROR(ReadRectangleBounds(
        bounds_entry->value, Child(rectangle_path, key), issue_ids,
        std::string_view(key) == "includes" ? rectangle.includes : rectangle.excludes));
  }
  return rectangle;
}

// `{issue: [min, max], ...}`: one bound per issue named, appended to `bounds`.
Status ParleyReader::ReadRectangleBounds(const YAML::Node& node, const std::string& bounds_path,
                                         const std::vector<std::string>& issue_ids,
                                         std::vector<model::RectangleBound>& bounds) {
  PARLEY_ASSIGN_OR_RETURN(MapView bounds_map,
                          ReadAnyMap(node, bounds_path, "{issue: [min, max], ...}"));
  for (const Entry& entry : bounds_map.entries) {
    std::optional<std::size_t> issue_idx = FindIssue(entry.key);
    const std::string bound_path = Child(bounds_path, entry.key);
    if (!issue_idx) {
      return ErrorAt(entry.key_node, bound_path,
                     UnknownName("issue", entry.key, "issues", issue_ids));
    }
    PARLEY_ASSIGN_OR_RETURN(std::vector<YAML::Node> pair,
                            ReadList(entry.value, bound_path, "[min, max]"));
    if (pair.size() != 2) {
      return ErrorAt(entry.value, bound_path,
                     "expected [min, max], got a list of " + std::to_string(pair.size()));
    }
    model::RectangleBound bound;
    bound.issue_idx = *issue_idx;
    PARLEY_ASSIGN_OR_RETURN(bound.min, ReadNumber(pair[0], bound_path, false));
    PARLEY_ASSIGN_OR_RETURN(bound.max, ReadNumber(pair[1], bound_path, false));
    bounds.push_back(bound);
  }
  return Status::Ok();
}

Result<Scenario> ReadYamlTree(const YAML::Node& root, const std::string& text,
                              const std::string& file_name, bool check_duplicates) {
  ParleyReader reader(file_name, text);
  if (check_duplicates) PARLEY_RETURN_IF_ERROR(reader.CheckDuplicateKeys(root));
  return reader.Read(root);
}

}  // namespace

Result<model::Scenario> ReadParleyYaml(const std::string& text, const std::string& file_name) {
  try {
    PARLEY_ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(text, ScenarioYamlLimits(), file_name));
    return ReadYamlTree(root, text, file_name, true);
  } catch (const YAML::Exception& error) {
    return YamlError(error, file_name);
  } catch (const std::exception& error) {
    return InvalidInput(std::string("cannot read the scenario: ") + error.what(),
                        Location::InFile(file_name));
  }
}

Result<model::Scenario> ReadParleyJson(const std::string& text, const std::string& file_name) {
  try {
    // Strict JSON within the limits (size, depth, values, finite numbers), duplicate keys refused
    // where they occur: everything below then works on a tree of bounded size and depth.
    JsonLimits limits = ScenarioJsonLimits();
    limits.refuse_duplicate_keys = true;
    Result<Json> parsed = ParseJson(text, limits);
    if (!parsed.ok()) return Status(parsed.status()).WithFile(file_name);
    const Json& json = *parsed;
    // yaml-cpp gives every node a position; use its tree when it holds exactly the JSON.
    std::optional<YAML::Node> root;
    Result<YAML::Node> loaded = LoadYaml(text, ScenarioYamlLimits(), file_name);
    if (loaded.ok()) root = *loaded;
    if (root) {
      ParleyReader reader(file_name, text);
      PARLEY_RETURN_IF_ERROR(reader.CheckDuplicateKeys(*root));
      if (internal::SameTree(*root, json)) return reader.Read(*root);
    }
    YAML::Node converted = internal::JsonToYaml(json);
    return ReadYamlTree(converted, text, file_name, false);
  } catch (const YAML::Exception& error) {
    return YamlError(error, file_name);
  } catch (const std::exception& error) {
    return InvalidInput(std::string("cannot read the scenario: ") + error.what(),
                        Location::InFile(file_name));
  }
}
}  // namespace parley::io
