// The zone of agreement of one sample, exactly, without enumerating the outcome space.
//
// Issues that red lines tie together form groups (issues no red line mentions are groups of
// one); each group's option combinations are enumerated once, with the red lines each combination
// crosses. Per sample, the combinations every firm red line allows are scored with the sampled
// contribution tables, combinations dominated within their group are dropped, and then:
// - two analysed parties: the groups' utility sets are merged into the Pareto frontier of the
//   whole space (Minkowski sums with dominance filtering), pruning partial sums that cannot meet
//   a reservation value even with the best of the remaining groups;
// - any other number: branch and bound over the groups with the same bounds.
// Both are exact. The answer says whether an outcome meets every reservation value (within 1e-12,
// as analysis/zopa.h) while crossing no firm red line, and gives the outcome that maximises the
// smallest surplus over the reservation values (the most robust outcome of that sample).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "parley/uncertainty/parameters.h"

namespace parley::uncertainty {

struct ZoneWorkspace;

class ZoneSolver {
 public:
  // Errors: kInvalidInput when red lines tie together issues with more than `max_group_size`
  // option combinations.
  static Result<ZoneSolver> Build(const ParameterSet& set,
                                  std::uint64_t max_group_size = 1'000'000);

  struct Answer {
    bool exists = false;
    model::Outcome best;      // when exists: the outcome with the largest smallest surplus
    double best_surplus = 0;  // that surplus (>= -1e-12)
  };

  // `workspace` is scratch space (one per thread).
  Answer Solve(const SampledUtilities& utilities, ZoneWorkspace& workspace) const;
  // True when the outcome meets every reservation value and crosses no firm red line.
  bool Accepts(const SampledUtilities& utilities, const model::Outcome& outcome) const;
  // Bits of the red lines (per analysed party) the outcome crosses, firm or not.
  std::vector<std::uint64_t> CrossedRedLines(const model::Outcome& outcome) const;

 private:
  struct Group {
    std::vector<std::size_t> issues;
    std::size_t num_combinations = 0;
    std::vector<model::OptionIndex> options;  // options[c * issues.size() + k]
    std::vector<std::uint64_t> crossed;       // crossed[c * parties + p]: red-line bits
  };
  // A group's option combinations with the red lines (of the group rooted at issue
  // `group_root`) each crosses.
  static Group EnumerateGroup(const ParameterSet& set, std::vector<std::size_t> issues,
                              std::size_t num_combinations, std::size_t group_root,
                              const std::vector<std::vector<std::size_t>>& line_root);
  // The group's combinations every firm red line allows, with their utilities (parties-major).
  void ScoreGroup(const Group& group, const SampledUtilities& utilities,
                  std::vector<std::uint32_t>& candidates, std::vector<double>& scores) const;
  Answer SolveTwo(const SampledUtilities& utilities, ZoneWorkspace& workspace) const;
  Answer SolveAny(const SampledUtilities& utilities, ZoneWorkspace& workspace) const;

  const ParameterSet* set_ = nullptr;
  std::vector<Group> groups_;
  std::vector<std::uint64_t> always_crossed_;  // per party: red lines mentioning no issue, crossed
};

// Per-thread scratch space for ZoneSolver::Solve.
struct ZoneWorkspace {
  struct Item {
    double u0 = 0;
    double u1 = 0;
    std::uint32_t parent = 0;
    std::uint32_t combination = 0;
  };
  // Per group: surviving combinations and their utilities (parties-major).
  std::vector<std::vector<std::uint32_t>> combinations;
  std::vector<std::vector<double>> utilities;
  std::vector<std::vector<Item>> levels;  // two parties: the frontier after each group
  std::vector<Item> scratch;
  std::vector<std::size_t> order;
  std::vector<double> rest_max;
  std::vector<double> partial;
  std::vector<std::uint32_t> choice;
  std::vector<std::uint32_t> best_choice;
};

}  // namespace parley::uncertainty
