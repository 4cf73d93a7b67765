#include "parley/model/scenario.h"

namespace parley::model {

std::string_view SourceName(Source source) {
  switch (source) {
    case Source::kUnspecified:
      return "";
    case Source::kReport:
      return "report";
    case Source::kAssumption:
      return "assumption";
    case Source::kDerived:
      return "derived";
  }
  return "";
}

std::optional<Source> ParseSource(std::string_view text) {
  if (text == "report") return Source::kReport;
  if (text == "assumption") return Source::kAssumption;
  if (text == "derived") return Source::kDerived;
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPrincipal:
      return "principal";
    case Role::kMediator:
      return "mediator";
    case Role::kObserver:
      return "observer";
  }
  return "principal";
}

std::optional<Role> ParseRole(std::string_view text) {
  if (text == "principal") return Role::kPrincipal;
  if (text == "mediator") return Role::kMediator;
  if (text == "observer") return Role::kObserver;
  return std::nullopt;
}

std::string_view SourceFormatName(SourceFormat format) {
  switch (format) {
    case SourceFormat::kParley:
      return "parley";
    case SourceFormat::kGenius:
      return "genius";
    case SourceFormat::kGeniusWeb:
      return "geniusweb";
  }
  return "parley";
}

std::optional<std::size_t> Scenario::FindIssue(std::string_view id) const {
  for (std::size_t issue_idx = 0; issue_idx < issues.size(); ++issue_idx) {
    if (issues[issue_idx].id == id) return issue_idx;
  }
  return std::nullopt;
}

std::optional<std::size_t> Scenario::FindParty(std::string_view id) const {
  for (std::size_t party_idx = 0; party_idx < parties.size(); ++party_idx) {
    if (parties[party_idx].id == id) return party_idx;
  }
  return std::nullopt;
}

std::optional<std::size_t> Scenario::FindPhase(std::string_view id) const {
  for (std::size_t phase_idx = 0; phase_idx < phases.size(); ++phase_idx) {
    if (phases[phase_idx].id == id) return phase_idx;
  }
  return std::nullopt;
}

std::vector<std::vector<std::size_t>> Scenario::PhaseIssueGroups() const {
  const std::size_t num_issues = issues.size();
  if (phases.empty()) {
    std::vector<std::size_t> all(num_issues);
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) all[issue_idx] = issue_idx;
    return {all};
  }
  std::vector<std::vector<std::size_t>> groups;
  std::vector<bool> placed(num_issues, false);
  for (const Phase& phase : phases) {
    groups.push_back(phase.issue_indices);
    for (std::size_t issue_idx : phase.issue_indices) placed[issue_idx] = true;
  }
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    if (!placed[issue_idx]) groups.back().push_back(issue_idx);
  }
  return groups;
}

std::vector<std::size_t> Scenario::PrincipalIndices() const {
  std::vector<std::size_t> out;
  for (std::size_t party_idx = 0; party_idx < parties.size(); ++party_idx) {
    const Party& party = parties[party_idx];
    if (party.enabled && party.preferences && party.role == Role::kPrincipal) {
      out.push_back(party_idx);
    }
  }
  return out;
}

std::vector<std::size_t> Scenario::PartiesWithPreferences() const {
  std::vector<std::size_t> out;
  for (std::size_t party_idx = 0; party_idx < parties.size(); ++party_idx) {
    if (parties[party_idx].enabled && parties[party_idx].preferences) out.push_back(party_idx);
  }
  return out;
}

std::string Scenario::RedLineId(const Preferences& preferences, std::size_t line_idx) {
  const std::string& id = preferences.red_lines[line_idx].id;
  return id.empty() ? std::to_string(line_idx) : id;
}

std::string Scenario::DescribeOutcome(const Outcome& outcome) const {
  std::string out;
  for (std::size_t issue_idx = 0; issue_idx < outcome.size() && issue_idx < issues.size();
       ++issue_idx) {
    if (!out.empty()) out += ", ";
    out += issues[issue_idx].id + "=" + issues[issue_idx].OptionLabel(outcome[issue_idx]);
  }
  return out;
}

std::string Scenario::DescribeOutcomeInWords(const Outcome& outcome) const {
  std::string out;
  for (std::size_t issue_idx = 0; issue_idx < outcome.size() && issue_idx < issues.size();
       ++issue_idx) {
    if (!out.empty()) out += "; ";
    out += issues[issue_idx].DisplayName() + ": " +
           issues[issue_idx].OptionDisplayName(outcome[issue_idx]);
  }
  return out;
}

}  // namespace parley::model
