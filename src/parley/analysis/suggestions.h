// Suggestions: texts a mediator could put to the principals, the co-pilot's answer to "what now?".
//
// A suggestion is an outcome every analysed principal accepts: worth at least its reservation
// value (within 1e-12, as in the zone of agreement) and crossing none of its red lines. Suggestions
// are efficient and ranked by a stated criterion:
//   nash               largest product of gains over the reservation values (Nash 1950);
//   kalai_smorodinsky  largest smallest share of each party's possible gain (Kalai & Smorodinsky
//                      1975; ideal = the party's best acceptable utility);
//   egalitarian        largest smallest gain (Kalai 1977);
//   closest            smallest overall gap to the current draft, in the parties' own terms
//                      (gaps.h: 0 = the draft itself, 1 = every issue at the opposite end);
//   fewest_changes     fewest issues whose option differs from the current draft.
// Ties on the criterion are ranked by the Nash product, then by outcome (first issue first), so
// the list is deterministic.
//
// Candidates, and why the list is bounded on any outcome space: for the first three criteria, the
// acceptable points of the exact Pareto frontier of the principals' utilities (pareto.h: an exact
// merge for additive utilities at any scale, enumeration or search otherwise); every optimum of
// these criteria lies on it. For the draft-based criteria, the acceptable points of the frontier
// of the principals' utilities together with closeness to the draft (an additive objective: minus
// the gap, or minus the number of changes, issue by issue), so the closest acceptable text is on
// it and every suggestion is one no other acceptable text beats on closeness and every party's
// utility at once. That frontier can hold hundreds of thousands of texts on a large space, so with
// a limit it is searched only within a distance of the draft that provably holds the `limit`
// closest (found from acceptable texts near the draft, doubled until enough lie within it; see
// suggestions.cc). Every frontier is merged restricted to acceptable outcomes. Nothing is
// enumerated blindly; `exact` is false when a frontier came from search, and `note` says why.
//
// When no acceptable text exists: the minimal relaxations of red lines and reservation values that
// would open one (obstacles.h), the pairs of red lines that exclude each other, and, for phased
// scenarios, the issues whose deferral to a later phase would leave a zone for an earlier one
// (deferrals.h).
#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "parley/analysis/deferrals.h"
#include "parley/analysis/evaluation.h"
#include "parley/analysis/obstacles.h"
#include "parley/analysis/pareto.h"

namespace parley::analysis {

enum class SuggestionCriterion { kNash, kKalaiSmorodinsky, kEgalitarian, kClosest, kFewestChanges };

// "nash", "kalai_smorodinsky", "egalitarian", "closest", "fewest_changes".
std::string_view SuggestionCriterionName(SuggestionCriterion criterion);
// "Nash product", "smallest share of the possible gain", ..., for people.
std::string_view SuggestionCriterionLabel(SuggestionCriterion criterion);
std::optional<SuggestionCriterion> ParseSuggestionCriterion(std::string_view name);
// The names above, comma separated, for messages.
std::string SuggestionCriterionNames();
// True for closest and fewest_changes: measured from the draft, lower values rank first.
bool CriterionNeedsDraft(SuggestionCriterion criterion);

struct SuggestionOptions {
  // Indices into Scenario::parties; empty means every enabled principal with preferences.
  std::vector<std::size_t> parties;
  std::optional<model::Outcome> draft;  // the current draft; needed by closest / fewest_changes
  SuggestionCriterion criterion = SuggestionCriterion::kNash;
  std::size_t limit = 5;      // most suggestions listed (0: all candidates)
  ParetoOptions pareto;       // budgets; `parties`, `respect_red_lines` and `stop` are set here
  ObstacleOptions obstacles;  // when no acceptable text exists
  DeferralOptions deferrals;
  std::stop_token stop;
};

struct Change {
  std::size_t issue_idx = 0;
  model::OptionIndex from = 0;  // the draft's option
  model::OptionIndex to = 0;    // the suggestion's
};

struct Suggestion {
  model::Outcome outcome;
  std::vector<double> utilities;  // one per analysed party, in Suggestions::parties order
  double value = 0;               // the criterion's value (see above)
  double nash_product = 0;        // product of gains, for ties
  std::vector<Change> changes;    // from the draft, in issue order (empty without a draft)
};

struct Suggestions {
  std::vector<std::size_t> parties;
  SuggestionCriterion criterion = SuggestionCriterion::kNash;
  std::vector<double> reservations;     // per analysed party (0 when none stated)
  std::optional<TextEvaluation> draft;  // the draft's evaluation, when one was given
  std::vector<Suggestion> suggestions;  // best first
  std::size_t candidates = 0;           // acceptable texts ranked (before `limit`)
  bool zone_empty = false;              // no acceptable text exists
  bool exact = true;                    // false when the frontier came from search
  std::string note;                     // how candidates were found
  // Only when the zone is empty:
  std::vector<Relaxation> relaxations;     // minimal sets, smallest and most opening first
  std::vector<RedLineConflict> conflicts;  // red lines that exclude each other
  bool relaxations_search_limited = false;
  DeferralReport deferrals;  // phased scenarios only
};

// Errors (kInvalidInput): fewer than two analysed parties or one without preferences, a draft of
// the wrong size, a draft-based criterion without a draft; kCancelled on request.
Result<Suggestions> ComputeSuggestions(const model::Scenario& scenario,
                                       const SuggestionOptions& options = {});

}  // namespace parley::analysis
