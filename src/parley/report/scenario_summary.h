// What `parley info` says about a scenario: parties and roles, issues and their options, the
// exact outcome count, each party's utility range and reservation, phases, red lines and where
// the figures come from. One structure, rendered as text for people and as JSON for programs.
#pragma once

#include <string>

#include "parley/io/json.h"
#include "parley/model/scenario.h"

namespace parley::report {

// Builds the summary as JSON (the schema is documented in docs/cli.md). Utility ranges are exact
// for additive utilities and for spaces up to `enumeration_limit` outcomes; otherwise found by
// search and marked "exact": false.
io::Json SummarizeScenario(const model::Scenario& scenario,
                           std::uint64_t enumeration_limit = 1'000'000);

// Renders the summary for a terminal: banner first, then sections.
std::string RenderScenarioSummaryText(const io::Json& summary);

}  // namespace parley::report
