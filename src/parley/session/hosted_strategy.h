// HostedStrategy: one party's strategy played outside a parley session, by a protocol that
// another engine runs (NegMAS's mechanisms, through the Python package's ParleyNegotiator).
//
// The host does what a session does for the party: it sets the clock, delivers the messages the
// party may see, and asks it to act on a request. The strategy gets a PartyView built as a session
// builds it and an rng seeded as a session seeds it (PartySeed), so given the same clock, messages
// and requests it decides exactly as it would inside a parley session with that seed. Answers are
// not checked against the request: the host's protocol judges them.
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/model/scenario.h"
#include "parley/protocols/protocol.h"
#include "parley/strategies/strategy.h"

namespace parley::session {

class HostedStrategy {
 public:
  // Builds the strategy `spec` (looked up in `registry`, null: the global one) for party
  // `party_idx` of `scenario`, and initialises it at round 0 of `max_rounds`. `protocol` is the
  // name the view shows. Errors (kInvalidInput): the spec does not resolve (Registry::Resolve,
  // field "strategy"), a party index out of range, a party that does not take part, or
  // max_rounds below 1.
  static Result<std::unique_ptr<HostedStrategy>> Create(
      std::shared_ptr<const model::Scenario> scenario, std::size_t party_idx,
      const std::string& spec, std::uint64_t seed, int max_rounds, const std::string& protocol,
      const strategies::StrategyRegistry* registry = nullptr);

  const protocols::PartyView& view() const { return *view_; }
  const std::string& canonical() const { return canonical_; }

  void SetClock(const protocols::Clock& clock) { view_->SetClock(clock); }
  // Adds a message to the party's inbox; its sequence is set to the inbox position.
  void Deliver(protocols::Message message);
  // The strategy's answer to `request`, as it stands.
  protocols::Action Act(const protocols::Request& request);

 private:
  HostedStrategy() = default;

  std::shared_ptr<const model::Scenario> scenario_;
  model::OutcomeSpace space_;
  std::vector<protocols::PublicParty> parties_;
  std::unique_ptr<protocols::PartyView> view_;
  std::unique_ptr<strategies::Strategy> strategy_;
  std::string canonical_;
  std::mt19937_64 rng_;
};

}  // namespace parley::session
