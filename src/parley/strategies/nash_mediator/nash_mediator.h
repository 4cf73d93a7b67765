// Nash mediator: proposes the text that maximises the product of the principals' estimated
// utilities (Nash 1950, with the disagreement point at 0), estimated only from what the
// principals told this mediator.
//
// A mediator cannot read preferences; it learns, per principal p, from the messages p addressed to
// it (a message without an outcome refers to the mediator's latest proposal):
// - offers (kOffer): a HardHeaded-style frequency model of p (opponent_model.h: issues p keeps
// fixed
//   weigh more, options p asks for often are worth more);
// - texts p accepted (kAccept, kVote with accept=true): evidence 0.5 for their options;
// - utilities p confided (kConfide with a value): the exact value for that text, and evidence of
//   that size for its options; positive feedback (kFeedback with value v > 0): evidence min(v, 1).
// The estimate of p's utility for a text is its confided value when p confided one for exactly
// that text, else the model's estimate in [0, 1]. Principals that said nothing are left out of the
// product.
//
// Proposal: the best-scoring text (sum of log estimates) among every outcome seen (offers,
// accepted and confided texts, its own earlier proposals, the standing text), improved by
// coordinate ascent over the issues the request leaves free (every option of an issue, or 64
// random ones when it has more), from the three best. Before anyone has spoken it proposes the
// standing text, or a random one. Relays verbatim. No parameters.
#pragma once

#include <map>
#include <memory>
#include <set>

#include "parley/strategies/common/mediator.h"
#include "parley/strategies/common/opponent_model.h"

namespace parley::strategies {

class NashMediatorStrategy : public MediatorStrategy {
 public:
  // Estimated utility of `outcome` for `principal` (0 when it said nothing).
  double Estimate(std::size_t principal, const model::Outcome& outcome) const;

 protected:
  void OnMessage(const PartyView& view, const protocols::Message& message) override;
  std::optional<model::Outcome> Propose(const PartyView& view, const Request& request) override;

 private:
  struct Knowledge {
    std::unique_ptr<FrequencyModel> model;
    std::map<model::Outcome, double> confided;
  };
  Knowledge& About(std::size_t principal);
  double Score(const model::Outcome& outcome) const;

  std::map<std::size_t, Knowledge> knowledge_;
  std::set<model::Outcome> seen_;
};

}  // namespace parley::strategies
