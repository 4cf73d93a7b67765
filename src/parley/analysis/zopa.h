// Zone of possible agreement (ZOPA): the outcomes every analysed party values at or above its
// reservation value (within 1e-12) and that no analysed party's red line forbids.
//
// Its size is counted exactly wherever that is feasible:
// - empty: decided from the Pareto frontier (no acceptable frontier point means no acceptable
//   outcome, since a point dominating an acceptable outcome is acceptable);
// - enumeration: spaces up to `enumeration_limit` outcomes, any utilities (additive utilities are
//   summed incrementally as the odometer advances);
// - meet in the middle: additive utilities and at most two analysed parties, on spaces far beyond
//   enumeration: the issues are split in two halves (keeping each red line's issues together), each
//   half's partial utilities are enumerated, and pairs meeting both reservations are counted with a
//   sweep and a Fenwick tree, O(h log h) for halves of h partial outcomes;
// - otherwise a seeded uniform sample, with `exact` false and a 95% Wilson interval on the
// fraction.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "parley/analysis/pareto.h"
#include "parley/base/big_count.h"

namespace parley::analysis {

enum class ZopaMethod { kFrontier, kEnumeration, kMeetInTheMiddle, kSampling };
std::string_view ZopaMethodName(ZopaMethod method);

struct ZopaOptions {
  std::uint64_t enumeration_limit = 20'000'000;
  // Largest half (partial outcomes) the meet-in-the-middle count enumerates.
  std::uint64_t half_limit = 4'000'000;
  std::uint64_t samples = 1'000'000;
  std::uint64_t seed = 1;
  std::stop_token stop;
};

struct Zopa {
  std::vector<std::size_t> parties;
  BigCount count;  // exact count (when `exact`), else the estimate rounded
  bool exact = true;
  double fraction = 0;      // count / outcome count
  double fraction_low = 0;  // 95% interval when sampled; equal to `fraction` when exact
  double fraction_high = 0;
  ZopaMethod method = ZopaMethod::kEnumeration;
  std::uint64_t outcomes_examined = 0;
};

// `parties` are indices into Scenario::parties, each with preferences.
Result<Zopa> ComputeZopa(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                         const ZopaOptions& options = {});

// True when the ZOPA of `parties` is not empty: some point of the (red-line respecting) Pareto
// frontier meets every reservation value within 1e-12. Exact whenever the frontier is.
Result<bool> ZopaExists(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                        const std::stop_token& stop = {});

// True when the outcome is in the ZOPA of `parties` (reservations within 1e-12, red lines).
bool InZopa(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
            const model::Outcome& outcome);

}  // namespace parley::analysis
