// Pareto frontier: the outcomes no other outcome improves for one analysed party without hurting
// another. Exact at any scale for additive utilities, exact by enumeration for other utilities up
// to a limit, and a labelled approximation by search beyond it. Never silently truncated.
//
// Additive method (every ANAC linear and GeniusWeb scenario): the frontier is computed without
// enumerating the outcome space. Options dominated within an issue are dropped (ties kept), then
// issues are merged one at a time keeping only non-dominated partial utility sums (ties kept
// exactly), with back-pointers to recover outcomes. Red lines are honoured exactly: a red line on
// one issue removes options; issues joined by red lines (union-find over the issues each mentions)
// form a composite issue whose options are the allowed combinations; its members are still merged
// in issue order, each partial point carrying the composite's state (which completions remain
// allowed) and being compared only with points in the same state. Partial sums are accumulated in
// issue order from each utility's offset, so frontier utilities equal UtilityFunction::Evaluate
// bit for bit.
//
// Exactness against rounding: a partial point is dropped only when another beats it by more than
// the rounding error the remaining additions could cause, so near-ties are carried until the last
// issue decides them exactly (internal/pareto_additive.cc gives the bound). Within-issue dominated
// options are dropped by the same rule. 2 parties filter by sort and sweep, 3 by a sweep with a
// staircase (both O(n log n)), 4+ by comparison with the kept points (internal/non_dominated.h).
// When a partial frontier exceeds max_frontier_size, the partial frontiers together exceed
// max_merge_points, or red lines join issues into a composite of more than max_composite_size
// combinations, the merge gives up and says so in `note`; the result then comes from enumeration
// when the space is within enumeration_limit, else from search.
//
// Enumeration method (non-additive utilities, or when forced): streams every outcome, keeps the
// non-dominated set; no outcome tuples are stored beyond the frontier. Parallel over index ranges;
// additive utilities are summed from per-issue tables in issue order, so they too equal Evaluate.
//
// Search method (spaces above the enumeration limit that the additive merge cannot handle):
// simulated annealing on weighted sums, seeded from each party's best outcome, the frontier of an
// additive relaxation and random starts, then Pareto local search (internal/pareto_search.h);
// `exact` is false and `outcomes_examined` says how much was seen; at most 16 tied outcomes are
// listed per utility vector. Deterministic for a seed, whatever the thread count.
//
// The frontier of the acceptable region (every analysed party at or above its reservation value)
// equals the full frontier's acceptable points, since anything dominating an acceptable outcome is
// acceptable too.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "parley/base/big_count.h"
#include "parley/base/status.h"
#include "parley/model/scenario.h"

namespace parley::analysis {

struct ParetoPoint {
  model::Outcome outcome;
  std::vector<double> utilities;  // one per analysed party, in ParetoOptions::parties order
};

enum class FrontierMethod { kAdditiveMerge, kEnumeration, kSearch };
std::string_view FrontierMethodName(FrontierMethod method);  // "additive_merge", ...

struct ParetoOptions {
  // Indices into Scenario::parties of the parties analysed; empty means every enabled principal
  // with preferences (Scenario::PrincipalIndices()).
  std::vector<std::size_t> parties;
  // Only outcomes that no analysed party's red line forbids.
  bool respect_red_lines = true;
  // Only outcomes every analysed party values at or above its reservation value.
  bool respect_reservations = false;
  // Use enumeration even for additive utilities (for tests and benchmarks).
  bool force_enumeration = false;
  // Largest space enumerated exactly for non-additive utilities.
  std::uint64_t enumeration_limit = 20'000'000;
  // The additive merge gives up (and falls back) when a partial frontier grows beyond this;
  // enumeration fails with kUnsupported when the frontier itself (ties included) does.
  std::size_t max_frontier_size = 2'000'000;
  // The additive merge keeps every partial frontier (8 bytes a point) to recover outcomes; it
  // gives up (and falls back) when their points together pass this, bounding its memory (about
  // 80 MB) and time on scenarios with many issues. The corpus's largest need under 150,000.
  std::uint64_t max_merge_points = 10'000'000;
  // Largest number of option combinations of issues joined by cross-issue red lines that the
  // additive merge enumerates into one composite issue (it falls back beyond).
  std::uint64_t max_composite_size = 1'000'000;
  // Outcomes the search method may evaluate.
  std::uint64_t search_budget = 2'000'000;
  // Threads for enumeration and search (the additive merge runs on one); 0 means all hardware
  // threads. The result does not depend on it.
  int threads = 0;
  std::uint64_t seed = 1;
  std::stop_token stop;
};

struct ParetoFrontier {
  std::vector<std::size_t> parties;  // the analysed parties (indices into Scenario::parties)
  // Sorted by the first party's utility, descending, then by the next parties' utilities
  // descending, then by outcome; outcomes with equal utility vectors are all listed.
  std::vector<ParetoPoint> points;
  bool exact = true;
  FrontierMethod method = FrontierMethod::kAdditiveMerge;
  BigCount outcomes_examined;  // enumeration and search: outcomes evaluated
  std::string note;            // why the method was chosen or why the result is approximate
};

// Errors: kInvalidInput for fewer than 1 analysed party, a party index out of range or repeated,
// or a party without preferences; kCancelled when `stop` is requested; kUnsupported when an exact
// enumeration finds more than max_frontier_size frontier points (ties included).
Result<ParetoFrontier> ComputeParetoFrontier(const model::Scenario& scenario,
                                             const ParetoOptions& options = {});

// True when `a` is at least as good as `b` for every party and better for one.
bool Dominates(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace parley::analysis
