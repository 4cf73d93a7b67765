#include "parley/analysis/internal/non_dominated.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>

#include "parley/base/check.h"

namespace parley::analysis::internal {
namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

// The 2-D maximal points of a set, as a map from the first coordinate to the second (which then
// decreases as the first grows). Answers "largest second coordinate among points whose first
// coordinate is >= t (or > t)".
class Staircase {
 public:
  void Insert(double x, double y) {
    auto above = points_.lower_bound(x);
    if (above != points_.end() && above->second >= y) return;  // covered already
    if (above != points_.end() && above->first == x) above = points_.erase(above);
    // Points left of x with a second coordinate <= y are now covered by (x, y).
    auto first_covered = above;
    while (first_covered != points_.begin()) {
      auto previous = std::prev(first_covered);
      if (previous->second > y) break;
      first_covered = previous;
    }
    points_.erase(first_covered, above);
    points_.emplace_hint(above, x, y);
  }
  double MaxAtLeast(double t) const {
    auto found = points_.lower_bound(t);
    return found == points_.end() ? kMinusInfinity : found->second;
  }
  double MaxAbove(double t) const {
    auto found = points_.upper_bound(t);
    return found == points_.end() ? kMinusInfinity : found->second;
  }

 private:
  std::map<double, double> points_;
};

std::uint32_t KeyOf(std::span<const std::uint32_t> keys, std::uint32_t index) {
  return keys.empty() ? 0 : keys[index];
}

// Start of each run of equal keys in `order`, plus the end.
std::vector<std::size_t> Segments(const std::vector<std::uint32_t>& order,
                                  std::span<const std::uint32_t> keys) {
  std::vector<std::size_t> starts;
  for (std::size_t position = 0; position < order.size(); ++position) {
    if (position == 0 || KeyOf(keys, order[position]) != KeyOf(keys, order[position - 1])) {
      starts.push_back(position);
    }
  }
  starts.push_back(order.size());
  return starts;
}

std::vector<std::uint32_t> Filter2(std::span<const double> values, std::span<const double> tol,
                                   std::span<const std::uint32_t> keys, std::size_t num_points) {
  struct Entry {
    std::uint32_t key;
    std::uint32_t index;
    double first;
  };
  std::vector<Entry> entries(num_points);
  for (std::uint32_t index = 0; index < num_points; ++index) {
    entries[index] = Entry{KeyOf(keys, index), index, values[2 * index]};
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.key != b.key) return a.key < b.key;
    if (a.first != b.first) return a.first > b.first;
    return a.index < b.index;
  });
  std::vector<std::uint32_t> kept;
  std::size_t segment_start = 0;
  while (segment_start < num_points) {
    std::size_t segment_end = segment_start;
    while (segment_end < num_points && entries[segment_end].key == entries[segment_start].key) {
      ++segment_end;
    }
    // max_ahead: largest second coordinate among points whose first coordinate exceeds the
    // current one by more than tol[0]; max_so_far: among points whose first coordinate is >= it.
    std::size_t ahead = segment_start;
    double max_ahead = kMinusInfinity;
    double max_so_far = kMinusInfinity;
    std::size_t group_start = segment_start;
    while (group_start < segment_end) {
      double first = entries[group_start].first;
      std::size_t group_end = group_start;
      while (group_end < segment_end && entries[group_end].first == first) {
        max_so_far = std::max(max_so_far, values[2 * entries[group_end].index + 1]);
        ++group_end;
      }
      while (ahead < group_start && entries[ahead].first > first + tol[0]) {
        max_ahead = std::max(max_ahead, values[2 * entries[ahead].index + 1]);
        ++ahead;
      }
      for (std::size_t position = group_start; position < group_end; ++position) {
        double second = values[2 * entries[position].index + 1];
        bool removed = max_ahead >= second || max_so_far > second + tol[1];
        if (!removed) kept.push_back(entries[position].index);
      }
      group_start = group_end;
    }
    segment_start = segment_end;
  }
  return kept;
}

// Indices sorted by key, then by the rows lexicographically, descending.
std::vector<std::uint32_t> LexicographicOrder(std::span<const double> values, std::size_t dims,
                                              std::span<const std::uint32_t> keys,
                                              std::size_t num_points) {
  std::vector<std::uint32_t> order(num_points);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    std::uint32_t key_a = KeyOf(keys, a);
    std::uint32_t key_b = KeyOf(keys, b);
    if (key_a != key_b) return key_a < key_b;
    const double* row_a = &values[a * dims];
    const double* row_b = &values[b * dims];
    for (std::size_t dim = 0; dim < dims; ++dim) {
      if (row_a[dim] != row_b[dim]) return row_a[dim] > row_b[dim];
    }
    return a < b;
  });
  return order;
}

std::vector<std::uint32_t> Filter1(std::span<const double> values, std::span<const double> tol,
                                   std::span<const std::uint32_t> keys, std::size_t num_points) {
  std::vector<std::uint32_t> order = LexicographicOrder(values, 1, keys, num_points);
  std::vector<std::size_t> segments = Segments(order, keys);
  std::vector<std::uint32_t> kept;
  for (std::size_t segment = 0; segment + 1 < segments.size(); ++segment) {
    double best = values[order[segments[segment]]];
    for (std::size_t position = segments[segment]; position < segments[segment + 1]; ++position) {
      if (!(best > values[order[position]] + tol[0])) kept.push_back(order[position]);
    }
  }
  return kept;
}

// Sweep in decreasing first coordinate. Every point that can remove b precedes it, and by
// transitivity only kept points need asking. Coordinates 2 and 3 are asked of a staircase of all
// kept points so far (their first coordinate is >= b's); coordinate 1 of a lagging staircase
// holding the kept points whose first coordinate exceeds b's by more than tol[0].
std::vector<std::uint32_t> Filter3(std::span<const double> values, std::span<const double> tol,
                                   std::span<const std::uint32_t> keys, std::size_t num_points) {
  std::vector<std::uint32_t> order = LexicographicOrder(values, 3, keys, num_points);
  std::vector<std::size_t> segments = Segments(order, keys);
  std::vector<char> is_kept(num_points, 0);
  std::vector<std::uint32_t> kept;
  for (std::size_t segment = 0; segment + 1 < segments.size(); ++segment) {
    Staircase all_kept;
    Staircase lagging;
    std::size_t lag = segments[segment];
    for (std::size_t position = segments[segment]; position < segments[segment + 1]; ++position) {
      const double* b = &values[order[position] * 3];
      while (lag < position && values[order[lag] * 3] > b[0] + tol[0]) {
        if (is_kept[order[lag]]) {
          const double* a = &values[order[lag] * 3];
          lagging.Insert(a[1], a[2]);
        }
        ++lag;
      }
      bool removed = lagging.MaxAtLeast(b[1]) >= b[2] || all_kept.MaxAbove(b[1] + tol[1]) >= b[2] ||
                     all_kept.MaxAtLeast(b[1]) > b[2] + tol[2];
      if (!removed) {
        is_kept[order[position]] = 1;
        kept.push_back(order[position]);
        all_kept.Insert(b[1], b[2]);
      }
    }
  }
  return kept;
}

// A k-d tree over the points of one key: each node keeps the bounding box of its points, so a
// subtree is skipped when no point in it can be >= b everywhere, or none can beat b by more than
// the tolerance anywhere; and accepted whole when its box's lower corner already removes b.
class RemoverTree {
 public:
  RemoverTree(std::span<const double> values, std::size_t dims, std::span<const double> tol,
              std::vector<std::uint32_t> members)
      : values_(values), dims_(dims), tol_(tol), members_(std::move(members)) {
    if (members_.empty()) return;
    nodes_.resize(1);
    Build(0, 0, members_.size(), 0);
  }

  // True when some point is >= b everywhere and > b + tol somewhere.
  bool HasRemover(const double* b) const {
    if (nodes_.empty()) return false;
    std::vector<std::uint32_t>& stack = stack_;
    stack.assign(1, 0);
    while (!stack.empty()) {
      const Node& node = nodes_[stack.back()];
      stack.pop_back();
      const double* low = &bounds_[node.bounds];
      const double* high = low + dims_;
      bool reachable = true;
      bool gap_possible = false;
      bool whole = true;
      bool whole_gap = false;
      for (std::size_t dim = 0; dim < dims_; ++dim) {
        if (high[dim] < b[dim]) {
          reachable = false;
          break;
        }
        gap_possible = gap_possible || high[dim] > b[dim] + tol_[dim];
        whole = whole && low[dim] >= b[dim];
        whole_gap = whole_gap || low[dim] > b[dim] + tol_[dim];
      }
      if (!reachable || !gap_possible) continue;
      if (whole && whole_gap) return true;
      if (node.left == 0) {
        for (std::size_t member = node.begin; member < node.end; ++member) {
          const double* a = &values_[members_[member] * dims_];
          bool at_least = true;
          bool clear_gap = false;
          for (std::size_t dim = 0; dim < dims_ && at_least; ++dim) {
            at_least = a[dim] >= b[dim];
            clear_gap = clear_gap || a[dim] > b[dim] + tol_[dim];
          }
          if (at_least && clear_gap) return true;
        }
        continue;
      }
      stack.push_back(node.left + 1);
      stack.push_back(node.left);
    }
    return false;
  }

 private:
  static constexpr std::size_t kLeafSize = 16;
  struct Node {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t bounds = 0;  // offset of (low, high) in bounds_
    std::uint32_t left = 0;  // children at left and left + 1; 0 for a leaf
  };

  // Fills node `node_idx` with the points members_[begin, end) and builds its subtree.
  void Build(std::uint32_t node_idx, std::size_t begin, std::size_t end, std::size_t depth) {
    nodes_[node_idx] = Node{begin, end, bounds_.size(), 0};
    std::vector<double> low(dims_, std::numeric_limits<double>::infinity());
    std::vector<double> high(dims_, kMinusInfinity);
    for (std::size_t member = begin; member < end; ++member) {
      const double* row = &values_[members_[member] * dims_];
      for (std::size_t dim = 0; dim < dims_; ++dim) {
        low[dim] = std::min(low[dim], row[dim]);
        high[dim] = std::max(high[dim], row[dim]);
      }
    }
    bounds_.insert(bounds_.end(), low.begin(), low.end());
    bounds_.insert(bounds_.end(), high.begin(), high.end());
    if (end - begin <= kLeafSize) return;
    // Split the widest dimension at the median.
    std::size_t split_dim = depth % dims_;
    for (std::size_t dim = 0; dim < dims_; ++dim) {
      if (high[dim] - low[dim] > high[split_dim] - low[split_dim]) split_dim = dim;
    }
    if (high[split_dim] == low[split_dim]) return;  // all points equal: one leaf
    std::size_t middle = begin + (end - begin) / 2;
    std::nth_element(members_.begin() + begin, members_.begin() + middle, members_.begin() + end,
                     [&](std::uint32_t a, std::uint32_t b) {
                       return values_[a * dims_ + split_dim] < values_[b * dims_ + split_dim];
                     });
    auto left = static_cast<std::uint32_t>(nodes_.size());
    nodes_.resize(nodes_.size() + 2);
    nodes_[node_idx].left = left;
    Build(left, begin, middle, depth + 1);
    Build(left + 1, middle, end, depth + 1);
  }

  std::span<const double> values_;
  std::size_t dims_;
  std::span<const double> tol_;
  std::vector<std::uint32_t> members_;
  std::vector<Node> nodes_;
  std::vector<double> bounds_;
  mutable std::vector<std::uint32_t> stack_;
};

// Four or more dimensions: each point asks a k-d tree of its key's points for a remover.
std::vector<std::uint32_t> FilterMany(std::span<const double> values, std::size_t dims,
                                      std::span<const double> tol,
                                      std::span<const std::uint32_t> keys, std::size_t num_points) {
  std::vector<std::uint32_t> order = LexicographicOrder(values, dims, keys, num_points);
  std::vector<std::size_t> segments = Segments(order, keys);
  std::vector<std::uint32_t> kept;
  for (std::size_t segment = 0; segment + 1 < segments.size(); ++segment) {
    std::vector<std::uint32_t> members(order.begin() + segments[segment],
                                       order.begin() + segments[segment + 1]);
    RemoverTree tree(values, dims, tol, members);
    for (std::uint32_t index : members) {
      if (!tree.HasRemover(&values[index * dims])) kept.push_back(index);
    }
  }
  return kept;
}

}  // namespace

std::vector<std::uint32_t> FilterNonDominated(std::span<const double> values, std::size_t dims,
                                              std::span<const double> tolerance,
                                              std::span<const std::uint32_t> keys) {
  PARLEY_CHECK(dims >= 1 && tolerance.size() == dims && values.size() % dims == 0);
  std::size_t num_points = values.size() / dims;
  PARLEY_CHECK(keys.empty() || keys.size() == num_points);
  PARLEY_CHECK(num_points < (std::size_t{1} << 32));
  if (num_points == 0) return {};
  switch (dims) {
    case 1:
      return Filter1(values, tolerance, keys, num_points);
    case 2:
      return Filter2(values, tolerance, keys, num_points);
    case 3:
      return Filter3(values, tolerance, keys, num_points);
    default:
      return FilterMany(values, dims, tolerance, keys, num_points);
  }
}

}  // namespace parley::analysis::internal
