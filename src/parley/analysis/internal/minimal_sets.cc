#include "parley/analysis/internal/minimal_sets.h"

#include <algorithm>

namespace parley::analysis::internal {

Result<std::vector<std::vector<std::size_t>>> FindMinimalSets(
    std::size_t n, std::size_t max_size,
    const std::function<Result<bool>(const std::vector<std::size_t>&)>& holds) {
  std::vector<std::vector<std::size_t>> found;
  std::vector<std::size_t> subset;
  std::function<Status(std::size_t, std::size_t)> visit = [&](std::size_t start,
                                                              std::size_t size) -> Status {
    if (subset.size() == size) {
      for (const auto& smaller : found) {
        if (std::includes(subset.begin(), subset.end(), smaller.begin(), smaller.end())) {
          return Status::Ok();
        }
      }
      PARLEY_ASSIGN_OR_RETURN(bool yes, holds(subset));
      if (yes) found.push_back(subset);
      return Status::Ok();
    }
    for (std::size_t item = start; item < n; ++item) {
      subset.push_back(item);
      PARLEY_RETURN_IF_ERROR(visit(item + 1, size));
      subset.pop_back();
    }
    return Status::Ok();
  };
  for (std::size_t size = 1; size <= std::min(max_size, n); ++size) {
    PARLEY_RETURN_IF_ERROR(visit(0, size));
  }
  return found;
}

}  // namespace parley::analysis::internal
