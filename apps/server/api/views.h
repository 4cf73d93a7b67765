// What each role is shown: JSON renderings of a room for the mediator, a principal, a working-group
// member and an observer. A principal's rendering holds only its own preferences, proposals and
// responses, and only the texts relayed to it, numbered as it sees them (room.h); a member sees
// the text of its own side; the mediator's holds everything, including the analysis built on what
// principals confided. Callers hold the room's mutex.
#pragma once

#include <memory>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "server/api/api.h"
#include "server/api/room.h"

namespace parley::server::api {

Json ParticipantJson(const Participant& participant);
Json IssueJson(const model::Issue& issue);
Json PublicScenarioJson(const model::Scenario& scenario);
// One entry per issue (or per issue of `only`): issue, status, the text's option when given.
Json ClausesJson(const Room& room, const model::Outcome* outcome,
                 const std::vector<std::size_t>* only = nullptr);
Json ResponseJson(const Room& room, const TextResponse& response, const Participant& viewer);
Json ProposalJson(const Room& room, const Proposal& proposal, const Participant& viewer);
// The event as `viewer` receives it, numbered `seq` with `round` as it counts them. The `to` of
// a relayed text or of a mediator's message lists only the recipients that are the viewer (whom
// else the mediator wrote to is the mediator's business).
Json EventJsonFor(const Participant& viewer, const Event& event, std::int64_t seq, int round);
// The room as an admin lists it (every relay counted).
Json RoomSummaryJson(const Room& room);
// The same as a participant may see it: its own rounds; the participant count for the mediator.
Json RoomSummaryJsonFor(const Room& room, const Participant& viewer);
Json PreferencesJson(const Room& room, std::size_t party_idx);
// A working group with its clauses on the text its viewer works on: for the mediator the latest
// text relayed to anyone, for a member the text of its side (Room::TextForSide).
Json GroupJson(const Room& room, const Group& group, const Participant& viewer);

// What an open ask asks (docs/http-api.md, "What each role may do now"): allowed actions, the
// standing offer (and its text version), whom the party may address, what is settled, the
// current phase's open issues, the phase's clock.
Json RequestJson(const Room& room, const session::PendingAsk& pending);
// GET /api/rooms/{id}: the room as `viewer` may see it.
Json RoomViewJson(const Room& room, const Participant& viewer);
// GET /api/rooms/{id}/texts.
Json TextsJson(const Room& room, const Participant& viewer);
// What GET /api/rooms/{id}/analysis needs of a room, copied under its lock so that the analysis
// runs without it.
struct AnalysisSnapshot {
  model::Scenario scenario;
  std::vector<std::size_t> principals;
  int preferences_version = 0;
  std::vector<std::pair<int, model::Outcome>> texts;                     // version, outcome
  std::vector<std::pair<std::string, model::Outcome>> latest_positions;  // party, outcome
  std::vector<std::string> submitted_by;
};
AnalysisSnapshot SnapshotForAnalysis(const Room& room);
// The mediator's analysis: the cached scenario-level part (compute.h) and each text's and latest
// proposal's utilities.
Json AnalysisJson(const AnalysisSnapshot& snapshot, Json base);
// GET /api/rooms/{id}/pace (mediator): gaps over time, concessions, time since the last movement.
Json PaceJson(const Room& room);

ApiResult<std::int64_t> QueryInt(const Request& request, const std::string& name,
                                 std::int64_t fallback);

// The room's trace in the simulated sessions' format (docs/trace-format.md) and its scenario as
// parley YAML (effective preferences, the parties that took part), in two steps: the draft under
// the room's lock (cheap: copies), then without it the reference points (frontier, Nash and
// Kalai-Smorodinsky distances, stopping at `stop`: the distances are then left out) and, for a
// room that runs a protocol, its session re-run from the persons' answers (export.cc).
// `scenario_file` is the path recorded under scenario.files.
struct TraceDraft;
struct ExportedTrace {
  std::string trace;
  std::string scenario_yaml;
};
Result<std::shared_ptr<TraceDraft>> DraftTraceLocked(const Room& room,
                                                     const std::string& scenario_file);
Result<ExportedTrace> FinishTrace(const TraceDraft& draft, std::stop_token stop);

}  // namespace parley::server::api
