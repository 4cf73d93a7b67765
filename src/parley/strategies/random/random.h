// Random: the baseline every strategy should beat. It offers a random outcome worth at least its
// reservation value (and allowed by its red lines): up to 32 uniform draws from the outcomes the
// request allows, and when none qualifies, the outcome closest above a utility drawn uniformly
// between the reservation value and the best utility. It accepts (or votes for) an offer worth at
// least its reservation value with probability p, and never one below it.
//
// Parameters (defaults): p=0.5 (probability of accepting an acceptable offer).
#pragma once

#include "parley/strategies/common/principal.h"

namespace parley::strategies {

class RandomStrategy : public PrincipalStrategy {
 public:
  explicit RandomStrategy(double accept_probability) : accept_probability_(accept_probability) {}

 protected:
  model::Outcome NextOffer(const PartyView& view, const Request& request) override;
  bool AcceptsOffer(const PartyView& view, double offer_utility, double next_utility) override;

 private:
  double accept_probability_;
};

}  // namespace parley::strategies
