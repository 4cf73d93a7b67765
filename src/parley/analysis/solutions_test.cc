#include "parley/analysis/solutions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace parley::analysis {
namespace {

bool DominatesForTest(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] < b[i]) return false;
    if (a[i] > b[i]) better = true;
  }
  return better;
}

// Random point clouds (utilities on a coarse grid so ties happen), their brute-force frontier,
// and each solution checked against a brute-force optimum over ALL acceptable points: the
// frontier must be enough to find it.
TEST(SolutionsTest, MatchBruteForceOverAllPoints) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    std::size_t num_parties = 2 + trial % 4;
    std::vector<ParetoPoint> all;
    for (int point_idx = 0; point_idx < 60; ++point_idx) {
      ParetoPoint point;
      point.outcome = {static_cast<model::OptionIndex>(point_idx)};
      for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
        point.utilities.push_back(static_cast<double>(rng() % 21) / 20.0);
      }
      all.push_back(point);
    }
    ParetoFrontier frontier;
    for (const ParetoPoint& candidate : all) {
      bool dominated = false;
      for (const ParetoPoint& other : all) {
        if (DominatesForTest(other.utilities, candidate.utilities)) dominated = true;
      }
      if (!dominated) frontier.points.push_back(candidate);
    }
    std::vector<double> disagreement;
    for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
      disagreement.push_back(static_cast<double>(rng() % 8) / 20.0);
    }
    BargainingSolutions solutions = ComputeBargainingSolutions(frontier, disagreement);

    double best_nash = -1;
    double best_egalitarian = -1e9;
    double best_sum = -1e9;
    bool any_acceptable = false;
    std::vector<double> ideal(num_parties, -1e9);
    for (const ParetoPoint& point : all) {
      bool acceptable = true;
      bool all_positive = true;
      double product = 1;
      double smallest = 1e9;
      double sum = 0;
      for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
        double gain = point.utilities[party_idx] - disagreement[party_idx];
        if (gain < 0) acceptable = false;
        if (gain <= 0) all_positive = false;
        product *= gain;
        smallest = std::min(smallest, gain);
        sum += point.utilities[party_idx];
      }
      if (!acceptable) continue;
      any_acceptable = true;
      for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
        ideal[party_idx] = std::max(ideal[party_idx], point.utilities[party_idx]);
      }
      if (all_positive) best_nash = std::max(best_nash, product);
      best_egalitarian = std::max(best_egalitarian, smallest);
      best_sum = std::max(best_sum, sum);
    }
    ASSERT_EQ(solutions.utilitarian.defined, any_acceptable);
    ASSERT_EQ(solutions.nash.defined, best_nash > 0);
    if (solutions.nash.defined) {
      EXPECT_NEAR(solutions.nash.objective, best_nash, 1e-12);
      for (const ParetoPoint& point : solutions.nash.points) {
        double product = 1;
        for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
          product *= point.utilities[party_idx] - disagreement[party_idx];
        }
        EXPECT_NEAR(product, best_nash, 1e-12);
      }
    }
    if (!any_acceptable) continue;
    EXPECT_NEAR(solutions.egalitarian.objective, best_egalitarian, 1e-12);
    EXPECT_NEAR(solutions.utilitarian.objective, best_sum, 1e-12);
    for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
      EXPECT_DOUBLE_EQ(solutions.ideal[party_idx], ideal[party_idx]);
    }
    // Every tie listed reaches the optimum, and every frontier point that reaches it is listed.
    int utilitarian_ties = 0;
    for (const ParetoPoint& point : frontier.points) {
      double sum = 0;
      bool acceptable = true;
      for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
        sum += point.utilities[party_idx];
        if (point.utilities[party_idx] < disagreement[party_idx]) acceptable = false;
      }
      if (acceptable && std::fabs(sum - best_sum) < 1e-12) ++utilitarian_ties;
    }
    EXPECT_EQ(static_cast<int>(solutions.utilitarian.points.size()), utilitarian_ties);
  }
}

TEST(SolutionsTest, KalaiSmorodinskyOnAKnownFrontier) {
  // Frontier u2 = 1 - u1^2 sampled at u1 = 0, 0.1, ..., 1; d = (0, 0); ideal = (1, 1).
  // KS maximises min(u1, u2): u1 = 0.6 gives min(0.6, 0.64) = 0.6, u1 = 0.7 gives 0.51.
  ParetoFrontier frontier;
  for (int step = 10; step >= 0; --step) {
    double u1 = step / 10.0;
    frontier.points.push_back(
        ParetoPoint{{static_cast<model::OptionIndex>(step)}, {u1, 1 - u1 * u1}});
  }
  BargainingSolutions solutions = ComputeBargainingSolutions(frontier, {0.0, 0.0});
  ASSERT_TRUE(solutions.kalai_smorodinsky.defined);
  ASSERT_EQ(solutions.kalai_smorodinsky.points.size(), 1u);
  EXPECT_DOUBLE_EQ(solutions.kalai_smorodinsky.points[0].utilities[0], 0.6);
  // Nash maximises u1 (1 - u1^2): derivative zero at 1/sqrt(3) = 0.577, so 0.6 on this grid.
  EXPECT_DOUBLE_EQ(solutions.nash.points[0].utilities[0], 0.6);
  // Utilitarian maximises u1 + 1 - u1^2: at u1 = 0.5 (1.25).
  EXPECT_DOUBLE_EQ(solutions.utilitarian.points[0].utilities[0], 0.5);
  // GENIUS's Kalai minimises |u1 - u2|: u1 = 0.6 gives 0.04, u1 = 0.7 gives 0.19.
  EXPECT_DOUBLE_EQ(solutions.genius_kalai.points[0].utilities[0], 0.6);
}

TEST(SolutionsTest, UndefinedWhenNothingIsAcceptable) {
  ParetoFrontier frontier;
  frontier.points.push_back(ParetoPoint{{0}, {0.9, 0.1}});
  frontier.points.push_back(ParetoPoint{{1}, {0.1, 0.9}});
  BargainingSolutions solutions = ComputeBargainingSolutions(frontier, {0.5, 0.5});
  EXPECT_FALSE(solutions.nash.defined);
  EXPECT_FALSE(solutions.kalai_smorodinsky.defined);
  EXPECT_FALSE(solutions.nash.note.empty());
}

TEST(SolutionsTest, AcceptablePointsMeetEveryDisagreementValueWithinTolerance) {
  ParetoFrontier frontier;
  frontier.points.push_back(ParetoPoint{{0}, {0.9, 0.1}});
  frontier.points.push_back(ParetoPoint{{1}, {0.6, 0.5 - 1e-13}});  // within the tolerance
  frontier.points.push_back(ParetoPoint{{2}, {0.5, 0.6}});
  frontier.points.push_back(ParetoPoint{{3}, {0.3 - 1e-9, 0.9}});  // beyond it
  std::vector<ParetoPoint> acceptable = AcceptablePoints(frontier, {0.3, 0.5});
  ASSERT_EQ(acceptable.size(), 2u);
  EXPECT_EQ(acceptable[0].outcome, model::Outcome{1});
  EXPECT_EQ(acceptable[1].outcome, model::Outcome{2});
  EXPECT_EQ(AcceptablePoints(frontier, {0.0, 0.0}).size(), 4u);
}

}  // namespace
}  // namespace parley::analysis
