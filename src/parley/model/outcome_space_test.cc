#include "parley/model/outcome_space.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace parley::model {
namespace {

TEST(OutcomeSpaceTest, IndexRoundTripsAndIsLexicographic) {
  OutcomeSpace space({3, 1, 4, 2});
  ASSERT_EQ(space.Count64(), 24u);
  std::uint64_t expected_index = 0;
  Outcome previous;
  Status status = space.ForEach(100, [&](const Outcome& outcome) {
    EXPECT_EQ(space.Index(outcome), expected_index);
    EXPECT_EQ(space.OutcomeAt(expected_index), outcome);
    EXPECT_EQ(space.OutcomeAt(BigCount(expected_index)), outcome);
    if (!previous.empty()) {
      EXPECT_LT(previous, outcome);
    }
    previous = outcome;
    ++expected_index;
  });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(expected_index, 24u);
}

TEST(OutcomeSpaceTest, HugeSpacesAreExactAndNeverEnumerated) {
  OutcomeSpace space(std::vector<std::uint64_t>(50, 10));
  EXPECT_FALSE(space.Count64().has_value());
  EXPECT_EQ(space.Count().ToString(), "1" + std::string(50, '0'));
  int visits = 0;
  Status status = space.ForEach(1'000'000, [&](const Outcome&) { ++visits; });
  EXPECT_EQ(status.code(), ErrorCode::kUnsupported);
  EXPECT_EQ(visits, 0);
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 100; ++trial) {
    Outcome outcome(50);
    for (auto& option : outcome) option = static_cast<OptionIndex>(rng() % 10);
    BigCount index = space.BigIndex(outcome);
    // Decimal digits of the index are the outcome itself in a base-10 space.
    std::string digits = index.ToString();
    digits.insert(0, 50 - digits.size(), '0');
    for (std::size_t issue_idx = 0; issue_idx < 50; ++issue_idx) {
      EXPECT_EQ(digits[issue_idx] - '0', static_cast<int>(outcome[issue_idx]));
    }
    EXPECT_EQ(space.OutcomeAt(index), outcome);
  }
}

TEST(OutcomeSpaceTest, EmptyIssueMeansNoOutcomes) {
  OutcomeSpace space({3, 0});
  EXPECT_EQ(space.Count64(), 0u);
  EXPECT_FALSE(space.Contains({0, 0}));
}

}  // namespace
}  // namespace parley::model
