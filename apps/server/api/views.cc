#include "server/api/views.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "parley/io/outcome_json.h"
#include "parley/model/record.h"
#include "parley/protocols/phased/phased.h"
#include "parley/uncertainty/forecast.h"
#include "server/api/copilot.h"

namespace parley::server::api {
namespace {
constexpr std::size_t kMaxListedOptions = 1000;
}  // namespace

Json ParticipantJson(const Participant& participant) {
  Json json{{"id", participant.id}, {"role", RoleName(participant.role)}};
  if (!participant.party.empty()) json["party"] = participant.party;
  if (!participant.group.empty()) json["group"] = participant.group;
  if (!participant.name.empty()) json["name"] = participant.name;
  if (!participant.engine.empty()) {
    json["engine"] = participant.engine;
    json["seed"] = participant.seed;
  }
  return json;
}

Json IssueJson(const model::Issue& issue) {
  Json json{
      {"id", issue.id}, {"name", issue.DisplayName()}, {"kind", model::IssueKindName(issue.kind)}};
  if (!issue.description.empty()) json["description"] = issue.description;
  if (!issue.unit.empty()) json["unit"] = issue.unit;
  if (issue.NumOptions() <= kMaxListedOptions) {
    Json options = Json::array();
    Json option_names = Json::array();
    for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
      options.push_back(issue.OptionLabel(option));
      option_names.push_back(issue.OptionDisplayName(option));
    }
    json["options"] = std::move(options);
    json["option_names"] = std::move(option_names);
  }
  if (issue.kind == model::IssueKind::kInteger) {
    json["lower"] = issue.integer_lower;
    json["upper"] = issue.integer_upper;
  } else if (issue.kind == model::IssueKind::kReal) {
    json["lower"] = issue.real_lower;
    json["upper"] = issue.real_upper;
    json["step"] = issue.real_step;
  }
  return json;
}

// What anyone in the room may know of the scenario: issues and who takes part, no preferences.
Json PublicScenarioJson(const model::Scenario& scenario) {
  Json issues = Json::array();
  for (const model::Issue& issue : scenario.issues) issues.push_back(IssueJson(issue));
  Json parties = Json::array();
  for (const model::Party& party : scenario.parties) {
    if (!party.enabled) continue;
    parties.push_back(
        Json{{"id", party.id}, {"name", party.name}, {"role", model::RoleName(party.role)}});
  }
  Json json{{"name", scenario.name}, {"title", scenario.meta.title}};
  if (!scenario.meta.banner.empty()) json["banner"] = scenario.meta.banner;
  json["issues"] = std::move(issues);
  json["parties"] = std::move(parties);
  // The phases in words, so a phase announcement or the current phase reads by its label.
  Json phases = Json::array();
  for (const model::Phase& phase : scenario.phases) {
    Json phase_issues = Json::array();
    for (std::size_t issue_idx : phase.issue_indices) {
      phase_issues.push_back(scenario.issues[issue_idx].id);
    }
    Json entry{{"id", phase.id}, {"label", phase.label}, {"issues", std::move(phase_issues)}};
    if (!phase.description.empty()) entry["description"] = phase.description;
    phases.push_back(std::move(entry));
  }
  json["phases"] = std::move(phases);
  return json;
}

Json ClausesJson(const Room& room, const model::Outcome* outcome,
                 const std::vector<std::size_t>* only) {
  Json clauses = Json::array();
  for (std::size_t issue_idx = 0; issue_idx < room.scenario.issues.size(); ++issue_idx) {
    if (only != nullptr && std::find(only->begin(), only->end(), issue_idx) == only->end()) {
      continue;
    }
    const model::Issue& issue = room.scenario.issues[issue_idx];
    Json clause{{"issue", issue.id}, {"status", ClauseStatusName(room.clause_status[issue_idx])}};
    if (outcome != nullptr) clause["option"] = issue.OptionLabel((*outcome)[issue_idx]);
    if (!room.clause_note[issue_idx].empty()) clause["note"] = room.clause_note[issue_idx];
    clauses.push_back(std::move(clause));
  }
  return clauses;
}

Json ResponseJson(const Room& room, const TextResponse& response, const Participant& viewer) {
  Json clauses = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < response.clauses.size(); ++issue_idx) {
    clauses[room.scenario.issues[issue_idx].id] = response.clauses[issue_idx] ? "accept" : "reject";
  }
  const bool mediator = viewer.role == Role::kMediator;
  Json json{{"seq", room.ViewerSeq(viewer, response.seq)},
            {"party", response.party},
            {"version", response.version},
            {"accept", response.accept},
            {"clauses", std::move(clauses)},
            {"at_ms", response.at_ms},
            {"round", mediator ? response.round : response.side_round}};
  if (!response.note.empty()) json["note"] = response.note;
  return json;
}

Json ProposalJson(const Room& room, const Proposal& proposal, const Participant& viewer) {
  const bool mediator = viewer.role == Role::kMediator;
  Json json{{"seq", room.ViewerSeq(viewer, proposal.seq)},
            {"party", proposal.party},
            {"outcome", io::OutcomeJson(room.scenario, proposal.outcome)},
            {"at_ms", proposal.at_ms},
            {"round", mediator ? proposal.round : proposal.side_round}};
  if (!proposal.note.empty()) json["note"] = proposal.note;
  return json;
}

Json EventJsonFor(const Participant& viewer, const Event& event, std::int64_t seq, int round) {
  Json json{{"seq", seq},           {"at_ms", event.at_ms}, {"type", event.type},
            {"actor", event.actor}, {"round", round},       {"body", event.body}};
  // Whom else a message reached is not the reader's business, unless it went to everyone or the
  // reader sent it.
  const bool to_everyone =
      std::find(event.audience.begin(), event.audience.end(), "all") != event.audience.end();
  const bool protocol_message =
      event.type == "proposal" || event.type == "response" || event.type == "move";
  const bool addressed =
      event.type == "text_relayed" || (event.type == "message" && event.actor == "m") ||
      (protocol_message && !to_everyone && event.body.value("party", "") != viewer.party);
  if (viewer.role != Role::kMediator && addressed && event.body.contains("to")) {
    Json mine = Json::array();
    for (const Json& recipient : event.body.at("to")) {
      if ((viewer.role == Role::kPrincipal && recipient == viewer.party) ||
          (viewer.role == Role::kMember && recipient == "group:" + viewer.group)) {
        mine.push_back(recipient);
      }
    }
    json["body"]["to"] = std::move(mine);
  }
  return json;
}

Json RoomSummaryJsonFor(const Room& room, const Participant& viewer) {
  Json json = RoomSummaryJson(room);
  if (viewer.role != Role::kMediator) {
    json["round"] = room.RoundFor(viewer);
    json.erase("participants");
  }
  return json;
}

Json RoomSummaryJson(const Room& room) {
  return Json{{"id", room.id},
              {"title", room.title},
              {"status", room.status},
              {"protocol", room.protocol},
              {"scenario", room.scenario.name},
              {"created_ms", room.created_ms},
              {"round", room.round},
              {"max_rounds", room.max_rounds},
              {"participants", room.participants.size()}};
}

Json PreferencesJson(const Room& room, std::size_t party_idx) {
  const model::Party& party = room.scenario.parties[party_idx];
  Json json{{"party", party.id},
            {"source", room.submitted_preferences.count(party.id) ? "submitted" : "scenario"}};
  const model::Preferences& preferences = *party.preferences;
  json["reservation"] = preferences.ReservationOrZero();
  json["kind"] = preferences.utility->Kind();
  if (const auto* additive =
          dynamic_cast<const model::AdditiveUtility*>(preferences.utility.get())) {
    Json weights = Json::object();
    Json values = Json::object();
    for (std::size_t issue_idx = 0; issue_idx < room.scenario.issues.size(); ++issue_idx) {
      const model::Issue& issue = room.scenario.issues[issue_idx];
      weights[issue.id] = additive->weights()[issue_idx];
      if (issue.NumOptions() > kMaxListedOptions) continue;
      Json issue_values = Json::object();
      for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
        issue_values[issue.OptionLabel(option)] = additive->values()[issue_idx].table[option];
      }
      values[issue.id] = std::move(issue_values);
    }
    json["offset"] = additive->offset();
    json["weights"] = std::move(weights);
    json["values"] = std::move(values);
  }
  Json red_lines = Json::array();
  for (const model::RedLine& red_line : preferences.red_lines) {
    red_lines.push_back(red_line.description.empty() ? red_line.text : red_line.description);
  }
  json["red_lines"] = std::move(red_lines);
  return json;
}

ApiResult<std::int64_t> QueryInt(const Request& request, const std::string& name,
                                 std::int64_t fallback) {
  auto it = request.query.find(name);
  if (it == request.query.end()) return fallback;
  std::int64_t value = 0;
  const std::string& text = it->second;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return ApiError{ErrorKind::kBadRequest,
                    "query parameter '" + name + "' must be an integer, got '" + text + "'"};
  }
  return value;
}

namespace {

// The latest text relayed to anyone (drafts stay the mediator's).
const Text* LatestRelayedText(const Room& room) {
  for (auto it = room.texts.rbegin(); it != room.texts.rend(); ++it) {
    if (!it->relayed_to.empty()) return &*it;
  }
  return nullptr;
}

}  // namespace

Json GroupJson(const Room& room, const Group& group, const Participant& viewer) {
  Json issues = Json::array();
  for (std::size_t issue_idx : group.issues) issues.push_back(room.scenario.issues[issue_idx].id);
  Json members = Json::array();
  for (const Participant& participant : room.participants) {
    if (participant.role == Role::kMember && participant.group == group.id) {
      members.push_back(ParticipantJson(participant));
    }
  }
  const Text* relayed = viewer.role == Role::kMediator ? LatestRelayedText(room)
                                                       : room.TextForSide(Room::SideOf(viewer));
  const model::Outcome* draft = relayed == nullptr ? nullptr : &relayed->outcome;
  return Json{{"id", group.id},
              {"name", group.name},
              {"issues", std::move(issues)},
              {"members", std::move(members)},
              {"clauses", ClausesJson(room, draft, &group.issues)}};
}

namespace {

Json TextForPrincipal(const Room& room, const Text& text, const Participant& viewer) {
  const std::string& party = viewer.party;
  Json json{{"version", text.version},
            {"outcome", io::OutcomeJson(room.scenario, text.outcome)},
            {"clauses", ClausesJson(room, &text.outcome)},
            {"at_ms", text.at_ms}};
  for (const TextResponse& response : room.responses) {
    if (response.party == party && response.version == text.version) {
      json["my_response"] = ResponseJson(room, response, viewer);
    }
  }
  return json;
}

Json TextForMediator(const Room& room, const Text& text, const Participant& viewer) {
  Json responses = Json::object();
  for (const TextResponse& response : room.responses) {
    if (response.version == text.version) {
      responses[response.party] = ResponseJson(room, response, viewer);
    }
  }
  Json json{{"version", text.version},
            {"outcome", io::OutcomeJson(room.scenario, text.outcome)},
            {"clauses", ClausesJson(room, &text.outcome)},
            {"relayed_to",
             Json(std::vector<std::string>(text.relayed_to.begin(), text.relayed_to.end()))},
            {"responses", std::move(responses)},
            {"at_ms", text.at_ms}};
  if (!text.note.empty()) json["note"] = text.note;
  return json;
}

}  // namespace

Json TextsJson(const Room& room, const Participant& viewer) {
  Json texts = Json::array();
  if (viewer.role == Role::kMediator) {
    for (const Text& text : room.texts) texts.push_back(TextForMediator(room, text, viewer));
  } else if (viewer.role == Role::kPrincipal) {
    for (const Text& text : room.texts) {
      if (text.relayed_to.count(viewer.party)) {
        texts.push_back(TextForPrincipal(room, text, viewer));
      }
    }
  } else if (viewer.role == Role::kMember) {
    const Group* group = room.FindGroup(viewer.group);
    if (const Text* text = room.TextForSide(Room::SideOf(viewer));
        text != nullptr && group != nullptr) {
      texts.push_back(Json{{"version", text->version},
                           {"clauses", ClausesJson(room, &text->outcome, &group->issues)}});
    }
  }
  return Json{{"texts", std::move(texts)}};
}

namespace {

// The issues `request` says are settled, with their options spelled as in outcomes.
Json SettledJson(const model::Scenario& scenario, const protocols::Request& request) {
  Json settled = Json::object();
  if (request.fixed_outcome.size() != scenario.issues.size()) return settled;
  Json outcome = io::OutcomeJson(scenario, request.fixed_outcome);
  for (std::size_t issue_idx = 0; issue_idx < request.fixed_issues.size(); ++issue_idx) {
    if (!request.fixed_issues[issue_idx]) continue;
    const std::string& id = scenario.issues[issue_idx].id;
    settled[id] = outcome[id];
  }
  return settled;
}

}  // namespace

Json RequestJson(const Room& room, const session::PendingAsk& pending) {
  const model::Scenario& scenario = room.scenario;
  const protocols::Request& request = pending.request;
  Json allowed = Json::array();
  for (protocols::ActionType type : request.allowed)
    allowed.push_back(protocols::ActionTypeName(type));
  Json may_address = Json::array();
  for (std::size_t party : request.may_address) may_address.push_back(scenario.parties[party].id);
  Json json{{"ask", pending.ask},
            {"party", scenario.parties[pending.party].id},
            {"allowed", std::move(allowed)},
            {"fallback", protocols::ActionTypeName(request.fallback)},
            {"may_address", std::move(may_address)}};
  if (request.standing_offer) {
    json["standing_offer"] = io::OutcomeJson(scenario, *request.standing_offer);
    if (request.standing_offer_from) {
      json["standing_offer_from"] = scenario.parties[*request.standing_offer_from].id;
    }
    // The text version it is, when the standing offer is the text last relayed to the party.
    if (const Text* text = room.LatestTextFor(scenario.parties[pending.party].id);
        text != nullptr && text->outcome == *request.standing_offer) {
      json["standing_text_version"] = text->version;
    }
  } else {
    json["standing_offer"] = nullptr;
  }
  json["settled"] = SettledJson(scenario, request);
  Json open_issues = Json::array();
  for (std::size_t issue_idx : request.open_issues)
    open_issues.push_back(scenario.issues[issue_idx].id);
  json["open_issues"] = std::move(open_issues);
  if (request.stage_clock) {
    json["stage_clock"] = Json{{"round", request.stage_clock->round},
                               {"max_rounds", request.stage_clock->max_rounds}};
  }
  return json;
}

namespace {

std::string_view MediationOf(const Room& room) {
  if (room.descriptor == nullptr) return "required";
  return protocols::MediationName(room.descriptor->mediation);
}

// What everyone in the room may know of its protocol: the spec, whether the talks started (and
// who has no seat yet), the current phase and what earlier phases settled (the protocol
// announces both to every party), and, for a reader who takes part, its own clock.
Json ProtocolJson(const Room& room, const Participant& viewer) {
  Json json{{"spec", room.protocol},
            {"name", room.descriptor != nullptr ? room.descriptor->name : room.protocol},
            {"mediation", MediationOf(room)},
            {"legacy", room.legacy},
            {"started", room.talks_state.started}};
  if (!room.talks_state.started && !room.legacy) json["waiting_for"] = room.UnseatedPrincipals();
  if (!room.broken.empty()) json["stopped"] = room.broken;
  Json phase = nullptr;
  Json settled = Json::object();
  if (const std::optional<session::PendingAsk>& latest = room.talks_state.latest) {
    const protocols::Request& request = latest->request;
    settled = SettledJson(room.scenario, request);
    if (!request.open_issues.empty()) {
      std::vector<std::size_t> open = request.open_issues;
      std::sort(open.begin(), open.end());
      const std::vector<std::vector<std::size_t>> phases = protocols::PhaseIssues(room.scenario);
      for (std::size_t phase_idx = 0; phase_idx < phases.size(); ++phase_idx) {
        std::vector<std::size_t> issues = phases[phase_idx];
        std::sort(issues.begin(), issues.end());
        if (issues != open) continue;
        Json issue_ids = Json::array();
        for (std::size_t issue_idx : phases[phase_idx]) {
          issue_ids.push_back(room.scenario.issues[issue_idx].id);
        }
        phase = Json{{"number", phase_idx + 1}, {"count", phases.size()}, {"issues", issue_ids}};
        if (phase_idx < room.scenario.phases.size()) {
          phase["id"] = room.scenario.phases[phase_idx].id;
          phase["label"] = room.scenario.phases[phase_idx].label;
        }
      }
    }
  }
  json["phase"] = std::move(phase);
  json["settled"] = std::move(settled);
  std::optional<std::size_t> party = room.PartyOf(viewer);
  if (viewer.role == Role::kMediator && !party && room.mediator_party) party = room.mediator_party;
  if (party) {
    auto clock = room.talks_state.clocks.find(*party);
    if (clock != room.talks_state.clocks.end()) {
      json["round"] = clock->second.round;
      json["max_rounds"] = clock->second.max_rounds;
    }
  }
  return json;
}

}  // namespace

Json RoomViewJson(const Room& room, const Participant& viewer) {
  Json json = RoomSummaryJsonFor(room, viewer);
  json["you"] = ParticipantJson(viewer);
  json["scenario"] = PublicScenarioJson(room.scenario);
  json["end_reason"] = room.end_reason;
  if (room.agreement) {
    json["agreement"] = Json{{"outcome", io::OutcomeJson(room.scenario, *room.agreement)}};
    if (room.agreed_version) json["agreement"]["version"] = *room.agreed_version;
  } else {
    json["agreement"] = nullptr;
  }
  json["clauses"] = ClausesJson(room, nullptr);
  json["protocol"] = ProtocolJson(room, viewer);
  // What the protocol asks of the reader now: the mediator sees every person's open asks, a
  // principal its own (and whether an answer of its own waits to be taken), others nothing.
  if (viewer.role == Role::kMediator || viewer.role == Role::kPrincipal) {
    std::optional<std::size_t> party = room.PartyOf(viewer);
    Json awaiting = Json::array();
    for (const session::PendingAsk& pending : room.talks_state.awaiting) {
      if (viewer.role == Role::kMediator || (party && pending.party == *party)) {
        awaiting.push_back(RequestJson(room, pending));
      }
    }
    json["awaiting"] = std::move(awaiting);
    Json answered = Json::array();
    for (const auto& [ask, pending_party] : room.talks_state.pending) {
      if (viewer.role == Role::kMediator || (party && pending_party == *party)) {
        answered.push_back(Json{{"ask", ask}, {"party", room.scenario.parties[pending_party].id}});
      }
    }
    json["answered"] = std::move(answered);
  }
  switch (viewer.role) {
    case Role::kChair: {
      Json participants = Json::array();
      for (const Participant& participant : room.participants) {
        participants.push_back(ParticipantJson(participant));
      }
      json["participants"] = std::move(participants);
      Json principals = Json::array();
      for (std::size_t principal : room.principals) {
        principals.push_back(room.scenario.parties[principal].id);
      }
      json["principals"] = std::move(principals);
      break;
    }
    case Role::kMediator: {
      Json participants = Json::array();
      for (const Participant& participant : room.participants) {
        participants.push_back(ParticipantJson(participant));
      }
      json["participants"] = std::move(participants);
      json["texts"] = TextsJson(room, viewer)["texts"];
      Json proposals = Json::array();
      for (const Proposal& proposal : room.proposals)
        proposals.push_back(ProposalJson(room, proposal, viewer));
      json["proposals"] = std::move(proposals);
      Json latest = Json::object();
      for (std::size_t principal : room.principals) {
        const std::string& id = room.scenario.parties[principal].id;
        if (const Proposal* proposal = room.LatestProposalOf(id)) {
          latest[id] = ProposalJson(room, *proposal, viewer);
        }
      }
      json["latest_positions"] = std::move(latest);
      Json groups = Json::array();
      for (const Group& group : room.groups) groups.push_back(GroupJson(room, group, viewer));
      json["groups"] = std::move(groups);
      Json refused = Json::array();
      for (const RefusedEvent& event : room.refused) {
        refused.push_back(Json{{"seq", event.seq},
                               {"type", event.type},
                               {"actor", event.actor},
                               {"reason", event.reason}});
      }
      json["refused_events"] = std::move(refused);
      Json principals = Json::array();
      for (std::size_t principal : room.principals) {
        principals.push_back(room.scenario.parties[principal].id);
      }
      json["principals"] = std::move(principals);
      break;
    }
    case Role::kPrincipal: {
      const Text* text = room.LatestTextFor(viewer.party);
      json["current_text"] =
          text == nullptr ? Json(nullptr) : TextForPrincipal(room, *text, viewer);
      Json proposals = Json::array();
      for (const Proposal& proposal : room.proposals) {
        if (proposal.party == viewer.party) {
          proposals.push_back(ProposalJson(room, proposal, viewer));
        }
      }
      json["my_proposals"] = std::move(proposals);
      Json responses = Json::array();
      for (const TextResponse& response : room.responses) {
        if (response.party == viewer.party) {
          responses.push_back(ResponseJson(room, response, viewer));
        }
      }
      json["my_responses"] = std::move(responses);
      break;
    }
    case Role::kMember: {
      if (const Group* group = room.FindGroup(viewer.group)) {
        json["group"] = GroupJson(room, *group, viewer);
      }
      break;
    }
    case Role::kObserver:
    case Role::kAdmin:
      break;
  }
  return json;
}

AnalysisSnapshot SnapshotForAnalysis(const Room& room) {
  AnalysisSnapshot snapshot;
  snapshot.scenario = room.scenario;
  snapshot.principals = room.principals;
  snapshot.preferences_version = room.preferences_version;
  for (const Text& text : room.texts) snapshot.texts.emplace_back(text.version, text.outcome);
  for (std::size_t party_idx : room.principals) {
    if (const Proposal* proposal = room.LatestProposalOf(room.scenario.parties[party_idx].id)) {
      snapshot.latest_positions.emplace_back(proposal->party, proposal->outcome);
    }
  }
  for (const auto& [party, preferences] : room.submitted_preferences) {
    snapshot.submitted_by.push_back(party);
  }
  return snapshot;
}

Json AnalysisJson(const AnalysisSnapshot& snapshot, Json base) {
  const model::Scenario& scenario = snapshot.scenario;
  auto utilities_of = [&](const model::Outcome& outcome) {
    Json values = Json::array();
    for (std::size_t party_idx : snapshot.principals) {
      values.push_back(scenario.parties[party_idx].preferences->utility->Evaluate(outcome));
    }
    return values;
  };
  Json texts = Json::array();
  for (const auto& [version, outcome] : snapshot.texts) {
    Json text{{"version", version}, {"utilities", utilities_of(outcome)}};
    text.update(EvaluationFlags(scenario, snapshot.principals, outcome));
    texts.push_back(std::move(text));
  }
  Json positions = Json::array();
  for (const auto& [party, outcome] : snapshot.latest_positions) {
    Json position{{"party", party}, {"utilities", utilities_of(outcome)}};
    position.update(EvaluationFlags(scenario, snapshot.principals, outcome));
    positions.push_back(std::move(position));
  }
  base["preferences_submitted_by"] = snapshot.submitted_by;
  base["preferences_version"] = snapshot.preferences_version;
  base["texts"] = std::move(texts);
  base["latest_positions"] = std::move(positions);
  return base;
}

namespace {

Json ProbabilityJson(const uncertainty::Probability& probability) {
  return Json{
      {"estimate", probability.estimate}, {"low", probability.low}, {"high", probability.high}};
}

// "Is a deal near?" from the principals' proposals so far (uncertainty::ForecastAgreement; the
// deadline is the room's maximum number of rounds); null before any proposal.
Json ForecastJson(const Room& room) {
  const model::Scenario& scenario = room.scenario;
  if (room.proposals.empty() || room.principals.size() < 2 || room.max_rounds < 1) return nullptr;
  model::Record record;
  record.deadline_round = room.max_rounds;
  for (const Proposal& proposal : room.proposals) {
    std::optional<std::size_t> party_idx = scenario.FindParty(proposal.party);
    if (!party_idx) continue;
    model::Observation observation;
    observation.party_idx = *party_idx;
    observation.round = std::min(proposal.round, room.max_rounds);
    observation.time = static_cast<double>(observation.round) / room.max_rounds;
    observation.options.assign(proposal.outcome.begin(), proposal.outcome.end());
    record.observations.push_back(std::move(observation));
  }
  uncertainty::ForecastOptions options;
  options.parties = room.principals;
  options.bootstrap = 100;
  Result<uncertainty::Forecast> forecast =
      uncertainty::ForecastAgreement(scenario, record, options);
  if (!forecast.ok()) return Json{{"error", forecast.status().message()}};
  Json trend = Json::object();
  for (const uncertainty::GapTrend& issue : forecast->issues) {
    trend[scenario.issues[*issue.issue_idx].id] = Json{{"slope", issue.trend.slope},
                                                       {"p_value", issue.trend.p_value},
                                                       {"narrowing", issue.narrowing}};
  }
  return Json{{"agreement_probability", ProbabilityJson(forecast->agreement_probability)},
              {"expected_round",
               forecast->expected_round ? Json(*forecast->expected_round) : Json(nullptr)},
              {"deadline_round", forecast->deadline_round},
              {"method", forecast->method},
              {"summary", forecast->summary},
              {"trend", Json{{"overall", Json{{"slope", forecast->overall.trend.slope},
                                              {"p_value", forecast->overall.trend.p_value},
                                              {"narrowing", forecast->overall.narrowing}}},
                             {"issues", std::move(trend)}}},
              {"warnings", forecast->warnings}};
}

}  // namespace

Json PaceJson(const Room& room) {
  const model::Scenario& scenario = room.scenario;
  Json gaps = Json::array();
  for (const GapPoint& point : room.gaps) {
    Json issues = Json::object();
    for (std::size_t issue_idx = 0; issue_idx < point.issues.size(); ++issue_idx) {
      issues[scenario.issues[issue_idx].id] = point.issues[issue_idx];
    }
    gaps.push_back(Json{{"at_ms", point.at_ms},
                        {"round", point.round},
                        {"issues", std::move(issues)},
                        {"overall", point.overall}});
  }
  Json concessions = Json::array();
  for (const Concession& concession : room.concessions) {
    concessions.push_back(Json{{"party", concession.party},
                               {"round", concession.round},
                               {"at_ms", concession.at_ms},
                               {"utility", concession.utility},
                               {"concession", concession.concession}});
  }
  std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  Json issue_movement = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    issue_movement[scenario.issues[issue_idx].id] =
        Json{{"last_movement_ms", room.issue_last_movement_ms[issue_idx]},
             {"seconds_since", (now - room.issue_last_movement_ms[issue_idx]) / 1000.0}};
  }
  return Json{{"now_ms", now},
              {"forecast", ForecastJson(room)},
              {"gaps", std::move(gaps)},
              {"concessions", std::move(concessions)},
              {"last_movement_ms", room.last_movement_ms},
              {"seconds_since_last_movement", (now - room.last_movement_ms) / 1000.0},
              {"issues", std::move(issue_movement)}};
}

}  // namespace parley::server::api
