// Bargaining solutions: the "fair" points on a Pareto frontier that the literature proposes.
//
// All are computed over the frontier's points whose utilities are at or above every analysed
// party's reservation value within 1e-12, as in the zone of agreement (the disagreement point d).
// Optima are exact over those points; points whose objective is within 1e-12 of the optimum are
// reported together as ties.
// - Nash (Nash 1950): maximises the product of gains prod_i (u_i - d_i), over points where every
//   gain is positive.
// - Kalai-Smorodinsky (Kalai & Smorodinsky 1975): maximises the smallest fraction of each party's
//   possible gain, min_i (u_i - d_i) / (ideal_i - d_i), where ideal_i is the party's best utility
//   among acceptable outcomes (the discrete counterpart of the point on the line from d to the
//   ideal point).
// - Egalitarian (Kalai 1977): maximises the smallest gain, min_i (u_i - d_i).
// - Utilitarian: maximises the sum of utilities.
// - GENIUS "Kalai" (compatibility with GENIUS's BidSpace): minimises the sum over pairs of parties
//   of |u_i - u_j|; ties broken by the larger sum of utilities.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parley/analysis/pareto.h"

namespace parley::analysis {

struct SolutionPoint {
  bool defined = false;
  std::string note;  // why undefined (e.g. no outcome gives every party a positive gain)
  double objective = 0;
  std::vector<ParetoPoint> points;  // the optimum and its ties, in frontier order
};

struct BargainingSolutions {
  std::vector<double> disagreement;  // reservation value of each analysed party
  std::vector<double> ideal;         // best acceptable utility of each analysed party
  SolutionPoint nash;
  SolutionPoint kalai_smorodinsky;
  SolutionPoint egalitarian;
  SolutionPoint utilitarian;
  SolutionPoint genius_kalai;
};

// `disagreement` has one value per analysed party (frontier.parties order).
BargainingSolutions ComputeBargainingSolutions(const ParetoFrontier& frontier,
                                               const std::vector<double>& disagreement);

// The frontier points every party accepts: each utility at or above its `disagreement` value
// within the zone of agreement's tolerance (zopa.h), as the solutions count them.
std::vector<ParetoPoint> AcceptablePoints(const ParetoFrontier& frontier,
                                          const std::vector<double>& disagreement);

// Reservation values of the frontier's parties in the scenario (0 when none stated).
std::vector<double> ReservationValues(const model::Scenario& scenario,
                                      const std::vector<std::size_t>& parties);

}  // namespace parley::analysis
