// Small hand-made and seeded random scenarios for the session module's tests (header only; not
// part of the library; random preferences come from parley::testing).
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "parley/base/check.h"
#include "parley/model/scenario.h"
#include "parley/model/utility.h"
#include "parley/model/validate.h"
#include "parley/testing/random_scenario.h"

namespace parley::session::testing {

inline model::ValueFunction Table(std::vector<double> values) {
  model::ValueFunction function;
  function.table = std::move(values);
  return function;
}

inline model::Party MakeParty(std::string id, model::Role role, std::vector<double> weights,
                              std::vector<std::vector<double>> tables, double reservation,
                              double discount = 1.0) {
  model::Party party;
  party.id = id;
  party.name = "Party " + id;
  party.role = role;
  std::vector<model::ValueFunction> values;
  for (auto& table : tables) values.push_back(Table(std::move(table)));
  model::Preferences preferences;
  preferences.utility = std::make_shared<model::AdditiveUtility>(std::move(weights), values);
  preferences.reservation_value = reservation;
  preferences.discount = discount;
  party.preferences = std::move(preferences);
  return party;
}

// Issue a: a0 is p0's favourite, a1 p1's; issue b: both prefer b0. Weights 1/2 each.
// Utilities (p0, p1): (a0,b0) = (1, .5); (a1,b0) = (.5, 1); (a0,b1) = (.5, 0); (a1,b1) = (0, .5).
// Frontier: (1, .5) and (.5, 1). With reservations 0.2 (p0) and 0 (p1), Nash maximises
// (u0 - .2) * u1: .4 at (a0,b0) against .3 at (a1,b0); Kalai-Smorodinsky too (min .5 vs .375).
inline model::Scenario HandScenario(double discount = 1.0) {
  model::Scenario scenario;
  scenario.name = "hand";
  scenario.issues = {model::Issue::Discrete("a", {"a0", "a1"}),
                     model::Issue::Discrete("b", {"b0", "b1"})};
  scenario.parties.push_back(
      MakeParty("p0", model::Role::kPrincipal, {0.5, 0.5}, {{1, 0}, {1, 0}}, 0.2, discount));
  scenario.parties.push_back(
      MakeParty("p1", model::Role::kPrincipal, {0.5, 0.5}, {{0, 1}, {1, 0}}, 0.0, discount));
  PARLEY_CHECK(model::ValidateScenario(scenario).ok());
  return scenario;
}

// Three issues of 3-4 options, `principals` principals with seeded random values (equal weights,
// reservations below 0.1, discount 0.95), an enabled mediator with preferences and a disabled one.
inline model::Scenario RandomScenario(int principals, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  model::Scenario scenario;
  scenario.name = "random";
  scenario.issues = {model::Issue::Discrete("x", {"x0", "x1", "x2"}),
                     model::Issue::Integer("n", 0, 3), model::Issue::Real("r", 0, 1, 0.5)};
  ::parley::testing::RandomPartySpec spec;
  spec.equal_weights = true;
  spec.reservation_max = 0.1;
  spec.discount = 0.95;
  auto random_party = [&](std::string id, model::Role role) {
    model::Party party = ::parley::testing::MakeRandomParty(scenario.issues, id, spec, rng);
    party.name = "Party " + id;
    party.role = role;
    return party;
  };
  for (int party_idx = 0; party_idx < principals; ++party_idx) {
    scenario.parties.push_back(
        random_party("p" + std::to_string(party_idx), model::Role::kPrincipal));
  }
  scenario.parties.push_back(random_party("m", model::Role::kMediator));
  scenario.parties.push_back(random_party("off", model::Role::kMediator));
  scenario.parties.back().enabled = false;
  PARLEY_CHECK(model::ValidateScenario(scenario).ok());
  return scenario;
}

}  // namespace parley::session::testing
