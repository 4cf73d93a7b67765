// Properties every registered strategy must have, checked over the whole registry: own red lines
// kept, fixed issues kept, deterministic for a seed, no enumeration of a huge space, and, for
// mediators, decisions that depend on their inbox only.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "parley/strategies/strategy.h"
#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

std::vector<const StrategyDescriptor*> Playing(model::Role role) {
  std::vector<const StrategyDescriptor*> found;
  for (const StrategyDescriptor* descriptor : StrategyRegistry::Global().All()) {
    if (std::find(descriptor->roles.begin(), descriptor->roles.end(), role) !=
        descriptor->roles.end()) {
      found.push_back(descriptor);
    }
  }
  return found;
}

TEST(AllStrategiesTest, TheRegistryHoldsEveryStrategy) {
  for (const char* name : {"time_based", "boulware", "linear", "conceder", "hardliner",
                           "tit_for_tat", "opening_tit_for_tat", "micro", "frequency_boulware",
                           "bayesian_boulware", "random", "hill_climber", "annealer",
                           "nash_mediator", "single_text_annealer", "split_the_difference"}) {
    const StrategyDescriptor* descriptor = StrategyRegistry::Global().Find(name);
    ASSERT_NE(descriptor, nullptr) << name;
    EXPECT_FALSE(descriptor->summary.empty()) << name;
    EXPECT_NE(testing::MakeStrategy(name), nullptr) << name << " with default parameters";
  }
  EXPECT_GE(Playing(model::Role::kMediator).size(), 3u);
}

model::RedLine Forbid(const std::string& text, const std::vector<model::Issue>& issues) {
  model::RedLine red_line;
  red_line.text = text;
  red_line.expression = *model::ParseExpression(text, issues);
  return red_line;
}

// Party 0's red lines forbid its own favourite options, so a strategy that ignored them would
// offer forbidden outcomes.
model::Scenario RedLineScenario() {
  model::Scenario scenario = testing::RandomScenario(testing::DiscreteIssues(4, 4), 2, 41);
  const auto& utility =
      dynamic_cast<const model::AdditiveUtility&>(*scenario.parties[0].preferences->utility);
  std::vector<std::string> favourites;
  for (std::size_t issue_idx = 0; issue_idx < 2; ++issue_idx) {
    const auto& table = utility.values()[issue_idx].table;
    std::size_t best = std::max_element(table.begin(), table.end()) - table.begin();
    favourites.push_back("i" + std::to_string(issue_idx) + " == o" + std::to_string(best));
  }
  auto& red_lines = scenario.parties[0].preferences->red_lines;
  red_lines.push_back(Forbid(favourites[0], scenario.issues));
  red_lines.push_back(Forbid("if " + favourites[1] + " then i2 != o0", scenario.issues));
  scenario.parties[0].preferences->reservation_value = 0.2;
  return scenario;
}

// A run of requests of every kind a protocol sends, with standing offers drawn from `rng`.
std::vector<Action> Drive(Strategy& strategy, protocols::PartyView& view, std::uint64_t seed,
                          std::size_t other) {
  std::mt19937_64 rng(seed);
  std::vector<Action> actions;
  auto random_outcome = [&]() {
    model::Outcome outcome(view.space().NumIssues());
    for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
      outcome[issue_idx] =
          static_cast<model::OptionIndex>(std::uniform_int_distribution<std::uint64_t>(
              0, view.space().Cardinality(issue_idx) - 1)(rng));
    }
    return outcome;
  };
  for (int turn = 0; turn < 40; ++turn) {
    testing::SetTime(view, turn / 40.0);
    model::Outcome standing = random_outcome();
    view.Deliver(testing::Offer(other, {view.self(), other}, standing, turn / 40.0));
    protocols::Request request;
    switch (turn % 4) {
      case 0:
        request = testing::RespondRequest(standing, other);
        break;
      case 1:
        request = testing::VoteRequest(standing, other);
        break;
      case 2:  // shuttle: propose or accept the text last received
        request.allowed = {ActionType::kOffer, ActionType::kPass, ActionType::kEndNegotiation,
                           ActionType::kAccept};
        request.standing_offer = standing;
        request.standing_offer_from = other;
        request.may_address = {other};
        break;
      case 3:  // shuttle's follow-up
        request.allowed = {ActionType::kFeedback, ActionType::kConfide, ActionType::kPass};
        request.standing_offer = standing;
        request.standing_offer_from = other;
        request.may_address = {other};
        break;
    }
    Action action = strategy.Act(view, request);
    EXPECT_NE(std::find(request.allowed.begin(), request.allowed.end(), action.type),
              request.allowed.end())
        << "an action the request allows";
    actions.push_back(action);
  }
  return actions;
}

TEST(AllStrategiesTest, PrincipalsNeverOfferOrAcceptWhatTheirRedLinesForbid) {
  testing::Fixture fixture(RedLineScenario());
  const model::Preferences& preferences = *fixture.scenario.parties[0].preferences;
  // The party's best outcome is forbidden, so ignoring the red lines would show.
  model::Outcome best;
  double best_value = -1;
  (void)fixture.space.ForEach(1000, [&](const model::Outcome& outcome) {
    double value = preferences.utility->Evaluate(outcome);
    if (value > best_value) best_value = value, best = outcome;
  });
  ASSERT_FALSE(preferences.AllowedByRedLines(best));
  for (const StrategyDescriptor* descriptor : Playing(model::Role::kPrincipal)) {
    std::unique_ptr<Strategy> strategy = testing::MakeStrategy(descriptor->name);
    protocols::PartyView view = fixture.View(0, 0.0);
    std::mt19937_64 rng(3);
    strategy->Initialize(view, rng);
    for (const Action& action : Drive(*strategy, view, 7, 1)) {
      const bool agrees = action.type == ActionType::kAccept ||
                          (action.type == ActionType::kVote && action.accept.value_or(false));
      if (action.type == ActionType::kOffer || agrees) {
        ASSERT_TRUE(action.outcome.has_value() || agrees) << descriptor->name;
      }
      if (action.type == ActionType::kOffer) {
        EXPECT_TRUE(preferences.AllowedByRedLines(*action.outcome))
            << descriptor->name << " offered an outcome its red lines forbid";
      }
      if (action.type == ActionType::kAccept) {
        EXPECT_TRUE(preferences.AllowedByRedLines(*action.outcome)) << descriptor->name;
        EXPECT_GE(preferences.utility->Evaluate(*action.outcome), 0.2) << descriptor->name;
      }
    }
  }
}

// No principal offers what is worth less to it than walking away (the other side could accept
// it), whatever its `min` says, unless a documented parameter (below_reservation) allows it.
TEST(AllStrategiesTest, PrincipalsNeverOfferBelowTheirReservationValue) {
  model::Scenario scenario = testing::RandomScenario(testing::DiscreteIssues(4, 4), 2, 17);
  scenario.parties[0].preferences->reservation_value = 0.45;
  testing::Fixture fixture(scenario);
  const model::UtilityFunction& utility = *fixture.scenario.parties[0].preferences->utility;
  for (const StrategyDescriptor* descriptor : Playing(model::Role::kPrincipal)) {
    std::vector<std::string> specs = {descriptor->name};
    const bool has_min = std::any_of(descriptor->parameters.begin(), descriptor->parameters.end(),
                                     [](const auto& parameter) { return parameter.name == "min"; });
    if (has_min) specs.push_back(descriptor->name + "(min=0.05)");
    for (const std::string& spec : specs) {
      std::unique_ptr<Strategy> strategy = testing::MakeStrategy(spec);
      ASSERT_NE(strategy, nullptr) << spec;
      protocols::PartyView view = fixture.View(0, 0.0);
      std::mt19937_64 rng(5);
      strategy->Initialize(view, rng);
      for (const Action& action : Drive(*strategy, view, 11, 1)) {
        if (action.type != ActionType::kOffer) continue;
        EXPECT_GE(utility.Evaluate(*action.outcome), 0.45 - 1e-12)
            << spec << " offered less than its reservation value";
      }
    }
  }
}

TEST(AllStrategiesTest, PrincipalsKeepFixedIssuesAndStayInOpenIssues) {
  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(4, 4), 2, 43));
  for (const StrategyDescriptor* descriptor : Playing(model::Role::kPrincipal)) {
    std::unique_ptr<Strategy> strategy = testing::MakeStrategy(descriptor->name);
    protocols::PartyView view = fixture.View(0, 0.0);
    std::mt19937_64 rng(3);
    strategy->Initialize(view, rng);
    for (int turn = 0; turn < 20; ++turn) {
      testing::SetTime(view, turn / 20.0);
      protocols::Request request = testing::RespondRequest(model::Outcome{1, 1, 0, 0}, 1);
      request.fixed_issues = {true, false, false, false};
      request.fixed_outcome = {1, 0, 0, 0};
      request.open_issues = {1, 2};
      Action action = strategy->Act(view, request);
      if (action.type != ActionType::kOffer) continue;
      EXPECT_EQ((*action.outcome)[0], 1u) << descriptor->name << " changed a settled issue";
    }
  }
}

TEST(AllStrategiesTest, EveryStrategyIsDeterministicForASeed) {
  testing::Fixture fixture(RedLineScenario());
  for (const StrategyDescriptor* descriptor : StrategyRegistry::Global().All()) {
    const bool mediator = std::find(descriptor->roles.begin(), descriptor->roles.end(),
                                    model::Role::kMediator) != descriptor->roles.end();
    auto run = [&]() {
      std::unique_ptr<Strategy> strategy = testing::MakeStrategy(descriptor->name);
      protocols::PartyView view = fixture.View(mediator ? 1 : 0, 0.0);
      std::mt19937_64 rng(99);
      strategy->Initialize(view, rng);
      std::vector<std::optional<model::Outcome>> outcomes;
      if (mediator) {
        for (int turn = 0; turn < 10; ++turn) {
          view.Deliver(
              testing::Offer(0, {1}, {static_cast<model::OptionIndex>(turn % 4), 1, 2, 3}));
          outcomes.push_back(strategy->Act(view, testing::ProposeRequest({0})).outcome);
        }
      } else {
        for (const Action& action : Drive(*strategy, view, 5, 1)) {
          outcomes.push_back(action.outcome);
        }
      }
      return outcomes;
    };
    EXPECT_EQ(run(), run()) << descriptor->name;
  }
}

TEST(AllStrategiesTest, PrincipalsPlayATenToTheThirtyOutcomeSpace) {
  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(30, 10), 2, 47));
  for (const StrategyDescriptor* descriptor : Playing(model::Role::kPrincipal)) {
    std::unique_ptr<Strategy> strategy = testing::MakeStrategy(descriptor->name);
    protocols::PartyView view = fixture.View(0, 0.0);
    std::mt19937_64 rng(3);
    const auto start = std::chrono::steady_clock::now();
    strategy->Initialize(view, rng);
    for (const Action& action : Drive(*strategy, view, 11, 1)) {
      if (action.outcome) {
        EXPECT_TRUE(fixture.space.Contains(*action.outcome)) << descriptor->name;
      }
    }
    // Not a benchmark: a guard against enumerating 10^30 outcomes, which would never return.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20))
        << descriptor->name;
  }
}

// Mediators see only their inbox: changing the principals' preferences in the scenario must not
// change a mediator's proposals while its inbox stays the same.
TEST(AllStrategiesTest, MediatorsDecideFromTheirInboxOnly) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(4, 5);
  const model::Scenario first = testing::RandomScenario(issues, 2, 51, /*with_mediator=*/true);
  const model::Scenario second = testing::RandomScenario(issues, 2, 52, /*with_mediator=*/true);
  ASSERT_NE(first.parties[0].preferences->utility->Evaluate({0, 0, 0, 0}),
            second.parties[0].preferences->utility->Evaluate({0, 0, 0, 0}));
  std::vector<protocols::Message> inbox;
  std::mt19937_64 rng(13);
  for (int round = 0; round < 6; ++round) {
    for (std::size_t principal : {0u, 1u}) {
      model::Outcome offer(4);
      for (auto& option : offer) option = std::uniform_int_distribution<int>(0, 4)(rng);
      inbox.push_back(testing::Offer(principal, {2}, offer, round / 6.0));
      protocols::Message confided =
          testing::Offer(principal, {2}, offer, round / 6.0, ActionType::kConfide);
      confided.value = 0.1 * round;
      inbox.push_back(confided);
    }
  }
  for (const StrategyDescriptor* descriptor : Playing(model::Role::kMediator)) {
    auto proposals = [&](const model::Scenario& scenario) {
      testing::Fixture fixture(scenario);
      std::unique_ptr<Strategy> mediator = testing::MakeStrategy(descriptor->name);
      protocols::PartyView view = fixture.View(2, 0.0);
      std::mt19937_64 seeded(21);
      mediator->Initialize(view, seeded);
      std::vector<std::optional<model::Outcome>> texts;
      for (std::size_t message_idx = 0; message_idx < inbox.size(); ++message_idx) {
        view.Deliver(inbox[message_idx]);
        if (message_idx % 4 == 3) {
          testing::SetTime(view, message_idx / double(inbox.size()));
          texts.push_back(mediator->Act(view, testing::ProposeRequest({0, 1})).outcome);
        }
      }
      return texts;
    };
    std::vector<std::optional<model::Outcome>> texts = proposals(first);
    EXPECT_EQ(texts, proposals(second)) << descriptor->name;
    for (const auto& text : texts) {
      ASSERT_TRUE(text.has_value()) << descriptor->name;
    }
  }
}

}  // namespace
}  // namespace parley::strategies
