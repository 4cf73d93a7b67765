#include "parley/session/hosted_strategy.h"

#include "parley/session/session.h"

namespace parley::session {

Result<std::unique_ptr<HostedStrategy>> HostedStrategy::Create(
    std::shared_ptr<const model::Scenario> scenario, std::size_t party_idx, const std::string& spec,
    std::uint64_t seed, int max_rounds, const std::string& protocol,
    const strategies::StrategyRegistry* registry) {
  if (party_idx >= scenario->parties.size()) {
    return InvalidInput("party #" + std::to_string(party_idx) + " out of range: the scenario has " +
                            std::to_string(scenario->parties.size()) + " parties",
                        Location::InField("party"));
  }
  const model::Party& party = scenario->parties[party_idx];
  if (!party.enabled || party.role == model::Role::kObserver) {
    return InvalidInput("party '" + party.id + "' does not take part (" +
                            (party.enabled ? "an observer" : "disabled") + ")",
                        Location::InField("party"));
  }
  if (max_rounds < 1) {
    return InvalidInput("rounds must be at least 1, got " + std::to_string(max_rounds),
                        Location::InField("rounds"));
  }
  const strategies::StrategyRegistry& strategies =
      registry != nullptr ? *registry : strategies::StrategyRegistry::Global();
  PARLEY_ASSIGN_OR_RETURN(protocols::ResolvedSpec<strategies::StrategyDescriptor> resolved,
                          strategies.Resolve(spec, party.role, "strategy"));
  std::unique_ptr<HostedStrategy> hosted(new HostedStrategy());
  hosted->scenario_ = std::move(scenario);
  hosted->space_ = hosted->scenario_->BuildOutcomeSpace();
  for (const model::Party& listed : hosted->scenario_->parties) {
    hosted->parties_.push_back(protocols::PublicParty{listed.id, listed.name, listed.role});
  }
  hosted->view_ = std::make_unique<protocols::PartyView>(
      party_idx, *hosted->scenario_, hosted->space_, hosted->parties_, protocol);
  hosted->view_->SetClock(protocols::Clock{0, max_rounds, 0.0});
  hosted->strategy_ = resolved.descriptor->create(resolved.parameters);
  hosted->canonical_ = std::move(resolved.canonical);
  hosted->rng_.seed(PartySeed(seed, party_idx));
  hosted->strategy_->Initialize(*hosted->view_, hosted->rng_);
  return hosted;
}

void HostedStrategy::Deliver(protocols::Message message) {
  message.sequence = view_->inbox().size();
  view_->Deliver(message);
}

protocols::Action HostedStrategy::Act(const protocols::Request& request) {
  return strategy_->Act(*view_, request);
}

}  // namespace parley::session
