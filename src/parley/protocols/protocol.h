// Protocols: the rules of a negotiation (who may say what to whom, and when), and the types every
// protocol and strategy share: messages, views, requests and actions.
//
// Visibility is explicit. Every message has a sender and recipients chosen by the protocol; the
// session delivers a message only to its recipients' inboxes. A strategy receives a PartyView: its
// own preferences, the public structure of the negotiation (issues, party ids and roles), the
// messages addressed to it, and the clock. No API gives a strategy another party's preferences or
// messages. Utilities in the trace are for the analyst and never reach a strategy.
//
// A protocol drives a session through SessionContext (implemented in session/): it asks parties
// for actions (Ask), sends messages (Post), and ends the session (Agree / Fail). Ask validates the
// answer: an action the request does not allow, or an outcome outside the space or contradicting
// fixed issues, is recorded as illegal and replaced by the request's fallback.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "parley/model/scenario.h"
#include "parley/protocols/registry.h"

namespace parley::protocols {

enum class ActionType {
  kOffer,           // propose an outcome (principal) or a negotiating text (mediator)
  kAccept,          // accept the standing offer / text
  kReject,          // reject it (and, in alternating offers, counter-offer next)
  kEndNegotiation,  // walk away
  kVote,            // accept (true) / reject (false) a text; mopac votes
  kRelay,           // a mediator passes on (possibly amended) content
  kFeedback,        // a party's reaction to a text: `value` > 0 better, < 0 worse than before
  kConfide,         // a party tells its mediator something in confidence (e.g. a utility)
  kPass,            // nothing to say this turn
};
std::string_view ActionTypeName(ActionType type);  // "offer", "accept", ...

struct Message {
  std::uint64_t sequence = 0;  // position in the session, from 0
  int round = 0;
  double time = 0;  // relative time in [0, 1]
  std::size_t sender = 0;
  std::vector<std::size_t> recipients;
  ActionType type = ActionType::kPass;
  std::optional<model::Outcome> outcome;
  std::optional<bool> accept;
  std::optional<double> value;
  std::string text;
};

struct Clock {
  int round = 0;             // from 0
  int max_rounds = 0;        // deadline in rounds
  double relative_time = 0;  // in [0, 1]: round / max_rounds, or elapsed / time limit
};

struct PublicParty {
  std::string id;
  std::string name;
  model::Role role = model::Role::kPrincipal;
};

// What one party may see. Built by the session; strategies get a const reference.
class PartyView {
 public:
  PartyView(std::size_t self, const model::Scenario& scenario, const model::OutcomeSpace& space,
            const std::vector<PublicParty>& parties, std::string protocol);

  std::size_t self() const { return self_; }
  const PublicParty& me() const { return parties_[self_]; }
  model::Role role() const { return parties_[self_].role; }
  const std::vector<model::Issue>& issues() const { return *issues_; }
  const std::vector<model::Phase>& phases() const { return *phases_; }
  const model::OutcomeSpace& space() const { return *space_; }
  // This party's own preferences; nullptr when it has none (a mediator may have none).
  const model::Preferences* preferences() const { return preferences_; }
  const std::vector<PublicParty>& parties() const { return parties_; }
  // Messages addressed to this party, in the order they were sent.
  const std::vector<Message>& inbox() const { return inbox_; }
  const Clock& clock() const { return clock_; }
  const std::string& protocol() const { return protocol_; }

  // Used by the session only.
  void Deliver(const Message& message) { inbox_.push_back(message); }
  void SetClock(const Clock& clock) { clock_ = clock; }

 private:
  std::size_t self_;
  const std::vector<model::Issue>* issues_;
  const std::vector<model::Phase>* phases_;
  const model::OutcomeSpace* space_;
  const model::Preferences* preferences_;
  std::vector<PublicParty> parties_;
  std::vector<Message> inbox_;
  Clock clock_;
  std::string protocol_;
};

// What a protocol asks of a party now.
struct Request {
  std::vector<ActionType> allowed;
  // The offer or text under consideration, if any.
  std::optional<model::Outcome> standing_offer;
  std::optional<std::size_t> standing_offer_from;
  // Phased protocols: issues already settled; any outcome must keep `fixed_outcome` on them.
  std::vector<bool> fixed_issues;
  model::Outcome fixed_outcome;
  // Phased protocols: the issues open in the current phase (empty: all).
  std::vector<std::size_t> open_issues;
  // Protocols whose current stage has its own deadline (a phase of the phased protocol): the
  // stage's clock, with `round` counted from the stage's first round, `max_rounds` its length,
  // and `relative_time` in [0, 1] within it. Time-paced strategies concede by it, since the stage
  // fails at its own deadline. nullopt: the session's clock is the one that matters.
  std::optional<Clock> stage_clock;
  // Mediators relaying: the principals it may address.
  std::vector<std::size_t> may_address;
  // Applied when the answer is illegal.
  ActionType fallback = ActionType::kPass;
};

// The clock a strategy paces itself by: the request's stage clock when it has one, else the
// session's.
inline const Clock& PacingClock(const PartyView& view, const Request& request) {
  return request.stage_clock ? *request.stage_clock : view.clock();
}

struct Action {
  ActionType type = ActionType::kPass;
  std::optional<model::Outcome> outcome;
  std::optional<bool> accept;
  std::optional<double> value;
  std::vector<std::size_t> recipients;  // mediators choose whom to address, within may_address
  std::string text;
};

// The session as a protocol sees it.
class SessionContext {
 public:
  virtual ~SessionContext() = default;
  virtual const model::Scenario& scenario() const = 0;
  virtual const model::OutcomeSpace& space() const = 0;
  // Parties taking part (enabled), by role, in scenario order.
  virtual const std::vector<std::size_t>& principals() const = 0;
  virtual const std::vector<std::size_t>& mediators() const = 0;
  virtual const Clock& clock() const = 0;
  // Moves to the next round; false once the deadline has passed.
  virtual bool NextRound() = 0;
  virtual bool Expired() const = 0;
  // Asks `party` to act on `request`; an illegal answer is recorded and becomes the fallback.
  virtual Action Ask(std::size_t party, const Request& request) = 0;
  // Sends a message from `sender` to `recipients` (recorded in the trace, delivered to inboxes).
  virtual void Post(std::size_t sender, const std::vector<std::size_t>& recipients,
                    const Action& action) = 0;
  // Ends the session with an agreement among `parties` (all principals unless a protocol allows
  // partial consensus).
  virtual void Agree(const model::Outcome& outcome, const std::vector<std::size_t>& parties) = 0;
  // Ends without agreement; `blocked_by` names the party that ended or blocked it, if any.
  virtual void Fail(const std::string& reason, std::optional<std::size_t> blocked_by) = 0;
  virtual bool Finished() const = 0;
  // Deterministic randomness for the protocol itself (seeded per session).
  virtual std::mt19937_64& rng() = 0;
};

class Protocol {
 public:
  virtual ~Protocol() = default;
  // Runs the session to its end (agreement, failure or deadline). Errors are for impossible
  // configurations (e.g. shuttle without a mediator), reported before anything is sent.
  virtual Status Run(SessionContext& context) = 0;
};

struct ProtocolDescriptor {
  std::string name;
  std::string summary;
  std::vector<ParameterSpec> parameters;
  int min_principals = 2;
  int max_principals = 64;
  bool needs_mediator = false;
  std::function<std::unique_ptr<Protocol>(const Parameters&)> create;
};

using ProtocolRegistry = Registry<ProtocolDescriptor>;

}  // namespace parley::protocols

#define PARLEY_REGISTER_PROTOCOL(descriptor)                                         \
  static const bool PARLEY_REGISTRY_CONCAT_(parley_protocol_registered_, __LINE__) = \
      ::parley::protocols::ProtocolRegistry::Global().Register(descriptor)
