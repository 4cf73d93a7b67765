#include "server/api/room.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "parley/analysis/gaps.h"
#include "parley/io/outcome_json.h"
#include "parley/io/scenario_io.h"
#include "parley/session/replay.h"
#include "parley/session/trace_json.h"
#include "server/api/body.h"

namespace parley::server::api {
namespace {

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

}  // namespace

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
    case Role::kChair:
      return "chair";
  }
  return "observer";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role role : {Role::kAdmin, Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver,
                    Role::kChair}) {
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

Room::Room() = default;
Room::~Room() = default;

const Participant* Room::SeatOf(std::size_t party_idx) const {
  const std::string& party = scenario.parties[party_idx].id;
  const Participant* person = nullptr;
  for (const Participant& participant : participants) {
    if (participant.party != party || participant.role == Role::kMember) continue;
    if (!participant.engine.empty()) return &participant;  // an engine replaces the mediator
    if (participant.role == Role::kPrincipal || participant.role == Role::kMediator) {
      person = &participant;
    }
  }
  return person;
}

std::optional<std::size_t> Room::PartyOf(const Participant& participant) const {
  if (participant.party.empty() || !participant.engine.empty()) return std::nullopt;
  if (participant.role != Role::kPrincipal && participant.role != Role::kMediator) {
    return std::nullopt;
  }
  std::optional<std::size_t> party_idx = scenario.FindParty(participant.party);
  if (!party_idx) return std::nullopt;
  const Participant* seat = SeatOf(*party_idx);
  if (seat == nullptr || seat->id != participant.id) return std::nullopt;
  return party_idx;
}

Seats Room::CurrentSeats() const {
  Seats seats;
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    const model::Party& party = scenario.parties[party_idx];
    if (!party.enabled || party.role == model::Role::kObserver) continue;
    const Participant* seat = SeatOf(party_idx);
    if (seat == nullptr) continue;
    if (seat->engine.empty()) {
      seats.persons.insert(party_idx);
    } else {
      seats.engines[party_idx] = seat->engine;
    }
  }
  return seats;
}

std::vector<std::string> Room::UnseatedPrincipals() const {
  std::vector<std::string> unseated;
  for (std::size_t principal : principals) {
    if (SeatOf(principal) == nullptr) unseated.push_back(scenario.parties[principal].id);
  }
  return unseated;
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

std::string Room::SideOf(const Participant& viewer) {
  if (viewer.role == Role::kPrincipal || viewer.role == Role::kMember) return viewer.party;
  return "";
}

int Room::RoundFor(const Participant& viewer) const {
  if (viewer.role == Role::kMediator) return round;
  std::string side = SideOf(viewer);
  if (side.empty()) return relays_to_all;
  auto it = relays_to.find(side);
  return it == relays_to.end() ? 0 : it->second;
}

const Text* Room::TextForSide(const std::string& side) const {
  if (!side.empty()) return LatestTextFor(side);
  for (auto it = texts.rbegin(); it != texts.rend(); ++it) {
    bool everyone = !principals.empty();
    for (std::size_t principal : principals) {
      everyone = everyone && it->relayed_to.count(scenario.parties[principal].id) > 0;
    }
    if (everyone) return &*it;
  }
  return nullptr;
}

const std::vector<SeenEvent>* Room::SeenBy(const Participant& viewer) const {
  if (viewer.role == Role::kMediator) return nullptr;
  static const std::vector<SeenEvent> kNothing;
  auto it = seen.find(viewer.id);
  return it == seen.end() ? &kNothing : &it->second;
}

std::int64_t Room::ViewerSeq(const Participant& viewer, std::int64_t seq) const {
  const std::vector<SeenEvent>* list = SeenBy(viewer);
  if (list == nullptr) return seq;
  auto it = std::lower_bound(
      list->begin(), list->end(), seq,
      [](const SeenEvent& event, std::int64_t value) { return event.seq < value; });
  if (it == list->end() || it->seq != seq) return -1;
  return it - list->begin();
}

std::int64_t Room::LastViewerSeq(const Participant& viewer) const {
  const std::vector<SeenEvent>* list = SeenBy(viewer);
  if (list == nullptr) return static_cast<std::int64_t>(log.size()) - 1;
  return static_cast<std::int64_t>(list->size()) - 1;
}

Result<model::Scenario> ParseScenarioText(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    return io::ReadParleyJson(text, "scenario");
  }
  return io::ReadParleyYaml(text, "scenario");
}

namespace {

// The weights `weights` (an object {issue: weight}) gives, rescaled to add up to the scenario's
// total, into `weights`.
Status ReadWeights(const model::Scenario& base, const model::AdditiveUtility& additive,
                   const Json& given, std::vector<double>& weights) {
  if (!given.is_object()) return InvalidInput("must be an object", Location::InField("weights"));
  for (auto weight = given.begin(); weight != given.end(); ++weight) {
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
  double target = 1.0 - additive.offset();
  if (!(total >= kMinWeightTotal)) {
    return InvalidInput("the weights add up to " + FormatNumber(total) +
                            "; they are rescaled to add up to the scenario's total, so they "
                            "must add up to at least " +
                            FormatNumber(kMinWeightTotal) + " (give at least one real weight)",
                        Location::InField("weights"));
  }
  // Divide first: weight / total is at most 1, so the rescaled weight never overflows.
  for (double& weight : weights) weight = weight / total * target;
  return Status::Ok();
}

// One issue's values ({option: value}) over `function`, which becomes a table.
Status ReadIssueValues(const model::Issue& issue, const Json& given, const std::string& field,
                       model::ValueFunction& function) {
  if (!given.is_object()) {
    return InvalidInput("must be an object {option: value}", Location::InField(field));
  }
  for (auto option = given.begin(); option != given.end(); ++option) {
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
  return Status::Ok();
}

// The values `given` (an object {issue: {option: value}}) gives, into `values`.
Status ReadValues(const model::Scenario& base, const Json& given,
                  std::vector<model::ValueFunction>& values) {
  if (!given.is_object()) return InvalidInput("must be an object", Location::InField("values"));
  for (auto issue_values = given.begin(); issue_values != given.end(); ++issue_values) {
    std::optional<std::size_t> issue_idx = base.FindIssue(issue_values.key());
    std::string field = "values." + issue_values.key();
    if (!issue_idx) return InvalidInput("no such issue", Location::InField(field));
    model::ValueFunction function = values[*issue_idx];
    PARLEY_RETURN_IF_ERROR(
        ReadIssueValues(base.issues[*issue_idx], *issue_values, field, function));
    values[*issue_idx] = std::move(function);
  }
  return Status::Ok();
}

}  // namespace

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
    PARLEY_RETURN_IF_ERROR(ReadWeights(base, *additive, *it, weights));
  }
  if (auto it = body.find("values"); it != body.end()) {
    PARLEY_RETURN_IF_ERROR(ReadValues(base, *it, values));
  }
  if (auto it = body.find("reservation"); it != body.end()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1) {
      return InvalidInput("must be a number in [0, 1]", Location::InField("reservation"));
    }
    preferences.reservation_value = it->get<double>();
    preferences.reservation_outcome.reset();
  }
  for (std::size_t issue_idx = 0; issue_idx < weights.size(); ++issue_idx) {
    if (!std::isfinite(weights[issue_idx])) {
      return InvalidInput("the rescaled weight is not a finite number",
                          Location::InField("weights." + base.issues[issue_idx].id));
    }
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
  if (it == event.body.end() || !it->is_object()) return Bad(event, std::string("no ") + field);
  return io::OutcomeFromJson(room.scenario, *it, field);
}

// Whether a text_relayed event reached `side` (a principal id; "" for every principal).
bool RelayReaches(const Room& room, const Event& event, const std::string& side) {
  const Json& to = event.body.at("to");
  if (!side.empty()) {
    for (const Json& party : to) {
      if (party == side) return true;
    }
    return false;
  }
  for (std::size_t principal : room.principals) {
    bool reached = false;
    for (const Json& party : to) reached = reached || party == room.scenario.parties[principal].id;
    if (!reached) return false;
  }
  return !room.principals.empty();
}

// The events a participant added just now may see, numbered as it sees them.
std::vector<SeenEvent> SeenFromStart(const Room& room, const Participant& viewer) {
  std::vector<SeenEvent> list;
  const std::string side = Room::SideOf(viewer);
  int side_round = 0;
  for (const Event& event : room.log) {
    if (Visible(viewer, event)) list.push_back(SeenEvent{event.seq, side_round});
    if (event.type == "text_relayed" && RelayReaches(room, event, side)) ++side_round;
  }
  return list;
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
  // Rooms of servers before protocols ran in rooms name no protocol and always a mediator.
  room.legacy = !event.body.contains("protocol");
  if (room.legacy) {
    room.protocol = session::kLegacyLiveProtocol;
  } else {
    room.protocol = event.body.value("protocol", "");
    room.seed = event.body.value("seed", std::uint64_t{0});
    Result<protocols::ResolvedSpec<protocols::ProtocolDescriptor>> resolved =
        protocols::ProtocolRegistry::Global().Resolve(room.protocol);
    if (resolved.ok()) {
      room.descriptor = resolved->descriptor;
    } else {
      room.broken = "the room's protocol no longer resolves: " + resolved.status().message();
    }
  }
  if (event.body.contains("mediator_party")) {
    std::optional<std::size_t> mediator =
        room.scenario.FindParty(event.body.value("mediator_party", ""));
    if (!mediator) return Bad(event, "unknown mediator party");
    room.mediator_party = *mediator;
  } else if (room.legacy) {
    return Bad(event, "no mediator party");
  }
  room.principals = room.scenario.PrincipalIndices();
  room.max_rounds = event.body.value("rounds", 50);
  room.clause_status.assign(room.scenario.issues.size(), ClauseStatus::kOpen);
  room.clause_note.assign(room.scenario.issues.size(), "");
  room.issue_last_movement_ms.assign(room.scenario.issues.size(), event.at_ms);
  room.last_movement_ms = event.at_ms;
  const char* creator = event.body.contains("creator") ? "creator" : "mediator";
  if (!event.body.contains(creator)) return Bad(event, "no creator");
  room.participants.push_back(ParticipantFromJson(event.body.at(creator)));
  return Status::Ok();
}

// A text relayed or responded to, by outcome: the latest version with it (0 when none).
int VersionOf(const Room& room, const model::Outcome& outcome) {
  for (auto it = room.texts.rbegin(); it != room.texts.rend(); ++it) {
    if (it->outcome == outcome) return it->version;
  }
  return 0;
}

// The verdicts a response or answer gives clause by clause ({issue: "accept" | ...}), over
// `verdicts`; issues the scenario does not have are ignored.
void ReadClauses(const Room& room, const Json& clauses, std::vector<bool>& verdicts) {
  for (auto it = clauses.begin(); it != clauses.end(); ++it) {
    if (auto issue_idx = room.scenario.FindIssue(it.key())) {
      verdicts[*issue_idx] = it.value() == "accept";
    }
  }
}

Status ApplyPreferences(Room& room, const Event& event) {
  const Json& body = event.body;
  std::string party = body.value("party", "");
  std::optional<std::size_t> party_idx = room.original.FindParty(party);
  if (!party_idx) return Bad(event, "unknown party");
  Result<model::Preferences> preferences =
      BuildPreferences(room.original, *party_idx, body.at("preferences"));
  if (preferences.ok()) {
    room.scenario.parties[*party_idx].preferences = std::move(preferences).value();
    room.submitted_preferences[party] = body.at("preferences");
    ++room.preferences_version;
  } else {
    // Written by a server that validated less; the party keeps its previous preferences.
    room.refused.push_back(
        RefusedEvent{event.seq, event.type, event.actor,
                     "preferences of '" + party + "' refused: " + preferences.status().ToString()});
  }
  return Status::Ok();
}

Status ApplyProposal(Room& room, const Event& event) {
  const Json& body = event.body;
  PARLEY_ASSIGN_OR_RETURN(model::Outcome outcome, EventOutcome(room, event, "outcome"));
  std::string party = body.value("party", "");
  if (!room.IsPrincipal(party)) return Bad(event, "not a principal");
  room.proposals.push_back(Proposal{event.seq, party, std::move(outcome), body.value("note", ""),
                                    event.at_ms, room.round, room.relays_to[party]});
  RecordPace(room, room.proposals.back());
  return Status::Ok();
}

Status ApplyTextDrafted(Room& room, const Event& event) {
  PARLEY_ASSIGN_OR_RETURN(model::Outcome outcome, EventOutcome(room, event, "outcome"));
  int version = event.body.value("version", 0);
  if (version != static_cast<int>(room.texts.size()) + 1) return Bad(event, "version");
  room.texts.push_back(
      Text{version, std::move(outcome), event.body.value("note", ""), event.at_ms, {}});
  return Status::Ok();
}

Status ApplyTextRelayed(Room& room, const Event& event) {
  int version = event.body.value("version", 0);
  if (event.derived && version == static_cast<int>(room.texts.size()) + 1) {
    // A text an engine drafted: it becomes a version as it is relayed.
    PARLEY_ASSIGN_OR_RETURN(model::Outcome outcome, EventOutcome(room, event, "outcome"));
    room.texts.push_back(Text{version, std::move(outcome), "", event.at_ms, {}});
  }
  if (version < 1 || version > static_cast<int>(room.texts.size())) {
    return Bad(event, "unknown version");
  }
  for (const auto& party : event.body.at("to")) {
    room.texts[version - 1].relayed_to.insert(party.get<std::string>());
    room.current_text[party.get<std::string>()] = Relay{version, event.seq};
  }
  return Status::Ok();
}

void ApplyResponse(Room& room, const Event& event) {
  const Json& body = event.body;
  TextResponse response;
  response.seq = event.seq;
  response.party = body.value("party", "");
  response.version = body.value("version", 0);
  response.accept = body.value("accept", false);
  response.note = body.value("note", "");
  response.at_ms = event.at_ms;
  response.round = room.round;
  response.side_round = room.relays_to[response.party];
  response.clauses.assign(room.scenario.issues.size(), response.accept);
  if (auto clauses = body.find("clauses"); clauses != body.end()) {
    ReadClauses(room, *clauses, response.clauses);
  }
  if (response.accept) room.last_movement_ms = event.at_ms;
  room.responses.push_back(std::move(response));
}

// The session takes the answer (Service::Feed); its events keep what the action does not say.
void ApplyAnswer(Room& room, const Event& event) {
  const Json& body = event.body;
  AnswerDetail detail;
  detail.version = body.value("version", 0);
  detail.note = body.value("note", "");
  if (auto clauses = body.find("clauses"); clauses != body.end() && clauses->is_object()) {
    detail.clauses.assign(room.scenario.issues.size(), true);
    ReadClauses(room, *clauses, detail.clauses);
  }
  room.answer_details[body.value("ask", protocols::AskId{0})] = std::move(detail);
}

Status ApplyGroupCreated(Room& room, const Event& event) {
  const Json& group_json = event.body.at("group");
  Group group{group_json.value("id", ""), group_json.value("name", ""), {}};
  for (const auto& issue : group_json.at("issues")) {
    std::optional<std::size_t> issue_idx = room.scenario.FindIssue(issue.get<std::string>());
    if (!issue_idx) return Bad(event, "unknown issue");
    group.issues.push_back(*issue_idx);
  }
  room.groups.push_back(std::move(group));
  return Status::Ok();
}

Status ApplyClauseStatus(Room& room, const Event& event) {
  const Json& body = event.body;
  std::optional<std::size_t> issue_idx = room.scenario.FindIssue(body.value("issue", ""));
  std::optional<ClauseStatus> status = ParseClauseStatus(body.value("status", ""));
  if (!issue_idx || !status) return Bad(event, "bad clause");
  room.clause_status[*issue_idx] = *status;
  room.clause_note[*issue_idx] = body.value("note", "");
  return Status::Ok();
}

Status ApplyAgreement(Room& room, const Event& event) {
  const Json& body = event.body;
  room.status = "agreed";
  if (body.contains("version")) room.agreed_version = body.value("version", 0);
  if (body.contains("outcome")) {
    PARLEY_ASSIGN_OR_RETURN(room.agreement, EventOutcome(room, event, "outcome"));
  } else if (room.agreed_version && *room.agreed_version >= 1 &&
             *room.agreed_version <= static_cast<int>(room.texts.size())) {
    room.agreement = room.texts[*room.agreed_version - 1].outcome;
  }
  room.end_reason = "agreement";
  return Status::Ok();
}

// What `event` changes in the room's state. Errors: kInternal for an event that does not fit.
Status ApplyToState(Room& room, const Event& event) {
  const std::string& type = event.type;
  if (type == "room_created") return ApplyCreated(room, event);
  if (type == "participant_added") {
    room.participants.push_back(ParticipantFromJson(event.body.at("participant")));
    return Status::Ok();
  }
  if (type == "preferences_submitted") return ApplyPreferences(room, event);
  if (type == "proposal") return ApplyProposal(room, event);
  if (type == "text_drafted") return ApplyTextDrafted(room, event);
  if (type == "text_relayed") return ApplyTextRelayed(room, event);
  if (type == "response") {
    ApplyResponse(room, event);
    return Status::Ok();
  }
  if (type == "message" || type == "move" || type == "talks_started") {
    // Messages, the protocol's other moves and the talks' start change no state beyond the log.
    return Status::Ok();
  }
  if (type == "answer") {
    ApplyAnswer(room, event);
    return Status::Ok();
  }
  if (type == "group_created") return ApplyGroupCreated(room, event);
  if (type == "clause_status") return ApplyClauseStatus(room, event);
  if (type == "agreement") return ApplyAgreement(room, event);
  if (type == "access_changed") {
    // A token reissued or revoked (access.h): the service forgets the tokens; the room's state
    // does not change.
    return Status::Ok();
  }
  if (type == "closed") {
    room.status = "closed";
    room.closed_by_person = !event.derived;
    room.end_reason = event.body.value("reason", "closed by the mediator");
    return Status::Ok();
  }
  return Bad(event, "unknown event type");
}

// Appends an applied event to the log, to each reader's numbering (room.h; a new participant's
// list starts from the beginning) and, for a relayed text, to the relay counts and the round.
void AppendToLog(Room& room, Event event) {
  if (!event.derived) ++room.stored_events;
  room.log.push_back(std::move(event));
  const Event& applied = room.log.back();
  for (const Participant& viewer : room.participants) {
    if (viewer.role == Role::kMediator || !viewer.engine.empty()) continue;
    auto [it, inserted] = room.seen.try_emplace(viewer.id);
    if (inserted) {
      it->second = SeenFromStart(room, viewer);
    } else if (Visible(viewer, applied)) {
      it->second.push_back(SeenEvent{applied.seq, room.RoundFor(viewer)});
    }
  }
  if (applied.type == "text_relayed") {
    for (const auto& party : applied.body.at("to")) ++room.relays_to[party.get<std::string>()];
    if (RelayReaches(room, applied, "")) ++room.relays_to_all;
    ++room.round;
  }
}

}  // namespace

Status Apply(Room& room, Event event) {
  event.seq = static_cast<std::int64_t>(room.log.size());
  event.round = room.round;
  const std::string& type = event.type;
  if (type != "room_created" && room.log.empty()) return Bad(event, "room not created first");
  // What the protocol makes in a room that runs one is never stored (see room.h).
  const bool made_by_protocol = type == "proposal" || type == "text_relayed" ||
                                type == "response" || type == "agreement" || type == "move" ||
                                type == "talks_started";
  if (!event.derived && made_by_protocol && !room.legacy) {
    return Bad(event, "a protocol's event stored in a room that runs one");
  }
  PARLEY_RETURN_IF_ERROR(ApplyToState(room, event));
  AppendToLog(room, std::move(event));
  return Status::Ok();
}

namespace {

bool IsMediatorParty(const model::Scenario& scenario, std::size_t party) {
  return scenario.parties[party].role == model::Role::kMediator;
}

Json PartyIds(const model::Scenario& scenario, const std::vector<std::size_t>& parties) {
  Json ids = Json::array();
  for (std::size_t party : parties) ids.push_back(scenario.parties[party].id);
  return ids;
}

// The text a principal's accept, reject or vote answers: the one it names (the version last
// relayed to the party when that is the same outcome), else the one last relayed to the party.
const Text* RespondedText(const Room& room, const protocols::Message& message) {
  const Text* current = room.LatestTextFor(room.scenario.parties[message.sender].id);
  if (!message.outcome) return current;
  if (current != nullptr && current->outcome == *message.outcome) return current;
  const int version = VersionOf(room, *message.outcome);
  return version > 0 ? &room.texts[version - 1] : nullptr;
}

// The body of a principal's offer ("proposal").
Json ProposalBody(const Room& room, const protocols::Message& message, const std::string& note) {
  const model::Scenario& scenario = room.scenario;
  Json body = Json{{"party", scenario.parties[message.sender].id},
                   {"outcome", io::OutcomeJson(scenario, *message.outcome)},
                   {"to", PartyIds(scenario, message.recipients)}};
  if (!note.empty()) body["note"] = note;
  return body;
}

// The body of a mediator's text reaching principals ("text_relayed"): the version the person's
// answer names, else the latest version with that outcome, else a new version.
Json RelayBody(const Room& room, const protocols::Message& message, const AnswerDetail* detail,
               const std::vector<std::size_t>& principals_reached, const std::string& note) {
  const model::Scenario& scenario = room.scenario;
  int version = detail != nullptr && detail->version > 0 ? detail->version
                                                         : VersionOf(room, *message.outcome);
  if (version == 0) version = static_cast<int>(room.texts.size()) + 1;
  Json body = Json{{"version", version},
                   {"to", PartyIds(scenario, principals_reached)},
                   {"outcome", io::OutcomeJson(scenario, *message.outcome)}};
  if (!note.empty()) body["note"] = note;
  return body;
}

// The body of a principal's answer to a text ("response"), clause by clause.
Json ResponseBody(const Room& room, const protocols::Message& message, const AnswerDetail* detail,
                  const Text& responded, const std::string& note) {
  const model::Scenario& scenario = room.scenario;
  const bool accept = message.type == protocols::ActionType::kAccept ||
                      (message.type == protocols::ActionType::kVote && message.accept == true);
  Json clauses = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    bool clause =
        detail != nullptr && !detail->clauses.empty() ? detail->clauses[issue_idx] : accept;
    clauses[scenario.issues[issue_idx].id] = clause ? "accept" : "reject";
  }
  Json body = Json{{"party", scenario.parties[message.sender].id},
                   {"version", responded.version},
                   {"accept", accept},
                   {"clauses", std::move(clauses)},
                   {"outcome", io::OutcomeJson(scenario, responded.outcome)}};
  if (!note.empty()) body["note"] = note;
  return body;
}

// The body of any other message ("move").
Json MoveBody(const Room& room, const protocols::Message& message) {
  const model::Scenario& scenario = room.scenario;
  Json body = Json{{"party", scenario.parties[message.sender].id},
                   {"action", protocols::ActionTypeName(message.type)},
                   {"to", PartyIds(scenario, message.recipients)}};
  if (message.outcome) body["outcome"] = io::OutcomeJson(scenario, *message.outcome);
  if (message.accept) body["accept"] = *message.accept;
  if (message.value) body["value"] = *message.value;
  if (!message.text.empty()) body["text"] = message.text;
  return body;
}

// Audience: the principals it reaches (the sender among them); everyone when it reaches every
// principal and principals hear each other, or when it is the protocol's own notice.
std::vector<std::string> DerivedAudience(const Room& room, const protocols::Message& message,
                                         bool from_principal,
                                         const std::vector<std::size_t>& principals_reached) {
  const model::Scenario& scenario = room.scenario;
  const std::size_t sender = message.sender;
  bool everyone = !room.principals.empty();
  for (std::size_t principal : room.principals) {
    everyone = everyone && (principal == sender ||
                            std::find(message.recipients.begin(), message.recipients.end(),
                                      principal) != message.recipients.end());
  }
  const int mediators = room.mediator_party ? 1 : 0;
  const bool hear_each_other =
      room.descriptor == nullptr || !room.descriptor->PrincipalsHearOnlyMediators(mediators);
  if (everyone && (hear_each_other || message.type == protocols::ActionType::kPass)) {
    return {"all"};
  }
  std::vector<std::string> audience;
  if (from_principal) audience.push_back("party:" + scenario.parties[sender].id);
  for (std::size_t principal : principals_reached) {
    if (principal != sender) audience.push_back("party:" + scenario.parties[principal].id);
  }
  return audience;
}

bool IsOfferOrRelay(const protocols::Message& message) {
  return message.type == protocols::ActionType::kOffer ||
         message.type == protocols::ActionType::kRelay;
}

bool IsAnswer(const protocols::Message& message) {
  return message.type == protocols::ActionType::kAccept ||
         message.type == protocols::ActionType::kReject ||
         message.type == protocols::ActionType::kVote;
}

// The event a message of the room's session becomes; `detail` is the person's answer it carries
// out, if it is one.
Event DerivedEvent(const Room& room, const protocols::Message& message, const AnswerDetail* detail,
                   std::int64_t at_ms) {
  const model::Scenario& scenario = room.scenario;
  const std::size_t sender = message.sender;
  const bool from_principal = room.IsPrincipal(scenario.parties[sender].id);
  std::vector<std::size_t> principals_reached;
  bool reaches_mediator = false;
  for (std::size_t recipient : message.recipients) {
    if (room.IsPrincipal(scenario.parties[recipient].id)) principals_reached.push_back(recipient);
    if (IsMediatorParty(scenario, recipient)) reaches_mediator = true;
  }
  Event event;
  event.derived = true;
  event.at_ms = at_ms;
  const Participant* seat = room.SeatOf(sender);
  // The protocol's own notices (a phase's result) are sent as passes in a party's name.
  if (seat != nullptr && message.type != protocols::ActionType::kPass) event.actor = seat->id;
  const std::string note = detail != nullptr && !detail->note.empty() ? detail->note : message.text;
  if (from_principal && message.type == protocols::ActionType::kOffer && message.outcome) {
    event.type = "proposal";
    event.body = ProposalBody(room, message, note);
  } else if (!from_principal && IsMediatorParty(scenario, sender) && message.outcome &&
             IsOfferOrRelay(message) && !principals_reached.empty()) {
    event.type = "text_relayed";
    event.body = RelayBody(room, message, detail, principals_reached, note);
  } else if (from_principal && reaches_mediator && IsAnswer(message) &&
             RespondedText(room, message) != nullptr) {
    // A response names the text it answers, or (a rejection, as shuttle sends it) answers the
    // text last relayed to the party.
    event.type = "response";
    event.body = ResponseBody(room, message, detail, *RespondedText(room, message), note);
  } else {
    event.type = "move";
    event.body = MoveBody(room, message);
  }
  event.audience = DerivedAudience(room, message, from_principal, principals_reached);
  return event;
}

void PublishTalks(Room& room) {
  Talks& talks = *room.talks;
  TalksState& state = room.talks_state;
  state.awaiting = talks.Awaiting();
  state.latest = talks.LatestAsk();
  state.pending = talks.Pending();
  for (std::size_t party_idx = 0; party_idx < room.scenario.parties.size(); ++party_idx) {
    if (talks.TakesPart(party_idx)) state.clocks[party_idx] = talks.ClockOf(party_idx);
  }
  const std::vector<session::RecordedAnswer>& answers = talks.Answers();
  state.answers.insert(state.answers.end(),
                       answers.begin() + static_cast<std::ptrdiff_t>(state.answers.size()),
                       answers.end());
}

}  // namespace

void ApplyTalks(Room& room, std::vector<TalksItem> items, std::int64_t at_ms) {
  if (!room.talks) return;
  std::optional<session::PendingAsk> taking;  // the answer the next messages carry out
  for (TalksItem& item : items) {
    if (item.answer) {
      taking = std::move(item.asked);
      continue;
    }
    const AnswerDetail* detail = nullptr;
    if (taking && taking->party == item.message.sender) {
      auto it = room.answer_details.find(taking->ask);
      if (it != room.answer_details.end()) detail = &it->second;
    }
    Status applied = Apply(room, DerivedEvent(room, item.message, detail, at_ms));
    PARLEY_CHECK(applied.ok());  // made from the session's own messages, which fit the scenario
  }
  if (room.open() && room.talks->Finished()) {
    if (const session::SessionResult* result = room.talks->Outcome()) {
      Event end;
      end.derived = true;
      end.at_ms = at_ms;
      end.audience = {"all"};
      if (result->agreement && result->outcome) {
        end.type = "agreement";
        end.body = Json{{"outcome", io::OutcomeJson(room.scenario, *result->outcome)},
                        {"parties", PartyIds(room.scenario, result->agreeing_parties)}};
        if (int version = VersionOf(room, *result->outcome); version > 0) {
          end.body["version"] = version;
        }
      } else {
        end.type = "closed";
        end.body = Json{{"reason", result->end_reason}};
        if (result->blocked_by) {
          end.body["blocked_by"] = room.scenario.parties[*result->blocked_by].id;
        }
      }
      Status applied = Apply(room, std::move(end));
      PARLEY_CHECK(applied.ok());
    }
  }
  PublishTalks(room);
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
