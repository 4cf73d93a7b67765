// Parameter grids: one strategy entry in a tournament config that stands for several strategies.
//
// `time_based(e=[0.2, 1, 2])` expands to `time_based(e=0.2)`, `time_based(e=1)` and
// `time_based(e=2)`; several listed parameters give their cartesian product, the last listed
// parameter varying fastest: `time_based(e=[0.2, 1], min=[0.5, 0.6])` gives (0.2, 0.5),
// (0.2, 0.6), (1, 0.5), (1, 0.6). Parameters without brackets are kept in every expansion. The
// expanded specs are normalised to `name(key=value, key=value)` in the order written; they are
// the labels results and summaries show.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "parley/base/status.h"

namespace parley::tournament {

struct GridSpec {
  std::string name;
  // Each parameter with its values in the order written; a parameter without brackets has one.
  std::vector<std::pair<std::string, std::vector<std::string>>> parameters;
};

// Parses "name", "name(k=v, ...)" or "name(k=[v1, v2], ...)". Errors (kInvalidInput) give the
// column (1-based) of the offending character in `text` and say what was expected.
Result<GridSpec> ParseGridSpec(const std::string& text);

// Every combination, as normalised spec strings. Never empty.
std::vector<std::string> ExpandGrid(const GridSpec& grid);

// Number of combinations (the product of the value counts), saturating at SIZE_MAX.
std::size_t GridSize(const GridSpec& grid);

}  // namespace parley::tournament
