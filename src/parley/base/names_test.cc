#include "parley/base/names.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parley {
namespace {

TEST(NamesTest, QuoteShortensLongTextToSixtyCharacters) {
  EXPECT_EQ(Quote("boulware"), "'boulware'");
  EXPECT_EQ(Quote(""), "''");
  const std::string long_text(61, 'x');
  EXPECT_EQ(Quote(long_text), "'" + std::string(60, 'x') + "...'");
  EXPECT_EQ(Quote(std::string(60, 'x')), "'" + std::string(60, 'x') + "'");
}

TEST(NamesTest, ListNamesStopsAfterTwenty) {
  EXPECT_EQ(ListNames({}), "");
  EXPECT_EQ(ListNames({"a", "b", "c"}), "a, b, c");
  std::vector<std::string> many;
  for (int name = 0; name < 23; ++name) many.push_back("n" + std::to_string(name));
  const std::string listed = ListNames(many);
  EXPECT_EQ(listed.rfind("n0, n1, ", 0), 0u);
  EXPECT_NE(listed.find("n19, ... (3 more)"), std::string::npos) << listed;
  EXPECT_EQ(listed.find("n20"), std::string::npos) << listed;
}

TEST(NamesTest, SuggestsTheClosestCandidateWithinAThirdOfTheLength) {
  const std::vector<std::string> strategies = {"boulware", "conceder", "hardliner", "linear"};
  EXPECT_EQ(Suggestion("bouleware", strategies), "; did you mean 'boulware'?");  // 1 edit
  EXPECT_EQ(Suggestion("hardlinr", strategies), "; did you mean 'hardliner'?");
  EXPECT_EQ(Suggestion("boulware", strategies), "");     // an exact match needs no suggestion
  EXPECT_EQ(Suggestion("tit_for_tat", strategies), "");  // nothing close
  // Within a third of the longer name's length, and at least one edit for short names.
  EXPECT_EQ(Suggestion("ab", {"ax"}), "; did you mean 'ax'?");
  EXPECT_EQ(Suggestion("ab", {"xy"}), "");
  EXPECT_EQ(Suggestion("x", {}), "");
  // Hostile lengths are not compared (the distance is quadratic).
  EXPECT_EQ(Suggestion(std::string(201, 'a'), {std::string(201, 'a') + "b"}), "");
}

TEST(NamesTest, UnknownNameSaysWhatSuggestsAndLists) {
  EXPECT_EQ(UnknownName("strategy", "bolware", "strategies", {"boulware", "conceder"}),
            "unknown strategy 'bolware'; did you mean 'boulware'? (strategies are: boulware, "
            "conceder)");
  EXPECT_EQ(UnknownName("protocol", "zzz", "protocols", {"shuttle"}),
            "unknown protocol 'zzz' (protocols are: shuttle)");
}

}  // namespace
}  // namespace parley
