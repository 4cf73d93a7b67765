#include "parley/strategies/random/random.h"

#include <gtest/gtest.h>

#include <set>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

TEST(RandomStrategyTest, OffersAboveItsReservationAndAcceptsWithProbabilityP) {
  model::Scenario scenario = testing::RandomScenario(testing::DiscreteIssues(3, 5), 2, 31);
  scenario.parties[0].preferences->reservation_value = 0.5;
  testing::Fixture fixture(scenario);
  const model::UtilityFunction& utility = *fixture.scenario.parties[0].preferences->utility;
  std::vector<model::Outcome> acceptable, unacceptable;
  (void)fixture.space.ForEach(1000, [&](const model::Outcome& outcome) {
    (utility.Evaluate(outcome) >= 0.5 ? acceptable : unacceptable).push_back(outcome);
  });
  ASSERT_FALSE(acceptable.empty());
  ASSERT_FALSE(unacceptable.empty());
  for (double p : {0.0, 0.5, 1.0}) {
    std::unique_ptr<Strategy> strategy =
        testing::MakeStrategy("random(p=" + std::to_string(p) + ")");
    protocols::PartyView view = fixture.View(0, 0.3);
    std::mt19937_64 rng(8);
    strategy->Initialize(view, rng);
    int accepted = 0;
    std::set<model::Outcome> offered;
    for (int turn = 0; turn < 200; ++turn) {
      const model::Outcome& good = acceptable[turn % acceptable.size()];
      Action action = strategy->Act(view, testing::RespondRequest(good, 1));
      if (action.type == ActionType::kAccept) {
        ++accepted;
      } else {
        ASSERT_EQ(action.type, ActionType::kOffer);
        EXPECT_GE(utility.Evaluate(*action.outcome), 0.5);
        offered.insert(*action.outcome);
      }
      // Never an offer below its reservation value.
      const model::Outcome& bad = unacceptable[turn % unacceptable.size()];
      EXPECT_NE(strategy->Act(view, testing::RespondRequest(bad, 1)).type, ActionType::kAccept);
    }
    if (p == 0.0) {
      EXPECT_EQ(accepted, 0);
    }
    if (p == 1.0) {
      EXPECT_EQ(accepted, 200);
    }
    if (p == 0.5) {
      EXPECT_GT(accepted, 60);
      EXPECT_LT(accepted, 140);
      EXPECT_GT(offered.size(), 5u) << "offers vary";
    }
  }
}

}  // namespace
}  // namespace parley::strategies
