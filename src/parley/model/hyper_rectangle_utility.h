// HyperRectangleUtility: GENIUS non-linear utility spaces (ANAC 2014, the S-1NAGUNL domains).
//
// A profile holds one or more weighted "ufuns" (RectangleSet); each holds hyper-rectangles, each
// with a utility and bounds on issue values. The rule follows GENIUS's NonlinearUtilitySpace
// (genius.core.utility: InclusiveHyperRectangle, ExclusiveHyperRectangle, UtilityFunction):
// - `includes` bounds: the outcome must lie inside every range (issue value within [min, max]);
// - `excludes` bounds describe a box the outcome must lie outside of: the rectangle applies when
//   at least one excluded issue is outside its range (GENIUS's ExclusiveHyperRectangle);
// - no bounds at all: the rectangle applies to every outcome.
// A rectangle is worth its utility where it applies and 0 elsewhere. A set aggregates the worth
// of all its rectangles, applying or not, by sum (default), min or max (so a `min` set is 0 unless
// every rectangle applies, as in GENIUS); an empty set is worth 0. The profile's utility is
// sum(weight * set) / max_utility (the file's `maxutility`), capped at 1 as GENIUS caps it.
// Bounds compare the issue's numeric value: the integer or real value, or the option's position
// (0-based) for a discrete issue.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "parley/model/utility.h"

namespace parley::model {

struct RectangleBound {
  std::size_t issue_idx = 0;
  double min = 0;  // inclusive bounds on the issue's numeric value (option position if discrete)
  double max = 0;
};

struct HyperRectangle {
  std::vector<RectangleBound> includes;
  std::vector<RectangleBound> excludes;
  double utility = 0;
};

enum class Aggregation { kSum, kMin, kMax };
std::string_view AggregationName(Aggregation aggregation);  // "sum", "min", "max"
// Reads "sum", "min" or "max" (any letter case); nullopt for anything else.
std::optional<Aggregation> ParseAggregation(std::string_view text);

struct RectangleSet {
  double weight = 1;
  Aggregation aggregation = Aggregation::kSum;
  std::vector<HyperRectangle> rectangles;
};

class HyperRectangleUtility final : public UtilityFunction {
 public:
  // Every bound's issue_idx must index `issues`; max_utility must be positive.
  HyperRectangleUtility(std::vector<Issue> issues, std::vector<RectangleSet> sets,
                        double max_utility);

  double Evaluate(const Outcome& outcome) const override;
  std::string_view Kind() const override { return "hyper_rectangle"; }
  std::unique_ptr<UtilityFunction> Clone() const override {
    return std::make_unique<HyperRectangleUtility>(*this);
  }

  const std::vector<RectangleSet>& sets() const { return sets_; }
  double max_utility() const { return max_utility_; }

 private:
  // A bound turned into the range of option indices whose value lies within [min, max]; numeric
  // values grow with the option index for every issue kind, so this is exact. Empty when
  // first > last.
  struct OptionRange {
    std::uint32_t issue_idx = 0;
    std::uint64_t first = 0;
    std::uint64_t last = 0;
  };
  struct CompiledRectangle {
    std::vector<OptionRange> includes;
    std::vector<OptionRange> excludes;
    double utility = 0;
  };
  struct CompiledSet {
    double weight = 1;
    Aggregation aggregation = Aggregation::kSum;
    std::vector<CompiledRectangle> rectangles;
  };

  static bool Applies(const CompiledRectangle& rectangle, const Outcome& outcome);

  std::vector<RectangleSet> sets_;
  std::vector<CompiledSet> compiled_;
  double max_utility_ = 1;
};

}  // namespace parley::model
