#include "parley/io/outcome_json.h"

namespace parley::io {

nlohmann::ordered_json OutcomeJson(const model::Scenario& scenario, const model::Outcome& outcome) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
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

}  // namespace parley::io
