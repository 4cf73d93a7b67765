// Time-dependent concession (Faratin, Sierra & Jennings 1998; GENIUS's TimeDependentAgent).
//
// The party aims at a utility that falls with relative time t in [0, 1]:
//   p(t) = Pmin + (Pmax - Pmin) * (1 - t^(1/e))
// e < 1 concedes late (Boulware), e = 1 linearly, e > 1 early (Conceder); e <= 0 never concedes
// before the deadline. Pmin defaults to the party's reservation value (0 when none is stated) and
// Pmax to its best utility under the request's constraints; Pmin is lowered to Pmax when above it.
// A `min` below the reservation value is raised to it: a principal never offers what is worth
// less to it than walking away (the opponent could accept it), unless below_reservation=true says
// the stated reservation value should not bind its offers (a party bluffing about it, or testing
// what an over-eager negotiator gives away); it still never accepts an offer below it (the
// PrincipalStrategy skeleton refuses those).
// It offers the outcome whose utility is at least p(t) and closest to it (BidSpace), so its offers
// never fall below Pmin. Among outcomes of equal utility, without an opponent model the one with
// the lowest mixed-radix index (first issue most significant) is offered (BidSpace's order). With
// an opponent model, it considers up to `candidates` outcomes whose utility lies in
// [p(t), p(t) + window], always including every outcome tied with the closest one, and offers the
// one the model rates best for the opponents (the lowest estimate over the parties whose offers it
// has seen, so no opponent is left behind), as in HardHeaded and other ANAC agents; so ties go to
// the opponents' likely favourite rather than to an index. Acceptance: AC_next by default (accept
// when the offer is worth at least what it would offer now); see acceptance.h for the others.
//
// Registered as (same parameters, different defaults):
//   time_based          e=0.2
//   boulware            e=0.2
//   linear              e=1
//   conceder            e=2
//   frequency_boulware  e=0.2, model=frequency
//   bayesian_boulware   e=0.2, model=bayesian
// Parameters (defaults): e; min=-1 and max=-1 (a negative value means the automatic Pmin / Pmax
// above); below_reservation=false; model=none|frequency|bayesian; window=0.02; candidates=16;
// accept=next|const|time|combi|next_or_const|next_or_time (next); accept_alpha=1; accept_beta=0;
// accept_constant=0.9; accept_time=0.98.
#pragma once

#include <map>
#include <memory>

#include "parley/strategies/common/acceptance.h"
#include "parley/strategies/common/opponent_model.h"
#include "parley/strategies/common/principal.h"

namespace parley::strategies {

struct TimeBasedConfig {
  double e = 0.2;
  double min = -1;                 // negative: the reservation value (or 0)
  double max = -1;                 // negative: the best utility
  bool below_reservation = false;  // let `min` go below the reservation value
  OpponentModelKind model = OpponentModelKind::kNone;
  double window = 0.02;
  int candidates = 16;
  AcceptanceCondition acceptance;
};

// The target curve: Pmin + (Pmax - Pmin) * (1 - t^(1/e)), t clamped to [0, 1].
double TimeBasedTarget(double time, double e, double pmin, double pmax);

class TimeBasedStrategy : public PrincipalStrategy {
 public:
  explicit TimeBasedStrategy(TimeBasedConfig config) : config_(config) {}

  // Pmin and Pmax under the current constraints.
  double Pmin() const;
  double Pmax() const;
  // p(t) with this party's Pmin and Pmax.
  double Target(double time) const { return TimeBasedTarget(time, config_.e, Pmin(), Pmax()); }
  const TimeBasedConfig& config() const { return config_; }

 protected:
  void OnInitialize(const PartyView& view) override;
  void OnReceived(const PartyView& view, const ReceivedOffer& offer) override;
  model::Outcome NextOffer(const PartyView& view, const Request& request) override;
  bool AcceptsOffer(const PartyView& view, double offer_utility, double next_utility) override;

 private:
  TimeBasedConfig config_;
  std::map<std::size_t, std::unique_ptr<OpponentModel>> models_;  // per sender
};

}  // namespace parley::strategies
