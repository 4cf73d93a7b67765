// HyperRectangleUtility: GENIUS non-linear utility spaces (ANAC 2014, the S-1NAGUNL domains).
//
// A profile holds one or more weighted "ufuns"; each ufun holds hyper-rectangles, each with a
// utility and constraints INCLUDES (issue value within [min, max]) and EXCLUDES (issue value
// outside [min, max]). A rectangle applies to an outcome when all its constraints hold. A ufun
// aggregates the utilities of the rectangles that apply: sum (default), min or max. The profile's
// utility is sum(weight * ufun) divided by `max_utility` (the file's `maxutility`), which GENIUS
// uses to bring utilities into [0, 1].
#pragma once

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
std::string_view AggregationName(Aggregation aggregation);

struct RectangleSet {
  double weight = 1;
  Aggregation aggregation = Aggregation::kSum;
  std::vector<HyperRectangle> rectangles;
};

class HyperRectangleUtility final : public UtilityFunction {
 public:
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
  // Numeric value of each option of each issue, so evaluation needs no Issue lookups.
  std::vector<std::vector<double>> option_values_;
  std::vector<RectangleSet> sets_;
  double max_utility_ = 1;
};

}  // namespace parley::model
