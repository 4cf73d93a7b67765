// Gaps: how far apart parties are, issue by issue and overall, so "are the gaps narrowing?" has a
// number.
//
// For additive utilities the gap on an issue between two options x and y is measured in the
// parties' own terms: for each analysed party i, |v_i(x) - v_i(y)| divided by the spread of v_i on
// that issue (0 when the party is indifferent on the issue), averaged over the parties. It lies in
// [0, 1]: 0 when no party cares which of the two is chosen, 1 when x and y are each party's best
// and worst. Without per-issue values (non-additive utilities), ordered and numeric issues use the
// distance between positions divided by the number of steps, unordered issues 0 (same) or 1.
//
// Ideal gaps compare each party's ideal option on the issue with every other party's ideal option
// (averaged over pairs of parties). Offer gaps compare two given outcomes. The overall gap is the
// average of the issue gaps weighted by the parties' mean issue weights (equal weights when
// utilities are not additive).
#pragma once

#include <string>
#include <vector>

#include "parley/model/scenario.h"

namespace parley::analysis {

struct IssueGap {
  std::size_t issue_idx = 0;
  double gap = 0;     // in [0, 1]
  double weight = 0;  // the issue's share in the overall gap
  // Ideal gaps: each analysed party's ideal option on the issue (ties: the first listed).
  std::vector<model::OptionIndex> ideal_options;
};

struct Gaps {
  std::vector<std::size_t> parties;
  std::vector<IssueGap> issues;
  double overall = 0;
};

// Parties: indices into Scenario::parties, each with preferences.
Gaps ComputeIdealGaps(const model::Scenario& scenario, const std::vector<std::size_t>& parties);
Gaps ComputeOfferGaps(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                      const model::Outcome& first, const model::Outcome& second);

// The overall offer gap from `reference`, issue by issue: tables[issue][option] is the issue's
// weighted gap between that option and the reference's, so the overall gap between any outcome x
// and the reference is the sum over issues of tables[issue][x[issue]] (before ComputeOfferGaps
// clamps it to [0, 1] against rounding). One entry per option, so only for issues with few.
std::vector<std::vector<double>> ComputeGapTables(const model::Scenario& scenario,
                                                  const std::vector<std::size_t>& parties,
                                                  const model::Outcome& reference);

}  // namespace parley::analysis
