// The mediator's co-pilot in a live room: what a text is worth to each principal and which red
// lines it crosses (POST /api/rooms/{id}/evaluation), the flags GET /analysis adds to each text
// and proposal, and ranked acceptable texts with relaxations and deferrals when there are none
// (GET /api/rooms/{id}/suggestions). Built on analysis::EvaluateText and
// analysis::ComputeSuggestions; the JSON shapes are report::TextEvaluationJson and
// report::SuggestionsToJson (docs/http-api.md).
#pragma once

#include <optional>
#include <vector>

#include "parley/model/scenario.h"
#include "server/api/api.h"
#include "server/api/compute.h"
#include "server/api/room.h"

namespace parley::server::api {

// {red_lines_crossed: [{party, red_line, expression, description}], below_reservation: [party]}
// for `outcome` over `principals`.
Json EvaluationFlags(const model::Scenario& scenario, const std::vector<std::size_t>& principals,
                     const model::Outcome& outcome);

// POST /api/rooms/{id}/evaluation, body {outcome}: for the mediator, every principal's utility,
// reservation, red lines crossed and the gap to each principal's latest proposal; for a
// principal, only its own utility, reservation and red lines. `problems` says in words what the
// text crosses ("" when every evaluated principal accepts it). Caller holds the room's mutex.
ApiResult<Json> EvaluateInRoom(const Room& room, const Participant& viewer, const Json& body);

// What GET /suggestions needs of a room, copied under its lock.
struct SuggestionsSnapshot {
  model::Scenario scenario;
  std::vector<std::size_t> principals;
  std::optional<model::Outcome> draft;
  std::optional<int> draft_version;
};
// Reads the query (criterion, limit, draft = a text version, or outcome = a JSON object of the
// editor's unsaved draft); the draft defaults to the latest text. Caller holds the room's mutex.
ApiResult<SuggestionsSnapshot> SnapshotForSuggestions(const Room& room, const Request& request);
// Runs the suggestions within a compute slot of `slots`, without the room's lock.
ApiResult<Json> SuggestionsJson(const SuggestionsSnapshot& snapshot, const Request& request,
                                ComputeSlots& slots);

}  // namespace parley::server::api
