// Nash mediator: proposes the text that maximises the product of the principals' estimated
// utilities (Nash 1950, disagreement point 0), estimated only from what the principals told this
// mediator.
//
// A mediator cannot read preferences; it learns, per principal p, from the messages p addressed to
// it (a message without an outcome refers to the mediator's latest proposal):
// - offers (kOffer): a HardHeaded-style frequency model of p (opponent_model.h: issues p keeps
//   fixed weigh more, options p asks for often are worth more), smoothed over neighbouring values
//   of numeric and ordered issues;
// - texts p accepted (kAccept, kVote with accept=true): evidence 0.5 for their options; positive
//   feedback (kFeedback with value v > 0): evidence min(v, 1);
// - utilities p confided (kConfide with a value): the exact value for that text;
// - texts p rejected (kReject, kVote with accept=false): the 8 most recent are remembered.
// The estimate of p's utility for a text is its confided value when p confided one for exactly
// that text; otherwise the model's estimate (0.5 before p made any offer) plus an additive
// correction, one value per issue and option, fitted to what p confided: least squares with a
// small ridge penalty (0.01), by 30 deterministic passes of gradient descent over the confided
// texts. Utilities are additive in most scenarios, so the corrected model learns p's values for
// the options that appeared in confided texts.
//
// Rejections: a principal that rejected a text will likely reject texts like it (it wanted more,
// or the text crossed one of its red lines, which the mediator cannot see). Its estimate is
// multiplied, for each text it rejected recently, by 1 - exp(-4 x the share of issues that
// differ), so a rejected text scores as nothing and its near copies as little.
//
// Proposal: the best-scoring text (sum over the principals that said anything of the log of their
// discounted estimates) among every outcome seen (offers, accepted and confided texts, its own
// earlier proposals, the standing text), improved by coordinate ascent over the issues the request
// leaves free (every option of an issue, or 64 random ones when it has more), from the three best.
// Before anyone has spoken it proposes the standing text, or a random one. Relays verbatim. No
// parameters.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "parley/strategies/common/mediator.h"
#include "parley/strategies/common/opponent_model.h"

namespace parley::strategies {

class NashMediatorStrategy : public MediatorStrategy {
 public:
  // Estimated utility of `outcome` for `principal` (0 when it said nothing), before the discount
  // for rejected texts.
  double Estimate(std::size_t principal, const model::Outcome& outcome) const;

 protected:
  void OnMessage(const PartyView& view, const protocols::Message& message) override;
  std::optional<model::Outcome> Propose(const PartyView& view, const Request& request) override;

 private:
  struct Knowledge {
    std::unique_ptr<FrequencyModel> model;
    std::map<model::Outcome, double> confided;
    // Additive correction fitted to the confided values, per issue and option (refreshed per
    // proposal; empty when nothing was confided).
    std::vector<std::vector<double>> corrections;
    // The texts it rejected most recently (up to 8), oldest first.
    std::vector<model::Outcome> rejected;
  };
  Knowledge& About(std::size_t principal);
  void Reject(std::size_t principal, const model::Outcome& text);
  // The frequency model (0.5 before any offer) plus the fitted correction.
  double Modelled(const Knowledge& knowledge, const model::Outcome& outcome) const;
  void PrepareEstimates();
  double Score(const model::Outcome& outcome) const;
  std::vector<std::pair<double, model::Outcome>> RankedStarts(const Request& request) const;
  std::pair<model::Outcome, double> Climb(model::Outcome current, double current_score,
                                          const std::vector<std::size_t>& free);

  std::map<std::size_t, Knowledge> knowledge_;
  std::set<model::Outcome> seen_;
};

}  // namespace parley::strategies
