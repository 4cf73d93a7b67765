#include "parley/strategies/annealer/annealer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

TEST(AnnealerTest, AcceptanceProbabilityCools) {
  EXPECT_DOUBLE_EQ(AnnealerStrategy::AcceptanceProbability(-0.1, 0.1, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(AnnealerStrategy::AcceptanceProbability(0.05, 0.1, 0.0), std::exp(-0.5));
  EXPECT_DOUBLE_EQ(AnnealerStrategy::AcceptanceProbability(0.05, 0.1, 0.5), std::exp(-1.0));
  EXPECT_DOUBLE_EQ(AnnealerStrategy::AcceptanceProbability(0.05, 0.1, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(AnnealerStrategy::AcceptanceProbability(0.05, 0.0, 0.0), 0.0);
}

TEST(AnnealerTest, AcceptsWorseTextsEarlyMoreOftenThanLateButNeverBelowReservation) {
  model::Scenario scenario;
  scenario.issues = {model::Issue::Integer("x", 0, 10)};
  std::vector<double> values;
  for (int option = 0; option <= 10; ++option) values.push_back(option / 10.0);
  scenario.parties.push_back(testing::Principal("voter", testing::Additive({1.0}, {values}), 0.15));
  scenario.parties.push_back(testing::Mediator("m"));
  testing::Fixture fixture(scenario);
  auto count_accepts = [&](double time, model::OptionIndex worse) {
    std::unique_ptr<Strategy> strategy = testing::MakeStrategy("annealer(temperature=0.2)");
    protocols::PartyView view = fixture.View(0, time);
    std::mt19937_64 rng(6);
    strategy->Initialize(view, rng);
    view.Deliver(testing::Offer(1, {0}, {6}, time, ActionType::kAccept));  // standing text 6
    int accepted = 0;
    for (int trial = 0; trial < 400; ++trial) {
      Action action = strategy->Act(view, testing::VoteRequest({worse}, 1));
      accepted += action.accept.value_or(false) ? 1 : 0;
    }
    return accepted;
  };
  // Losing 0.1 at t=0 (T=0.2): probability exp(-0.5) = 0.61; at t=0.75 (T=0.05): exp(-2) = 0.14.
  const int early = count_accepts(0.0, 5);
  const int late = count_accepts(0.75, 5);
  EXPECT_NEAR(early / 400.0, std::exp(-0.5), 0.08);
  EXPECT_NEAR(late / 400.0, std::exp(-2.0), 0.06);
  EXPECT_EQ(count_accepts(0.0, 1), 0) << "0.1 is below its reservation value 0.15";
}

}  // namespace
}  // namespace parley::strategies
