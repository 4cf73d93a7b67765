#include "parley/model/utility.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "parley/base/check.h"

namespace parley::model {

std::string_view ValueFunctionFormName(ValueFunctionForm form) {
  switch (form) {
    case ValueFunctionForm::kTable:
      return "table";
    case ValueFunctionForm::kLinear:
      return "linear";
    case ValueFunctionForm::kPiecewiseLinear:
      return "piecewise_linear";
    case ValueFunctionForm::kTriangular:
      return "triangular";
    case ValueFunctionForm::kConstant:
      return "constant";
  }
  return "table";
}

double ValueFunction::Interpolate(double x) const {
  PARLEY_CHECK(!points.empty());
  if (form == ValueFunctionForm::kConstant) return points.front().second;
  if (x <= points.front().first) return points.front().second;
  if (x >= points.back().first) return points.back().second;
  for (std::size_t point_idx = 1; point_idx < points.size(); ++point_idx) {
    const auto& [x1, y1] = points[point_idx];
    if (x <= x1) {
      const auto& [x0, y0] = points[point_idx - 1];
      if (x1 == x0) return y1;
      return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
    }
  }
  return points.back().second;
}

void ValueFunction::Tabulate(const Issue& issue) {
  if (form == ValueFunctionForm::kTable) return;
  std::uint64_t num_options = issue.NumOptions();
  table.assign(num_options, 0.0);
  for (std::uint64_t option = 0; option < num_options; ++option) {
    double x = issue.NumericValue(option);
    double value = Interpolate(x);
    if (form == ValueFunctionForm::kTriangular) {
      // Zero outside [lower, upper], not flat.
      if (x < points.front().first || x > points.back().first) value = 0.0;
    }
    table[option] = value;
  }
}

namespace {

// Additive: each issue's best and worst option on its own.
UtilityRange AdditiveRange(const AdditiveUtility& additive, const OutcomeSpace& space) {
  UtilityRange range;
  range.argmin.assign(space.NumIssues(), 0);
  range.argmax.assign(space.NumIssues(), 0);
  for (std::size_t issue_idx = 0; issue_idx < space.NumIssues(); ++issue_idx) {
    const auto& table = additive.values()[issue_idx].table;
    if (table.empty()) continue;
    double weight = additive.weights()[issue_idx];
    OptionIndex best = 0;
    OptionIndex worst = 0;
    for (OptionIndex option = 1; option < table.size(); ++option) {
      if (weight * table[option] > weight * table[best]) best = option;
      if (weight * table[option] < weight * table[worst]) worst = option;
    }
    range.argmax[issue_idx] = best;
    range.argmin[issue_idx] = worst;
  }
  // Report the exact evaluated figures, so they match Evaluate() bit for bit.
  range.max = additive.Evaluate(range.argmax);
  range.min = additive.Evaluate(range.argmin);
  return range;
}

// Every outcome evaluated.
UtilityRange EnumeratedRange(const UtilityFunction& utility, const OutcomeSpace& space,
                             std::uint64_t enumeration_limit) {
  UtilityRange range;
  range.min = std::numeric_limits<double>::infinity();
  range.max = -std::numeric_limits<double>::infinity();
  Status status = space.ForEach(enumeration_limit, [&](const Outcome& outcome) {
    double value = utility.Evaluate(outcome);
    if (value > range.max) {
      range.max = value;
      range.argmax = outcome;
    }
    if (value < range.min) {
      range.min = value;
      range.argmin = outcome;
    }
  });
  PARLEY_CHECK(status.ok());
  return range;
}

// Coordinate ascent (`direction` 1) or descent (-1) from the `start`-th of four deterministic
// starting outcomes; returns the outcome it ends at.
Outcome CoordinateSearch(const UtilityFunction& utility, const OutcomeSpace& space, int direction,
                         std::uint64_t start) {
  Outcome current(space.NumIssues());
  for (std::size_t issue_idx = 0; issue_idx < current.size(); ++issue_idx) {
    std::uint64_t cardinality = space.Cardinality(issue_idx);
    current[issue_idx] =
        cardinality == 0 ? 0
                         : static_cast<OptionIndex>((start * (cardinality - 1)) / 3 % cardinality);
  }
  double current_value = direction * utility.Evaluate(current);
  bool improved = true;
  for (int pass = 0; improved && pass < 50; ++pass) {
    improved = false;
    for (std::size_t issue_idx = 0; issue_idx < current.size(); ++issue_idx) {
      std::uint64_t cardinality = std::min<std::uint64_t>(space.Cardinality(issue_idx), 4096);
      OptionIndex kept = current[issue_idx];
      for (OptionIndex option = 0; option < cardinality; ++option) {
        current[issue_idx] = option;
        double value = direction * utility.Evaluate(current);
        if (value > current_value) {
          current_value = value;
          kept = option;
          improved = true;
        }
      }
      current[issue_idx] = kept;
    }
  }
  return current;
}

// Too large to enumerate: the best of the coordinate searches each way (not exact).
UtilityRange SearchedRange(const UtilityFunction& utility, const OutcomeSpace& space) {
  UtilityRange range;
  range.exact = false;
  range.min = std::numeric_limits<double>::infinity();
  range.max = -std::numeric_limits<double>::infinity();
  for (int direction : {1, -1}) {
    for (std::uint64_t start = 0; start < 4; ++start) {
      Outcome found = CoordinateSearch(utility, space, direction, start);
      double value = utility.Evaluate(found);
      if (direction > 0 && value > range.max) {
        range.max = value;
        range.argmax = std::move(found);
      } else if (direction < 0 && value < range.min) {
        range.min = value;
        range.argmin = std::move(found);
      }
    }
  }
  return range;
}

}  // namespace

UtilityRange ComputeUtilityRange(const UtilityFunction& utility, const OutcomeSpace& space,
                                 std::uint64_t enumeration_limit) {
  if (const auto* additive = dynamic_cast<const AdditiveUtility*>(&utility)) {
    return AdditiveRange(*additive, space);
  }
  if (space.IsEnumerable(enumeration_limit))
    return EnumeratedRange(utility, space, enumeration_limit);
  return SearchedRange(utility, space);
}

}  // namespace parley::model
