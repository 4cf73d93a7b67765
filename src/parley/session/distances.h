// A session result's distances to the reference points (Pareto frontier, Nash and
// Kalai-Smorodinsky solutions): computed once here for simulated sessions and for traces of live
// rooms (apps/server/api/export.cc).
#pragma once

#include "parley/model/scenario.h"
#include "parley/session/session.h"

namespace parley::session {

// Fills result.distance_to_pareto, distance_to_nash and distance_to_kalai_smorodinsky: from the
// agreement's utilities (result.outcome), or without one from the disagreement point (every
// principal's reservation value). Leaves them absent when the reference has no frontier.
void FillResultDistances(const model::Scenario& scenario, const ScenarioReference& reference,
                         SessionResult& result);

}  // namespace parley::session
