#include "parley/strategies/time_based/time_based.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "parley/strategies/testing/scenarios.h"

namespace parley::strategies {
namespace {

using protocols::ActionType;

TEST(TimeBasedTest, BoulwareTargetFollowsTheFormula) {
  // e = 0.2: p(t) = Pmin + (Pmax - Pmin) * (1 - t^5).
  const double pmin = 0.3;
  const double pmax = 0.9;
  for (double t : {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0}) {
    const double expected = pmin + (pmax - pmin) * (1.0 - t * t * t * t * t);
    EXPECT_NEAR(TimeBasedTarget(t, 0.2, pmin, pmax), expected, 1e-12) << "t=" << t;
  }
  // Conceder (e = 2) concedes faster than linear, which concedes faster than Boulware.
  EXPECT_LT(TimeBasedTarget(0.5, 2.0, 0, 1), TimeBasedTarget(0.5, 1.0, 0, 1));
  EXPECT_LT(TimeBasedTarget(0.5, 1.0, 0, 1), TimeBasedTarget(0.5, 0.2, 0, 1));
  EXPECT_DOUBLE_EQ(TimeBasedTarget(0.5, 1.0, 0, 1), 0.5);
  // e <= 0 never concedes before the deadline.
  EXPECT_DOUBLE_EQ(TimeBasedTarget(0.99, 0.0, 0.2, 1), 1.0);
  EXPECT_DOUBLE_EQ(TimeBasedTarget(1.0, 0.0, 0.2, 1), 0.2);
}

class TimeBasedPartyTest : public ::testing::Test {
 protected:
  TimeBasedPartyTest() : fixture_(MakeScenario()) {}
  static model::Scenario MakeScenario() {
    model::Scenario scenario = testing::RandomScenario(testing::DiscreteIssues(4, 4), 2, 17);
    scenario.parties[0].preferences->reservation_value = 0.35;
    return scenario;
  }
  const model::UtilityFunction& utility() const {
    return *fixture_.scenario.parties[0].preferences->utility;
  }
  testing::Fixture fixture_;
};

TEST_F(TimeBasedPartyTest, OpensAtItsBestAndNeverOffersBelowPmin) {
  for (const char* spec : {"boulware", "linear", "conceder", "time_based(e=0.5)",
                           "frequency_boulware", "bayesian_boulware"}) {
    std::unique_ptr<Strategy> strategy = testing::MakeStrategy(spec);
    ASSERT_NE(strategy, nullptr) << spec;
    protocols::PartyView view = fixture_.View(0, 0.0);
    std::mt19937_64 rng(1);
    strategy->Initialize(view, rng);
    const std::vector<double> sorted = testing::SortedUtilities(utility(), fixture_.space);
    double previous = 2.0;
    for (int step = 0; step <= 20; ++step) {
      const double t = step / 20.0;
      testing::SetTime(view, t);
      // The opponent keeps offering its own favourite, so nothing is accepted.
      Action action = strategy->Act(view, testing::RespondRequest(model::Outcome{0, 0, 0, 0}, 1));
      if (action.type == ActionType::kAccept) continue;
      ASSERT_EQ(action.type, ActionType::kOffer) << spec;
      ASSERT_TRUE(action.outcome.has_value());
      const double value = utility().Evaluate(*action.outcome);
      EXPECT_GE(value, 0.35) << spec << " t=" << t;
      if (step == 0) {
        EXPECT_DOUBLE_EQ(value, sorted.back()) << spec << " opens at Pmax";
      }
      if (std::string(spec) == "boulware" || std::string(spec) == "linear") {
        // Without a model the offer is the closest outcome at or above the target.
        auto* time_based = dynamic_cast<TimeBasedStrategy*>(strategy.get());
        ASSERT_NE(time_based, nullptr);
        const double target = time_based->Target(t);
        EXPECT_EQ(value, *std::lower_bound(sorted.begin(), sorted.end(), target)) << t;
        EXPECT_LE(value, previous + 1e-12) << "concessions are monotone";
        previous = value;
      }
    }
  }
}

// In a phase with its own deadline (Request::stage_clock) the party concedes by the phase's
// clock: at the end of the phase it offers at Pmin although the session has just begun.
TEST_F(TimeBasedPartyTest, ConcedesByTheStageClockWhenTheRequestHasOne) {
  const std::vector<double> sorted = testing::SortedUtilities(utility(), fixture_.space);
  std::unique_ptr<Strategy> strategy = testing::MakeStrategy("linear");
  protocols::PartyView view = fixture_.View(0, 0.1);
  std::mt19937_64 rng(1);
  strategy->Initialize(view, rng);
  auto* linear = dynamic_cast<TimeBasedStrategy*>(strategy.get());
  protocols::Request request = testing::RespondRequest(model::Outcome{0, 0, 0, 0}, 1);
  Action session_paced = strategy->Act(view, request);
  ASSERT_EQ(session_paced.type, ActionType::kOffer);
  EXPECT_EQ(utility().Evaluate(*session_paced.outcome),
            *std::lower_bound(sorted.begin(), sorted.end(), linear->Target(0.1)));
  protocols::Clock stage;
  stage.round = 9;
  stage.max_rounds = 10;
  stage.relative_time = 0.9;
  request.stage_clock = stage;
  Action stage_paced = strategy->Act(view, request);
  ASSERT_EQ(stage_paced.type, ActionType::kOffer);
  EXPECT_EQ(utility().Evaluate(*stage_paced.outcome),
            *std::lower_bound(sorted.begin(), sorted.end(), linear->Target(0.9)));
  EXPECT_LT(linear->Target(0.9), linear->Target(0.1));
}

TEST_F(TimeBasedPartyTest, TargetUsesReservationAndBestByDefaultAndParametersWhenGiven) {
  const std::vector<double> sorted = testing::SortedUtilities(utility(), fixture_.space);
  TimeBasedConfig config;
  TimeBasedStrategy automatic(config);
  protocols::PartyView view = fixture_.View(0, 0.0);
  std::mt19937_64 rng(1);
  automatic.Initialize(view, rng);
  EXPECT_DOUBLE_EQ(automatic.Pmax(), sorted.back());
  EXPECT_DOUBLE_EQ(automatic.Pmin(), 0.35);
  config.min = 0.5;
  config.max = 0.8;
  TimeBasedStrategy given(config);
  given.Initialize(view, rng);
  EXPECT_DOUBLE_EQ(given.Target(0.0), 0.8);
  EXPECT_DOUBLE_EQ(given.Target(1.0), 0.5);
}

TEST_F(TimeBasedPartyTest, AcceptsByAcNext) {
  std::unique_ptr<Strategy> strategy = testing::MakeStrategy("linear");
  protocols::PartyView view = fixture_.View(0, 0.5);
  std::mt19937_64 rng(1);
  strategy->Initialize(view, rng);
  auto* linear = dynamic_cast<TimeBasedStrategy*>(strategy.get());
  const double target = linear->Target(0.5);
  // The best and worst outcomes for this party, found by brute force.
  model::Outcome best, worst;
  double best_value = -1, worst_value = 2;
  (void)fixture_.space.ForEach(1'000'000, [&](const model::Outcome& outcome) {
    double value = utility().Evaluate(outcome);
    if (value > best_value) best_value = value, best = outcome;
    if (value < worst_value) worst_value = value, worst = outcome;
  });
  ASSERT_GT(best_value, target);
  ASSERT_LT(worst_value, target);
  EXPECT_EQ(strategy->Act(view, testing::RespondRequest(best, 1)).type, ActionType::kAccept);
  Action counter = strategy->Act(view, testing::RespondRequest(worst, 1));
  EXPECT_EQ(counter.type, ActionType::kOffer);
  // In a vote (single text), the same rule.
  Action vote = strategy->Act(view, testing::VoteRequest(best, 1));
  EXPECT_EQ(vote.type, ActionType::kVote);
  EXPECT_TRUE(vote.accept.value_or(false));
  vote = strategy->Act(view, testing::VoteRequest(worst, 1));
  EXPECT_FALSE(vote.accept.value_or(true));
}

TEST(TimeBasedModelTest, PicksTheNearEqualOfferTheOpponentModelRatesBest) {
  // Issue 0 decides this party's utility; issue 1 is worth nothing to it. The opponent always
  // asks for option 2 on issue 1.
  model::Scenario scenario;
  scenario.issues = testing::DiscreteIssues(2, 3);
  scenario.parties.push_back(
      testing::Principal("me", testing::Additive({1.0, 0.0}, {{1.0, 0.5, 0.0}, {0, 0, 0}})));
  scenario.parties.push_back(
      testing::Principal("other", testing::Additive({0.5, 0.5}, {{0, 0, 1}, {0, 0, 1}})));
  testing::Fixture fixture(scenario);
  for (const char* spec : {"frequency_boulware", "bayesian_boulware", "boulware"}) {
    std::unique_ptr<Strategy> strategy = testing::MakeStrategy(spec);
    protocols::PartyView view = fixture.View(0, 0.0);
    std::mt19937_64 rng(3);
    strategy->Initialize(view, rng);
    for (int offer_idx = 0; offer_idx < 5; ++offer_idx) {
      view.Deliver(testing::Offer(1, {0, 1}, {2, 2}, 0.0));
    }
    Action action = strategy->Act(view, testing::RespondRequest(model::Outcome{2, 2}, 1));
    ASSERT_EQ(action.type, ActionType::kOffer);
    EXPECT_EQ((*action.outcome)[0], 0u) << spec << ": its best option on its own issue";
    if (std::string(spec) != "boulware") {
      EXPECT_EQ((*action.outcome)[1], 2u) << spec << ": the opponent's option where it is free";
    } else {
      EXPECT_EQ((*action.outcome)[1], 0u) << "without a model: the first of the ties";
    }
  }
}

TEST(TimeBasedRegistryTest, PresetsAndParameterErrors) {
  const auto& registry = StrategyRegistry::Global();
  for (const char* name : {"time_based", "boulware", "linear", "conceder", "frequency_boulware",
                           "bayesian_boulware"}) {
    ASSERT_NE(registry.Find(name), nullptr) << name;
  }
  auto e_default = [&](const char* name) {
    for (const protocols::ParameterSpec& spec : registry.Find(name)->parameters) {
      if (spec.name == "e") return spec.default_value;
    }
    return std::string();
  };
  EXPECT_EQ(e_default("boulware"), "0.2");
  EXPECT_EQ(e_default("linear"), "1");
  EXPECT_EQ(e_default("conceder"), "2");
  std::string error;
  EXPECT_EQ(testing::MakeStrategy("time_based(model=oracle)", &error), nullptr);
  EXPECT_NE(error.find("frequency"), std::string::npos) << error;
  EXPECT_EQ(testing::MakeStrategy("boulware(accept=sometimes)", &error), nullptr);
  EXPECT_NE(testing::MakeStrategy("boulware(accept=combi, accept_time=0.95)"), nullptr);
}

TEST(TimeBasedTest, AMinBelowTheReservationValueIsRaisedToItUnlessAllowed) {
  for (const auto& [spec, floor] : std::vector<std::pair<std::string, double>>{
           {"time_based(min=0.1)", 0.5},
           {"linear(min=0.2)", 0.5},
           {"time_based(min=0.7)", 0.7},
           {"time_based(min=0.1, below_reservation=true)", 0.1}}) {
    testing::Fixture fixture(testing::LineScenario(0.5));  // reservation value 0.5
    std::unique_ptr<Strategy> strategy = testing::MakeStrategy(spec);
    ASSERT_NE(strategy, nullptr) << spec;
    protocols::PartyView view = fixture.View(0, 1.0);  // at the deadline: the target is Pmin
    std::mt19937_64 rng(1);
    strategy->Initialize(view, rng);
    EXPECT_DOUBLE_EQ(dynamic_cast<TimeBasedStrategy&>(*strategy).Pmin(), floor) << spec;
    Action action = strategy->Act(view, testing::RespondRequest(model::Outcome{0}, 1));
    ASSERT_EQ(action.type, ActionType::kOffer) << spec;
    EXPECT_NEAR((*action.outcome)[0] / 100.0, floor, 1e-9) << spec;
  }
}

TEST(TimeBasedTest, EqualUtilityOffersGoToTheOpponentsFavouriteWhenAModelIsOn) {
  // Party 0 cares only about price; the colour is worth nothing to it, so every price level has
  // four outcomes of equal utility. The opponent keeps asking for colour c3.
  model::Scenario scenario;
  scenario.issues = {model::Issue::Integer("price", 0, 10),
                     model::Issue::Discrete("colour", {"c0", "c1", "c2", "c3"})};
  std::vector<double> price_mine, price_theirs;
  for (int option = 0; option <= 10; ++option) {
    price_mine.push_back(option / 10.0);
    price_theirs.push_back(1.0 - option / 10.0);
  }
  scenario.parties.push_back(
      testing::Principal("me", testing::Additive({1.0, 0.0}, {price_mine, {0.0, 0.0, 0.0, 0.0}})));
  scenario.parties.push_back(testing::Principal(
      "you", testing::Additive({0.5, 0.5}, {price_theirs, {0.0, 0.1, 0.2, 1.0}})));
  const model::UtilityFunction& theirs = *scenario.parties[1].preferences->utility;
  std::map<std::string, double> opponent_utility;
  for (const char* spec : {"linear(window=0)", "linear(model=frequency, window=0)"}) {
    testing::Fixture fixture(scenario);
    std::unique_ptr<Strategy> strategy = testing::MakeStrategy(spec);
    ASSERT_NE(strategy, nullptr) << spec;
    protocols::PartyView view = fixture.View(0, 0.0);
    std::mt19937_64 rng(1);
    strategy->Initialize(view, rng);
    Action action;
    // Targets fall between price levels (0.95, 0.85, ... 0.55), so the closest outcome lies above
    // the target and a zero window would hold it alone.
    for (int step = 0; step < 5; ++step) {
      testing::SetTime(view, step / 10.0 + 0.05);
      model::Outcome offer = {static_cast<model::OptionIndex>(step % 2), 3};
      view.Deliver(testing::Offer(1, {0, 1}, offer, step / 10.0));
      action = strategy->Act(view, testing::RespondRequest(offer, 1));
      ASSERT_EQ(action.type, ActionType::kOffer) << spec;
    }
    opponent_utility[spec] = theirs.Evaluate(*action.outcome);
    if (std::string(spec) == "linear(window=0)") {
      EXPECT_EQ((*action.outcome)[1], 0u) << "without a model: the lowest index among ties";
    } else {
      EXPECT_EQ((*action.outcome)[1], 3u) << "with a model: the opponent's favourite colour";
    }
  }
  // Same utility for the party, better for the opponent.
  EXPECT_GT(opponent_utility["linear(model=frequency, window=0)"],
            opponent_utility["linear(window=0)"]);
}

}  // namespace
}  // namespace parley::strategies
