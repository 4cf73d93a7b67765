#include "parley/strategies/hill_climber/hill_climber.h"

#include <gtest/gtest.h>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

// Party 0 values the single issue's options at 0, 0.1, ..., 1; party 1 is a mediator.
model::Scenario VoterScenario(double reservation) {
  model::Scenario scenario;
  scenario.issues = {model::Issue::Integer("x", 0, 10)};
  std::vector<double> values;
  for (int option = 0; option <= 10; ++option) values.push_back(option / 10.0);
  scenario.parties.push_back(
      testing::Principal("voter", testing::Additive({1.0}, {values}), reservation));
  scenario.parties.push_back(testing::Mediator("m"));
  return scenario;
}

bool Vote(Strategy& strategy, protocols::PartyView& view, model::OptionIndex text) {
  Action action = strategy.Act(view, testing::VoteRequest({text}, 1));
  EXPECT_EQ(action.type, ActionType::kVote);
  return action.accept.value_or(false);
}

TEST(HillClimberTest, AcceptsOnlyTextsAtLeastAsGoodAsTheStandingOne) {
  testing::Fixture fixture(VoterScenario(0.25));
  std::unique_ptr<Strategy> strategy = testing::MakeStrategy("hill_climber");
  protocols::PartyView view = fixture.View(0, 0.1);
  std::mt19937_64 rng(1);
  strategy->Initialize(view, rng);
  // No standing text yet: the reservation value is the bar.
  EXPECT_FALSE(Vote(*strategy, view, 2));
  EXPECT_TRUE(Vote(*strategy, view, 5));
  // The mediator announces text 5 adopted: now texts must be worth at least 0.5.
  view.Deliver(testing::Offer(1, {0}, {5}, 0.1, ActionType::kAccept));
  EXPECT_FALSE(Vote(*strategy, view, 4));
  EXPECT_TRUE(Vote(*strategy, view, 5));
  EXPECT_TRUE(Vote(*strategy, view, 7));
  // Feedback grades a text: utility gained over the standing text.
  protocols::Request feedback;
  feedback.allowed = {ActionType::kFeedback, ActionType::kPass};
  feedback.standing_offer = model::Outcome{8};
  feedback.standing_offer_from = 1;
  Action graded = strategy->Act(view, feedback);
  EXPECT_EQ(graded.type, ActionType::kFeedback);
  EXPECT_NEAR(graded.value.value_or(0), 0.3, 1e-12);
  // Without announcements, the previous text shown is the bar.
  testing::Fixture silent(VoterScenario(0.0));
  std::unique_ptr<Strategy> other = testing::MakeStrategy("hill_climber");
  protocols::PartyView quiet = silent.View(0, 0.1);
  other->Initialize(quiet, rng);
  EXPECT_TRUE(Vote(*other, quiet, 6));
  EXPECT_FALSE(Vote(*other, quiet, 3));  // worse than 6, the previous text
  EXPECT_TRUE(Vote(*other, quiet, 4));   // better than 3, the previous text
}

}  // namespace
}  // namespace parley::strategies
