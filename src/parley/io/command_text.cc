#include "parley/io/command_text.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <sstream>

#include "parley/base/strings.h"

namespace parley::io {

Result<std::vector<std::size_t>> ResolveParties(const model::Scenario& scenario,
                                                const std::string& comma_separated_ids,
                                                const std::string& field) {
  std::vector<std::size_t> parties;
  if (Trim(comma_separated_ids).empty()) return scenario.PrincipalIndices();
  std::stringstream stream(comma_separated_ids);
  std::string id;
  while (std::getline(stream, id, ',')) {
    id = std::string(Trim(id));
    std::optional<std::size_t> party_idx = scenario.FindParty(id);
    if (!party_idx) {
      std::string known;
      for (const model::Party& party : scenario.parties)
        known += (known.empty() ? "" : ", ") + party.id;
      return InvalidInput("unknown party '" + id + "'; parties are: " + known,
                          Location::InField(field));
    }
    if (!scenario.parties[*party_idx].preferences) {
      return InvalidInput("party '" + id + "' has no preferences to analyse",
                          Location::InField(field));
    }
    if (std::find(parties.begin(), parties.end(), *party_idx) != parties.end()) {
      return InvalidInput("party '" + id + "' is named twice", Location::InField(field));
    }
    parties.push_back(*party_idx);
  }
  return parties;
}

Result<model::Outcome> ParseOutcome(const model::Scenario& scenario, const std::string& text,
                                    const std::string& field) {
  const std::size_t unset = static_cast<std::size_t>(-1);
  std::vector<std::size_t> chosen(scenario.issues.size(), unset);
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ',')) {
    std::size_t equals = part.find('=');
    if (equals == std::string::npos) {
      return InvalidInput("expected issue=option, got '" + std::string(Trim(part)) + "'",
                          Location::InField(field));
    }
    std::string issue_id(Trim(part.substr(0, equals)));
    std::string option(Trim(part.substr(equals + 1)));
    std::optional<std::size_t> issue_idx = scenario.FindIssue(issue_id);
    if (!issue_idx) {
      return InvalidInput("unknown issue '" + issue_id + "'", Location::InField(field));
    }
    std::optional<std::uint64_t> option_idx = scenario.issues[*issue_idx].FindOption(option);
    if (!option_idx) {
      return InvalidInput("issue '" + issue_id + "' has no option '" + option + "'",
                          Location::InField(field));
    }
    if (chosen[*issue_idx] != unset) {
      return InvalidInput("issue '" + issue_id + "' is given twice", Location::InField(field));
    }
    chosen[*issue_idx] = *option_idx;
  }
  model::Outcome outcome;
  for (std::size_t issue_idx = 0; issue_idx < chosen.size(); ++issue_idx) {
    if (chosen[issue_idx] == unset) {
      return InvalidInput("no option given for issue '" + scenario.issues[issue_idx].id + "'",
                          Location::InField(field));
    }
    outcome.push_back(static_cast<model::OptionIndex>(chosen[issue_idx]));
  }
  return outcome;
}

}  // namespace parley::io
