// Outcomes as JSON, the one spelling every output uses and every input of an outcome reads:
// {issue id: option label (discrete), integer (integer issues) or number (real issues)}.
#pragma once

#include <string>

#include "parley/base/status.h"
#include "parley/io/json.h"
#include "parley/model/scenario.h"

namespace parley::io {

Json OutcomeJson(const model::Scenario& scenario, const model::Outcome& outcome);

// The inverse of OutcomeJson: an option for each of the scenario's issues, no other member.
// Errors (kInvalidInput) name `field` and the offending issue.
Result<model::Outcome> OutcomeFromJson(const model::Scenario& scenario, const Json& json,
                                       const std::string& field);

}  // namespace parley::io
