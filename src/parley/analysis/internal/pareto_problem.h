// What the Pareto methods share: the analysed parties' utilities, the red lines and reservation
// values to respect, and the outcome space, resolved once from a Scenario and ParetoOptions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "parley/analysis/pareto.h"
#include "parley/base/status.h"
#include "parley/model/scenario.h"

namespace parley::analysis::internal {

struct FrontierProblem {
  const model::Scenario* scenario = nullptr;
  model::OutcomeSpace space;
  std::vector<std::size_t> parties;                      // indices into Scenario::parties
  std::vector<const model::UtilityFunction*> utilities;  // per analysed party
  std::vector<const model::AdditiveUtility*> additive;   // per analysed party; null if not additive
  std::vector<const model::RedLine*> red_lines;          // empty unless red lines are respected
  std::vector<double> reservations;                      // empty unless reservations are respected

  std::size_t NumParties() const { return parties.size(); }
  std::size_t NumIssues() const { return space.NumIssues(); }
  bool AllAdditive() const;
  bool Allowed(const model::Outcome& outcome) const;
  // True when every analysed party's utility reaches its reservation value (if respected).
  bool Acceptable(const double* utilities_row) const;
};

// Resolves the parties (kInvalidInput when none, out of range, repeated or without preferences)
// and what must be respected.
Result<FrontierProblem> BuildFrontierProblem(const model::Scenario& scenario,
                                             const ParetoOptions& options);

// What a method found, before the common reservation filter and sorting.
struct MethodOutput {
  std::vector<ParetoPoint> points;
  BigCount outcomes_examined;
  std::string note;
};

Status CancelledStatus();
// Threads to use: options.threads, or every hardware thread when 0.
int ThreadCount(const ParetoOptions& options);

}  // namespace parley::analysis::internal
