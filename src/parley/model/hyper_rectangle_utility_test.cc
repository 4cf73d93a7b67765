#include "parley/model/hyper_rectangle_utility.h"

#include <gtest/gtest.h>

namespace parley::model {
namespace {

// Issues of the hand-worked examples: a in 0..3 (integer), b in {x, y, z} (positions 0..2) and
// c on the real grid 0, 0.1, ..., 1.
std::vector<Issue> TinyIssues() {
  return {Issue::Integer("a", 0, 3), Issue::Discrete("b", {"x", "y", "z"}),
          Issue::Real("c", 0, 1, 0.1)};
}

RectangleBound Bound(std::size_t issue_idx, double min, double max) {
  return RectangleBound{issue_idx, min, max};
}

// r1 (10): a in [1, 2]. r2 (5): outside the box a in [0, 1] x b in [0, 0]. r3 (3): everywhere.
std::vector<HyperRectangle> TinyRectangles() {
  HyperRectangle r1{{Bound(0, 1, 2)}, {}, 10};
  HyperRectangle r2{{}, {Bound(0, 0, 1), Bound(1, 0, 0)}, 5};
  HyperRectangle r3{{}, {}, 3};
  return {r1, r2, r3};
}

TEST(HyperRectangleUtilityTest, SumOfIncludedAndExcludedRectanglesByHand) {
  HyperRectangleUtility utility(TinyIssues(),
                                {RectangleSet{1, Aggregation::kSum, TinyRectangles()}}, 20);
  // a=1, b=x: r1 applies; the outcome is inside r2's excluded box; r3 always. (10 + 3) / 20.
  EXPECT_DOUBLE_EQ(utility.Evaluate({1, 0, 0}), 0.65);
  // a=3, b=x: r1 no; a is outside [0, 1] so r2 applies. (5 + 3) / 20.
  EXPECT_DOUBLE_EQ(utility.Evaluate({3, 0, 0}), 0.4);
  // a=0, b=y: r1 no; b is outside [0, 0] so r2 applies (one excluded issue out is enough).
  EXPECT_DOUBLE_EQ(utility.Evaluate({0, 1, 0}), 0.4);
  // a=0, b=x: only r3.
  EXPECT_DOUBLE_EQ(utility.Evaluate({0, 0, 0}), 0.15);
  // a=2, b=z: all three. (10 + 5 + 3) / 20.
  EXPECT_DOUBLE_EQ(utility.Evaluate({2, 2, 7}), 0.9);
  EXPECT_EQ(utility.Kind(), "hyper_rectangle");
  EXPECT_FALSE(utility.IsAdditive());
  EXPECT_DOUBLE_EQ(utility.max_utility(), 20);
  ASSERT_EQ(utility.sets().size(), 1u);
  EXPECT_EQ(utility.sets()[0].rectangles.size(), 3u);
}

TEST(HyperRectangleUtilityTest, MinAndMaxCountRectanglesThatDoNotApplyAsZero) {
  std::vector<HyperRectangle> rectangles = {HyperRectangle{{Bound(0, 1, 2)}, {}, 10},
                                            HyperRectangle{{}, {}, 3}};
  HyperRectangleUtility min_utility(TinyIssues(), {RectangleSet{1, Aggregation::kMin, rectangles}},
                                    10);
  EXPECT_DOUBLE_EQ(min_utility.Evaluate({1, 0, 0}), 0.3);  // min(10, 3) / 10
  EXPECT_DOUBLE_EQ(min_utility.Evaluate({3, 0, 0}), 0.0);  // min(0, 3) / 10
  HyperRectangleUtility max_utility(TinyIssues(), {RectangleSet{1, Aggregation::kMax, rectangles}},
                                    10);
  EXPECT_DOUBLE_EQ(max_utility.Evaluate({1, 0, 0}), 1.0);  // max(10, 3) / 10
  EXPECT_DOUBLE_EQ(max_utility.Evaluate({3, 0, 0}), 0.3);  // max(0, 3) / 10
}

TEST(HyperRectangleUtilityTest, WeightedSetsAddUpAndTheResultIsCappedAtOne) {
  std::vector<RectangleSet> sets = {
      RectangleSet{0.5, Aggregation::kSum, TinyRectangles()},
      RectangleSet{2, Aggregation::kMax, {HyperRectangle{{Bound(1, 2, 2)}, {}, 4}}},
      RectangleSet{7, Aggregation::kMin, {}},  // an empty set is worth 0
  };
  HyperRectangleUtility utility(TinyIssues(), sets, 20);
  // a=1, b=z: set 1 = r1 + r2 (b outside) + r3 = 18, set 2 = 4. (0.5 * 18 + 2 * 4) / 20.
  EXPECT_DOUBLE_EQ(utility.Evaluate({1, 2, 0}), 17.0 / 20);
  // a=1, b=x: set 1 = 13, set 2 = 0.
  EXPECT_DOUBLE_EQ(utility.Evaluate({1, 0, 0}), 6.5 / 20);
  // The same sets scaled by a max_utility below their total: GENIUS caps the result at 1.
  HyperRectangleUtility capped(TinyIssues(), sets, 10);
  EXPECT_DOUBLE_EQ(capped.Evaluate({1, 2, 0}), 1.0);
  EXPECT_DOUBLE_EQ(capped.Evaluate({1, 0, 0}), 0.65);
}

TEST(HyperRectangleUtilityTest, RealBoundsMatchGridValuesWrittenAsDecimals) {
  // 0.1 * 3 is 0.30000000000000004 in binary; the bound 0.3 still selects that option.
  HyperRectangleUtility utility(
      TinyIssues(),
      {RectangleSet{1, Aggregation::kSum, {HyperRectangle{{Bound(2, 0.3, 0.3)}, {}, 1}}}}, 1);
  for (OptionIndex option = 0; option <= 10; ++option) {
    EXPECT_DOUBLE_EQ(utility.Evaluate({0, 0, option}), option == 3 ? 1.0 : 0.0) << option;
  }
}

TEST(HyperRectangleUtilityTest, BoundsSelectingNoOptionNeverApply) {
  // No integer lies in [1.2, 1.8]; a rectangle bound there never applies, and as an excluded box
  // it is always left, so the excluding rectangle always applies.
  HyperRectangleUtility utility(TinyIssues(),
                                {RectangleSet{1,
                                              Aggregation::kSum,
                                              {HyperRectangle{{Bound(0, 1.2, 1.8)}, {}, 1},
                                               HyperRectangle{{}, {Bound(0, 1.2, 1.8)}, 2}}}},
                                4);
  for (OptionIndex a = 0; a < 4; ++a) EXPECT_DOUBLE_EQ(utility.Evaluate({a, 0, 0}), 0.5);
}

TEST(HyperRectangleUtilityTest, CloneEvaluatesTheSame) {
  HyperRectangleUtility utility(TinyIssues(),
                                {RectangleSet{1, Aggregation::kSum, TinyRectangles()}}, 20);
  std::unique_ptr<UtilityFunction> clone = utility.Clone();
  for (OptionIndex a = 0; a < 4; ++a) {
    for (OptionIndex b = 0; b < 3; ++b) {
      EXPECT_EQ(clone->Evaluate({a, b, 5}), utility.Evaluate({a, b, 5}));
    }
  }
}

TEST(HyperRectangleUtilityTest, AggregationNamesRoundTrip) {
  for (Aggregation aggregation : {Aggregation::kSum, Aggregation::kMin, Aggregation::kMax}) {
    EXPECT_EQ(ParseAggregation(AggregationName(aggregation)), aggregation);
  }
  EXPECT_EQ(ParseAggregation("MAX"), Aggregation::kMax);
  EXPECT_EQ(ParseAggregation("average"), std::nullopt);
  EXPECT_EQ(ParseAggregation(""), std::nullopt);
}

}  // namespace
}  // namespace parley::model
