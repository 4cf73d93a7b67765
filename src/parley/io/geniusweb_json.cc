// GeniusWeb JSON reading and writing. geniusweb_json.h states the file format and the semantics;
// this file follows it: parse with nlohmann::ordered_json (so issue order survives), check every
// field against the domain with a JSON path in each error, build the Scenario, validate it.
#include "parley/io/geniusweb_json.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "parley/base/file.h"
#include "parley/io/json_limits.h"
#include "parley/io/limits.h"
#include "parley/io/scenario_io.h"
#include "parley/model/utility.h"
#include "parley/model/validate.h"

namespace parley::io {
namespace {

namespace fs = std::filesystem;

constexpr char kLinearAdditive[] = "LinearAdditiveUtilitySpace";
// GeniusWeb profile types parley recognises as profiles but cannot read.
constexpr const char* kOtherProfileTypes[] = {"SumOfGroupsUtilitySpace", "DefaultPartialOrdering"};
constexpr std::uint64_t kMaxOptionsPerIssue = std::uint64_t{1} << 32;
// A numeric issue whose utilities are not linear is written as a list of this many values at most.
constexpr std::uint64_t kMaxListedNumericOptions = 10000;
// Utilities may stray this far outside [0, 1] and still be written; the written utilities may
// differ from the scenario's by this much at most.
constexpr double kExportTolerance = 1e-9;
// Weights summing to 1 within this are written as they are (beyond it they are re-derived).
constexpr double kWeightSumTolerance = 1e-12;
// Largest deviation of a table from a straight line that still counts as linear.
constexpr double kLinearTolerance = 1e-12;
// Weights are written as multiples of 1e-15 so their decimal texts sum to exactly 1.
constexpr std::int64_t kWeightUnits = 1'000'000'000'000'000;

// ---------------------------------------------------------------------------------------------
// Small helpers

Status FieldError(const std::string& file, const std::string& field, const std::string& message) {
  return InvalidInput(message, Location{file, 0, 0, field});
}

std::string JoinPath(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

std::string Quote(const std::string& text) { return "'" + text + "'"; }

std::string FileStem(const std::string& path) { return fs::path(path).stem().string(); }

std::string JoinList(const std::vector<std::string>& items, std::size_t limit = 12) {
  std::string joined;
  for (std::size_t item_idx = 0; item_idx < items.size() && item_idx < limit; ++item_idx) {
    if (item_idx > 0) joined += ", ";
    joined += items[item_idx];
  }
  if (items.size() > limit) joined += ", ... (" + std::to_string(items.size()) + " in all)";
  return joined;
}

std::string IssueIdList(const std::vector<model::Issue>& issues) {
  std::vector<std::string> ids;
  for (const model::Issue& issue : issues) ids.push_back(Quote(issue.id));
  return JoinList(ids);
}

std::string OptionList(const model::Issue& issue) {
  if (issue.kind != model::IssueKind::kDiscrete) {
    return "numbers from " + issue.OptionLabel(0) + " to " +
           issue.OptionLabel(issue.NumOptions() - 1);
  }
  std::vector<std::string> labels;
  for (const std::string& option : issue.options) labels.push_back(Quote(option));
  return JoinList(labels);
}

bool IsIntegral(double value) {
  return std::floor(value) == value && std::fabs(value) <= 9007199254740992.0;  // 2^53
}

// The value at `key` of an object, or nullptr when absent.
const Json* Find(const Json& object, const std::string& key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

Status ReadFiniteNumber(const Json& value, const std::string& file, const std::string& path,
                        double* out) {
  if (!value.is_number()) {
    return FieldError(file, path, std::string("expected a number, got ") + value.type_name());
  }
  double number = value.get<double>();
  if (!std::isfinite(number)) return FieldError(file, path, "number is out of range");
  *out = number;
  return Status::Ok();
}

Status ReadNumberField(const Json& object, const std::string& key, const std::string& file,
                       const std::string& path, double* out) {
  const Json* value = Find(object, key);
  if (value == nullptr) return FieldError(file, path, "missing number \"" + key + "\"");
  return ReadFiniteNumber(*value, file, JoinPath(path, key), out);
}

// ---------------------------------------------------------------------------------------------
// JSON parsing within limits, with line and column

Result<Json> ParseJsonText(const std::string& text, const std::string& file) {
  Result<Json> json = ParseJson(text, ScenarioJsonLimits());
  if (!json.ok()) return Status(json.status()).WithFile(file);
  return json;
}

GeniusWebFileKind ClassifyParsed(const Json& json) {
  if (!json.is_object()) return GeniusWebFileKind::kOther;
  if (json.contains("issuesValues")) return GeniusWebFileKind::kDomain;
  if (json.contains(kLinearAdditive)) return GeniusWebFileKind::kProfile;
  for (const char* type : kOtherProfileTypes) {
    if (json.contains(type)) return GeniusWebFileKind::kProfile;
  }
  return GeniusWebFileKind::kOther;
}

// ---------------------------------------------------------------------------------------------
// Domain

struct DomainData {
  std::optional<std::string> name;
  std::vector<model::Issue> issues;
  std::unordered_map<std::string, std::size_t> index;  // issue id -> position in issues
};

Status ParseRange(const Json& range, const std::string& issue_id, const std::string& file,
                  const std::string& path, model::Issue* issue) {
  if (!range.is_object()) {
    return FieldError(file, path,
                      std::string("expected {\"low\": ..., \"high\": ..., \"step\": ...}, got ") +
                          range.type_name());
  }
  double low = 0;
  double high = 0;
  double step = 0;
  PARLEY_RETURN_IF_ERROR(ReadNumberField(range, "low", file, path, &low));
  PARLEY_RETURN_IF_ERROR(ReadNumberField(range, "high", file, path, &high));
  PARLEY_RETURN_IF_ERROR(ReadNumberField(range, "step", file, path, &step));
  if (!(step > 0)) {
    return FieldError(file, JoinPath(path, "step"),
                      "step must be positive, got " + model::FormatNumber(step));
  }
  if (high < low) {
    return FieldError(
        file, path,
        "high " + model::FormatNumber(high) + " is below low " + model::FormatNumber(low));
  }
  if ((high - low) / step >= static_cast<double>(kMaxOptionsPerIssue)) {
    return FieldError(file, path, "the range holds more than 2^32 values");
  }
  if (IsIntegral(low) && IsIntegral(high) && step == 1) {
    *issue = model::Issue::Integer(issue_id, static_cast<std::int64_t>(low),
                                   static_cast<std::int64_t>(high));
  } else {
    *issue = model::Issue::Real(issue_id, low, high, step);
  }
  return Status::Ok();
}

// `budget` counts the options a domain file lists; null for a domain embedded in a profile (its
// size is bounded by the profile's own JSON limits and it is dropped once compared).
Status ParseValueSet(const Json& spec, const std::string& issue_id, const std::string& file,
                     const std::string& path, ScenarioBudget* budget, model::Issue* issue) {
  if (!spec.is_object()) {
    return FieldError(
        file, path,
        std::string("expected {\"values\": [...]} or {\"range\": {...}}, got ") + spec.type_name());
  }
  if (const Json* values = Find(spec, "values")) {
    const std::string values_path = JoinPath(path, "values");
    if (!values->is_array()) {
      return FieldError(file, values_path,
                        std::string("expected a list of value labels, got ") + values->type_name());
    }
    if (values->empty()) return FieldError(file, values_path, "the issue has no values");
    if (budget != nullptr) {
      PARLEY_RETURN_IF_ERROR(
          budget->listed_options.Charge(values->size(), Location{file, 0, 0, values_path}));
    }
    std::vector<std::string> labels;
    std::set<std::string> seen;
    for (std::size_t value_idx = 0; value_idx < values->size(); ++value_idx) {
      const Json& label = (*values)[value_idx];
      const std::string label_path = values_path + "[" + std::to_string(value_idx) + "]";
      if (!label.is_string()) {
        return FieldError(
            file, label_path,
            std::string("expected a value label (a string), got ") + label.type_name());
      }
      std::string text = label.get<std::string>();
      if (text.empty()) return FieldError(file, label_path, "a value label is empty");
      if (!seen.insert(text).second) {
        return FieldError(file, label_path, "value " + Quote(text) + " is listed twice");
      }
      labels.push_back(std::move(text));
    }
    *issue = model::Issue::Discrete(issue_id, std::move(labels));
    return Status::Ok();
  }
  if (const Json* range = Find(spec, "range")) {
    return ParseRange(*range, issue_id, file, JoinPath(path, "range"), issue);
  }
  return FieldError(file, path,
                    "expected \"values\" (a list of labels) or \"range\" ({\"low\", \"high\", "
                    "\"step\"})");
}

// Reads a domain object. `path` is the JSON path of the object itself ("" for a domain file).
Status ParseDomain(const Json& json, const std::string& file, const std::string& path,
                   DomainData* domain, ScenarioBudget* budget) {
  if (!json.is_object()) {
    return FieldError(file, path, std::string("expected a JSON object, got ") + json.type_name());
  }
  if (const Json* name = Find(json, "name")) {
    if (!name->is_string()) {
      return FieldError(file, JoinPath(path, "name"),
                        std::string("expected a string, got ") + name->type_name());
    }
    domain->name = name->get<std::string>();
  }
  const std::string issues_path = JoinPath(path, "issuesValues");
  const Json* issues_values = Find(json, "issuesValues");
  if (issues_values == nullptr) return FieldError(file, issues_path, "missing \"issuesValues\"");
  if (!issues_values->is_object()) {
    return FieldError(
        file, issues_path,
        std::string("expected an object of issues, got ") + issues_values->type_name());
  }
  if (issues_values->empty()) return FieldError(file, issues_path, "the domain has no issues");
  for (const auto& [issue_id, spec] : issues_values->items()) {
    const std::string issue_path = JoinPath(issues_path, issue_id);
    if (issue_id.empty()) return FieldError(file, issue_path, "an issue name is empty");
    if (budget != nullptr) {
      PARLEY_RETURN_IF_ERROR(budget->issues.Charge(1, Location{file, 0, 0, issue_path}));
    }
    model::Issue issue;
    PARLEY_RETURN_IF_ERROR(ParseValueSet(spec, issue_id, file, issue_path, budget, &issue));
    domain->index.emplace(issue.id, domain->issues.size());
    domain->issues.push_back(std::move(issue));
  }
  return Status::Ok();
}

bool SameValueSet(const model::Issue& a, const model::Issue& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case model::IssueKind::kDiscrete:
      return a.options == b.options;
    case model::IssueKind::kInteger:
      return a.integer_lower == b.integer_lower && a.integer_upper == b.integer_upper;
    case model::IssueKind::kReal:
      return a.real_lower == b.real_lower && a.real_upper == b.real_upper &&
             a.real_step == b.real_step;
  }
  return false;
}

// Empty when the profile's embedded domain matches the domain file, else what differs.
std::string DescribeDomainDifference(const DomainData& embedded, const DomainData& domain) {
  if (embedded.name && domain.name && *embedded.name != *domain.name) {
    return "the profile is for domain " + Quote(*embedded.name) + ", the domain file is " +
           Quote(*domain.name);
  }
  for (const model::Issue& issue : embedded.issues) {
    auto match = domain.index.find(issue.id);
    if (match == domain.index.end()) {
      return "its embedded domain has issue " + Quote(issue.id) + ", which the domain file lacks";
    }
    if (!SameValueSet(issue, domain.issues[match->second])) {
      return "its embedded domain gives issue " + Quote(issue.id) +
             " other values than the domain file";
    }
  }
  if (embedded.issues.size() != domain.issues.size()) {
    return "its embedded domain has " + std::to_string(embedded.issues.size()) +
           " issues, the domain file " + std::to_string(domain.issues.size());
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Profile

struct ProfileData {
  std::string file;
  std::optional<std::string> name;
  model::Preferences preferences;
};

Status ParseDiscreteUtilities(const Json& body, const model::Issue& issue, const std::string& file,
                              const std::string& path, model::ValueFunction* function) {
  if (issue.kind != model::IssueKind::kDiscrete) {
    return FieldError(file, path,
                      "issue " + Quote(issue.id) +
                          " is a number range in the domain; its utilities must be numberutils");
  }
  const std::string values_path = JoinPath(path, "valueUtilities");
  const Json* value_utilities = Find(body, "valueUtilities");
  if (value_utilities == nullptr)
    return FieldError(file, values_path, "missing \"valueUtilities\"");
  if (!value_utilities->is_object()) {
    return FieldError(
        file, values_path,
        std::string("expected an object of value utilities, got ") + value_utilities->type_name());
  }
  function->form = model::ValueFunctionForm::kTable;
  function->table.assign(issue.options.size(), 0.0);
  std::vector<bool> given(issue.options.size(), false);
  // Labels are looked up by hash: Issue::FindOption scans the list, quadratic on long tables.
  std::unordered_map<std::string_view, std::size_t> option_of_label;
  for (std::size_t option_idx = 0; option_idx < issue.options.size(); ++option_idx) {
    option_of_label.emplace(issue.options[option_idx], option_idx);
  }
  for (const auto& [label, utility] : value_utilities->items()) {
    const std::string label_path = JoinPath(values_path, label);
    auto found = option_of_label.find(label);
    std::optional<std::uint64_t> option;
    if (found != option_of_label.end()) option = found->second;
    if (!option) {
      return FieldError(file, label_path,
                        "unknown value " + Quote(label) + " for issue " + Quote(issue.id) +
                            "; its values are " + OptionList(issue));
    }
    PARLEY_RETURN_IF_ERROR(ReadFiniteNumber(utility, file, label_path, &function->table[*option]));
    given[*option] = true;
  }
  for (std::size_t option_idx = 0; option_idx < given.size(); ++option_idx) {
    if (!given[option_idx]) {
      return FieldError(file, values_path,
                        "no utility for value " + Quote(issue.options[option_idx]) + " of issue " +
                            Quote(issue.id));
    }
  }
  return Status::Ok();
}

// The upper end of a numeric issue's range as written in the domain (the last option may fall
// short of it).
double RangeHigh(const model::Issue& issue) {
  return issue.kind == model::IssueKind::kInteger ? static_cast<double>(issue.integer_upper)
                                                  : issue.real_upper;
}

Status ParseNumberUtilities(const Json& body, const model::Issue& issue, const std::string& file,
                            const std::string& path, model::ValueFunction* function) {
  if (issue.kind == model::IssueKind::kDiscrete) {
    return FieldError(file, path,
                      "issue " + Quote(issue.id) +
                          " has discrete values in the domain; its utilities must be "
                          "discreteutils");
  }
  if (!body.is_object()) {
    return FieldError(file, path, std::string("expected an object, got ") + body.type_name());
  }
  double low_value = 0;
  double low_utility = 0;
  double high_value = 0;
  double high_utility = 0;
  PARLEY_RETURN_IF_ERROR(ReadNumberField(body, "lowValue", file, path, &low_value));
  PARLEY_RETURN_IF_ERROR(ReadNumberField(body, "lowUtility", file, path, &low_utility));
  PARLEY_RETURN_IF_ERROR(ReadNumberField(body, "highValue", file, path, &high_value));
  PARLEY_RETURN_IF_ERROR(ReadNumberField(body, "highUtility", file, path, &high_utility));
  if (!(high_value > low_value)) {
    return FieldError(file, JoinPath(path, "highValue"),
                      "highValue " + model::FormatNumber(high_value) + " must be above lowValue " +
                          model::FormatNumber(low_value));
  }
  if (low_value == issue.NumericValue(0) && high_value == RangeHigh(issue)) {
    // What GeniusWeb requires: the line spans the issue's range, so it is parley's linear form.
    function->form = model::ValueFunctionForm::kLinear;
    function->points = {{low_value, low_utility}, {high_value, high_utility}};
    function->Tabulate(issue);
    return Status::Ok();
  }
  // GeniusWeb's rule beyond the line's ends: utility 0.
  function->form = model::ValueFunctionForm::kTable;
  function->table.assign(issue.NumOptions(), 0.0);
  for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
    double x = issue.NumericValue(option);
    if (x < low_value || x > high_value) continue;
    function->table[option] =
        low_utility + (high_utility - low_utility) * (x - low_value) / (high_value - low_value);
  }
  return Status::Ok();
}

Status ParseIssueUtilities(const Json& entry, const model::Issue& issue, const std::string& file,
                           const std::string& path, model::ValueFunction* function) {
  if (!entry.is_object() || entry.size() != 1) {
    return FieldError(file, path,
                      "expected an object with one key, \"discreteutils\" or \"numberutils\"");
  }
  const auto only = entry.begin();
  const std::string& type = only.key();
  const Json& body = only.value();
  const std::string body_path = JoinPath(path, type);
  if (type == "discreteutils" || type == "DiscreteValueSetUtilities") {
    if (!body.is_object()) {
      return FieldError(file, body_path,
                        std::string("expected an object, got ") + body.type_name());
    }
    return ParseDiscreteUtilities(body, issue, file, body_path, function);
  }
  if (type == "numberutils" || type == "NumberValueSetUtilities") {
    return ParseNumberUtilities(body, issue, file, body_path, function);
  }
  return FieldError(
      file, body_path,
      "unknown value utilities " + Quote(type) + ": expected \"discreteutils\" or \"numberutils\"");
}

// Index of the issue named `id`, or an error naming the known issues.
Status FindDomainIssue(const DomainData& domain, const std::string& id, const std::string& file,
                       const std::string& path, std::size_t* issue_idx) {
  auto found = domain.index.find(id);
  if (found != domain.index.end()) {
    *issue_idx = found->second;
    return Status::Ok();
  }
  return FieldError(
      file, path,
      "unknown issue " + Quote(id) + "; the domain's issues are " + IssueIdList(domain.issues));
}

Status ParseReservationBid(const Json& bid, const DomainData& domain,
                           const model::AdditiveUtility& utility, const std::string& file,
                           const std::string& path, model::Preferences* preferences) {
  if (bid.is_null()) return Status::Ok();  // GeniusWeb: no reservation bid
  if (!bid.is_object()) {
    return FieldError(
        file, path,
        std::string("expected {\"issuevalues\": {...}} or null, got ") + bid.type_name());
  }
  std::string values_key = "issuevalues";
  const Json* values = Find(bid, values_key);
  if (values == nullptr) {
    values_key = "issueValues";
    values = Find(bid, values_key);
  }
  const std::string values_path = JoinPath(path, values_key);
  if (values == nullptr) return FieldError(file, values_path, "missing \"issuevalues\"");
  if (!values->is_object()) {
    return FieldError(
        file, values_path,
        std::string("expected an object of issue values, got ") + values->type_name());
  }
  model::Outcome outcome(domain.issues.size(), 0);
  std::vector<bool> given(domain.issues.size(), false);
  for (const auto& [issue_id, value] : values->items()) {
    const std::string value_path = JoinPath(values_path, issue_id);
    std::size_t issue_idx = 0;
    PARLEY_RETURN_IF_ERROR(FindDomainIssue(domain, issue_id, file, value_path, &issue_idx));
    const model::Issue& issue = domain.issues[issue_idx];
    std::optional<std::uint64_t> option;
    if (issue.kind == model::IssueKind::kDiscrete) {
      if (!value.is_string()) {
        return FieldError(
            file, value_path,
            std::string("expected a value label (a string), got ") + value.type_name());
      }
      option = issue.FindOption(value.get<std::string>());
      if (!option) {
        return FieldError(file, value_path,
                          "unknown value " + Quote(value.get<std::string>()) + " for issue " +
                              Quote(issue.id) + "; its values are " + OptionList(issue));
      }
    } else {
      double number = 0;
      PARLEY_RETURN_IF_ERROR(ReadFiniteNumber(value, file, value_path, &number));
      option = issue.FindOptionByValue(number);
      if (!option) {
        return FieldError(file, value_path,
                          model::FormatNumber(number) + " is not a value of issue " +
                              Quote(issue.id) + " (" + OptionList(issue) + ")");
      }
    }
    outcome[issue_idx] = static_cast<model::OptionIndex>(*option);
    given[issue_idx] = true;
  }
  if (std::all_of(given.begin(), given.end(), [](bool is_given) { return is_given; })) {
    preferences->reservation_outcome = outcome;
    preferences->reservation_value = utility.Evaluate(outcome);
    return Status::Ok();
  }
  // A partial bid: GeniusWeb counts the issues it does not name as 0.
  double value = 0;
  for (std::size_t issue_idx = 0; issue_idx < given.size(); ++issue_idx) {
    if (given[issue_idx]) value += utility.Contribution(issue_idx, outcome[issue_idx]);
  }
  preferences->reservation_value = value;
  return Status::Ok();
}

Status ParseProfile(const Json& root, const std::string& file, const DomainData& domain,
                    ScenarioBudget& budget, ProfileData* profile) {
  profile->file = file;
  const Json* space = Find(root, kLinearAdditive);
  if (space == nullptr) {
    for (const char* type : kOtherProfileTypes) {
      if (Find(root, type) != nullptr) {
        return Unsupported(std::string("GeniusWeb profile type ") + type +
                               " is not supported; parley reads LinearAdditiveUtilitySpace",
                           Location{file, 0, 0, type});
      }
    }
    return FieldError(file, "",
                      "not a GeniusWeb profile: expected an object with key "
                      "\"LinearAdditiveUtilitySpace\"");
  }
  const std::string path = kLinearAdditive;
  if (!space->is_object()) {
    return FieldError(file, path, std::string("expected an object, got ") + space->type_name());
  }

  if (const Json* name = Find(*space, "name")) {
    if (!name->is_string()) {
      return FieldError(file, JoinPath(path, "name"),
                        std::string("expected a string, got ") + name->type_name());
    }
    profile->name = name->get<std::string>();
  }

  if (const Json* embedded = Find(*space, "domain")) {
    const std::string domain_path = JoinPath(path, "domain");
    if (embedded->is_string()) {
      if (domain.name && embedded->get<std::string>() != *domain.name) {
        return FieldError(file, domain_path,
                          "the profile is for domain " + Quote(embedded->get<std::string>()) +
                              ", the domain file is " + Quote(*domain.name));
      }
    } else if (!embedded->is_null()) {
      DomainData embedded_domain;
      PARLEY_RETURN_IF_ERROR(
          ParseDomain(*embedded, file, domain_path, &embedded_domain, /*budget=*/nullptr));
      std::string difference = DescribeDomainDifference(embedded_domain, domain);
      if (!difference.empty()) {
        return FieldError(file, domain_path, "profile does not match the domain: " + difference);
      }
    }
  }

  const std::size_t num_issues = domain.issues.size();
  const std::string utilities_path = JoinPath(path, "issueUtilities");
  const Json* utilities = Find(*space, "issueUtilities");
  if (utilities == nullptr) return FieldError(file, utilities_path, "missing \"issueUtilities\"");
  if (!utilities->is_object()) {
    return FieldError(file, utilities_path,
                      std::string("expected an object of issues, got ") + utilities->type_name());
  }
  std::vector<model::ValueFunction> functions(num_issues);
  std::vector<bool> has_function(num_issues, false);
  for (const auto& [issue_id, entry] : utilities->items()) {
    const std::string entry_path = JoinPath(utilities_path, issue_id);
    std::size_t issue_idx = 0;
    PARLEY_RETURN_IF_ERROR(FindDomainIssue(domain, issue_id, file, entry_path, &issue_idx));
    // Every issue's utilities are a table of one value per option (or become one).
    PARLEY_RETURN_IF_ERROR(budget.tabulated.Charge(domain.issues[issue_idx].NumOptions(),
                                                   Location{file, 0, 0, entry_path}));
    PARLEY_RETURN_IF_ERROR(ParseIssueUtilities(entry, domain.issues[issue_idx], file, entry_path,
                                               &functions[issue_idx]));
    has_function[issue_idx] = true;
  }
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    if (!has_function[issue_idx]) {
      return FieldError(file, utilities_path,
                        "no utilities for issue " + Quote(domain.issues[issue_idx].id));
    }
  }

  const std::string weights_path = JoinPath(path, "issueWeights");
  const Json* weights_json = Find(*space, "issueWeights");
  if (weights_json == nullptr) return FieldError(file, weights_path, "missing \"issueWeights\"");
  if (!weights_json->is_object()) {
    return FieldError(
        file, weights_path,
        std::string("expected an object of issue weights, got ") + weights_json->type_name());
  }
  std::vector<double> weights(num_issues, 0.0);
  std::vector<bool> has_weight(num_issues, false);
  for (const auto& [issue_id, weight] : weights_json->items()) {
    const std::string weight_path = JoinPath(weights_path, issue_id);
    std::size_t issue_idx = 0;
    PARLEY_RETURN_IF_ERROR(FindDomainIssue(domain, issue_id, file, weight_path, &issue_idx));
    PARLEY_RETURN_IF_ERROR(ReadFiniteNumber(weight, file, weight_path, &weights[issue_idx]));
    if (weights[issue_idx] < 0) {
      return FieldError(
          file, weight_path,
          "weight must not be negative, got " + model::FormatNumber(weights[issue_idx]));
    }
    has_weight[issue_idx] = true;
  }
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    if (!has_weight[issue_idx]) {
      return FieldError(file, weights_path,
                        "no weight for issue " + Quote(domain.issues[issue_idx].id));
    }
  }

  auto utility = std::make_shared<model::AdditiveUtility>(std::move(weights), std::move(functions));
  if (const Json* bid = Find(*space, "reservationBid")) {
    PARLEY_RETURN_IF_ERROR(ParseReservationBid(
        *bid, domain, *utility, file, JoinPath(path, "reservationBid"), &profile->preferences));
  }
  profile->preferences.utility = std::move(utility);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Scenario assembly

// Parses the files one at a time, keeping only what they define, so that memory holds at most
// one JSON tree.
Result<model::Scenario> BuildScenario(const NamedText& domain_file,
                                      const std::vector<NamedText>& profile_files) {
  if (profile_files.empty()) {
    return InvalidInput("no GeniusWeb profile file given",
                        Location{domain_file.path, 0, 0, "profiles"});
  }
  if (profile_files.size() > kMaxParties) {
    return InvalidInput("the scenario has " + std::to_string(profile_files.size()) +
                            " profiles; parley reads at most " + std::to_string(kMaxParties) +
                            " parties",
                        Location::InFile(profile_files[kMaxParties].path));
  }
  ScenarioBudget budget;
  DomainData domain;
  {
    PARLEY_ASSIGN_OR_RETURN(Json json, ParseJsonText(domain_file.text, domain_file.path));
    if (ClassifyParsed(json) == GeniusWebFileKind::kProfile) {
      return InvalidInput(
          "expected a GeniusWeb domain (an object with \"issuesValues\"), but this is a profile",
          Location::InFile(domain_file.path));
    }
    PARLEY_RETURN_IF_ERROR(ParseDomain(json, domain_file.path, "", &domain, &budget));
  }

  std::vector<ProfileData> profiles(profile_files.size());
  for (std::size_t profile_idx = 0; profile_idx < profile_files.size(); ++profile_idx) {
    const NamedText& profile_file = profile_files[profile_idx];
    PARLEY_ASSIGN_OR_RETURN(Json json, ParseJsonText(profile_file.text, profile_file.path));
    if (ClassifyParsed(json) == GeniusWebFileKind::kDomain) {
      return InvalidInput(
          "expected a GeniusWeb profile (an object with \"LinearAdditiveUtilitySpace\"), but this "
          "is a domain",
          Location::InFile(profile_file.path));
    }
    PARLEY_RETURN_IF_ERROR(
        ParseProfile(json, profile_file.path, domain, budget, &profiles[profile_idx]));
  }

  model::Scenario scenario;
  scenario.name = domain.name.value_or(FileStem(domain_file.path));
  scenario.source_format = model::SourceFormat::kGeniusWeb;
  scenario.source_files.push_back(domain_file.path);
  scenario.issues = std::move(domain.issues);

  // Party ids: the profile's name when no other profile shares it, else the file stem; a
  // numeric suffix settles any remaining clash.
  std::map<std::string, int> name_counts;
  for (const ProfileData& profile : profiles) {
    if (profile.name && !profile.name->empty()) ++name_counts[*profile.name];
  }
  std::set<std::string> used_ids;
  for (ProfileData& profile : profiles) {
    std::string id = profile.name && !profile.name->empty() && name_counts[*profile.name] == 1
                         ? *profile.name
                         : FileStem(profile.file);
    if (id.empty()) id = "party";
    std::string unique_id = id;
    for (int suffix = 2; used_ids.count(unique_id) > 0; ++suffix) {
      unique_id = id + "_" + std::to_string(suffix);
    }
    used_ids.insert(unique_id);
    model::Party party;
    party.id = unique_id;
    party.name = profile.name && !profile.name->empty() ? *profile.name : unique_id;
    party.role = model::Role::kPrincipal;
    party.source_file = profile.file;
    party.preferences = std::move(profile.preferences);
    scenario.source_files.push_back(profile.file);
    scenario.parties.push_back(std::move(party));
  }

  Status status = model::ValidateScenario(scenario);
  if (!status.ok()) {
    status.WithFile(domain_file.path);
    return status;
  }
  return scenario;
}

bool HasJsonExtension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".json";
}

Result<NamedText> ReadJsonSource(const std::string& path) {
  PARLEY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, kMaxScenarioFileBytes));
  return NamedText{path, std::move(text)};
}

Result<model::Scenario> ReadFilesUnguarded(const std::string& domain_path,
                                           const std::vector<std::string>& profile_paths) {
  if (domain_path.empty()) {
    return InvalidInput("no GeniusWeb domain file given", Location::InField("domain"));
  }
  if (profile_paths.empty()) {
    return InvalidInput("no GeniusWeb profile file given", Location{domain_path, 0, 0, "profiles"});
  }
  std::vector<std::string> paths = {domain_path};
  paths.insert(paths.end(), profile_paths.begin(), profile_paths.end());
  PARLEY_RETURN_IF_ERROR(CheckScenarioFiles(paths, domain_path));
  PARLEY_ASSIGN_OR_RETURN(NamedText domain_file, ReadJsonSource(domain_path));
  std::vector<NamedText> profile_files;
  for (const std::string& profile_path : profile_paths) {
    PARLEY_ASSIGN_OR_RETURN(NamedText profile_file, ReadJsonSource(profile_path));
    profile_files.push_back(std::move(profile_file));
  }
  return BuildScenario(domain_file, profile_files);
}

Result<model::Scenario> ReadFolderUnguarded(const std::string& folder) {
  std::error_code ec;
  fs::file_status status = fs::status(folder, ec);
  if (ec || !fs::exists(status)) return NotFound("no such folder", Location::InFile(folder));
  if (!fs::is_directory(status)) {
    return InvalidInput("expected a folder holding GeniusWeb JSON files", Location::InFile(folder));
  }
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::error_code type_ec;
    if (entry.is_regular_file(type_ec) && HasJsonExtension(entry.path())) {
      paths.push_back(entry.path());
    }
  }
  if (ec) return NotFound("cannot list folder: " + ec.message(), Location::InFile(folder));
  std::sort(paths.begin(), paths.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().string() < b.filename().string();
  });
  std::vector<std::string> path_texts;
  for (const fs::path& path : paths) path_texts.push_back(path.string());
  PARLEY_RETURN_IF_ERROR(CheckScenarioFiles(path_texts, folder));

  // Each file is parsed to tell what it is, then dropped; BuildScenario parses the chosen ones
  // again, one at a time.
  std::vector<NamedText> domains;
  std::vector<NamedText> profiles;
  std::vector<std::string> skipped;
  for (const fs::path& path : paths) {
    PARLEY_ASSIGN_OR_RETURN(NamedText file, ReadJsonSource(path.string()));
    GeniusWebFileKind kind = GeniusWebFileKind::kOther;
    {
      PARLEY_ASSIGN_OR_RETURN(Json json, ParseJsonText(file.text, file.path));
      kind = ClassifyParsed(json);
    }
    switch (kind) {
      case GeniusWebFileKind::kDomain:
        domains.push_back(std::move(file));
        break;
      case GeniusWebFileKind::kProfile:
        profiles.push_back(std::move(file));
        break;
      case GeniusWebFileKind::kOther:
        skipped.push_back(path.filename().string());
        break;
    }
  }
  std::string skipped_note =
      skipped.empty() ? "" : " (other JSON files, not read: " + JoinList(skipped) + ")";
  if (domains.empty()) {
    return InvalidInput(
        "no GeniusWeb domain file (a JSON object with \"issuesValues\") in the folder" +
            skipped_note,
        Location::InFile(folder));
  }
  if (domains.size() > 1) {
    std::vector<std::string> names;
    for (const NamedText& domain : domains) {
      names.push_back(fs::path(domain.path).filename().string());
    }
    return InvalidInput("several GeniusWeb domain files in the folder: " + JoinList(names) +
                            "; keep one, or name the files with --domain and --profile",
                        Location::InFile(folder));
  }
  if (profiles.empty()) {
    return InvalidInput(
        "no GeniusWeb profile (a JSON object with \"LinearAdditiveUtilitySpace\") in the folder" +
            skipped_note,
        Location::InFile(folder));
  }
  return BuildScenario(domains.front(), profiles);
}

// ---------------------------------------------------------------------------------------------
// Export planning: everything CheckGeniusWebExpressible decides, computed once for the writer.

struct ExportParty {
  const model::Party* party = nullptr;
  std::string profile_name;
  std::string file_name;
  std::vector<double> weights;              // sum to exactly 1 as written decimals
  std::vector<std::vector<double>> tables;  // per issue, per option, in [0, 1]
};

struct ExportPlan {
  std::string domain_name;
  std::string domain_file_name;
  std::vector<bool> issue_as_range;  // numeric issues written as a range (else as a value list)
  std::vector<ExportParty> parties;
};

// Letters and digits only (GeniusWeb's "simple name"); `fallback` when nothing is left.
std::string SimpleName(const std::string& text, const std::string& fallback) {
  std::string name;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) name += c;
  }
  return name.empty() ? fallback : name;
}

// A name safe in a file name on every common file system.
std::string FileSafe(const std::string& text, const std::string& fallback) {
  std::string name;
  for (char c : text) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    name += keep ? c : '_';
  }
  if (name.empty() || name == "." || name == "..") return fallback;
  return name;
}

std::string Unique(const std::string& base, std::set<std::string>* used,
                   const std::string& separator) {
  std::string name = base;
  for (int suffix = 2; used->count(name) > 0; ++suffix) {
    name = base + separator + std::to_string(suffix);
  }
  used->insert(name);
  return name;
}

// "0.123" for 123000000000000 units of 1e-15.
std::string WeightText(std::int64_t units) {
  if (units >= kWeightUnits) return "1";
  if (units <= 0) return "0";
  std::string digits = std::to_string(units);
  digits.insert(0, 15 - digits.size(), '0');
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return "0." + digits;
}

// Weights as multiples of 1e-15 summing to exactly 1, as close as possible to `targets`.
std::vector<double> QuantizeWeights(const std::vector<double>& targets) {
  std::vector<std::int64_t> units(targets.size(), 0);
  std::int64_t total = 0;
  std::size_t largest = 0;
  for (std::size_t issue_idx = 0; issue_idx < targets.size(); ++issue_idx) {
    double clamped = std::clamp(targets[issue_idx], 0.0, 1.0);
    units[issue_idx] = std::llround(clamped * static_cast<double>(kWeightUnits));
    total += units[issue_idx];
    if (units[issue_idx] > units[largest]) largest = issue_idx;
  }
  units[largest] += kWeightUnits - total;
  std::vector<double> weights(targets.size(), 0.0);
  for (std::size_t issue_idx = 0; issue_idx < targets.size(); ++issue_idx) {
    weights[issue_idx] = std::strtod(WeightText(units[issue_idx]).c_str(), nullptr);
  }
  return weights;
}

bool InUnitInterval(double value) { return value >= 0 && value <= 1; }

// Re-expresses an additive utility as GeniusWeb weights (summing to 1) and value tables in
// [0, 1] with the same utility for every outcome; see geniusweb_json.h for the rule.
Status ReexpressUtility(const model::Scenario& scenario, const model::AdditiveUtility& utility,
                        const std::string& field, ExportParty* out) {
  const std::size_t num_issues = scenario.issues.size();
  const auto& weights = utility.weights();
  const auto& values = utility.values();

  bool as_written = utility.offset() == 0;
  double weight_sum = 0;
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    weight_sum += weights[issue_idx];
    if (!(weights[issue_idx] >= 0)) as_written = false;
    for (double value : values[issue_idx].table) {
      if (!InUnitInterval(value)) as_written = false;
    }
  }
  if (std::fabs(weight_sum - 1) > kWeightSumTolerance) as_written = false;

  // shifted[issue][option]: what the issue adds to the utility in the written form.
  std::vector<std::vector<double>> shifted(num_issues);
  std::vector<double> targets(num_issues, 0.0);
  double worst_error = 0;  // bound on how far a written utility may be from the scenario's
  if (as_written) {
    targets = weights;
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      for (std::size_t option = 0; option < values[issue_idx].table.size(); ++option) {
        shifted[issue_idx].push_back(utility.Contribution(issue_idx, option));
      }
    }
  } else {
    model::UtilityRange range = model::ComputeUtilityRange(utility, scenario.BuildOutcomeSpace());
    if (range.min < -kExportTolerance || range.max > 1 + kExportTolerance) {
      return Unsupported("utilities range over [" + model::FormatNumber(range.min) + ", " +
                             model::FormatNumber(range.max) +
                             "]; GeniusWeb utilities must lie in [0, 1]",
                         Location::InField(field));
    }
    double base = utility.offset();  // utility of the worst outcome, accumulated below
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      const auto& table = values[issue_idx].table;
      double lowest = 0;
      for (std::size_t option = 0; option < table.size(); ++option) {
        double contribution = utility.Contribution(issue_idx, option);
        if (option == 0 || contribution < lowest) lowest = contribution;
      }
      for (std::size_t option = 0; option < table.size(); ++option) {
        shifted[issue_idx].push_back(utility.Contribution(issue_idx, option) - lowest);
      }
      base += lowest;
    }
    // A worst outcome below 0 (within the tolerance) is written as 0.
    worst_error += std::max(-base, 0.0);
    base = std::max(base, 0.0);
    for (double& contribution : shifted[0]) contribution += base;
    double sum_of_largest = 0;
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      targets[issue_idx] = *std::max_element(shifted[issue_idx].begin(), shifted[issue_idx].end());
      sum_of_largest += targets[issue_idx];
    }
    if (sum_of_largest <= 1) {
      double share = (1 - sum_of_largest) / static_cast<double>(num_issues);
      for (double& target : targets) target += share;
    } else {
      for (double& target : targets) target /= sum_of_largest;  // off by at most the tolerance
    }
  }

  out->weights = QuantizeWeights(targets);
  out->tables.assign(num_issues, {});
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    const double weight = out->weights[issue_idx];
    // Weights moved by rounding to 15 decimals keep their values: the utility moves by less
    // than 1e-12, and the file keeps the numbers a person wrote.
    const bool keep_table =
        as_written && std::fabs(weight - weights[issue_idx]) <= kWeightSumTolerance;
    double issue_error = 0;
    for (std::size_t option = 0; option < shifted[issue_idx].size(); ++option) {
      double value = 0;
      if (keep_table) {
        value = values[issue_idx].table[option];
      } else if (weight > 0) {
        value = std::clamp(shifted[issue_idx][option] / weight, 0.0, 1.0);
      }
      out->tables[issue_idx].push_back(value);
      issue_error = std::max(issue_error, std::fabs(weight * value - shifted[issue_idx][option]));
    }
    worst_error += issue_error;
  }
  if (worst_error > kExportTolerance) {
    return Unsupported("utilities cannot be re-expressed as GeniusWeb weights and values within " +
                           model::FormatNumber(kExportTolerance) + " (off by up to " +
                           model::FormatNumber(worst_error) + ")",
                       Location::InField(field));
  }
  return Status::Ok();
}

// The (lowUtility, highUtility) of a value table that is linear in the issue's number over its
// range, or nullopt when it is not (or the line leaves [0, 1] at the range's ends).
std::optional<std::pair<double, double>> LinearEnds(const model::Issue& issue,
                                                    const std::vector<double>& table) {
  const std::uint64_t num_options = issue.NumOptions();
  if (num_options < 2) return std::nullopt;  // GeniusWeb needs highValue > lowValue
  const double x_first = issue.NumericValue(0);
  const double x_last = issue.NumericValue(num_options - 1);
  const double slope = (table.back() - table.front()) / (x_last - x_first);
  for (std::uint64_t option = 0; option < num_options; ++option) {
    double expected = table.front() + slope * (issue.NumericValue(option) - x_first);
    if (std::fabs(table[option] - expected) > kLinearTolerance) return std::nullopt;
  }
  double low_utility = table.front();
  double high_utility = table.front() + slope * (RangeHigh(issue) - x_first);
  if (high_utility < -kLinearTolerance || high_utility > 1 + kLinearTolerance) return std::nullopt;
  return std::make_pair(low_utility, std::clamp(high_utility, 0.0, 1.0));
}

Result<ExportPlan> PlanExport(const model::Scenario& scenario) {
  if (scenario.issues.empty()) {
    return Unsupported("GeniusWeb domains need at least one issue", Location::InField("issues"));
  }
  if (!scenario.uncertainty.empty()) {
    const auto& [path, range] = *scenario.uncertainty.ranges.begin();
    return Unsupported(std::to_string(scenario.uncertainty.ranges.size()) +
                           " value(s) carry a range (the first: [" +
                           model::FormatNumber(range.low) + ", " + model::FormatNumber(range.high) +
                           "]); GeniusWeb profiles hold single numbers only (write parley YAML or "
                           "JSON to keep the ranges)",
                       Location::InField(path));
  }
  ExportPlan plan;
  for (const model::Party& party : scenario.parties) {
    if (!party.enabled || !party.preferences) continue;
    const model::Preferences& preferences = *party.preferences;
    const std::string field = "parties." + party.id + ".preferences";
    if (!preferences.utility) {
      return Unsupported("party " + Quote(party.id) + " has no utility function",
                         Location::InField(field));
    }
    const auto* additive = dynamic_cast<const model::AdditiveUtility*>(preferences.utility.get());
    if (additive == nullptr) {
      return Unsupported("party " + Quote(party.id) + " has a " +
                             std::string(preferences.utility->Kind()) +
                             " utility; GeniusWeb's LinearAdditiveUtilitySpace holds only "
                             "additive (weight x value) utilities",
                         Location::InField(field));
    }
    if (additive->NumIssues() != scenario.issues.size()) {
      return Unsupported("party " + Quote(party.id) + "'s utility does not cover every issue",
                         Location::InField(field));
    }
    if (!preferences.red_lines.empty()) {
      return Unsupported("party " + Quote(party.id) + " has " +
                             std::to_string(preferences.red_lines.size()) +
                             " red line(s); GeniusWeb profiles cannot state hard constraints",
                         Location::InField("parties." + party.id + ".red_lines"));
    }
    if (preferences.discount != 1) {
      return Unsupported("party " + Quote(party.id) + " discounts utilities by " +
                             model::FormatNumber(preferences.discount) +
                             "; GeniusWeb profiles have no discount",
                         Location::InField(field + ".discount"));
    }
    if (!preferences.reservation_outcome && preferences.reservation_value &&
        *preferences.reservation_value != 0) {
      return Unsupported("party " + Quote(party.id) + " has reservation value " +
                             model::FormatNumber(*preferences.reservation_value) +
                             " but no reservation outcome; GeniusWeb states a reservation only "
                             "as a bid (reservationBid)",
                         Location::InField(field + ".reservation"));
    }
    ExportParty exported;
    exported.party = &party;
    PARLEY_RETURN_IF_ERROR(ReexpressUtility(scenario, *additive, field, &exported));
    plan.parties.push_back(std::move(exported));
  }
  if (plan.parties.empty()) {
    return Unsupported("no enabled party with preferences to write as a GeniusWeb profile",
                       Location::InField("parties"));
  }

  plan.issue_as_range.assign(scenario.issues.size(), false);
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    const model::Issue& issue = scenario.issues[issue_idx];
    if (!issue.IsNumeric()) continue;
    bool linear = true;
    for (const ExportParty& exported : plan.parties) {
      if (!LinearEnds(issue, exported.tables[issue_idx])) linear = false;
    }
    plan.issue_as_range[issue_idx] = linear;
    if (!linear && issue.NumOptions() > kMaxListedNumericOptions) {
      return Unsupported("issue " + Quote(issue.id) + " has " + std::to_string(issue.NumOptions()) +
                             " values and utilities that are not linear in them; GeniusWeb can "
                             "only list such values one by one, which parley does up to " +
                             std::to_string(kMaxListedNumericOptions) + " values",
                         Location::InField("issues." + issue.id));
    }
  }

  plan.domain_name = SimpleName(scenario.name, "domain");
  const std::string file_base = FileSafe(scenario.name, "scenario");
  plan.domain_file_name = file_base + ".json";
  std::set<std::string> used_names;
  std::set<std::string> used_files{plan.domain_file_name};
  for (ExportParty& exported : plan.parties) {
    exported.profile_name = Unique(SimpleName(exported.party->id, "party"), &used_names, "");
    exported.file_name =
        Unique(file_base + "_" + FileSafe(exported.party->id, "party"), &used_files, "_") + ".json";
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// JSON text: numbers as the shortest text that reads back as the same double.

void AppendIndent(int depth, std::string* out) {
  out->append(static_cast<std::size_t>(depth) * 2, ' ');
}

std::string StringLiteral(const std::string& text) {
  return Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
}

void AppendJson(const Json& value, int depth, std::string* out) {
  switch (value.type()) {
    case Json::value_t::object: {
      if (value.empty()) {
        out->append("{}");
        return;
      }
      out->append("{\n");
      std::size_t member_idx = 0;
      for (const auto& [key, member] : value.items()) {
        AppendIndent(depth + 1, out);
        out->append(StringLiteral(key));
        out->append(": ");
        AppendJson(member, depth + 1, out);
        out->append(++member_idx < value.size() ? ",\n" : "\n");
      }
      AppendIndent(depth, out);
      out->append("}");
      return;
    }
    case Json::value_t::array: {
      // Lists of labels stay on one line.
      out->append("[");
      for (std::size_t element_idx = 0; element_idx < value.size(); ++element_idx) {
        if (element_idx > 0) out->append(", ");
        AppendJson(value[element_idx], depth + 1, out);
      }
      out->append("]");
      return;
    }
    case Json::value_t::string:
      out->append(StringLiteral(value.get<std::string>()));
      return;
    case Json::value_t::boolean:
      out->append(value.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::number_integer:
      out->append(std::to_string(value.get<std::int64_t>()));
      return;
    case Json::value_t::number_unsigned:
      out->append(std::to_string(value.get<std::uint64_t>()));
      return;
    case Json::value_t::number_float:
      out->append(model::FormatNumber(value.get<double>()));
      return;
    default:
      out->append("null");
      return;
  }
}

std::string JsonText(const Json& value) {
  std::string text;
  AppendJson(value, 0, &text);
  text += "\n";
  return text;
}

Json NumberJson(double value) {
  if (IsIntegral(value)) return Json(static_cast<std::int64_t>(value));
  return Json(value);
}

Json DomainJson(const model::Scenario& scenario, const ExportPlan& plan) {
  Json issues_values = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    const model::Issue& issue = scenario.issues[issue_idx];
    Json spec = Json::object();
    if (plan.issue_as_range[issue_idx]) {
      Json range = Json::object();
      if (issue.kind == model::IssueKind::kInteger) {
        range["low"] = issue.integer_lower;
        range["high"] = issue.integer_upper;
        range["step"] = 1;
      } else {
        range["low"] = NumberJson(issue.real_lower);
        range["high"] = NumberJson(issue.real_upper);
        range["step"] = NumberJson(issue.real_step);
      }
      spec["range"] = std::move(range);
    } else {
      Json labels = Json::array();
      for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
        labels.push_back(issue.OptionLabel(option));
      }
      spec["values"] = std::move(labels);
    }
    issues_values[issue.id] = std::move(spec);
  }
  Json domain = Json::object();
  domain["name"] = plan.domain_name;
  domain["issuesValues"] = std::move(issues_values);
  return domain;
}

Json ProfileJson(const model::Scenario& scenario, const ExportPlan& plan,
                 const ExportParty& exported, const Json& domain) {
  Json utilities = Json::object();
  Json weights = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    const model::Issue& issue = scenario.issues[issue_idx];
    const std::vector<double>& table = exported.tables[issue_idx];
    Json entry = Json::object();
    if (plan.issue_as_range[issue_idx]) {
      auto ends = LinearEnds(issue, table);
      PARLEY_CHECK(ends.has_value());  // PlanExport chose the range form for linear tables only
      Json number_utilities = Json::object();
      number_utilities["lowValue"] = NumberJson(issue.NumericValue(0));
      number_utilities["lowUtility"] = NumberJson(ends->first);
      number_utilities["highValue"] = NumberJson(RangeHigh(issue));
      number_utilities["highUtility"] = NumberJson(ends->second);
      entry["numberutils"] = std::move(number_utilities);
    } else {
      Json value_utilities = Json::object();
      for (std::uint64_t option = 0; option < table.size(); ++option) {
        value_utilities[issue.OptionLabel(option)] = NumberJson(table[option]);
      }
      Json discrete = Json::object();
      discrete["valueUtilities"] = std::move(value_utilities);
      entry["discreteutils"] = std::move(discrete);
    }
    utilities[issue.id] = std::move(entry);
    weights[issue.id] = NumberJson(exported.weights[issue_idx]);
  }
  Json space = Json::object();
  space["issueUtilities"] = std::move(utilities);
  space["issueWeights"] = std::move(weights);
  space["domain"] = domain;
  space["name"] = exported.profile_name;
  const model::Preferences& preferences = *exported.party->preferences;
  if (preferences.reservation_outcome) {
    Json bid_values = Json::object();
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const model::Issue& issue = scenario.issues[issue_idx];
      model::OptionIndex option = (*preferences.reservation_outcome)[issue_idx];
      if (plan.issue_as_range[issue_idx]) {
        bid_values[issue.id] = NumberJson(issue.NumericValue(option));
      } else {
        bid_values[issue.id] = issue.OptionLabel(option);
      }
    }
    Json bid = Json::object();
    bid["issuevalues"] = std::move(bid_values);
    space["reservationBid"] = std::move(bid);
  }
  Json profile = Json::object();
  profile[kLinearAdditive] = std::move(space);
  return profile;
}

}  // namespace

GeniusWebFileKind ClassifyGeniusWebJson(const std::string& text) {
  try {
    // Text beyond the limits is not read as GeniusWeb; the reader it goes to says why.
    Result<Json> json = ParseJson(text, ScenarioJsonLimits());
    return json.ok() ? ClassifyParsed(*json) : GeniusWebFileKind::kOther;
  } catch (const std::exception&) {
    return GeniusWebFileKind::kOther;
  }
}

Result<model::Scenario> ReadGeniusWebTexts(const NamedText& domain,
                                           const std::vector<NamedText>& profiles) {
  try {
    return BuildScenario(domain, profiles);
  } catch (const std::exception& error) {
    return InvalidInput(std::string("cannot read GeniusWeb files: ") + error.what(),
                        Location::InFile(domain.path));
  }
}

Result<model::Scenario> ReadGeniusWebFiles(const std::string& domain_path,
                                           const std::vector<std::string>& profile_paths) {
  try {
    return ReadFilesUnguarded(domain_path, profile_paths);
  } catch (const std::exception& error) {
    return InvalidInput(std::string("cannot read GeniusWeb files: ") + error.what(),
                        Location::InFile(domain_path));
  }
}

Result<model::Scenario> ReadGeniusWebFolder(const std::string& folder) {
  try {
    return ReadFolderUnguarded(folder);
  } catch (const std::exception& error) {
    return InvalidInput(std::string("cannot read GeniusWeb folder: ") + error.what(),
                        Location::InFile(folder));
  }
}

Status CheckGeniusWebExpressible(const model::Scenario& scenario) {
  try {
    Result<ExportPlan> plan = PlanExport(scenario);
    return plan.ok() ? Status::Ok() : plan.status();
  } catch (const std::exception& error) {
    return Internal(std::string("cannot plan the GeniusWeb export: ") + error.what());
  }
}

Status WriteGeniusWebFolder(const model::Scenario& scenario, const std::string& folder) {
  try {
    PARLEY_ASSIGN_OR_RETURN(ExportPlan plan, PlanExport(scenario));
    // Build every text before touching the disk, so a failure here writes nothing.
    std::vector<std::pair<std::string, std::string>> files;
    Json domain = DomainJson(scenario, plan);
    files.emplace_back(plan.domain_file_name, JsonText(domain));
    for (const ExportParty& exported : plan.parties) {
      files.emplace_back(exported.file_name,
                         JsonText(ProfileJson(scenario, plan, exported, domain)));
    }
    std::error_code ec;
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec)) {
      return InvalidInput("exists and is not a folder", Location::InFile(folder));
    }
    fs::create_directories(folder, ec);
    if (ec) {
      return InvalidInput("cannot create folder: " + ec.message(), Location::InFile(folder));
    }
    for (const auto& [file_name, text] : files) {
      PARLEY_RETURN_IF_ERROR(WriteFileAtomically((fs::path(folder) / file_name).string(), text));
    }
    return Status::Ok();
  } catch (const std::exception& error) {
    return Internal(std::string("cannot write the GeniusWeb folder: ") + error.what(),
                    Location::InFile(folder));
  }
}

}  // namespace parley::io
