#include "parley/base/status.h"

#include <gtest/gtest.h>

#include "parley/base/big_count.h"

namespace parley {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0) return InvalidInput("must be positive", Location{"f.yaml", 3, 7, "weights.a"});
  return value;
}

Result<int> Doubled(int value) {
  PARLEY_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

TEST(StatusTest, ToStringNamesFileLineColumnAndField) {
  Status status = ParsePositive(-1).status();
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(status.ToString(), "f.yaml:3:7: weights.a: must be positive");
}

TEST(StatusTest, AssignOrReturnPropagatesErrorsAndValues) {
  EXPECT_EQ(Doubled(4).value(), 8);
  EXPECT_FALSE(Doubled(0).ok());
  EXPECT_EQ(Doubled(0).status().message(), "must be positive");
}

TEST(StatusTest, FieldPrefixJoinsPaths) {
  Status status = InvalidInput("bad", Location{"", 0, 0, "weights"});
  status.WithFieldPrefix("parties.a.preferences").WithFile("x.yaml");
  EXPECT_EQ(status.ToString(), "x.yaml: parties.a.preferences.weights: bad");
}

TEST(BigCountTest, ExactProductsBeyond64Bits) {
  BigCount count(1);
  for (int i = 0; i < 50; ++i) count *= BigCount(10);
  EXPECT_EQ(count.ToString(), "1" + std::string(50, '0'));
  EXPECT_FALSE(count.FitsUint64());
  EXPECT_EQ(count.ToScientific(), "1e+50");
  EXPECT_NEAR(count.Log10(), 50.0, 1e-12);
  EXPECT_EQ(BigCount(UINT64_MAX).ToUint64().value(), UINT64_MAX);
  EXPECT_FALSE((BigCount(UINT64_MAX) + BigCount(1)).FitsUint64());
}

TEST(BigCountTest, ScientificRoundsCorrectly) {
  EXPECT_EQ(BigCount(1'999'500).ToScientific(3), "2e+6");
  EXPECT_EQ(BigCount(1'234'567).ToScientific(3), "1.23e+6");
  EXPECT_EQ(BigCount(188'160).ToDisplayString(), "188160");
  EXPECT_EQ(BigCount::FromDecimal("12a"), std::nullopt);
}

TEST(BigCountTest, DivideInPlaceReturnsRemainder) {
  BigCount value = *BigCount::FromDecimal("100000000000000000000007");
  EXPECT_EQ(value.DivideInPlace(10), 7u);
  EXPECT_EQ(value.ToString(), "10000000000000000000000");
}

}  // namespace
}  // namespace parley
