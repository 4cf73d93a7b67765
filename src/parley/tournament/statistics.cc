#include "parley/tournament/statistics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace parley::tournament {
namespace {

// The continued fraction of the regularised incomplete beta function (modified Lentz), valid
// for x < (a + 1) / (a + b + 2).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-15;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double fraction = d;
  for (int m = 1; m <= 1000; ++m) {
    double k = m;
    double even = k * (b - k) * x / ((a + 2 * k - 1) * (a + 2 * k));
    d = 1.0 + even * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + even / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    fraction *= d * c;
    double odd = -(a + k) * (a + b + k) * x / ((a + 2 * k) * (a + 2 * k + 1));
    d = 1.0 + odd * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + odd / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    double delta = d * c;
    fraction *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return fraction;
}

// I_x(a, b), the regularised incomplete beta function.
double RegularizedIncompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return std::exp(log_front) * BetaContinuedFraction(a, b, x) / a;
  return 1.0 - std::exp(log_front) * BetaContinuedFraction(b, a, 1 - x) / b;
}

double StudentTCdf(double t, double degrees_of_freedom) {
  double x = degrees_of_freedom / (degrees_of_freedom + t * t);
  double tail = 0.5 * RegularizedIncompleteBeta(degrees_of_freedom / 2, 0.5, x);
  return t >= 0 ? 1 - tail : tail;
}

struct Accumulator {
  std::size_t observations = 0;
  std::size_t with_utility = 0;
  double utility_sum = 0;
  double utility_square_sum = 0;  // of deviations from the running mean (Welford)
  double utility_mean = 0;
  double advantage_sum = 0;
  std::size_t with_advantage = 0;
  std::size_t agreements = 0;
  double welfare_sum = 0;
  double nash_sum = 0;
  std::size_t with_nash = 0;

  void Add(const SessionRecord& record, const std::optional<double>& utility,
           const std::optional<double>& advantage) {
    ++observations;
    if (utility) {
      ++with_utility;
      double delta = *utility - utility_mean;
      utility_mean += delta / static_cast<double>(with_utility);
      utility_square_sum += delta * (*utility - utility_mean);
      utility_sum += *utility;
    }
    if (advantage) {
      ++with_advantage;
      advantage_sum += *advantage;
    }
    if (record.agreement) ++agreements;
    welfare_sum += record.welfare;
    if (record.distance_to_nash) {
      ++with_nash;
      nash_sum += *record.distance_to_nash;
    }
  }

  StrategySummary Finish(const std::string& strategy, const std::string& role,
                         double confidence) const {
    StrategySummary summary;
    summary.strategy = strategy;
    summary.role = role;
    summary.observations = observations;
    double n = static_cast<double>(observations);
    if (with_utility > 0) {
      summary.mean_utility = utility_sum / static_cast<double>(with_utility);
      if (with_utility > 1) {
        double df = static_cast<double>(with_utility - 1);
        double deviation = std::sqrt(utility_square_sum / df);
        double half = StudentTQuantile(0.5 + confidence / 2, df) * deviation /
                      std::sqrt(static_cast<double>(with_utility));
        summary.utility_ci_low = *summary.mean_utility - half;
        summary.utility_ci_high = *summary.mean_utility + half;
      }
    }
    if (with_advantage > 0) {
      summary.mean_advantage = advantage_sum / static_cast<double>(with_advantage);
    }
    summary.agreement_rate = n > 0 ? static_cast<double>(agreements) / n : 0;
    summary.mean_welfare = n > 0 ? welfare_sum / n : 0;
    if (with_nash > 0) summary.mean_distance_to_nash = nash_sum / static_cast<double>(with_nash);
    return summary;
  }
};

// Ranks by `score` descending (ties share the rank), then orders by rank and name.
void Rank(std::vector<StrategySummary>& rows, double (*score)(const StrategySummary&)) {
  std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    double score_a = score(a);
    double score_b = score(b);
    if (score_a != score_b) return score_a > score_b;
    return a.strategy < b.strategy;
  });
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    bool tie = row_idx > 0 && score(rows[row_idx]) == score(rows[row_idx - 1]);
    rows[row_idx].rank = tie ? rows[row_idx - 1].rank : static_cast<int>(row_idx) + 1;
  }
}

std::string Number(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : "";
}

std::string Fixed(const std::optional<double>& value, int digits = 4) {
  return value ? fmt::format("{:.{}f}", *value, digits) : "-";
}

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

double StudentTQuantile(double p, double degrees_of_freedom) {
  PARLEY_CHECK(p > 0 && p < 1 && degrees_of_freedom > 0);
  if (p == 0.5) return 0;
  if (p < 0.5) return -StudentTQuantile(1 - p, degrees_of_freedom);
  double low = 0;
  double high = 1;
  while (StudentTCdf(high, degrees_of_freedom) < p && high < 1e300) high *= 2;
  for (int iteration = 0; iteration < 200 && high - low > 1e-13 * high; ++iteration) {
    double middle = (low + high) / 2;
    (StudentTCdf(middle, degrees_of_freedom) < p ? low : high) = middle;
  }
  return (low + high) / 2;
}

std::vector<StrategySummary> Summarize(const std::vector<SessionRecord>& records,
                                       double confidence) {
  std::map<std::string, Accumulator> principals;
  std::map<std::string, Accumulator> mediators;
  for (const SessionRecord& record : records) {
    for (const PartyRecord& party : record.parties) {
      principals[party.strategy].Add(record, party.utility, party.advantage);
    }
    if (!record.mediator.empty()) mediators[record.mediator].Add(record, {}, {});
  }
  std::vector<StrategySummary> principal_rows;
  for (const auto& [strategy, accumulator] : principals) {
    principal_rows.push_back(accumulator.Finish(strategy, "principal", confidence));
  }
  Rank(principal_rows, [](const StrategySummary& row) {
    return row.mean_utility.value_or(-std::numeric_limits<double>::infinity());
  });
  std::vector<StrategySummary> mediator_rows;
  for (const auto& [strategy, accumulator] : mediators) {
    mediator_rows.push_back(accumulator.Finish(strategy, "mediator", confidence));
  }
  Rank(mediator_rows, [](const StrategySummary& row) { return row.mean_welfare; });
  principal_rows.insert(principal_rows.end(), mediator_rows.begin(), mediator_rows.end());
  return principal_rows;
}

std::string SummaryCsv(const std::vector<StrategySummary>& summary, double confidence) {
  std::string out =
      "rank,strategy,role,observations,mean_utility,ci_low,ci_high,confidence,mean_advantage,"
      "agreement_rate,mean_welfare,mean_distance_to_nash\n";
  for (const StrategySummary& row : summary) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", row.rank, CsvField(row.strategy),
                       row.role, row.observations, Number(row.mean_utility),
                       Number(row.utility_ci_low), Number(row.utility_ci_high), confidence,
                       Number(row.mean_advantage), Number(row.agreement_rate),
                       Number(row.mean_welfare), Number(row.mean_distance_to_nash));
  }
  return out;
}

std::string SummaryTable(const std::vector<StrategySummary>& summary, double confidence) {
  std::size_t width = 8;
  bool mediators = false;
  for (const StrategySummary& row : summary) {
    width = std::max(width, row.strategy.size());
    mediators = mediators || row.role == "mediator";
  }
  std::string interval = fmt::format("{:g}% CI", confidence * 100);
  std::string out = fmt::format(
      "{:>4}  {:<{}}  {:>7}  {:>7}  {:>17}  {:>9}  {:>9}  {:>7}  {:>10}\n", "rank", "strategy",
      width, "n", "utility", interval, "advantage", "agreement", "welfare", "Nash dist.");
  std::string previous_role = "principal";
  for (const StrategySummary& row : summary) {
    if (mediators && row.role != previous_role) out += "mediators (ranked by welfare):\n";
    previous_role = row.role;
    std::string ci = row.utility_ci_low
                         ? "[" + Fixed(row.utility_ci_low) + ", " + Fixed(row.utility_ci_high) + "]"
                         : "-";
    out += fmt::format("{:>4}  {:<{}}  {:>7}  {:>7}  {:>17}  {:>9}  {:>8.1f}%  {:>7}  {:>10}\n",
                       row.rank, row.strategy, width, row.observations, Fixed(row.mean_utility), ci,
                       Fixed(row.mean_advantage), row.agreement_rate * 100, Fixed(row.mean_welfare),
                       Fixed(row.mean_distance_to_nash));
  }
  return out;
}

}  // namespace parley::tournament
