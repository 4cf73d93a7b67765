#include "parley/analysis/gaps.h"

#include <gtest/gtest.h>

#include "parley/model/utility.h"

namespace parley::analysis {
namespace {

model::Scenario TwoPartyScenario() {
  model::Scenario scenario;
  scenario.issues.push_back(model::Issue::Discrete("a", {"x", "y", "z"}));
  scenario.issues.push_back(model::Issue::Discrete("b", {"u", "v"}));
  auto make_party = [&](const std::string& id, std::vector<double> weights,
                        std::vector<double> a_values, std::vector<double> b_values) {
    model::Party party;
    party.id = id;
    model::Preferences preferences;
    preferences.utility = std::make_shared<model::AdditiveUtility>(
        weights,
        std::vector<model::ValueFunction>{{model::ValueFunctionForm::kTable, {}, a_values},
                                          {model::ValueFunctionForm::kTable, {}, b_values}});
    party.preferences = preferences;
    return party;
  };
  scenario.parties.push_back(make_party("p", {0.75, 0.25}, {1.0, 0.5, 0.0}, {1.0, 1.0}));
  scenario.parties.push_back(make_party("q", {0.25, 0.75}, {0.0, 0.5, 1.0}, {0.0, 1.0}));
  return scenario;
}

TEST(GapsTest, IdealGapsByHand) {
  model::Scenario scenario = TwoPartyScenario();
  Gaps gaps = ComputeIdealGaps(scenario, {0, 1});
  ASSERT_EQ(gaps.issues.size(), 2u);
  // Issue a: p wants x, q wants z; each loses its full spread: gap 1.
  EXPECT_EQ(gaps.issues[0].ideal_options, (std::vector<model::OptionIndex>{0, 2}));
  EXPECT_DOUBLE_EQ(gaps.issues[0].gap, 1.0);
  // Issue b: p is indifferent (u first among ties), q wants v: p loses 0, q loses 1 -> mean 0.5.
  EXPECT_EQ(gaps.issues[1].ideal_options, (std::vector<model::OptionIndex>{0, 1}));
  EXPECT_DOUBLE_EQ(gaps.issues[1].gap, 0.5);
  // Mean weights: a (0.75 + 0.25) / 2 = 0.5, b 0.5.
  EXPECT_DOUBLE_EQ(gaps.overall, 0.5 * 1.0 + 0.5 * 0.5);
}

TEST(GapsTest, OfferGapsShrinkAsOffersConverge) {
  model::Scenario scenario = TwoPartyScenario();
  Gaps far = ComputeOfferGaps(scenario, {0, 1}, {0, 0}, {2, 1});
  Gaps nearer = ComputeOfferGaps(scenario, {0, 1}, {1, 1}, {2, 1});
  Gaps agreed = ComputeOfferGaps(scenario, {0, 1}, {2, 1}, {2, 1});
  EXPECT_DOUBLE_EQ(far.issues[0].gap, 1.0);
  EXPECT_DOUBLE_EQ(nearer.issues[0].gap, 0.5);  // y vs z: each party moves half its spread
  EXPECT_DOUBLE_EQ(nearer.issues[1].gap, 0.0);
  EXPECT_GT(far.overall, nearer.overall);
  EXPECT_DOUBLE_EQ(agreed.overall, 0.0);
}

}  // namespace
}  // namespace parley::analysis
