#include "parley/io/outcome_json.h"

namespace parley::io {

Json OutcomeJson(const model::Scenario& scenario, const model::Outcome& outcome) {
  Json out = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    const model::Issue& issue = scenario.issues[issue_idx];
    switch (issue.kind) {
      case model::IssueKind::kDiscrete:
        out[issue.id] = issue.OptionLabel(outcome[issue_idx]);
        break;
      case model::IssueKind::kInteger:
        out[issue.id] = issue.integer_lower + static_cast<std::int64_t>(outcome[issue_idx]);
        break;
      case model::IssueKind::kReal:
        out[issue.id] = issue.NumericValue(outcome[issue_idx]);
        break;
    }
  }
  return out;
}

Result<model::Outcome> OutcomeFromJson(const model::Scenario& scenario, const Json& value,
                                       const std::string& field) {
  if (!value.is_object()) return InvalidInput("expected {issue: option}", Location::InField(field));
  if (value.size() != scenario.issues.size()) {
    return InvalidInput(
        "expected an option for each of the " + std::to_string(scenario.issues.size()) + " issues",
        Location::InField(field));
  }
  model::Outcome outcome;
  for (const model::Issue& issue : scenario.issues) {
    std::string issue_field = field + "." + issue.id;
    auto it = value.find(issue.id);
    if (it == value.end()) {
      return InvalidInput("missing issue '" + issue.id + "'", Location::InField(field));
    }
    std::optional<std::uint64_t> option;
    if (issue.kind == model::IssueKind::kDiscrete) {
      if (!it->is_string())
        return InvalidInput("expected an option label", Location::InField(issue_field));
      option = issue.FindOption(it->get<std::string>());
    } else {
      if (!it->is_number())
        return InvalidInput("expected a number", Location::InField(issue_field));
      option = issue.FindOptionByValue(it->get<double>());
    }
    if (!option) {
      return InvalidInput("'" + it->dump() + "' is not an option of issue '" + issue.id + "'",
                          Location::InField(issue_field));
    }
    outcome.push_back(static_cast<model::OptionIndex>(*option));
  }
  return outcome;
}

}  // namespace parley::io
