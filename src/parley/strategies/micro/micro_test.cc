#include "parley/strategies/micro/micro.h"

#include <gtest/gtest.h>

#include <set>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

class MicroTest : public ::testing::Test {
 protected:
  MicroTest() : fixture_(testing::RandomScenario(testing::DiscreteIssues(3, 4), 2, 23)) {}
  const model::UtilityFunction& mine() const {
    return *fixture_.scenario.parties[0].preferences->utility;
  }
  testing::Fixture fixture_;
};

TEST_F(MicroTest, NeverConcedesTwiceWithoutANewOpponentOffer) {
  std::unique_ptr<Strategy> strategy = testing::MakeStrategy("micro");
  protocols::PartyView view = fixture_.View(0, 0.0);
  std::mt19937_64 rng(4);
  strategy->Initialize(view, rng);
  const std::vector<double> sorted = testing::SortedUtilities(mine(), fixture_.space);
  // Opponent offers, chosen worthless to this party so they are never accepted.
  std::vector<model::Outcome> worthless;
  (void)fixture_.space.ForEach(1000, [&](const model::Outcome& outcome) {
    if (mine().Evaluate(outcome) < sorted[8]) worthless.push_back(outcome);
  });
  ASSERT_GE(worthless.size(), 4u);

  std::set<model::Outcome> proposed;
  std::size_t opponent_distinct = 0;
  int round = 0;
  auto act = [&](const model::Outcome& standing) {
    testing::SetTime(view, 0.01 * ++round);
    Action action = strategy->Act(view, testing::RespondRequest(standing, 1));
    EXPECT_EQ(action.type, ActionType::kOffer);
    return *action.outcome;
  };
  // The sequence of opponent offers: a new distinct offer only every third turn (repeats between).
  for (int turn = 0; turn < 12; ++turn) {
    const model::Outcome& standing = worthless[turn / 3];
    if (turn % 3 == 0) ++opponent_distinct;
    view.Deliver(testing::Offer(1, {0, 1}, standing, 0.01 * round));
    model::Outcome offer = act(standing);
    proposed.insert(offer);
    // MiCRO concedes only while it has made no more distinct offers than the opponent: after the
    // opponent's k-th distinct offer it has made at most k + 1.
    EXPECT_LE(proposed.size(), opponent_distinct + 1) << "turn " << turn;
    // Its distinct offers are its best outcomes, in order: the k best.
    std::vector<double> values;
    for (const model::Outcome& outcome : proposed) values.push_back(mine().Evaluate(outcome));
    std::sort(values.rbegin(), values.rend());
    for (std::size_t rank = 0; rank < values.size(); ++rank) {
      EXPECT_EQ(values[rank], sorted[sorted.size() - 1 - rank]);
    }
  }
  EXPECT_EQ(proposed.size(), opponent_distinct + 1) << "it did concede each time it could";
}

TEST_F(MicroTest, AcceptsWhatItWouldOfferAndNothingWorseThanItsWorstOffer) {
  std::unique_ptr<Strategy> strategy = testing::MakeStrategy("micro");
  protocols::PartyView view = fixture_.View(0, 0.0);
  std::mt19937_64 rng(4);
  strategy->Initialize(view, rng);
  const std::vector<double> sorted = testing::SortedUtilities(mine(), fixture_.space);
  std::vector<std::pair<double, model::Outcome>> ranked;
  (void)fixture_.space.ForEach(1000, [&](const model::Outcome& outcome) {
    ranked.emplace_back(mine().Evaluate(outcome), outcome);
  });
  std::sort(ranked.rbegin(), ranked.rend());
  // Opening: it proposes its best; an offer of its second best is not accepted at this point
  // (it would concede to it only after the opponent's first offer, which this is).
  Action first = strategy->Act(view, testing::RespondRequest(std::nullopt, 1));
  ASSERT_EQ(first.type, ActionType::kOffer);
  EXPECT_EQ(mine().Evaluate(*first.outcome), sorted.back());
  // The opponent's first distinct offer is its second best: MiCRO would concede to exactly that
  // level, so it accepts.
  view.Deliver(testing::Offer(1, {0, 1}, ranked[1].second));
  EXPECT_EQ(strategy->Act(view, testing::RespondRequest(ranked[1].second, 1)).type,
            ActionType::kAccept);
  // An offer below the next concession level is refused.
  view.Deliver(testing::Offer(1, {0, 1}, ranked[5].second));
  EXPECT_EQ(strategy->Act(view, testing::RespondRequest(ranked[5].second, 1)).type,
            ActionType::kOffer);
}

}  // namespace
}  // namespace parley::strategies
