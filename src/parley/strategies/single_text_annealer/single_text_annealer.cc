#include "parley/strategies/single_text_annealer/single_text_annealer.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace parley::strategies {

double SingleTextAnnealerStrategy::AdoptionProbability(int dissent, double temperature,
                                                       double time) {
  if (dissent <= 0) return 1.0;
  const double current = temperature * (1.0 - std::clamp(time, 0.0, 1.0));
  if (current <= 0) return 0.0;
  return std::exp(-static_cast<double>(dissent) / current);
}

std::optional<bool> SingleTextAnnealerStrategy::DecideByVotes(double time) {
  if (answers().empty()) return std::nullopt;
  int dissent = 0;
  for (const auto& [principal, accepted] : answers()) {
    if (!accepted) ++dissent;
  }
  const double probability = AdoptionProbability(dissent, temperature_, time);
  if (probability >= 1.0) return true;
  if (probability <= 0.0) return false;
  return std::bernoulli_distribution(probability)(rng());
}

std::optional<model::Outcome> SingleTextAnnealerStrategy::Propose(const PartyView& view,
                                                                  const Request& request) {
  if (request.standing_offer && space().Contains(*request.standing_offer)) {
    current_ = *request.standing_offer;
  } else if (last_proposal()) {
    std::optional<bool> adopt = DecideByVotes(protocols::PacingClock(view, request).relative_time);
    if (adopt.value_or(false)) current_ = *last_proposal();
  }
  if (!current_) return RandomOutcome(request);
  return Mutate(*current_, std::max(mutations_, 1), request);
}

std::optional<bool> SingleTextAnnealerStrategy::Adopt(const PartyView& view,
                                                      const Request& request) {
  return DecideByVotes(protocols::PacingClock(view, request).relative_time);
}

namespace {

StrategyDescriptor SingleTextAnnealerDescriptor() {
  using protocols::ParameterType;
  StrategyDescriptor descriptor;
  descriptor.name = "single_text_annealer";
  descriptor.summary =
      "Mediator (Klein et al. 2003): mutates the current text, keeps mutations every principal "
      "accepts, and by annealing some that a few rejected";
  descriptor.parameters = {
      {"temperature", ParameterType::kDouble, "1",
       "initial temperature in rejecting votes (adopt with probability exp(-rejections / T)); "
       "0: unanimity only"},
      {"mutations", ParameterType::kInt, "1", "issues changed per proposal"},
  };
  descriptor.roles = {model::Role::kMediator};
  descriptor.create = [](const protocols::Parameters& parameters) -> std::unique_ptr<Strategy> {
    return std::make_unique<SingleTextAnnealerStrategy>(
        parameters.GetDouble("temperature"),
        static_cast<int>(std::clamp<std::int64_t>(parameters.GetInt("mutations"), 1, 1000)));
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::SingleTextAnnealerDescriptor());
