#include "parley/strategies/hardliner/hardliner.h"

namespace parley::strategies {

model::Outcome HardlinerStrategy::NextOffer(const PartyView& view, const Request& request) {
  (void)view;
  (void)request;
  return bids().Best();
}

bool HardlinerStrategy::AcceptsOffer(const PartyView& view, double offer_utility,
                                     double next_utility) {
  (void)view;
  (void)next_utility;
  return offer_utility >= bids().MaxUtility();
}

namespace {

StrategyDescriptor HardlinerDescriptor() {
  StrategyDescriptor descriptor;
  descriptor.name = "hardliner";
  descriptor.summary = "Never concedes: always offers its best outcome, accepts only its best";
  descriptor.roles = {model::Role::kPrincipal};
  descriptor.create = [](const protocols::Parameters&) -> std::unique_ptr<Strategy> {
    return std::make_unique<HardlinerStrategy>();
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::HardlinerDescriptor());
