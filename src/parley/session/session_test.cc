#include "parley/session/session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stop_token>

#include "parley/model/utility.h"
#include "parley/model/validate.h"
#include "parley/session/testing/scenarios.h"
#include "parley/session/trace_json.h"
#include "parley/strategies/strategy.h"

namespace parley::session {
namespace {

using protocols::Action;
using protocols::ActionType;
using protocols::PartyView;
using protocols::Request;
using testing::HandScenario;
using testing::RandomScenario;

// ---------------------------------------------------------------- test-only strategies

bool Allowed(const Request& request, ActionType type) {
  return std::find(request.allowed.begin(), request.allowed.end(), type) != request.allowed.end();
}

double Utility(const PartyView& view, const model::Outcome& outcome) {
  return view.preferences()->utility->Evaluate(outcome);
}

// Every outcome of the (small) test space, best first for this party.
std::vector<model::Outcome> RankedOutcomes(const PartyView& view) {
  std::vector<model::Outcome> outcomes;
  Status status = view.space().ForEach(
      100'000, [&](const model::Outcome& outcome) { outcomes.push_back(outcome); });
  PARLEY_CHECK(status.ok());
  std::stable_sort(outcomes.begin(), outcomes.end(), [&](const auto& a, const auto& b) {
    return Utility(view, a) > Utility(view, b);
  });
  return outcomes;
}

Action Offer(const model::Outcome& outcome) {
  Action action;
  action.type = ActionType::kOffer;
  action.outcome = outcome;
  return action;
}

Action Simple(ActionType type) {
  Action action;
  action.type = type;
  return action;
}

// Offers its best outcome and never accepts.
class Stubborn : public strategies::Strategy {
 public:
  void Initialize(const PartyView& view, std::mt19937_64&) override {
    best_ = RankedOutcomes(view).front();
  }
  Action Act(const PartyView&, const Request&) override { return Offer(best_); }

 private:
  model::Outcome best_;
};

// Accepts any standing offer; opens with its best outcome.
class AcceptAll : public strategies::Strategy {
 public:
  void Initialize(const PartyView& view, std::mt19937_64&) override {
    best_ = RankedOutcomes(view).front();
  }
  Action Act(const PartyView&, const Request& request) override {
    return Allowed(request, ActionType::kAccept) ? Simple(ActionType::kAccept) : Offer(best_);
  }

 private:
  model::Outcome best_;
};

// Concedes linearly in time from its best utility to max(reservation, floor): offers the outcome
// closest above the target, accepts a standing offer worth at least the target.
class Concede : public strategies::Strategy {
 public:
  explicit Concede(double floor) : floor_(floor) {}
  void Initialize(const PartyView& view, std::mt19937_64&) override {
    ranked_ = RankedOutcomes(view);
  }
  Action Act(const PartyView& view, const Request& request) override {
    double best = Utility(view, ranked_.front());
    double floor = std::max(floor_, view.preferences()->ReservationOrZero());
    double target = best - (best - floor) * view.clock().relative_time;
    if (request.standing_offer && Allowed(request, ActionType::kAccept) &&
        Utility(view, *request.standing_offer) >= target) {
      return Simple(ActionType::kAccept);
    }
    const model::Outcome* choice = &ranked_.front();
    for (const model::Outcome& outcome : ranked_) {
      if (Utility(view, outcome) < target) break;
      choice = &outcome;
    }
    return Offer(*choice);
  }

 private:
  double floor_;
  std::vector<model::Outcome> ranked_;
};

// Random offers from its own rng; accepts with probability 1/20.
class RandomWalker : public strategies::Strategy {
 public:
  void Initialize(const PartyView&, std::mt19937_64& rng) override { rng_ = &rng; }
  Action Act(const PartyView& view, const Request& request) override {
    if (Allowed(request, ActionType::kAccept) && (*rng_)() % 20 == 0) {
      return Simple(ActionType::kAccept);
    }
    model::Outcome outcome;
    for (std::size_t issue_idx = 0; issue_idx < view.space().NumIssues(); ++issue_idx) {
      outcome.push_back(
          static_cast<model::OptionIndex>((*rng_)() % view.space().Cardinality(issue_idx)));
    }
    return Offer(outcome);
  }

 private:
  std::mt19937_64* rng_ = nullptr;
};

// Breaks the rules in the way `kind` says: 0 an action the request does not allow, 1 an outcome
// outside the space, 2 an offer without an outcome, 3 addressing a party it may not address.
class Illegal : public strategies::Strategy {
 public:
  explicit Illegal(int kind) : kind_(kind) {}
  Action Act(const PartyView& view, const Request&) override {
    switch (kind_) {
      case 0:
        return Simple(ActionType::kConfide);
      case 1: {
        model::Outcome outside(view.space().NumIssues(), 0);
        outside[0] = static_cast<model::OptionIndex>(view.space().Cardinality(0));
        return Offer(outside);
      }
      case 2:
        return Simple(ActionType::kOffer);
      default: {
        Action action = Offer(model::Outcome(view.space().NumIssues(), 0));
        action.recipients = {view.self()};
        return action;
      }
    }
  }

 private:
  int kind_;
};

class WalkAway : public strategies::Strategy {
 public:
  Action Act(const PartyView&, const Request&) override {
    return Simple(ActionType::kEndNegotiation);
  }
};

class Idle : public strategies::Strategy {
 public:
  Action Act(const PartyView&, const Request&) override { return Simple(ActionType::kPass); }
};

template <typename T>
strategies::StrategyDescriptor Describe(std::string name, std::vector<model::Role> roles = {
                                                              model::Role::kPrincipal}) {
  strategies::StrategyDescriptor descriptor;
  descriptor.name = std::move(name);
  descriptor.summary = "test only";
  descriptor.roles = std::move(roles);
  descriptor.create = [](const protocols::Parameters&) { return std::make_unique<T>(); };
  return descriptor;
}

strategies::StrategyDescriptor DescribeConcede() {
  strategies::StrategyDescriptor descriptor;
  descriptor.name = "session_test_concede";
  descriptor.summary = "test only: linear concession";
  descriptor.parameters = {{"floor", protocols::ParameterType::kDouble, "0", "lowest target"}};
  descriptor.create = [](const protocols::Parameters& parameters) {
    return std::make_unique<Concede>(parameters.GetDouble("floor"));
  };
  return descriptor;
}

strategies::StrategyDescriptor DescribeIllegal() {
  strategies::StrategyDescriptor descriptor;
  descriptor.name = "session_test_illegal";
  descriptor.summary = "test only: breaks the rules";
  descriptor.parameters = {{"kind", protocols::ParameterType::kInt, "0", "which rule"}};
  descriptor.roles = {model::Role::kPrincipal, model::Role::kMediator};
  descriptor.create = [](const protocols::Parameters& parameters) {
    return std::make_unique<Illegal>(static_cast<int>(parameters.GetInt("kind")));
  };
  return descriptor;
}

PARLEY_REGISTER_STRATEGY(Describe<Stubborn>("session_test_stubborn"));
PARLEY_REGISTER_STRATEGY(Describe<AcceptAll>("session_test_accept"));
PARLEY_REGISTER_STRATEGY(Describe<RandomWalker>("session_test_random"));
PARLEY_REGISTER_STRATEGY(Describe<WalkAway>("session_test_walk_away"));
PARLEY_REGISTER_STRATEGY(Describe<Idle>("session_test_idle_mediator", {model::Role::kMediator}));
PARLEY_REGISTER_STRATEGY(DescribeConcede());
PARLEY_REGISTER_STRATEGY(DescribeIllegal());

SessionConfig Config(std::vector<std::string> principal_specs, int rounds = 20,
                     std::uint64_t seed = 1) {
  SessionConfig config;
  config.protocol = "alternating_offers";
  for (std::size_t party_idx = 0; party_idx < principal_specs.size(); ++party_idx) {
    config.strategies[party_idx] = principal_specs[party_idx];
  }
  config.rounds = rounds;
  config.seed = seed;
  return config;
}

Trace RunOk(const model::Scenario& scenario, const SessionConfig& config) {
  Result<Trace> trace = RunSession(scenario, config);
  EXPECT_TRUE(trace.ok()) << trace.status().ToString();
  if (!trace.ok()) return Trace();
  return std::move(trace).value();
}

std::string Bytes(const model::Scenario& scenario, Trace trace) {
  trace.result.elapsed_ms = 0;
  return WriteTraceJson(scenario, trace);
}

// ---------------------------------------------------------------- tests

TEST(SessionTest, ImmediateAcceptanceAgreesOnTheOpeningOffer) {
  model::Scenario scenario = HandScenario();
  // p1 opens with its best outcome (a1, b0); p0 accepts anything.
  SessionConfig config = Config({"session_test_accept", "session_test_stubborn"});
  config.protocol = "alternating_offers(first=1)";
  Trace trace = RunOk(scenario, config);
  const SessionResult& result = trace.result;
  ASSERT_TRUE(result.agreement);
  EXPECT_EQ(*result.outcome, (model::Outcome{1, 0}));
  EXPECT_EQ(result.end_reason, "agreement");
  EXPECT_EQ(result.rounds, 1);
  EXPECT_EQ(result.agreeing_parties, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(result.scored_parties, (std::vector<std::size_t>{0, 1}));
  EXPECT_DOUBLE_EQ(result.utilities[0], 0.5);
  EXPECT_DOUBLE_EQ(result.utilities[1], 1.0);
  EXPECT_DOUBLE_EQ(result.welfare, 1.5);
  EXPECT_FALSE(result.blocked_by.has_value());
  ASSERT_EQ(trace.events.size(), 2u);
  EXPECT_EQ(trace.events[0].message.type, ActionType::kOffer);
  EXPECT_EQ(trace.events[0].message.sender, 1u);
  EXPECT_EQ(trace.events[1].message.type, ActionType::kAccept);
  // Analyst utilities of the offer: (.5, 1) as worked out above.
  EXPECT_EQ(trace.events[0].utilities, (std::vector<double>{0.5, 1.0}));
  EXPECT_EQ(trace.protocol, "alternating_offers(first=1)");
  EXPECT_EQ(trace.strategies.at(0), "session_test_accept");
  EXPECT_EQ(trace.strategies.at(1), "session_test_stubborn");
}

TEST(SessionTest, DistancesAreMeasuredAgainstTheFrontierAndSolutions) {
  model::Scenario scenario = HandScenario();
  SessionConfig config = Config({"session_test_accept", "session_test_stubborn"});
  config.protocol = "alternating_offers(first=1)";
  Trace trace = RunOk(scenario, config);
  // (.5, 1) is on the frontier; Nash and KS are (1, .5), at distance sqrt(.5).
  ASSERT_TRUE(trace.result.distance_to_pareto.has_value());
  EXPECT_NEAR(*trace.result.distance_to_pareto, 0.0, 1e-12);
  ASSERT_TRUE(trace.result.distance_to_nash.has_value());
  EXPECT_NEAR(*trace.result.distance_to_nash, std::sqrt(0.5), 1e-12);
  ASSERT_TRUE(trace.result.distance_to_kalai_smorodinsky.has_value());
  EXPECT_NEAR(*trace.result.distance_to_kalai_smorodinsky, std::sqrt(0.5), 1e-12);

  // Without agreement the disagreement point (.2, 0) is measured: nearest frontier point
  // (1, .5) at sqrt(.64 + .25).
  Trace failed = RunOk(scenario, Config({"session_test_walk_away", "session_test_stubborn"}));
  ASSERT_FALSE(failed.result.agreement);
  ASSERT_TRUE(failed.result.distance_to_pareto.has_value());
  EXPECT_NEAR(*failed.result.distance_to_pareto, std::sqrt(0.89), 1e-12);
  EXPECT_NEAR(*failed.result.distance_to_nash, std::sqrt(0.89), 1e-12);
}

TEST(SessionTest, WalkingAwayEndsWithReservationValuesAndNamesWhoBlocked) {
  model::Scenario scenario = HandScenario();
  Trace trace = RunOk(scenario, Config({"session_test_stubborn", "session_test_walk_away"}));
  const SessionResult& result = trace.result;
  EXPECT_FALSE(result.agreement);
  EXPECT_FALSE(result.outcome.has_value());
  EXPECT_EQ(result.end_reason, "ended by p1");
  ASSERT_TRUE(result.blocked_by.has_value());
  EXPECT_EQ(*result.blocked_by, 1u);
  EXPECT_EQ(result.utilities, (std::vector<double>{0.2, 0.0}));
  EXPECT_DOUBLE_EQ(result.welfare, 0.2);
  ASSERT_EQ(trace.events.size(), 2u);
  EXPECT_EQ(trace.events[1].message.type, ActionType::kEndNegotiation);
  EXPECT_TRUE(trace.events[1].utilities.empty());
}

TEST(SessionTest, StubbornPartiesRunIntoTheDeadline) {
  model::Scenario scenario = HandScenario();
  Trace trace = RunOk(scenario, Config({"session_test_stubborn", "session_test_stubborn"}, 7));
  EXPECT_FALSE(trace.result.agreement);
  EXPECT_EQ(trace.result.end_reason, "deadline");
  EXPECT_EQ(trace.result.rounds, 7);
  ASSERT_EQ(trace.events.size(), 14u);  // two offers per round
  for (std::size_t event_idx = 0; event_idx < trace.events.size(); ++event_idx) {
    const protocols::Message& message = trace.events[event_idx].message;
    EXPECT_EQ(message.sequence, event_idx);
    EXPECT_EQ(message.round, static_cast<int>(event_idx / 2));
    EXPECT_DOUBLE_EQ(message.time, static_cast<double>(event_idx / 2) / 7.0);
  }
}

TEST(SessionTest, GapCurveComparesTheLatestOffersIssueByIssue) {
  model::Scenario scenario = HandScenario();
  Trace trace = RunOk(scenario, Config({"session_test_stubborn", "session_test_stubborn"}, 4));
  // Each offers its best: (a0, b0) against (a1, b0). Issue a: each party's spread is 1 and the
  // options are its best and worst, so the gap is 1; issue b: same option, gap 0. Equal weights:
  // overall .5. Round 0 has both offers already, so there are 4 samples.
  ASSERT_EQ(trace.result.gaps.size(), 4u);
  for (int round = 0; round < 4; ++round) {
    const GapSample& sample = trace.result.gaps[round];
    EXPECT_EQ(sample.round, round);
    EXPECT_THAT(sample.issue_gaps, ::testing::ElementsAre(1.0, 0.0));
    EXPECT_DOUBLE_EQ(sample.overall, 0.5);
  }
}

TEST(SessionTest, DiscountShrinksUtilityPerRoundForParleyScenarios) {
  model::Scenario scenario = HandScenario(0.9);
  // Concession from 1 to the floor over 10 rounds; agreement comes in a later round.
  Trace trace = RunOk(
      scenario, Config({"session_test_concede(floor=0.4)", "session_test_concede(floor=0.4)"}, 10));
  ASSERT_TRUE(trace.result.agreement);
  int round = trace.events.back().message.round;
  EXPECT_GT(round, 0);
  for (std::size_t position = 0; position < 2; ++position) {
    double raw = scenario.parties[position].preferences->utility->Evaluate(*trace.result.outcome);
    EXPECT_DOUBLE_EQ(trace.result.raw_utilities[position], raw);
    EXPECT_DOUBLE_EQ(trace.result.utilities[position], raw * std::pow(0.9, round));
  }
  SessionConfig undiscounted =
      Config({"session_test_concede(floor=0.4)", "session_test_concede(floor=0.4)"}, 10);
  undiscounted.use_discount = false;
  Trace plain = RunOk(scenario, undiscounted);
  EXPECT_EQ(plain.result.utilities, plain.result.raw_utilities);
}

TEST(SessionTest, DiscountUsesNormalisedTimeForGeniusScenarios) {
  model::Scenario scenario = HandScenario(0.5);
  scenario.source_format = model::SourceFormat::kGenius;
  Trace trace = RunOk(
      scenario, Config({"session_test_concede(floor=0.4)", "session_test_concede(floor=0.4)"}, 10));
  ASSERT_TRUE(trace.result.agreement);
  double time = trace.events.back().message.time;
  double raw = trace.result.raw_utilities[0];
  EXPECT_DOUBLE_EQ(trace.result.utilities[0], raw * std::pow(0.5, time));
}

TEST(SessionTest, IllegalActionsAreRecordedAndReplacedByTheFallback) {
  model::Scenario scenario = RandomScenario(2, 3);
  for (int kind = 0; kind < 4; ++kind) {
    SCOPED_TRACE(kind);
    Trace trace =
        RunOk(scenario, Config({"session_test_stubborn",
                                "session_test_illegal(kind=" + std::to_string(kind) + ")"}));
    ASSERT_EQ(trace.result.illegal_actions.size(), 1u);
    const IllegalAction& illegal = trace.result.illegal_actions[0];
    EXPECT_EQ(illegal.party, 1u);
    EXPECT_EQ(illegal.round, 0);
    EXPECT_FALSE(illegal.reason.empty());
    // Alternating offers falls back to ending the negotiation, in the offender's name.
    EXPECT_EQ(trace.result.end_reason, "ended by p1");
    EXPECT_EQ(trace.result.blocked_by, std::optional<std::size_t>(1));
    for (const TraceEvent& event : trace.events) {
      if (event.message.outcome) {
        EXPECT_TRUE(scenario.BuildOutcomeSpace().Contains(*event.message.outcome));
      }
    }
  }
  Trace first = RunOk(scenario, Config({"session_test_stubborn", "session_test_illegal(kind=0)"}));
  EXPECT_THAT(first.result.illegal_actions[0].reason, ::testing::HasSubstr("not allowed"));
  Trace outside =
      RunOk(scenario, Config({"session_test_stubborn", "session_test_illegal(kind=1)"}));
  EXPECT_THAT(outside.result.illegal_actions[0].reason, ::testing::HasSubstr("outside"));
  Trace address =
      RunOk(scenario, Config({"session_test_stubborn", "session_test_illegal(kind=3)"}));
  EXPECT_THAT(address.result.illegal_actions[0].reason, ::testing::HasSubstr("may not address"));
}

TEST(SessionTest, EachPartySeesItsOwnPreferencesAndExactlyTheMessagesSentToIt) {
  model::Scenario scenario = RandomScenario(3, 11);
  SessionConfig config =
      Config({"session_test_random", "session_test_random", "session_test_random"}, 30, 5);
  config.strategies[3] = "session_test_idle_mediator";
  std::vector<std::size_t> seen;
  std::map<std::size_t, std::vector<std::uint64_t>> inboxes;
  config.on_view = [&](const PartyView& view) {
    seen.push_back(view.self());
    EXPECT_EQ(view.preferences(), &*scenario.parties[view.self()].preferences);
    for (const protocols::Message& message : view.inbox()) {
      inboxes[view.self()].push_back(message.sequence);
    }
  };
  Result<Trace> result = RunSession(scenario, config);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  Trace trace = std::move(result).value();
  // Principals 0-2 and the enabled mediator 3 take part; the disabled one (4) does not.
  EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1, 2, 3}));
  for (std::size_t party : seen) {
    std::vector<std::uint64_t> expected;
    for (const TraceEvent& event : trace.events) {
      const auto& recipients = event.message.recipients;
      if (std::find(recipients.begin(), recipients.end(), party) != recipients.end()) {
        expected.push_back(event.message.sequence);
      }
    }
    EXPECT_EQ(inboxes[party], expected) << party;
  }
  // Alternating offers is public among principals and leaves the mediator out.
  EXPECT_FALSE(inboxes[0].empty());
  EXPECT_TRUE(inboxes[3].empty());
  EXPECT_EQ(trace.strategies.count(4), 0u);
}

TEST(SessionTest, SameSeedSameBytesOtherSeedOtherSession) {
  model::Scenario scenario = RandomScenario(2, 21);
  SessionConfig config = Config({"session_test_random", "session_test_random"}, 50, 99);
  std::string first = Bytes(scenario, RunOk(scenario, config));
  std::string second = Bytes(scenario, RunOk(scenario, config));
  EXPECT_EQ(first, second);
  config.seed = 100;
  EXPECT_NE(Bytes(scenario, RunOk(scenario, config)), first);
}

TEST(SessionTest, PartiesDrawFromDifferentStreams) {
  model::Scenario scenario = RandomScenario(2, 21);
  Trace trace = RunOk(scenario, Config({"session_test_random", "session_test_random"}, 50, 7));
  // Same strategy, same seed, different party index: their first offers differ somewhere.
  std::vector<model::Outcome> offers[2];
  for (const TraceEvent& event : trace.events) {
    if (event.message.type == ActionType::kOffer) {
      offers[event.message.sender].push_back(*event.message.outcome);
    }
  }
  ASSERT_GE(std::min(offers[0].size(), offers[1].size()), 3u);
  EXPECT_NE(std::vector<model::Outcome>(offers[0].begin(), offers[0].begin() + 3),
            std::vector<model::Outcome>(offers[1].begin(), offers[1].begin() + 3));
}

TEST(SessionTest, DefaultsFillPartiesWithoutASpec) {
  model::Scenario scenario = RandomScenario(2, 4);
  SessionConfig config;
  config.rounds = 5;
  Result<Trace> trace = RunSession(scenario, config);
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  const auto& registry = strategies::StrategyRegistry::Global();
  std::string expected;
  if (registry.Find("time_based") != nullptr) {
    expected = "time_based";
  } else {
    for (const auto* descriptor : registry.All()) {
      if (std::find(descriptor->roles.begin(), descriptor->roles.end(), model::Role::kPrincipal) !=
          descriptor->roles.end()) {
        expected = descriptor->name;
        break;
      }
    }
  }
  EXPECT_EQ(trace->strategies.at(0).rfind(expected, 0), 0u) << trace->strategies.at(0);
  // The mediator takes part with some mediator strategy (alternating offers never asks it).
  ASSERT_EQ(trace->strategies.count(2), 1u);
  const auto* mediator =
      registry.Find(trace->strategies.at(2).substr(0, trace->strategies.at(2).find('(')));
  ASSERT_NE(mediator, nullptr);
  EXPECT_NE(std::find(mediator->roles.begin(), mediator->roles.end(), model::Role::kMediator),
            mediator->roles.end());
}

TEST(SessionTest, ConfigurationErrorsAreInvalidInputNamingTheField) {
  model::Scenario scenario = RandomScenario(2, 4);
  struct Case {
    std::function<void(SessionConfig&)> change;
    std::string field;
    std::string message;
  };
  std::vector<Case> cases = {
      {[](SessionConfig& c) { c.protocol = "no_such_protocol"; }, "protocol", "unknown protocol"},
      {[](SessionConfig& c) { c.protocol = "alternating_offers(first"; }, "protocol", "')'"},
      {[](SessionConfig& c) { c.protocol = "alternating_offers(speed=2)"; },
       "protocol.alternating_offers.speed", "no parameter"},
      {[](SessionConfig& c) { c.strategies[0] = "no_such_strategy"; }, "strategies.p0",
       "unknown strategy"},
      {[](SessionConfig& c) { c.strategies[1] = "session_test_concede(floor=high)"; },
       "strategies.p1.session_test_concede.floor", "a number"},
      {[](SessionConfig& c) { c.strategies[2] = "session_test_stubborn"; }, "strategies.m",
       "cannot play"},
      {[](SessionConfig& c) { c.strategies[0] = "session_test_idle_mediator"; }, "strategies.p0",
       "cannot play"},
      {[](SessionConfig& c) { c.strategies[3] = "session_test_idle_mediator"; }, "strategies.off",
       "does not take part"},
      {[](SessionConfig& c) { c.strategies[17] = "session_test_stubborn"; }, "strategies", "17"},
      {[](SessionConfig& c) { c.rounds = 0; }, "rounds", "at least 1"},
      {[](SessionConfig& c) { c.time_limit_seconds = -1; }, "time_limit", "positive"},
  };
  for (const Case& test_case : cases) {
    SessionConfig config = Config({"session_test_stubborn", "session_test_stubborn"});
    test_case.change(config);
    Result<Trace> trace = RunSession(scenario, config);
    ASSERT_FALSE(trace.ok()) << test_case.field;
    EXPECT_EQ(trace.status().code(), ErrorCode::kInvalidInput) << test_case.field;
    EXPECT_EQ(trace.status().location().field, test_case.field) << trace.status().ToString();
    EXPECT_THAT(trace.status().message(), ::testing::HasSubstr(test_case.message))
        << trace.status().ToString();
  }
}

TEST(SessionTest, TooFewPrincipalsIsInvalidInput) {
  model::Scenario scenario = RandomScenario(2, 4);
  scenario.parties[1].enabled = false;
  Result<Trace> trace = RunSession(scenario, Config({"session_test_stubborn"}));
  ASSERT_FALSE(trace.ok());
  EXPECT_EQ(trace.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(trace.status().message(), ::testing::HasSubstr("the scenario has 1 enabled"));
}

TEST(SessionTest, AStopRequestCancels) {
  model::Scenario scenario = RandomScenario(2, 4);
  std::stop_source stop;
  stop.request_stop();
  SessionConfig config = Config({"session_test_stubborn", "session_test_stubborn"});
  config.stop = stop.get_token();
  Result<Trace> trace = RunSession(scenario, config);
  ASSERT_FALSE(trace.ok());
  EXPECT_EQ(trace.status().code(), ErrorCode::kCancelled);
}

TEST(SessionTest, AWallTimeDeadlineEndsTheSessionEarly) {
  model::Scenario scenario = RandomScenario(2, 4);
  SessionConfig config = Config({"session_test_stubborn", "session_test_stubborn"}, 1'000'000);
  config.time_limit_seconds = 1e-9;  // already over when the first party is asked
  Trace trace = RunOk(scenario, config);
  EXPECT_FALSE(trace.result.agreement);
  EXPECT_EQ(trace.result.end_reason, "deadline");
  EXPECT_LT(trace.result.rounds, 1'000'000);
  EXPECT_EQ(trace.time_limit_seconds, std::optional<double>(1e-9));
}

TEST(SessionTest, APrecomputedReferenceGivesTheSameDistances) {
  model::Scenario scenario = HandScenario();
  SessionConfig config = Config({"session_test_accept", "session_test_stubborn"});
  config.protocol = "alternating_offers(first=1)";
  Trace computed = RunOk(scenario, config);
  config.reference = ComputeScenarioReference(scenario);
  ASSERT_TRUE(config.reference->frontier.has_value());
  EXPECT_EQ(config.reference->frontier->points.size(), 2u);
  Trace shared = RunOk(scenario, config);
  EXPECT_EQ(Bytes(scenario, computed), Bytes(scenario, shared));
  // An empty reference (as for a space too large to handle) leaves the distances out.
  config.reference = std::make_shared<ScenarioReference>();
  Trace without = RunOk(scenario, config);
  EXPECT_FALSE(without.result.distance_to_pareto.has_value());
  EXPECT_FALSE(without.result.distance_to_nash.has_value());
}

TEST(SessionTest, NonAdditiveHugeSpacesGetNoReference) {
  // A hyper-rectangle-like utility is stood in for by any non-additive UtilityFunction.
  class Flat : public model::UtilityFunction {
   public:
    double Evaluate(const model::Outcome&) const override { return 0.5; }
    std::string_view Kind() const override { return "flat"; }
    std::unique_ptr<model::UtilityFunction> Clone() const override {
      return std::make_unique<Flat>();
    }
  };
  model::Scenario scenario;
  scenario.name = "huge";
  for (int issue_idx = 0; issue_idx < 30; ++issue_idx) {
    scenario.issues.push_back(model::Issue::Integer("i" + std::to_string(issue_idx), 0, 9));
  }
  for (const char* id : {"p0", "p1"}) {
    model::Party party;
    party.id = id;
    party.name = id;
    model::Preferences preferences;
    preferences.utility = std::make_shared<Flat>();
    party.preferences = preferences;
    scenario.parties.push_back(party);
  }
  std::shared_ptr<const ScenarioReference> reference = ComputeScenarioReference(scenario);
  EXPECT_FALSE(reference->frontier.has_value());
  EXPECT_THAT(reference->note, ::testing::HasSubstr("too large"));
}

TEST(SessionTest, ACallersOwnRegistrySuppliesStrategiesTheGlobalOneLacks) {
  model::Scenario scenario = HandScenario();
  strategies::StrategyRegistry local = strategies::StrategyRegistry::Global();
  ASSERT_TRUE(local.Register(Describe<AcceptAll>("session_test_local_accept")));
  ASSERT_EQ(strategies::StrategyRegistry::Global().Find("session_test_local_accept"), nullptr);
  SessionConfig config = Config({"session_test_stubborn", "session_test_local_accept"});
  Result<Trace> without = RunSession(scenario, config);
  ASSERT_FALSE(without.ok());
  EXPECT_EQ(without.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(without.status().message(), ::testing::HasSubstr("session_test_local_accept"));
  config.strategy_registry = &local;
  Trace trace = RunOk(scenario, config);
  EXPECT_TRUE(trace.result.agreement);
  EXPECT_EQ(trace.strategies.at(1), "session_test_local_accept");
  // Defaults for parties without a spec come from the same registry.
  config.strategies.erase(1);
  EXPECT_EQ(RunOk(scenario, config).strategies.at(1),
            RunOk(scenario, Config({"session_test_stubborn"})).strategies.at(1));
}

}  // namespace

}  // namespace parley::session
