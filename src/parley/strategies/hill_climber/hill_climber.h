// Hill climber: the voter of Klein, Faratin, Sayama & Bar-Yam 2003 ("Protocols for negotiating
// complex contracts") in single-text mediation. Shown a text, it votes to accept when the text is
// worth at least as much to it as the reference text: the text the mediator last announced as
// adopted (the standing text), else the previous text it was shown, else its reservation value.
// It never votes for a text below its reservation value or across its red lines, so a hill
// climber's agreement is at least as good for it as walking away.
//
// Outside votes (e.g. alternating offers, or shuttle talks asking for a proposal) it concedes
// linearly from its best utility to its reservation value over time and accepts by AC_next, so it
// still plays every protocol. No parameters.
#pragma once

#include "parley/strategies/common/principal.h"

namespace parley::strategies {

class HillClimberStrategy : public PrincipalStrategy {
 protected:
  model::Outcome NextOffer(const PartyView& view, const Request& request) override;
  bool AcceptsOffer(const PartyView& view, double offer_utility, double next_utility) override;
  bool VotesFor(const PartyView& view, const model::Outcome& text, double text_utility,
                double next_utility) override;
  // The utility the text is compared with.
  double ReferenceUtility(const model::Outcome& text) const;
};

}  // namespace parley::strategies
