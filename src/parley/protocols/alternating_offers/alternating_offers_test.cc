#include "parley/protocols/alternating_offers/alternating_offers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "parley/model/utility.h"
#include "parley/model/validate.h"
#include "parley/session/session.h"
#include "parley/strategies/strategy.h"

namespace parley::protocols {
namespace {

// ---------------------------------------------------------------- a scripted test strategy

// What a scripted party does on its n-th turn: offer the outcome {option, option}, accept, end,
// or try an action the protocol never allows here.
struct Step {
  ActionType type = ActionType::kOffer;
  model::OptionIndex option = 0;
};
Step OfferStep(model::OptionIndex option) { return {ActionType::kOffer, option}; }
Step AcceptStep() { return {ActionType::kAccept, 0}; }
Step EndStep() { return {ActionType::kEndNegotiation, 0}; }
Step VoteStep() { return {ActionType::kVote, 0}; }

// Scripts by party id, and the requests each party received (filled while a session runs).
std::map<std::string, std::vector<Step>> g_scripts;
std::map<std::string, std::vector<Request>> g_requests;

class Scripted : public strategies::Strategy {
 public:
  Action Act(const PartyView& view, const Request& request) override {
    const std::string& id = view.me().id;
    g_requests[id].push_back(request);
    const std::vector<Step>& script = g_scripts[id];
    // Past the end of its script a party repeats its last step.
    const Step& step = script[std::min(turn_++, script.size() - 1)];
    Action action;
    action.type = step.type;
    if (step.type == ActionType::kOffer) {
      action.outcome = model::Outcome(view.space().NumIssues(), step.option);
    }
    if (step.type == ActionType::kVote) action.accept = true;
    return action;
  }

 private:
  std::size_t turn_ = 0;
};

PARLEY_REGISTER_STRATEGY((strategies::StrategyDescriptor{
    "alternating_offers_test_script",
    "test only: follows a script",
    {},
    {model::Role::kPrincipal},
    [](const Parameters&) { return std::make_unique<Scripted>(); }}));

// Principals p0..p(n-1) over two issues of three options; everyone's values are random-free
// (option 0 best for p0, option 2 best for the others) so utilities are easy to check.
model::Scenario Scenario(int principals) {
  model::Scenario scenario;
  scenario.name = "ao";
  scenario.issues = {model::Issue::Discrete("a", {"a0", "a1", "a2"}),
                     model::Issue::Discrete("b", {"b0", "b1", "b2"})};
  for (int party_idx = 0; party_idx < principals; ++party_idx) {
    model::Party party;
    party.id = "p" + std::to_string(party_idx);
    party.name = party.id;
    model::ValueFunction values;
    values.table = party_idx == 0 ? std::vector<double>{1, 0.5, 0} : std::vector<double>{0, 0.5, 1};
    model::Preferences preferences;
    preferences.utility = std::make_shared<model::AdditiveUtility>(
        std::vector<double>{0.5, 0.5}, std::vector<model::ValueFunction>{values, values});
    party.preferences = preferences;
    scenario.parties.push_back(party);
  }
  PARLEY_CHECK(model::ValidateScenario(scenario).ok());
  return scenario;
}

session::Trace RunScript(const model::Scenario& scenario,
                         std::map<std::string, std::vector<Step>> scripts,
                         const std::string& protocol = "alternating_offers", int rounds = 10) {
  g_scripts = std::move(scripts);
  g_requests.clear();
  session::SessionConfig config;
  config.protocol = protocol;
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    config.strategies[party_idx] = "alternating_offers_test_script";
  }
  config.rounds = rounds;
  Result<session::Trace> trace = session::RunSession(scenario, config);
  EXPECT_TRUE(trace.ok()) << trace.status().ToString();
  return trace.ok() ? std::move(trace).value() : session::Trace();
}

std::vector<std::string> Moves(const session::Trace& trace) {
  std::vector<std::string> moves;
  for (const session::TraceEvent& event : trace.events) {
    moves.push_back(trace.parties[event.message.sender].id + ":" +
                    std::string(ActionTypeName(event.message.type)) + "@" +
                    std::to_string(event.message.round));
  }
  return moves;
}

// ---------------------------------------------------------------- tests

TEST(AlternatingOffersTest, IsRegisteredWithASummaryAndItsParameter) {
  const ProtocolDescriptor* descriptor = ProtocolRegistry::Global().Find("alternating_offers");
  ASSERT_NE(descriptor, nullptr);
  EXPECT_FALSE(descriptor->summary.empty());
  ASSERT_EQ(descriptor->parameters.size(), 1u);
  EXPECT_EQ(descriptor->parameters[0].name, "first");
  EXPECT_EQ(descriptor->parameters[0].type, ParameterType::kInt);
  EXPECT_EQ(descriptor->min_principals, 2);
  EXPECT_FALSE(descriptor->needs_mediator());
}

TEST(AlternatingOffersTest, AgreementNeedsEveryOtherPartyToAcceptInSequence) {
  model::Scenario scenario = Scenario(3);
  session::Trace trace =
      RunScript(scenario, {{"p0", {OfferStep(1)}}, {"p1", {AcceptStep()}}, {"p2", {AcceptStep()}}});
  EXPECT_THAT(Moves(trace), ::testing::ElementsAre("p0:offer@0", "p1:accept@0", "p2:accept@0"));
  ASSERT_TRUE(trace.result.agreement);
  EXPECT_EQ(*trace.result.outcome, (model::Outcome{1, 1}));
  EXPECT_EQ(trace.result.agreeing_parties, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(trace.result.rounds, 1);
}

TEST(AlternatingOffersTest, ACounterOfferRejectsAndRestartsTheAcceptances) {
  model::Scenario scenario = Scenario(3);
  // p0 offers 0; p1 accepts; p2 counters with 2; p0 and p1 accept 2.
  session::Trace trace = RunScript(
      scenario,
      {{"p0", {OfferStep(0), AcceptStep()}}, {"p1", {AcceptStep()}}, {"p2", {OfferStep(2)}}});
  EXPECT_THAT(Moves(trace), ::testing::ElementsAre("p0:offer@0", "p1:accept@0", "p2:offer@0",
                                                   "p0:accept@1", "p1:accept@1"));
  ASSERT_TRUE(trace.result.agreement);
  EXPECT_EQ(*trace.result.outcome, (model::Outcome{2, 2}));
  EXPECT_EQ(trace.result.rounds, 2);
  // The accept messages carry the outcome accepted.
  EXPECT_EQ(trace.events[3].message.outcome, std::optional<model::Outcome>(model::Outcome{2, 2}));
}

TEST(AlternatingOffersTest, RequestsOfferTheRightChoicesAndTheStandingOffer) {
  model::Scenario scenario = Scenario(2);
  session::Trace trace = RunScript(scenario, {{"p0", {OfferStep(0)}}, {"p1", {OfferStep(2)}}},
                                   "alternating_offers", 2);
  ASSERT_EQ(g_requests["p0"].size(), 2u);
  const Request& opening = g_requests["p0"][0];
  EXPECT_THAT(opening.allowed,
              ::testing::UnorderedElementsAre(ActionType::kOffer, ActionType::kEndNegotiation));
  EXPECT_FALSE(opening.standing_offer.has_value());
  const Request& reply = g_requests["p1"][0];
  EXPECT_THAT(reply.allowed,
              ::testing::UnorderedElementsAre(ActionType::kAccept, ActionType::kOffer,
                                              ActionType::kEndNegotiation));
  EXPECT_EQ(reply.standing_offer, std::optional<model::Outcome>(model::Outcome{0, 0}));
  EXPECT_EQ(reply.standing_offer_from, std::optional<std::size_t>(0));
  EXPECT_EQ(g_requests["p0"][1].standing_offer,
            std::optional<model::Outcome>(model::Outcome{2, 2}));
  EXPECT_EQ(g_requests["p0"][1].standing_offer_from, std::optional<std::size_t>(1));
}

TEST(AlternatingOffersTest, TheDeadlineEndsAfterEveryPartyActedInEachRound) {
  model::Scenario scenario = Scenario(3);
  session::Trace trace =
      RunScript(scenario, {{"p0", {OfferStep(0)}}, {"p1", {OfferStep(1)}}, {"p2", {OfferStep(2)}}},
                "alternating_offers", 4);
  EXPECT_FALSE(trace.result.agreement);
  EXPECT_EQ(trace.result.end_reason, "deadline");
  EXPECT_EQ(trace.result.rounds, 4);
  ASSERT_EQ(trace.events.size(), 12u);
  for (std::size_t event_idx = 0; event_idx < trace.events.size(); ++event_idx) {
    EXPECT_EQ(trace.events[event_idx].message.sender, event_idx % 3);
    EXPECT_EQ(trace.events[event_idx].message.round, static_cast<int>(event_idx / 3));
  }
}

TEST(AlternatingOffersTest, EveryMessageGoesToAllPrincipals) {
  model::Scenario scenario = Scenario(3);
  session::Trace trace =
      RunScript(scenario, {{"p0", {OfferStep(0)}}, {"p1", {OfferStep(1)}}, {"p2", {EndStep()}}});
  ASSERT_EQ(trace.events.size(), 3u);
  for (const session::TraceEvent& event : trace.events) {
    EXPECT_EQ(event.message.recipients, (std::vector<std::size_t>{0, 1, 2}));
  }
}

TEST(AlternatingOffersTest, EndingTheNegotiationFailsInThatPartysName) {
  model::Scenario scenario = Scenario(2);
  session::Trace trace = RunScript(scenario, {{"p0", {OfferStep(0)}}, {"p1", {EndStep()}}});
  EXPECT_FALSE(trace.result.agreement);
  EXPECT_EQ(trace.result.end_reason, "ended by p1");
  EXPECT_EQ(trace.result.blocked_by, std::optional<std::size_t>(1));
  EXPECT_EQ(trace.events.back().message.type, ActionType::kEndNegotiation);
}

TEST(AlternatingOffersTest, AnIllegalMoveIsRecordedAndEndsTheNegotiation) {
  model::Scenario scenario = Scenario(2);
  // The opener may not accept (there is nothing to accept), nor vote.
  session::Trace accept = RunScript(scenario, {{"p0", {AcceptStep()}}, {"p1", {OfferStep(2)}}});
  ASSERT_EQ(accept.result.illegal_actions.size(), 1u);
  EXPECT_EQ(accept.result.illegal_actions[0].party, 0u);
  EXPECT_EQ(accept.result.end_reason, "ended by p0");
  session::Trace vote = RunScript(scenario, {{"p0", {OfferStep(0)}}, {"p1", {VoteStep()}}});
  ASSERT_EQ(vote.result.illegal_actions.size(), 1u);
  EXPECT_EQ(vote.result.illegal_actions[0].party, 1u);
  EXPECT_FALSE(vote.result.agreement);
}

TEST(AlternatingOffersTest, FirstChoosesWhoOpens) {
  model::Scenario scenario = Scenario(3);
  session::Trace trace =
      RunScript(scenario, {{"p0", {AcceptStep()}}, {"p1", {AcceptStep()}}, {"p2", {OfferStep(2)}}},
                "alternating_offers(first=2)");
  EXPECT_THAT(Moves(trace), ::testing::ElementsAre("p2:offer@0", "p0:accept@0", "p1:accept@0"));
  EXPECT_TRUE(trace.result.agreement);

  session::SessionConfig config;
  config.protocol = "alternating_offers(first=3)";
  Result<session::Trace> out_of_range = session::RunSession(scenario, config);
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_EQ(out_of_range.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(out_of_range.status().location().field, "protocol.first");
}

TEST(AlternatingOffersTest, MediatorsTakeNoPart) {
  model::Scenario scenario = Scenario(2);
  model::Party mediator = scenario.parties[0];
  mediator.id = "m";
  mediator.role = model::Role::kMediator;
  scenario.parties.push_back(mediator);
  g_scripts = {{"p0", {OfferStep(0)}}, {"p1", {AcceptStep()}}};
  session::SessionConfig config;
  config.strategies = {{0, "alternating_offers_test_script"},
                       {1, "alternating_offers_test_script"}};
  std::size_t mediator_messages = 99;
  config.on_view = [&](const PartyView& view) {
    if (view.self() == 2) mediator_messages = view.inbox().size();
  };
  Result<session::Trace> trace = session::RunSession(scenario, config);
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  EXPECT_TRUE(trace->result.agreement);
  EXPECT_EQ(trace->result.agreeing_parties, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(mediator_messages, 0u);
}

}  // namespace
}  // namespace parley::protocols
