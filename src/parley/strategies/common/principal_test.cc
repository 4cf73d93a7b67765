#include "parley/strategies/common/principal.h"

#include <gtest/gtest.h>

#include <random>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

// Offers nothing interesting; exposes the received-offer bookkeeping.
class Probe : public PrincipalStrategy {
 public:
  using PrincipalStrategy::BestReceivedSince;
  using PrincipalStrategy::received;

 protected:
  model::Outcome NextOffer(const PartyView& view, const Request& request) override {
    (void)view;
    (void)request;
    return bids().Best();
  }
  bool AcceptsOffer(const PartyView& view, double offer_utility, double next_utility) override {
    (void)view;
    (void)offer_utility;
    (void)next_utility;
    return false;
  }
};

std::optional<double> BruteBestSince(const std::vector<PrincipalStrategy::ReceivedRecord>& offers,
                                     double time) {
  std::optional<double> best;
  for (const PrincipalStrategy::ReceivedRecord& offer : offers) {
    if (offer.time >= time && (!best || offer.utility > *best)) best = offer.utility;
  }
  return best;
}

TEST(PrincipalStrategyTest, BestReceivedSinceMatchesBruteForceForSlidingAndJumpingWindows) {
  testing::Fixture fixture(testing::RandomScenario(testing::DiscreteIssues(3, 5), 2, 11));
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<model::OptionIndex> option(0, 4);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Probe probe;
  protocols::PartyView view = fixture.View(0);
  std::mt19937_64 seed(1);
  probe.Initialize(view, seed);
  const int kRounds = 400;
  std::size_t expected_received = 0;
  model::Outcome previous;
  for (int round = 0; round < kRounds; ++round) {
    const double time = static_cast<double>(round) / kRounds;
    testing::SetTime(view, time, kRounds);
    model::Outcome offer = {option(rng), option(rng), option(rng)};
    // A standing offer repeated by the same sender is recorded once.
    expected_received += offer != previous;
    previous = offer;
    (void)probe.Act(view, testing::RespondRequest(offer, 1));
    // AC_combi's window [2t - 1, t] slides forward; every tenth query jumps back or ahead.
    double start = 2 * time - 1;
    if (round % 10 == 3) start = uniform(rng) * time;
    ASSERT_EQ(probe.BestReceivedSince(start), BruteBestSince(probe.received(), start))
        << "round " << round << " start " << start;
  }
  EXPECT_EQ(probe.received().size(), expected_received);
  EXPECT_EQ(probe.BestReceivedSince(2.0), std::nullopt);
}

}  // namespace
}  // namespace parley::strategies
