#include "parley/session/hosted_strategy.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "parley/session/session.h"
#include "parley/session/testing/scenarios.h"

namespace parley::session {
namespace {

using protocols::ActionType;

// Plays party `party_idx` of a finished alternating-offers session again outside the session:
// the same clock, the same messages and the same requests must give the same actions.
void ExpectSameDecisions(const model::Scenario& scenario, const SessionConfig& config,
                         std::size_t party_idx) {
  Result<Trace> trace = RunSession(scenario, config);
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  ASSERT_GE(trace->events.size(), 2u);
  Result<std::unique_ptr<HostedStrategy>> hosted = HostedStrategy::Create(
      std::make_shared<const model::Scenario>(scenario), party_idx, config.strategies.at(party_idx),
      config.seed, config.rounds, "alternating_offers");
  ASSERT_TRUE(hosted.ok()) << hosted.status().ToString();
  EXPECT_EQ((*hosted)->canonical(), trace->strategies.at(party_idx));
  std::optional<model::Outcome> standing;
  std::size_t standing_from = 0;
  int compared = 0;
  for (const TraceEvent& event : trace->events) {
    const protocols::Message& message = event.message;
    if (message.sender == party_idx) {
      protocols::Request request;
      request.allowed = {ActionType::kOffer, ActionType::kEndNegotiation};
      if (standing) {
        request.allowed.insert(request.allowed.begin(), ActionType::kAccept);
        request.standing_offer = standing;
        request.standing_offer_from = standing_from;
      }
      request.fallback = ActionType::kEndNegotiation;
      (*hosted)->SetClock(protocols::Clock{message.round, config.rounds,
                                           static_cast<double>(message.round) / config.rounds});
      protocols::Action action = (*hosted)->Act(request);
      EXPECT_EQ(action.type, message.type) << "message " << message.sequence;
      if (message.type == ActionType::kOffer) {
        EXPECT_EQ(action.outcome, message.outcome) << "message " << message.sequence;
      }
      ++compared;
    }
    if (message.type == ActionType::kOffer) {
      standing = message.outcome;
      standing_from = message.sender;
    }
    (*hosted)->Deliver(message);
  }
  EXPECT_GT(compared, 0);
  EXPECT_EQ((*hosted)->view().inbox().size(), trace->events.size());
}

TEST(HostedStrategyTest, DecidesAsItWouldInsideTheSession) {
  model::Scenario scenario = testing::RandomScenario(2, 11);
  for (const char* spec : {"time_based(e=0.5)", "tit_for_tat", "random", "micro"}) {
    SCOPED_TRACE(spec);
    SessionConfig config;
    config.strategies = {{0, spec}, {1, "time_based(e=2)"}};
    config.rounds = 40;
    config.seed = 17;
    ExpectSameDecisions(scenario, config, 0);
    config.strategies = {{0, "boulware"}, {1, spec}};
    ExpectSameDecisions(scenario, config, 1);
  }
}

TEST(HostedStrategyTest, ErrorsNameWhatIsWrong) {
  auto scenario = std::make_shared<const model::Scenario>(testing::RandomScenario(2, 3));
  auto create = [&](std::size_t party_idx, const std::string& spec, int rounds) {
    return HostedStrategy::Create(scenario, party_idx, spec, 1, rounds, "external").status();
  };
  EXPECT_EQ(create(0, "no_such_strategy", 10).code(), ErrorCode::kInvalidInput);
  EXPECT_NE(create(0, "no_such_strategy", 10).message().find("unknown strategy"),
            std::string::npos);
  EXPECT_EQ(create(0, "time_based(e=x)", 10).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(create(99, "boulware", 10).location().field, "party");
  EXPECT_EQ(create(0, "boulware", 0).location().field, "rounds");
  std::size_t disabled = scenario->parties.size();
  for (std::size_t party_idx = 0; party_idx < scenario->parties.size(); ++party_idx) {
    if (!scenario->parties[party_idx].enabled) disabled = party_idx;
  }
  ASSERT_LT(disabled, scenario->parties.size());
  EXPECT_NE(create(disabled, "split_the_difference", 10).message().find("does not take part"),
            std::string::npos);
}

TEST(HostedStrategyTest, SeedsItsRngAsASessionDoes) {
  // Same seed, same party: the same first offer; another seed: another walk.
  auto scenario = std::make_shared<const model::Scenario>(testing::RandomScenario(2, 5));
  auto first_offers = [&](std::uint64_t seed) {
    auto hosted = HostedStrategy::Create(scenario, 0, "random", seed, 100, "external");
    EXPECT_TRUE(hosted.ok());
    protocols::Request request;
    request.allowed = {ActionType::kOffer};
    std::vector<model::Outcome> offers;
    for (int round = 0; round < 8; ++round) {
      (*hosted)->SetClock(protocols::Clock{round, 100, round / 100.0});
      offers.push_back(*(*hosted)->Act(request).outcome);
    }
    return offers;
  };
  EXPECT_EQ(first_offers(3), first_offers(3));
  EXPECT_NE(first_offers(3), first_offers(4));
  EXPECT_NE(PartySeed(3, 0), PartySeed(3, 1));
}

}  // namespace
}  // namespace parley::session
