#include "parley/analysis/suggestions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <set>

#include "parley/analysis/analyze.h"
#include "parley/analysis/gaps.h"
#include "parley/analysis/solutions.h"
#include "parley/model/utility.h"

namespace parley::analysis {
namespace {

constexpr double kReservationTolerance = 1e-12;  // as in the zone of agreement (zopa.h)

struct CriterionInfo {
  SuggestionCriterion criterion;
  std::string_view name;
  std::string_view label;
};

constexpr CriterionInfo kCriteria[] = {
    {SuggestionCriterion::kNash, "nash", "Nash product (product of gains over reservation values)"},
    {SuggestionCriterion::kKalaiSmorodinsky, "kalai_smorodinsky",
     "Kalai-Smorodinsky (smallest share of each party's possible gain)"},
    {SuggestionCriterion::kEgalitarian, "egalitarian",
     "egalitarian (smallest gain over the reservation values)"},
    {SuggestionCriterion::kClosest, "closest",
     "closest to the draft (overall gap to it, 0 = the draft itself)"},
    {SuggestionCriterion::kFewestChanges, "fewest_changes",
     "fewest clauses changed from the draft"},
};

const CriterionInfo& Info(SuggestionCriterion criterion) {
  for (const CriterionInfo& info : kCriteria) {
    if (info.criterion == criterion) return info;
  }
  return kCriteria[0];
}

// A copy of the scenario with one more party whose additive utility is minus the distance to the
// draft, issue by issue: the frontier with it keeps the closest acceptable texts.
model::Scenario WithClosenessParty(const model::Scenario& scenario,
                                   const std::vector<std::vector<double>>& distance) {
  model::Scenario augmented = scenario;
  std::vector<double> weights(distance.size(), 1.0);
  std::vector<model::ValueFunction> values(distance.size());
  for (std::size_t issue_idx = 0; issue_idx < distance.size(); ++issue_idx) {
    for (double cost : distance[issue_idx]) values[issue_idx].table.push_back(-cost);
  }
  model::Party closeness;
  closeness.id = "closeness to the draft";
  closeness.role = model::Role::kObserver;
  closeness.preferences.emplace();
  closeness.preferences->utility =
      std::make_shared<model::AdditiveUtility>(std::move(weights), std::move(values));
  augmented.parties.push_back(std::move(closeness));
  return augmented;
}

// Every party at or above its reservation value (within the tolerance) and within its red lines.
bool Acceptable(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                const std::vector<double>& reservations, const model::Outcome& text) {
  for (std::size_t position = 0; position < parties.size(); ++position) {
    const model::Preferences& preferences = *scenario.parties[parties[position]].preferences;
    if (preferences.utility->Evaluate(text) < reservations[position] - kReservationTolerance ||
        !preferences.AllowedByRedLines(text)) {
      return false;
    }
  }
  return true;
}

// Calls `visit` with every outcome that differs from `outcome` on one issue and that every party
// accepts (reservation value within the tolerance, red lines).
template <typename Visit>
void ForEachAcceptableVariant(const model::Scenario& scenario,
                              const std::vector<std::size_t>& parties,
                              const std::vector<double>& reservations, model::Outcome outcome,
                              Visit visit) {
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    const model::OptionIndex current = outcome[issue_idx];
    for (std::uint64_t option = 0; option < scenario.issues[issue_idx].NumOptions(); ++option) {
      if (option == current) continue;
      outcome[issue_idx] = static_cast<model::OptionIndex>(option);
      if (Acceptable(scenario, parties, reservations, outcome)) visit(outcome);
    }
    outcome[issue_idx] = current;
  }
}

// How far a text is from being accepted: the sum of the parties' shortfalls below their
// reservation values, plus one for each red line it crosses.
double Shortfall(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                 const std::vector<double>& reservations, const model::Outcome& text) {
  double shortfall = 0;
  for (std::size_t position = 0; position < parties.size(); ++position) {
    const model::Preferences& preferences = *scenario.parties[parties[position]].preferences;
    shortfall += std::max(
        0.0, reservations[position] - kReservationTolerance - preferences.utility->Evaluate(text));
    for (const model::RedLine& red_line : preferences.red_lines) {
      shortfall += red_line.Allows(text) ? 0.0 : 1.0;
    }
  }
  return shortfall;
}

// The draft made acceptable greedily, as one fills a knapsack: each step takes the one-issue
// change with the largest shortfall reduction per unit of added distance. A heuristic, only used
// to bound the search; nullopt when it gets stuck.
std::optional<model::Outcome> RepairDraft(const model::Scenario& scenario,
                                          const std::vector<std::size_t>& parties,
                                          const std::vector<double>& reservations,
                                          const std::vector<std::vector<double>>& distance,
                                          model::Outcome outcome) {
  double shortfall = Shortfall(scenario, parties, reservations, outcome);
  for (std::size_t step = 0; shortfall > 0 && step < 4 * outcome.size(); ++step) {
    double best_ratio = 0;
    double best_shortfall = shortfall;
    std::size_t best_issue = 0;
    model::OptionIndex best_option = 0;
    for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
      const model::OptionIndex current = outcome[issue_idx];
      for (std::size_t option = 0; option < distance[issue_idx].size(); ++option) {
        if (option == current) continue;
        outcome[issue_idx] = static_cast<model::OptionIndex>(option);
        const double reduced = shortfall - Shortfall(scenario, parties, reservations, outcome);
        const double added = distance[issue_idx][option] - distance[issue_idx][current];
        const double ratio = reduced / std::max(added, 1e-9);
        if (reduced > 0 && ratio > best_ratio) {
          best_ratio = ratio;
          best_shortfall = shortfall - reduced;
          best_issue = issue_idx;
          best_option = static_cast<model::OptionIndex>(option);
        }
        outcome[issue_idx] = current;
      }
    }
    if (best_ratio <= 0) return std::nullopt;
    outcome[best_issue] = best_option;
    shortfall = best_shortfall;
  }
  if (shortfall > 0) return std::nullopt;
  return outcome;
}

// An acceptable text made closer to the draft: from `outcome`, repeatedly take the single-issue
// change that saves the most distance while every party stays at or above its reservation value
// and within its red lines. A heuristic, only used to bound the search.
model::Outcome WalkTowardDraft(const model::Scenario& scenario,
                               const std::vector<std::size_t>& parties,
                               const std::vector<double>& reservations,
                               const std::vector<std::vector<double>>& distance,
                               model::Outcome outcome) {
  while (true) {
    double best_saving = 0;
    std::size_t best_issue = 0;
    model::OptionIndex best_option = 0;
    for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
      const model::OptionIndex current = outcome[issue_idx];
      for (std::size_t option = 0; option < distance[issue_idx].size(); ++option) {
        const double saving = distance[issue_idx][current] - distance[issue_idx][option];
        if (!(saving > best_saving)) continue;
        outcome[issue_idx] = static_cast<model::OptionIndex>(option);
        if (Acceptable(scenario, parties, reservations, outcome)) {
          best_saving = saving;
          best_issue = issue_idx;
          best_option = static_cast<model::OptionIndex>(option);
        }
        outcome[issue_idx] = current;
      }
    }
    if (best_saving <= 0) return outcome;
    outcome[best_issue] = best_option;
  }
}

double NashProduct(const std::vector<double>& utilities, const std::vector<double>& reservations) {
  double product = 1;
  for (std::size_t position = 0; position < reservations.size(); ++position) {
    product *= std::max(0.0, utilities[position] - reservations[position]);
  }
  return product;
}

// Errors: kInvalidInput when a party has no preferences, the draft does not fit the scenario,
// or the criterion needs a draft and none was given.
Status CheckRequest(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                    const SuggestionOptions& options) {
  PARLEY_RETURN_IF_ERROR(
      RequireTwoParties(scenario, parties, !options.parties.empty(), "suggesting a text"));
  for (std::size_t party_idx : parties) {
    if (party_idx >= scenario.parties.size() || !scenario.parties[party_idx].preferences) {
      return InvalidInput("every party suggestions are made for needs preferences");
    }
  }
  if (options.draft && options.draft->size() != scenario.issues.size()) {
    return InvalidInput("the draft names " + std::to_string(options.draft->size()) +
                            " issues; the scenario has " + std::to_string(scenario.issues.size()),
                        Location::InField("draft"));
  }
  if (CriterionNeedsDraft(options.criterion) && !options.draft) {
    return InvalidInput("the criterion '" +
                            std::string(SuggestionCriterionName(options.criterion)) +
                            "' is measured from the current draft, and none was given",
                        Location::InField("criterion"));
  }
  return Status::Ok();
}

// Per issue and option, the distance from the draft the criterion measures (the gap, or 1 for
// a changed issue); none when the criterion is not measured from the draft.
std::vector<std::vector<double>> DistanceTables(const model::Scenario& scenario,
                                                const std::vector<std::size_t>& parties,
                                                const SuggestionOptions& options) {
  std::vector<std::vector<double>> distance;
  if (options.criterion == SuggestionCriterion::kClosest) {
    distance = ComputeGapTables(scenario, parties, *options.draft);
  } else if (options.criterion == SuggestionCriterion::kFewestChanges) {
    distance.resize(scenario.issues.size());
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      distance[issue_idx].assign(scenario.issues[issue_idx].NumOptions(), 1.0);
      distance[issue_idx][(*options.draft)[issue_idx]] = 0.0;
    }
  }
  return distance;
}

double DistanceOf(const std::vector<std::vector<double>>& distance, const model::Outcome& outcome) {
  double total = 0;
  for (std::size_t issue_idx = 0; issue_idx < distance.size(); ++issue_idx) {
    total += distance[issue_idx][outcome[issue_idx]];
  }
  return total;
}

// The frontier is restricted to acceptable outcomes as it is merged (partial outcomes that
// cannot reach a reservation value are dropped early): reservations are lowered by the
// tolerance so that the frontier's exact comparison meets them as the zone of agreement does.
model::Scenario AcceptableOnly(const model::Scenario& scenario,
                               const std::vector<std::size_t>& parties) {
  model::Scenario acceptable_only = scenario;
  for (std::size_t party_idx : parties) {
    model::Preferences& preferences = *acceptable_only.parties[party_idx].preferences;
    preferences.reservation_value = preferences.ReservationOrZero() - kReservationTolerance;
  }
  return acceptable_only;
}

// The first bound B on the distance from the draft (ComputeSuggestions says why): the limit-th
// smallest distance of acceptable texts found near the draft; infinity when fewer are found.
double InitialDistanceBound(const model::Scenario& scenario, const Suggestions& result,
                            const std::vector<std::vector<double>>& distance,
                            const ParetoFrontier& frontier, const SuggestionOptions& options) {
  if (options.limit == 0) return std::numeric_limits<double>::infinity();
  // Walks start from the frontier points nearest the draft (a few per wanted text).
  std::vector<std::pair<double, const model::Outcome*>> starts;
  for (const ParetoPoint& point : frontier.points) {
    starts.emplace_back(DistanceOf(distance, point.outcome), &point.outcome);
  }
  const std::size_t num_starts = std::min(starts.size(), 4 * options.limit);
  std::partial_sort(starts.begin(), starts.begin() + num_starts, starts.end());
  std::set<model::Outcome> walked;
  for (std::size_t start_idx = 0; start_idx < num_starts; ++start_idx) {
    walked.insert(WalkTowardDraft(scenario, result.parties, result.reservations, distance,
                                  *starts[start_idx].second));
  }
  // And the draft itself, repaired greedily (knapsack-style), then walked back.
  if (std::optional<model::Outcome> repaired =
          RepairDraft(scenario, result.parties, result.reservations, distance, *options.draft)) {
    walked.insert(
        WalkTowardDraft(scenario, result.parties, result.reservations, distance, *repaired));
  }
  std::vector<double> distances;
  for (const model::Outcome& outcome : walked) {
    distances.push_back(DistanceOf(distance, outcome));
    ForEachAcceptableVariant(
        scenario, result.parties, result.reservations, outcome,
        [&](const model::Outcome& variant) { distances.push_back(DistanceOf(distance, variant)); });
  }
  if (distances.size() < options.limit) return std::numeric_limits<double>::infinity();
  std::nth_element(distances.begin(), distances.begin() + (options.limit - 1), distances.end());
  return distances[options.limit - 1];
}

// The frontier with closeness to the draft as one more objective, restricted to the `limit`
// closest texts or a little more. With closeness as an objective the frontier can hold hundreds
// of thousands of points on a large space, and only the `limit` closest are wanted. Efficient
// texts within a distance B of the draft are exactly the frontier of the outcomes within B
// (anything beating one is as close or closer), so once that frontier holds `limit` texts they
// are the closest. B starts as the limit-th smallest distance of acceptable texts found near the
// draft (the utilities' frontier points walked toward it, and their acceptable one-issue
// variants), and the closeness party's reservation value (minus B) makes the merge drop
// everything further early; should fewer than `limit` texts lie within B, B doubles until they
// do.
Status CloseToDraft(const model::Scenario& scenario, const model::Scenario& acceptable_only,
                    const std::vector<std::vector<double>>& distance,
                    const SuggestionOptions& options, ParetoOptions pareto, Suggestions& result,
                    ParetoFrontier& frontier) {
  double bound = InitialDistanceBound(scenario, result, distance, frontier, options);
  model::Scenario augmented = WithClosenessParty(acceptable_only, distance);
  pareto.parties.push_back(augmented.parties.size() - 1);
  while (true) {
    augmented.parties.back().preferences->reservation_value =
        -bound - kReservationTolerance * std::max(1.0, bound);
    PARLEY_ASSIGN_OR_RETURN(frontier, ComputeParetoFrontier(augmented, pareto));
    if (frontier.points.size() >= options.limit || std::isinf(bound)) break;
    bound = bound > 0 ? 2 * bound : std::numeric_limits<double>::infinity();
  }
  result.exact = result.exact && frontier.exact;
  result.note = frontier.note;
  return Status::Ok();
}

// A frontier point as a suggestion, valued by the criterion; `ideal` is each party's best
// utility on the frontier.
Suggestion MakeSuggestion(const model::Scenario& scenario, const ParetoPoint& point,
                          const std::vector<double>& ideal, const Suggestions& result,
                          const std::vector<std::vector<double>>& distance,
                          const SuggestionOptions& options) {
  const std::size_t num_parties = result.parties.size();
  Suggestion suggestion;
  suggestion.outcome = point.outcome;
  suggestion.utilities.assign(point.utilities.begin(), point.utilities.begin() + num_parties);
  suggestion.nash_product = NashProduct(suggestion.utilities, result.reservations);
  double smallest_share = std::numeric_limits<double>::infinity();
  double smallest_gain = std::numeric_limits<double>::infinity();
  for (std::size_t position = 0; position < num_parties; ++position) {
    double gain = suggestion.utilities[position] - result.reservations[position];
    double span = ideal[position] - result.reservations[position];
    smallest_gain = std::min(smallest_gain, gain);
    smallest_share = std::min(smallest_share, span > 0 ? gain / span : 1.0);
  }
  switch (options.criterion) {
    case SuggestionCriterion::kNash:
      suggestion.value = suggestion.nash_product;
      break;
    case SuggestionCriterion::kKalaiSmorodinsky:
      suggestion.value = smallest_share;
      break;
    case SuggestionCriterion::kEgalitarian:
      suggestion.value = smallest_gain;
      break;
    case SuggestionCriterion::kClosest:
    case SuggestionCriterion::kFewestChanges:
      suggestion.value = DistanceOf(distance, suggestion.outcome);
      break;
  }
  if (options.draft) {
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      if (suggestion.outcome[issue_idx] != (*options.draft)[issue_idx]) {
        suggestion.changes.push_back(
            Change{issue_idx, (*options.draft)[issue_idx], suggestion.outcome[issue_idx]});
      }
    }
  }
  return suggestion;
}

// The frontier's points as suggestions, best first by the criterion (lower first when measured
// from the draft), then the Nash product, then the outcome (a strict order, so the list is
// deterministic); at most `limit` kept.
void RankSuggestions(const model::Scenario& scenario, const ParetoFrontier& frontier,
                     const std::vector<std::vector<double>>& distance,
                     const SuggestionOptions& options, Suggestions& result) {
  const std::size_t num_parties = result.parties.size();
  std::vector<double> ideal(num_parties, -std::numeric_limits<double>::infinity());
  for (const ParetoPoint& point : frontier.points) {
    for (std::size_t position = 0; position < num_parties; ++position) {
      ideal[position] = std::max(ideal[position], point.utilities[position]);
    }
  }
  for (const ParetoPoint& point : frontier.points) {
    result.suggestions.push_back(MakeSuggestion(scenario, point, ideal, result, distance, options));
  }
  const bool lower_first = CriterionNeedsDraft(options.criterion);
  std::sort(result.suggestions.begin(), result.suggestions.end(),
            [&](const Suggestion& a, const Suggestion& b) {
              if (a.value != b.value) return lower_first ? a.value < b.value : a.value > b.value;
              if (a.nash_product != b.nash_product) return a.nash_product > b.nash_product;
              return a.outcome < b.outcome;
            });
  result.candidates = result.suggestions.size();
  if (options.limit > 0 && result.suggestions.size() > options.limit) {
    result.suggestions.resize(options.limit);
  }
}

// No acceptable text: the relaxations and deferrals that would open one.
Status AddOpeners(const model::Scenario& scenario, const SuggestionOptions& options,
                  Suggestions& result) {
  result.zone_empty = true;
  ObstacleOptions obstacle_options = options.obstacles;
  obstacle_options.zopa.stop = options.stop;
  PARLEY_ASSIGN_OR_RETURN(ObstacleReport obstacles,
                          AnalyzeObstacles(scenario, result.parties, obstacle_options));
  result.relaxations = std::move(obstacles.relaxations);
  result.conflicts = std::move(obstacles.conflicts);
  result.relaxations_search_limited = obstacles.search_limited;
  DeferralOptions deferral_options = options.deferrals;
  deferral_options.zopa.stop = options.stop;
  PARLEY_ASSIGN_OR_RETURN(result.deferrals,
                          ComputeDeferrals(scenario, result.parties, deferral_options));
  return Status::Ok();
}

}  // namespace

std::string_view SuggestionCriterionName(SuggestionCriterion criterion) {
  return Info(criterion).name;
}

std::string_view SuggestionCriterionLabel(SuggestionCriterion criterion) {
  return Info(criterion).label;
}

std::optional<SuggestionCriterion> ParseSuggestionCriterion(std::string_view name) {
  for (const CriterionInfo& info : kCriteria) {
    if (info.name == name) return info.criterion;
  }
  return std::nullopt;
}

std::string SuggestionCriterionNames() {
  std::string out;
  for (const CriterionInfo& info : kCriteria) {
    out += (out.empty() ? "" : ", ") + std::string(info.name);
  }
  return out;
}

bool CriterionNeedsDraft(SuggestionCriterion criterion) {
  return criterion == SuggestionCriterion::kClosest ||
         criterion == SuggestionCriterion::kFewestChanges;
}

Result<Suggestions> ComputeSuggestions(const model::Scenario& scenario,
                                       const SuggestionOptions& options) {
  Suggestions result;
  result.parties = options.parties.empty() ? scenario.PrincipalIndices() : options.parties;
  result.criterion = options.criterion;
  PARLEY_RETURN_IF_ERROR(CheckRequest(scenario, result.parties, options));
  const bool by_draft = CriterionNeedsDraft(options.criterion);
  result.reservations = ReservationValues(scenario, result.parties);
  if (options.draft) result.draft = EvaluateText(scenario, result.parties, *options.draft);

  // Candidates: acceptable points of the frontier (with closeness to the draft when ranked by it).
  const std::vector<std::vector<double>> distance =
      by_draft ? DistanceTables(scenario, result.parties, options)
               : std::vector<std::vector<double>>{};
  const model::Scenario acceptable_only = AcceptableOnly(scenario, result.parties);
  ParetoOptions pareto = options.pareto;
  pareto.parties = result.parties;
  pareto.respect_red_lines = true;
  pareto.respect_reservations = true;
  pareto.stop = options.stop;
  PARLEY_ASSIGN_OR_RETURN(ParetoFrontier frontier, ComputeParetoFrontier(acceptable_only, pareto));
  result.exact = frontier.exact;
  result.note = frontier.note;
  if (by_draft && !frontier.points.empty()) {
    PARLEY_RETURN_IF_ERROR(
        CloseToDraft(scenario, acceptable_only, distance, options, pareto, result, frontier));
  }
  RankSuggestions(scenario, frontier, distance, options, result);
  if (frontier.points.empty()) PARLEY_RETURN_IF_ERROR(AddOpeners(scenario, options, result));
  return result;
}

}  // namespace parley::analysis
