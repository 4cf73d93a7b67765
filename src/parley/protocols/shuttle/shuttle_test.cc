#include "parley/protocols/shuttle/shuttle.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "parley/protocols/testing/fake_session.h"
#include "parley/protocols/testing/fixtures.h"

namespace parley::protocols {
namespace {

using testing::AcceptAbove;
using testing::AlwaysReject;
using testing::Bargain;
using testing::FakeSession;
using testing::Make;
using testing::MidpointMediator;
using testing::PartyIndex;

Status RunShuttle(FakeSession& session, const std::map<std::string, std::string>& arguments = {}) {
  return testing::RunProtocol(session, "shuttle", arguments);
}

bool IsMediator(const model::Scenario& scenario, std::size_t party) {
  return scenario.parties[party].role == model::Role::kMediator;
}

class ShuttleTest : public ::testing::Test {
 protected:
  model::Scenario scenario_ = Bargain();
  std::size_t alice_ = PartyIndex(scenario_, "alice");
  std::size_t bob_ = PartyIndex(scenario_, "bob");
  std::size_t med1_ = PartyIndex(scenario_, "med1");
  std::size_t med2_ = PartyIndex(scenario_, "med2");
};

TEST_F(ShuttleTest, NeedsAnEnabledMediator) {
  model::Scenario no_mediator = Bargain(/*carol=*/false, /*mediators=*/false);
  FakeSession session(no_mediator, 10);
  Status status = RunShuttle(session);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(status.message().find("mediator"), std::string::npos) << status.message();
  EXPECT_TRUE(session.requests.empty());
  EXPECT_TRUE(session.messages.empty());
  EXPECT_FALSE(session.Finished());
}

TEST_F(ShuttleTest, RejectsAnUnknownAssignment) {
  FakeSession session(scenario_, 10);
  Status status = RunShuttle(session, {{"assignment", "star"}});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(status.message().find("assignment"), std::string::npos) << status.message();
  EXPECT_TRUE(session.requests.empty());
}

TEST_F(ShuttleTest, AgreesOnTheTextEveryPrincipalAccepts) {
  FakeSession session(scenario_, 20);
  session.SetPolicy(alice_, AcceptAbove(0.5));
  session.SetPolicy(bob_, AcceptAbove(0.5));
  session.SetPolicy(med1_, MidpointMediator());
  session.SetPolicy(med2_, MidpointMediator());
  ASSERT_TRUE(RunShuttle(session).ok());
  ASSERT_TRUE(session.agreement) << session.failure.value_or("");
  EXPECT_EQ(session.agreeing, (std::vector<std::size_t>{alice_, bob_}));
  // The midpoint of alice's best (a2, b0, c1, d1) and bob's best (a0, b2, c0, d1), rounded down.
  EXPECT_EQ(*session.agreement, (model::Outcome{1, 1, 0, 1}));
  for (std::size_t principal : {alice_, bob_}) {
    const model::Preferences& preferences = *scenario_.parties[principal].preferences;
    EXPECT_GE(preferences.utility->Evaluate(*session.agreement), 0.5);
    // Each principal received the text from a mediator and accepted it, to that mediator.
    bool received = false;
    bool accepted = false;
    for (const Message& message : session.messages) {
      if (message.outcome != session.agreement) continue;
      if (IsMediator(scenario_, message.sender) && message.recipients.size() >= 1 &&
          std::find(message.recipients.begin(), message.recipients.end(), principal) !=
              message.recipients.end()) {
        received = true;
      }
      if (message.sender == principal && message.type == ActionType::kAccept) {
        accepted = received;
        ASSERT_EQ(message.recipients.size(), 1u);
        EXPECT_TRUE(IsMediator(scenario_, message.recipients[0]));
      }
    }
    EXPECT_TRUE(accepted) << scenario_.parties[principal].id;
  }
  EXPECT_TRUE(session.illegal.empty());
  EXPECT_EQ(session.uses_after_finish, 0);
}

class ShuttleVisibilityTest : public ShuttleTest,
                              public ::testing::WithParamInterface<std::string> {};

TEST_P(ShuttleVisibilityTest, PrincipalsOnlyEverHearFromMediators) {
  FakeSession session(scenario_, 12);
  // Demanding principals keep the talks going to the deadline, so every step runs many times.
  session.SetPolicy(alice_, AcceptAbove(0.9));
  session.SetPolicy(bob_, AcceptAbove(0.9));
  session.SetPolicy(med1_, MidpointMediator());
  session.SetPolicy(med2_, MidpointMediator());
  ASSERT_TRUE(RunShuttle(session, {{"assignment", GetParam()}}).ok());
  ASSERT_TRUE(session.failure);
  int principal_messages = 0;
  for (const Message& message : session.messages) {
    if (IsMediator(scenario_, message.sender)) continue;
    ++principal_messages;
    // A principal addresses exactly one mediator.
    ASSERT_EQ(message.recipients.size(), 1u);
    EXPECT_TRUE(IsMediator(scenario_, message.recipients[0]));
    if (GetParam() == "per_principal" && message.type == ActionType::kOffer) {
      EXPECT_EQ(message.recipients[0], message.sender == alice_ ? med1_ : med2_);
    }
  }
  EXPECT_GT(principal_messages, 12);
  for (std::size_t principal : {alice_, bob_}) {
    ASSERT_FALSE(session.view(principal).inbox().empty());
    for (const Message& message : session.view(principal).inbox()) {
      EXPECT_TRUE(IsMediator(scenario_, message.sender))
          << scenario_.parties[principal].id << " heard from "
          << scenario_.parties[message.sender].id;
    }
  }
  // Every message reached exactly its recipients.
  for (std::size_t party = 0; party < scenario_.parties.size(); ++party) {
    std::size_t expected = 0;
    for (const Message& message : session.messages) {
      expected += std::count(message.recipients.begin(), message.recipients.end(), party);
    }
    EXPECT_EQ(session.view(party).inbox().size(), expected);
  }
  EXPECT_TRUE(session.illegal.empty());
}

INSTANTIATE_TEST_SUITE_P(Assignments, ShuttleVisibilityTest,
                         ::testing::Values("round_robin", "per_principal"));

TEST_F(ShuttleTest, PerPrincipalMediatorsBriefTheLeadAndRelayItsText) {
  FakeSession session(scenario_, 4);
  session.SetPolicy(alice_, AcceptAbove(0.5));
  session.SetPolicy(bob_, AcceptAbove(0.5));
  // med1 drafts in round 0 from what it heard (alice's offer) and what med2 passed on (bob's).
  session.SetPolicy(med1_, MidpointMediator());
  session.SetPolicy(med2_, [](const PartyView& view, const Request& request) {
    if (testing::Allows(request, ActionType::kOffer) && request.standing_offer) {
      return Make(ActionType::kOffer, request.standing_offer);  // relay the lead's text
    }
    std::vector<model::Outcome> heard = testing::LatestOffers(view);
    if (testing::Allows(request, ActionType::kRelay) && !heard.empty()) {
      return Make(ActionType::kRelay, heard.back());
    }
    return Make(ActionType::kPass);
  });
  ASSERT_TRUE(RunShuttle(session, {{"assignment", "per_principal"}}).ok());
  ASSERT_TRUE(session.agreement) << session.failure.value_or("");
  EXPECT_EQ(*session.agreement, (model::Outcome{1, 1, 0, 1}));
  // bob got the text from med2 (his mediator), never from med1.
  for (const Message& message : session.view(bob_).inbox()) EXPECT_EQ(message.sender, med2_);
  for (const Message& message : session.view(alice_).inbox()) EXPECT_EQ(message.sender, med1_);
  // med2 briefed med1 with bob's offer before med1 drafted.
  bool briefed = false;
  for (const Message& message : session.view(med1_).inbox()) {
    briefed = briefed || (message.sender == med2_ && message.type == ActionType::kRelay);
  }
  EXPECT_TRUE(briefed);
}

TEST_F(ShuttleTest, DropsRecipientsOutsideWhatTheMediatorMayAddress) {
  // The session records such an answer as illegal; the protocol's own guard is tested here.
  FakeSession session(scenario_, 3);
  session.validate_recipients = false;
  session.SetPolicy(alice_, AcceptAbove(0.5));
  session.SetPolicy(bob_, AcceptAbove(0.5));
  auto naming_everyone = [this](const PartyView&, const Request& request) {
    Action action = Make(ActionType::kOffer, model::Outcome{1, 1, 0, 1});
    action.recipients = {alice_, bob_, med1_, med2_};
    if (request.may_address.empty()) return Make(ActionType::kPass);
    return action;
  };
  session.SetPolicy(med1_, naming_everyone);
  session.SetPolicy(med2_, naming_everyone);
  ASSERT_TRUE(RunShuttle(session).ok());
  for (const Message& message : session.messages) {
    if (!IsMediator(scenario_, message.sender)) continue;
    for (std::size_t recipient : message.recipients) {
      EXPECT_FALSE(IsMediator(scenario_, recipient)) << "a round_robin mediator addressed another";
    }
  }
  EXPECT_TRUE(session.view(med2_).inbox().empty());
  EXPECT_TRUE(session.agreement);
}

TEST_F(ShuttleTest, AcceptingDifferentTextsIsNoAgreement) {
  FakeSession session(scenario_, 5);
  session.SetPolicy(alice_, AcceptAbove(0.0));
  session.SetPolicy(bob_, AcceptAbove(0.0));
  // Each principal is sent the other's latest offer: different texts, both accepted.
  auto cross_relay = [this](const PartyView& view, const Request& request) {
    std::optional<model::Outcome> from_alice;
    std::optional<model::Outcome> from_bob;
    for (const Message& message : view.inbox()) {
      if (message.type != ActionType::kOffer || !message.outcome) continue;
      if (message.sender == alice_) from_alice = message.outcome;
      if (message.sender == bob_) from_bob = message.outcome;
    }
    if (!from_alice || !from_bob || request.may_address.empty()) return Make(ActionType::kPass);
    const bool to_alice = std::find(request.may_address.begin(), request.may_address.end(),
                                    alice_) != request.may_address.end();
    Action action = Make(ActionType::kRelay, to_alice ? from_bob : from_alice);
    action.recipients = {to_alice ? alice_ : bob_};
    return action;
  };
  session.SetPolicy(med1_, cross_relay);
  session.SetPolicy(med2_, cross_relay);
  ASSERT_TRUE(RunShuttle(session).ok());
  EXPECT_FALSE(session.agreement);
  ASSERT_TRUE(session.failure);
  EXPECT_NE(session.failure->find("deadline"), std::string::npos);
  int acceptances = 0;
  for (const Message& message : session.messages) {
    acceptances += message.type == ActionType::kAccept;
  }
  EXPECT_GE(acceptances, 2);  // both accepted, just not the same text
}

TEST_F(ShuttleTest, EndsWhenAPrincipalWalksAway) {
  FakeSession session(scenario_, 20);
  session.SetPolicy(alice_, AlwaysReject());
  session.SetPolicy(bob_, [](const PartyView& view, const Request& request) {
    if (view.clock().round == 2) return Make(ActionType::kEndNegotiation);
    return AlwaysReject()(view, request);
  });
  session.SetPolicy(med1_, MidpointMediator());
  session.SetPolicy(med2_, MidpointMediator());
  ASSERT_TRUE(RunShuttle(session).ok());
  ASSERT_TRUE(session.failure);
  EXPECT_EQ(session.blocked_by, bob_);
  EXPECT_EQ(session.clock().round, 2);
  EXPECT_EQ(session.uses_after_finish, 0);
}

TEST_F(ShuttleTest, StopsAtTheDeadlineOrItsOwnRoundLimit) {
  for (int own_limit : {0, 3}) {
    FakeSession session(scenario_, 7);
    session.SetPolicy(alice_, AlwaysReject());
    session.SetPolicy(bob_, AlwaysReject());
    session.SetPolicy(med1_, MidpointMediator());
    session.SetPolicy(med2_, MidpointMediator());
    ASSERT_TRUE(RunShuttle(session, {{"max_rounds", std::to_string(own_limit)}}).ok());
    const int rounds = own_limit > 0 ? own_limit : 7;
    ASSERT_TRUE(session.failure);
    EXPECT_NE(session.failure->find("deadline"), std::string::npos);
    EXPECT_EQ(session.clock().round, rounds - 1);
    int last_round = -1;
    for (const Message& message : session.messages)
      last_round = std::max(last_round, message.round);
    EXPECT_EQ(last_round, rounds - 1);
    EXPECT_EQ(session.uses_after_finish, 0);
  }
}

TEST_F(ShuttleTest, MediatorsTakeTurnsRoundByRound) {
  FakeSession session(scenario_, 6);
  session.SetPolicy(alice_, AlwaysReject());
  session.SetPolicy(bob_, AlwaysReject());
  session.SetPolicy(med1_, MidpointMediator());
  session.SetPolicy(med2_, MidpointMediator());
  ASSERT_TRUE(RunShuttle(session).ok());
  int texts = 0;
  for (const Message& message : session.messages) {
    if (!IsMediator(scenario_, message.sender)) continue;
    ++texts;
    EXPECT_EQ(message.sender, message.round % 2 == 0 ? med1_ : med2_);
  }
  EXPECT_EQ(texts, 6);
}

TEST_F(ShuttleTest, ConfidencesGoToTheSendingMediatorOnly) {
  for (bool confide : {true, false}) {
    FakeSession session(scenario_, 4);
    auto confiding = [](const PartyView& view, const Request& request) {
      if (testing::Allows(request, ActionType::kConfide)) {
        Action confidence = Make(ActionType::kConfide);
        confidence.value = 0.42;
        confidence.text = "my reservation is near 0.4";
        return confidence;
      }
      return AlwaysReject()(view, request);
    };
    session.SetPolicy(alice_, confiding);
    session.SetPolicy(bob_, AlwaysReject());
    session.SetPolicy(med1_, MidpointMediator());
    session.SetPolicy(med2_, MidpointMediator());
    ASSERT_TRUE(RunShuttle(session, {{"confide", confide ? "true" : "false"}}).ok());
    int confidences = 0;
    for (const Message& message : session.messages) {
      if (message.type != ActionType::kConfide) continue;
      ++confidences;
      EXPECT_EQ(message.sender, alice_);
      ASSERT_EQ(message.recipients.size(), 1u);
      EXPECT_EQ(message.recipients[0], message.round % 2 == 0 ? med1_ : med2_);
      EXPECT_EQ(message.value, 0.42);
    }
    EXPECT_EQ(confidences, confide ? 4 : 0);
    for (const Message& message : session.view(bob_).inbox()) {
      EXPECT_NE(message.type, ActionType::kConfide);
    }
  }
}

TEST_F(ShuttleTest, SameInputsGiveTheSameMessages) {
  auto run = [this]() {
    FakeSession session(scenario_, 8, /*seed=*/7);
    session.SetPolicy(alice_, AcceptAbove(0.8));
    session.SetPolicy(bob_, AcceptAbove(0.8));
    session.SetPolicy(med1_, MidpointMediator());
    session.SetPolicy(med2_, MidpointMediator());
    PARLEY_CHECK(RunShuttle(session, {{"assignment", "per_principal"}}).ok());
    std::vector<std::tuple<std::size_t, std::vector<std::size_t>, ActionType,
                           std::optional<model::Outcome>, int>>
        record;
    for (const Message& message : session.messages) {
      record.emplace_back(message.sender, message.recipients, message.type, message.outcome,
                          message.round);
    }
    return record;
  };
  auto first = run();
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, run());
}

}  // namespace
}  // namespace parley::protocols

namespace parley::protocols {
namespace {

using testing::CompareInboxesWithTrace;
using testing::RunThroughSession;
using testing::SessionRun;
using testing::TraceBytes;

bool Registered(const std::string& strategy) {
  return strategies::StrategyRegistry::Global().Find(strategy) != nullptr;
}

TEST(ShuttleSessionTest, DeliversOnlyToRecipientsAndKeepsPrincipalsApart) {
  model::Scenario scenario = Bargain();
  for (std::string assignment : {"round_robin", "per_principal"}) {
    SessionRun run = RunThroughSession(scenario, "shuttle(assignment=" + assignment + ")",
                                       {{"alice", "protocols_test_accept_above(threshold=0.9)"},
                                        {"bob", "protocols_test_accept_above(threshold=0.9)"},
                                        {"med1", "protocols_test_midpoint_mediator"},
                                        {"med2", "protocols_test_midpoint_mediator"}},
                                       15);
    ASSERT_TRUE(run.trace.ok()) << run.trace.status().ToString();
    EXPECT_FALSE(run.trace->result.agreement);
    EXPECT_EQ(run.trace->result.end_reason, "deadline: no text was accepted by every principal");
    EXPECT_EQ(run.trace->result.rounds, 15);
    EXPECT_TRUE(run.trace->result.illegal_actions.empty());
    EXPECT_EQ(CompareInboxesWithTrace(run), "");
    for (const std::string id : {"alice", "bob"}) {
      const std::vector<Message>& inbox = run.inboxes.at(*scenario.FindParty(id));
      EXPECT_FALSE(inbox.empty());
      for (const Message& message : inbox) {
        EXPECT_TRUE(IsMediator(scenario, message.sender))
            << id << " heard from " << scenario.parties[message.sender].id;
      }
    }
  }
}

TEST(ShuttleSessionTest, AgreesAndRepeatsItselfForASeed) {
  model::Scenario scenario = Bargain();
  const std::map<std::string, std::string> strategies = {
      {"alice", "protocols_test_accept_above"},
      {"bob", "protocols_test_accept_above"},
      {"med1", "protocols_test_midpoint_mediator"},
      {"med2", "protocols_test_midpoint_mediator"}};
  SessionRun first = RunThroughSession(scenario, "shuttle", strategies, 10, /*seed=*/5);
  ASSERT_TRUE(first.trace.ok()) << first.trace.status().ToString();
  ASSERT_TRUE(first.trace->result.agreement);
  EXPECT_EQ(*first.trace->result.outcome, (model::Outcome{1, 1, 0, 1}));
  EXPECT_EQ(first.trace->result.agreeing_parties,
            (std::vector<std::size_t>{*scenario.FindParty("alice"), *scenario.FindParty("bob")}));
  SessionRun second = RunThroughSession(scenario, "shuttle", strategies, 10, /*seed=*/5);
  ASSERT_TRUE(second.trace.ok());
  EXPECT_EQ(TraceBytes(scenario, *first.trace), TraceBytes(scenario, *second.trace));
}

TEST(ShuttleSessionTest, RefusesAScenarioWithoutAMediator) {
  model::Scenario scenario = Bargain(/*carol=*/false, /*mediators=*/false);
  SessionRun run = RunThroughSession(scenario, "shuttle", {}, 10);
  ASSERT_FALSE(run.trace.ok());
  EXPECT_EQ(run.trace.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(run.trace.status().message().find("mediator"), std::string::npos);
}

// The reported ceasefire talks: Qatar and the United States mediate (Egypt is disabled).
TEST(ShuttleSessionTest, CeasefireTalksTerminateWithATrace) {
  const std::vector<std::string> mediator_strategies = {"split_the_difference", "nash_mediator",
                                                        "single_text_annealer"};
  if (!Registered("time_based") || !Registered("hill_climber")) {
    GTEST_SKIP() << "the principal strategies are not registered in this build";
  }
  Result<model::Scenario> scenario =
      io::LoadScenario(std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  const std::size_t israel = *scenario->FindParty("israel");
  const std::size_t hamas = *scenario->FindParty("hamas");
  const std::size_t qatar = *scenario->FindParty("qatar");
  const std::size_t united_states = *scenario->FindParty("united_states");
  const std::size_t egypt = *scenario->FindParty("egypt");
  std::shared_ptr<const session::ScenarioReference> reference =
      session::ComputeScenarioReference(*scenario);
  int runs = 0;
  for (const std::string& mediator : mediator_strategies) {
    if (!Registered(mediator)) continue;
    for (std::string assignment : {"round_robin", "per_principal"}) {
      ++runs;
      SessionRun run = RunThroughSession(*scenario, "shuttle(assignment=" + assignment + ")",
                                         {{"israel", "time_based"},
                                          {"hamas", "hill_climber"},
                                          {"qatar", mediator},
                                          {"united_states", mediator}},
                                         60, /*seed=*/1, reference);
      ASSERT_TRUE(run.trace.ok()) << run.trace.status().ToString();
      const session::Trace& trace = *run.trace;
      SCOPED_TRACE(mediator + ", " + assignment + ": " + trace.result.end_reason);
      EXPECT_FALSE(trace.events.empty());
      EXPECT_LE(trace.result.rounds, 60);
      EXPECT_FALSE(trace.result.end_reason.empty());
      for (const session::IllegalAction& illegal : trace.result.illegal_actions) {
        ADD_FAILURE() << scenario->parties[illegal.party].id << " in round " << illegal.round
                      << ": " << illegal.reason;
      }
      EXPECT_EQ(CompareInboxesWithTrace(run), "");
      EXPECT_FALSE(run.inboxes.count(egypt));
      for (const session::TraceEvent& event : trace.events) {
        EXPECT_NE(event.message.sender, egypt);
        for (std::size_t recipient : event.message.recipients) EXPECT_NE(recipient, egypt);
      }
      for (std::size_t principal : {israel, hamas}) {
        for (const Message& message : run.inboxes.at(principal)) {
          EXPECT_TRUE(message.sender == qatar || message.sender == united_states);
        }
      }
      if (trace.result.agreement) {
        // Both principals accepted it, so it crosses neither's red lines only if their
        // strategies respect them; the protocol itself guarantees they both accepted it.
        EXPECT_EQ(trace.result.agreeing_parties, (std::vector<std::size_t>{israel, hamas}));
      }
    }
  }
  if (runs == 0) GTEST_SKIP() << "no mediator strategy is registered in this build";
}

}  // namespace
}  // namespace parley::protocols
