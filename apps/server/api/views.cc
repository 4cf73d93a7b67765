#include "server/api/views.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "parley/analysis/analyze.h"
#include "parley/io/outcome_json.h"

namespace parley::server::api {
namespace {
constexpr std::size_t kMaxListedOptions = 1000;
constexpr std::size_t kMaxFrontierPoints = 400;
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
  Json json{{"id", issue.id}, {"name", issue.name}, {"kind", model::IssueKindName(issue.kind)}};
  if (!issue.description.empty()) json["description"] = issue.description;
  if (!issue.unit.empty()) json["unit"] = issue.unit;
  if (issue.NumOptions() <= kMaxListedOptions) {
    Json options = Json::array();
    for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
      options.push_back(issue.OptionLabel(option));
    }
    json["options"] = std::move(options);
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

Json ResponseJson(const Room& room, const TextResponse& response) {
  Json clauses = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < response.clauses.size(); ++issue_idx) {
    clauses[room.scenario.issues[issue_idx].id] = response.clauses[issue_idx] ? "accept" : "reject";
  }
  Json json{{"seq", response.seq},           {"party", response.party},
            {"version", response.version},   {"accept", response.accept},
            {"clauses", std::move(clauses)}, {"at_ms", response.at_ms},
            {"round", response.round}};
  if (!response.note.empty()) json["note"] = response.note;
  return json;
}

Json ProposalJson(const Room& room, const Proposal& proposal) {
  Json json{{"seq", proposal.seq},
            {"party", proposal.party},
            {"outcome", io::OutcomeJson(room.scenario, proposal.outcome)},
            {"at_ms", proposal.at_ms},
            {"round", proposal.round}};
  if (!proposal.note.empty()) json["note"] = proposal.note;
  return json;
}

Json EventJson(const Event& event) {
  return Json{{"seq", event.seq},     {"at_ms", event.at_ms}, {"type", event.type},
              {"actor", event.actor}, {"round", event.round}, {"body", event.body}};
}

Json EventJsonFor(const Participant& viewer, const Event& event) {
  Json json = EventJson(event);
  if (viewer.role == Role::kPrincipal && event.type == "text_relayed") {
    json["body"]["to"] = Json::array({viewer.party});
  }
  return json;
}

Json RoomSummaryJson(const Room& room) {
  return Json{{"id", room.id},
              {"title", room.title},
              {"status", room.status},
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

// The latest text relayed to anyone: what a working group works on (drafts stay the mediator's).
const Text* LatestRelayedText(const Room& room) {
  for (auto it = room.texts.rbegin(); it != room.texts.rend(); ++it) {
    if (!it->relayed_to.empty()) return &*it;
  }
  return nullptr;
}

}  // namespace

Json GroupJson(const Room& room, const Group& group) {
  Json issues = Json::array();
  for (std::size_t issue_idx : group.issues) issues.push_back(room.scenario.issues[issue_idx].id);
  Json members = Json::array();
  for (const Participant& participant : room.participants) {
    if (participant.role == Role::kMember && participant.group == group.id) {
      members.push_back(ParticipantJson(participant));
    }
  }
  const Text* relayed = LatestRelayedText(room);
  const model::Outcome* draft = relayed == nullptr ? nullptr : &relayed->outcome;
  return Json{{"id", group.id},
              {"name", group.name},
              {"issues", std::move(issues)},
              {"members", std::move(members)},
              {"clauses", ClausesJson(room, draft, &group.issues)}};
}

namespace {

Json TextForPrincipal(const Room& room, const Text& text, const std::string& party) {
  Json json{{"version", text.version},
            {"outcome", io::OutcomeJson(room.scenario, text.outcome)},
            {"clauses", ClausesJson(room, &text.outcome)},
            {"at_ms", text.at_ms}};
  for (const TextResponse& response : room.responses) {
    if (response.party == party && response.version == text.version) {
      json["my_response"] = ResponseJson(room, response);
    }
  }
  return json;
}

Json TextForMediator(const Room& room, const Text& text) {
  Json responses = Json::object();
  for (const TextResponse& response : room.responses) {
    if (response.version == text.version) responses[response.party] = ResponseJson(room, response);
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
    for (const Text& text : room.texts) texts.push_back(TextForMediator(room, text));
  } else if (viewer.role == Role::kPrincipal) {
    for (const Text& text : room.texts) {
      if (text.relayed_to.count(viewer.party)) {
        texts.push_back(TextForPrincipal(room, text, viewer.party));
      }
    }
  } else if (viewer.role == Role::kMember) {
    const Group* group = room.FindGroup(viewer.group);
    if (const Text* text = LatestRelayedText(room); text != nullptr && group != nullptr) {
      texts.push_back(Json{{"version", text->version},
                           {"clauses", ClausesJson(room, &text->outcome, &group->issues)}});
    }
  }
  return Json{{"texts", std::move(texts)}};
}

Json RoomViewJson(const Room& room, const Participant& viewer) {
  Json json = RoomSummaryJson(room);
  json["you"] = ParticipantJson(viewer);
  json["scenario"] = PublicScenarioJson(room.scenario);
  json["end_reason"] = room.end_reason;
  if (room.agreed_version) {
    const Text& text = room.texts[*room.agreed_version - 1];
    json["agreement"] =
        Json{{"version", text.version}, {"outcome", io::OutcomeJson(room.scenario, text.outcome)}};
  } else {
    json["agreement"] = nullptr;
  }
  json["clauses"] = ClausesJson(room, nullptr);
  switch (viewer.role) {
    case Role::kMediator: {
      Json participants = Json::array();
      for (const Participant& participant : room.participants) {
        participants.push_back(ParticipantJson(participant));
      }
      json["participants"] = std::move(participants);
      json["texts"] = TextsJson(room, viewer)["texts"];
      Json proposals = Json::array();
      for (const Proposal& proposal : room.proposals)
        proposals.push_back(ProposalJson(room, proposal));
      json["proposals"] = std::move(proposals);
      Json latest = Json::object();
      for (std::size_t principal : room.principals) {
        const std::string& id = room.scenario.parties[principal].id;
        if (const Proposal* proposal = room.LatestProposalOf(id)) {
          latest[id] = ProposalJson(room, *proposal);
        }
      }
      json["latest_positions"] = std::move(latest);
      Json groups = Json::array();
      for (const Group& group : room.groups) groups.push_back(GroupJson(room, group));
      json["groups"] = std::move(groups);
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
          text == nullptr ? Json(nullptr) : TextForPrincipal(room, *text, viewer.party);
      Json proposals = Json::array();
      for (const Proposal& proposal : room.proposals) {
        if (proposal.party == viewer.party) proposals.push_back(ProposalJson(room, proposal));
      }
      json["my_proposals"] = std::move(proposals);
      Json responses = Json::array();
      for (const TextResponse& response : room.responses) {
        if (response.party == viewer.party) responses.push_back(ResponseJson(room, response));
      }
      json["my_responses"] = std::move(responses);
      break;
    }
    case Role::kMember: {
      if (const Group* group = room.FindGroup(viewer.group))
        json["group"] = GroupJson(room, *group);
      break;
    }
    case Role::kObserver:
    case Role::kAdmin:
      break;
  }
  return json;
}

ApiResult<Json> AnalysisJson(Room& room) {
  const model::Scenario& scenario = room.scenario;
  analysis::AnalysisOptions options;
  options.parties = room.principals;
  Result<analysis::ScenarioAnalysis> result = analysis::AnalyzeScenario(scenario, options);
  if (!result.ok()) return ErrorFromStatus(result.status());
  const analysis::ScenarioAnalysis& analysis = *result;
  Json parties = Json::array();
  for (std::size_t party_idx : analysis.parties) parties.push_back(scenario.parties[party_idx].id);

  auto point_json = [&](const analysis::ParetoPoint& point) {
    return Json{{"utilities", point.utilities},
                {"outcome", io::OutcomeJson(scenario, point.outcome)}};
  };
  auto solution_json = [&](const analysis::SolutionPoint& solution) {
    if (!solution.defined || solution.points.empty()) {
      return Json{{"defined", false}, {"note", solution.note}};
    }
    Json json = point_json(solution.points.front());
    json["defined"] = true;
    return json;
  };
  Json frontier = Json::array();
  const std::vector<analysis::ParetoPoint>& points = analysis.pareto.points;
  std::size_t stride =
      std::max<std::size_t>(1, (points.size() + kMaxFrontierPoints - 1) / kMaxFrontierPoints);
  for (std::size_t point_idx = 0; point_idx < points.size(); point_idx += stride) {
    frontier.push_back(Json{{"utilities", points[point_idx].utilities}});
  }
  auto utilities_of = [&](const model::Outcome& outcome) {
    Json values = Json::array();
    for (std::size_t party_idx : analysis.parties) {
      values.push_back(scenario.parties[party_idx].preferences->utility->Evaluate(outcome));
    }
    return values;
  };
  Json texts = Json::array();
  for (const Text& text : room.texts) {
    texts.push_back(Json{{"version", text.version}, {"utilities", utilities_of(text.outcome)}});
  }
  Json positions = Json::array();
  for (std::size_t party_idx : analysis.parties) {
    if (const Proposal* proposal = room.LatestProposalOf(scenario.parties[party_idx].id)) {
      positions.push_back(
          Json{{"party", proposal->party}, {"utilities", utilities_of(proposal->outcome)}});
    }
  }
  Json conflicts = Json::array();
  for (const analysis::RedLineConflict& conflict : analysis.obstacles.conflicts) {
    conflicts.push_back(conflict.explanation);
  }
  Json binding = Json::array();
  for (const analysis::Constraint& constraint : analysis.obstacles.binding_at_nash) {
    binding.push_back(constraint.description);
  }
  Json ideal_gaps = Json::object();
  for (const analysis::IssueGap& gap : analysis.ideal_gaps.issues) {
    ideal_gaps[scenario.issues[gap.issue_idx].id] = gap.gap;
  }
  Json submitted = Json::array();
  for (const auto& [party, preferences] : room.submitted_preferences) submitted.push_back(party);
  return Json{
      {"parties", std::move(parties)},
      {"preferences_submitted_by", std::move(submitted)},
      {"reservation", analysis.solutions.disagreement},
      {"frontier", std::move(frontier)},
      {"frontier_size", points.size()},
      {"frontier_exact", analysis.pareto.exact},
      {"respect_red_lines", analysis.respect_red_lines},
      {"nash", solution_json(analysis.solutions.nash)},
      {"kalai_smorodinsky", solution_json(analysis.solutions.kalai_smorodinsky)},
      {"zopa", Json{{"count", analysis.zopa.count.ToString()},
                    {"fraction", analysis.zopa.fraction},
                    {"exact", analysis.zopa.exact},
                    {"empty", analysis.obstacles.zopa_empty}}},
      {"obstacles", Json{{"summary", analysis.obstacles.summary},
                         {"conflicts", std::move(conflicts)},
                         {"binding_at_nash", std::move(binding)}}},
      {"ideal_gaps", Json{{"overall", analysis.ideal_gaps.overall}, {"issues", ideal_gaps}}},
      {"texts", std::move(texts)},
      {"latest_positions", std::move(positions)}};
}

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
              {"gaps", std::move(gaps)},
              {"concessions", std::move(concessions)},
              {"last_movement_ms", room.last_movement_ms},
              {"seconds_since_last_movement", (now - room.last_movement_ms) / 1000.0},
              {"issues", std::move(issue_movement)}};
}

}  // namespace parley::server::api
