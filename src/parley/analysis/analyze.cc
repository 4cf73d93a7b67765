#include "parley/analysis/analyze.h"

#include <chrono>

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
