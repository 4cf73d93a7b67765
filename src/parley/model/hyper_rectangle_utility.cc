#include "parley/model/hyper_rectangle_utility.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>

#include "parley/base/check.h"

namespace parley::model {
namespace {

// Slack for comparing a grid value with a bound written as a decimal (0.1 * 3 != 0.3); integer
// and discrete values differ by at least 1, so it never changes their comparisons.
double Slack(double bound) { return 1e-9 * std::max(1.0, std::fabs(bound)); }

// Smallest option whose value is >= min, or num_options when there is none.
std::uint64_t FirstOptionAtLeast(const Issue& issue, std::uint64_t num_options, double min) {
  std::uint64_t low = 0;
  std::uint64_t high = num_options;
  while (low < high) {
    std::uint64_t middle = low + (high - low) / 2;
    if (issue.NumericValue(middle) >= min - Slack(min)) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return low;
}

// Number of options whose value is <= max (so the last such option is the result minus one).
std::uint64_t CountOptionsAtMost(const Issue& issue, std::uint64_t num_options, double max) {
  std::uint64_t low = 0;
  std::uint64_t high = num_options;
  while (low < high) {
    std::uint64_t middle = low + (high - low) / 2;
    if (issue.NumericValue(middle) <= max + Slack(max)) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

}  // namespace

std::string_view AggregationName(Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::kSum:
      return "sum";
    case Aggregation::kMin:
      return "min";
    case Aggregation::kMax:
      return "max";
  }
  return "sum";
}

std::optional<Aggregation> ParseAggregation(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "sum") return Aggregation::kSum;
  if (lower == "min") return Aggregation::kMin;
  if (lower == "max") return Aggregation::kMax;
  return std::nullopt;
}

HyperRectangleUtility::HyperRectangleUtility(std::vector<Issue> issues,
                                             std::vector<RectangleSet> sets, double max_utility)
    : sets_(std::move(sets)), max_utility_(max_utility) {
  PARLEY_CHECK(max_utility_ > 0);
  std::vector<std::uint64_t> num_options(issues.size());
  for (std::size_t issue_idx = 0; issue_idx < issues.size(); ++issue_idx) {
    num_options[issue_idx] = issues[issue_idx].NumOptions();
  }
  auto compile = [&](const RectangleBound& bound) {
    PARLEY_CHECK(bound.issue_idx < issues.size());
    const Issue& issue = issues[bound.issue_idx];
    std::uint64_t count = num_options[bound.issue_idx];
    OptionRange range;
    range.issue_idx = static_cast<std::uint32_t>(bound.issue_idx);
    range.first = FirstOptionAtLeast(issue, count, bound.min);
    std::uint64_t at_most = CountOptionsAtMost(issue, count, bound.max);
    // An empty range (no option within the bounds) is first = 1, last = 0.
    if (at_most == 0 || range.first >= at_most) {
      range.first = 1;
      range.last = 0;
    } else {
      range.last = at_most - 1;
    }
    return range;
  };
  compiled_.reserve(sets_.size());
  for (const RectangleSet& set : sets_) {
    CompiledSet compiled_set;
    compiled_set.weight = set.weight;
    compiled_set.aggregation = set.aggregation;
    compiled_set.rectangles.reserve(set.rectangles.size());
    for (const HyperRectangle& rectangle : set.rectangles) {
      CompiledRectangle compiled_rectangle;
      compiled_rectangle.utility = rectangle.utility;
      for (const RectangleBound& bound : rectangle.includes) {
        compiled_rectangle.includes.push_back(compile(bound));
      }
      for (const RectangleBound& bound : rectangle.excludes) {
        compiled_rectangle.excludes.push_back(compile(bound));
      }
      compiled_set.rectangles.push_back(std::move(compiled_rectangle));
    }
    compiled_.push_back(std::move(compiled_set));
  }
}

bool HyperRectangleUtility::Applies(const CompiledRectangle& rectangle, const Outcome& outcome) {
  for (const OptionRange& range : rectangle.includes) {
    OptionIndex option = outcome[range.issue_idx];
    if (option < range.first || option > range.last) return false;
  }
  if (rectangle.excludes.empty()) return true;
  // Applies when the outcome leaves the excluded box on at least one issue.
  for (const OptionRange& range : rectangle.excludes) {
    OptionIndex option = outcome[range.issue_idx];
    if (option < range.first || option > range.last) return true;
  }
  return false;
}

double HyperRectangleUtility::Evaluate(const Outcome& outcome) const {
  double total = 0;
  for (const CompiledSet& set : compiled_) {
    if (set.rectangles.empty()) continue;
    double aggregate = 0;
    switch (set.aggregation) {
      case Aggregation::kSum:
        for (const CompiledRectangle& rectangle : set.rectangles) {
          if (Applies(rectangle, outcome)) aggregate += rectangle.utility;
        }
        break;
      case Aggregation::kMin:
        aggregate = std::numeric_limits<double>::infinity();
        for (const CompiledRectangle& rectangle : set.rectangles) {
          aggregate = std::min(aggregate, Applies(rectangle, outcome) ? rectangle.utility : 0.0);
        }
        break;
      case Aggregation::kMax:
        aggregate = -std::numeric_limits<double>::infinity();
        for (const CompiledRectangle& rectangle : set.rectangles) {
          aggregate = std::max(aggregate, Applies(rectangle, outcome) ? rectangle.utility : 0.0);
        }
        break;
    }
    total += set.weight * aggregate;
  }
  return std::min(total / max_utility_, 1.0);
}

}  // namespace parley::model
