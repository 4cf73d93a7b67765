#include "parley/io/command_text.h"

#include <gtest/gtest.h>

#include "parley/io/scenario_io.h"

namespace parley::io {
namespace {

model::Scenario Ceasefire() {
  Result<model::Scenario> scenario =
      LoadScenario(std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml");
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return std::move(scenario).value();
}

std::string ErrorOf(const Status& status) { return status.ToString(); }

TEST(ResolvePartiesTest, NamesResolveInTheOrderGivenAndBlankMeansThePrincipals) {
  model::Scenario scenario = Ceasefire();
  Result<std::vector<std::size_t>> named = ResolveParties(scenario, " hamas , israel");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ(*named, (std::vector<std::size_t>{*scenario.FindParty("hamas"),
                                              *scenario.FindParty("israel")}));
  Result<std::vector<std::size_t>> blank = ResolveParties(scenario, "  ");
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ(*blank, scenario.PrincipalIndices());
}

TEST(ResolvePartiesTest, UnknownRepeatedAndPreferencelessPartiesAreRefusedNamingTheField) {
  model::Scenario scenario = Ceasefire();
  Result<std::vector<std::size_t>> unknown = ResolveParties(scenario, "israel,nobody", "parties");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(ErrorOf(unknown.status()).find("unknown party 'nobody'; parties are: israel, hamas"),
            std::string::npos)
      << ErrorOf(unknown.status());
  EXPECT_EQ(unknown.status().location().field, "parties");
  Result<std::vector<std::size_t>> twice = ResolveParties(scenario, "israel,israel");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(ErrorOf(twice.status()).find("named twice"), std::string::npos);
  EXPECT_EQ(twice.status().location().field, "--parties");
}

TEST(ParseOutcomeTest, EveryIssueOnceByOptionIdInAnyOrder) {
  model::Scenario scenario = Ceasefire();
  std::string text;
  model::Outcome expected;
  // Issues in reverse order, each at its last option.
  for (std::size_t issue_idx = scenario.issues.size(); issue_idx-- > 0;) {
    const model::Issue& issue = scenario.issues[issue_idx];
    std::uint64_t last = issue.NumOptions() - 1;
    text += (text.empty() ? "" : ", ") + issue.id + " = " + issue.OptionLabel(last);
  }
  for (const model::Issue& issue : scenario.issues) {
    expected.push_back(static_cast<model::OptionIndex>(issue.NumOptions() - 1));
  }
  Result<model::Outcome> outcome = ParseOutcome(scenario, text);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(*outcome, expected);
}

TEST(ParseOutcomeTest, MalformedUnknownRepeatedAndMissingIssuesAreRefused) {
  model::Scenario scenario = Ceasefire();
  auto error = [&](const std::string& text) {
    Result<model::Outcome> outcome = ParseOutcome(scenario, text, "--draft");
    EXPECT_FALSE(outcome.ok()) << text;
    if (outcome.ok()) return std::string();
    EXPECT_EQ(outcome.status().location().field, "--draft");
    return ErrorOf(outcome.status());
  };
  EXPECT_NE(error("ceasefire").find("expected issue=option, got 'ceasefire'"), std::string::npos);
  EXPECT_NE(error("weather=sunny").find("unknown issue 'weather'"), std::string::npos);
  EXPECT_NE(error("ceasefire=forever").find("issue 'ceasefire' has no option 'forever'"),
            std::string::npos);
  EXPECT_NE(error("ceasefire=time_limited_pause,ceasefire=permanent_up_front")
                .find("issue 'ceasefire' is given twice"),
            std::string::npos);
  EXPECT_NE(error("ceasefire=time_limited_pause").find("no option given for issue 'withdrawal'"),
            std::string::npos);
}

}  // namespace
}  // namespace parley::io
