// Scenario: everything known about one negotiation: who takes part, what is at stake, how the
// parties value it, in which phases it is settled, and where each figure comes from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/model/issue.h"
#include "parley/model/outcome_space.h"
#include "parley/model/party.h"
#include "parley/model/provenance.h"
#include "parley/model/uncertainty.h"

namespace parley::model {

// The format a scenario was read from; it decides utility semantics shown to users.
enum class SourceFormat { kParley, kGenius, kGeniusWeb };
std::string_view SourceFormatName(SourceFormat format);  // "parley", "genius", "geniusweb"

struct Meta {
  std::string title;
  std::string description;
  std::string as_of;   // date the model reflects, e.g. "2024-05-06"
  std::string banner;  // shown before any output about the scenario
  std::vector<std::string> references;
};

struct Phase {
  std::string id;
  std::string label;
  std::string description;
  std::vector<std::size_t> issue_indices;  // the issues this phase settles
};

struct Scenario {
  std::string name;  // short name: file stem or GENIUS domain name
  Meta meta;
  SourceFormat source_format = SourceFormat::kParley;
  std::vector<std::string> source_files;
  std::vector<Issue> issues;
  std::vector<Phase> phases;
  std::vector<Party> parties;
  ProvenanceMap provenance;
  Uncertainty uncertainty;  // ranges on preference numbers (uncertainty.h)

  OutcomeSpace BuildOutcomeSpace() const { return OutcomeSpace::FromIssues(issues); }
  std::optional<std::size_t> FindIssue(std::string_view id) const;
  std::optional<std::size_t> FindParty(std::string_view id) const;
  std::optional<std::size_t> FindPhase(std::string_view id) const;
  // The issues each phase settles, in phase order: issues in no phase join the last phase; a
  // scenario without phases gives one group with every issue.
  std::vector<std::vector<std::size_t>> PhaseIssueGroups() const;
  // Enabled parties that have preferences and the principal role, in file order.
  std::vector<std::size_t> PrincipalIndices() const;
  // Enabled parties that have preferences, whatever their role, in file order.
  std::vector<std::size_t> PartiesWithPreferences() const;
  // A red line's name in parameters and reports: its id, else its 0-based position.
  static std::string RedLineId(const Preferences& preferences, std::size_t line_idx);
  // "issue=label, issue=label" for messages and listings.
  std::string DescribeOutcome(const Outcome& outcome) const;
  // The outcome in words, for people: "Nature of the ceasefire: a pause for a fixed period;
  // Military withdrawal: none; ..." (Issue::DisplayName and OptionDisplayName).
  std::string DescribeOutcomeInWords(const Outcome& outcome) const;
};

}  // namespace parley::model
