// The uncertainty targets in full (label `slow`, excluded from the default run; about a minute
// each in a Release build): learning calibration on 24 corpus scenarios (posterior mean weights
// cut the prior's mean absolute error by at least 50% on average; 90% intervals cover the true
// weights 85-95% of the time) and forecast skill over 300+ sessions cut at half their deadline (a
// Brier score at least 20% better than the base rate), with the forecast's calibration refitted
// on its development set. Tables go to stdout; figures in docs/performance.md.
// Run: ctest --preset release -L slow -R uncertainty --output-on-failure -V
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "test_support.h"
#include "uncertainty/experiments.h"

namespace parley::testing {
namespace {

TEST(UncertaintyCalibrationSlowTest, TwentyFourScenarios) {
  std::vector<std::string> folders = CalibrationFolders(24);
  if (folders.empty()) GTEST_SKIP() << "../shared/data is absent";
  ASSERT_GE(folders.size(), 20u);
  std::vector<CalibrationCase> cases;
  for (std::size_t idx = 0; idx < folders.size(); ++idx) {
    cases.push_back(RunCalibration(folders[idx], idx, 2000));
  }
  CalibrationSummary summary = Summarize(cases);
  std::cout << summary.table;
  EXPECT_GE(summary.mean_reduction, 0.5);
  EXPECT_GE(summary.coverage, 0.85);
  EXPECT_LE(summary.coverage, 0.95);
}

TEST(ForecastSkillSlowTest, ThreeHundredSessions) {
  std::vector<std::string> folders = CalibrationFolders(24);
  if (folders.empty()) GTEST_SKIP() << "../shared/data is absent";
  std::vector<ForecastCase> cases = RunForecasts(folders, 600, 100);
  if (std::getenv("PARLEY_FORECAST_CASES") != nullptr) {
    std::cout << CasesTable(cases);
  }
  SkillSummary summary = SummarizeSkill(cases);
  std::cout << summary.table;
  ASSERT_GE(summary.cases, 300u);
  // The target: a Brier score at least 20% better than the base rate's.
  EXPECT_GE(summary.skill, 0.20);
}

// The calibration's coefficients are fitted on these sessions: other scenarios (domains of the
// corpus the evaluation does not use, and the B variants of its 2012 domains, which differ in
// reservation value and discount) and other seeds. Refitting them must give the defaults.
TEST(ForecastSkillSlowTest, CalibrationIsFittedOnTheDevelopmentSet) {
  std::vector<std::string> folders = DevelopmentFolders(40);
  if (folders.empty()) GTEST_SKIP() << "../shared/data is absent";
  std::vector<std::string> evaluation = CalibrationFolders(24);
  for (const std::string& folder : folders) {
    EXPECT_EQ(std::find(evaluation.begin(), evaluation.end(), folder), evaluation.end()) << folder;
  }
  std::vector<ForecastCase> cases = RunForecasts(folders, 2000, 100, 9000);
  if (std::getenv("PARLEY_FORECAST_CASES") != nullptr) std::cout << CasesTable(cases);
  SkillSummary summary = SummarizeSkill(cases);
  std::cout << folders.size() << " development scenarios\n" << summary.table;
  ASSERT_GE(summary.cases, 300u);
  uncertainty::ForecastOptions::Calibration fitted = FitCalibration(cases);
  uncertainty::ForecastOptions::Calibration defaults;
  std::cout << fmt::format(
      "fitted: intercept {:.3f}, model {:.3f}, need {:.3f}, conceded {:.3f}, novelty {:.3f}, "
      "unmoved {:.3f}\n",
      fitted.intercept, fitted.model, fitted.need, fitted.conceded, fitted.novelty, fitted.unmoved);
  EXPECT_NEAR(fitted.intercept, defaults.intercept, 0.01);
  EXPECT_NEAR(fitted.model, defaults.model, 0.01);
  EXPECT_NEAR(fitted.need, defaults.need, 0.01);
  EXPECT_NEAR(fitted.conceded, defaults.conceded, 0.01);
  EXPECT_NEAR(fitted.novelty, defaults.novelty, 0.01);
  EXPECT_NEAR(fitted.unmoved, defaults.unmoved, 0.01);
}

}  // namespace
}  // namespace parley::testing
