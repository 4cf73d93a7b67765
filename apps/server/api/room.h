// A live room: the state of one mediated negotiation, rebuilt from its event log.
//
// Apply() is the only place a room's state changes: the service validates a request, turns it
// into an event, commits the event to the store and then applies it; on start the service
// applies every stored event in order. So what a client saw acknowledged is exactly what a
// restarted server rebuilds.
//
// Every event names its audience: "all", "party:<principal id>", "group:<working group id>" or
// "participant:<participant id>". The mediator sees every event of its room; anyone else sees an
// event only when a tag names them (Visible). A principal is never named on another principal's
// preferences, proposals, responses or messages, nor on the mediator's drafts and analysis.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "parley/model/scenario.h"
#include "server/api/api.h"

namespace parley::server::api {

enum class Role { kAdmin, kMediator, kPrincipal, kMember, kObserver };
std::string_view RoleName(Role role);  // "admin", "mediator", "principal", "member", "observer"
std::optional<Role> ParseRole(std::string_view text);

enum class ClauseStatus { kOpen, kAgreedInPrinciple, kFinalised };
std::string_view ClauseStatusName(
    ClauseStatus status);  // "open", "agreed_in_principle", "finalised"
std::optional<ClauseStatus> ParseClauseStatus(std::string_view text);

struct Participant {
  std::string id;  // "m" for the mediator, "p1", "p2", ... for the others
  Role role = Role::kObserver;
  std::string party;  // scenario party id (mediator, principal; optional for a member)
  std::string group;  // working group id (member)
  std::string name;
  std::string engine;  // strategy spec when an engine plays the party; empty for a person
  std::uint64_t seed = 0;
};

struct Event {
  std::int64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string type;
  std::string actor;  // participant id; "" for the server
  std::vector<std::string> audience;
  Json body;
  int round = 0;  // texts relayed before this event (derived, not stored)
};

struct Text {
  int version = 0;
  model::Outcome outcome;
  std::string note;
  std::int64_t at_ms = 0;
  std::set<std::string> relayed_to;  // principal ids
};

// The text a principal was last sent, and the event that sent it.
struct Relay {
  int version = 0;
  std::int64_t seq = 0;
};

struct Proposal {
  std::int64_t seq = 0;
  std::string party;
  model::Outcome outcome;
  std::string note;
  std::int64_t at_ms = 0;
  int round = 0;
};

struct TextResponse {
  std::int64_t seq = 0;
  std::string party;
  int version = 0;
  std::vector<bool> clauses;  // per issue: accepted
  bool accept = false;        // every clause accepted
  std::string note;
  std::int64_t at_ms = 0;
  int round = 0;
};

struct Group {
  std::string id;
  std::string name;
  std::vector<std::size_t> issues;
};

// The gap between the principals' latest proposals after one proposal (pace).
struct GapPoint {
  std::int64_t at_ms = 0;
  int round = 0;
  std::vector<double> issues;
  double overall = 0;
};

// How much a principal gave up, in its own utility, from one proposal to its next.
struct Concession {
  std::string party;
  int round = 0;
  std::int64_t at_ms = 0;
  double utility = 0;     // of the new proposal
  double concession = 0;  // previous proposal's utility minus the new one's
};

struct Room {
  std::string id;
  std::string title;
  std::int64_t created_ms = 0;
  std::string scenario_text;
  model::Scenario original;  // as uploaded
  model::Scenario scenario;  // principals' submitted preferences replace the uploaded ones
  std::size_t mediator_party = 0;
  std::vector<std::size_t> principals;  // enabled principals with preferences
  int max_rounds = 50;
  std::string status = "open";  // "open", "agreed", "closed"
  std::string end_reason;
  std::optional<int> agreed_version;
  int round = 0;                              // texts relayed so far
  std::map<std::string, Relay> current_text;  // by principal id
  std::vector<Participant> participants;
  std::map<std::string, Json> submitted_preferences;  // by principal id
  int preferences_version = 0;
  std::vector<Text> texts;
  std::vector<Proposal> proposals;
  std::vector<TextResponse> responses;
  std::vector<Group> groups;
  std::vector<ClauseStatus> clause_status;  // per issue
  std::vector<std::string> clause_note;
  std::vector<GapPoint> gaps;
  std::vector<Concession> concessions;
  std::int64_t last_movement_ms = 0;
  std::vector<std::int64_t> issue_last_movement_ms;
  std::vector<Event> log;

  std::mutex mutex;
  std::condition_variable changed;  // notified after each applied event

  bool open() const { return status == "open"; }
  const Participant* FindParticipant(const std::string& participant_id) const;
  const Participant* FindPrincipalParticipant(const std::string& party) const;
  const Group* FindGroup(const std::string& group_id) const;
  bool IsPrincipal(const std::string& party) const;
  // The text last relayed to a principal, if any.
  const Text* LatestTextFor(const std::string& party) const;
  // Whether the principal has answered the text last relayed to it since it was relayed.
  bool AnsweredLatestText(const std::string& party) const;
  const Proposal* LatestProposalOf(const std::string& party) const;
  const TextResponse* LatestResponseOf(const std::string& party) const;
};

// Reads a scenario uploaded as parley YAML or JSON text (JSON when it starts with '{').
Result<model::Scenario> ParseScenarioText(const std::string& text);

// A principal's submitted preferences (PUT /preferences body) applied to `base`: weights and
// per-option values replace the uploaded ones issue by issue, `reservation` the reservation value;
// {"accept_scenario": true} keeps the uploaded preferences. Errors name the field.
Result<model::Preferences> BuildPreferences(const model::Scenario& base, std::size_t party_idx,
                                            const Json& body);

// Applies one event; errors only for a log that does not fit (a damaged database).
Status Apply(Room& room, Event event);

bool Visible(const Participant& viewer, const Event& event);

}  // namespace parley::server::api
