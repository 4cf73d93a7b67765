#include "parley/tournament/grid.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace parley::tournament {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Expand(const std::string& text) {
  Result<GridSpec> grid = ParseGridSpec(text);
  EXPECT_TRUE(grid.ok()) << grid.status().ToString();
  return grid.ok() ? ExpandGrid(*grid) : std::vector<std::string>();
}

TEST(GridTest, APlainSpecIsOneStrategyNormalised) {
  EXPECT_THAT(Expand("boulware"), ElementsAre("boulware"));
  EXPECT_THAT(Expand("  time_based( e = 0.5 ,min=0.6 ) "),
              ElementsAre("time_based(e=0.5, min=0.6)"));
  EXPECT_THAT(Expand("hardliner()"), ElementsAre("hardliner"));
}

TEST(GridTest, AListExpandsToOneStrategyPerValueInOrder) {
  EXPECT_THAT(Expand("time_based(e=[0.2, 1,2])"),
              ElementsAre("time_based(e=0.2)", "time_based(e=1)", "time_based(e=2)"));
}

TEST(GridTest, SeveralListsGiveTheirProductWithTheLastVaryingFastest) {
  EXPECT_THAT(Expand("time_based(e=[0.2, 1], accept=next, min=[0.5, 0.6])"),
              ElementsAre("time_based(e=0.2, accept=next, min=0.5)",
                          "time_based(e=0.2, accept=next, min=0.6)",
                          "time_based(e=1, accept=next, min=0.5)",
                          "time_based(e=1, accept=next, min=0.6)"));
  Result<GridSpec> grid = ParseGridSpec("x(a=[1,2,3], b=[1,2], c=[1,2,3,4])");
  ASSERT_TRUE(grid.ok());
  EXPECT_EQ(GridSize(*grid), 24u);
  EXPECT_EQ(ExpandGrid(*grid).size(), 24u);
}

TEST(GridTest, ErrorsSayWhatIsWrongAndWhere) {
  struct Case {
    const char* text;
    const char* message;
    int column;
  };
  for (const Case& bad :
       {Case{"time_based(e=[])", "empty list", 15}, Case{"time_based(e=[0.2, 1", "missing ']'", 21},
        Case{"time_based(e=0.2", "missing ')'", 17},
        Case{"time_based(e=[0.2, [1]])", "unexpected '['", 20},
        Case{"time_based(e=[0.2, ,1])", "empty value", 20},
        Case{"(e=1)", "expected a strategy name", 1},
        Case{"x(e=1) y", "unexpected text after ')'", 8}, Case{"x(e)", "expected key=value", 3},
        Case{"x(e=1, e=2)", "given twice", 8}, Case{"x(e=0.[2])", "whole value", 7}}) {
    Result<GridSpec> grid = ParseGridSpec(bad.text);
    ASSERT_FALSE(grid.ok()) << bad.text;
    EXPECT_THAT(grid.status().message(), HasSubstr(bad.message)) << bad.text;
    EXPECT_EQ(grid.status().location().column, bad.column) << bad.text;
  }
}

}  // namespace
}  // namespace parley::tournament
