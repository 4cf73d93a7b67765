// Tit for tat: reciprocate the opponent's concessions (Faratin, Sierra & Jennings 1998,
// "Negotiation decision functions for autonomous agents", imitative tactics; Axelrod's rule).
//
// Concessions are measured in the party's OWN utility: the opponent concedes when its offers
// become worth more to this party. Let a and b be this party's utilities of an opponent's offer
// delta offers back and of its latest offer. The party's target utility T (its next offer is worth
// at least T, the closest outcome above it) then moves:
// - mode=absolute: T <- T - (b - a) (concede as much utility as the opponent gave);
// - mode=relative (default): T <- T * a / b (Faratin's relative tit for tat,
//   x_{t+1} = x_{t-1} * x'_{t-2delta} / x'_{t-2delta+2}, read on this party's utility scale: the
//   same ratio as the opponent's move); when a or b is not positive, the absolute rule applies.
// An opponent that retracts (b < a) is mirrored too: T rises. T starts at Pmax and stays in
// [Pmin, Pmax] (Pmin: the reservation value or 0, Pmax: the best utility, unless min / max are
// given; a min below the reservation value is raised to it unless below_reservation=true, as for
// time_based). Each opponent offer moves T once; with several opponents the party applies the
// smallest concession any of them earned since its last offer (it reciprocates the least
// generous). It accepts by AC_next: an offer worth at least what it would offer now. Among
// outcomes of equal utility it offers the one with the lowest mixed-radix index (BidSpace's order).
//
// Tit for tat never concedes first: against itself, or against a party that never concedes
// (hardliner), nobody moves and the talks deadlock at the deadline. The variant
// opening_tit_for_tat (opening=0.1) makes one unilateral opening concession at its second offer,
// lowering T by `opening` x (Pmax - Pmin) whatever the opponent did; against another reciprocating
// party that concession starts the exchange of concessions (a hardliner still never moves).
//
// Parameters (defaults): mode=relative|absolute; delta=1 (offers back compared);
// min=-1, max=-1 (negative: automatic, as for time_based); below_reservation=false;
// opening=0 (tit_for_tat) or 0.1 (opening_tit_for_tat), a fraction in [0, 1].
#pragma once

#include <map>
#include <vector>

#include "parley/strategies/common/principal.h"

namespace parley::strategies {

enum class TitForTatMode { kRelative, kAbsolute };

struct TitForTatConfig {
  TitForTatMode mode = TitForTatMode::kRelative;
  int delta = 1;
  double min = -1;
  double max = -1;
  bool below_reservation = false;
  double opening = 0;  // the one opening concession, a fraction of Pmax - Pmin
};

class TitForTatStrategy : public PrincipalStrategy {
 public:
  explicit TitForTatStrategy(TitForTatConfig config) : config_(config) {}
  double target() const { return target_; }

 protected:
  void OnInitialize(const PartyView& view) override;
  void OnConstraintsChanged() override;
  void OnReceived(const PartyView& view, const ReceivedOffer& offer) override;
  model::Outcome NextOffer(const PartyView& view, const Request& request) override;
  bool AcceptsOffer(const PartyView& view, double offer_utility, double next_utility) override;
  void OnOffered(const model::Outcome& offer) override;

 private:
  double Pmin() const;
  double Pmax() const;
  // Applies the concessions earned since the last update.
  void Reciprocate();

  struct History {
    std::vector<double> utilities;  // this party's utility of each of the opponent's offers
    std::size_t applied = 0;        // offers whose concession was already reciprocated
  };
  TitForTatConfig config_;
  double target_ = 0;
  std::map<std::size_t, History> histories_;  // per opponent
  int offers_made_ = 0;
  bool opened_ = false;  // the opening concession was made
};

}  // namespace parley::strategies
