// Outcomes in reports: the JSON spelling from io, and a one-line description of it.
#pragma once

#include <nlohmann/json.hpp>

#include "parley/io/outcome_json.h"
#include "parley/model/scenario.h"

namespace parley::report {

using io::OutcomeJson;

// "issue=label, issue=label" from such a JSON object, numbers in their shortest form.
std::string DescribeOutcomeJson(const nlohmann::ordered_json& outcome);

}  // namespace parley::report
