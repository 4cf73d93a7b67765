// A room's protocol: one session::Session per live room, the same protocol code `parley negotiate`
// runs (docs/architecture.md, "One protocol engine"), driven step by step from the room's log.
//
// Every party that takes part has a seat: a person (who answers over HTTP: the answer is logged,
// then submitted here) or an engine (a registry strategy that answers in process, inside Start
// and Submit, exactly as in a simulation; its rng is seeded with session::PartySeed). Parties
// without a seat (a co-mediator nobody plays) do not take part: they are disabled in the
// session's copy of the scenario. What the session does (the answers it takes and the messages
// it posts, in order) is collected for the room to turn into its derived events (room.h).
//
// Not thread-safe, and possibly slow (engines think inside Start and Submit): the service drives
// it holding the room's drive lock, never its read lock (docs/live.md, "Engines").
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "parley/model/scenario.h"
#include "parley/session/session.h"

namespace parley::server::api {

// Who plays each party: persons by party index, engines by party index with their spec.
struct Seats {
  std::set<std::size_t> persons;
  std::map<std::size_t, std::string> engines;
};

// The label a person's seat has in the session's trace (config.strategies).
inline constexpr const char* kPersonLabel = "person";

// One thing the session did: an answer taken (a person's or an engine's, with its request) or a
// message posted. In the order they happened.
struct TalksItem {
  bool answer = false;
  session::PendingAsk asked;   // answer only
  protocols::Action action;    // answer only, as taken (an illegal one already its fallback)
  protocols::Message message;  // message only
};

// Whether a registry strategy `spec` can play a party of `role` (validated parameters).
Status CheckEngineStrategy(const std::string& spec, model::Role role);

// The copy of `scenario` a room's session runs on: parties without a seat disabled.
model::Scenario SessionScenario(const model::Scenario& scenario, const Seats& seats);

// The configuration of a room's session (persons labelled kPersonLabel).
session::SessionConfig TalksConfig(const std::string& protocol, const Seats& seats, int rounds,
                                   std::uint64_t seed);

class Talks {
 public:
  // Starts protocol `protocol` (a registry spec) on SessionScenario(scenario, seats); engines act
  // at once. Errors as session::Session::Start (kInvalidInput for a protocol that cannot run on
  // the scenario with these seats).
  static Result<std::unique_ptr<Talks>> Start(const model::Scenario& scenario,
                                              const std::string& protocol, const Seats& seats,
                                              int rounds, std::uint64_t seed);
  ~Talks();
  Talks(const Talks&) = delete;
  Talks& operator=(const Talks&) = delete;

  // What Submit would say, without submitting.
  Status Check(protocols::AskId ask, std::size_t party, const protocols::Action& action) const;
  // Submits a person's answer. `follow_up`, when given, answers the party's next ask if that ask
  // is a follow-up (it allows only feedback, confide and pass: what shuttle asks after a
  // response), as soon as the protocol opens it; if the next ask is anything else, it is dropped.
  Status Submit(protocols::AskId ask, std::size_t party, const protocols::Action& action,
                std::optional<protocols::Action> follow_up = std::nullopt);
  // Ends the session now (a person closed the room).
  void Close(const std::string& reason);

  bool Finished() const { return session_->Finished(); }
  // The session's result once it ended by its own rules (not Close); computed once.
  const session::SessionResult* Outcome();
  // What the session did since the last call.
  std::vector<TalksItem> TakeItems();
  std::vector<session::PendingAsk> Awaiting() const { return session_->Awaiting(); }
  // The clock as `party` (taking part) last saw it.
  const protocols::Clock& ClockOf(std::size_t party) const;
  bool TakesPart(std::size_t party) const;
  // The latest ask the session is known to have opened (taken, or open for a person): what the
  // current stage of the talks is (a phase's open and settled issues).
  std::optional<session::PendingAsk> LatestAsk() const;
  const std::vector<session::RecordedAnswer>& Answers() const { return session_->Answers(); }
  // Persons' answers submitted but not yet taken by the protocol (it takes answers in its own
  // order): ask -> party.
  const std::map<protocols::AskId, std::size_t>& Pending() const { return pending_; }
  const model::Scenario& scenario() const { return *scenario_; }

 private:
  Talks() = default;
  void PumpFollowUps();

  std::unique_ptr<model::Scenario> scenario_;  // outlives session_
  std::unique_ptr<session::Session> session_;
  std::vector<TalksItem> items_;
  std::optional<session::PendingAsk> last_taken_;
  std::optional<session::SessionResult> result_;
  // By party: answer its first ask after `after` with `action`, if it is a follow-up.
  struct FollowUp {
    protocols::AskId after = 0;
    protocols::Action action;
  };
  std::map<std::size_t, FollowUp> follow_ups_;
  std::map<protocols::AskId, std::size_t> pending_;
};

}  // namespace parley::server::api
