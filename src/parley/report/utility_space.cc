#include "parley/report/utility_space.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

#include "parley/io/command_text.h"

namespace parley::report {
namespace {

bool SameFrontier(const analysis::ParetoFrontier& a, const analysis::ParetoFrontier& b) {
  if (a.points.size() != b.points.size()) return false;
  for (std::size_t point_idx = 0; point_idx < a.points.size(); ++point_idx) {
    if (a.points[point_idx].utilities != b.points[point_idx].utilities) return false;
  }
  return true;
}

int Bin(double value, const svg::Domain& domain, int bins) {
  double span = domain.high - domain.low;
  if (!(span > 0)) return 0;
  int bin = static_cast<int>(std::floor((value - domain.low) / span * bins));
  return std::clamp(bin, 0, bins - 1);
}

}  // namespace

Result<std::array<std::size_t, 2>> ChooseReportParties(const model::Scenario& scenario,
                                                       const std::string& comma_separated_ids) {
  PARLEY_ASSIGN_OR_RETURN(std::vector<std::size_t> parties,
                          io::ResolveParties(scenario, comma_separated_ids));
  bool defaulted = comma_separated_ids.find_first_not_of(" \t") == std::string::npos;
  if (defaulted) {
    if (parties.size() < 2) {
      return InvalidInput(
          "a report needs two parties with preferences and the scenario has " +
              std::to_string(parties.size()) +
              " enabled principal(s) with preferences; name two parties with --parties A,B",
          Location::InField("--parties"));
    }
    return std::array<std::size_t, 2>{parties[0], parties[1]};
  }
  if (parties.size() != 2) {
    return InvalidInput("name exactly two parties (A,B), got " + std::to_string(parties.size()),
                        Location::InField("--parties"));
  }
  return std::array<std::size_t, 2>{parties[0], parties[1]};
}

Result<UtilitySpace> ComputeUtilitySpace(const model::Scenario& scenario,
                                         std::array<std::size_t, 2> parties,
                                         const UtilitySpaceOptions& options) {
  for (std::size_t party_idx : parties) {
    if (party_idx >= scenario.parties.size() || !scenario.parties[party_idx].preferences) {
      return InvalidInput("the utility space needs two parties with preferences",
                          Location::InField("parties"));
    }
  }
  if (parties[0] == parties[1]) {
    return InvalidInput("the utility space needs two different parties",
                        Location::InField("parties"));
  }
  UtilitySpace space;
  space.parties = parties;

  analysis::AnalysisOptions analysis_options;
  analysis_options.parties = {parties[0], parties[1]};
  analysis_options.pareto.enumeration_limit = options.analysis_enumeration_limit;
  analysis_options.pareto.threads = options.threads;
  analysis_options.zopa.enumeration_limit = options.analysis_enumeration_limit;
  analysis_options.pareto.stop = options.stop;
  analysis_options.zopa.stop = options.stop;
  analysis_options.obstacles.zopa.stop = options.stop;
  PARLEY_ASSIGN_OR_RETURN(space.analysis, analysis::AnalyzeScenario(scenario, analysis_options));

  const model::Preferences& x_preferences = *scenario.parties[parties[0]].preferences;
  const model::Preferences& y_preferences = *scenario.parties[parties[1]].preferences;
  if (!x_preferences.red_lines.empty() || !y_preferences.red_lines.empty()) {
    analysis::ParetoOptions pareto = analysis_options.pareto;
    pareto.parties = analysis_options.parties;
    pareto.respect_red_lines = false;
    Result<analysis::ParetoFrontier> ignoring = analysis::ComputeParetoFrontier(scenario, pareto);
    if (ignoring.ok() && !SameFrontier(*ignoring, space.analysis.pareto)) {
      space.solutions_ignoring_red_lines = analysis::ComputeBargainingSolutions(
          *ignoring, analysis::ReservationValues(scenario, pareto.parties));
      space.frontier_ignoring_red_lines = std::move(*ignoring);
    }
  }

  // Place the outcomes: every one when the space is small enough, else a seeded sample.
  const model::UtilityFunction& x_utility = *x_preferences.utility;
  const model::UtilityFunction& y_utility = *y_preferences.utility;
  model::OutcomeSpace outcome_space = scenario.BuildOutcomeSpace();
  OutcomeCloud& cloud = space.cloud;
  cloud.total = outcome_space.Count();
  cloud.sampled = !outcome_space.IsEnumerable(options.enumeration_limit);
  auto visit_outcomes = [&](const std::function<void(const model::Outcome&)>& visit) -> Status {
    if (!cloud.sampled) return outcome_space.ForEach(options.enumeration_limit, visit);
    std::mt19937_64 rng(options.seed);
    model::Outcome outcome(outcome_space.NumIssues());
    for (std::uint64_t sample_idx = 0; sample_idx < options.samples; ++sample_idx) {
      for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
        outcome[issue_idx] =
            static_cast<model::OptionIndex>(rng() % outcome_space.Cardinality(issue_idx));
      }
      visit(outcome);
    }
    return Status::Ok();
  };
  auto allowed = [&](const model::Outcome& outcome) {
    return x_preferences.AllowedByRedLines(outcome) && y_preferences.AllowedByRedLines(outcome);
  };

  double inf = std::numeric_limits<double>::infinity();
  cloud.x = {inf, -inf};
  cloud.y = {inf, -inf};
  cloud.dots = !cloud.sampled && outcome_space.IsEnumerable(options.max_dots);
  PARLEY_RETURN_IF_ERROR(visit_outcomes([&](const model::Outcome& outcome) {
    double x = x_utility.Evaluate(outcome);
    double y = y_utility.Evaluate(outcome);
    ++cloud.placed;
    cloud.x = {std::min(cloud.x.low, x), std::max(cloud.x.high, x)};
    cloud.y = {std::min(cloud.y.low, y), std::max(cloud.y.high, y)};
    bool is_allowed = allowed(outcome);
    if (is_allowed) ++cloud.allowed;
    if (cloud.dots) (is_allowed ? cloud.allowed_points : cloud.forbidden_points).push_back({x, y});
  }));
  if (cloud.placed == 0) {
    cloud.x = {0, 1};
    cloud.y = {0, 1};
    return space;
  }
  if (cloud.dots) return space;

  cloud.bins = std::max(1, options.density_bins);
  std::size_t cells = static_cast<std::size_t>(cloud.bins) * static_cast<std::size_t>(cloud.bins);
  cloud.allowed_counts.assign(cells, 0);
  cloud.forbidden_counts.assign(cells, 0);
  PARLEY_RETURN_IF_ERROR(visit_outcomes([&](const model::Outcome& outcome) {
    int column = Bin(x_utility.Evaluate(outcome), cloud.x, cloud.bins);
    int row = Bin(y_utility.Evaluate(outcome), cloud.y, cloud.bins);
    std::size_t cell = static_cast<std::size_t>(row) * static_cast<std::size_t>(cloud.bins) +
                       static_cast<std::size_t>(column);
    ++(allowed(outcome) ? cloud.allowed_counts : cloud.forbidden_counts)[cell];
  }));
  return space;
}

}  // namespace parley::report
