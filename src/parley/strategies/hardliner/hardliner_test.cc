#include "parley/strategies/hardliner/hardliner.h"

#include <gtest/gtest.h>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

TEST(HardlinerTest, NeverConcedesAndAcceptsOnlyItsBest) {
  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(3, 4), 2, 5));
  const model::UtilityFunction& utility = *fixture.scenario.parties[0].preferences->utility;
  const std::vector<double> sorted = testing::SortedUtilities(utility, fixture.space);
  std::unique_ptr<Strategy> strategy = testing::MakeStrategy("hardliner");
  protocols::PartyView view = fixture.View(0, 0.0);
  std::mt19937_64 rng(2);
  strategy->Initialize(view, rng);
  std::mt19937_64 offers(9);
  for (int step = 0; step <= 50; ++step) {
    testing::SetTime(view, step / 50.0);
    // A random standing offer that is not its best.
    model::Outcome standing(3);
    do {
      for (auto& option : standing) option = std::uniform_int_distribution<int>(0, 3)(offers);
    } while (utility.Evaluate(standing) == sorted.back());
    Action action = strategy->Act(view, testing::RespondRequest(standing, 1));
    ASSERT_EQ(action.type, ActionType::kOffer) << "t=" << step / 50.0;
    EXPECT_EQ(utility.Evaluate(*action.outcome), sorted.back());
    // Its best outcome, offered back to it, is accepted at any time.
    Action accept = strategy->Act(view, testing::RespondRequest(*action.outcome, 1));
    EXPECT_EQ(accept.type, ActionType::kAccept);
  }
}

}  // namespace
}  // namespace parley::strategies
