// Seeded random scenarios for the analysis module's property tests and benchmarks.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "parley/model/red_line.h"
#include "parley/model/scenario.h"

namespace parley::analysis::internal {

struct RandomScenarioSpec {
  std::size_t num_parties = 2;
  std::size_t num_issues = 3;
  std::uint64_t min_options = 2;
  std::uint64_t max_options = 5;
  // Values drawn on a grid of this many steps (small grids make ties likely); 0 = continuous.
  int value_grid = 0;
  double reservation_max = 0.6;  // reservations drawn from [0, reservation_max]
  int red_lines_per_party = 0;   // random single- and cross-issue red lines
};

// Builds a valid scenario with additive utilities (weights normalised to sum 1).
model::Scenario MakeRandomScenario(const RandomScenarioSpec& spec, std::uint64_t seed);

}  // namespace parley::analysis::internal
