// Obstacles: what blocks a deal, in plain words.
//
// The constraints are every analysed party's red lines and reservation values. When the zone of
// possible agreement is empty, the report lists the minimal sets of constraints whose relaxation
// opens it (no proper subset does), ranked by how many outcomes each relaxation opens, and the
// pairs of red lines of different parties that no outcome can satisfy together. When the zone is
// not empty, it lists the red lines binding at the Nash point: those whose relaxation alone moves
// the Nash point (computed with the same disagreement point; reservation values cannot bind, since
// the Nash point already gives every party more than its reservation).
//
// Relaxation sets are searched by increasing size over all 2^n subsets when there are at most
// `max_exhaustive_constraints` constraints, otherwise over sets of one and two constraints only
// (the report then says the search was limited). Each test is one exact Pareto frontier on a copy
// of the scenario with the relaxed constraints removed.
#pragma once

#include <string>
#include <vector>

#include "parley/analysis/zopa.h"

namespace parley::analysis {

struct Constraint {
  enum class Kind { kRedLine, kReservation };
  Kind kind = Kind::kRedLine;
  std::size_t party_idx = 0;     // index into Scenario::parties
  std::size_t red_line_idx = 0;  // kRedLine: index into the party's red lines
  // "Hamas's red line 'a permanent ceasefire'" (a red line without a description: "Hamas's red
  // line (requires ceasefire in [...])") or "Government of Israel's reservation value (0.45)".
  std::string description;
};

struct Relaxation {
  std::vector<Constraint> constraints;  // relaxed together
  Zopa opened;                          // the zone of agreement once they are relaxed
  std::string explanation;
};

struct RedLineConflict {
  Constraint first;
  Constraint second;
  std::string explanation;
};

struct ObstacleReport {
  std::vector<std::size_t> parties;
  bool zopa_empty = false;
  std::vector<Relaxation> relaxations;      // minimal sets, most opening first (ZOPA empty)
  std::vector<RedLineConflict> conflicts;   // pairs of red lines that exclude each other
  std::vector<Constraint> binding_at_nash;  // ZOPA not empty
  bool search_limited = false;
  std::string summary;  // a paragraph for people
};

struct ObstacleOptions {
  std::size_t max_exhaustive_constraints = 12;
  ZopaOptions zopa;
};

Result<ObstacleReport> AnalyzeObstacles(const model::Scenario& scenario,
                                        const std::vector<std::size_t>& parties,
                                        const ObstacleOptions& options = {});

// Every analysed party's red lines and reservations, in party order.
std::vector<Constraint> ListConstraints(const model::Scenario& scenario,
                                        const std::vector<std::size_t>& parties);

}  // namespace parley::analysis
