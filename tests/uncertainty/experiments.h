// The two experiments the uncertainty targets are measured with (docs/performance.md), shared by
// the corpus tests (fast and `slow` versions) and the benchmark program:
// - calibration on known truth: one party's weights hidden behind a flat prior (every weight
//   range [0, 1]), a session played with the true weights, the posterior learned from its trace;
// - forecast skill: sessions with strategies the forecaster is not told, cut at half their
//   deadline, forecast against what happened (Brier score, calibration table).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parley/model/scenario.h"
#include "parley/uncertainty/forecast.h"

namespace parley::testing {

// Two-party linear ANAC scenarios of the corpus (empty when ../shared/data is absent).
std::vector<std::string> CalibrationFolders(std::size_t count);

struct CalibrationCase {
  std::string scenario;
  std::string strategies;
  std::size_t weights = 0;     // hidden weights
  std::size_t offers = 0;      // offers of the hidden party in the record
  double prior_error = 0;      // mean absolute error of the prior mean weights
  double posterior_error = 0;  // ... of the posterior mean weights
  std::size_t covered = 0;     // true weights inside their 90% posterior interval
};

// Runs the calibration experiment on one scenario folder.
CalibrationCase RunCalibration(const std::string& folder, std::size_t case_idx,
                               std::uint64_t samples);

struct CalibrationSummary {
  std::size_t cases = 0;
  double mean_reduction = 0;  // mean over cases of 1 - posterior_error / prior_error
  double coverage = 0;        // share of hidden weights inside their 90% interval
  std::string table;          // one line per case
};
CalibrationSummary Summarize(const std::vector<CalibrationCase>& cases);

struct ForecastCase {
  std::string scenario;
  std::string strategies;
  double probability = 0;  // forecast at half the deadline
  bool agreement = false;  // what happened
  uncertainty::ForecastEvidence evidence;
};

// Two-party additive corpus scenarios of other domains than CalibrationFolders(24) (GENIUS
// "other", ANAC 2015, GeniusWeb): the development set the forecast's calibration is fitted on.
std::vector<std::string> DevelopmentFolders(std::size_t count);

// Sessions on `folders` with every pair of strategies from a fixed pool, `rounds` long, cut at
// half; sessions that ended before the cut are left out (their outcome is known). Seeds start
// at `seed_base`; `every_pair` plays every pair on every scenario rather than a third of them.
std::vector<ForecastCase> RunForecasts(const std::vector<std::string>& folders,
                                       std::size_t max_cases, int rounds,
                                       std::uint64_t seed_base = 500, bool every_pair = false,
                                       const uncertainty::ForecastOptions& base_options = {});

// One line per case: scenario, strategies, forecast, outcome and the evidence's features.
std::string CasesTable(const std::vector<ForecastCase>& cases);

// Fits the forecast's calibration (ForecastOptions::Calibration) to `cases` by maximum
// likelihood (Newton's method, ridge 0.01 on every coefficient but the intercept).
uncertainty::ForecastOptions::Calibration FitCalibration(const std::vector<ForecastCase>& cases);

struct SkillSummary {
  std::size_t cases = 0;
  double base_rate = 0;
  double brier = 0;
  double brier_base_rate = 0;
  double skill = 0;   // 1 - brier / brier_base_rate
  std::string table;  // calibration table: forecast bins, mean forecast, observed rate, count
};
SkillSummary SummarizeSkill(const std::vector<ForecastCase>& cases);

}  // namespace parley::testing
