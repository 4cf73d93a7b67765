#include "parley/uncertainty/statistics.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <numeric>

namespace parley::uncertainty {

double NormalQuantileTwoSided(double confidence) {
  confidence = std::clamp(confidence, 1e-9, 1 - 1e-12);
  boost::math::normal_distribution<double> normal;
  return boost::math::quantile(normal, 0.5 + confidence / 2);
}

Probability WilsonInterval(double successes, double trials, double confidence) {
  Probability out;
  if (!(trials > 0)) {
    out.high = 1;
    return out;
  }
  const double z = NormalQuantileTwoSided(confidence);
  const double p = std::clamp(successes / trials, 0.0, 1.0);
  const double z2 = z * z;
  const double denominator = 1 + z2 / trials;
  const double center = (p + z2 / (2 * trials)) / denominator;
  const double half =
      z * std::sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator;
  out.estimate = p;
  out.low = std::clamp(center - half, 0.0, p);
  out.high = std::clamp(center + half, p, 1.0);
  return out;
}

Probability DifferenceInterval(const Probability& first, const Probability& second) {
  Probability out;
  const double p1 = first.estimate;
  const double p2 = second.estimate;
  out.estimate = p1 - p2;
  out.low = out.estimate - std::sqrt((p1 - first.low) * (p1 - first.low) +
                                     (second.high - p2) * (second.high - p2));
  out.high = out.estimate + std::sqrt((first.high - p1) * (first.high - p1) +
                                      (p2 - second.low) * (p2 - second.low));
  out.low = std::max(out.low, -1.0);
  out.high = std::min(out.high, 1.0);
  return out;
}

double EffectiveSampleSize(const std::vector<double>& weights) {
  double sum = 0;
  double sum_squares = 0;
  for (double weight : weights) {
    sum += weight;
    sum_squares += weight * weight;
  }
  return sum_squares > 0 ? sum * sum / sum_squares : 0.0;
}

double MinimumSamplesFor(double confidence) {
  const double z = NormalQuantileTwoSided(confidence);
  return 19 * z * z;
}

Summary Summarize(const std::vector<double>& values, const std::vector<double>& weights,
                  double mass) {
  Summary out;
  if (values.empty()) return out;
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return values[a] < values[b] || (values[a] == values[b] && a < b);
  });
  double total = 0;
  double weighted = 0;
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    total += weights[idx];
    weighted += weights[idx] * values[idx];
  }
  if (!(total > 0)) return out;
  out.mean = weighted / total;
  const double tail = (1 - mass) / 2;
  auto quantile = [&](double level) {
    double cumulative = 0;
    for (std::size_t idx : order) {
      cumulative += weights[idx] / total;
      if (cumulative >= level - 1e-12) return values[idx];
    }
    return values[order.back()];
  };
  out.low = quantile(tail);
  out.high = quantile(1 - tail);
  return out;
}

Trend ComputeTrend(const std::vector<double>& x, const std::vector<double>& y) {
  Trend out;
  const std::size_t n = std::min(x.size(), y.size());
  out.points = n;
  if (n < 2) return out;
  std::vector<double> slopes;
  double s = 0;  // Mann-Kendall statistic: concordant minus discordant pairs in time order
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      double dx = x[j] - x[i];
      double dy = y[j] - y[i];
      if (dx != 0) slopes.push_back(dy / dx);
      if (dx != 0 && dy != 0) s += ((dx > 0) == (dy > 0)) ? 1 : -1;
    }
  }
  if (!slopes.empty()) {
    std::size_t middle = slopes.size() / 2;
    std::nth_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(middle),
                     slopes.end());
    double upper = slopes[middle];
    if (slopes.size() % 2 == 0) {
      double lower =
          *std::max_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(middle));
      out.slope = (lower + upper) / 2;
    } else {
      out.slope = upper;
    }
  }
  const double pairs = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
  out.kendall_tau = pairs > 0 ? s / pairs : 0;
  if (n < 3) return out;
  // Variance with ties in y corrected (x, being time, is taken without ties).
  std::vector<double> sorted(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(n));
  std::sort(sorted.begin(), sorted.end());
  double tie_term = 0;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start;
    while (end < n && sorted[end] == sorted[start]) ++end;
    double t = static_cast<double>(end - start);
    tie_term += t * (t - 1) * (2 * t + 5);
    start = end;
  }
  const double nn = static_cast<double>(n);
  const double variance = (nn * (nn - 1) * (2 * nn + 5) - tie_term) / 18;
  if (!(variance > 0)) return out;
  // Decreasing trend: S negative. Continuity correction toward 0.
  double z = (s + 1) / std::sqrt(variance);
  if (s >= 0) z = s > 0 ? (s - 1) / std::sqrt(variance) : 0;
  boost::math::normal_distribution<double> normal;
  out.p_value = boost::math::cdf(normal, z);
  return out;
}

std::string FormatPercent(double probability) {
  double percent = probability * 100;
  if (percent <= 0) return "0%";
  if (percent >= 100) return "100%";
  if (percent < 0.1) return "<0.1%";
  if (percent > 99.9) return ">99.9%";
  if (percent < 1 || percent > 99) return fmt::format("{:.1f}%", percent);
  return fmt::format("{:.0f}%", percent);
}

std::string FormatProbability(const Probability& probability, double confidence) {
  return fmt::format("{} ({} interval {} to {})", FormatPercent(probability.estimate),
                     FormatPercent(confidence), FormatPercent(probability.low),
                     FormatPercent(probability.high));
}

}  // namespace parley::uncertainty
