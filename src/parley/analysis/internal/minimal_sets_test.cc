#include "parley/analysis/internal/minimal_sets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace parley::analysis::internal {
namespace {

using Set = std::vector<std::size_t>;

// Brute force: every subset (as a bitmask) of size 1..max_size that holds and has no proper
// subset that holds, in the order FindMinimalSets promises (size, then lexicographic).
std::vector<Set> BruteForce(std::size_t n, std::size_t max_size,
                            const std::function<bool(unsigned)>& holds) {
  std::vector<Set> minimal;
  for (unsigned mask = 1; mask < (1u << n); ++mask) {
    if (static_cast<std::size_t>(__builtin_popcount(mask)) > max_size || !holds(mask)) continue;
    bool smaller_holds = false;
    for (unsigned sub = (mask - 1) & mask; sub != 0; sub = (sub - 1) & mask) {
      if (holds(sub)) smaller_holds = true;
    }
    if (smaller_holds) continue;
    Set set;
    for (std::size_t item = 0; item < n; ++item) {
      if (mask & (1u << item)) set.push_back(item);
    }
    minimal.push_back(set);
  }
  std::sort(minimal.begin(), minimal.end(), [](const Set& a, const Set& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return minimal;
}

unsigned Mask(const Set& set) {
  unsigned mask = 0;
  for (std::size_t item : set) mask |= 1u << item;
  return mask;
}

// Monotone predicates ("holds once the set contains one of some random sets"), as relaxing red
// lines or deferring issues are, checked against brute force; supersets of a found set are never
// asked about.
TEST(MinimalSetsTest, MatchesBruteForceOnRandomMonotonePredicates) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 1 + rng() % 7;
    const std::size_t max_size = 1 + rng() % n;
    std::vector<unsigned> generators;
    for (int count = rng() % 4; count > 0; --count) {
      generators.push_back(static_cast<unsigned>(rng() % ((1u << n) - 1)) + 1);
    }
    auto holds = [&](unsigned mask) {
      return std::any_of(generators.begin(), generators.end(),
                         [&](unsigned generator) { return (mask & generator) == generator; });
    };
    std::vector<Set> asked;
    Result<std::vector<Set>> found =
        FindMinimalSets(n, max_size, [&](const Set& subset) -> Result<bool> {
          asked.push_back(subset);
          return holds(Mask(subset));
        });
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, BruteForce(n, max_size, holds)) << "trial " << trial;
    for (const Set& subset : asked) {
      for (const Set& minimal : *found) {
        if (minimal != subset) {
          EXPECT_FALSE(std::includes(subset.begin(), subset.end(), minimal.begin(), minimal.end()))
              << "asked about a superset of a minimal set, trial " << trial;
        }
      }
    }
  }
}

TEST(MinimalSetsTest, StopsAtTheFirstError) {
  int calls = 0;
  Result<std::vector<Set>> found = FindMinimalSets(4, 4, [&](const Set&) -> Result<bool> {
    if (++calls == 3) return Status(ErrorCode::kCancelled, "stop");
    return false;
  });
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), ErrorCode::kCancelled);
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace parley::analysis::internal
