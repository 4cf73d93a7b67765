#include "parley/model/validate.h"

#include <cmath>
#include <set>

namespace parley::model {
namespace {

constexpr std::uint64_t kMaxOptionsPerIssue = std::uint64_t{1} << 32;

Status Invalid(std::string message, std::string field) {
  return InvalidInput(std::move(message), Location::InField(std::move(field)));
}

Status ValidateIssue(const Issue& issue) {
  const std::string path = "issues." + issue.id;
  switch (issue.kind) {
    case IssueKind::kDiscrete: {
      if (issue.options.empty()) return Invalid("a discrete issue needs at least one option", path);
      std::set<std::string> seen;
      for (const std::string& option : issue.options) {
        if (option.empty()) return Invalid("an option label is empty", path + ".options");
        if (!seen.insert(option).second) {
          return Invalid("option '" + option + "' is listed twice", path + ".options");
        }
      }
      if (!issue.option_descriptions.empty() &&
          issue.option_descriptions.size() != issue.options.size()) {
        return Invalid("option descriptions do not match the options", path + ".options");
      }
      break;
    }
    case IssueKind::kInteger:
      if (issue.integer_lower > issue.integer_upper) {
        return Invalid("lower bound " + std::to_string(issue.integer_lower) +
                           " is above upper bound " + std::to_string(issue.integer_upper),
                       path + ".range");
      }
      if (static_cast<std::uint64_t>(issue.integer_upper - issue.integer_lower) >=
          kMaxOptionsPerIssue) {
        return Invalid("the range holds more than 2^32 values", path + ".range");
      }
      break;
    case IssueKind::kReal:
      if (!std::isfinite(issue.real_lower) || !std::isfinite(issue.real_upper)) {
        return Invalid("bounds must be finite numbers", path + ".range");
      }
      if (issue.real_lower > issue.real_upper) {
        return Invalid("lower bound " + FormatNumber(issue.real_lower) + " is above upper bound " +
                           FormatNumber(issue.real_upper),
                       path + ".range");
      }
      if (!(issue.real_step > 0) || !std::isfinite(issue.real_step)) {
        return Invalid("step must be a positive number", path + ".step");
      }
      if ((issue.real_upper - issue.real_lower) / issue.real_step >=
          static_cast<double>(kMaxOptionsPerIssue)) {
        return Invalid("the range holds more than 2^32 steps", path + ".step");
      }
      break;
  }
  return Status::Ok();
}

Status ValidateExpressionIssues(const Expression& expression, std::size_t num_issues,
                                const std::vector<Issue>& issues, const std::string& path) {
  if (expression.kind == Expression::Kind::kAtom) {
    if (expression.issue_idx >= num_issues) return Invalid("refers to an unknown issue", path);
    if (expression.allowed.size() != issues[expression.issue_idx].NumOptions()) {
      return Invalid(
          "does not match the options of issue '" + issues[expression.issue_idx].id + "'", path);
    }
  }
  for (const Expression& child : expression.children) {
    PARLEY_RETURN_IF_ERROR(ValidateExpressionIssues(child, num_issues, issues, path));
  }
  return Status::Ok();
}

Status ValidatePreferences(const Scenario& scenario, const Party& party) {
  const Preferences& preferences = *party.preferences;
  const std::string path = "parties." + party.id + ".preferences";
  if (!preferences.utility) return Invalid("preferences have no utility function", path);
  if (const auto* additive = dynamic_cast<const AdditiveUtility*>(preferences.utility.get())) {
    if (additive->NumIssues() != scenario.issues.size()) {
      return Invalid("preferences cover " + std::to_string(additive->NumIssues()) +
                         " issues, the scenario has " + std::to_string(scenario.issues.size()),
                     path);
    }
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const Issue& issue = scenario.issues[issue_idx];
      double weight = additive->weights()[issue_idx];
      if (!std::isfinite(weight) || weight < 0) {
        return Invalid("weight must be a non-negative number, got " + FormatNumber(weight),
                       path + ".weights." + issue.id);
      }
      const auto& table = additive->values()[issue_idx].table;
      if (table.size() != issue.NumOptions()) {
        return Invalid("value function has " + std::to_string(table.size()) +
                           " values, the issue has " + std::to_string(issue.NumOptions()) +
                           " options",
                       path + ".values." + issue.id);
      }
      for (double value : table) {
        if (!std::isfinite(value)) {
          return Invalid("value function gives a non-finite value", path + ".values." + issue.id);
        }
      }
    }
  }
  if (preferences.reservation_value && !std::isfinite(*preferences.reservation_value)) {
    return Invalid("reservation must be a finite number", path + ".reservation");
  }
  if (preferences.reservation_outcome &&
      !scenario.BuildOutcomeSpace().Contains(*preferences.reservation_outcome)) {
    return Invalid("reservation outcome does not name one option per issue", path + ".reservation");
  }
  if (!(preferences.discount > 0 && preferences.discount <= 1)) {
    return Invalid("discount must be in (0, 1], got " + FormatNumber(preferences.discount),
                   path + ".discount");
  }
  std::set<std::string> red_line_ids;
  for (std::size_t line_idx = 0; line_idx < preferences.red_lines.size(); ++line_idx) {
    const RedLine& red_line = preferences.red_lines[line_idx];
    const std::string line_path =
        "parties." + party.id + ".red_lines[" + std::to_string(line_idx) + "]";
    PARLEY_RETURN_IF_ERROR(ValidateExpressionIssues(red_line.expression, scenario.issues.size(),
                                                    scenario.issues, line_path));
    if (!(red_line.holds >= 0 && red_line.holds <= 1)) {
      return Invalid("holds is a probability in [0, 1], got " + FormatNumber(red_line.holds),
                     line_path + ".holds");
    }
    if (!red_line_ids.insert(Scenario::RedLineId(preferences, line_idx)).second) {
      return Invalid("red line id '" + Scenario::RedLineId(preferences, line_idx) +
                         "' is used twice by party '" + party.id + "'",
                     line_path + ".id");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateScenario(const Scenario& scenario) {
  std::set<std::string> issue_ids;
  for (const Issue& issue : scenario.issues) {
    if (issue.id.empty()) return Invalid("an issue has an empty id", "issues");
    if (!issue_ids.insert(issue.id).second) {
      return Invalid("issue '" + issue.id + "' is defined twice", "issues." + issue.id);
    }
    PARLEY_RETURN_IF_ERROR(ValidateIssue(issue));
  }
  if (scenario.parties.empty()) return Invalid("the scenario has no parties", "parties");
  std::set<std::string> party_ids;
  for (const Party& party : scenario.parties) {
    if (party.id.empty()) return Invalid("a party has an empty id", "parties");
    if (!party_ids.insert(party.id).second) {
      return Invalid("party '" + party.id + "' is defined twice", "parties." + party.id);
    }
    if (party.preferences) PARLEY_RETURN_IF_ERROR(ValidatePreferences(scenario, party));
  }
  for (const auto& [path, range] : scenario.uncertainty.ranges) {
    if (!std::isfinite(range.low) || !std::isfinite(range.high) || !std::isfinite(range.value)) {
      return Invalid("a range needs finite numbers", path + ".range");
    }
    if (!(range.low <= range.value && range.value <= range.high)) {
      return Invalid("the range [" + FormatNumber(range.low) + ", " + FormatNumber(range.high) +
                         "] must contain the value " + FormatNumber(range.value),
                     path + ".range");
    }
  }
  std::set<std::string> phase_ids;
  std::vector<int> settled_by(scenario.issues.size(), -1);
  for (std::size_t phase_idx = 0; phase_idx < scenario.phases.size(); ++phase_idx) {
    const Phase& phase = scenario.phases[phase_idx];
    if (phase.id.empty()) return Invalid("a phase has an empty id", "phases");
    if (!phase_ids.insert(phase.id).second) {
      return Invalid("phase '" + phase.id + "' is defined twice", "phases." + phase.id);
    }
    for (std::size_t issue_idx : phase.issue_indices) {
      if (issue_idx >= scenario.issues.size()) {
        return Invalid("names an unknown issue", "phases." + phase.id + ".issues");
      }
      if (settled_by[issue_idx] >= 0) {
        return Invalid("issue '" + scenario.issues[issue_idx].id +
                           "' is already settled by phase '" +
                           scenario.phases[settled_by[issue_idx]].id + "'",
                       "phases." + phase.id + ".issues");
      }
      settled_by[issue_idx] = static_cast<int>(phase_idx);
    }
  }
  for (const Issue& issue : scenario.issues) {
    if (!issue.phase.empty() && !scenario.FindPhase(issue.phase)) {
      return Invalid("names unknown phase '" + issue.phase + "'", "issues." + issue.id + ".phase");
    }
  }
  return Status::Ok();
}

}  // namespace parley::model
