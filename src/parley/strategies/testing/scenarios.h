// Test-only helpers for the strategies' tests: small hand-built and seeded random scenarios, views
// and messages, so strategies can be driven directly without a session. Header-only, included by
// *_test.cc files only.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "parley/model/scenario.h"
#include "parley/protocols/protocol.h"
#include "parley/strategies/strategy.h"
#include "parley/testing/random_scenario.h"

namespace parley::strategies::testing {

inline std::vector<model::Issue> DiscreteIssues(std::size_t num_issues, std::size_t num_options,
                                                bool ordered = false) {
  std::vector<model::Issue> issues;
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    std::vector<std::string> labels;
    for (std::size_t option = 0; option < num_options; ++option) {
      labels.push_back("o" + std::to_string(option));
    }
    issues.push_back(model::Issue::Discrete("i" + std::to_string(issue_idx), labels, ordered));
  }
  return issues;
}

// Additive utility from per-issue weights and option values (tables).
inline std::shared_ptr<const model::UtilityFunction> Additive(
    std::vector<double> weights, const std::vector<std::vector<double>>& tables) {
  std::vector<model::ValueFunction> values(tables.size());
  for (std::size_t issue_idx = 0; issue_idx < tables.size(); ++issue_idx) {
    values[issue_idx].table = tables[issue_idx];
  }
  return std::make_shared<model::AdditiveUtility>(std::move(weights), std::move(values));
}

// Random weights (summing to 1) and values in [0, 1) (parley::testing's generator).
inline std::shared_ptr<const model::UtilityFunction> RandomAdditive(
    const std::vector<model::Issue>& issues, std::mt19937_64& rng) {
  ::parley::testing::RandomPartySpec spec;
  spec.reservation_max = std::nullopt;
  return ::parley::testing::MakeRandomParty(issues, "random", spec, rng).preferences->utility;
}

inline model::Party Principal(std::string id, std::shared_ptr<const model::UtilityFunction> utility,
                              std::optional<double> reservation = std::nullopt) {
  model::Party party;
  party.id = id;
  party.name = id;
  party.role = model::Role::kPrincipal;
  party.preferences = model::Preferences{};
  party.preferences->utility = std::move(utility);
  party.preferences->reservation_value = reservation;
  return party;
}

// One integer issue with 101 options worth 0, 0.01, ..., 1 to party 0 ("me") and the reverse to
// party 1 ("you"): every utility level exists, so an offer's utility shows a target exactly.
inline model::Scenario LineScenario(std::optional<double> my_reservation = std::nullopt) {
  model::Scenario scenario;
  scenario.issues = {model::Issue::Integer("price", 0, 100)};
  std::vector<double> mine;
  std::vector<double> theirs;
  for (int option = 0; option <= 100; ++option) {
    mine.push_back(option / 100.0);
    theirs.push_back(1.0 - option / 100.0);
  }
  scenario.parties.push_back(Principal("me", Additive({1.0}, {mine}), my_reservation));
  scenario.parties.push_back(Principal("you", Additive({1.0}, {theirs})));
  return scenario;
}

inline model::Party Mediator(std::string id) {
  model::Party party;
  party.id = id;
  party.name = id;
  party.role = model::Role::kMediator;
  return party;
}

// `num_principals` random additive principals on `issues`, optionally followed by a mediator.
inline model::Scenario RandomScenario(std::vector<model::Issue> issues, std::size_t num_principals,
                                      std::uint64_t seed, bool with_mediator = false) {
  std::mt19937_64 rng(seed);
  model::Scenario scenario;
  scenario.name = "random";
  scenario.issues = std::move(issues);
  for (std::size_t party_idx = 0; party_idx < num_principals; ++party_idx) {
    scenario.parties.push_back(
        Principal("p" + std::to_string(party_idx), RandomAdditive(scenario.issues, rng)));
  }
  if (with_mediator) scenario.parties.push_back(Mediator("m"));
  return scenario;
}

inline std::vector<protocols::PublicParty> PublicParties(const model::Scenario& scenario) {
  std::vector<protocols::PublicParty> parties;
  for (const model::Party& party : scenario.parties) {
    parties.push_back({party.id, party.name, party.role});
  }
  return parties;
}

// A scenario with its outcome space, kept alive together (views point into both).
struct Fixture {
  explicit Fixture(model::Scenario scenario_in)
      : scenario(std::move(scenario_in)), space(scenario.BuildOutcomeSpace()) {}
  protocols::PartyView View(std::size_t self, double time = 0, int max_rounds = 100) const {
    protocols::PartyView view(self, scenario, space, PublicParties(scenario), "test");
    protocols::Clock clock;
    clock.max_rounds = max_rounds;
    clock.round = static_cast<int>(time * max_rounds);
    clock.relative_time = time;
    view.SetClock(clock);
    return view;
  }
  model::Scenario scenario;
  model::OutcomeSpace space;
};

inline void SetTime(protocols::PartyView& view, double time, int max_rounds = 100) {
  protocols::Clock clock;
  clock.max_rounds = max_rounds;
  clock.round = static_cast<int>(time * max_rounds);
  clock.relative_time = time;
  view.SetClock(clock);
}

inline protocols::Message Offer(std::size_t sender, std::vector<std::size_t> recipients,
                                model::Outcome outcome, double time = 0,
                                protocols::ActionType type = protocols::ActionType::kOffer) {
  protocols::Message message;
  message.sender = sender;
  message.recipients = std::move(recipients);
  message.type = type;
  message.outcome = std::move(outcome);
  message.time = time;
  return message;
}

// Alternating offers' request: respond to `standing` (accept, counter-offer or end), or open.
inline protocols::Request RespondRequest(std::optional<model::Outcome> standing, std::size_t from) {
  protocols::Request request;
  if (standing) {
    request.allowed = {protocols::ActionType::kAccept, protocols::ActionType::kOffer,
                       protocols::ActionType::kEndNegotiation};
    request.standing_offer = std::move(standing);
    request.standing_offer_from = from;
  } else {
    request.allowed = {protocols::ActionType::kOffer, protocols::ActionType::kEndNegotiation};
  }
  request.fallback = protocols::ActionType::kEndNegotiation;
  return request;
}

// A single-text vote on `text` proposed by `mediator`.
inline protocols::Request VoteRequest(model::Outcome text, std::size_t mediator) {
  protocols::Request request;
  request.allowed = {protocols::ActionType::kAccept, protocols::ActionType::kReject,
                     protocols::ActionType::kVote, protocols::ActionType::kEndNegotiation};
  request.standing_offer = std::move(text);
  request.standing_offer_from = mediator;
  request.may_address = {mediator};
  request.fallback = protocols::ActionType::kReject;
  return request;
}

// A mediator's request to propose a text to `principals`.
inline protocols::Request ProposeRequest(std::vector<std::size_t> principals,
                                         std::optional<model::Outcome> standing = std::nullopt) {
  protocols::Request request;
  request.allowed = {protocols::ActionType::kOffer, protocols::ActionType::kPass};
  request.standing_offer = std::move(standing);
  request.may_address = std::move(principals);
  request.fallback = protocols::ActionType::kPass;
  return request;
}

// A strategy from a registry spec such as "boulware(e=0.5)"; nullptr (and a test failure
// message in `error`) when the spec does not parse.
inline std::unique_ptr<Strategy> MakeStrategy(const std::string& text,
                                              std::string* error = nullptr) {
  Result<protocols::ResolvedSpec<StrategyDescriptor>> resolved =
      StrategyRegistry::Global().Resolve(text);
  if (!resolved.ok()) {
    if (error) *error = resolved.status().ToString();
    return nullptr;
  }
  return resolved->descriptor->create(resolved->parameters);
}

// Utilities of every outcome of a small space, sorted ascending.
inline std::vector<double> SortedUtilities(const model::UtilityFunction& utility,
                                           const model::OutcomeSpace& space) {
  std::vector<double> values;
  (void)space.ForEach(10'000'000, [&](const model::Outcome& outcome) {
    values.push_back(utility.Evaluate(outcome));
  });
  std::sort(values.begin(), values.end());
  return values;
}

}  // namespace parley::strategies::testing
