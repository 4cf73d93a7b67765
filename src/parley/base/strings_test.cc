#include "parley/base/strings.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace parley {
namespace {

TEST(TrimTest, RemovesWhitespaceAtBothEnds) {
  EXPECT_EQ(Trim("  a b \t"), "a b");
  EXPECT_EQ(Trim("\r\ntoken\n"), "token");
  EXPECT_EQ(Trim("\v\fx\f"), "x");
}

TEST(TrimTest, KeepsInnerWhitespaceAndUntouchedText) {
  EXPECT_EQ(Trim("e = 0.2"), "e = 0.2");
  EXPECT_EQ(Trim("boulware"), "boulware");
}

TEST(TrimTest, BlankTextBecomesEmpty) {
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\r\n "), "");
}

TEST(TrimTest, ViewsTheSameCharacters) {
  std::string text = "  abc  ";
  std::string_view trimmed = Trim(text);
  EXPECT_EQ(trimmed.data(), text.data() + 2);
  EXPECT_EQ(trimmed.size(), 3u);
}

TEST(TrimTest, NonAsciiBytesAreNotWhitespace) {
  // UTF-8 of a no-break space (U+00A0): not ASCII whitespace, kept.
  EXPECT_EQ(Trim("\xc2\xa0x\xc2\xa0"), "\xc2\xa0x\xc2\xa0");
}

TEST(GroupThousandsTest, GroupsByThreeFromTheRight) {
  EXPECT_EQ(GroupThousands(0), "0");
  EXPECT_EQ(GroupThousands(999), "999");
  EXPECT_EQ(GroupThousands(1000), "1,000");
  EXPECT_EQ(GroupThousands(503808), "503,808");
  EXPECT_EQ(GroupThousands(1234567), "1,234,567");
  EXPECT_EQ(GroupThousands(std::numeric_limits<std::uint64_t>::max()),
            "18,446,744,073,709,551,615");
}

}  // namespace
}  // namespace parley
