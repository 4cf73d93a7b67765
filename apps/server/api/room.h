// A live room: the state of one mediated negotiation, rebuilt from its event log.
//
// A room runs a protocol from the registry (docs/live.md, "Protocols in rooms") through
// Talks (talks.h): one session::Session per room. The log holds two kinds of events:
//   - stored events, committed to the store before they are acknowledged: what people did
//     (room_created, participant_added, preferences_submitted, text_drafted, message,
//     group_created, clause_status, closed) and every answer a person gave the protocol
//     (`answer`: the ask it answers and the action);
//   - derived events, which follow the stored event that caused them: what the protocol did in
//     response (the talks starting, each message it posted as a proposal, relayed text, response
//     or other move, the agreement or the end). They are not stored: replaying the stored events
//     through the protocol makes them again, the same, at the same place in the log.
// Apply() is the only place a room's state changes; the service applies each stored event, then
// the derived ones the protocol makes of it (Service::Feed), live and on start alike. So what a
// client saw acknowledged is exactly what a restarted server rebuilds. Rooms created before
// protocols ran in rooms (`legacy`, no protocol in room_created) keep their stored proposals,
// relays, responses and agreement, and take no more protocol actions.
//
// Every event names its audience: "all", "party:<principal id>", "group:<working group id>" or
// "participant:<participant id>". The mediator sees every event of its room; anyone else sees an
// event only when a tag names them (Visible). A principal is never named on another principal's
// preferences, answers or messages, nor on the mediator's drafts and analysis; a protocol's
// message is tagged with the principals it reaches (and "all" only when it reaches every
// principal under a protocol where principals hear each other, or is the protocol's own notice).
//
// Numbering as each reader sees it: the mediator numbers events by the room's `seq` and rounds by
// every relay. Anyone else numbers only the events it may see, 0, 1, 2, ... with no gaps, and
// counts as rounds only the relays that reached its own side (a principal's party, a member's
// delegation; for a member of no delegation, an observer and the chair, relays that reached every
// principal). So nobody learns from a gap in `seq` or a jump in `round` that something happened
// on the other side, nor when.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "parley/model/scenario.h"
#include "parley/protocols/protocol.h"
#include "parley/session/session.h"
#include "server/api/api.h"
#include "server/api/talks.h"

namespace parley::server::api {

// kChair: the creator of a room whose protocol takes no mediator; it invites, adds engines and
// closes, and sees what an observer sees.
enum class Role { kAdmin, kMediator, kPrincipal, kMember, kObserver, kChair };
// "admin", "mediator", "principal", "member", "observer", "chair"
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view text);

enum class ClauseStatus { kOpen, kAgreedInPrinciple, kFinalised };
std::string_view ClauseStatusName(
    ClauseStatus status);  // "open", "agreed_in_principle", "finalised"
std::optional<ClauseStatus> ParseClauseStatus(std::string_view text);

struct Participant {
  std::string id;  // "m" for the mediator or the chair, "p1", "p2", ... for the others
  Role role = Role::kObserver;
  std::string party;  // scenario party id (mediator, principal; optional for a member)
  std::string group;  // working group id (member)
  std::string name;
  std::string engine;      // strategy spec when an engine plays the party; empty for a person
  std::uint64_t seed = 0;  // an engine's rng seed (session::PartySeed of the room's seed)
};

struct Event {
  std::int64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string type;
  std::string actor;  // participant id; "" for the server
  std::vector<std::string> audience;
  Json body;
  int round = 0;         // texts relayed before this event (computed, not stored)
  bool derived = false;  // made by the protocol from the stored event before it (not stored)
};

// What a person's stored answer adds to the protocol's action, for the events it leads to: the
// text version it relays or responds to, its response clause by clause, its note.
struct AnswerDetail {
  int version = 0;
  std::vector<bool> clauses;  // per issue: accepted (responses only)
  std::string note;
};

// What readers may know of the room's session, published after each step (readers never touch
// the session itself, which the drive lock guards).
struct TalksState {
  bool started = false;
  Seats seats;                                      // as the talks started
  std::vector<session::PendingAsk> awaiting;        // persons' open asks, oldest first
  std::map<std::size_t, protocols::Clock> clocks;   // by party taking part: its clock
  std::optional<session::PendingAsk> latest;        // the latest ask: the talks' current stage
  std::vector<session::RecordedAnswer> answers;     // persons' answers, in order (export)
  std::map<protocols::AskId, std::size_t> pending;  // answered, not yet taken: ask -> party
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
  int round = 0;       // every relay before it (the mediator's count)
  int side_round = 0;  // relays to its own party before it (the principal's count)
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
  int side_round = 0;
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

// One event in a reader's numbering (see the top of this file).
struct SeenEvent {
  std::int64_t seq = 0;  // the room's seq
  int round = 0;         // the reader's rounds before it
};

// An event of the log that today's validation refuses (written by an older server): it keeps its
// place in the log (seq goes on) and changes nothing; the mediator sees why.
struct RefusedEvent {
  std::int64_t seq = 0;
  std::string type;
  std::string actor;
  std::string reason;
};

struct Room {
  Room();
  ~Room();
  std::string id;
  std::string title;
  std::int64_t created_ms = 0;
  std::string scenario_text;
  model::Scenario original;  // as uploaded
  model::Scenario scenario;  // principals' submitted preferences replace the uploaded ones
  // The room's protocol: canonical spec ("live" for legacy rooms), its descriptor, the seed.
  std::string protocol;
  const protocols::ProtocolDescriptor* descriptor = nullptr;  // null for legacy rooms
  std::uint64_t seed = 0;
  bool legacy = false;  // created before protocols ran in rooms (see the top of this file)
  // The mediator party the room's creator speaks as; none in a chair's room.
  std::optional<std::size_t> mediator_party;
  std::vector<std::size_t> principals;  // enabled principals with preferences
  int max_rounds = 50;
  std::string status = "open";  // "open", "agreed", "closed"
  std::string end_reason;
  bool closed_by_person = false;  // closed by the mediator or the chair, not by the protocol
  std::optional<model::Outcome> agreement;
  std::optional<int> agreed_version;          // the text agreed on, when it is one
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
  std::size_t stored_events = 0;  // of the log, those in the store
  std::vector<RefusedEvent> refused;
  // The protocol: the session (drive lock only), what readers may know of it, the details of
  // persons' answers by ask, and why the log stopped replaying through the protocol (if it did:
  // then the room takes no more protocol actions).
  std::unique_ptr<Talks> talks;
  TalksState talks_state;
  std::map<protocols::AskId, AnswerDetail> answer_details;
  std::string broken;
  std::map<std::string, int> relays_to;  // by principal id: texts relayed to it
  int relays_to_all = 0;                 // relays that reached every principal at once
  // By participant id, everyone but the mediator: the events it may see, in order.
  std::map<std::string, std::vector<SeenEvent>> seen;

  // Readers and writers take `mutex`, briefly. Writers (every request that commits an event)
  // first take `drive_mutex`, which alone guards `talks`: the session's work (engines thinking)
  // runs holding it with `mutex` released, so reads never wait for an engine.
  std::mutex mutex;
  std::timed_mutex drive_mutex;
  std::condition_variable changed;  // notified after each applied event
  // One-shot wake-ups for event streams (Service::WatchRoom), called after each applied event.
  std::map<std::uint64_t, std::function<void()>> watchers;
  std::uint64_t next_watch_id = 1;

  bool open() const { return status == "open"; }
  // Whether the room's protocol has a mediator party played by its creator (else a chair).
  bool mediated() const { return mediator_party.has_value(); }
  const Participant* FindParticipant(const std::string& participant_id) const;
  const Participant* FindPrincipalParticipant(const std::string& party) const;
  // Who plays party `party_idx`: a person's or an engine's participant; null when nobody does.
  const Participant* SeatOf(std::size_t party_idx) const;
  // The party `participant` answers the protocol for, if any (a principal; the mediator while no
  // engine plays its party).
  std::optional<std::size_t> PartyOf(const Participant& participant) const;
  // The seats as they are now, and the principals still without one.
  Seats CurrentSeats() const;
  std::vector<std::string> UnseatedPrincipals() const;
  const Group* FindGroup(const std::string& group_id) const;
  bool IsPrincipal(const std::string& party) const;
  // The text last relayed to a principal, if any.
  const Text* LatestTextFor(const std::string& party) const;
  const Proposal* LatestProposalOf(const std::string& party) const;
  const TextResponse* LatestResponseOf(const std::string& party) const;

  // The side a reader belongs to: a principal's party, a member's delegation (may be empty);
  // empty for observers and members of no delegation.
  static std::string SideOf(const Participant& viewer);
  // Rounds as `viewer` counts them now.
  int RoundFor(const Participant& viewer) const;
  // The text a side works on: the one last relayed to the party, or for the neutral side (""),
  // the last one relayed to every principal.
  const Text* TextForSide(const std::string& side) const;
  // The events `viewer` may see, in its numbering; null for the mediator (who sees the log).
  const std::vector<SeenEvent>* SeenBy(const Participant& viewer) const;
  // `viewer`'s number for the room's event `seq` (-1 when it may not see it).
  std::int64_t ViewerSeq(const Participant& viewer, std::int64_t seq) const;
  // `viewer`'s last event number (-1 when none).
  std::int64_t LastViewerSeq(const Participant& viewer) const;
};

// Reads a scenario uploaded as parley YAML or JSON text (JSON when it starts with '{').
Result<model::Scenario> ParseScenarioText(const std::string& text);

// A principal's submitted preferences (PUT /preferences body) applied to `base`: weights and
// per-option values replace the uploaded ones issue by issue, `reservation` the reservation value;
// {"accept_scenario": true} keeps the uploaded preferences. Weights (each in [0, 1]) are rescaled
// as w / sum * (1 - offset), so they must add up to at least kMinWeightTotal. Errors name the
// field.
inline constexpr double kMinWeightTotal = 1e-6;
Result<model::Preferences> BuildPreferences(const model::Scenario& base, std::size_t party_idx,
                                            const Json& body);

// Applies one event (stored or derived) at the end of the log, numbering it; errors only for a log
// that does not fit (a damaged database). An event that is well formed but that today's
// validation refuses (preferences that would rescale to inf or NaN, written by an older server)
// is recorded in room.refused and otherwise ignored.
Status Apply(Room& room, Event event);

// Turns what the room's session did (Talks::TakeItems) into derived events at `at_ms` and applies
// them, then the session's end if it ended by its own rules; publishes room.talks_state.
void ApplyTalks(Room& room, std::vector<TalksItem> items, std::int64_t at_ms);

bool Visible(const Participant& viewer, const Event& event);

}  // namespace parley::server::api
