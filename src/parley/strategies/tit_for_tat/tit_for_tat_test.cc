#include "parley/strategies/tit_for_tat/tit_for_tat.h"

#include <gtest/gtest.h>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

using testing::LineScenario;

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

TEST(TitForTatTest, AMinBelowTheReservationValueIsRaisedToItUnlessAllowed) {
  // The opponent's offers rise from 0.05 to 0.5 for this party: absolute tit for tat moves its
  // target from 1 to 0.55, below the reservation value of 0.6.
  model::Scenario scenario = LineScenario();
  scenario.parties[0].preferences->reservation_value = 0.6;
  for (const auto& [spec, floor] : std::vector<std::pair<std::string, double>>{
           {"tit_for_tat(mode=absolute, min=0.1)", 0.6},
           {"tit_for_tat(mode=absolute, min=0.1, below_reservation=true)", 0.55}}) {
    testing::Fixture fixture(scenario);
    std::unique_ptr<Strategy> strategy = testing::MakeStrategy(spec);
    ASSERT_NE(strategy, nullptr) << spec;
    protocols::PartyView view = fixture.View(0, 0.0);
    std::mt19937_64 rng(1);
    strategy->Initialize(view, rng);
    Action action;
    for (int option : {5, 50}) {
      model::Outcome offer = {static_cast<model::OptionIndex>(option)};
      view.Deliver(testing::Offer(1, {0, 1}, offer));
      action = strategy->Act(view, testing::RespondRequest(offer, 1));
    }
    ASSERT_EQ(action.type, ActionType::kOffer) << spec;
    ExpectOfferAt((*action.outcome)[0] / 100.0, floor);
  }
}

TEST(TitForTatTest, TheOpeningVariantConcedesOnceAtItsSecondOffer) {
  // The opponent never moves: plain tit for tat stays at its best, the variant concedes 10% of
  // its range once (1 - 0.1 * (1 - 0)), then reciprocates as usual.
  EXPECT_DOUBLE_EQ(OfferAfter("tit_for_tat", {20, 20, 20}), 1.0);
  EXPECT_DOUBLE_EQ(OfferAfter("opening_tit_for_tat", {20}), 1.0);
  ExpectOfferAt(OfferAfter("opening_tit_for_tat", {20, 20}), 0.9);
  ExpectOfferAt(OfferAfter("opening_tit_for_tat", {20, 20, 20, 20}), 0.9);
  ExpectOfferAt(OfferAfter("tit_for_tat(opening=0.25)", {20, 20}), 0.75);
}

// Two strategies play alternating offers on the line scenario (party 0 wants high options, party
// 1 low ones) for `rounds` rounds; true when one accepts the other's offer.
bool ReachAgreement(const std::string& first, const std::string& second, int rounds) {
  testing::Fixture fixture(LineScenario());
  std::vector<std::unique_ptr<Strategy>> strategies;
  std::vector<protocols::PartyView> views;
  std::vector<std::mt19937_64> rngs(2, std::mt19937_64(1));
  for (const std::string& spec : {first, second}) {
    strategies.push_back(testing::MakeStrategy(spec));
    EXPECT_NE(strategies.back(), nullptr) << spec;
    views.push_back(fixture.View(views.size(), 0.0));
    strategies.back()->Initialize(views.back(), rngs[views.size() - 1]);
  }
  std::optional<model::Outcome> standing;
  for (int turn = 0; turn < 2 * rounds; ++turn) {
    const std::size_t self = static_cast<std::size_t>(turn % 2);
    testing::SetTime(views[self], static_cast<double>(turn / 2) / rounds, rounds);
    Action action = strategies[self]->Act(views[self], testing::RespondRequest(standing, 1 - self));
    if (action.type == ActionType::kAccept) return true;
    if (action.type != ActionType::kOffer) return false;
    standing = action.outcome;
    views[1 - self].Deliver(testing::Offer(self, {0, 1}, *action.outcome));
  }
  return false;
}

TEST(TitForTatTest, DeadlocksAgainstItselfUnlessOneOpensWithAConcession) {
  EXPECT_FALSE(ReachAgreement("tit_for_tat", "tit_for_tat", 100));
  EXPECT_FALSE(ReachAgreement("tit_for_tat", "hardliner", 100));
  EXPECT_TRUE(ReachAgreement("opening_tit_for_tat", "opening_tit_for_tat", 100));
  EXPECT_TRUE(ReachAgreement("opening_tit_for_tat", "tit_for_tat", 100));
  // A party that never concedes still never moves.
  EXPECT_FALSE(ReachAgreement("opening_tit_for_tat", "hardliner", 100));
}

}  // namespace
}  // namespace parley::strategies
