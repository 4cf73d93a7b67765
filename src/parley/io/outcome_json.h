// Outcomes as JSON, the one spelling every output uses: {issue id: option label (discrete),
// integer (integer issues) or number (real issues)}.
#pragma once

#include <nlohmann/json.hpp>

#include "parley/model/scenario.h"

namespace parley::io {

nlohmann::ordered_json OutcomeJson(const model::Scenario& scenario, const model::Outcome& outcome);

}  // namespace parley::io
