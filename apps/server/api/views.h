// What each role is shown: JSON renderings of a room for the mediator, a principal, a working-group
// member and an observer. A principal's rendering holds only its own preferences, proposals and
// responses, and only the texts relayed to it; the mediator's holds everything, including the
// analysis built on what principals confided. Callers hold the room's mutex.
#pragma once

#include <string>

#include "server/api/api.h"
#include "server/api/room.h"

namespace parley::server::api {

Json ParticipantJson(const Participant& participant);
Json IssueJson(const model::Issue& issue);
Json PublicScenarioJson(const model::Scenario& scenario);
// One entry per issue (or per issue of `only`): issue, status, the text's option when given.
Json ClausesJson(const Room& room, const model::Outcome* outcome,
                 const std::vector<std::size_t>* only = nullptr);
Json ResponseJson(const Room& room, const TextResponse& response);
Json ProposalJson(const Room& room, const Proposal& proposal);
Json EventJson(const Event& event);
// The event as `viewer` receives it: a principal sees a relayed text addressed to itself only
// (whom else the mediator sent it to is the mediator's business).
Json EventJsonFor(const Participant& viewer, const Event& event);
Json RoomSummaryJson(const Room& room);
Json PreferencesJson(const Room& room, std::size_t party_idx);
Json GroupJson(const Room& room, const Group& group);

// GET /api/rooms/{id}: the room as `viewer` may see it.
Json RoomViewJson(const Room& room, const Participant& viewer);
// GET /api/rooms/{id}/texts.
Json TextsJson(const Room& room, const Participant& viewer);
// GET /api/rooms/{id}/analysis (mediator): zone of agreement, frontier, Nash point, obstacles,
// each text's and latest proposal's utilities, from the preferences principals confided.
ApiResult<Json> AnalysisJson(Room& room);
// GET /api/rooms/{id}/pace (mediator): gaps over time, concessions, time since the last movement.
Json PaceJson(const Room& room);

ApiResult<std::int64_t> QueryInt(const Request& request, const std::string& name,
                                 std::int64_t fallback);

// The room's trace in the simulated sessions' format (docs/trace-format.md); `scenario_file` is
// the path recorded under scenario.files.
Result<std::string> ExportTraceLocked(const Room& room, const std::string& scenario_file);

}  // namespace parley::server::api
