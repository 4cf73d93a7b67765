#include "parley/strategies/random/random.h"

#include <algorithm>
#include <random>

namespace parley::strategies {

model::Outcome RandomStrategy::NextOffer(const PartyView& view, const Request& request) {
  (void)view;
  (void)request;
  constexpr int kDraws = 32;
  for (int draw = 0; draw < kDraws; ++draw) {
    model::Outcome outcome = bids().Random(rng());
    if (Rational(outcome)) return outcome;
  }
  const double low = std::min(reservation(), bids().MaxUtility());
  std::uniform_real_distribution<double> level(low, bids().MaxUtility());
  return bids().Find(level(rng()), rng());
}

bool RandomStrategy::AcceptsOffer(const PartyView& view, double offer_utility,
                                  double next_utility) {
  (void)view;
  (void)offer_utility;
  (void)next_utility;
  return std::bernoulli_distribution(std::clamp(accept_probability_, 0.0, 1.0))(rng());
}

namespace {

StrategyDescriptor RandomDescriptor() {
  StrategyDescriptor descriptor;
  descriptor.name = "random";
  descriptor.summary =
      "Baseline: random offers above its reservation value; accepts an acceptable offer with "
      "probability p";
  descriptor.parameters = {{"p", protocols::ParameterType::kDouble, "0.5",
                            "probability of accepting an offer worth at least the reservation "
                            "value"}};
  descriptor.roles = {model::Role::kPrincipal};
  descriptor.create = [](const protocols::Parameters& parameters) -> std::unique_ptr<Strategy> {
    return std::make_unique<RandomStrategy>(parameters.GetDouble("p"));
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::RandomDescriptor());
