// Utility functions: how much a party values an outcome.
//
// UtilityFunction is the interface every analysis and strategy uses. Two families exist:
// - AdditiveUtility: offset + sum over issues of weight[i] * value_i(option). Covers parley files,
//   every linear GENIUS profile and GeniusWeb's LinearAdditiveUtilitySpace. Per-issue values are
//   tabulated per option at load time, so evaluation is a handful of array reads.
// - HyperRectangleUtility (hyper_rectangle_utility.h): GENIUS non-linear profiles (ANAC 2014).
// Utilities keep the source format's semantics (GENIUS: discrete evaluations divided by the issue's
// maximum; GeniusWeb: as given), so results compare directly with the tools of the field.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parley/model/issue.h"
#include "parley/model/outcome_space.h"

namespace parley::model {

class UtilityFunction {
 public:
  virtual ~UtilityFunction() = default;
  virtual double Evaluate(const Outcome& outcome) const = 0;
  // "additive" or "hyper_rectangle".
  virtual std::string_view Kind() const = 0;
  virtual bool IsAdditive() const { return false; }
  virtual std::unique_ptr<UtilityFunction> Clone() const = 0;
};

// How a per-issue value function was written. The evaluated table is what counts; the form is
// kept so files are written back the way a person wrote them.
enum class ValueFunctionForm {
  kTable,            // one value per option (discrete issues; numeric issues given point by point)
  kLinear,           // numeric: value at lower bound and at upper bound, linear in between
  kPiecewiseLinear,  // numeric: (x, value) points, linear in between, flat outside
  kTriangular,       // numeric: 0 at `lower`, 1 at `peak`, 0 at `upper`, 0 outside
  kConstant,         // every option the same value
};

std::string_view ValueFunctionFormName(ValueFunctionForm form);

struct ValueFunction {
  ValueFunctionForm form = ValueFunctionForm::kTable;
  // kPiecewiseLinear: the points; kLinear: {(lower, v_lower), (upper, v_upper)};
  // kTriangular: {(lower, 0), (peak, 1), (upper, 0)}; kConstant: {(0, value)}.
  std::vector<std::pair<double, double>> points;
  // The value of every option, indexed by option index. Always filled.
  std::vector<double> table;

  // Builds `table` from `form` and `points` for the given numeric issue.
  void Tabulate(const Issue& issue);
  // Piecewise-linear interpolation of `points` at x (flat outside the first and last point).
  double Interpolate(double x) const;
};

class AdditiveUtility final : public UtilityFunction {
 public:
  AdditiveUtility() = default;
  AdditiveUtility(std::vector<double> weights, std::vector<ValueFunction> values, double offset = 0)
      : weights_(std::move(weights)), values_(std::move(values)), offset_(offset) {}

  double Evaluate(const Outcome& outcome) const override {
    double total = offset_;
    for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
      total += weights_[issue_idx] * values_[issue_idx].table[outcome[issue_idx]];
    }
    return total;
  }
  std::string_view Kind() const override { return "additive"; }
  bool IsAdditive() const override { return true; }
  std::unique_ptr<UtilityFunction> Clone() const override {
    return std::make_unique<AdditiveUtility>(*this);
  }

  std::size_t NumIssues() const { return weights_.size(); }
  const std::vector<double>& weights() const { return weights_; }
  const std::vector<ValueFunction>& values() const { return values_; }
  double offset() const { return offset_; }
  // weight * value of one option on one issue: the issue's contribution to the utility.
  double Contribution(std::size_t issue_idx, OptionIndex option) const {
    return weights_[issue_idx] * values_[issue_idx].table[option];
  }

 private:
  std::vector<double> weights_;
  std::vector<ValueFunction> values_;
  double offset_ = 0;
};

// The best and worst outcomes of one utility function. Exact for additive utilities at any size
// and for any utility on spaces up to the enumeration limit; otherwise `exact` is false and the
// figures come from search (the true range is at least as wide).
struct UtilityRange {
  double min = 0;
  double max = 0;
  Outcome argmin;
  Outcome argmax;
  bool exact = true;
};

UtilityRange ComputeUtilityRange(const UtilityFunction& utility, const OutcomeSpace& space,
                                 std::uint64_t enumeration_limit = 1'000'000);

}  // namespace parley::model
