// Deferrals against brute force: a partial text's value to a party is checked against every
// completion of the open issues, and the zones, minimality and completeness of the deferral sets
// against enumeration, on seeded random phased scenarios with single- and cross-issue red lines.
#include "parley/analysis/deferrals.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "parley/testing/random_scenario.h"

namespace parley::analysis {
namespace {

constexpr double kTolerance = 1e-12;

// Two phases: the first `first_phase` issues, then the rest.
model::Scenario Phased(model::Scenario scenario, std::size_t first_phase) {
  model::Phase one{"one", "Phase one", "", {}};
  model::Phase two{"two", "Phase two", "", {}};
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    (issue_idx < first_phase ? one : two).issue_indices.push_back(issue_idx);
    scenario.issues[issue_idx].phase = issue_idx < first_phase ? "one" : "two";
  }
  scenario.phases = {one, two};
  return scenario;
}

// Every combination of the options of `issues`, written into a full-size outcome.
template <typename Visit>
void ForEachAssignment(const model::Scenario& scenario, const std::vector<std::size_t>& issues,
                       model::Outcome outcome, Visit visit) {
  for (std::size_t issue_idx : issues) outcome[issue_idx] = 0;
  while (true) {
    visit(outcome);
    std::size_t position = issues.size();
    while (position > 0) {
      std::size_t issue_idx = issues[position - 1];
      if (++outcome[issue_idx] < scenario.issues[issue_idx].NumOptions()) break;
      outcome[issue_idx] = 0;
      --position;
    }
    if (position == 0) return;
  }
}

// The best utility of `party_idx` over completions its red lines allow (-inf when none).
double BestCompletion(const model::Scenario& scenario, std::size_t party_idx,
                      const model::Outcome& partial, const std::vector<std::size_t>& open) {
  const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
  double best = -std::numeric_limits<double>::infinity();
  ForEachAssignment(scenario, open, partial, [&](const model::Outcome& full) {
    if (preferences.AllowedByRedLines(full)) {
      best = std::max(best, preferences.utility->Evaluate(full));
    }
  });
  return best;
}

std::vector<std::size_t> Complement(const model::Scenario& scenario,
                                    const std::vector<std::size_t>& settled) {
  std::vector<std::size_t> open;
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    if (std::find(settled.begin(), settled.end(), issue_idx) == settled.end()) {
      open.push_back(issue_idx);
    }
  }
  return open;
}

// Partial texts on `settled` every party accepts counting on its best completion.
std::uint64_t BruteForceZone(const model::Scenario& scenario,
                             const std::vector<std::size_t>& settled) {
  const std::vector<std::size_t> open = Complement(scenario, settled);
  std::uint64_t count = 0;
  ForEachAssignment(
      scenario, settled, model::Outcome(scenario.issues.size(), 0),
      [&](const model::Outcome& partial) {
        for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
          double reservation = scenario.parties[party_idx].preferences->ReservationOrZero();
          if (BestCompletion(scenario, party_idx, partial, open) < reservation - kTolerance) {
            return;
          }
        }
        ++count;
      });
  return count;
}

model::Scenario RandomPhased(std::uint64_t seed) {
  parley::testing::RandomScenarioSpec spec;
  spec.num_parties = 2 + seed % 2;
  spec.num_issues = 4 + seed % 2;
  spec.max_options = 4;
  spec.red_lines_per_party = 1 + static_cast<int>(seed % 5);
  spec.reservation_max = 0.9;
  return Phased(parley::testing::MakeRandomScenario(spec, seed), 2 + seed % 2);
}

std::vector<std::size_t> AllParties(const model::Scenario& scenario) {
  std::vector<std::size_t> parties(scenario.parties.size());
  for (std::size_t party_idx = 0; party_idx < parties.size(); ++party_idx) {
    parties[party_idx] = party_idx;
  }
  return parties;
}

TEST(PartialTextScenarioTest, EachPartyValuesAPartialTextByItsBestCompletion) {
  int tied_by_two = 0;       // completions depending on two settled issues (a table over pairs)
  int forbidden_by_red = 0;  // settled options no completion can satisfy
  for (std::uint64_t seed = 1; seed <= 80; ++seed) {
    model::Scenario scenario = RandomPhased(seed);
    const std::vector<std::size_t> settled = scenario.phases[0].issue_indices;
    const std::vector<std::size_t> open = Complement(scenario, settled);
    Result<model::Scenario> reduced = PartialTextScenario(scenario, AllParties(scenario), settled);
    ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
    ASSERT_EQ(reduced->issues.size(), settled.size());
    for (const model::Party& party : reduced->parties) {
      tied_by_two += party.preferences->utility->Kind() == "best_completion";
      for (const model::RedLine& red_line : party.preferences->red_lines) {
        forbidden_by_red += red_line.description.find("no completion") != std::string::npos;
      }
    }
    ForEachAssignment(
        scenario, settled, model::Outcome(scenario.issues.size(), 0),
        [&](const model::Outcome& partial) {
          model::Outcome text;
          for (std::size_t issue_idx : settled) text.push_back(partial[issue_idx]);
          for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
            const model::Preferences& preferences = *reduced->parties[party_idx].preferences;
            double best = BestCompletion(scenario, party_idx, partial, open);
            const bool feasible = best > -std::numeric_limits<double>::infinity();
            EXPECT_EQ(preferences.AllowedByRedLines(text) &&
                          preferences.ReservationOrZero() < std::numeric_limits<double>::infinity(),
                      feasible)
                << "seed " << seed;
            if (feasible) {
              EXPECT_NEAR(preferences.utility->Evaluate(text), best, 1e-12) << "seed " << seed;
            }
          }
        });
  }
  // The seeds reach every case of the construction.
  EXPECT_GT(tied_by_two, 0);
  EXPECT_GT(forbidden_by_red, 0);
}

TEST(DeferralsTest, ZonesAreExactAndDeferralSetsMinimalAndComplete) {
  int planned = 0;
  int deferred = 0;
  for (std::uint64_t seed = 1; seed <= 120; ++seed) {
    model::Scenario scenario = RandomPhased(seed);
    Result<DeferralReport> report = ComputeDeferrals(scenario, AllParties(scenario));
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_TRUE(report->phased);
    EXPECT_TRUE(report->note.empty()) << report->note;
    const std::vector<std::size_t> phase_one = scenario.phases[0].issue_indices;
    const bool planned_opens = BruteForceZone(scenario, phase_one) > 0;
    for (const Deferral& deferral : report->deferrals) {
      EXPECT_EQ(deferral.phase_idx, 0u);
      EXPECT_EQ(deferral.opened.count, BigCount(BruteForceZone(scenario, deferral.settled)))
          << "seed " << seed;
      EXPECT_GT(deferral.opened.count, BigCount(0));
      EXPECT_EQ(deferral.settled.size() + deferral.deferred.size(), phase_one.size());
      EXPECT_EQ(deferral.open, Complement(scenario, deferral.settled));
    }
    if (planned_opens) {
      ++planned;
      ASSERT_EQ(report->deferrals.size(), 1u) << "seed " << seed;
      EXPECT_TRUE(report->deferrals[0].deferred.empty());
      continue;
    }
    // Every non-empty proper subset of phase one's issues, by brute force.
    const std::size_t n = phase_one.size();
    std::vector<std::vector<std::size_t>> opening;
    for (std::uint32_t mask = 1; mask + 1 < (1u << n); ++mask) {
      std::vector<std::size_t> defer;
      std::vector<std::size_t> settle;
      for (std::size_t bit = 0; bit < n; ++bit) {
        ((mask >> bit) & 1 ? defer : settle).push_back(phase_one[bit]);
      }
      if (BruteForceZone(scenario, settle) > 0) opening.push_back(defer);
    }
    std::vector<std::vector<std::size_t>> minimal;
    for (const auto& set : opening) {
      bool has_smaller = std::any_of(opening.begin(), opening.end(), [&](const auto& other) {
        return other.size() < set.size() &&
               std::includes(set.begin(), set.end(), other.begin(), other.end());
      });
      if (!has_smaller) minimal.push_back(set);
    }
    std::vector<std::vector<std::size_t>> reported;
    for (const Deferral& deferral : report->deferrals) reported.push_back(deferral.deferred);
    std::sort(minimal.begin(), minimal.end());
    std::sort(reported.begin(), reported.end());
    EXPECT_EQ(reported, minimal) << "seed " << seed;
    deferred += minimal.empty() ? 0 : 1;
  }
  // The seeds exercise both answers.
  EXPECT_GT(planned, 5);
  EXPECT_GT(deferred, 5);
}

TEST(DeferralsTest, AScenarioWithoutPhasesHasNone) {
  parley::testing::RandomScenarioSpec spec;
  model::Scenario scenario = parley::testing::MakeRandomScenario(spec, 3);
  Result<DeferralReport> report = ComputeDeferrals(scenario, AllParties(scenario));
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->phased);
  EXPECT_TRUE(report->deferrals.empty());
}

}  // namespace
}  // namespace parley::analysis
