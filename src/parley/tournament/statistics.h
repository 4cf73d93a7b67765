// Per-strategy summary of a tournament, ranked as ANAC ranks its individual-utility category.
//
// The unit of observation is one principal in one session (a self-play session gives its
// strategy two). For each principal strategy: the number of observations, the mean utility with
// its confidence interval (Student's t, n - 1 degrees of freedom), the mean advantage over the
// reservation value, the agreement rate, the mean welfare and the mean distance to the Nash point
// of the sessions it played (each observation weighs the same). Principal strategies are ranked by
// mean utility, descending; equal means share a rank (1, 2, 2, 4). When the config names mediator
// strategies, each also gets a row (role "mediator", observations = sessions, no utility), ranked
// among mediators by mean welfare.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parley/tournament/results.h"

namespace parley::tournament {

struct StrategySummary {
  int rank = 0;
  std::string strategy;
  std::string role;  // "principal" or "mediator"
  std::size_t observations = 0;
  std::optional<double> mean_utility;
  std::optional<double> utility_ci_low;  // absent with fewer than two observations
  std::optional<double> utility_ci_high;
  std::optional<double> mean_advantage;
  double agreement_rate = 0;
  double mean_welfare = 0;
  std::optional<double> mean_distance_to_nash;  // over observations where it is defined
};

// The p-quantile of Student's t distribution with `degrees_of_freedom` (> 0), 0 < p < 1.
double StudentTQuantile(double p, double degrees_of_freedom);

// Principal strategies first (by rank, then name), then mediator strategies.
std::vector<StrategySummary> Summarize(const std::vector<SessionRecord>& records,
                                       double confidence = 0.95);

// The summary as CSV (header: rank, strategy, role, observations, mean_utility, ci_low, ci_high,
// confidence, mean_advantage, agreement_rate, mean_welfare, mean_distance_to_nash).
std::string SummaryCsv(const std::vector<StrategySummary>& summary, double confidence);
// The summary as an aligned text table for a terminal.
std::string SummaryTable(const std::vector<StrategySummary>& summary, double confidence);

}  // namespace parley::tournament
