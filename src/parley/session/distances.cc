#include "parley/session/distances.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

#include "parley/analysis/metrics.h"

namespace parley::session {

void FillResultDistances(const model::Scenario& scenario, const ScenarioReference& reference,
                         SessionResult& result) {
  if (!reference.frontier || reference.frontier->points.empty()) return;
  const analysis::ParetoFrontier& frontier = *reference.frontier;
  if (result.outcome) {
    analysis::OutcomeMetrics metrics =
        analysis::EvaluateOutcome(scenario, frontier, reference.solutions, *result.outcome);
    result.distance_to_pareto = metrics.distance_to_pareto;
    result.distance_to_nash = metrics.distance_to_nash;
    result.distance_to_kalai_smorodinsky = metrics.distance_to_kalai_smorodinsky;
    return;
  }
  // No agreement: the disagreement point (every principal's reservation value).
  const std::vector<double>& point = reference.solutions.disagreement;
  auto nearest = [&](const std::vector<analysis::ParetoPoint>& points) -> std::optional<double> {
    if (points.empty()) return std::nullopt;
    double best = std::numeric_limits<double>::infinity();
    for (const analysis::ParetoPoint& candidate : points) {
      best = std::min(best, analysis::UtilityDistance(candidate.utilities, point));
    }
    return best;
  };
  result.distance_to_pareto = nearest(frontier.points);
  if (reference.solutions.nash.defined) {
    result.distance_to_nash = nearest(reference.solutions.nash.points);
  }
  if (reference.solutions.kalai_smorodinsky.defined) {
    result.distance_to_kalai_smorodinsky = nearest(reference.solutions.kalai_smorodinsky.points);
  }
}

}  // namespace parley::session
