#include "parley/analysis/pareto.h"

#include <algorithm>
#include <thread>

#include "parley/analysis/internal/pareto_additive.h"
#include "parley/analysis/internal/pareto_enumeration.h"
#include "parley/analysis/internal/pareto_problem.h"
#include "parley/analysis/internal/pareto_search.h"

namespace parley::analysis {

namespace internal {

bool FrontierProblem::AllAdditive() const {
  return std::all_of(additive.begin(), additive.end(),
                     [](const model::AdditiveUtility* utility) { return utility != nullptr; });
}

bool FrontierProblem::Allowed(const model::Outcome& outcome) const {
  return std::all_of(red_lines.begin(), red_lines.end(),
                     [&](const model::RedLine* red_line) { return red_line->Allows(outcome); });
}

bool FrontierProblem::Acceptable(const double* utilities_row) const {
  for (std::size_t party_idx = 0; party_idx < reservations.size(); ++party_idx) {
    if (utilities_row[party_idx] < reservations[party_idx]) return false;
  }
  return true;
}

Result<FrontierProblem> BuildFrontierProblem(const model::Scenario& scenario,
                                             const ParetoOptions& options) {
  FrontierProblem problem;
  problem.scenario = &scenario;
  problem.space = scenario.BuildOutcomeSpace();
  problem.parties = options.parties.empty() ? scenario.PrincipalIndices() : options.parties;
  if (problem.parties.empty()) {
    return InvalidInput(
        "Pareto frontier: no party to analyse (no enabled principal has "
        "preferences)");
  }
  std::vector<std::size_t> sorted = problem.parties;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return InvalidInput("Pareto frontier: a party is listed twice among the analysed parties");
  }
  for (std::size_t party_idx : problem.parties) {
    if (party_idx >= scenario.parties.size()) {
      return InvalidInput("Pareto frontier: party index " + std::to_string(party_idx) +
                          " is out of range (the scenario has " +
                          std::to_string(scenario.parties.size()) + " parties)");
    }
    const model::Party& party = scenario.parties[party_idx];
    if (!party.preferences || !party.preferences->utility) {
      return InvalidInput("Pareto frontier: party '" + party.id + "' has no preferences");
    }
    const model::UtilityFunction* utility = party.preferences->utility.get();
    problem.utilities.push_back(utility);
    problem.additive.push_back(dynamic_cast<const model::AdditiveUtility*>(utility));
    if (options.respect_red_lines) {
      for (const model::RedLine& red_line : party.preferences->red_lines) {
        problem.red_lines.push_back(&red_line);
      }
    }
    if (options.respect_reservations) {
      problem.reservations.push_back(party.preferences->ReservationOrZero());
    }
  }
  return problem;
}

Status CancelledStatus() {
  return Status(ErrorCode::kCancelled, "Pareto frontier: cancelled on request");
}

int ThreadCount(const ParetoOptions& options) {
  if (options.threads > 0) return options.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace internal

namespace {

// Descending utilities, party by party, then ascending outcome: the order pareto.h promises.
bool FrontierOrder(const ParetoPoint& a, const ParetoPoint& b) {
  for (std::size_t party_idx = 0; party_idx < a.utilities.size(); ++party_idx) {
    if (a.utilities[party_idx] != b.utilities[party_idx]) {
      return a.utilities[party_idx] > b.utilities[party_idx];
    }
  }
  return a.outcome < b.outcome;
}

std::string Join(const std::string& first, const std::string& second) {
  if (first.empty()) return second;
  if (second.empty()) return first;
  return first + "; " + second;
}

}  // namespace

std::string_view FrontierMethodName(FrontierMethod method) {
  switch (method) {
    case FrontierMethod::kAdditiveMerge:
      return "additive_merge";
    case FrontierMethod::kEnumeration:
      return "enumeration";
    case FrontierMethod::kSearch:
      return "search";
  }
  return "additive_merge";
}

bool Dominates(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  bool better = false;
  for (std::size_t party_idx = 0; party_idx < a.size(); ++party_idx) {
    if (a[party_idx] < b[party_idx]) return false;
    if (a[party_idx] > b[party_idx]) better = true;
  }
  return better;
}

Result<ParetoFrontier> ComputeParetoFrontier(const model::Scenario& scenario,
                                             const ParetoOptions& options) {
  PARLEY_ASSIGN_OR_RETURN(internal::FrontierProblem problem,
                          internal::BuildFrontierProblem(scenario, options));
  if (options.stop.stop_requested()) return internal::CancelledStatus();
  ParetoFrontier frontier;
  frontier.parties = problem.parties;
  const model::OutcomeSpace& space = problem.space;
  std::string space_text = space.Count().ToDisplayString() + " outcomes";

  std::string note;
  bool done = false;
  internal::MethodOutput output;
  if (problem.AllAdditive() && !options.force_enumeration) {
    PARLEY_ASSIGN_OR_RETURN(internal::AdditiveMergeOutput merged,
                            internal::ComputeFrontierByAdditiveMerge(problem, options));
    if (merged.completed) {
      frontier.method = FrontierMethod::kAdditiveMerge;
      output = std::move(merged.output);
      note = output.note;
      done = true;
    } else {
      note = "the additive merge gave up: " + merged.reason;
    }
  }
  if (!done && space.IsEnumerable(options.enumeration_limit)) {
    PARLEY_ASSIGN_OR_RETURN(output, internal::ComputeFrontierByEnumeration(problem, options));
    frontier.method = FrontierMethod::kEnumeration;
    std::string why = options.force_enumeration ? "enumeration was forced"
                      : problem.AllAdditive()   ? ""
                                                : "utilities are not all additive";
    note = Join(Join(note, why), "exact enumeration of all " + space_text);
    done = true;
  }
  if (!done) {
    PARLEY_ASSIGN_OR_RETURN(output, internal::ComputeFrontierBySearch(problem, options));
    frontier.method = FrontierMethod::kSearch;
    frontier.exact = false;
    std::string why = problem.AllAdditive() ? "" : "utilities are not all additive and ";
    note = Join(note,
                "APPROXIMATE: " + why + "the space of " + space_text +
                    " exceeds the enumeration limit (" + std::to_string(options.enumeration_limit) +
                    "); frontier of the outcomes seen by local search (" +
                    output.outcomes_examined.ToDisplayString() + " evaluated), " + output.note);
  }
  frontier.outcomes_examined = std::move(output.outcomes_examined);
  frontier.points = std::move(output.points);
  if (!problem.reservations.empty()) {
    std::erase_if(frontier.points, [&](const ParetoPoint& point) {
      return !problem.Acceptable(point.utilities.data());
    });
    note = Join(note,
                "restricted to outcomes every analysed party values at or above its "
                "reservation value");
  }
  std::sort(frontier.points.begin(), frontier.points.end(), FrontierOrder);
  frontier.note = std::move(note);
  return frontier;
}

}  // namespace parley::analysis
