// BidSpace: a party's search over its OWN utility, for choosing what to offer.
//
// Strategies think in utility targets ("offer something worth 0.8 to me"); this class turns a
// target into an outcome without enumerating the outcome space. The rule: return an outcome whose
// utility is at least the target and as close to it as the method allows (the best outcome when
// the target is above it), never one the party's own red lines forbid when an allowed outcome
// exists, and always one that keeps the request's constraints.
//
// Constraints (a phased protocol's Request): issues marked fixed keep `fixed_outcome`'s option;
// when `open_issues` is non-empty only those issues vary and every other unfixed issue stays at
// the party's own best option (a party does not concede on issues the current phase leaves open
// for later). The free issues span the "subspace" searched.
//
// Three methods, chosen per subspace:
// - sorted (exact): when the subspace has at most `sorted_limit` outcomes (2,000,000 by default),
//   every outcome the red lines allow is evaluated once and sorted by utility; a query is a binary
//   search. Ties are ordered by mixed-radix index, so results are deterministic.
// - additive search: for additive utilities above the limit. Each free issue's options are sorted
//   by contribution (weight x value). Issues named by red lines are merged into one composite
//   issue whose options are the allowed combinations of those issues (when there are at most
//   `red_line_combinations_limit` of them; beyond, allowed combinations are sampled and each query
//   searches around the best 8 that can reach its target), so every step stays inside the red
//   lines. A query, in contribution space (slack = utility above the target):
//   1. balanced start: every issue at the same quantile of its sorted options, the lowest that
//      reaches the target, refined issue by issue (a start mid-range leaves room both ways);
//   2. greedy descent: in a random issue order, each issue drops to the lowest option the slack
//      allows;
//   3. two exact refits of a random subset of issues by meeting in the middle (two halves of at
//      most 256 option combinations; for each combination of one half, a binary search in the
//      other's sorted sums), which brings the slack to the order of the subset's range divided by
//      the number of combinations;
//   4. `search_iterations` random moves, kept when they reduce the slack: raise one issue and
//      descend greedily again, or refit two issues exactly.
//   About 20 microseconds per query on a 10^30-outcome space (bench/parley_bench_strategies.cc),
//   typically within 1e-5 of the target there.
// - local search: for other (non-additive) utilities above the limit. From the best outcome found
//   by coordinate ascent, random single-issue moves are kept when they stay at or above the target
//   and lower the utility; a bounded number of evaluations per query.
// Building a subspace is the expensive part (the sorted method evaluates and sorts up to
// `sorted_limit` outcomes: 13 ms for ANAC Travel). Built subspaces are immutable and shared
// process-wide by every BidSpace on the same utility function, space, red lines, options and
// constraints (a tournament runs thousands of sessions on one scenario; a cache keyed by the
// function's identity through a weak_ptr, so a function freed and another allocated at the same
// address never match; least recently used subspaces are dropped beyond 512 MiB).
// Only the sorted method is exact; the searches return an outcome at or above the target (unless
// the target is above the best utility found) and usually within a tiny fraction of it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "parley/model/outcome_space.h"
#include "parley/model/red_line.h"
#include "parley/model/utility.h"
#include "parley/protocols/protocol.h"

namespace parley::strategies {

// What a request fixes about an offer. Empty vectors mean "no constraint".
struct BidConstraints {
  std::vector<bool> fixed_issues;
  model::Outcome fixed_outcome;
  std::vector<std::size_t> open_issues;

  static BidConstraints FromRequest(const protocols::Request& request);
  bool operator==(const BidConstraints& other) const = default;
};

enum class BidSearchMethod { kSorted, kAdditiveSearch, kLocalSearch };

class BidSpace {
 public:
  static constexpr std::uint64_t kDefaultSortedLimit = 2'000'000;
  static constexpr std::uint64_t kDefaultCombinationsLimit = 200'000;
  struct Options {
    std::uint64_t sorted_limit = kDefaultSortedLimit;
    // Random improvement moves per additive query; evaluations per local-search query scale
    // with it.
    int search_iterations = 24;
    // Most combinations of red-line issues merged into one composite issue; above it, allowed
    // combinations are sampled instead (up to 256, each query searching around the best 8 that can
    // reach it).
    std::uint64_t red_line_combinations_limit = kDefaultCombinationsLimit;
  };

  // An empty space with no issues (a placeholder until a party is initialised). A null utility
  // below means a party without preferences: every outcome is worth 0.
  BidSpace();
  BidSpace(std::shared_ptr<const model::UtilityFunction> utility, model::OutcomeSpace space,
           std::vector<model::RedLine> red_lines, Options options);
  BidSpace(std::shared_ptr<const model::UtilityFunction> utility, model::OutcomeSpace space,
           std::vector<model::RedLine> red_lines)
      : BidSpace(std::move(utility), std::move(space), std::move(red_lines), Options()) {}

  // Restricts later queries; cheap when the constraints did not change (up to a few subspaces
  // are cached, so alternating between phases does not rebuild them).
  void SetConstraints(const BidConstraints& constraints);
  const BidConstraints& constraints() const { return constraints_; }

  bool has_utility() const { return has_utility_; }
  double Utility(const model::Outcome& outcome) const;
  // True when none of the party's own red lines forbids the outcome.
  bool Allowed(const model::Outcome& outcome) const;
  // True when `outcome` keeps the current constraints (fixed issues and non-open issues).
  bool KeepsConstraints(const model::Outcome& outcome) const;
  const model::OutcomeSpace& space() const { return space_; }

  // Under the current constraints:
  BidSearchMethod method() const;
  // Whether an outcome allowed by the red lines exists in the subspace (when false, red lines
  // are ignored, since nothing can satisfy them).
  bool red_lines_satisfiable() const;
  // Best outcome and its utility (exact in the sorted and additive methods).
  const model::Outcome& Best() const;
  double MaxUtility() const;
  // Worst utility (exact in the sorted and additive methods, a search result otherwise).
  double MinUtility() const;

  // The outcome with utility >= target closest to it (Best() when target > MaxUtility()).
  model::Outcome Find(double target, std::mt19937_64& rng) const;
  // Up to `count` distinct outcomes with utility in [target, target + tolerance], Find(target)
  // first; just Find(target) when nothing else lies in the window.
  std::vector<model::Outcome> FindMany(double target, double tolerance, std::size_t count,
                                       std::mt19937_64& rng) const;
  // The outcome just below `utility`: in the sorted method the best outcome whose utility is
  // strictly lower; otherwise an outcome in [utility - step, utility) found by search, with
  // step = 1e-3 of the utility range. nullopt when nothing lies below.
  std::optional<model::Outcome> FindBelow(double utility, std::mt19937_64& rng) const;
  // A uniformly random outcome of the subspace (allowed by the red lines when possible).
  model::Outcome Random(std::mt19937_64& rng) const;

  // Sorted method only: the number of ranked outcomes and the outcome at a rank (0 = best).
  std::size_t NumRanked() const;
  model::Outcome Ranked(std::size_t rank) const;
  double RankedUtility(std::size_t rank) const;

 private:
  struct Subspace;
  const Subspace& Current() const;
  std::shared_ptr<Subspace> Build(const BidConstraints& constraints) const;
  // Build() through the process-wide cache (see above).
  std::shared_ptr<Subspace> BuildShared(const BidConstraints& constraints) const;
  class SubspaceBuilder;  // Build(), phase by phase
  class AdditiveQuery;    // one Find() of the additive method
  model::Outcome FindByLocalSearch(const Subspace& s, double target, std::mt19937_64& rng) const;

  // The party's utility (a zero utility when it has none); shared, so copies stay valid.
  std::shared_ptr<const model::UtilityFunction> utility_;
  bool has_utility_ = false;
  bool shareable_ = false;  // utility_ came from the caller (not a private zero function)
  const model::AdditiveUtility* additive_ = nullptr;  // into *utility_, which this class owns
  model::OutcomeSpace space_;
  std::vector<model::RedLine> red_lines_;
  Options options_;
  model::Outcome unconstrained_best_;
  BidConstraints constraints_;
  std::shared_ptr<Subspace> current_;
  std::vector<std::pair<BidConstraints, std::shared_ptr<Subspace>>> cache_;  // most recent last
};

}  // namespace parley::strategies
