// Non-dominated filtering of utility vectors, the kernel of every Pareto method.
//
// Point b is removed when another point a (with the same key, when keys are given) is at least as
// good in every coordinate and better by more than tolerance[k] in some coordinate k. With zero
// tolerances this is exactly Pareto dominance, and equal vectors (ties) are all kept. A positive
// tolerance keeps the points that later floating-point additions could round into ties with their
// dominator, so that the additive merge stays exact (pareto_additive.cc explains the bound).
//
// Removal is transitive (if c removes a and a removes b, c removes b by at least the same margin),
// so filtering in batches gives the same set as filtering everything at once:
//   Filter(Filter(A) + B) == Filter(A + B).
//
// Algorithms, n points in d dimensions, sorted lexicographically (descending) first:
// - d = 1: one pass against the maximum;
// - d = 2: sort and sweep with a running maximum, O(n log n);
// - d = 3: sweep in the first coordinate with a 2-D staircase (std::map) of kept points, O(n log
// n);
// - d >= 4: each point queries a k-d tree of all points (bounding boxes prune subtrees that cannot
//   hold a remover), O(n log n) to build, sublinear per query in practice, O(n^2) at worst.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace parley::analysis::internal {

// `values` holds num_points rows of `dims` doubles (row-major); `tolerance` one entry per dimension
// (each >= 0); `keys` is empty or one key per point. Returns the kept points' indices grouped by
// key (ascending), within a key by first coordinate descending. Requires fewer than 2^32 points.
std::vector<std::uint32_t> FilterNonDominated(std::span<const double> values, std::size_t dims,
                                              std::span<const double> tolerance,
                                              std::span<const std::uint32_t> keys = {});

// True when `a` is at least as good as `b` in every coordinate and better in one.
inline bool DominatesRow(const double* a, const double* b, std::size_t dims) {
  bool better = false;
  for (std::size_t dim = 0; dim < dims; ++dim) {
    if (a[dim] < b[dim]) return false;
    if (a[dim] > b[dim]) better = true;
  }
  return better;
}

}  // namespace parley::analysis::internal
