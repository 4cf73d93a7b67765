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
// for actions (`co_await context.Ask(...)`), sends messages (Post), and ends the session (Agree /
// Fail). Its rules are C++20 coroutines (task.h), so the same code runs whether a party answers at
// once (an engine: a strategy in the process) or much later (a person in a live room): an Ask of
// an engine never suspends; an Ask of a person suspends the protocol until the driver submits the
// answer. Answers are validated: an action the request does not allow, or an outcome outside the
// space or contradicting fixed issues, is recorded as illegal and replaced by the request's
// fallback (a live driver may refuse it instead; see session/session.h).
#pragma once

#include <coroutine>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "parley/base/check.h"
#include "parley/model/scenario.h"
#include "parley/protocols/registry.h"
#include "parley/protocols/task.h"

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
std::string_view ActionTypeName(ActionType type);                  // "offer", "accept", ...
std::optional<ActionType> ParseActionType(std::string_view name);  // the inverse

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

// The messages delivered to one party, numbered from 0 in delivery order. A session keeps them all
// (the default) or, in long simulations where memory must not grow with rounds, only those
// delivered since the party's previous turn: `size()` counts every message ever delivered and
// `inbox[i]` is valid for `first() <= i < size()`; iteration visits the messages kept. A strategy
// that reads its inbox from where it stopped at its previous turn (as the built-in ones do) sees
// every message either way; one that looks further back must remember what it needs.
class Inbox {
 public:
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Message;
    using difference_type = std::ptrdiff_t;
    using pointer = const Message*;
    using reference = const Message&;
    Iterator() = default;
    Iterator(const Inbox* inbox, std::size_t index) : inbox_(inbox), index_(index) {}
    const Message& operator*() const { return (*inbox_)[index_]; }
    const Message* operator->() const { return &(*inbox_)[index_]; }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const Inbox* inbox_ = nullptr;
    std::size_t index_ = 0;
  };

  std::size_t size() const { return end_; }
  bool empty() const { return end_ == 0; }
  // The first message still kept (0 when every message is kept).
  std::size_t first() const { return begin_; }
  const Message& operator[](std::size_t index) const {
    PARLEY_CHECK(index >= begin_ && index < end_);
    return slots_[index & (slots_.size() - 1)];
  }
  const Message& back() const { return (*this)[end_ - 1]; }
  Iterator begin() const { return Iterator(this, begin_); }
  Iterator end() const { return Iterator(this, end_); }
  std::vector<Message> Kept() const { return std::vector<Message>(begin(), end()); }

  // Used by the session only.
  void Push(const Message& message) { Append() = message; }
  // The slot of the next message, to be overwritten by the caller in full (its buffers are reused).
  Message& Append();
  void set_keep_all(bool keep_all) { keep_all_ = keep_all; }
  // The party is about to act: forget what it could already read at its previous turn.
  void StartTurn() {
    if (!keep_all_) begin_ = turn_mark_;
    turn_mark_ = end_;
  }

 private:
  std::vector<Message> slots_;  // a ring of power-of-two size; slots are reused, not freed
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t turn_mark_ = 0;  // end_ when the party's previous turn began
  bool keep_all_ = true;
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
  // Messages addressed to this party, in the order they were sent (see Inbox for what is kept).
  const Inbox& inbox() const { return inbox_; }
  const Clock& clock() const { return clock_; }
  const std::string& protocol() const { return protocol_; }

  // Used by the session only.
  void Deliver(const Message& message) { inbox_.Push(message); }
  Message& DeliverInPlace() { return inbox_.Append(); }
  void SetClock(const Clock& clock) { clock_ = clock; }
  Inbox& mutable_inbox() { return inbox_; }

 private:
  std::size_t self_;
  const std::vector<model::Issue>* issues_;
  const std::vector<model::Phase>* phases_;
  const model::OutcomeSpace* space_;
  const model::Preferences* preferences_;
  std::vector<PublicParty> parties_;
  Inbox inbox_;
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

class SessionContext;

// An ask's number in its session: asks are numbered from 0 in the order the protocol opens them,
// the same in every driver, so a recorded answer names the ask it answers.
using AskId = std::uint64_t;

// What `co_await context.Take(ask)` (or `Ask`) waits on: the validated answer to an open ask. An
// engine's answer is computed when the protocol takes it and the coroutine does not suspend; a
// person's suspends the protocol until the driver submits it.
class [[nodiscard]] Answer {
 public:
  Answer(SessionContext& context, AskId ask) : context_(&context), ask_(ask) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> waiting);
  Action await_resume();

 private:
  SessionContext* context_;
  AskId ask_;
  bool ready_ = false;
  Action action_;
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
  // Moves to the next round; false once the deadline has passed. Never called with asks open.
  virtual bool NextRound() = 0;
  virtual bool Expired() const = 0;

  // Asks `party` to act on `request` and waits for the answer: `co_await context.Ask(p, r)`,
  // awaited at once (the request is lent to the session until then, not copied). An illegal answer
  // is recorded and becomes the request's fallback.
  Answer Ask(std::size_t party, const Request& request) { return Take(OpenLent(party, request)); }
  // Asking several parties at once, so that in a live room they may answer in any order: Open an
  // ask for each, then Take the answers in the protocol's order. Open early only asks whose party
  // is sent nothing before its answer is taken (its view must not change in between), so that the
  // session is the same whichever party answers first. Asks still open when the session ends are
  // dropped.
  virtual AskId Open(std::size_t party, const Request& request) = 0;
  Answer Take(AskId ask) { return Answer(*this, ask); }

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

 protected:
  friend class Answer;
  // Open for Ask, whose answer is taken at once: `request` stays valid and unchanged until then,
  // so a context may keep a reference instead of a copy (a session does for engines, which answer
  // millions of asks in a tournament). By default Open.
  virtual AskId OpenLent(std::size_t party, const Request& request) { return Open(party, request); }
  // Answer's side of Take: the answer when it can be had now (an engine's, or a person's already
  // submitted), else false and the protocol suspends in Park until the driver resumes it.
  virtual bool TryTake(AskId ask, Action& action) = 0;
  virtual void Park(AskId ask, std::coroutine_handle<> waiting) = 0;
  // The answer after a suspension.
  virtual Action Taken(AskId ask) = 0;
  // For contexts that wrap another (a phase inside phased talks): forward Answer's calls.
  static bool TryTakeFrom(SessionContext& inner, AskId ask, Action& action) {
    return inner.TryTake(ask, action);
  }
  static void ParkIn(SessionContext& inner, AskId ask, std::coroutine_handle<> waiting) {
    inner.Park(ask, waiting);
  }
  static Action TakenFrom(SessionContext& inner, AskId ask) { return inner.Taken(ask); }
};

inline bool Answer::await_ready() {
  ready_ = context_->TryTake(ask_, action_);
  return ready_;
}
inline void Answer::await_suspend(std::coroutine_handle<> waiting) {
  context_->Park(ask_, waiting);
}
inline Action Answer::await_resume() { return ready_ ? std::move(action_) : context_->Taken(ask_); }

class Protocol {
 public:
  virtual ~Protocol() = default;
  // Checks the configuration against the session's scenario and parties before anything is sent
  // (e.g. shuttle without a mediator); errors are kInvalidInput. May keep what it worked out for
  // Run.
  virtual Status Prepare(SessionContext& context) {
    (void)context;
    return Status::Ok();
  }
  // Runs the session to its end (agreement, failure or deadline), after a successful Prepare.
  virtual Task<> Run(SessionContext& context) = 0;
  // Nestable protocols (ProtocolDescriptor::nestable): negotiate one stage of a larger protocol
  // (a phase of phased talks) whose agreement binds only `issues`; texts that agree on them are
  // the same text.
  virtual void BindIssues(const std::vector<std::size_t>& issues) { (void)issues; }
};

// How a protocol uses mediators.
enum class Mediation {
  kNone,         // mediators take no part (alternating offers, MOPAC)
  kRequired,     // principals talk only through mediators, and one must take part (shuttle)
  kWhenPresent,  // principals talk only through mediators when one takes part (phased, auto)
};

// "none", "required" or "when_present": the name `parley list --json` and the HTTP API give it.
std::string_view MediationName(Mediation mediation);

struct ProtocolDescriptor {
  static constexpr const char* kKind = "protocol";
  std::string name;
  std::string summary;
  std::vector<ParameterSpec> parameters;
  int min_principals = 2;
  int max_principals = 64;
  Mediation mediation = Mediation::kNone;
  // Can negotiate one phase of phased talks (see Protocol::BindIssues).
  bool nestable = false;
  // Every ask may wait for a person: the protocol can run in a live room.
  bool live = true;
  // Errors (kInvalidInput) for parameter values the specs cannot express (e.g. a negative bound).
  std::function<Result<std::unique_ptr<Protocol>>(const Parameters&)> create;

  bool needs_mediator() const { return mediation == Mediation::kRequired; }
  // Whether principals hear only from mediators when `mediators` mediators take part.
  bool PrincipalsHearOnlyMediators(int mediators) const {
    return mediation == Mediation::kRequired ||
           (mediation == Mediation::kWhenPresent && mediators > 0);
  }
};

using ProtocolRegistry = Registry<ProtocolDescriptor>;

}  // namespace parley::protocols

#define PARLEY_REGISTER_PROTOCOL(descriptor)                                         \
  static const bool PARLEY_REGISTRY_CONCAT_(parley_protocol_registered_, __LINE__) = \
      ::parley::protocols::ProtocolRegistry::Global().Register(descriptor)
