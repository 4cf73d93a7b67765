// Stacked alternating offers (SAOP): Rubinstein's alternating-offers protocol (Rubinstein 1982)
// extended to n principals as in GENIUS and GeniusWeb ("stacked alternating offers", Aydogan et
// al. 2017).
//
// Principals take turns in scenario order, starting with the one at position `first`. The first
// to act must make an offer (or end the negotiation). Each next party either accepts the standing
// offer, makes a counter-offer (which rejects the standing one and becomes the new standing offer)
// or ends the negotiation. The standing offer is agreed once every other principal has accepted
// it, one after the other. A round is every principal acting once; the session's deadline in rounds
// (or wall time) ends it without agreement. Every action is public: it is sent to all principals,
// the actor included. Mediators, if any, take no part. An illegal action ends the negotiation, as
// in GENIUS, with the offending party as the one who ended it.
//
// Parameters: first (integer, default 0): position among the principals (scenario order) of the
// party that opens.
#pragma once

#include "parley/protocols/protocol.h"

namespace parley::protocols {

class AlternatingOffers final : public Protocol {
 public:
  explicit AlternatingOffers(std::int64_t first) : first_(first) {}
  Status Prepare(SessionContext& context) override;
  Task<> Run(SessionContext& context) override;

 private:
  std::int64_t first_;
};

}  // namespace parley::protocols
