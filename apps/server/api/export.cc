// A live room as a trace in the simulated sessions' format (docs/trace-format.md), so replay,
// reports, analysis and CSV work on live talks too. A room that runs a protocol is exported by
// re-running its session (RebuildSession) with the persons' recorded answers on the effective
// scenario, exactly as `parley replay` will; rooms created before protocols ran in rooms are
// mapped from their events (protocol "live", docs/live.md).
#include <algorithm>
#include <optional>

#include "parley/io/outcome_json.h"
#include "parley/io/scenario_io.h"
#include "parley/session/distances.h"
#include "parley/session/replay.h"
#include "parley/session/session.h"
#include "parley/session/trace_json.h"
#include "server/api/body.h"
#include "server/api/service.h"
#include "server/api/views.h"

namespace parley::server::api {
namespace {

Result<model::Outcome> OutcomeOf(const Room& room, const Json& body) {
  return io::OutcomeFromJson(room.scenario, body.at("outcome"), "outcome");
}

}  // namespace

struct TraceDraft {
  model::Scenario scenario;  // as the trace names it: effective preferences, seated parties
  std::string scenario_file;
  // Rooms that run a protocol: what RebuildSession needs.
  bool rebuild = false;
  session::SessionConfig config;
  session::LiveRecord live;
  double elapsed_ms = 0;
  // Legacy rooms: the trace mapped from the events.
  session::Trace trace;
};

namespace {

using MappedMessage = std::optional<protocols::Message>;

std::size_t PartyIndex(const Room& room, const std::string& id) {
  return *room.scenario.FindParty(id);
}

// The trace's header: scenario, protocol "live", each principal's engine or "human".
void DraftLegacyHeader(const Room& room, TraceDraft& draft) {
  const model::Scenario& scenario = room.scenario;
  session::Trace& trace = draft.trace;
  trace.scenario_name = scenario.name;
  trace.scenario_files = {draft.scenario_file};
  trace.protocol = session::kLegacyLiveProtocol;
  for (std::size_t principal : room.principals) {
    const Participant* participant = room.FindPrincipalParticipant(scenario.parties[principal].id);
    trace.strategies[principal] =
        participant != nullptr && !participant->engine.empty() ? participant->engine : "human";
  }
  trace.strategies[*room.mediator_party] = "human";
  trace.rounds = room.max_rounds;
  trace.seed = 0;
  trace.use_discount = false;
  for (const model::Party& party : scenario.parties) {
    trace.parties.push_back(protocols::PublicParty{party.id, party.name, party.role});
  }
}

Status MapProposal(const Room& room, const Json& body, protocols::Message& message) {
  message.sender = PartyIndex(room, body.at("party").get<std::string>());
  message.recipients = {*room.mediator_party};
  message.type = protocols::ActionType::kOffer;
  PARLEY_ASSIGN_OR_RETURN(message.outcome, OutcomeOf(room, body));
  message.text = body.value("note", "");
  return Status::Ok();
}

Status MapTextRelayed(const Room& room, const Json& body, protocols::Message& message) {
  message.sender = *room.mediator_party;
  for (const Json& party : body.at("to")) {
    message.recipients.push_back(PartyIndex(room, party.get<std::string>()));
  }
  message.type = protocols::ActionType::kOffer;
  PARLEY_ASSIGN_OR_RETURN(message.outcome, OutcomeOf(room, body));
  message.text = "text version " + std::to_string(body.value("version", 0));
  if (!body.value("note", "").empty()) message.text += ": " + body.value("note", "");
  return Status::Ok();
}

Status MapResponse(const Room& room, const Json& body, protocols::Message& message) {
  message.sender = PartyIndex(room, body.at("party").get<std::string>());
  message.recipients = {*room.mediator_party};
  bool accept = body.value("accept", false);
  message.type = accept ? protocols::ActionType::kAccept : protocols::ActionType::kReject;
  PARLEY_ASSIGN_OR_RETURN(message.outcome, OutcomeOf(room, body));
  std::string rejected;
  for (auto it = body.at("clauses").begin(); it != body.at("clauses").end(); ++it) {
    if (*it == "reject") rejected += (rejected.empty() ? "" : ", ") + it.key();
  }
  message.text = "text version " + std::to_string(body.value("version", 0));
  if (!accept) message.text += "; rejected clauses: " + rejected;
  if (!body.value("note", "").empty()) message.text += "; " + body.value("note", "");
  return Status::Ok();
}

void MapPreferencesSubmitted(const Room& room, const Event& event, protocols::Message& message) {
  message.sender = PartyIndex(room, event.body.at("party").get<std::string>());
  message.recipients = {*room.mediator_party};
  message.type = protocols::ActionType::kConfide;
  message.text = "preferences submitted";
  for (const RefusedEvent& refused : room.refused) {
    if (refused.seq == event.seq) message.text += " (refused on replay: " + refused.reason + ")";
  }
}

// A chat message: the mediator's to parties (a relay), a principal's to the mediator (a
// confidence); none for anything else (messages to working groups only, observers).
Result<MappedMessage> MapChatMessage(const Room& room, const Json& body,
                                     protocols::Message message) {
  const Participant* from = room.FindParticipant(body.value("from", ""));
  if (from == nullptr) return MappedMessage();
  if (from->role == Role::kMediator) {
    message.sender = *room.mediator_party;
    for (const Json& recipient : body.at("to")) {
      std::string id = recipient.get<std::string>();
      if (id.rfind("group:", 0) != 0) message.recipients.push_back(PartyIndex(room, id));
    }
    if (message.recipients.empty()) return MappedMessage();  // to working groups only
    message.type = protocols::ActionType::kRelay;
  } else if (from->role == Role::kPrincipal) {
    message.sender = PartyIndex(room, from->party);
    message.recipients = {*room.mediator_party};
    message.type = protocols::ActionType::kConfide;
  } else {
    return MappedMessage();
  }
  if (body.contains("outcome")) {
    PARLEY_ASSIGN_OR_RETURN(message.outcome, OutcomeOf(room, body));
  }
  message.text = body.value("text", "");
  return MappedMessage(std::move(message));
}

// One event of a legacy room as a message, or none for events the trace does not show.
Result<MappedMessage> MapLegacyEvent(const Room& room, const Event& event) {
  protocols::Message message;
  message.round = event.round;
  message.time =
      room.max_rounds > 0 ? std::min(1.0, static_cast<double>(event.round) / room.max_rounds) : 1.0;
  const Json& body = event.body;
  if (event.type == "proposal") {
    PARLEY_RETURN_IF_ERROR(MapProposal(room, body, message));
  } else if (event.type == "text_relayed") {
    PARLEY_RETURN_IF_ERROR(MapTextRelayed(room, body, message));
  } else if (event.type == "response") {
    PARLEY_RETURN_IF_ERROR(MapResponse(room, body, message));
  } else if (event.type == "preferences_submitted") {
    MapPreferencesSubmitted(room, event, message);
  } else if (event.type == "message") {
    return MapChatMessage(room, body, std::move(message));
  } else {
    return MappedMessage();
  }
  return MappedMessage(std::move(message));
}

// The result: the agreement if any, utilities (the reservation's without one), gap samples.
void DraftLegacyResult(const Room& room, TraceDraft& draft,
                       const std::vector<std::size_t>& scored) {
  const model::Scenario& scenario = room.scenario;
  session::SessionResult& result = draft.trace.result;
  result.agreement = room.agreement.has_value();
  if (room.agreement) {
    result.outcome = room.agreement;
    result.agreeing_parties = room.principals;
  }
  result.scored_parties = scored;
  result.rounds = std::max(1, room.round);
  for (std::size_t party_idx : scored) {
    const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
    double utility = result.outcome ? preferences.utility->Evaluate(*result.outcome)
                                    : preferences.ReservationOrZero();
    result.utilities.push_back(utility);
    result.raw_utilities.push_back(utility);
    if (scenario.parties[party_idx].role == model::Role::kPrincipal) result.welfare += utility;
  }
  for (const GapPoint& point : room.gaps) {
    session::GapSample sample{point.round, point.issues, point.overall};
    if (!result.gaps.empty() && result.gaps.back().round == point.round) {
      result.gaps.back() = std::move(sample);  // one sample per round: the round's last
    } else {
      result.gaps.push_back(std::move(sample));
    }
  }
  result.end_reason = room.status == "open" ? "in progress" : room.end_reason;
  result.elapsed_ms = draft.elapsed_ms;
}

// A legacy room's events mapped onto messages (the mapping of docs/live.md, "Export").
Status DraftLegacyTrace(const Room& room, TraceDraft& draft) {
  const model::Scenario& scenario = room.scenario;
  DraftLegacyHeader(room, draft);
  session::Trace& trace = draft.trace;
  const std::vector<std::size_t> scored = scenario.PartiesWithPreferences();
  for (const Event& event : room.log) {
    PARLEY_ASSIGN_OR_RETURN(MappedMessage message, MapLegacyEvent(room, event));
    if (!message) continue;
    message->sequence = trace.events.size();
    session::TraceEvent trace_event;
    if (message->outcome) {
      for (std::size_t party_idx : scored) {
        trace_event.utilities.push_back(
            scenario.parties[party_idx].preferences->utility->Evaluate(*message->outcome));
      }
    }
    trace_event.message = std::move(*message);
    trace.events.push_back(std::move(trace_event));
  }
  DraftLegacyResult(room, draft, scored);
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<TraceDraft>> DraftTraceLocked(const Room& room,
                                                     const std::string& scenario_file) {
  auto draft = std::make_shared<TraceDraft>();
  draft->scenario_file = scenario_file;
  draft->elapsed_ms =
      room.log.empty() ? 0 : static_cast<double>(room.log.back().at_ms - room.created_ms);
  if (room.legacy) {
    draft->scenario = room.scenario;
    PARLEY_RETURN_IF_ERROR(DraftLegacyTrace(room, *draft));
    return draft;
  }
  if (!room.broken.empty()) return Internal("the room's protocol has stopped: " + room.broken);
  if (!room.talks_state.started) {
    // The talks never started (a principal without a seat): no message, nothing to re-run.
    draft->scenario = room.scenario;
    session::Trace& trace = draft->trace;
    trace.scenario_name = room.scenario.name;
    trace.scenario_files = {scenario_file};
    trace.protocol = room.protocol;
    trace.rounds = room.max_rounds;
    trace.seed = room.seed;
    for (const model::Party& party : room.scenario.parties) {
      trace.parties.push_back(protocols::PublicParty{party.id, party.name, party.role});
    }
    session::SessionResult& result = trace.result;
    result.scored_parties = room.scenario.PartiesWithPreferences();
    for (std::size_t party_idx : result.scored_parties) {
      const double utility = room.scenario.parties[party_idx].preferences->ReservationOrZero();
      result.utilities.push_back(utility);
      result.raw_utilities.push_back(utility);
      if (room.IsPrincipal(room.scenario.parties[party_idx].id)) result.welfare += utility;
    }
    result.end_reason = room.open() ? "in progress" : room.end_reason;
    result.elapsed_ms = draft->elapsed_ms;
    return draft;
  }
  // The session as it ran: the scenario with the principals' submitted preferences (they change
  // the analyst's utilities, never what an engine does) and the seats as the talks started.
  const Seats seats = room.talks_state.started ? room.talks_state.seats : room.CurrentSeats();
  draft->scenario = SessionScenario(room.scenario, seats);
  draft->rebuild = true;
  draft->config = TalksConfig(room.protocol, seats, room.max_rounds, room.seed);
  draft->live.room = room.id;
  draft->live.persons.assign(seats.persons.begin(), seats.persons.end());
  draft->live.answers = room.talks_state.answers;
  if (room.closed_by_person) {
    draft->live.closed = room.end_reason;
  } else if (room.open()) {
    draft->live.closed = "in progress";
  }
  return draft;
}

Result<ExportedTrace> FinishTrace(const TraceDraft& draft, std::stop_token stop) {
  ExportedTrace exported;
  exported.scenario_yaml = io::WriteParleyYaml(draft.scenario);
  if (!draft.rebuild) {
    // Bounded by the reference's own limits (a few million outcomes) and by `stop`; when it
    // stops, the trace has no distances.
    session::Trace trace = draft.trace;
    session::FillResultDistances(
        draft.scenario, *session::ComputeScenarioReference(draft.scenario, stop), trace.result);
    exported.trace = session::WriteTraceJson(draft.scenario, trace);
    return exported;
  }
  // The scenario as `parley replay` will read it back from the file written beside the trace,
  // so that the replayed trace is byte for byte this one.
  PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario, ParseScenarioText(exported.scenario_yaml));
  session::SessionConfig config = draft.config;
  config.reference = session::ComputeScenarioReference(scenario, stop);
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<session::Session> session,
                          session::RebuildSession(scenario, config, draft.live.answers));
  if (!session->Finished()) session->Close(draft.live.closed.value_or("in progress"));
  PARLEY_ASSIGN_OR_RETURN(session::Trace trace, session->Finish());
  trace.scenario_files = {draft.scenario_file};
  trace.result.elapsed_ms = draft.elapsed_ms;
  trace.live = draft.live;
  exported.trace = session::WriteTraceJson(scenario, trace);
  return exported;
}

Result<Service::Export> Service::ExportRoom(const std::string& room_id,
                                            const std::string& scenario_file) {
  std::shared_ptr<Room> room = FindRoom(room_id);
  if (!room) return NotFound("no room '" + Excerpt(room_id) + "' in the database");
  std::shared_ptr<TraceDraft> draft;
  {
    std::lock_guard lock(room->mutex);
    PARLEY_ASSIGN_OR_RETURN(draft, DraftTraceLocked(*room, scenario_file));
  }
  // Offline: no slot to wait for, the same time budget as the server's.
  ComputeSlots slots(options_.compute);
  std::unique_ptr<ComputeSlots::Ticket> ticket = slots.Acquire();
  return FinishTrace(*draft, ticket->token());
}

}  // namespace parley::server::api
