// Uncertainty: ranges on the preference numbers a scenario assumes.
//
// Most preference numbers in a model of real talks are assumptions. Any weight, option value,
// value-function parameter (a linear function's `at_lower` / `at_upper`, a constant's `value`),
// reservation value, offset or discount may carry `range: [low, high]` next to its `value`:
// uniform on the range, or triangular with the value as its mode (`distribution: triangular`).
// Ranges are kept by the field path of the value they qualify (the provenance paths of
// docs/scenario-format.md), and written back by `parley convert`. Red lines carry their own
// probability of being firm (RedLine::holds).
//
// Weights are ranged as written: a file's weights {a: 3, b: 1} with a: {value: 3, range: [2, 4]}
// are divided by their sum when read, and so is every sampled set of weights; `weight_scales`
// keeps, per party with a ranged weight, the divisor and whether the file normalises.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace parley::model {

enum class Distribution { kUniform, kTriangular };

std::string_view DistributionName(Distribution distribution);  // "uniform", "triangular"
std::optional<Distribution> ParseDistribution(std::string_view text);

struct ValueRange {
  double value = 0;  // as written (the mode of a triangular distribution)
  double low = 0;
  double high = 0;
  Distribution distribution = Distribution::kUniform;
};

struct WeightScale {
  double divisor = 1;      // the written weights' sum when normalised, else 1
  bool normalized = true;  // the file divides weights by their sum
};

struct Uncertainty {
  // Keyed by field path, e.g. "parties.israel.preferences.weights.ceasefire".
  std::map<std::string, ValueRange> ranges;
  // Keyed by party id; present when one of the party's weights has a range.
  std::map<std::string, WeightScale> weight_scales;

  bool empty() const { return ranges.empty(); }
  const ValueRange* Find(const std::string& path) const {
    auto found = ranges.find(path);
    return found == ranges.end() ? nullptr : &found->second;
  }
};

// The parameter name of a preference path: "parties.israel.preferences.weights.ceasefire" is
// "israel.weights.ceasefire" (PARTY.weights.ISSUE, PARTY.values.ISSUE.OPTION, PARTY.reservation,
// ...); `party_id` is the party the path belongs to. Other paths are returned unchanged.
std::string ParameterNameOfPath(const std::string& party_id, const std::string& path);

// Draws from a range given a uniform number u in [0, 1): uniform, or triangular with mode `value`
// (the inverse of its distribution function). A range of zero width gives its value.
double QuantileOfRange(const ValueRange& range, double u);

}  // namespace parley::model
