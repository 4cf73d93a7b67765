// Outcomes as JSON: {issue id: option label (discrete), integer (integer issues) or number (real)}.
#pragma once

#include <nlohmann/json.hpp>

#include "parley/model/scenario.h"

namespace parley::report {

nlohmann::ordered_json OutcomeJson(const model::Scenario& scenario, const model::Outcome& outcome);

// "issue=label, issue=label" from such a JSON object, numbers in their shortest form.
std::string DescribeOutcomeJson(const nlohmann::ordered_json& outcome);

}  // namespace parley::report
