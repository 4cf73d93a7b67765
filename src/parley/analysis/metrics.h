// Where a given outcome stands: its utilities, welfare, and its distances (Euclidean, in the
// utility space of the analysed parties, as GENIUS reports them) to the Pareto frontier and to
// each bargaining solution.
#pragma once

#include <optional>
#include <vector>

#include "parley/analysis/solutions.h"

namespace parley::analysis {

struct OutcomeMetrics {
  std::vector<double> utilities;
  double welfare = 0;  // sum of utilities
  bool pareto_optimal = false;
  double distance_to_pareto = 0;  // to the nearest frontier point (0 on the frontier)
  // Distance to the nearest point of each solution; nullopt when the solution is undefined.
  std::optional<double> distance_to_nash;
  std::optional<double> distance_to_kalai_smorodinsky;
  std::optional<double> distance_to_egalitarian;
  std::optional<double> distance_to_utilitarian;
};

OutcomeMetrics EvaluateOutcome(const model::Scenario& scenario, const ParetoFrontier& frontier,
                               const BargainingSolutions& solutions, const model::Outcome& outcome);

double UtilityDistance(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace parley::analysis
