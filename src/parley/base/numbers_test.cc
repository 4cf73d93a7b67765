#include "parley/base/numbers.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>

namespace parley {
namespace {

TEST(NumbersTest, ParseFiniteDoubleTakesTheWholeTokenAndFiniteValuesOnly) {
  EXPECT_EQ(ParseFiniteDouble("5"), 5.0);
  EXPECT_EQ(ParseFiniteDouble("-0.5"), -0.5);
  EXPECT_EQ(ParseFiniteDouble("+3"), 3.0);
  EXPECT_EQ(ParseFiniteDouble("1e-07"), 1e-07);
  EXPECT_EQ(ParseFiniteDouble("4.9406564584124654e-324"),
            std::numeric_limits<double>::denorm_min());  // subnormal, but finite
  for (const char* bad :
       {"", "+", "5x", " 5", "5 ", "inf", "-inf", "nan", "1e400", "0x10", "++1", "+-1", "1,5"}) {
    EXPECT_EQ(ParseFiniteDouble(bad), std::nullopt) << "'" << bad << "'";
  }
}

TEST(NumbersTest, ParseInt64TakesWholeIntegersInRange) {
  EXPECT_EQ(ParseInt64("42"), 42);
  EXPECT_EQ(ParseInt64("+7"), 7);
  EXPECT_EQ(ParseInt64("-3"), -3);
  EXPECT_EQ(ParseInt64("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(ParseInt64("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  for (const char* bad : {"", "+", "4.0", "9223372036854775808", "-9223372036854775809", "1e3",
                          " 1", "1 ", "0x1", "+-3", "++3"}) {
    EXPECT_EQ(ParseInt64(bad), std::nullopt) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace parley
