// Phased talks: the agreement is built phase by phase, and what one phase settles stays settled.
//
// Models staged agreements such as the reported ceasefire framework (an initial exchange under a
// pause, then end-state terms) and, more generally, bargaining over an agenda, issue group by
// issue group (Fershtman 1990, "The importance of the agenda in bargaining"): the issues are
// split into the scenario's phases (Scenario::phases, in order; issues in no phase join the last
// phase; a scenario without phases is one phase), and each phase is negotiated by an inner protocol
// over its open issues. Once a phase is agreed its issues are fixed: every later request carries
// `fixed_issues` / `fixed_outcome` (and `open_issues`, the current phase's issues), and the
// session records as illegal any offer that changes a fixed issue (this protocol also refuses to
// pass one on, should it get through). A phase binds only its own issues: what a text says about
// later phases' issues is provisional, so in shuttle phases texts that every principal accepted
// and that agree on the phase's issues make the phase's agreement. (Strategies judge texts as they
// see fit; the built-in principals judge a phase's text on its settled and open issues only,
// completing later issues with their own best options, so clashing red lines on the end state do
// not stop an initial exchange; see strategies/common/principal.h.)
//
// Inner protocols (parameter `inner`):
//   shuttle: the shuttle protocol (shuttle.h) with `assignment` passed through; principals talk
//     only to mediators. Needs an enabled mediator.
//   alternating_offers: stacked alternating offers among the principals (Aydogan et al. 2017,
//     GENIUS's SAOP): in scenario order, each principal in turn accepts the standing offer,
//     counter-offers (kOffer, or kReject with an outcome), or walks away; the offer is agreed once
//     every other principal has accepted it in a row. Offers and answers go to every principal.
//     One round is one turn of every principal. (Implemented here, independent of the
//     alternating_offers protocol, so each phase's rules are fixed by this file.)
//   auto (default): shuttle when the scenario has an enabled mediator, else alternating_offers.
//
// Time: phases share the session's rounds; a new phase starts in a new round. Every request in a
// phase carries the phase's own clock (Request::stage_clock: rounds since the phase began, out of
// its share, or of the rounds left when it runs to the session deadline), so time-paced
// strategies concede by the phase's deadline, which is the one that ends the phase. A phase may use
// `phase_rounds` rounds (0, the default: the rounds left shared equally among the phases left).
// A conditional commitment (`pause_continues`, default true): once a phase is agreed, the later
// phases keep talking past their share, up to the session deadline, while the earlier agreement
// holds (the reported "the pause continues while talks on the next phase go on"). With
// pause_continues=false each phase must agree within its share.
//
// When a phase fails (its rounds run out, the session deadline passes, or a principal walks away):
// the first phase failing fails the session. A later phase failing applies `default`:
//   reservation (default): nothing is agreed; the session fails and every principal gets its
//     reservation value. The earlier phases' lapsed agreement is named in the failure reason.
//   status_quo: the earlier phases' agreement stands, and every issue of the failed and later
//     phases takes its status-quo option (its first listed option, or its lower bound); the
//     session ends with that outcome agreed by all principals.
// Each phase's result is announced in the trace: a kPass message with the text "phase k of n
// '<id>' agreed: issue=option, ..." (or why it failed), from the first mediator (or, without one,
// the first principal) to every principal and mediator.
//
// Who sees what: as in the inner protocol; announcements go to every principal and mediator.
//
// Parameters (defaults): inner=auto; phase_rounds=0; pause_continues=true; default=reservation;
// assignment=round_robin (shuttle only). Errors (kInvalidInput): unknown values, inner=shuttle
// without an enabled mediator, fewer than two principals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parley/protocols/protocol.h"
#include "parley/protocols/shuttle/shuttle.h"

namespace parley::protocols {

enum class PhaseInner { kAuto, kShuttle, kAlternatingOffers };
enum class PhaseDefault { kReservation, kStatusQuo };

struct PhasedOptions {
  PhaseInner inner = PhaseInner::kAuto;
  std::int64_t phase_rounds = 0;
  bool pause_continues = true;
  PhaseDefault fallback = PhaseDefault::kReservation;
  ShuttleAssignment assignment = ShuttleAssignment::kRoundRobin;
};

// The scenario's phases as issue lists, in order: issues in no phase join the last phase; a
// scenario without phases gives one phase with every issue. Exposed for tests.
std::vector<std::vector<std::size_t>> PhaseIssues(const model::Scenario& scenario);

class PhasedProtocol final : public Protocol {
 public:
  explicit PhasedProtocol(PhasedOptions options) : options_(options) {}
  static Result<PhasedOptions> OptionsFromParameters(const Parameters& parameters);

  Status Prepare(SessionContext& context) override;
  Task<> Run(SessionContext& context) override;

 private:
  PhasedOptions options_;
};

}  // namespace parley::protocols
