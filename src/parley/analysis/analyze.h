// One call that answers what a mediator or analyst asks first: the Pareto frontier, the fair
// points on it, the zone of possible agreement, what blocks a deal, how far apart the parties are,
// and (optionally) where a given outcome stands. Each stage is timed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parley/analysis/evaluation.h"
#include "parley/analysis/gaps.h"
#include "parley/analysis/metrics.h"
#include "parley/analysis/obstacles.h"
#include "parley/analysis/pareto.h"
#include "parley/analysis/solutions.h"
#include "parley/analysis/zopa.h"

namespace parley::analysis {

struct AnalysisOptions {
  // Indices into Scenario::parties; empty means every enabled principal with preferences.
  std::vector<std::size_t> parties;
  ParetoOptions pareto;  // its `parties` is overwritten by the field above
  ZopaOptions zopa;
  ObstacleOptions obstacles;
  std::optional<model::Outcome> outcome;                            // an outcome to place
  std::optional<std::pair<model::Outcome, model::Outcome>> offers;  // two offers to compare
};

struct ScenarioAnalysis {
  std::vector<std::size_t> parties;
  bool respect_red_lines = true;  // the frontier and solutions honour red lines
  ParetoFrontier pareto;
  std::vector<ParetoPoint> pareto_acceptable;  // frontier points every party accepts
  BargainingSolutions solutions;
  Zopa zopa;
  ObstacleReport obstacles;
  Gaps ideal_gaps;
  std::optional<Gaps> offer_gaps;
  std::optional<OutcomeMetrics> outcome_metrics;
  // The placed outcome's red lines crossed and reservation values missed (analysed parties).
  std::optional<TextEvaluation> outcome_evaluation;
  std::map<std::string, double> timings_ms;  // pareto, solutions, zopa, obstacles, gaps
};

// Errors: kInvalidInput when fewer than two parties with preferences are analysed (or one named
// has none); kCancelled on request.
Result<ScenarioAnalysis> AnalyzeScenario(const model::Scenario& scenario,
                                         const AnalysisOptions& options = {});

// kInvalidInput unless `parties` (the named parties, or the default ones when `named` is false)
// holds at least two; the message says which were named, or how many principals the scenario
// has, and which parties could be named. `what` starts it ("the analysis", "suggestions").
Status RequireTwoParties(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                         bool named, const std::string& what);

}  // namespace parley::analysis
