// Hardliner: never concedes. It always offers its best outcome (under the request's constraints,
// and allowed by its own red lines when one is) and accepts only an offer worth as much to it as
// that best outcome. The degenerate time-dependent strategy (e -> 0); a baseline that shows what a
// party gains or loses by not moving. No parameters.
#pragma once

#include "parley/strategies/common/principal.h"

namespace parley::strategies {

class HardlinerStrategy : public PrincipalStrategy {
 protected:
  model::Outcome NextOffer(const PartyView& view, const Request& request) override;
  bool AcceptsOffer(const PartyView& view, double offer_utility, double next_utility) override;
  bool LearnsFromOffers() const override { return false; }
};

}  // namespace parley::strategies
