#include "parley/model/uncertainty.h"

#include <algorithm>
#include <cmath>

namespace parley::model {

std::string_view DistributionName(Distribution distribution) {
  return distribution == Distribution::kTriangular ? "triangular" : "uniform";
}

std::optional<Distribution> ParseDistribution(std::string_view text) {
  if (text == "uniform") return Distribution::kUniform;
  if (text == "triangular") return Distribution::kTriangular;
  return std::nullopt;
}

std::string ParameterNameOfPath(const std::string& party_id, const std::string& path) {
  const std::string prefix = "parties." + party_id + ".preferences.";
  if (path.compare(0, prefix.size(), prefix) != 0) return path;
  return party_id + "." + path.substr(prefix.size());
}

double QuantileOfRange(const ValueRange& range, double u) {
  const double width = range.high - range.low;
  if (!(width > 0)) return range.low;
  u = std::clamp(u, 0.0, 1.0);
  if (range.distribution == Distribution::kUniform) return range.low + u * width;
  // Triangular(low, mode, high): F(mode) = (mode - low) / width.
  const double mode = std::clamp(range.value, range.low, range.high);
  const double at_mode = (mode - range.low) / width;
  if (u < at_mode) return range.low + std::sqrt(u * width * (mode - range.low));
  return range.high - std::sqrt((1 - u) * width * (range.high - mode));
}

}  // namespace parley::model
