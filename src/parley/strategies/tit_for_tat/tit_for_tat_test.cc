#include "parley/strategies/tit_for_tat/tit_for_tat.h"

#include <gtest/gtest.h>

#include "parley/strategies/common/test_scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

// One issue with 101 options worth 0, 0.01, ..., 1 to party 0: every utility level exists, so
// the offer's utility shows the target exactly.
model::Scenario LineScenario() {
  model::Scenario scenario;
  scenario.issues = {model::Issue::Integer("price", 0, 100)};
  std::vector<double> mine, theirs;
  for (int option = 0; option <= 100; ++option) {
    mine.push_back(option / 100.0);
    theirs.push_back(1.0 - option / 100.0);
  }
  scenario.parties.push_back(testing::Principal("me", testing::Additive({1.0}, {mine})));
  scenario.parties.push_back(testing::Principal("you", testing::Additive({1.0}, {theirs})));
  return scenario;
}

double OfferAfter(const std::string& spec, const std::vector<int>& opponent_options) {
  testing::Fixture fixture(LineScenario());
  std::unique_ptr<Strategy> strategy = testing::MakeStrategy(spec);
  EXPECT_NE(strategy, nullptr);
  protocols::PartyView view = fixture.View(0, 0.0);
  std::mt19937_64 rng(1);
  strategy->Initialize(view, rng);
  Action action;
  for (int option : opponent_options) {
    model::Outcome offer = {static_cast<model::OptionIndex>(option)};
    view.Deliver(testing::Offer(1, {0, 1}, offer));
    action = strategy->Act(view, testing::RespondRequest(offer, 1));
    EXPECT_EQ(action.type, ActionType::kOffer);
  }
  return (*action.outcome)[0] / 100.0;
}

// The offer is the closest level at or above the target, which floating-point sums of utility
// differences may put a hair above a grid level: within one grid step (0.01) above it.
void ExpectOfferAt(double offer, double target) {
  EXPECT_GE(offer, target - 1e-9);
  EXPECT_LE(offer, target + 0.01 + 1e-9);
}

TEST(TitForTatTest, StartsAtItsBestUntilTheOpponentMoves) {
  EXPECT_DOUBLE_EQ(OfferAfter("tit_for_tat", {20}), 1.0);
  EXPECT_DOUBLE_EQ(OfferAfter("tit_for_tat", {20, 20, 20}), 1.0);
}

TEST(TitForTatTest, AbsoluteModeMirrorsTheConcessionInUtility) {
  // The opponent's offers rise from 0.2 to 0.3 for this party: it concedes 0.1 in return.
  ExpectOfferAt(OfferAfter("tit_for_tat(mode=absolute)", {20, 30}), 0.9);
  // Two concessions of 0.1 and 0.05 add up.
  ExpectOfferAt(OfferAfter("tit_for_tat(mode=absolute)", {20, 30, 35}), 0.85);
  // A retraction is mirrored too.
  ExpectOfferAt(OfferAfter("tit_for_tat(mode=absolute)", {20, 40, 30}), 0.9);
}

TEST(TitForTatTest, RelativeModeMirrorsTheRatio) {
  // 0.2 -> 0.4 doubles its utility: it halves its own target (1 * 0.2 / 0.4).
  ExpectOfferAt(OfferAfter("tit_for_tat", {20, 40}), 0.5);
  // 0.4 -> 0.5: target 1 * 0.4 / 0.5 = 0.8. Two steps multiply: 0.2 / 0.25 * 0.25 / 0.4 = 0.5.
  ExpectOfferAt(OfferAfter("tit_for_tat(mode=relative)", {40, 50}), 0.8);
  ExpectOfferAt(OfferAfter("tit_for_tat(mode=relative)", {20, 25, 40}), 0.5);
}

TEST(TitForTatTest, NeverConcedesBelowItsFloorAndDeltaLooksFurtherBack) {
  ExpectOfferAt(OfferAfter("tit_for_tat(mode=absolute, min=0.7)", {10, 60}), 0.7);
  // delta=2: the concession counted at the third offer is 0.30 - 0.20 (two offers back).
  ExpectOfferAt(OfferAfter("tit_for_tat(mode=absolute, delta=2)", {20, 25, 30}), 0.9);
}

}  // namespace
}  // namespace parley::strategies
