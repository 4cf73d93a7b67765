#include "parley/model/utility.h"

#include <gtest/gtest.h>

#include <random>

namespace parley::model {
namespace {

TEST(ValueFunctionTest, NumericFormsTabulateAtEveryOption) {
  Issue issue = Issue::Integer("x", 0, 10);
  ValueFunction linear{ValueFunctionForm::kLinear, {{0, 0.2}, {10, 1.0}}, {}};
  linear.Tabulate(issue);
  ASSERT_EQ(linear.table.size(), 11u);
  EXPECT_DOUBLE_EQ(linear.table[0], 0.2);
  EXPECT_DOUBLE_EQ(linear.table[5], 0.6);
  EXPECT_DOUBLE_EQ(linear.table[10], 1.0);

  ValueFunction triangular{ValueFunctionForm::kTriangular, {{2, 0}, {4, 1}, {8, 0}}, {}};
  triangular.Tabulate(issue);
  EXPECT_DOUBLE_EQ(triangular.table[0], 0.0);  // outside [lower, upper]
  EXPECT_DOUBLE_EQ(triangular.table[3], 0.5);
  EXPECT_DOUBLE_EQ(triangular.table[4], 1.0);
  EXPECT_DOUBLE_EQ(triangular.table[6], 0.5);
  EXPECT_DOUBLE_EQ(triangular.table[9], 0.0);

  ValueFunction piecewise{ValueFunctionForm::kPiecewiseLinear, {{2, 0.0}, {4, 1.0}, {8, 0.5}}, {}};
  piecewise.Tabulate(issue);
  EXPECT_DOUBLE_EQ(piecewise.table[0], 0.0);  // flat before the first point
  EXPECT_DOUBLE_EQ(piecewise.table[6], 0.75);
  EXPECT_DOUBLE_EQ(piecewise.table[10], 0.5);  // flat after the last point

  ValueFunction constant{ValueFunctionForm::kConstant, {{0, 0.3}}, {}};
  constant.Tabulate(issue);
  EXPECT_DOUBLE_EQ(constant.table[7], 0.3);
}

TEST(ValueFunctionTest, RealIssueGridIncludesUpperBound) {
  Issue issue = Issue::Real("r", 0.0, 1.0, 0.1);
  EXPECT_EQ(issue.NumOptions(), 11u);  // 0, 0.1, ..., 1.0 despite rounding in 1.0 / 0.1
  EXPECT_DOUBLE_EQ(issue.NumericValue(10), 1.0);
  EXPECT_EQ(issue.OptionLabel(3), "0.3");  // the decimal, not 0.30000000000000004
  EXPECT_EQ(issue.FindOption("0.3"), 3u);
  EXPECT_EQ(issue.FindOption("0.35"), std::nullopt);
  EXPECT_EQ(Issue::Integer("i", -5, 5).FindOption("-5"), 0u);
  EXPECT_EQ(Issue::Integer("i", -5, 5).FindOption("2.5"), std::nullopt);
}

// Property: for random additive utilities, the computed range equals brute force over every
// outcome, and the argmin / argmax evaluate to the reported figures.
TEST(UtilityRangeTest, AdditiveRangeMatchesBruteForce) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int trial = 0; trial < 50; ++trial) {
    std::size_t num_issues = 1 + rng() % 4;
    std::vector<std::uint64_t> cardinalities;
    std::vector<double> weights;
    std::vector<ValueFunction> values;
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      std::uint64_t options = 1 + rng() % 5;
      cardinalities.push_back(options);
      weights.push_back(uniform(rng));
      ValueFunction value;
      for (std::uint64_t option = 0; option < options; ++option)
        value.table.push_back(uniform(rng));
      values.push_back(value);
    }
    AdditiveUtility utility(weights, values, trial % 2 ? 0.1 : 0.0);
    OutcomeSpace space(cardinalities);
    double brute_min = 1e9;
    double brute_max = -1e9;
    ASSERT_TRUE(space
                    .ForEach(1000,
                             [&](const Outcome& outcome) {
                               brute_min = std::min(brute_min, utility.Evaluate(outcome));
                               brute_max = std::max(brute_max, utility.Evaluate(outcome));
                             })
                    .ok());
    UtilityRange range = ComputeUtilityRange(utility, space);
    EXPECT_TRUE(range.exact);
    EXPECT_NEAR(range.min, brute_min, 1e-12);
    EXPECT_NEAR(range.max, brute_max, 1e-12);
    EXPECT_DOUBLE_EQ(utility.Evaluate(range.argmin), range.min);
    EXPECT_DOUBLE_EQ(utility.Evaluate(range.argmax), range.max);
  }
}

// A non-additive utility (product of two issues) on a small space is ranged exactly by
// enumeration; on a space too large to enumerate the range is marked inexact.
class ProductUtility final : public UtilityFunction {
 public:
  double Evaluate(const Outcome& outcome) const override {
    return (outcome[0] / 9.0) * (1.0 - outcome[1] / 9.0);
  }
  std::string_view Kind() const override { return "test_product"; }
  std::unique_ptr<UtilityFunction> Clone() const override {
    return std::make_unique<ProductUtility>(*this);
  }
};

TEST(UtilityRangeTest, NonAdditiveIsExactOnlyWhenEnumerated) {
  ProductUtility utility;
  OutcomeSpace small({10, 10});
  UtilityRange exact = ComputeUtilityRange(utility, small);
  EXPECT_TRUE(exact.exact);
  EXPECT_DOUBLE_EQ(exact.max, 1.0);
  EXPECT_EQ(exact.argmax, (Outcome{9, 0}));
  EXPECT_DOUBLE_EQ(exact.min, 0.0);
  UtilityRange searched = ComputeUtilityRange(utility, small, /*enumeration_limit=*/10);
  EXPECT_FALSE(searched.exact);
  EXPECT_DOUBLE_EQ(searched.max, 1.0);  // coordinate ascent finds it on this simple surface
}

}  // namespace
}  // namespace parley::model
