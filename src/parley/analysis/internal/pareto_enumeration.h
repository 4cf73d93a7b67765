// The enumeration method: every outcome streamed once, only the non-dominated set kept.
//
// Index ranges of the mixed-radix outcome order are handed to `options.threads` workers, each
// keeping its own archive (frontier_archive.h); the workers' frontiers are merged at the end, so
// the result (a set) does not depend on the thread count. Per outcome there is no allocation:
// additive utilities are updated from per-issue contribution tables and a stack of prefix sums
// (in issue order from the offset, hence equal to Evaluate bit for bit), other utilities evaluate
// one reused outcome buffer.
#pragma once

#include "parley/analysis/internal/pareto_problem.h"

namespace parley::analysis::internal {

// Requires problem.space.Count64(). Errors: kCancelled; kUnsupported when a frontier (ties
// included) grows beyond options.max_frontier_size.
Result<MethodOutput> ComputeFrontierByEnumeration(const FrontierProblem& problem,
                                                  const ParetoOptions& options);

}  // namespace parley::analysis::internal
