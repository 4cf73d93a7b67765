#include "parley/model/issue.h"

#include <gtest/gtest.h>

#include "parley/model/scenario.h"

namespace parley::model {
namespace {

TEST(IssueDisplayTest, AnIssueIsCalledByItsNameOrItsIdInWords) {
  Issue named = Issue::Discrete("ceasefire", {"a"});
  named.name = "Nature of the ceasefire";
  EXPECT_EQ(named.DisplayName(), "Nature of the ceasefire");
  // The factories default the name to the id: that is no human name.
  EXPECT_EQ(Issue::Discrete("hostages_released", {"a"}).DisplayName(), "hostages released");
  Issue unnamed = Issue::Discrete("Destination", {"a"});
  unnamed.name.clear();
  EXPECT_EQ(unnamed.DisplayName(), "Destination");
}

TEST(IssueDisplayTest, OptionsReadAsTheirDescriptionOrTheirLabelInWords) {
  Issue issue = Issue::Discrete("withdrawal", {"none", "to_perimeter", "full"});
  EXPECT_EQ(issue.OptionDisplayName(1), "to perimeter");
  issue.option_descriptions = {"", "to the perimeter of the strip", ""};
  EXPECT_EQ(issue.OptionDisplayName(0), "none");
  EXPECT_EQ(issue.OptionDisplayName(1), "to the perimeter of the strip");
  // The label itself, which files and --outcome use, does not change.
  EXPECT_EQ(issue.OptionLabel(1), "to_perimeter");
}

TEST(IssueDisplayTest, NumericOptionsReadAsValueAndUnit) {
  Issue hostages = Issue::Integer("hostages_released", 0, 40);
  EXPECT_EQ(hostages.OptionDisplayName(33), "33");
  hostages.unit = "people";
  EXPECT_EQ(hostages.OptionDisplayName(33), "33 people");
  Issue price = Issue::Real("price", 0, 1, 0.1);
  EXPECT_EQ(price.OptionDisplayName(3), "0.3");
}

TEST(IssueDisplayTest, OutcomesInWordsNameEveryIssueAndOption) {
  Scenario scenario;
  scenario.issues.push_back(Issue::Discrete("linkage", {"no_linkage", "up_front"}));
  scenario.issues.back().name = "Linkage between phases";
  scenario.issues.push_back(Issue::Integer("hostages_released", 0, 40));
  scenario.issues.back().unit = "people";
  EXPECT_EQ(scenario.DescribeOutcomeInWords({0, 33}),
            "Linkage between phases: no linkage; hostages released: 33 people");
  EXPECT_EQ(scenario.DescribeOutcome({0, 33}), "linkage=no_linkage, hostages_released=33");
}

}  // namespace
}  // namespace parley::model
