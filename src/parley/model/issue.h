// Issue: one matter under negotiation and its options.
//
// Every issue has a finite, indexed list of options, so an outcome is a vector of option indices:
// - discrete: labelled options, optionally ordered (e.g. none < partial < full);
// - integer: every integer in [lower, upper];
// - real: the grid lower, lower + step, ... up to upper (inclusive, within 1e-9 of a step).
// Numeric issues do not store their options; labels and values are computed from the index.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::model {

enum class IssueKind { kDiscrete, kInteger, kReal };

std::string_view IssueKindName(IssueKind kind);  // "discrete", "integer", "real"

using OptionIndex = std::uint32_t;

struct Issue {
  std::string id;    // unique key used in files, red lines and outcomes
  std::string name;  // human label; defaults to id
  std::string description;
  std::string unit;  // e.g. "people", "days"; empty when none
  IssueKind kind = IssueKind::kDiscrete;
  std::vector<std::string> options;              // discrete only: option labels
  std::vector<std::string> option_descriptions;  // discrete only: same length as options or empty
  bool ordered = false;            // discrete only: options are listed from lowest to highest
  std::int64_t integer_lower = 0;  // integer only
  std::int64_t integer_upper = 0;
  double real_lower = 0;  // real only
  double real_upper = 0;
  double real_step = 1;
  std::string phase;  // id of the phase that settles this issue; empty when none

  static Issue Discrete(std::string id, std::vector<std::string> options, bool ordered = false);
  static Issue Integer(std::string id, std::int64_t lower, std::int64_t upper);
  static Issue Real(std::string id, double lower, double upper, double step);

  bool IsNumeric() const { return kind != IssueKind::kDiscrete; }
  std::uint64_t NumOptions() const;
  // The option's number: its value for numeric issues, its position for discrete ones.
  double NumericValue(std::uint64_t option) const;
  // The option's label: the label for discrete issues, the shortest exact decimal otherwise.
  std::string OptionLabel(std::uint64_t option) const;
  // The issue as people call it: its name, or its id with underscores read as spaces.
  std::string DisplayName() const;
  // The option in words, for reports and text output: a discrete option's description, or its
  // label with underscores read as spaces; a numeric option's value followed by the unit
  // ("33 people"). Labels stay what files, red lines and command-line outcomes use.
  std::string OptionDisplayName(std::uint64_t option) const;
  // Finds an option by label (discrete) or by value written as text (numeric, matched to the
  // grid within 1e-9 of a step).
  std::optional<std::uint64_t> FindOption(std::string_view label) const;
  // Finds the option whose numeric value equals `value` (within 1e-9 of a step for real issues).
  std::optional<std::uint64_t> FindOptionByValue(double value) const;
};

// Shortest decimal text that reads back as the same double ("0.1", "5", "1e-07").
std::string FormatNumber(double value);

// An identifier in words: underscores become spaces ("to_perimeter" -> "to perimeter").
std::string IdentifierInWords(std::string_view id);

}  // namespace parley::model
