#include "parley/strategies/split_the_difference/split_the_difference.h"

#include <gtest/gtest.h>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

model::Scenario ThreeKindsOfIssue() {
  model::Scenario scenario;
  scenario.issues = {model::Issue::Integer("troops", 0, 10),
                     model::Issue::Discrete("phase", {"a", "b", "c", "d", "e"}, true),
                     model::Issue::Discrete("venue", {"x", "y", "z"})};
  std::mt19937_64 rng(1);
  scenario.parties.push_back(
      testing::Principal("p0", testing::RandomAdditive(scenario.issues, rng)));
  scenario.parties.push_back(
      testing::Principal("p1", testing::RandomAdditive(scenario.issues, rng)));
  scenario.parties.push_back(testing::Mediator("m"));
  return scenario;
}

TEST(SplitTheDifferenceTest, MidpointsOnOrderedIssuesAndTurnsOnUnorderedOnes) {
  testing::Fixture fixture(ThreeKindsOfIssue());
  std::unique_ptr<Strategy> mediator = testing::MakeStrategy("split_the_difference");
  protocols::PartyView view = fixture.View(2, 0.1);
  std::mt19937_64 rng(1);
  mediator->Initialize(view, rng);
  view.Deliver(testing::Offer(0, {2}, {2, 0, 0}));
  view.Deliver(testing::Offer(1, {2}, {8, 3, 1}));
  Action first = mediator->Act(view, testing::ProposeRequest({0, 1}));
  ASSERT_EQ(first.type, ActionType::kOffer);
  EXPECT_EQ(first.recipients, (std::vector<std::size_t>{0, 1}));
  // troops: (2 + 8) / 2 = 5. phase: positions 0 and 3, midpoint 1.5, rounded up on proposal 0's
  // issue 1. venue: unordered, proposal 0's issue 2 follows offer (0 + 2) mod 2 = p0's.
  EXPECT_EQ(*first.outcome, (model::Outcome{5, 2, 0}));
  Action second = mediator->Act(view, testing::ProposeRequest({0, 1}));
  // The next proposal rounds the other way and gives the unordered issue to p1.
  EXPECT_EQ(*second.outcome, (model::Outcome{5, 1, 1}));
  // A newer offer replaces a principal's older one.
  view.Deliver(testing::Offer(0, {2}, {6, 2, 0}));
  Action third = mediator->Act(view, testing::ProposeRequest({0, 1}));
  EXPECT_EQ((*third.outcome)[0], 7u);
  EXPECT_EQ((*third.outcome)[1], 3u);  // (2 + 3) / 2 rounded up on proposal 2's issue 1
}

TEST(SplitTheDifferenceTest, KeepsFixedIssuesAndRelaysVerbatim) {
  testing::Fixture fixture(ThreeKindsOfIssue());
  std::unique_ptr<Strategy> mediator = testing::MakeStrategy("split_the_difference");
  protocols::PartyView view = fixture.View(2, 0.1);
  view.Deliver(testing::Offer(0, {2}, {2, 0, 0}));
  view.Deliver(testing::Offer(1, {2}, {8, 4, 1}));
  protocols::Request request = testing::ProposeRequest({0, 1});
  request.fixed_issues = {true, false, false};
  request.fixed_outcome = {9, 0, 0};
  Action proposal = mediator->Act(view, request);
  EXPECT_EQ((*proposal.outcome)[0], 9u);
  EXPECT_EQ((*proposal.outcome)[1], 2u);
  protocols::Request relay;
  relay.allowed = {ActionType::kRelay, ActionType::kPass};
  relay.standing_offer = model::Outcome{1, 1, 2};
  relay.standing_offer_from = 0;
  relay.may_address = {0, 1};
  Action relayed = mediator->Act(view, relay);
  EXPECT_EQ(relayed.type, ActionType::kRelay);
  EXPECT_EQ(*relayed.outcome, (model::Outcome{1, 1, 2}));
  EXPECT_EQ(relayed.recipients, (std::vector<std::size_t>{1})) << "not back to its author";
}

TEST(SplitTheDifferenceTest, WithoutOffersItMovesTheStandingText) {
  testing::Fixture fixture(ThreeKindsOfIssue());
  std::unique_ptr<Strategy> mediator = testing::MakeStrategy("split_the_difference");
  protocols::PartyView view = fixture.View(2, 0.1);
  Action first = mediator->Act(view, testing::ProposeRequest({0, 1}));
  ASSERT_EQ(first.type, ActionType::kOffer);
  EXPECT_TRUE(fixture.space.Contains(*first.outcome));
  const model::Outcome standing = {4, 4, 2};
  Action moved = mediator->Act(view, testing::ProposeRequest({0, 1}, standing));
  int differences = 0;
  for (std::size_t issue_idx = 0; issue_idx < 3; ++issue_idx) {
    differences += (*moved.outcome)[issue_idx] != standing[issue_idx] ? 1 : 0;
  }
  EXPECT_EQ(differences, 1);
}

}  // namespace
}  // namespace parley::strategies
