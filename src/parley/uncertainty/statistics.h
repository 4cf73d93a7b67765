// Statistics the uncertainty analysis reports: intervals on probabilities estimated from samples,
// weighted summaries of sampled parameters, and a trend test for series observed over time.
//
// - Wilson score interval for a proportion (Wilson 1927), with the effective sample size
//   (Kish: (sum w)^2 / sum w^2) standing in for the count when samples carry weights.
// - Newcombe's hybrid score interval for a difference of two independent proportions
//   (Newcombe 1998, method 10), built from the two Wilson intervals.
// - Theil-Sen slope (median of pairwise slopes) and the Mann-Kendall test for a monotone trend,
//   with the variance corrected for ties and the normal approximation with continuity correction
//   (Kendall 1975); one-sided p-value for a decreasing trend.
// Quantiles of the normal distribution come from Boost.Math.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace parley::uncertainty {

// A probability estimated from samples, with its interval at the analysis's confidence level.
struct Probability {
  double estimate = 0;
  double low = 0;
  double high = 0;
};

// The z-value of a two-sided interval at `confidence` (0.95 gives 1.96).
double NormalQuantileTwoSided(double confidence);

// Wilson interval for `successes` out of `trials` (both may be effective, non-integral counts).
Probability WilsonInterval(double successes, double trials, double confidence);

// Newcombe's interval for p1 - p2 given the two proportions' Wilson intervals.
Probability DifferenceInterval(const Probability& first, const Probability& second);

// Kish's effective sample size of weights (0 when all are 0).
double EffectiveSampleSize(const std::vector<double>& weights);

// The smallest number of samples for which a `confidence` interval is informative: with none of
// them (or all of them) in the event, the interval still excludes a 5% (95%) probability.
// 19 z^2: 73 at 95%, 126 at 99%.
double MinimumSamplesFor(double confidence);

// Weighted mean and the central `mass` interval (e.g. 0.9: the 5% and 95% weighted quantiles).
struct Summary {
  double mean = 0;
  double low = 0;
  double high = 0;
};
Summary Summarize(const std::vector<double>& values, const std::vector<double>& weights,
                  double mass);

// Trend of a series y over x: Theil-Sen slope and the Mann-Kendall one-sided p-value for a
// decreasing trend (1 when fewer than 3 points).
struct Trend {
  double slope = 0;
  double p_value = 1;
  double kendall_tau = 0;
  std::size_t points = 0;
};
Trend ComputeTrend(const std::vector<double>& x, const std::vector<double>& y);

// "23%", "0.4%", "<0.1%": a probability for people.
std::string FormatPercent(double probability);
// "23% (95% interval 21%-25%)".
std::string FormatProbability(const Probability& probability, double confidence);

}  // namespace parley::uncertainty
