#include "parley/base/big_count.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace parley {
namespace {

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
