// The additive merge: the exact Pareto frontier of additive utilities without enumerating the
// outcome space (pareto.h states the method; pareto_additive.cc the exactness argument).
#pragma once

#include <cstddef>
#include <string>

#include "parley/analysis/internal/pareto_problem.h"

namespace parley::analysis::internal {

struct AdditiveMergeOutput {
  // False when the merge gave up (a partial frontier above options.max_frontier_size, partial
  // frontiers together above options.max_merge_points, or red lines joining issues into a
  // composite above options.max_composite_size); `reason` says which.
  bool completed = false;
  std::string reason;
  MethodOutput output;
  std::size_t largest_partial_frontier = 0;
};

// Requires problem.AllAdditive(). Errors: kCancelled.
Result<AdditiveMergeOutput> ComputeFrontierByAdditiveMerge(const FrontierProblem& problem,
                                                           const ParetoOptions& options);

}  // namespace parley::analysis::internal
