// The search method: an approximate Pareto frontier for spaces too large to enumerate whose
// utilities are not all additive (or whose additive merge gave up).
//
// Three phases, with options.search_budget outcomes evaluated in all:
// 0. The additive relaxation (at most 10% of the budget): utilities that are additive stay as they
//    are, the others are replaced by their estimated main effects (mean utility with one issue's
//    option fixed, over random outcomes); the relaxation's exact frontier (additive merge, red
//    lines respected, up to 20,000 points) gives up to 64 outcomes spread along the frontier's
//    likely shape. They are evaluated and seed phase 1.
// 1. Simulated annealing (70% of the rest) in kSearchUnits independent units, each maximising a
//    weighted sum of range-normalised utilities: the first units weight one party each, starting
//    from its best outcome (exact for additive utilities, coordinate ascent otherwise), so the
//    extremes are reached; the others draw weights on the simplex and start from relaxation
//    points or random outcomes. Moves change one issue's option; moves into outcomes a respected
//    red line forbids are refused.
// 2. Pareto local search (the remainder): the archive's points are shared among the units, which
//    evaluate random one-issue neighbours and keep exploring those the explored point does not
//    dominate.
// Every outcome evaluated is offered to an archive of non-dominated points. Ties found by search
// are a sample of their class anyway, so at most 16 outcomes are listed per utility vector (the
// smallest). Units are seeded from options.seed and their index only and merged in index order,
// so the result does not depend on the thread count.
#pragma once

#include "parley/analysis/internal/pareto_problem.h"

namespace parley::analysis::internal {

inline constexpr std::size_t kSearchUnits = 16;

// Errors: kCancelled.
Result<MethodOutput> ComputeFrontierBySearch(const FrontierProblem& problem,
                                             const ParetoOptions& options);

}  // namespace parley::analysis::internal
