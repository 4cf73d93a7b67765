// Shuttle mediation: indirect talks in which the principals never address each other.
//
// Models proximity talks as run in the reported ceasefire negotiations: each principal tells only
// the mediators what it proposes, accepts or confides; the mediators decide what to pass on to
// whom (verbatim, amended, combined, or a compromise text of their own). It follows the practice
// of shuttle diplomacy and proximity talks (the mediator is the only channel between the sides,
// as in Kissinger's Middle East shuttles of 1973-75), with this message cycle:
//
//   round r, lead mediator L = mediators[r mod M]:
//   1. proposals: each principal p is asked for a proposal (kOffer) or to accept the text it last
//      received (kAccept); it goes only to p's handling mediator h(p).
//   2. briefing (assignment=per_principal with several mediators): every other mediator may pass
//      the lead what its principals said (kRelay / kConfide / kOffer, addressed to L only).
//   3. drafting: L sends texts (kOffer or kRelay with an outcome) to the parties it may address,
//      possibly a different text to each; it is asked again until every one of them got a text or
//      it passes.
//   4. relaying (per_principal): every other mediator passes on (or amends) the lead's text to its
//      own principals in the same way.
//   5. responses: each principal that received a text this round accepts or rejects it (to the
//      mediator that sent it), then may add kFeedback or kConfide for that mediator (confide=true).
//   6. agreement: when every principal's latest response accepts one and the same text, the
//      session ends with that text agreed by all principals. (Inside a phase of the phased
//      protocol, "the same" means the same on that phase's issues.)
//
// Who sees what: a principal's messages have exactly one recipient, a mediator, so a principal's
// inbox only ever holds messages from mediators. A mediator sees what its principals told it, what
// co-mediators passed it, and nothing else; recipients a mediator names outside the request's
// `may_address` are dropped (an empty recipient list means all of `may_address`).
//
// Several mediators share the work in one of two ways (parameter `assignment`):
//   round_robin (default): the mediators take turns, round by round; the round's mediator handles
//     every principal.
//   per_principal: principal i (in scenario order) is handled by mediators[i mod M] for the whole
//     session; the round's lead drafts the text and the others brief it and relay it.
//
// Parameters (defaults): assignment=round_robin; confide=true (principals may follow a response
// with feedback or a confidence); max_rounds=0 (0: the session's deadline; otherwise the smaller).
// Errors: kInvalidInput without an enabled mediator, with fewer than two principals, or with an
// unknown assignment.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parley/protocols/protocol.h"

namespace parley::protocols {

enum class ShuttleAssignment { kRoundRobin, kPerPrincipal };

struct ShuttleOptions {
  ShuttleAssignment assignment = ShuttleAssignment::kRoundRobin;
  bool confide = true;
  std::int64_t max_rounds = 0;
  // The issues an agreement binds (empty: all). Accepted texts that agree on these are the same
  // text; the phased protocol sets the current phase's issues, since later ones stay open.
  std::vector<std::size_t> binding_issues;
};

// "round_robin" / "per_principal".
Result<ShuttleAssignment> ParseShuttleAssignment(const std::string& text);

class ShuttleProtocol final : public Protocol {
 public:
  explicit ShuttleProtocol(ShuttleOptions options) : options_(options) {}
  static Result<ShuttleOptions> OptionsFromParameters(const Parameters& parameters);

  Status Prepare(SessionContext& context) override;
  Task<> Run(SessionContext& context) override;
  void BindIssues(const std::vector<std::size_t>& issues) override {
    options_.binding_issues = issues;
  }

 private:
  ShuttleOptions options_;
};

}  // namespace parley::protocols
