#include "parley/strategies/annealer/annealer.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace parley::strategies {

double AnnealerStrategy::AcceptanceProbability(double loss, double temperature, double time) {
  if (loss <= 0) return 1.0;
  const double current = temperature * (1.0 - std::clamp(time, 0.0, 1.0));
  if (current <= 0) return 0.0;
  return std::exp(-loss / current);
}

bool AnnealerStrategy::VotesFor(const PartyView& view, const model::Outcome& text,
                                double text_utility, double next_utility) {
  (void)view;
  (void)next_utility;
  const double loss = ReferenceUtility(text) - text_utility;
  const double probability = AcceptanceProbability(loss, temperature_, time());
  if (probability >= 1.0) return true;
  if (probability <= 0.0) return false;
  return std::bernoulli_distribution(probability)(rng());
}

namespace {

StrategyDescriptor AnnealerDescriptor() {
  StrategyDescriptor descriptor;
  descriptor.name = "annealer";
  descriptor.summary =
      "Single-text voter (Klein et al. 2003): accepts better texts, and worse ones with "
      "probability exp(-loss / T) as the temperature T cools to 0";
  descriptor.parameters = {{"temperature", protocols::ParameterType::kDouble, "0.1",
                            "initial temperature in utility units; cools linearly to 0"}};
  descriptor.roles = {model::Role::kPrincipal};
  descriptor.create = [](const protocols::Parameters& parameters) -> std::unique_ptr<Strategy> {
    return std::make_unique<AnnealerStrategy>(parameters.GetDouble("temperature"));
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::AnnealerDescriptor());
