// Seeded random scenarios for property tests and benchmarks: the one place that draws random
// preferences (parley::testing, a test-only library; tests and benchmarks link it, the library
// never does). Modules' own fixtures (session/testing/scenarios.h, strategies/testing/
// scenarios.h) build their random scenarios from MakeRandomParty.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "parley/model/red_line.h"
#include "parley/model/scenario.h"

namespace parley::testing {

// How one party's preferences are drawn. Per issue (in order): the weight (unless equal), then
// each option's value; then the reservation value (unless none is drawn); then the red lines.
struct RandomPartySpec {
  // Values (and weights) drawn on a grid of this many steps (small grids make ties likely);
  // 0 = continuous.
  int value_grid = 0;
  bool equal_weights = false;  // 1/n each, nothing drawn; otherwise 0.05 + draw, normalised to 1
  std::optional<double> reservation_max = 0.6;  // drawn from [0, max); nullopt: none
  double discount = 1.0;
  int red_lines = 0;  // random single- and cross-issue red lines (kind "require")
};

// An additive principal `id` (named `id`) on `issues`, drawing from `rng`.
model::Party MakeRandomParty(const std::vector<model::Issue>& issues, std::string id,
                             const RandomPartySpec& spec, std::mt19937_64& rng);

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

// A valid scenario of discrete issues i0, i1, ... (options o0, o1, ...) and principals p0, p1, ...
// with additive utilities (weights normalised to sum 1).
model::Scenario MakeRandomScenario(const RandomScenarioSpec& spec, std::uint64_t seed);

}  // namespace parley::testing
