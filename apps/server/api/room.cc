#include "server/api/room.h"

#include <algorithm>

#include "parley/analysis/gaps.h"
#include "parley/io/outcome_json.h"
#include "parley/io/scenario_io.h"
#include "parley/session/trace_json.h"

namespace parley::server::api {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kMediator:
      return "mediator";
    case Role::kPrincipal:
      return "principal";
    case Role::kMember:
      return "member";
    case Role::kObserver:
      return "observer";
  }
  return "observer";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role role :
       {Role::kAdmin, Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver}) {
    if (RoleName(role) == text) return role;
  }
  return std::nullopt;
}

std::string_view ClauseStatusName(ClauseStatus status) {
  switch (status) {
    case ClauseStatus::kOpen:
      return "open";
    case ClauseStatus::kAgreedInPrinciple:
      return "agreed_in_principle";
    case ClauseStatus::kFinalised:
      return "finalised";
  }
  return "open";
}

std::optional<ClauseStatus> ParseClauseStatus(std::string_view text) {
  for (ClauseStatus status :
       {ClauseStatus::kOpen, ClauseStatus::kAgreedInPrinciple, ClauseStatus::kFinalised}) {
    if (ClauseStatusName(status) == text) return status;
  }
  return std::nullopt;
}

const Participant* Room::FindParticipant(const std::string& participant_id) const {
  for (const Participant& participant : participants) {
    if (participant.id == participant_id) return &participant;
  }
  return nullptr;
}

const Participant* Room::FindPrincipalParticipant(const std::string& party) const {
  for (const Participant& participant : participants) {
    if (participant.role == Role::kPrincipal && participant.party == party) return &participant;
  }
  return nullptr;
}

const Group* Room::FindGroup(const std::string& group_id) const {
  for (const Group& group : groups) {
    if (group.id == group_id) return &group;
  }
  return nullptr;
}

bool Room::IsPrincipal(const std::string& party) const {
  for (std::size_t party_idx : principals) {
    if (scenario.parties[party_idx].id == party) return true;
  }
  return false;
}

const Text* Room::LatestTextFor(const std::string& party) const {
  auto it = current_text.find(party);
  return it == current_text.end() ? nullptr : &texts[it->second.version - 1];
}

bool Room::AnsweredLatestText(const std::string& party) const {
  auto it = current_text.find(party);
  const TextResponse* response = LatestResponseOf(party);
  return it != current_text.end() && response != nullptr && response->seq > it->second.seq;
}

const Proposal* Room::LatestProposalOf(const std::string& party) const {
  for (auto it = proposals.rbegin(); it != proposals.rend(); ++it) {
    if (it->party == party) return &*it;
  }
  return nullptr;
}

const TextResponse* Room::LatestResponseOf(const std::string& party) const {
  for (auto it = responses.rbegin(); it != responses.rend(); ++it) {
    if (it->party == party) return &*it;
  }
  return nullptr;
}

Result<model::Scenario> ParseScenarioText(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    return io::ReadParleyJson(text, "scenario");
  }
  return io::ReadParleyYaml(text, "scenario");
}

Result<model::Preferences> BuildPreferences(const model::Scenario& base, std::size_t party_idx,
                                            const Json& body) {
  const model::Party& party = base.parties[party_idx];
  if (!party.preferences) {
    return InvalidInput("party '" + party.id + "' has no preferences in the scenario");
  }
  model::Preferences preferences = *party.preferences;
  if (body.contains("accept_scenario")) return preferences;
  const auto* additive = dynamic_cast<const model::AdditiveUtility*>(preferences.utility.get());
  if (additive == nullptr) {
    return Unsupported("party '" + party.id +
                       "' has non-additive preferences; only accept_scenario is possible");
  }
  std::vector<double> weights = additive->weights();
  std::vector<model::ValueFunction> values = additive->values();
  if (auto it = body.find("weights"); it != body.end()) {
    if (!it->is_object()) return InvalidInput("must be an object", Location::InField("weights"));
    for (auto weight = it->begin(); weight != it->end(); ++weight) {
      std::optional<std::size_t> issue_idx = base.FindIssue(weight.key());
      std::string field = "weights." + weight.key();
      if (!issue_idx) return InvalidInput("no such issue", Location::InField(field));
      if (!weight->is_number() || weight->get<double>() < 0 || weight->get<double>() > 1) {
        return InvalidInput("must be a number in [0, 1]", Location::InField(field));
      }
      weights[*issue_idx] = weight->get<double>();
    }
    double total = 0;
    for (double weight : weights) total += weight;
    double target = 1.0 - additive->offset();
    if (total <= 0) return InvalidInput("weights must not all be 0", Location::InField("weights"));
    for (double& weight : weights) weight *= target / total;
  }
  if (auto it = body.find("values"); it != body.end()) {
    if (!it->is_object()) return InvalidInput("must be an object", Location::InField("values"));
    for (auto issue_values = it->begin(); issue_values != it->end(); ++issue_values) {
      std::optional<std::size_t> issue_idx = base.FindIssue(issue_values.key());
      std::string field = "values." + issue_values.key();
      if (!issue_idx) return InvalidInput("no such issue", Location::InField(field));
      if (!issue_values->is_object()) {
        return InvalidInput("must be an object {option: value}", Location::InField(field));
      }
      const model::Issue& issue = base.issues[*issue_idx];
      model::ValueFunction function = values[*issue_idx];
      for (auto option = issue_values->begin(); option != issue_values->end(); ++option) {
        std::optional<std::uint64_t> option_idx = issue.FindOption(option.key());
        std::string option_field = field + "." + option.key();
        if (!option_idx) return InvalidInput("no such option", Location::InField(option_field));
        if (!option->is_number() || option->get<double>() < 0 || option->get<double>() > 1) {
          return InvalidInput("must be a number in [0, 1]", Location::InField(option_field));
        }
        function.table[*option_idx] = option->get<double>();
      }
      function.form = model::ValueFunctionForm::kTable;
      function.points.clear();
      if (issue.IsNumeric()) {
        for (std::size_t option_idx = 0; option_idx < function.table.size(); ++option_idx) {
          function.points.emplace_back(issue.NumericValue(option_idx), function.table[option_idx]);
        }
      }
      values[*issue_idx] = std::move(function);
    }
  }
  if (auto it = body.find("reservation"); it != body.end()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1) {
      return InvalidInput("must be a number in [0, 1]", Location::InField("reservation"));
    }
    preferences.reservation_value = it->get<double>();
    preferences.reservation_outcome.reset();
  }
  preferences.utility = std::make_shared<model::AdditiveUtility>(
      std::move(weights), std::move(values), additive->offset());
  return preferences;
}

namespace {

Status Bad(const Event& event, const std::string& message) {
  return Internal("event " + std::to_string(event.seq) + " (" + event.type + "): " + message);
}

Result<model::Outcome> EventOutcome(const Room& room, const Event& event, const char* field) {
  auto it = event.body.find(field);
  if (it == event.body.end()) return Bad(event, std::string("no ") + field);
  nlohmann::json plain = nlohmann::json::parse(it->dump());
  return session::OutcomeFromJson(room.scenario, plain, field);
}

Participant ParticipantFromJson(const Json& json) {
  Participant participant;
  participant.id = json.value("id", "");
  participant.role = ParseRole(json.value("role", "observer")).value_or(Role::kObserver);
  participant.party = json.value("party", "");
  participant.group = json.value("group", "");
  participant.name = json.value("name", "");
  participant.engine = json.value("engine", "");
  participant.seed = json.value("seed", std::uint64_t{0});
  return participant;
}

void RecordPace(Room& room, const Proposal& proposal) {
  const model::Scenario& scenario = room.scenario;
  const std::size_t party_idx = *scenario.FindParty(proposal.party);
  const Proposal* previous = nullptr;
  for (auto it = room.proposals.rbegin() + 1; it != room.proposals.rend(); ++it) {
    if (it->party == proposal.party) {
      previous = &*it;
      break;
    }
  }
  const model::UtilityFunction& utility = *scenario.parties[party_idx].preferences->utility;
  double now = utility.Evaluate(proposal.outcome);
  if (previous != nullptr) {
    room.concessions.push_back(Concession{proposal.party, proposal.round, proposal.at_ms, now,
                                          utility.Evaluate(previous->outcome) - now});
  } else {
    room.concessions.push_back(Concession{proposal.party, proposal.round, proposal.at_ms, now, 0});
  }
  bool moved = previous == nullptr;
  for (std::size_t issue_idx = 0; issue_idx < proposal.outcome.size(); ++issue_idx) {
    if (previous == nullptr || previous->outcome[issue_idx] != proposal.outcome[issue_idx]) {
      room.issue_last_movement_ms[issue_idx] = proposal.at_ms;
      moved = true;
    }
  }
  if (moved) room.last_movement_ms = proposal.at_ms;

  // Gap between the principals' latest proposals (mean over pairs).
  std::vector<std::pair<std::size_t, const Proposal*>> latest;
  for (std::size_t principal : room.principals) {
    if (const Proposal* last = room.LatestProposalOf(scenario.parties[principal].id)) {
      latest.emplace_back(principal, last);
    }
  }
  if (latest.size() < 2) return;
  GapPoint point;
  point.at_ms = proposal.at_ms;
  point.round = proposal.round;
  point.issues.assign(scenario.issues.size(), 0.0);
  int pairs = 0;
  for (std::size_t first = 0; first < latest.size(); ++first) {
    for (std::size_t second = first + 1; second < latest.size(); ++second) {
      analysis::Gaps gaps =
          analysis::ComputeOfferGaps(scenario, {latest[first].first, latest[second].first},
                                     latest[first].second->outcome, latest[second].second->outcome);
      for (const analysis::IssueGap& gap : gaps.issues) point.issues[gap.issue_idx] += gap.gap;
      point.overall += gaps.overall;
      ++pairs;
    }
  }
  for (double& gap : point.issues) gap /= pairs;
  point.overall /= pairs;
  room.gaps.push_back(std::move(point));
}

Status ApplyCreated(Room& room, const Event& event) {
  room.title = event.body.value("title", "");
  room.scenario_text = event.body.value("scenario", "");
  room.created_ms = event.at_ms;
  Result<model::Scenario> scenario = ParseScenarioText(room.scenario_text);
  if (!scenario.ok()) return Bad(event, scenario.status().ToString());
  room.original = *scenario;
  room.scenario = std::move(scenario).value();
  std::optional<std::size_t> mediator =
      room.scenario.FindParty(event.body.value("mediator_party", ""));
  if (!mediator) return Bad(event, "unknown mediator party");
  room.mediator_party = *mediator;
  room.principals = room.scenario.PrincipalIndices();
  room.max_rounds = event.body.value("rounds", 50);
  room.clause_status.assign(room.scenario.issues.size(), ClauseStatus::kOpen);
  room.clause_note.assign(room.scenario.issues.size(), "");
  room.issue_last_movement_ms.assign(room.scenario.issues.size(), event.at_ms);
  room.last_movement_ms = event.at_ms;
  room.participants.push_back(ParticipantFromJson(event.body.at("mediator")));
  return Status::Ok();
}

}  // namespace

Status Apply(Room& room, Event event) {
  if (event.seq != static_cast<std::int64_t>(room.log.size())) {
    return Bad(event, "out of sequence (expected " + std::to_string(room.log.size()) + ")");
  }
  event.round = room.round;
  const Json& body = event.body;
  const std::string& type = event.type;
  if (type != "room_created" && room.log.empty()) return Bad(event, "room not created first");
  if (type == "room_created") {
    PARLEY_RETURN_IF_ERROR(ApplyCreated(room, event));
  } else if (type == "participant_added") {
    room.participants.push_back(ParticipantFromJson(body.at("participant")));
  } else if (type == "preferences_submitted") {
    std::string party = body.value("party", "");
    std::optional<std::size_t> party_idx = room.original.FindParty(party);
    if (!party_idx) return Bad(event, "unknown party");
    Result<model::Preferences> preferences =
        BuildPreferences(room.original, *party_idx, body.at("preferences"));
    if (!preferences.ok()) return Bad(event, preferences.status().ToString());
    room.scenario.parties[*party_idx].preferences = std::move(preferences).value();
    room.submitted_preferences[party] = body.at("preferences");
    ++room.preferences_version;
  } else if (type == "proposal") {
    PARLEY_ASSIGN_OR_RETURN(model::Outcome outcome, EventOutcome(room, event, "outcome"));
    std::string party = body.value("party", "");
    if (!room.IsPrincipal(party)) return Bad(event, "not a principal");
    room.proposals.push_back(Proposal{event.seq, party, std::move(outcome), body.value("note", ""),
                                      event.at_ms, room.round});
    RecordPace(room, room.proposals.back());
  } else if (type == "text_drafted") {
    PARLEY_ASSIGN_OR_RETURN(model::Outcome outcome, EventOutcome(room, event, "outcome"));
    int version = body.value("version", 0);
    if (version != static_cast<int>(room.texts.size()) + 1) return Bad(event, "version");
    room.texts.push_back(
        Text{version, std::move(outcome), body.value("note", ""), event.at_ms, {}});
  } else if (type == "text_relayed") {
    int version = body.value("version", 0);
    if (version < 1 || version > static_cast<int>(room.texts.size())) {
      return Bad(event, "unknown version");
    }
    for (const auto& party : body.at("to")) {
      room.texts[version - 1].relayed_to.insert(party.get<std::string>());
      room.current_text[party.get<std::string>()] = Relay{version, event.seq};
    }
    ++room.round;
  } else if (type == "response") {
    TextResponse response;
    response.seq = event.seq;
    response.party = body.value("party", "");
    response.version = body.value("version", 0);
    response.accept = body.value("accept", false);
    response.note = body.value("note", "");
    response.at_ms = event.at_ms;
    response.round = room.round;
    response.clauses.assign(room.scenario.issues.size(), response.accept);
    if (auto clauses = body.find("clauses"); clauses != body.end()) {
      for (auto it = clauses->begin(); it != clauses->end(); ++it) {
        if (auto issue_idx = room.scenario.FindIssue(it.key())) {
          response.clauses[*issue_idx] = it.value() == "accept";
        }
      }
    }
    if (response.accept) room.last_movement_ms = event.at_ms;
    room.responses.push_back(std::move(response));
  } else if (type == "message") {
    // Messages change no state beyond the log.
  } else if (type == "group_created") {
    const Json& group_json = body.at("group");
    Group group{group_json.value("id", ""), group_json.value("name", ""), {}};
    for (const auto& issue : group_json.at("issues")) {
      std::optional<std::size_t> issue_idx = room.scenario.FindIssue(issue.get<std::string>());
      if (!issue_idx) return Bad(event, "unknown issue");
      group.issues.push_back(*issue_idx);
    }
    room.groups.push_back(std::move(group));
  } else if (type == "clause_status") {
    std::optional<std::size_t> issue_idx = room.scenario.FindIssue(body.value("issue", ""));
    std::optional<ClauseStatus> status = ParseClauseStatus(body.value("status", ""));
    if (!issue_idx || !status) return Bad(event, "bad clause");
    room.clause_status[*issue_idx] = *status;
    room.clause_note[*issue_idx] = body.value("note", "");
  } else if (type == "agreement") {
    room.status = "agreed";
    room.agreed_version = body.value("version", 0);
    room.end_reason = "agreement";
  } else if (type == "closed") {
    room.status = "closed";
    room.end_reason = body.value("reason", "closed by the mediator");
  } else {
    return Bad(event, "unknown event type");
  }
  room.log.push_back(std::move(event));
  return Status::Ok();
}

bool Visible(const Participant& viewer, const Event& event) {
  if (viewer.role == Role::kMediator) return true;
  for (const std::string& tag : event.audience) {
    if (tag == "all") return true;
    if (viewer.role == Role::kPrincipal && tag == "party:" + viewer.party) return true;
    if (viewer.role == Role::kMember && tag == "group:" + viewer.group) return true;
    if (tag == "participant:" + viewer.id) return true;
  }
  return false;
}

}  // namespace parley::server::api
