#include "parley/strategies/hill_climber/hill_climber.h"

#include <algorithm>

namespace parley::strategies {

model::Outcome HillClimberStrategy::NextOffer(const PartyView& view, const Request& request) {
  (void)view;
  (void)request;
  const double best = bids().MaxUtility();
  const double floor = std::min(reservation(), best);
  const double target = best - (best - floor) * time();
  return bids().Find(target, rng());
}

bool HillClimberStrategy::AcceptsOffer(const PartyView& view, double offer_utility,
                                       double next_utility) {
  (void)view;
  return offer_utility >= next_utility;
}

double HillClimberStrategy::ReferenceUtility(const model::Outcome& text) const {
  const std::optional<model::Outcome>& reference = reference_text();
  if (reference && *reference != text) return bids().Utility(*reference);
  return reservation();
}

bool HillClimberStrategy::VotesFor(const PartyView& view, const model::Outcome& text,
                                   double text_utility, double next_utility) {
  (void)view;
  (void)next_utility;
  return text_utility >= ReferenceUtility(text);
}

namespace {

StrategyDescriptor HillClimberDescriptor() {
  StrategyDescriptor descriptor;
  descriptor.name = "hill_climber";
  descriptor.summary =
      "Single-text voter (Klein et al. 2003): accepts a text only if it is at least as good for "
      "it as the standing (or previous) text";
  descriptor.roles = {model::Role::kPrincipal};
  descriptor.create = [](const protocols::Parameters&) -> std::unique_ptr<Strategy> {
    return std::make_unique<HillClimberStrategy>();
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::HillClimberDescriptor());
