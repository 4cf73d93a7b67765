#include "parley/analysis/zopa.h"

#include <gtest/gtest.h>

#include "parley/testing/random_scenario.h"

namespace parley::analysis {
namespace {

std::vector<std::size_t> AllParties(const model::Scenario& scenario) {
  std::vector<std::size_t> parties(scenario.parties.size());
  for (std::size_t party_idx = 0; party_idx < parties.size(); ++party_idx)
    parties[party_idx] = party_idx;
  return parties;
}

// Brute force written independently: evaluate every outcome with Evaluate() and check each
// reservation and red line directly.
std::uint64_t BruteForceCount(const model::Scenario& scenario) {
  std::uint64_t count = 0;
  Status status = scenario.BuildOutcomeSpace().ForEach(10'000'000, [&](const model::Outcome& o) {
    for (const model::Party& party : scenario.parties) {
      if (party.preferences->utility->Evaluate(o) < *party.preferences->reservation_value - 1e-12) {
        return;
      }
      for (const model::RedLine& red_line : party.preferences->red_lines) {
        if (!red_line.Allows(o)) return;
      }
    }
    ++count;
  });
  EXPECT_TRUE(status.ok());
  return count;
}

TEST(ZopaTest, EveryExactMethodMatchesBruteForce) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    parley::testing::RandomScenarioSpec spec;
    spec.num_parties = 1 + seed % 3;
    spec.num_issues = 2 + seed % 4;
    spec.value_grid = seed % 2 ? 4 : 0;  // coarse grids put outcomes exactly on reservations
    spec.red_lines_per_party = static_cast<int>(seed % 3);
    model::Scenario scenario = parley::testing::MakeRandomScenario(spec, seed);
    std::vector<std::size_t> parties = AllParties(scenario);
    std::uint64_t expected = BruteForceCount(scenario);

    Result<Zopa> enumerated = ComputeZopa(scenario, parties);
    ASSERT_TRUE(enumerated.ok()) << enumerated.status().ToString();
    EXPECT_TRUE(enumerated->exact);
    EXPECT_EQ(enumerated->count, BigCount(expected)) << "seed " << seed;

    if (parties.size() <= 2) {
      ZopaOptions options;
      options.enumeration_limit = 0;  // force the meet-in-the-middle count
      Result<Zopa> split = ComputeZopa(scenario, parties, options);
      ASSERT_TRUE(split.ok()) << split.status().ToString();
      if (expected > 0) {
        EXPECT_EQ(split->method, ZopaMethod::kMeetInTheMiddle) << "seed " << seed;
      }
      EXPECT_EQ(split->count, BigCount(expected)) << "seed " << seed;
    }
  }
}

TEST(ZopaTest, SamplingIsLabelledAndItsIntervalHoldsTheTruth) {
  parley::testing::RandomScenarioSpec spec;
  spec.num_parties = 3;  // three parties: no exact count beyond enumeration
  spec.num_issues = 6;
  spec.min_options = 4;
  spec.max_options = 6;
  spec.reservation_max = 0.5;
  model::Scenario scenario = parley::testing::MakeRandomScenario(spec, 99);
  std::uint64_t expected = BruteForceCount(scenario);
  ZopaOptions options;
  options.enumeration_limit = 0;
  options.samples = 200'000;
  Result<Zopa> sampled = ComputeZopa(scenario, AllParties(scenario), options);
  ASSERT_TRUE(sampled.ok());
  if (expected == 0) {
    EXPECT_EQ(sampled->method, ZopaMethod::kFrontier);
    return;
  }
  EXPECT_EQ(sampled->method, ZopaMethod::kSampling);
  EXPECT_FALSE(sampled->exact);
  double truth = static_cast<double>(expected) / sampled->count.ToDouble() * sampled->fraction;
  truth = static_cast<double>(expected) / scenario.BuildOutcomeSpace().Count().ToDouble();
  EXPECT_LE(sampled->fraction_low, truth);
  EXPECT_GE(sampled->fraction_high, truth);
}

TEST(ZopaTest, HugeAdditiveSpaceIsCountedExactlyInTheMiddle) {
  // 16 issues x 5 options = 1.5e11 outcomes, two parties: split into halves of 5^8 = 390,625.
  // Every party values option k of every issue at k/4 with equal weights, so utility is the mean
  // option position / 4 for party 0 and its mirror for party 1. With reservations 0.5 the ZOPA is
  // the outcomes whose option positions sum to exactly 32 (both need sum >= 32 and <= 32).
  model::Scenario scenario;
  for (int issue_idx = 0; issue_idx < 16; ++issue_idx) {
    scenario.issues.push_back(
        model::Issue::Discrete("i" + std::to_string(issue_idx), {"a", "b", "c", "d", "e"}));
  }
  for (int party_idx = 0; party_idx < 2; ++party_idx) {
    model::Party party;
    party.id = "p" + std::to_string(party_idx);
    std::vector<model::ValueFunction> values(16);
    for (auto& value : values) {
      for (int option = 0; option < 5; ++option) {
        value.table.push_back(party_idx == 0 ? option / 4.0 : (4 - option) / 4.0);
      }
    }
    model::Preferences preferences;
    preferences.utility =
        std::make_shared<model::AdditiveUtility>(std::vector<double>(16, 1.0 / 16), values);
    preferences.reservation_value = 0.5;
    party.preferences = preferences;
    scenario.parties.push_back(party);
  }
  // Number of ways 16 digits in 0..4 sum to 32, by dynamic programming written here.
  std::vector<std::uint64_t> ways(65, 0);
  ways[0] = 1;
  for (int issue_idx = 0; issue_idx < 16; ++issue_idx) {
    std::vector<std::uint64_t> next(65, 0);
    for (int sum = 0; sum <= 64; ++sum) {
      for (int option = 0; option < 5 && sum + option <= 64; ++option)
        next[sum + option] += ways[sum];
    }
    ways = next;
  }
  Result<Zopa> zopa = ComputeZopa(scenario, {0, 1});
  ASSERT_TRUE(zopa.ok()) << zopa.status().ToString();
  EXPECT_EQ(zopa->method, ZopaMethod::kMeetInTheMiddle);
  EXPECT_TRUE(zopa->exact);
  EXPECT_EQ(zopa->count, BigCount(ways[32]));
}

// Three parties over 400 issues of 10 options: 10^400 outcomes, beyond what a double holds, so
// the zone is sampled; with no reservation every outcome is in it, and the estimated count must
// be the whole space, not 0 (it was, when the estimate went through a double: `parley analyze`
// printed a count of 0 with a fraction of 1 on a 1,000-issue scenario).
TEST(ZopaTest, SampledCountBeyondADoubleIsTheEstimateOfTheWholeSpace) {
  parley::testing::RandomScenarioSpec spec;
  spec.num_parties = 3;
  spec.num_issues = 400;
  spec.min_options = 10;
  spec.max_options = 10;
  spec.reservation_max = 0;
  model::Scenario scenario = parley::testing::MakeRandomScenario(spec, 5);
  // The same preferences for all, so that the frontier (tried first) is one point, found fast.
  for (model::Party& party : scenario.parties) {
    party.preferences = scenario.parties[0].preferences;
    party.preferences->reservation_value = 0.0;
  }
  ZopaOptions options;
  options.samples = 1'000;
  Result<Zopa> sampled = ComputeZopa(scenario, AllParties(scenario), options);
  ASSERT_TRUE(sampled.ok()) << sampled.status().ToString();
  if (sampled->method != ZopaMethod::kSampling) GTEST_SKIP() << "decided without sampling";
  EXPECT_DOUBLE_EQ(sampled->fraction, 1.0);
  EXPECT_EQ(sampled->count, scenario.BuildOutcomeSpace().Count());
  EXPECT_NEAR(sampled->count.Log10(), 400.0, 1e-9);
}

}  // namespace
}  // namespace parley::analysis
