#include "parley/analysis/analyze.h"

#include <algorithm>
#include <chrono>
#include <sstream>

#include "parley/base/strings.h"

namespace parley::analysis {
namespace {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double ElapsedMs() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

Result<std::vector<std::size_t>> ResolveParties(const model::Scenario& scenario,
                                                const std::string& comma_separated_ids) {
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
                          Location::InField("--parties"));
    }
    if (!scenario.parties[*party_idx].preferences) {
      return InvalidInput("party '" + id + "' has no preferences to analyse",
                          Location::InField("--parties"));
    }
    if (std::find(parties.begin(), parties.end(), *party_idx) != parties.end()) {
      return InvalidInput("party '" + id + "' is named twice", Location::InField("--parties"));
    }
    parties.push_back(*party_idx);
  }
  return parties;
}

Status RequireTwoParties(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                         bool named, const std::string& what) {
  if (parties.size() >= 2) return Status::Ok();
  std::string candidates;
  for (std::size_t party_idx : scenario.PartiesWithPreferences()) {
    candidates += (candidates.empty() ? "" : ", ") + scenario.parties[party_idx].id;
  }
  if (named) {
    std::string given;
    for (std::size_t party_idx : parties) given += scenario.parties[party_idx].id;
    return InvalidInput(what + " needs at least two parties and only '" + given +
                            "' was named; name two or more, comma-separated (parties with "
                            "preferences: " +
                            candidates + ")",
                        Location::InField("--parties"));
  }
  return InvalidInput(what + " needs at least two parties with preferences and the scenario has " +
                      std::to_string(parties.size()) +
                      " enabled principal(s) with preferences; name the parties with --parties "
                      "A,B (parties with preferences: " +
                      (candidates.empty() ? std::string("none") : candidates) + ")");
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

Result<ScenarioAnalysis> AnalyzeScenario(const model::Scenario& scenario,
                                         const AnalysisOptions& options) {
  ScenarioAnalysis analysis;
  analysis.parties = options.parties.empty() ? scenario.PrincipalIndices() : options.parties;
  PARLEY_RETURN_IF_ERROR(
      RequireTwoParties(scenario, analysis.parties, !options.parties.empty(), "the analysis"));
  for (std::size_t party_idx : analysis.parties) {
    if (party_idx >= scenario.parties.size() || !scenario.parties[party_idx].preferences) {
      return InvalidInput("every analysed party needs preferences");
    }
  }

  Stopwatch pareto_clock;
  ParetoOptions pareto_options = options.pareto;
  pareto_options.parties = analysis.parties;
  analysis.respect_red_lines = pareto_options.respect_red_lines;
  PARLEY_ASSIGN_OR_RETURN(analysis.pareto, ComputeParetoFrontier(scenario, pareto_options));
  analysis.timings_ms["pareto"] = pareto_clock.ElapsedMs();

  Stopwatch solutions_clock;
  std::vector<double> disagreement = ReservationValues(scenario, analysis.parties);
  analysis.pareto_acceptable = AcceptablePoints(analysis.pareto, disagreement);
  analysis.solutions = ComputeBargainingSolutions(analysis.pareto, disagreement);
  analysis.timings_ms["solutions"] = solutions_clock.ElapsedMs();

  Stopwatch zopa_clock;
  PARLEY_ASSIGN_OR_RETURN(analysis.zopa, ComputeZopa(scenario, analysis.parties, options.zopa));
  analysis.timings_ms["zopa"] = zopa_clock.ElapsedMs();

  Stopwatch obstacles_clock;
  PARLEY_ASSIGN_OR_RETURN(analysis.obstacles,
                          AnalyzeObstacles(scenario, analysis.parties, options.obstacles));
  analysis.timings_ms["obstacles"] = obstacles_clock.ElapsedMs();

  Stopwatch gaps_clock;
  analysis.ideal_gaps = ComputeIdealGaps(scenario, analysis.parties);
  if (options.offers) {
    analysis.offer_gaps =
        ComputeOfferGaps(scenario, analysis.parties, options.offers->first, options.offers->second);
  }
  if (options.outcome) {
    analysis.outcome_metrics =
        EvaluateOutcome(scenario, analysis.pareto, analysis.solutions, *options.outcome);
    analysis.outcome_evaluation = EvaluateText(scenario, analysis.parties, *options.outcome);
  }
  analysis.timings_ms["gaps"] = gaps_clock.ElapsedMs();
  return analysis;
}

}  // namespace parley::analysis
