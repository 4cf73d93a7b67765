// Strategies: a party's decision logic within a protocol.
//
// A strategy sees the protocol interface only (protocols/protocol.h): its PartyView and the
// current Request. It never sees a concrete protocol, another party's preferences, or messages
// not addressed to it. Strategies must be deterministic given the rng they are handed, and must
// never enumerate a huge outcome space: bid search goes through strategies/common/bid_space.h.
#pragma once

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "parley/protocols/protocol.h"

namespace parley::strategies {

using protocols::Action;
using protocols::ActionType;
using protocols::PartyView;
using protocols::Request;

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Called once before the first request, with this party's view and its own seeded rng.
  virtual void Initialize(const PartyView& view, std::mt19937_64& rng) {
    (void)view;
    (void)rng;
  }
  // Answers a request. Returning an action the request does not allow is recorded as illegal.
  virtual Action Act(const PartyView& view, const Request& request) = 0;
};

struct StrategyDescriptor {
  static constexpr const char* kKind = "strategy";
  std::string name;
  std::string summary;
  std::vector<protocols::ParameterSpec> parameters;
  // Roles the strategy can play (principal, mediator).
  std::vector<model::Role> roles = {model::Role::kPrincipal};
  std::function<std::unique_ptr<Strategy>(const protocols::Parameters&)> create;
};

using StrategyRegistry = protocols::Registry<StrategyDescriptor>;

}  // namespace parley::strategies

#define PARLEY_REGISTER_STRATEGY(descriptor)                                         \
  static const bool PARLEY_REGISTRY_CONCAT_(parley_strategy_registered_, __LINE__) = \
      ::parley::strategies::StrategyRegistry::Global().Register(descriptor)
