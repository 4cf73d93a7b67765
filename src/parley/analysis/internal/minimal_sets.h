// Minimal sets: the smallest sets of items whose removal (relaxing red lines, deferring issues)
// makes something true, as the obstacles and deferrals analyses search for them.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "parley/base/status.h"

namespace parley::analysis::internal {

// The subsets of {0, ..., n - 1} of sizes 1 to `max_size` for which `holds` is true and no
// proper subset holds, each sorted, found by increasing size in lexicographic order; supersets of
// a set found are skipped without calling `holds`. Stops at the first error `holds` returns.
Result<std::vector<std::vector<std::size_t>>> FindMinimalSets(
    std::size_t n, std::size_t max_size,
    const std::function<Result<bool>(const std::vector<std::size_t>&)>& holds);

}  // namespace parley::analysis::internal
