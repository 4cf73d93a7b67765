#include "parley/strategies/nash_mediator/nash_mediator.h"

#include <gtest/gtest.h>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

TEST(NashMediatorTest, GivesEachPrincipalTheIssueItInsistsOn) {
  // p0 always asks for option 0 on both issues, p1 for option 2: the estimated Nash point gives
  // each one issue rather than everything to one side.
  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(2, 3), 2, 3, true));
  std::unique_ptr<Strategy> mediator = testing::MakeStrategy("nash_mediator");
  protocols::PartyView view = fixture.View(2, 0.5);
  std::mt19937_64 rng(1);
  mediator->Initialize(view, rng);
  for (int round = 0; round < 5; ++round) {
    view.Deliver(testing::Offer(0, {2}, {0, 0}, round * 0.1));
    view.Deliver(testing::Offer(1, {2}, {2, 2}, round * 0.1));
  }
  Action proposal = mediator->Act(view, testing::ProposeRequest({0, 1}));
  ASSERT_EQ(proposal.type, ActionType::kOffer);
  const model::Outcome text = *proposal.outcome;
  EXPECT_TRUE(text == (model::Outcome{0, 2}) || text == (model::Outcome{2, 0}))
      << text[0] << "," << text[1];
}

TEST(NashMediatorTest, UsesConfidedUtilities) {
  // Both principals confide that text {1, 1} is worth 0.9 to them and {0, 0} 0.2: the mediator
  // proposes the text the principals rate best, nothing it merely guessed.
  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(2, 3), 2, 3, true));
  std::unique_ptr<Strategy> mediator = testing::MakeStrategy("nash_mediator");
  protocols::PartyView view = fixture.View(2, 0.5);
  for (std::size_t principal : {0u, 1u}) {
    protocols::Message good = testing::Offer(principal, {2}, {1, 1}, 0.1, ActionType::kConfide);
    good.value = 0.9;
    view.Deliver(good);
    protocols::Message bad = testing::Offer(principal, {2}, {0, 0}, 0.1, ActionType::kConfide);
    bad.value = 0.2;
    view.Deliver(bad);
  }
  Action proposal = mediator->Act(view, testing::ProposeRequest({0, 1}));
  ASSERT_EQ(proposal.type, ActionType::kOffer);
  EXPECT_EQ(*proposal.outcome, (model::Outcome{1, 1}));
}

TEST(NashMediatorTest, DoesNotProposeARejectedTextAgain) {
  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(2, 3), 2, 3, true));
  std::unique_ptr<Strategy> mediator = testing::MakeStrategy("nash_mediator");
  protocols::PartyView view = fixture.View(2, 0.5);
  for (int round = 0; round < 3; ++round) {
    view.Deliver(testing::Offer(0, {2}, {0, 0}, round * 0.1));
    view.Deliver(testing::Offer(1, {2}, {2, 2}, round * 0.1));
  }
  const model::Outcome first = *mediator->Act(view, testing::ProposeRequest({0, 1})).outcome;
  // Principal 1 rejects it (a vote without an outcome refers to the latest proposal).
  protocols::Message vote;
  vote.sender = 1;
  vote.recipients = {2};
  vote.type = ActionType::kVote;
  vote.accept = false;
  view.Deliver(vote);
  const model::Outcome second = *mediator->Act(view, testing::ProposeRequest({0, 1})).outcome;
  EXPECT_NE(second, first);
}

TEST(NashMediatorTest, WithoutInformationProposesTheStandingText) {
  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(2, 3), 2, 3, true));
  std::unique_ptr<Strategy> mediator = testing::MakeStrategy("nash_mediator");
  protocols::PartyView view = fixture.View(2, 0.5);
  Action proposal = mediator->Act(view, testing::ProposeRequest({0, 1}, model::Outcome{2, 1}));
  EXPECT_EQ(*proposal.outcome, (model::Outcome{2, 1}));
}

}  // namespace
}  // namespace parley::strategies
