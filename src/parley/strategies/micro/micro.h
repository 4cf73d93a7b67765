// MiCRO: Monotonic Concession with Reciprocal Offers (de Jonge 2022, "An analysis of the linear
// bilateral ANAC domains using the MiCRO benchmark strategy", IJCAI; in ANL 2022/23 it beat most
// entrants). The rule, as in the paper and NegMAS's implementation:
// - the party ranks its outcomes from best to worst (only those worth at least its reservation
//   value and allowed by its red lines) and proposes them in that order;
// - with m distinct offers received and n distinct offers made, it concedes (proposes the next
//   unproposed outcome) only when n <= m; otherwise it repeats one of its earlier offers, chosen at
//   random. So it never concedes twice without a new distinct offer from the opponent;
// - it accepts an offer worth at least what it would propose next when conceding, or at least its
//   worst offer so far when not (never below its reservation value).
// With several opponents, m is the smallest number of distinct offers any of them made (each must
// reciprocate). Above BidSpace's sorted limit outcomes cannot be ranked one by one; there the
// "next outcome" is the one BidSpace::FindBelow finds in [u - step, u), step = 1e-3 of the utility
// range, below the worst utility proposed so far. A new phase (new constraints) starts the ranking
// again. No parameters.
#pragma once

#include <map>
#include <optional>
#include <set>

#include "parley/strategies/common/principal.h"

namespace parley::strategies {

class MicroStrategy : public PrincipalStrategy {
 public:
  std::size_t num_proposed() const { return proposed_.size(); }

 protected:
  void OnInitialize(const PartyView& view) override;
  void OnConstraintsChanged() override;
  void OnReceived(const PartyView& view, const ReceivedOffer& offer) override;
  model::Outcome NextOffer(const PartyView& view, const Request& request) override;
  bool AcceptsOffer(const PartyView& view, double offer_utility, double next_utility) override;
  void OnOffered(const model::Outcome& offer) override;

 private:
  void Reset();
  std::size_t OpponentDistinct() const;

  std::set<model::Outcome> proposed_;
  std::vector<model::Outcome> proposed_order_;  // for a deterministic random repeat
  std::optional<double> worst_proposed_;
  std::size_t next_rank_ = 0;
  bool conceding_ = false;
  std::map<std::size_t, std::set<model::Outcome>> received_distinct_;
};

}  // namespace parley::strategies
