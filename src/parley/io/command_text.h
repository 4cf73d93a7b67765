// The short text forms in which a command line (and the Python API) names parties and outcomes:
// "israel,hamas" and "issue=option,issue=option". Errors name `field`, the flag or argument the
// text came from.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/model/scenario.h"

namespace parley::io {

// Resolves "israel,hamas" (party ids, comma-separated, spaces around them ignored) to party
// indices, in the order named; every party named must have preferences and be named once. An
// empty (or blank) text gives the scenario's enabled principals.
Result<std::vector<std::size_t>> ResolveParties(const model::Scenario& scenario,
                                                const std::string& comma_separated_ids,
                                                const std::string& field = "--parties");

// Parses "issue=option,issue=option" (issue ids and option ids or names, every issue named once)
// into an outcome.
Result<model::Outcome> ParseOutcome(const model::Scenario& scenario, const std::string& text,
                                    const std::string& field = "--outcome");

}  // namespace parley::io
