#include "parley/strategies/common/opponent_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

// Pearson correlation.
double Correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mean_x = 0, mean_y = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    mean_x += x[k] / n;
    mean_y += y[k] / n;
  }
  double covariance = 0, variance_x = 0, variance_y = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    covariance += (x[k] - mean_x) * (y[k] - mean_y);
    variance_x += (x[k] - mean_x) * (x[k] - mean_x);
    variance_y += (y[k] - mean_y) * (y[k] - mean_y);
  }
  return covariance / std::sqrt(variance_x * variance_y);
}

TEST(FrequencyModelTest, RanksIssueWeightsByHowRarelyTheOpponentChangesThem) {
  // A synthetic opponent: never changes issue 2, changes issue 0 every 4th offer, issue 1 every
  // other offer and issue 3 every offer.
  std::vector<model::Issue> issues = testing::DiscreteIssues(4, 5);
  FrequencyModel model(issues);
  model::Outcome offer = {0, 0, 4, 0};
  for (int offer_idx = 0; offer_idx < 40; ++offer_idx) {
    if (offer_idx % 4 == 3) offer[0] = (offer[0] + 1) % 5;
    if (offer_idx % 2 == 1) offer[1] = (offer[1] + 1) % 5;
    offer[3] = (offer[3] + 1) % 5;
    model.Observe(offer, offer_idx / 40.0);
  }
  std::vector<double> weights = model.Weights();
  ASSERT_EQ(weights.size(), 4u);
  EXPECT_GT(weights[2], weights[0]);
  EXPECT_GT(weights[0], weights[1]);
  EXPECT_GT(weights[1], weights[3]);
  double total = 0;
  for (double weight : weights) total += weight;
  EXPECT_NEAR(total, 1.0, 1e-12);
  // The option it always asks for is worth most; one it never named is worth least.
  EXPECT_DOUBLE_EQ(model.Value(2, 4), 1.0);
  EXPECT_LT(model.Value(2, 0), model.Value(2, 4));
  EXPECT_GT(model.Estimate({0, 0, 4, 0}), model.Estimate({0, 0, 1, 0}));
}

TEST(FrequencyModelTest, EvidenceRaisesValuesButNotWeights) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(2, 3);
  FrequencyModel model(issues);
  std::vector<double> before = model.Weights();
  model.AddEvidence({2, 1}, 3.0);
  EXPECT_EQ(model.Weights(), before);
  EXPECT_DOUBLE_EQ(model.Value(0, 2), 1.0);
  EXPECT_DOUBLE_EQ(model.Value(0, 0), 0.25);  // count 1 against 4
}

TEST(FrequencyModelTest, SmoothingGivesNeighboursOfOrderedOptionsCredit) {
  std::vector<model::Issue> issues = {model::Issue::Integer("price", 0, 20)};
  FrequencyModel plain(issues);
  FrequencyModel smooth(issues, 0.2, /*smooth_ordered=*/true);
  for (int offer_idx = 0; offer_idx < 5; ++offer_idx) {
    plain.Observe({10}, 0);
    smooth.Observe({10}, 0);
  }
  // HardHeaded's counts: every other option stays at the floor.
  EXPECT_DOUBLE_EQ(plain.Value(0, 11), plain.Value(0, 20));
  // Smoothed: value falls with the distance from what was asked, within a quarter of the range.
  EXPECT_DOUBLE_EQ(smooth.Value(0, 10), 1.0);
  EXPECT_GT(smooth.Value(0, 11), smooth.Value(0, 13));
  EXPECT_GT(smooth.Value(0, 13), smooth.Value(0, 20));
  EXPECT_DOUBLE_EQ(smooth.Value(0, 9), smooth.Value(0, 11));
}

// An opponent with a known additive utility that concedes over time: at time t it offers an
// outcome worth about 1 - 0.5 t to itself.
double TrueAndEstimatedCorrelation(OpponentModelKind kind, bool ordered, std::uint64_t seed) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(4, 5, ordered);
  std::mt19937_64 rng(seed);
  // Single-peaked values on each issue, peaks at random positions, random weights.
  std::vector<double> weights;
  std::vector<std::vector<double>> tables;
  double total = 0;
  for (std::size_t issue_idx = 0; issue_idx < issues.size(); ++issue_idx) {
    weights.push_back(std::uniform_real_distribution<double>(0.1, 1.0)(rng));
    total += weights.back();
    int peak = std::uniform_int_distribution<int>(0, 4)(rng);
    std::vector<double> table;
    for (int option = 0; option < 5; ++option) table.push_back(1.0 - std::abs(option - peak) / 4.0);
    tables.push_back(table);
  }
  for (double& weight : weights) weight /= total;
  auto truth = testing::Additive(weights, tables);
  model::OutcomeSpace space = model::OutcomeSpace::FromIssues(issues);
  std::vector<std::pair<double, model::Outcome>> ranked;
  (void)space.ForEach(1'000'000, [&](const model::Outcome& outcome) {
    ranked.emplace_back(truth->Evaluate(outcome), outcome);
  });
  std::unique_ptr<OpponentModel> model = MakeOpponentModel(kind, issues);
  const int num_offers = 60;
  for (int offer_idx = 0; offer_idx < num_offers; ++offer_idx) {
    double time = static_cast<double>(offer_idx) / num_offers;
    double aim = 1.0 - 0.5 * time;
    // A random outcome among those within 0.05 of the aim.
    std::vector<const model::Outcome*> near;
    for (const auto& [value, outcome] : ranked) {
      if (std::abs(value - aim) < 0.05) near.push_back(&outcome);
    }
    if (near.empty()) continue;
    model->Observe(*near[std::uniform_int_distribution<std::size_t>(0, near.size() - 1)(rng)],
                   time);
  }
  std::vector<double> true_values;
  std::vector<double> estimates;
  for (const auto& [value, outcome] : ranked) {
    true_values.push_back(value);
    estimates.push_back(model->Estimate(outcome));
  }
  return Correlation(true_values, estimates);
}

TEST(OpponentModelTest, BothModelsLearnAConcedingOpponentsPreferences) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    for (bool ordered : {false, true}) {
      for (OpponentModelKind kind : {OpponentModelKind::kFrequency, OpponentModelKind::kBayesian}) {
        double correlation = TrueAndEstimatedCorrelation(kind, ordered, seed);
        // An unlearnt model would be uncorrelated; on ordered issues the Bayesian model's
        // triangular hypotheses contain the truth, so it should nearly recover it.
        const double floor = kind == OpponentModelKind::kBayesian && ordered ? 0.85 : 0.6;
        EXPECT_GT(correlation, floor) << OpponentModelKindName(kind) << " seed " << seed
                                      << (ordered ? " ordered" : " unordered");
      }
    }
  }
}

TEST(BayesianModelTest, FindsThePeakOfAnOrderedIssue) {
  // One ordered issue with 7 options; the opponent always asks for option 5.
  std::vector<model::Issue> issues = testing::DiscreteIssues(1, 7, /*ordered=*/true);
  BayesianModel model(issues);
  for (int offer_idx = 0; offer_idx < 20; ++offer_idx) model.Observe({5}, 0.0);
  double best = -1;
  model::OptionIndex best_option = 0;
  for (model::OptionIndex option = 0; option < 7; ++option) {
    if (model.ExpectedValue(0, option) > best) {
      best = model.ExpectedValue(0, option);
      best_option = option;
    }
  }
  // Peaks are spread over the positions (0, 1, 2, 3, 4, 5, 6 here), so the learnt peak is 5.
  EXPECT_EQ(best_option, 5u);
  EXPECT_GT(model.ExpectedValue(0, 5), model.ExpectedValue(0, 0));
}

TEST(OpponentModelTest, KindsParse) {
  EXPECT_EQ(ParseOpponentModelKind("bayesian"), OpponentModelKind::kBayesian);
  EXPECT_EQ(ParseOpponentModelKind("frequency"), OpponentModelKind::kFrequency);
  EXPECT_EQ(ParseOpponentModelKind("none"), OpponentModelKind::kNone);
  EXPECT_FALSE(ParseOpponentModelKind("oracle").has_value());
  EXPECT_EQ(MakeOpponentModel(OpponentModelKind::kNone, {}), nullptr);
}

}  // namespace
}  // namespace parley::strategies
