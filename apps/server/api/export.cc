// A live room as a trace in the simulated sessions' format (docs/trace-format.md), so replay-free
// tools (reports, analysis, CSV) work on live talks too. How live events map onto messages is in
// docs/live.md.
#include <algorithm>
#include <limits>

#include "parley/analysis/metrics.h"
#include "parley/io/scenario_io.h"
#include "parley/session/session.h"
#include "parley/session/trace_json.h"
#include "server/api/service.h"
#include "server/api/views.h"

namespace parley::server::api {
namespace {

Result<model::Outcome> OutcomeOf(const Room& room, const Json& body) {
  return session::OutcomeFromJson(room.scenario, nlohmann::json::parse(body.at("outcome").dump()),
                                  "outcome");
}

}  // namespace

Result<std::string> ExportTraceLocked(const Room& room, const std::string& scenario_file) {
  const model::Scenario& scenario = room.scenario;
  session::Trace trace;
  trace.scenario_name = scenario.name;
  trace.scenario_files = {scenario_file};
  trace.protocol = "live";
  for (std::size_t principal : room.principals) {
    const Participant* participant = room.FindPrincipalParticipant(scenario.parties[principal].id);
    trace.strategies[principal] =
        participant != nullptr && !participant->engine.empty() ? participant->engine : "human";
  }
  trace.strategies[room.mediator_party] = "human";
  trace.rounds = room.max_rounds;
  trace.seed = 0;
  trace.use_discount = false;
  for (const model::Party& party : scenario.parties) {
    trace.parties.push_back(protocols::PublicParty{party.id, party.name, party.role});
  }
  const std::vector<std::size_t> scored = scenario.PartiesWithPreferences();
  auto party_index = [&](const std::string& id) { return *scenario.FindParty(id); };

  for (const Event& event : room.log) {
    protocols::Message message;
    message.round = event.round;
    message.time = room.max_rounds > 0
                       ? std::min(1.0, static_cast<double>(event.round) / room.max_rounds)
                       : 1.0;
    const Json& body = event.body;
    if (event.type == "proposal") {
      message.sender = party_index(body.at("party").get<std::string>());
      message.recipients = {room.mediator_party};
      message.type = protocols::ActionType::kOffer;
      PARLEY_ASSIGN_OR_RETURN(message.outcome, OutcomeOf(room, body));
      message.text = body.value("note", "");
    } else if (event.type == "text_relayed") {
      message.sender = room.mediator_party;
      for (const Json& party : body.at("to")) {
        message.recipients.push_back(party_index(party.get<std::string>()));
      }
      message.type = protocols::ActionType::kOffer;
      PARLEY_ASSIGN_OR_RETURN(message.outcome, OutcomeOf(room, body));
      message.text = "text version " + std::to_string(body.value("version", 0));
      if (!body.value("note", "").empty()) message.text += ": " + body.value("note", "");
    } else if (event.type == "response") {
      message.sender = party_index(body.at("party").get<std::string>());
      message.recipients = {room.mediator_party};
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
    } else if (event.type == "preferences_submitted") {
      message.sender = party_index(body.at("party").get<std::string>());
      message.recipients = {room.mediator_party};
      message.type = protocols::ActionType::kConfide;
      message.text = "preferences submitted";
    } else if (event.type == "message") {
      const Participant* from = room.FindParticipant(body.value("from", ""));
      if (from == nullptr) continue;
      if (from->role == Role::kMediator) {
        message.sender = room.mediator_party;
        for (const Json& recipient : body.at("to")) {
          std::string id = recipient.get<std::string>();
          if (id.rfind("group:", 0) != 0) message.recipients.push_back(party_index(id));
        }
        if (message.recipients.empty()) continue;  // to working groups only: not parties
        message.type = protocols::ActionType::kRelay;
      } else if (from->role == Role::kPrincipal) {
        message.sender = party_index(from->party);
        message.recipients = {room.mediator_party};
        message.type = protocols::ActionType::kConfide;
      } else {
        continue;
      }
      if (body.contains("outcome")) {
        PARLEY_ASSIGN_OR_RETURN(message.outcome, OutcomeOf(room, body));
      }
      message.text = body.value("text", "");
    } else {
      continue;
    }
    message.sequence = trace.events.size();
    session::TraceEvent trace_event;
    if (message.outcome) {
      for (std::size_t party_idx : scored) {
        trace_event.utilities.push_back(
            scenario.parties[party_idx].preferences->utility->Evaluate(*message.outcome));
      }
    }
    trace_event.message = std::move(message);
    trace.events.push_back(std::move(trace_event));
  }

  session::SessionResult& result = trace.result;
  result.agreement = room.agreed_version.has_value();
  if (room.agreed_version) {
    result.outcome = room.texts[*room.agreed_version - 1].outcome;
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
  std::shared_ptr<const session::ScenarioReference> reference =
      session::ComputeScenarioReference(scenario);
  if (reference->frontier && !reference->frontier->points.empty()) {
    if (result.outcome) {
      analysis::OutcomeMetrics metrics = analysis::EvaluateOutcome(
          scenario, *reference->frontier, reference->solutions, *result.outcome);
      result.distance_to_pareto = metrics.distance_to_pareto;
      result.distance_to_nash = metrics.distance_to_nash;
      result.distance_to_kalai_smorodinsky = metrics.distance_to_kalai_smorodinsky;
    } else {
      const std::vector<double>& point = reference->solutions.disagreement;
      auto nearest =
          [&](const std::vector<analysis::ParetoPoint>& points) -> std::optional<double> {
        if (points.empty()) return std::nullopt;
        double best = std::numeric_limits<double>::infinity();
        for (const analysis::ParetoPoint& candidate : points) {
          best = std::min(best, analysis::UtilityDistance(candidate.utilities, point));
        }
        return best;
      };
      result.distance_to_pareto = nearest(reference->frontier->points);
      if (reference->solutions.nash.defined) {
        result.distance_to_nash = nearest(reference->solutions.nash.points);
      }
      if (reference->solutions.kalai_smorodinsky.defined) {
        result.distance_to_kalai_smorodinsky =
            nearest(reference->solutions.kalai_smorodinsky.points);
      }
    }
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
  result.elapsed_ms =
      room.log.empty() ? 0 : static_cast<double>(room.log.back().at_ms - room.created_ms);
  return session::WriteTraceJson(scenario, trace);
}

Result<Service::Export> Service::ExportRoom(const std::string& room_id,
                                            const std::string& scenario_file) {
  std::shared_ptr<Room> room = FindRoom(room_id);
  if (!room) return NotFound("no room '" + room_id + "' in the database");
  std::lock_guard lock(room->mutex);
  PARLEY_ASSIGN_OR_RETURN(std::string trace, ExportTraceLocked(*room, scenario_file));
  return Export{std::move(trace), io::WriteParleyYaml(room->scenario)};
}

}  // namespace parley::server::api
