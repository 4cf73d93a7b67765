// Obstacles on small scenarios whose answers can be read off by hand: which red lines exclude each
// other, which minimal relaxations open an empty zone, which red lines bind at the Nash point, and
// when the relaxation search is limited. The same report is checked against brute force on random
// scenarios (every subset of constraints) in tests/analysis_corpus_test.cc
// (AnalyzeScenarioPropertyTest.MatchesBruteForceOnRandomScenariosWithRedLines).
#include "parley/analysis/obstacles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "parley/io/scenario_io.h"

namespace parley::analysis {
namespace {

using ::testing::HasSubstr;

model::Scenario Read(const std::string& yaml) {
  Result<model::Scenario> scenario = io::ReadParleyYaml(yaml, "obstacles_test.yaml");
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return std::move(scenario).value();
}

// Alpha will not have a permanent ceasefire; Beta requires one and a full withdrawal. No outcome
// satisfies both ceasefire lines, so the zone is empty whatever the rest.
constexpr const char* kOpposedLines = R"(parley: 1
name: opposed lines
issues:
  - id: ceasefire
    options: [temporary, permanent]
  - id: withdrawal
    options: [partial, full]
  - id: aid
    options: [low, high]
parties:
  - id: alpha
    name: Alpha
    preferences:
      weights: {ceasefire: 1, withdrawal: 1, aid: 1}
      values:
        ceasefire: {temporary: 1, permanent: 0}
        withdrawal: {partial: 1, full: 0}
        aid: {low: 1, high: 0}
      reservation: 0
      red_lines:
        - id: no_permanent
          forbid: ceasefire == permanent
          description: no permanent ceasefire
  - id: beta
    name: Beta
    preferences:
      weights: {ceasefire: 1, withdrawal: 1, aid: 1}
      values:
        ceasefire: {temporary: 0, permanent: 1}
        withdrawal: {partial: 0, full: 1}
        aid: {low: 0, high: 1}
      reservation: 0
      red_lines:
        - id: permanent
          require: ceasefire == permanent
          description: a permanent ceasefire
        - id: full
          require: withdrawal == full
          description: full withdrawal
)";

std::set<std::string> Descriptions(const std::vector<Constraint>& constraints) {
  std::set<std::string> descriptions;
  for (const Constraint& constraint : constraints) descriptions.insert(constraint.description);
  return descriptions;
}

TEST(ObstaclesTest, ListsEveryRedLineAndReservationInPartyOrder) {
  model::Scenario scenario = Read(kOpposedLines);
  std::vector<Constraint> constraints = ListConstraints(scenario, {0, 1});
  ASSERT_EQ(constraints.size(), 5u);  // one red line and a reservation, two red lines and one
  std::size_t red_lines = 0;
  for (const Constraint& constraint : constraints) {
    red_lines += constraint.kind == Constraint::Kind::kRedLine;
  }
  EXPECT_EQ(red_lines, 3u);
  EXPECT_EQ(constraints.front().party_idx, 0u);
  EXPECT_EQ(constraints.back().party_idx, 1u);
  EXPECT_THAT(constraints.front().description, HasSubstr("Alpha"));
}

TEST(ObstaclesTest, OpposedRedLinesAreAConflictAndEachAloneIsAMinimalRelaxation) {
  model::Scenario scenario = Read(kOpposedLines);
  Result<ObstacleReport> report = AnalyzeObstacles(scenario, {0, 1});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->zopa_empty);
  EXPECT_FALSE(report->search_limited);
  EXPECT_TRUE(report->binding_at_nash.empty());

  // The two ceasefire lines exclude each other; Beta's withdrawal line conflicts with neither
  // (Alpha has no line on withdrawal), and lines of one party are never paired.
  ASSERT_EQ(report->conflicts.size(), 1u);
  std::set<std::string> pair = {report->conflicts[0].first.description,
                                report->conflicts[0].second.description};
  EXPECT_EQ(pair.size(), 2u);
  EXPECT_THAT(*pair.begin() + " | " + *pair.rbegin(), HasSubstr("no permanent ceasefire"));
  EXPECT_THAT(*pair.begin() + " | " + *pair.rbegin(), HasSubstr("a permanent ceasefire"));
  EXPECT_FALSE(report->conflicts[0].explanation.empty());

  // Relaxing either ceasefire line alone opens the zone (with full withdrawal, either aid level:
  // two outcomes each); relaxing Beta's withdrawal line does not, nor does any reservation, so no
  // larger set is minimal.
  ASSERT_EQ(report->relaxations.size(), 2u);
  std::set<std::string> relaxed;
  for (const Relaxation& relaxation : report->relaxations) {
    ASSERT_EQ(relaxation.constraints.size(), 1u);
    EXPECT_EQ(relaxation.constraints[0].kind, Constraint::Kind::kRedLine);
    EXPECT_EQ(relaxation.opened.count, BigCount(2)) << relaxation.explanation;
    EXPECT_FALSE(relaxation.explanation.empty());
    relaxed.insert(relaxation.constraints[0].description);
  }
  EXPECT_EQ(relaxed.size(), 2u);
  for (const std::string& description : relaxed) {
    EXPECT_THAT(description, ::testing::AnyOf(HasSubstr("no permanent ceasefire"),
                                              HasSubstr("a permanent ceasefire")));
  }
  EXPECT_FALSE(report->summary.empty());
}

// One issue, three options; Alpha gains as x rises, Beta as it falls. Without red lines the Nash
// point is the middle (0.5 * 0.5 = 0.25 against 0.2 * 0.9 and 0.9 * 0.1). Alpha's line forbids
// the middle, Beta's the top: the Nash point is then the bottom (0.18). Relaxing Alpha's line
// moves it back to the middle; relaxing Beta's leaves it at the bottom (0.18 > 0.09).
constexpr const char* kBindingLine = R"(parley: 1
name: binding line
issues:
  - id: x
    options: [low, middle, high]
parties:
  - id: alpha
    name: Alpha
    preferences:
      weights: {x: 1}
      values:
        x: {low: 0.2, middle: 0.5, high: 0.9}
      reservation: 0
      red_lines:
        - forbid: x == middle
          description: not the middle
  - id: beta
    name: Beta
    preferences:
      weights: {x: 1}
      values:
        x: {low: 0.9, middle: 0.5, high: 0.1}
      reservation: 0
      red_lines:
        - forbid: x == high
          description: not the top
)";

TEST(ObstaclesTest, ARedLineBindsAtTheNashPointWhenRelaxingItAloneMovesThePoint) {
  model::Scenario scenario = Read(kBindingLine);
  Result<ObstacleReport> report = AnalyzeObstacles(scenario, {0, 1});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->zopa_empty);
  EXPECT_TRUE(report->relaxations.empty());
  EXPECT_TRUE(report->conflicts.empty());  // "low" satisfies both lines
  ASSERT_EQ(report->binding_at_nash.size(), 1u);
  EXPECT_EQ(report->binding_at_nash[0].party_idx, 0u);
  EXPECT_THAT(report->binding_at_nash[0].description, HasSubstr("not the middle"));
}

// Alpha forbids 13 of 14 options of y one by one, Beta requires the first: 14 red lines and two
// reservations are more than the exhaustive search takes (12), so only sets of one and two are
// tried, and the report says so. The minimal ones are still found: Beta's line (y = o13 opens)
// and Alpha's line against o0 (y = o0 opens).
TEST(ObstaclesTest, ManyConstraintsLimitTheSearchToPairsAndSaySo) {
  std::string yaml = "parley: 1\nname: many lines\nissues:\n  - id: y\n    options: [";
  for (int option = 0; option < 14; ++option) {
    yaml += (option ? ", o" : "o") + std::to_string(option);
  }
  yaml += "]\nparties:\n";
  for (const char* party : {"alpha", "beta"}) {
    yaml += std::string("  - id: ") + party + "\n    preferences:\n      weights: {y: 1}\n" +
            "      values:\n        y: {type: constant, value: 0.5}\n      reservation: 0\n" +
            "      red_lines:\n";
    if (std::string(party) == "alpha") {
      for (int option = 0; option < 13; ++option) {
        yaml += "        - forbid: y == o" + std::to_string(option) +
                "\n          description: not o" + std::to_string(option) + "\n";
      }
    } else {
      yaml += "        - require: y == o0\n          description: only o0\n";
    }
  }
  model::Scenario scenario = Read(yaml);
  ASSERT_GT(ListConstraints(scenario, {0, 1}).size(), ObstacleOptions{}.max_exhaustive_constraints);
  Result<ObstacleReport> report = AnalyzeObstacles(scenario, {0, 1});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->zopa_empty);
  EXPECT_TRUE(report->search_limited);
  std::set<std::string> relaxed;
  for (const Relaxation& relaxation : report->relaxations) {
    EXPECT_EQ(relaxation.opened.count, BigCount(1)) << relaxation.explanation;
    for (const std::string& description : Descriptions(relaxation.constraints)) {
      relaxed.insert(description);
    }
    EXPECT_EQ(relaxation.constraints.size(), 1u) << relaxation.explanation;
  }
  ASSERT_EQ(report->relaxations.size(), 2u);
  EXPECT_EQ(relaxed.size(), 2u);
  EXPECT_EQ(std::count_if(relaxed.begin(), relaxed.end(),
                          [](const std::string& text) {
                            return text.find("only o0") != std::string::npos ||
                                   text.find("not o0") != std::string::npos;
                          }),
            2);
}

}  // namespace
}  // namespace parley::analysis
