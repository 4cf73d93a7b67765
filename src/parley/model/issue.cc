#include "parley/model/issue.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "parley/base/check.h"

namespace parley::model {

std::string_view IssueKindName(IssueKind kind) {
  switch (kind) {
    case IssueKind::kDiscrete:
      return "discrete";
    case IssueKind::kInteger:
      return "integer";
    case IssueKind::kReal:
      return "real";
  }
  return "discrete";
}

Issue Issue::Discrete(std::string id, std::vector<std::string> options, bool ordered) {
  Issue issue;
  issue.name = id;
  issue.id = std::move(id);
  issue.kind = IssueKind::kDiscrete;
  issue.options = std::move(options);
  issue.ordered = ordered;
  return issue;
}

Issue Issue::Integer(std::string id, std::int64_t lower, std::int64_t upper) {
  Issue issue;
  issue.name = id;
  issue.id = std::move(id);
  issue.kind = IssueKind::kInteger;
  issue.integer_lower = lower;
  issue.integer_upper = upper;
  return issue;
}

Issue Issue::Real(std::string id, double lower, double upper, double step) {
  Issue issue;
  issue.name = id;
  issue.id = std::move(id);
  issue.kind = IssueKind::kReal;
  issue.real_lower = lower;
  issue.real_upper = upper;
  issue.real_step = step;
  return issue;
}

std::uint64_t Issue::NumOptions() const {
  switch (kind) {
    case IssueKind::kDiscrete:
      return options.size();
    case IssueKind::kInteger:
      if (integer_upper < integer_lower) return 0;
      return static_cast<std::uint64_t>(integer_upper - integer_lower) + 1;
    case IssueKind::kReal: {
      if (!(real_step > 0) || real_upper < real_lower) return 0;
      double steps = std::floor((real_upper - real_lower) / real_step + 1e-9);
      return static_cast<std::uint64_t>(steps) + 1;
    }
  }
  return 0;
}

double Issue::NumericValue(std::uint64_t option) const {
  switch (kind) {
    case IssueKind::kDiscrete:
      return static_cast<double>(option);
    case IssueKind::kInteger:
      return static_cast<double>(integer_lower + static_cast<std::int64_t>(option));
    case IssueKind::kReal: {
      double value = real_lower + static_cast<double>(option) * real_step;
      if (value > real_upper) return real_upper;
      // Round away the binary noise of lower + k * step (0.30000000000000004 -> 0.3), so grid
      // points equal the decimals a person or a GeniusWeb file writes.
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.15g", value);
      return std::strtod(buffer, nullptr);
    }
  }
  return 0;
}

std::string FormatNumber(double value) {
  if (value == 0) return "0";  // also folds -0
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  PARLEY_CHECK(ec == std::errc());
  return std::string(buffer, end);
}

std::string Issue::OptionLabel(std::uint64_t option) const {
  switch (kind) {
    case IssueKind::kDiscrete:
      PARLEY_CHECK(option < options.size());
      return options[option];
    case IssueKind::kInteger:
      return std::to_string(integer_lower + static_cast<std::int64_t>(option));
    case IssueKind::kReal:
      return FormatNumber(NumericValue(option));
  }
  return "";
}

std::string IdentifierInWords(std::string_view id) {
  std::string out(id);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string Issue::DisplayName() const {
  return name.empty() || name == id ? IdentifierInWords(id) : name;
}

std::string Issue::OptionDisplayName(std::uint64_t option) const {
  if (kind != IssueKind::kDiscrete) {
    return unit.empty() ? OptionLabel(option) : OptionLabel(option) + " " + unit;
  }
  PARLEY_CHECK(option < options.size());
  if (option < option_descriptions.size() && !option_descriptions[option].empty()) {
    return option_descriptions[option];
  }
  return IdentifierInWords(options[option]);
}

std::optional<std::uint64_t> Issue::FindOptionByValue(double value) const {
  if (!std::isfinite(value)) return std::nullopt;
  switch (kind) {
    case IssueKind::kDiscrete:
      return std::nullopt;
    case IssueKind::kInteger: {
      double rounded = std::round(value);
      if (rounded != value) return std::nullopt;
      if (rounded < static_cast<double>(integer_lower) ||
          rounded > static_cast<double>(integer_upper)) {
        return std::nullopt;
      }
      return static_cast<std::uint64_t>(static_cast<std::int64_t>(rounded) - integer_lower);
    }
    case IssueKind::kReal: {
      double position = (value - real_lower) / real_step;
      double nearest = std::round(position);
      if (std::fabs(position - nearest) > 1e-9 * std::max(1.0, std::fabs(nearest))) {
        // Also accept the upper bound when it is off the grid.
        if (std::fabs(value - real_upper) <= 1e-9 * std::max(1.0, std::fabs(real_upper))) {
          return NumOptions() - 1;
        }
        return std::nullopt;
      }
      if (nearest < 0 || nearest >= static_cast<double>(NumOptions())) return std::nullopt;
      return static_cast<std::uint64_t>(nearest);
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> Issue::FindOption(std::string_view label) const {
  if (kind == IssueKind::kDiscrete) {
    for (std::size_t option_idx = 0; option_idx < options.size(); ++option_idx) {
      if (options[option_idx] == label) return option_idx;
    }
    return std::nullopt;
  }
  std::string text(label);
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
  return FindOptionByValue(value);
}

}  // namespace parley::model
