// Outcomes as JSON: every outcome reads back as itself, and what does not fit the scenario is
// refused naming the field.
#include "parley/io/outcome_json.h"

#include <gtest/gtest.h>

namespace parley::io {
namespace {

// One issue of each kind: discrete x (labels), integer n from 0 (the number), real r on a
// 0.5 grid.
model::Scenario ThreeKindsOfIssue() {
  model::Scenario scenario;
  scenario.issues = {model::Issue::Discrete("x", {"x0", "x1", "x2"}),
                     model::Issue::Integer("n", 0, 3), model::Issue::Real("r", 0, 1, 0.5)};
  return scenario;
}

TEST(OutcomeJsonTest, SpellsEachKindOfIssueAsItsValue) {
  model::Scenario scenario = ThreeKindsOfIssue();
  EXPECT_EQ(OutcomeJson(scenario, {2, 3, 1}).dump(), R"({"x":"x2","n":3,"r":0.5})");
}

TEST(OutcomeJsonTest, EveryOutcomeRoundTrips) {
  model::Scenario scenario = ThreeKindsOfIssue();
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  int checked = 0;
  Status status = space.ForEach(1000, [&](const model::Outcome& outcome) {
    Json value = Json::parse(OutcomeJson(scenario, outcome).dump());
    Result<model::Outcome> back = OutcomeFromJson(scenario, value, "outcome");
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, outcome);
    ++checked;
  });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(checked, 3 * 4 * 3);
}

TEST(OutcomeJsonTest, RefusesWhatDoesNotFitNamingTheField) {
  model::Scenario scenario = ThreeKindsOfIssue();
  auto refused = [&](const char* text) {
    Result<model::Outcome> outcome = OutcomeFromJson(scenario, Json::parse(text), "outcome");
    EXPECT_FALSE(outcome.ok()) << text;
    EXPECT_EQ(outcome.status().code(), ErrorCode::kInvalidInput) << text;
    return outcome.status().location().field + ": " + outcome.status().message();
  };
  EXPECT_EQ(refused(R"(["x0", 0, 0])"), "outcome: expected {issue: option}");
  EXPECT_EQ(refused(R"({"x": "x0", "n": 0})"),
            "outcome: expected an option for each of the 3 issues");
  EXPECT_EQ(refused(R"({"x": "x0", "n": 0, "s": 0})"), "outcome: missing issue 'r'");
  EXPECT_EQ(refused(R"({"x": 0, "n": 0, "r": 0})"), "outcome.x: expected an option label");
  EXPECT_EQ(refused(R"({"x": "x0", "n": "0", "r": 0})"), "outcome.n: expected a number");
  EXPECT_EQ(refused(R"({"x": "x3", "n": 0, "r": 0})"),
            "outcome.x: '\"x3\"' is not an option of issue 'x'");
  EXPECT_EQ(refused(R"({"x": "x0", "n": 4, "r": 0})"),
            "outcome.n: '4' is not an option of issue 'n'");
  EXPECT_EQ(refused(R"({"x": "x0", "n": 0, "r": 0.25})"),
            "outcome.r: '0.25' is not an option of issue 'r'");
}

}  // namespace
}  // namespace parley::io
