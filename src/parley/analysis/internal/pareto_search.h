// The search method: an approximate Pareto frontier for spaces too large to enumerate whose
// utilities are not all additive (or whose additive merge gave up).
//
// Two phases, with options.search_budget outcomes evaluated in all:
// 1. Simulated annealing (70% of the budget) in kSearchUnits independent units, each maximising a
//    weighted sum of range-normalised utilities: the first units weight one party each (so the
//    extremes are reached), the rest use weights drawn on the simplex. Starts are each party's
//    best outcome (exact for additive utilities, coordinate ascent otherwise: the additive
//    relaxation of the problem when there is one) and random outcomes. Moves change one issue's
//    option; moves into outcomes a respected red line forbids are refused.
// 2. Pareto local search (30%): the archive's points are shared among the units, which evaluate
//    random one-issue neighbours and keep exploring those no explored point dominates.
// Every outcome evaluated is offered to an archive of non-dominated points. Units are seeded from
// options.seed and their index only and merged in index order, so the result does not depend on
// the thread count.
#pragma once

#include "parley/analysis/internal/pareto_problem.h"

namespace parley::analysis::internal {

inline constexpr std::size_t kSearchUnits = 16;

// Errors: kCancelled.
Result<MethodOutput> ComputeFrontierBySearch(const FrontierProblem& problem,
                                             const ParetoOptions& options);

}  // namespace parley::analysis::internal
