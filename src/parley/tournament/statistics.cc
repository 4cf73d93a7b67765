#include "parley/tournament/statistics.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <map>

namespace parley::tournament {
namespace {

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

// Ranks by `score` descending, then orders by rank and name. Scores within a relative 1e-9 of the
// first score of a rank share it: means of equal utilities summed in another order differ in the
// last bits, and rounding noise must not rank strategies apart.
void Rank(std::vector<StrategySummary>& rows, double (*score)(const StrategySummary&)) {
  std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    double score_a = score(a);
    double score_b = score(b);
    if (score_a != score_b) return score_a > score_b;
    return a.strategy < b.strategy;
  });
  std::size_t group_start = 0;
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    const double first = score(rows[group_start]);
    const bool tie = row_idx > 0 && std::fabs(score(rows[row_idx]) - first) <=
                                        1e-9 * std::max(1.0, std::fabs(first));
    if (!tie) group_start = row_idx;
    rows[row_idx].rank = tie ? rows[group_start].rank : static_cast<int>(row_idx) + 1;
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.strategy < b.strategy;
  });
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
  return boost::math::quantile(boost::math::students_t_distribution<double>(degrees_of_freedom), p);
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
