// The answer `parley negotiate` prints without --json: the session's settings, how it ended (the
// agreement and a warning when it crosses a principal's limits, or why there was none), each
// scored party's utility, welfare and distances to the frontier and fair points, the gap per
// issue between the principals' latest offers, and the illegal actions, if any.
#pragma once

#include <string>

#include "parley/model/scenario.h"
#include "parley/session/session.h"

namespace parley::report {

// `reference` is the one the session computed its distances against (SessionConfig::reference).
std::string SessionSummaryText(const model::Scenario& scenario, const session::Trace& trace,
                               const session::ScenarioReference& reference);

}  // namespace parley::report
