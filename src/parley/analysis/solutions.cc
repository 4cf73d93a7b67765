#include "parley/analysis/solutions.h"

#include <cmath>
#include <functional>
#include <limits>

namespace parley::analysis {
namespace {

constexpr double kTieTolerance = 1e-12;
// A reservation value is met within this, as in the zone of agreement (zopa.h).
constexpr double kReservationTolerance = 1e-12;

bool Acceptable(const ParetoPoint& point, const std::vector<double>& disagreement) {
  for (std::size_t party_idx = 0; party_idx < disagreement.size(); ++party_idx) {
    if (point.utilities[party_idx] < disagreement[party_idx] - kReservationTolerance) return false;
  }
  return true;
}

// Maximises `objective` over the acceptable points for which `eligible` holds.
SolutionPoint Maximise(const std::vector<const ParetoPoint*>& candidates,
                       const std::function<bool(const ParetoPoint&)>& eligible,
                       const std::function<double(const ParetoPoint&)>& objective,
                       const std::string& undefined_note) {
  SolutionPoint solution;
  double best = -std::numeric_limits<double>::infinity();
  for (const ParetoPoint* point : candidates) {
    if (!eligible(*point)) continue;
    best = std::max(best, objective(*point));
  }
  if (best == -std::numeric_limits<double>::infinity()) {
    solution.note = undefined_note;
    return solution;
  }
  solution.defined = true;
  solution.objective = best;
  double tolerance = kTieTolerance * std::max(1.0, std::fabs(best));
  for (const ParetoPoint* point : candidates) {
    if (eligible(*point) && objective(*point) >= best - tolerance) {
      solution.points.push_back(*point);
    }
  }
  return solution;
}

constexpr const char* kNoneAcceptable =
    "no outcome on the frontier gives every party at least its reservation value";

bool AnyPoint(const ParetoPoint&) { return true; }

bool GainsForEveryParty(const ParetoPoint& point, const std::vector<double>& disagreement) {
  for (std::size_t party_idx = 0; party_idx < disagreement.size(); ++party_idx) {
    if (point.utilities[party_idx] <= disagreement[party_idx]) return false;
  }
  return true;
}

// The product of the parties' gains over their reservation values.
double NashProduct(const ParetoPoint& point, const std::vector<double>& disagreement) {
  double product = 1.0;
  for (std::size_t party_idx = 0; party_idx < disagreement.size(); ++party_idx) {
    product *= point.utilities[party_idx] - disagreement[party_idx];
  }
  return product;
}

// The smallest share any party gets of the gain from its reservation value to its ideal.
double SmallestShareOfGain(const ParetoPoint& point, const std::vector<double>& disagreement,
                           const std::vector<double>& ideal) {
  double smallest = std::numeric_limits<double>::infinity();
  for (std::size_t party_idx = 0; party_idx < disagreement.size(); ++party_idx) {
    double span = ideal[party_idx] - disagreement[party_idx];
    // A party whose ideal equals its reservation gains nothing anywhere: fraction 1.
    double fraction =
        span > 0 ? (point.utilities[party_idx] - disagreement[party_idx]) / span : 1.0;
    smallest = std::min(smallest, fraction);
  }
  return smallest;
}

// The smallest gain of any party over its reservation value.
double SmallestGain(const ParetoPoint& point, const std::vector<double>& disagreement) {
  double smallest = std::numeric_limits<double>::infinity();
  for (std::size_t party_idx = 0; party_idx < disagreement.size(); ++party_idx) {
    smallest = std::min(smallest, point.utilities[party_idx] - disagreement[party_idx]);
  }
  return smallest;
}

double Welfare(const ParetoPoint& point) {
  double sum = 0;
  for (double utility : point.utilities) sum += utility;
  return sum;
}

// GENIUS's Kalai: smallest sum of pairwise differences; maximising its negation. Ties on that
// are then narrowed to the largest welfare.
SolutionPoint ComputeGeniusKalai(const std::vector<const ParetoPoint*>& acceptable,
                                 std::size_t num_parties) {
  SolutionPoint genius = Maximise(
      acceptable, AnyPoint,
      [num_parties](const ParetoPoint& point) {
        double spread = 0;
        for (std::size_t a = 0; a < num_parties; ++a) {
          for (std::size_t b = a + 1; b < num_parties; ++b) {
            spread += std::fabs(point.utilities[a] - point.utilities[b]);
          }
        }
        return -spread;
      },
      kNoneAcceptable);
  if (genius.defined && genius.points.size() > 1) {
    std::vector<const ParetoPoint*> tied;
    for (const ParetoPoint& point : genius.points) tied.push_back(&point);
    SolutionPoint narrowed = Maximise(tied, AnyPoint, Welfare, kNoneAcceptable);
    genius.points = narrowed.points;
  }
  return genius;
}

}  // namespace

std::vector<ParetoPoint> AcceptablePoints(const ParetoFrontier& frontier,
                                          const std::vector<double>& disagreement) {
  std::vector<ParetoPoint> acceptable;
  for (const ParetoPoint& point : frontier.points) {
    bool accepted = true;
    for (std::size_t position = 0; position < disagreement.size(); ++position) {
      if (point.utilities[position] < disagreement[position] - 1e-12) accepted = false;
    }
    if (accepted) acceptable.push_back(point);
  }
  return acceptable;
}

std::vector<double> ReservationValues(const model::Scenario& scenario,
                                      const std::vector<std::size_t>& parties) {
  std::vector<double> values;
  for (std::size_t party_idx : parties) {
    const model::Party& party = scenario.parties[party_idx];
    values.push_back(party.preferences ? party.preferences->ReservationOrZero() : 0.0);
  }
  return values;
}

BargainingSolutions ComputeBargainingSolutions(const ParetoFrontier& frontier,
                                               const std::vector<double>& disagreement) {
  BargainingSolutions solutions;
  solutions.disagreement = disagreement;
  const std::size_t num_parties = disagreement.size();
  std::vector<const ParetoPoint*> acceptable;
  for (const ParetoPoint& point : frontier.points) {
    if (Acceptable(point, disagreement)) acceptable.push_back(&point);
  }
  solutions.ideal.assign(num_parties, -std::numeric_limits<double>::infinity());
  for (const ParetoPoint* point : acceptable) {
    for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
      solutions.ideal[party_idx] =
          std::max(solutions.ideal[party_idx], point->utilities[party_idx]);
    }
  }
  const std::vector<double>& ideal = solutions.ideal;
  solutions.nash = Maximise(
      acceptable, [&](const ParetoPoint& point) { return GainsForEveryParty(point, disagreement); },
      [&](const ParetoPoint& point) { return NashProduct(point, disagreement); },
      "no outcome gives every party more than its reservation value");
  solutions.kalai_smorodinsky = Maximise(
      acceptable, AnyPoint,
      [&](const ParetoPoint& point) { return SmallestShareOfGain(point, disagreement, ideal); },
      kNoneAcceptable);
  solutions.egalitarian = Maximise(
      acceptable, AnyPoint,
      [&](const ParetoPoint& point) { return SmallestGain(point, disagreement); }, kNoneAcceptable);
  solutions.utilitarian = Maximise(acceptable, AnyPoint, Welfare, kNoneAcceptable);
  solutions.genius_kalai = ComputeGeniusKalai(acceptable, num_parties);
  return solutions;
}

}  // namespace parley::analysis
