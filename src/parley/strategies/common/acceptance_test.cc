#include "parley/strategies/common/acceptance.h"

#include <gtest/gtest.h>

namespace parley::strategies {
namespace {

struct Row {
  AcceptanceRule rule;
  double offer;
  double next;
  double time;
  std::optional<double> best_in_window;
  bool expected;
};

// Condition parameters in every row: alpha 1, beta 0, constant 0.7, time 0.9.
TEST(AcceptanceTest, TruthTable) {
  const Row rows[] = {
      // AC_next: u(x) >= u(next).
      {AcceptanceRule::kNext, 0.6, 0.5, 0.0, std::nullopt, true},
      {AcceptanceRule::kNext, 0.5, 0.5, 0.0, std::nullopt, true},
      {AcceptanceRule::kNext, 0.4, 0.5, 0.99, std::nullopt, false},
      // AC_const(0.7): u(x) >= 0.7, whatever comes next.
      {AcceptanceRule::kConst, 0.7, 0.9, 0.0, std::nullopt, true},
      {AcceptanceRule::kConst, 0.69, 0.1, 0.0, std::nullopt, false},
      // AC_time(0.9): t >= 0.9, whatever the offer.
      {AcceptanceRule::kTime, 0.0, 0.9, 0.9, std::nullopt, true},
      {AcceptanceRule::kTime, 0.99, 0.1, 0.89, std::nullopt, false},
      // AC_combi: next, or late and at least the window's best.
      {AcceptanceRule::kCombi, 0.6, 0.5, 0.1, std::nullopt, true},
      {AcceptanceRule::kCombi, 0.4, 0.5, 0.95, 0.4, true},
      {AcceptanceRule::kCombi, 0.4, 0.5, 0.95, 0.45, false},
      {AcceptanceRule::kCombi, 0.4, 0.5, 0.5, 0.3, false},
      {AcceptanceRule::kCombi, 0.4, 0.5, 0.95, std::nullopt, false},
      // next_or_const / next_or_time.
      {AcceptanceRule::kNextOrConst, 0.75, 0.9, 0.0, std::nullopt, true},
      {AcceptanceRule::kNextOrConst, 0.6, 0.5, 0.0, std::nullopt, true},
      {AcceptanceRule::kNextOrConst, 0.6, 0.65, 0.0, std::nullopt, false},
      {AcceptanceRule::kNextOrTime, 0.1, 0.65, 0.95, std::nullopt, true},
      {AcceptanceRule::kNextOrTime, 0.1, 0.65, 0.5, std::nullopt, false},
  };
  for (const Row& row : rows) {
    AcceptanceCondition condition;
    condition.rule = row.rule;
    condition.constant = 0.7;
    condition.time = 0.9;
    AcceptanceInput input{row.offer, row.next, row.time, row.best_in_window};
    EXPECT_EQ(Accepts(condition, input), row.expected)
        << AcceptanceRuleName(row.rule) << " offer " << row.offer << " next " << row.next
        << " time " << row.time;
  }
}

TEST(AcceptanceTest, NextWithAlphaAndBeta) {
  AcceptanceCondition condition;
  condition.alpha = 1.1;
  condition.beta = 0.05;
  // 1.1 * 0.5 + 0.05 = 0.6.
  EXPECT_TRUE(Accepts(condition, {0.5, 0.6, 0, std::nullopt}));
  EXPECT_FALSE(Accepts(condition, {0.5, 0.61, 0, std::nullopt}));
}

TEST(AcceptanceTest, NamesRoundTrip) {
  for (const std::string& name : AcceptanceRuleNames()) {
    std::optional<AcceptanceRule> rule = ParseAcceptanceRule(name);
    ASSERT_TRUE(rule.has_value()) << name;
    EXPECT_EQ(AcceptanceRuleName(*rule), name);
  }
  EXPECT_FALSE(ParseAcceptanceRule("sometimes").has_value());
}

}  // namespace
}  // namespace parley::strategies
