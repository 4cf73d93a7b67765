// The utility space of two parties: where the outcomes lie for them, the Pareto frontier, the
// bargaining solutions, the reservation values and the zone of agreement. The data behind a
// report's main picture.
//
// Outcomes are placed exactly by enumeration when the space has at most `enumeration_limit`
// outcomes; beyond that a seeded uniform sample of `samples` outcomes is placed instead and the
// picture says so. Nothing here enumerates a space above the limit (a 10^30-outcome space costs
// one sample). Spaces with at most `max_dots` outcomes are drawn one dot per outcome, larger ones
// as a density over a grid of `density_bins` x `density_bins` cells.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <vector>

#include "parley/analysis/analyze.h"
#include "parley/base/big_count.h"
#include "parley/base/status.h"
#include "parley/model/scenario.h"
#include "parley/report/svg.h"

namespace parley::report {

struct UtilitySpaceOptions {
  std::uint64_t enumeration_limit = 2'000'000;
  std::uint64_t samples = 100'000;
  std::size_t max_dots = 3'000;
  int density_bins = 60;
  std::uint64_t seed = 1;
  // Passed on to the analysis (frontier enumeration for non-additive utilities, ZOPA count).
  std::uint64_t analysis_enumeration_limit = 20'000'000;
  int threads = 0;
  // Stops the analysis (kCancelled), e.g. at a deadline.
  std::stop_token stop;
};

// Where the placed outcomes lie, split by whether a red line of either party forbids them.
struct OutcomeCloud {
  BigCount total;            // outcomes in the space
  std::uint64_t placed = 0;  // outcomes evaluated: all of them, or the sample
  bool sampled = false;
  std::uint64_t allowed = 0;  // placed outcomes that no red line of the two parties forbids
  // Spaces of at most max_dots outcomes: every outcome.
  bool dots = false;
  std::vector<svg::Point> allowed_points;
  std::vector<svg::Point> forbidden_points;
  // Larger spaces: counts per cell, row-major from (x.low, y.low), bins x bins cells.
  int bins = 0;
  svg::Domain x;  // the placed outcomes' utility range for each party
  svg::Domain y;
  std::vector<std::uint32_t> allowed_counts;
  std::vector<std::uint32_t> forbidden_counts;
};

struct UtilitySpace {
  std::array<std::size_t, 2> parties{};  // indices into Scenario::parties: x axis, y axis
  OutcomeCloud cloud;
  analysis::ScenarioAnalysis analysis;  // of the two parties, red lines respected
  // Set when a red line of either party changes the frontier: the frontier and the solutions of
  // the whole space, red lines ignored (what a deal could look like if red lines moved).
  std::optional<analysis::ParetoFrontier> frontier_ignoring_red_lines;
  std::optional<analysis::BargainingSolutions> solutions_ignoring_red_lines;
};

// Errors: kInvalidInput when a party has no preferences or both are the same party; kCancelled.
Result<UtilitySpace> ComputeUtilitySpace(const model::Scenario& scenario,
                                         std::array<std::size_t, 2> parties,
                                         const UtilitySpaceOptions& options = {});

// The two parties a report shows: `comma_separated_ids` names exactly two parties with
// preferences ("israel,hamas"), or is empty for the first two enabled principals.
Result<std::array<std::size_t, 2>> ChooseReportParties(const model::Scenario& scenario,
                                                       const std::string& comma_separated_ids);

}  // namespace parley::report
