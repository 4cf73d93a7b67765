#include "parley/strategies/single_text_annealer/single_text_annealer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

protocols::Message Vote(std::size_t principal, bool accept) {
  protocols::Message message;
  message.sender = principal;
  message.recipients = {3};
  message.type = ActionType::kVote;
  message.accept = accept;
  return message;
}

protocols::Request AdoptionRequest(model::Outcome text) {
  protocols::Request request;
  request.allowed = {ActionType::kAccept, ActionType::kReject, ActionType::kPass};
  request.standing_offer = std::move(text);
  request.standing_offer_from = 3;
  request.may_address = {0, 1, 2};
  request.fallback = ActionType::kPass;
  return request;
}

TEST(SingleTextAnnealerTest, MutatesTheStandingTextInOneIssue) {
  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(5, 4), 3, 2, true));
  std::unique_ptr<Strategy> mediator = testing::MakeStrategy("single_text_annealer");
  protocols::PartyView view = fixture.View(3, 0.2);
  std::mt19937_64 rng(5);
  mediator->Initialize(view, rng);
  const model::Outcome standing = {1, 2, 3, 0, 1};
  for (int round = 0; round < 20; ++round) {
    Action proposal = mediator->Act(view, testing::ProposeRequest({0, 1, 2}, standing));
    ASSERT_EQ(proposal.type, ActionType::kOffer);
    int changed = 0;
    for (std::size_t issue_idx = 0; issue_idx < standing.size(); ++issue_idx) {
      changed += (*proposal.outcome)[issue_idx] != standing[issue_idx] ? 1 : 0;
    }
    EXPECT_EQ(changed, 1);
  }
  // Two mutations per proposal, and never on a fixed issue.
  std::unique_ptr<Strategy> wider = testing::MakeStrategy("single_text_annealer(mutations=2)");
  protocols::Request request = testing::ProposeRequest({0, 1, 2}, standing);
  request.fixed_issues = {true, true, false, false, false};
  request.fixed_outcome = standing;
  for (int round = 0; round < 20; ++round) {
    model::Outcome text = *wider->Act(view, request).outcome;
    EXPECT_EQ(text[0], standing[0]);
    EXPECT_EQ(text[1], standing[1]);
    int changed = 0;
    for (std::size_t issue_idx = 2; issue_idx < standing.size(); ++issue_idx) {
      changed += text[issue_idx] != standing[issue_idx] ? 1 : 0;
    }
    EXPECT_EQ(changed, 2);
  }
}

TEST(SingleTextAnnealerTest, AdoptsUnanimousTextsAndAnnealsTheOthers) {
  EXPECT_DOUBLE_EQ(SingleTextAnnealerStrategy::AdoptionProbability(0, 1.0, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(SingleTextAnnealerStrategy::AdoptionProbability(2, 1.0, 0.0), std::exp(-2.0));
  EXPECT_DOUBLE_EQ(SingleTextAnnealerStrategy::AdoptionProbability(1, 1.0, 0.5), std::exp(-2.0));
  EXPECT_DOUBLE_EQ(SingleTextAnnealerStrategy::AdoptionProbability(1, 1.0, 1.0), 0.0);

  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(3, 3), 3, 4, true));
  auto decide = [&](const char* spec, std::vector<bool> votes, double time) {
    std::unique_ptr<Strategy> mediator = testing::MakeStrategy(spec);
    protocols::PartyView view = fixture.View(3, time);
    std::mt19937_64 rng(5);
    mediator->Initialize(view, rng);
    Action proposal = mediator->Act(view, testing::ProposeRequest({0, 1, 2}));
    for (std::size_t principal = 0; principal < votes.size(); ++principal) {
      view.Deliver(Vote(principal, votes[principal]));
    }
    return mediator->Act(view, AdoptionRequest(*proposal.outcome)).type;
  };
  EXPECT_EQ(decide("single_text_annealer", {true, true, true}, 0.5), ActionType::kAccept);
  EXPECT_EQ(decide("single_text_annealer(temperature=0)", {true, false, true}, 0.0),
            ActionType::kReject);
  // Late in the session the temperature is near 0: a rejected text is discarded.
  EXPECT_EQ(decide("single_text_annealer", {true, false, true}, 0.999), ActionType::kReject);
}

}  // namespace
}  // namespace parley::strategies
