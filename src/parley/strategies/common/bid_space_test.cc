#include "parley/strategies/common/bid_space.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <thread>

#include "parley/model/hyper_rectangle_utility.h"
#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using model::Outcome;

// Every outcome of a small space with its utility, by brute force.
std::vector<std::pair<double, Outcome>> Enumerate(const model::UtilityFunction& utility,
                                                  const model::OutcomeSpace& space) {
  std::vector<std::pair<double, Outcome>> all;
  Status status = space.ForEach(10'000'000, [&](const Outcome& outcome) {
    all.emplace_back(utility.Evaluate(outcome), outcome);
  });
  EXPECT_TRUE(status.ok());
  return all;
}

// The smallest utility >= target among `all` outcomes passing `keep`; nullopt when none.
template <typename Keep>
std::optional<double> ClosestAbove(const std::vector<std::pair<double, Outcome>>& all,
                                   double target, Keep keep) {
  std::optional<double> best;
  for (const auto& [utility, outcome] : all) {
    if (utility >= target && keep(outcome) && (!best || utility < *best)) best = utility;
  }
  return best;
}

model::RedLine Forbid(const std::string& text, const std::vector<model::Issue>& issues) {
  model::RedLine red_line;
  red_line.kind = model::RedLine::Kind::kForbid;
  red_line.text = text;
  Result<model::Expression> expression = model::ParseExpression(text, issues);
  EXPECT_TRUE(expression.ok()) << expression.status().ToString();
  red_line.expression = *expression;
  return red_line;
}

TEST(BidSpaceTest, SortedMethodFindsTheClosestOutcomeAboveTheTarget) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<model::Issue> issues = testing::DiscreteIssues(4, 2 + seed % 3);
    auto utility = testing::RandomAdditive(issues, rng);
    model::OutcomeSpace space = model::OutcomeSpace::FromIssues(issues);
    BidSpace bids(utility, space, {});
    ASSERT_EQ(bids.method(), BidSearchMethod::kSorted);
    auto all = Enumerate(*utility, space);
    const double max = std::max_element(all.begin(), all.end())->first;
    EXPECT_DOUBLE_EQ(bids.MaxUtility(), max);
    std::uniform_real_distribution<double> target(-0.1, 1.1);
    for (int query = 0; query < 200; ++query) {
      double wanted = target(rng);
      Outcome found = bids.Find(wanted, rng);
      double value = utility->Evaluate(found);
      std::optional<double> expected =
          ClosestAbove(all, wanted, [](const Outcome&) { return true; });
      if (expected) {
        EXPECT_GE(value, wanted);
        EXPECT_EQ(value, *expected) << "target " << wanted;
      } else {
        EXPECT_EQ(value, max) << "above the best utility: the best outcome";
      }
    }
  }
}

TEST(BidSpaceTest, AdditiveSearchStaysAboveTheTargetAndClose) {
  BidSpace::Options options;
  options.sorted_limit = 10;  // force the search on a space small enough to check by brute force
  double total_gap = 0;
  int queries = 0;
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<model::Issue> issues = testing::DiscreteIssues(7, 6);  // 280,000 outcomes
    auto utility = testing::RandomAdditive(issues, rng);
    model::OutcomeSpace space = model::OutcomeSpace::FromIssues(issues);
    BidSpace bids(utility, space, {}, options);
    ASSERT_EQ(bids.method(), BidSearchMethod::kAdditiveSearch);
    std::vector<double> sorted;
    for (const auto& [value, outcome] : Enumerate(*utility, space)) sorted.push_back(value);
    std::sort(sorted.begin(), sorted.end());
    EXPECT_DOUBLE_EQ(bids.MaxUtility(), sorted.back());
    EXPECT_DOUBLE_EQ(bids.MinUtility(), sorted.front());
    std::uniform_real_distribution<double> target(sorted.front(), sorted.back());
    for (int query = 0; query < 200; ++query) {
      double wanted = target(rng);
      double value = utility->Evaluate(bids.Find(wanted, rng));
      double expected = *std::lower_bound(sorted.begin(), sorted.end(), wanted);
      EXPECT_GE(value, wanted);
      EXPECT_LE(value - expected, 0.02) << "target " << wanted;
      total_gap += value - expected;
      ++queries;
    }
  }
  // Mid-range utility levels here lie about 1e-5 apart and the search nearly always finds the
  // closest; near the extremes, where levels are sparse, it can land a few levels higher.
  EXPECT_LT(total_gap / queries, 2e-4);
}

TEST(BidSpaceTest, NeverReturnsAnOutcomeItsRedLinesForbidWhenOneIsAllowed) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(5, 4);
  std::vector<model::RedLine> red_lines = {Forbid("i0 == o0", issues),
                                           Forbid("i1 in [o0, o1] and i2 != o3", issues)};
  // Sorted; additive search with the red-line issues merged; additive search sampling them.
  for (std::uint64_t combinations_limit :
       {std::uint64_t{0}, std::uint64_t{1000}, std::uint64_t{10}}) {
    const bool sorted = combinations_limit == 0;
    std::mt19937_64 rng(7);
    auto utility = testing::RandomAdditive(issues, rng);
    model::OutcomeSpace space = model::OutcomeSpace::FromIssues(issues);
    BidSpace::Options options;
    options.sorted_limit = sorted ? BidSpace::kDefaultSortedLimit : 10;
    options.red_line_combinations_limit = combinations_limit;
    BidSpace bids(utility, space, red_lines, options);
    EXPECT_EQ(bids.method(), sorted ? BidSearchMethod::kSorted : BidSearchMethod::kAdditiveSearch);
    EXPECT_TRUE(bids.red_lines_satisfiable());
    auto allowed = [&](const Outcome& outcome) {
      return std::all_of(red_lines.begin(), red_lines.end(),
                         [&](const model::RedLine& line) { return line.Allows(outcome); });
    };
    auto all = Enumerate(*utility, space);
    EXPECT_TRUE(allowed(bids.Best()));
    std::uniform_real_distribution<double> target(0.0, 1.0);
    for (int query = 0; query < 100; ++query) {
      double wanted = target(rng);
      Outcome found = bids.Find(wanted, rng);
      EXPECT_TRUE(allowed(found)) << "target " << wanted;
      std::optional<double> expected = ClosestAbove(all, wanted, allowed);
      if (expected) {
        EXPECT_GE(utility->Evaluate(found), wanted);
        if (sorted) {
          EXPECT_EQ(utility->Evaluate(found), *expected);
        }
      }
      EXPECT_TRUE(allowed(bids.Random(rng)));
      for (const Outcome& near : bids.FindMany(wanted, 0.05, 8, rng)) EXPECT_TRUE(allowed(near));
    }
  }
}

TEST(BidSpaceTest, IgnoresRedLinesThatNothingSatisfies) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(2, 2);
  std::vector<model::RedLine> red_lines = {Forbid("i0 == o0", issues), Forbid("i0 == o1", issues)};
  std::mt19937_64 rng(3);
  BidSpace bids(testing::RandomAdditive(issues, rng), model::OutcomeSpace::FromIssues(issues),
                red_lines);
  EXPECT_FALSE(bids.red_lines_satisfiable());
  EXPECT_EQ(bids.Find(0.0, rng).size(), 2u);
}

TEST(BidSpaceTest, KeepsFixedIssuesAndVariesOnlyOpenIssues) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(4, 5);
  for (std::uint64_t sorted_limit : {BidSpace::kDefaultSortedLimit, std::uint64_t{3}}) {
    std::mt19937_64 rng(11);
    auto utility = testing::RandomAdditive(issues, rng);
    BidSpace::Options options;
    options.sorted_limit = sorted_limit;
    BidSpace bids(utility, model::OutcomeSpace::FromIssues(issues), {}, options);
    const Outcome best = bids.Best();
    BidConstraints constraints;
    constraints.fixed_issues = {true, false, false, false};
    constraints.fixed_outcome = {3, 0, 0, 0};
    constraints.open_issues = {0, 1, 2};  // issue 3 is left for a later phase
    bids.SetConstraints(constraints);
    for (int query = 0; query < 100; ++query) {
      Outcome found = bids.Find(std::uniform_real_distribution<double>(0, 1)(rng), rng);
      EXPECT_EQ(found[0], 3u);
      EXPECT_EQ(found[3], best[3]) << "issues outside the phase stay at the party's best";
      EXPECT_TRUE(bids.KeepsConstraints(found));
      Outcome random = bids.Random(rng);
      EXPECT_EQ(random[0], 3u);
      EXPECT_EQ(random[3], best[3]);
    }
    // Going back to no constraints restores the whole space.
    bids.SetConstraints(BidConstraints());
    EXPECT_EQ(bids.Best(), best);
  }
}

TEST(BidSpaceTest, FindManyReturnsDistinctOutcomesInTheWindow) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(5, 5);
  for (std::uint64_t sorted_limit : {BidSpace::kDefaultSortedLimit, std::uint64_t{10}}) {
    std::mt19937_64 rng(5);
    auto utility = testing::RandomAdditive(issues, rng);
    BidSpace::Options options;
    options.sorted_limit = sorted_limit;
    BidSpace bids(utility, model::OutcomeSpace::FromIssues(issues), {}, options);
    for (double target : {0.3, 0.5, 0.7}) {
      std::vector<Outcome> near = bids.FindMany(target, 0.05, 10, rng);
      ASSERT_FALSE(near.empty());
      EXPECT_GT(near.size(), 1u) << "3125 outcomes leave many in a 0.05 window";
      EXPECT_LE(near.size(), 10u);
      if (sorted_limit == BidSpace::kDefaultSortedLimit) {
        EXPECT_EQ(near.front(), bids.Find(target, rng)) << "the closest comes first";
      }
      std::set<Outcome> distinct(near.begin(), near.end());
      EXPECT_EQ(distinct.size(), near.size());
      for (const Outcome& outcome : near) {
        EXPECT_GE(utility->Evaluate(outcome), target);
        EXPECT_LE(utility->Evaluate(outcome), target + 0.05);
      }
    }
  }
}

TEST(BidSpaceTest, FindBelowReturnsThePredecessorInTheSortedMethod) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(3, 4);
  std::mt19937_64 rng(9);
  auto utility = testing::RandomAdditive(issues, rng);
  model::OutcomeSpace space = model::OutcomeSpace::FromIssues(issues);
  BidSpace bids(utility, space, {});
  auto all = Enumerate(*utility, space);
  for (const auto& [value, outcome] : all) {
    std::optional<double> expected;
    for (const auto& [other, unused] : all) {
      if (other < value && (!expected || other > *expected)) expected = other;
    }
    std::optional<Outcome> below = bids.FindBelow(value, rng);
    ASSERT_EQ(below.has_value(), expected.has_value());
    if (below) {
      EXPECT_EQ(utility->Evaluate(*below), *expected);
    }
  }
  // Ranked outcomes run from best to worst.
  ASSERT_EQ(bids.NumRanked(), all.size());
  for (std::size_t rank = 1; rank < bids.NumRanked(); ++rank) {
    EXPECT_GE(bids.RankedUtility(rank - 1), bids.RankedUtility(rank));
    EXPECT_EQ(utility->Evaluate(bids.Ranked(rank)), bids.RankedUtility(rank));
  }
}

TEST(BidSpaceTest, WorksOnATenToTheThirtyOutcomeSpace) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(30, 10);
  std::mt19937_64 rng(30);
  auto utility = testing::RandomAdditive(issues, rng);
  model::OutcomeSpace space = model::OutcomeSpace::FromIssues(issues);
  ASSERT_FALSE(space.Count64().has_value());
  std::vector<model::RedLine> red_lines = {Forbid("i0 == o1 and i1 == o2", issues)};
  BidSpace bids(utility, space, red_lines);
  ASSERT_EQ(bids.method(), BidSearchMethod::kAdditiveSearch);
  double worst_gap = 0;
  std::vector<double> gaps;
  // Away from the extremes, where utility levels are crowded (near the best outcome the nearest
  // levels can be genuinely far apart).
  const double range = bids.MaxUtility() - bids.MinUtility();
  std::uniform_real_distribution<double> target(bids.MinUtility() + 0.1 * range,
                                                bids.MaxUtility() - 0.1 * range);
  for (int query = 0; query < 1000; ++query) {
    double wanted = target(rng);
    Outcome found = bids.Find(wanted, rng);
    double value = utility->Evaluate(found);
    EXPECT_GE(value, wanted);
    EXPECT_TRUE(red_lines[0].Allows(found));
    worst_gap = std::max(worst_gap, value - wanted);
    gaps.push_back(value - wanted);
  }
  std::sort(gaps.begin(), gaps.end());
  EXPECT_LT(gaps[gaps.size() / 2], 1e-5);
  // 10^30 outcomes crowd every utility level: the search lands within a hair of the target.
  EXPECT_LT(worst_gap, 1e-3);
  std::optional<Outcome> below = bids.FindBelow(0.5, rng);
  ASSERT_TRUE(below.has_value());
  EXPECT_LT(utility->Evaluate(*below), 0.5);
  EXPECT_GE(utility->Evaluate(*below), 0.5 - 1e-3 * (bids.MaxUtility() - bids.MinUtility()));
}

TEST(BidSpaceTest, LocalSearchForNonAdditiveUtilities) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(6, 6);
  std::vector<model::RectangleSet> sets(1);
  std::mt19937_64 rng(4);
  std::uniform_int_distribution<int> position(0, 5);
  std::uniform_real_distribution<double> worth(1.0, 10.0);
  for (int rectangle_idx = 0; rectangle_idx < 40; ++rectangle_idx) {
    model::HyperRectangle rectangle;
    for (std::size_t issue_idx = 0; issue_idx < 3; ++issue_idx) {
      int low = position(rng);
      int high = std::min(5, low + 2);
      rectangle.includes.push_back({(issue_idx + rectangle_idx) % 6, double(low), double(high)});
    }
    rectangle.utility = worth(rng);
    sets[0].rectangles.push_back(rectangle);
  }
  auto utility = std::make_shared<model::HyperRectangleUtility>(issues, sets, 60.0);
  model::OutcomeSpace space = model::OutcomeSpace::FromIssues(issues);
  BidSpace::Options options;
  options.sorted_limit = 100;
  BidSpace bids(utility, space, {}, options);
  ASSERT_EQ(bids.method(), BidSearchMethod::kLocalSearch);
  auto all = Enumerate(*utility, space);
  const double max = std::max_element(all.begin(), all.end())->first;
  EXPECT_LE(bids.MaxUtility(), max);
  EXPECT_GT(bids.MaxUtility(), 0.0);
  for (double fraction : {0.2, 0.5, 0.8, 1.0}) {
    double wanted = fraction * bids.MaxUtility();
    Outcome found = bids.Find(wanted, rng);
    EXPECT_GE(utility->Evaluate(found), wanted);
  }
}

TEST(BidSpaceTest, APartyWithoutPreferencesStillGetsOutcomes) {
  std::vector<model::Issue> issues = testing::DiscreteIssues(3, 3);
  BidSpace bids(nullptr, model::OutcomeSpace::FromIssues(issues), {});
  std::mt19937_64 rng(1);
  EXPECT_FALSE(bids.has_utility());
  EXPECT_EQ(bids.Find(0.5, rng).size(), 3u);
  EXPECT_EQ(bids.Utility(bids.Random(rng)), 0.0);
}

// Built subspaces are shared process-wide by utility function identity: a function freed and
// another allocated (often at the same address) must never get the first one's subspace.
TEST(BidSpaceTest, SharedSubspacesNeverOutliveTheirUtilityFunction) {
  const std::vector<model::Issue> issues = testing::DiscreteIssues(4, 6);
  const model::OutcomeSpace space = model::OutcomeSpace::FromIssues(issues);
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    std::mt19937_64 rng(seed);
    std::shared_ptr<const model::UtilityFunction> utility = testing::RandomAdditive(issues, rng);
    BidSpace bids(utility, space, {});
    std::vector<std::pair<double, Outcome>> all = Enumerate(*utility, space);
    double max = -1;
    for (const auto& entry : all) max = std::max(max, entry.first);
    ASSERT_DOUBLE_EQ(bids.MaxUtility(), max) << "seed " << seed;
    ASSERT_DOUBLE_EQ(utility->Evaluate(bids.Best()), max) << "seed " << seed;
  }
}

// Two bid spaces on one function (two sessions on one scenario) share the built subspace and so
// answer identically, also when built concurrently; different red lines or constraints do not
// share.
TEST(BidSpaceTest, SharedSubspacesAnswerAsPrivateOnesDoAcrossThreads) {
  const std::vector<model::Issue> issues = testing::DiscreteIssues(5, 7);
  const model::OutcomeSpace space = model::OutcomeSpace::FromIssues(issues);
  std::mt19937_64 rng(3);
  std::shared_ptr<const model::UtilityFunction> utility = testing::RandomAdditive(issues, rng);
  const std::vector<model::RedLine> red_lines = {Forbid("i0 == o6", issues)};
  std::vector<std::vector<Outcome>> found(4);
  std::vector<std::thread> threads;
  for (std::size_t thread_idx = 0; thread_idx < found.size(); ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      BidSpace bids(utility, space, red_lines);
      std::mt19937_64 query_rng(9);
      for (double target = 0.05; target < 1; target += 0.05) {
        found[thread_idx].push_back(bids.Find(target, query_rng));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t thread_idx = 1; thread_idx < found.size(); ++thread_idx) {
    EXPECT_EQ(found[thread_idx], found[0]);
  }
  // The same function without the red line: the best outcome may now use o6 on i0.
  std::vector<std::pair<double, Outcome>> all = Enumerate(*utility, space);
  double max = -1;
  double max_allowed = -1;
  for (const auto& [value, outcome] : all) {
    max = std::max(max, value);
    if (outcome[0] != 6) max_allowed = std::max(max_allowed, value);
  }
  EXPECT_DOUBLE_EQ(BidSpace(utility, space, red_lines).MaxUtility(), max_allowed);
  EXPECT_DOUBLE_EQ(BidSpace(utility, space, {}).MaxUtility(), max);
  BidConstraints constraints;
  constraints.fixed_issues = {true, false, false, false, false};
  constraints.fixed_outcome = {6, 0, 0, 0, 0};
  BidSpace fixed(utility, space, {});
  fixed.SetConstraints(constraints);
  EXPECT_EQ(fixed.Best()[0], 6u);
}

}  // namespace
}  // namespace parley::strategies
