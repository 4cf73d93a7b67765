#include "parley/analysis/metrics.h"

#include <cmath>
#include <limits>

namespace parley::analysis {
namespace {

std::optional<double> DistanceToSolution(const SolutionPoint& solution,
                                         const std::vector<double>& utilities) {
  if (!solution.defined || solution.points.empty()) return std::nullopt;
  double best = std::numeric_limits<double>::infinity();
  for (const ParetoPoint& point : solution.points) {
    best = std::min(best, UtilityDistance(point.utilities, utilities));
  }
  return best;
}

}  // namespace

double UtilityDistance(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0;
  for (std::size_t party_idx = 0; party_idx < a.size(); ++party_idx) {
    double difference = a[party_idx] - b[party_idx];
    sum += difference * difference;
  }
  return std::sqrt(sum);
}

OutcomeMetrics EvaluateOutcome(const model::Scenario& scenario, const ParetoFrontier& frontier,
                               const BargainingSolutions& solutions,
                               const model::Outcome& outcome) {
  OutcomeMetrics metrics;
  for (std::size_t party_idx : frontier.parties) {
    metrics.utilities.push_back(
        scenario.parties[party_idx].preferences->utility->Evaluate(outcome));
    metrics.welfare += metrics.utilities.back();
  }
  metrics.distance_to_pareto = std::numeric_limits<double>::infinity();
  for (const ParetoPoint& point : frontier.points) {
    metrics.distance_to_pareto =
        std::min(metrics.distance_to_pareto, UtilityDistance(point.utilities, metrics.utilities));
    if (point.outcome == outcome) metrics.pareto_optimal = true;
  }
  if (metrics.pareto_optimal) metrics.distance_to_pareto = 0;
  metrics.distance_to_nash = DistanceToSolution(solutions.nash, metrics.utilities);
  metrics.distance_to_kalai_smorodinsky =
      DistanceToSolution(solutions.kalai_smorodinsky, metrics.utilities);
  metrics.distance_to_egalitarian = DistanceToSolution(solutions.egalitarian, metrics.utilities);
  metrics.distance_to_utilitarian = DistanceToSolution(solutions.utilitarian, metrics.utilities);
  return metrics;
}

}  // namespace parley::analysis
