#include "parley/tournament/statistics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace parley::tournament {
namespace {

using ::testing::HasSubstr;

TEST(StatisticsTest, StudentTQuantilesMatchTables) {
  // Two-sided 95% and one-sided 95% critical values from printed t tables.
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.7062, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 2), 4.3027, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 5), 2.5706, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 10), 2.2281, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.0423, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 1e6), 1.9600, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.95, 4), 2.1318, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.995, 20), 2.8453, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.025, 5), -2.5706, 1e-4);
  EXPECT_EQ(StudentTQuantile(0.5, 3), 0.0);
}

TEST(StatisticsTest, StudentTQuantilesMatchClosedForms) {
  // One degree of freedom is the Cauchy distribution: tan(pi (p - 1/2)); two degrees of
  // freedom: (2p - 1) / sqrt(2 p (1 - p)).
  const double pi = std::acos(-1.0);
  for (double p : {0.001, 0.025, 0.1, 0.3, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9999}) {
    SCOPED_TRACE(p);
    double cauchy = std::tan(pi * (p - 0.5));
    EXPECT_NEAR(StudentTQuantile(p, 1), cauchy, 1e-12 * std::max(1.0, std::fabs(cauchy)));
    double two = (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    EXPECT_NEAR(StudentTQuantile(p, 2), two, 1e-12 * std::max(1.0, std::fabs(two)));
  }
}

SessionRecord Session(bool agreement, double welfare, std::optional<double> nash,
                      std::vector<std::pair<std::string, double>> parties,
                      std::string mediator = "") {
  SessionRecord record;
  record.agreement = agreement;
  record.welfare = welfare;
  record.distance_to_nash = nash;
  record.mediator = std::move(mediator);
  for (const auto& [strategy, utility] : parties) {
    record.parties.push_back(PartyRecord{"p", strategy, utility, utility - 0.1});
  }
  return record;
}

TEST(StatisticsTest, SummaryMatchesAHandComputation) {
  // a: utilities 0.2, 0.4 (self-play, one session) and 0.9; b: 0.6; c: 0.6 and 0.6.
  std::vector<SessionRecord> records = {
      Session(true, 0.6, 0.3, {{"a", 0.2}, {"a", 0.4}}, "m1"),
      Session(true, 1.5, std::nullopt, {{"a", 0.9}, {"b", 0.6}}, "m2"),
      Session(false, 1.2, 0.5, {{"c", 0.6}, {"c", 0.6}}, "m1"),
  };
  std::vector<StrategySummary> summary = Summarize(records, 0.95);
  ASSERT_EQ(summary.size(), 5u);
  // Ranked by mean utility: b and c tie at 0.6 (rank 1), a has 0.5 (rank 3).
  EXPECT_EQ(summary[0].strategy, "b");
  EXPECT_EQ(summary[0].rank, 1);
  EXPECT_EQ(summary[1].strategy, "c");
  EXPECT_EQ(summary[1].rank, 1);
  EXPECT_EQ(summary[2].strategy, "a");
  EXPECT_EQ(summary[2].rank, 3);

  const StrategySummary& a = summary[2];
  EXPECT_EQ(a.role, "principal");
  EXPECT_EQ(a.observations, 3u);
  EXPECT_NEAR(*a.mean_utility, 0.5, 1e-12);
  // Sample variance ((0.3^2 + 0.1^2 + 0.4^2) / 2) = 0.13; t(0.975, 2) = 4.302653.
  double half = 4.302653 * std::sqrt(0.13) / std::sqrt(3.0);
  EXPECT_NEAR(*a.utility_ci_low, 0.5 - half, 1e-5);
  EXPECT_NEAR(*a.utility_ci_high, 0.5 + half, 1e-5);
  EXPECT_NEAR(*a.mean_advantage, 0.4, 1e-12);
  EXPECT_NEAR(a.agreement_rate, 1.0, 1e-12);
  EXPECT_NEAR(a.mean_welfare, (0.6 + 0.6 + 1.5) / 3, 1e-12);
  EXPECT_NEAR(*a.mean_distance_to_nash, 0.3, 1e-12);  // only where defined

  const StrategySummary& b = summary[0];
  EXPECT_EQ(b.observations, 1u);
  EXPECT_FALSE(b.utility_ci_low.has_value());  // one observation: no interval
  EXPECT_FALSE(b.mean_distance_to_nash.has_value());

  const StrategySummary& c = summary[1];
  EXPECT_NEAR(*c.utility_ci_low, 0.6, 1e-12);  // no spread, no width
  EXPECT_NEAR(c.agreement_rate, 0.0, 1e-12);

  // Mediators: one observation per session, ranked by mean welfare (m2 1.5 > m1 0.9).
  EXPECT_EQ(summary[3].strategy, "m2");
  EXPECT_EQ(summary[3].role, "mediator");
  EXPECT_EQ(summary[3].rank, 1);
  EXPECT_EQ(summary[4].strategy, "m1");
  EXPECT_EQ(summary[4].observations, 2u);
  EXPECT_NEAR(summary[4].mean_welfare, 0.9, 1e-12);
  EXPECT_NEAR(summary[4].agreement_rate, 0.5, 1e-12);
  EXPECT_FALSE(summary[4].mean_utility.has_value());
}

TEST(StatisticsTest, MeansEqualUpToRoundingShareARank) {
  // Both strategies got 0.1, 0.2 and 0.3; summed in the other order (0.1 + 0.2 + 0.3 against
  // 0.3 + 0.2 + 0.1) the two means differ in the last bit, which must not rank them apart.
  std::vector<SessionRecord> records = {
      Session(true, 0.4, std::nullopt, {{"late", 0.1}, {"early", 0.3}}),
      Session(true, 0.4, std::nullopt, {{"late", 0.2}, {"early", 0.2}}),
      Session(true, 0.4, std::nullopt, {{"late", 0.3}, {"early", 0.1}}),
  };
  std::vector<StrategySummary> summary = Summarize(records, 0.95);
  ASSERT_EQ(summary.size(), 2u);
  ASSERT_NE(*summary[0].mean_utility, *summary[1].mean_utility) << "the test needs noise";
  EXPECT_EQ(summary[0].rank, 1);
  EXPECT_EQ(summary[1].rank, 1);
  EXPECT_EQ(summary[0].strategy, "early");  // tied ranks list by name
}

TEST(StatisticsTest, CsvAndTableShowEveryStrategy) {
  std::vector<SessionRecord> records = {
      Session(true, 1.0, 0.1, {{"time_based(e=0.5, min=0.6)", 0.5}, {"hardliner", 0.5}})};
  std::vector<StrategySummary> summary = Summarize(records);
  std::string csv = SummaryCsv(summary, 0.95);
  EXPECT_THAT(csv, HasSubstr("rank,strategy,role,observations,mean_utility,ci_low,ci_high"));
  EXPECT_THAT(csv, HasSubstr("1,\"time_based(e=0.5, min=0.6)\",principal,1,0.5,,,0.95,"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  std::string table = SummaryTable(summary, 0.95);
  EXPECT_THAT(table, HasSubstr("95% CI"));
  EXPECT_THAT(table, HasSubstr("hardliner"));
  EXPECT_THAT(table, HasSubstr("100.0%"));
}

}  // namespace
}  // namespace parley::tournament
