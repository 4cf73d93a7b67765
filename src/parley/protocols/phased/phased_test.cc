#include "parley/protocols/phased/phased.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "parley/io/scenario_io.h"
#include "parley/protocols/testing/fake_session.h"
#include "parley/protocols/testing/fixtures.h"

namespace parley::protocols {
namespace {

using testing::AcceptAbove;
using testing::Allows;
using testing::AlwaysReject;
using testing::Bargain;
using testing::FakeSession;
using testing::Make;
using testing::MidpointMediator;
using testing::PartyIndex;
using testing::Policy;

Status RunPhased(FakeSession& session, const std::map<std::string, std::string>& arguments = {}) {
  return testing::RunProtocol(session, "phased", arguments);
}

bool InLaterPhase(const Request& request) {
  return std::find(request.fixed_issues.begin(), request.fixed_issues.end(), true) !=
         request.fixed_issues.end();
}

// Offers the compromise (a1, b1, c0, d1) (keeping fixed issues) and accepts anything worth 0.5.
Policy Compromiser() {
  return [](const PartyView& view, const Request& request) {
    if (request.standing_offer && Allows(request, ActionType::kAccept) &&
        testing::UtilityOf(view, *request.standing_offer) >= 0.5) {
      return Make(ActionType::kAccept);
    }
    if (Allows(request, ActionType::kOffer)) {
      model::Outcome offer{1, 1, 0, 1};
      for (std::size_t issue_idx = 0; issue_idx < request.fixed_issues.size(); ++issue_idx) {
        if (request.fixed_issues[issue_idx]) offer[issue_idx] = request.fixed_outcome[issue_idx];
      }
      return Make(ActionType::kOffer, offer);
    }
    return Make(request.fallback);
  };
}

// Plays `first` in the first phase and `later` once an issue is fixed.
Policy ByPhase(Policy first, Policy later) {
  return [first, later](const PartyView& view, const Request& request) {
    return InLaterPhase(request) ? later(view, request) : first(view, request);
  };
}

class PhasedTest : public ::testing::Test {
 protected:
  model::Scenario scenario_ = Bargain();
  model::Scenario unmediated_ = Bargain(/*carol=*/false, /*mediators=*/false);
  std::size_t alice_ = PartyIndex(scenario_, "alice");
  std::size_t bob_ = PartyIndex(scenario_, "bob");
  std::size_t med1_ = PartyIndex(scenario_, "med1");
  std::size_t med2_ = PartyIndex(scenario_, "med2");
};

TEST_F(PhasedTest, IssuesInNoPhaseJoinTheLastPhase) {
  EXPECT_EQ(PhaseIssues(scenario_), (std::vector<std::vector<std::size_t>>{{0}, {1, 2, 3}}));
  model::Scenario unphased = scenario_;
  unphased.phases.clear();
  EXPECT_EQ(PhaseIssues(unphased), (std::vector<std::vector<std::size_t>>{{0, 1, 2, 3}}));
  const std::string path = std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml";
  Result<model::Scenario> ceasefire = io::LoadScenario(path);
  ASSERT_TRUE(ceasefire.ok()) << ceasefire.status().ToString();
  std::vector<std::vector<std::size_t>> phases = PhaseIssues(*ceasefire);
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_EQ(phases[0].size() + phases[1].size(), ceasefire->issues.size());
  EXPECT_EQ(ceasefire->issues[phases[1][0]].id, "ceasefire");
}

TEST_F(PhasedTest, AlternatingOffersAgreePhaseByPhaseAndFixWhatWasAgreed) {
  FakeSession session(unmediated_, 10);
  session.SetPolicy(alice_, Compromiser());
  session.SetPolicy(bob_, AcceptAbove(0.5));
  ASSERT_TRUE(RunPhased(session).ok());
  ASSERT_TRUE(session.agreement) << session.failure.value_or("");
  EXPECT_EQ(*session.agreement, (model::Outcome{1, 1, 0, 1}));
  EXPECT_EQ(session.agreeing, (std::vector<std::size_t>{alice_, bob_}));
  // Requests in the first phase leave everything open and name issue a; later ones fix a = a1
  // and name the other issues.
  bool saw_second_phase = false;
  for (const FakeSession::AskRecord& ask : session.requests) {
    ASSERT_EQ(ask.request.fixed_issues.size(), 4u);
    if (InLaterPhase(ask.request)) {
      saw_second_phase = true;
      EXPECT_EQ(ask.request.fixed_issues, (std::vector<bool>{true, false, false, false}));
      EXPECT_EQ(ask.request.fixed_outcome[0], 1u);
      EXPECT_EQ(ask.request.open_issues, (std::vector<std::size_t>{1, 2, 3}));
    } else {
      EXPECT_FALSE(saw_second_phase) << "a first-phase request after the first phase";
      EXPECT_EQ(ask.request.open_issues, std::vector<std::size_t>{0});
    }
  }
  EXPECT_TRUE(saw_second_phase);
  // Each phase's result is announced, with what it settled.
  std::vector<std::string> notices;
  for (const Message& message : session.messages) {
    if (message.type == ActionType::kPass) notices.push_back(message.text);
  }
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0], "phase 1 of 2 'first' agreed: a=a1");
  EXPECT_EQ(notices[1], "phase 2 of 2 'second' agreed: b=b1, c=c0, d=d1");
  EXPECT_TRUE(session.illegal.empty());
  EXPECT_EQ(session.uses_after_finish, 0);
}

TEST_F(PhasedTest, OffersThatChangeAnAgreedIssueAreIllegalAndNeverPassedOn) {
  // Bob tries to reopen issue a in the second phase.
  Policy reopen = [](const PartyView&, const Request& request) {
    if (Allows(request, ActionType::kOffer)) {
      return Make(ActionType::kOffer, model::Outcome{0, 2, 0, 1});
    }
    return Make(ActionType::kReject);
  };
  for (bool session_checks : {true, false}) {
    FakeSession session(unmediated_, 12);
    session.validate_fixed_issues = session_checks;
    session.SetPolicy(alice_, Compromiser());
    session.SetPolicy(bob_, ByPhase(AcceptAbove(0.5), reopen));
    ASSERT_TRUE(RunPhased(session).ok());
    bool fixed = false;
    int second_phase_offers = 0;
    for (const Message& message : session.messages) {
      if (message.type == ActionType::kPass) fixed = true;  // the first phase's announcement
      if (!fixed || !message.outcome) continue;
      EXPECT_EQ((*message.outcome)[0], 1u) << "a message reopened issue a";
      ++second_phase_offers;
    }
    EXPECT_GT(second_phase_offers, 0);
    if (session_checks) {
      ASSERT_FALSE(session.illegal.empty());
      EXPECT_EQ(session.illegal.front().party, bob_);
      EXPECT_NE(session.illegal.front().reason.find("fixed issue a"), std::string::npos);
    }
    // alice's compromise keeps a = a1 and is never accepted by bob: no agreement.
    EXPECT_FALSE(session.agreement);
  }
}

TEST_F(PhasedTest, ShuttlePhasesKeepPrincipalsApart) {
  FakeSession session(scenario_, 10);
  session.SetPolicy(alice_, AcceptAbove(0.5));
  session.SetPolicy(bob_, AcceptAbove(0.5));
  session.SetPolicy(med1_, MidpointMediator());
  session.SetPolicy(med2_, MidpointMediator());
  ASSERT_TRUE(RunPhased(session).ok());  // inner=auto: shuttle, as mediators take part
  ASSERT_TRUE(session.agreement) << session.failure.value_or("");
  EXPECT_EQ(*session.agreement, (model::Outcome{1, 1, 0, 1}));
  for (std::size_t principal : {alice_, bob_}) {
    for (const Message& message : session.view(principal).inbox()) {
      EXPECT_TRUE(message.sender == med1_ || message.sender == med2_);
    }
  }
  for (const Message& message : session.messages) {
    if (message.sender == alice_ || message.sender == bob_) {
      ASSERT_EQ(message.recipients.size(), 1u);
      EXPECT_TRUE(message.recipients[0] == med1_ || message.recipients[0] == med2_);
    }
    if (message.type == ActionType::kPass) {
      EXPECT_EQ(message.sender, med1_);
      EXPECT_EQ(message.recipients, (std::vector<std::size_t>{alice_, bob_, med2_}));
    }
  }
}

TEST_F(PhasedTest, AShuttlePhaseBindsOnlyItsOwnIssues) {
  // The mediator sends each principal a different text; the texts agree on issue a only.
  Policy different_texts = [this](const PartyView&, const Request& request) {
    if (request.may_address.empty() || !Allows(request, ActionType::kOffer)) {
      return Make(ActionType::kPass);
    }
    const bool to_alice = std::find(request.may_address.begin(), request.may_address.end(),
                                    alice_) != request.may_address.end();
    Action text = Make(ActionType::kOffer,
                       to_alice ? model::Outcome{1, 0, 1, 1} : model::Outcome{1, 2, 0, 1});
    text.recipients = {to_alice ? alice_ : bob_};
    return text;
  };
  FakeSession session(scenario_, 6);
  session.SetPolicy(alice_, AcceptAbove(0.0));
  session.SetPolicy(bob_, AcceptAbove(0.0));
  session.SetPolicy(med1_, different_texts);
  session.SetPolicy(med2_, different_texts);
  ASSERT_TRUE(RunPhased(session).ok());
  // The first phase (issue a) is agreed at once; the second (b, c, d) never is.
  ASSERT_FALSE(session.messages.empty());
  bool first_agreed = false;
  for (const Message& message : session.messages) {
    first_agreed = first_agreed || message.text == "phase 1 of 2 'first' agreed: a=a1";
  }
  EXPECT_TRUE(first_agreed);
  ASSERT_TRUE(session.failure);
  EXPECT_NE(session.failure->find("phase 2 of 2 'second' failed"), std::string::npos)
      << *session.failure;
}

TEST_F(PhasedTest, NeedsAMediatorForShuttleAndKnownParameters) {
  FakeSession session(unmediated_, 10);
  Status status = RunPhased(session, {{"inner", "shuttle"}});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(status.message().find("mediator"), std::string::npos) << status.message();
  EXPECT_TRUE(session.requests.empty());
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"inner", "auction"}, {"default", "war"}, {"phase_rounds", "-2"}}) {
    FakeSession other(scenario_, 10);
    Status bad = RunPhased(other, {{name, value}});
    ASSERT_FALSE(bad.ok()) << name;
    EXPECT_EQ(bad.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(bad.message().find(name), std::string::npos) << bad.message();
    EXPECT_TRUE(other.requests.empty());
  }
}

TEST_F(PhasedTest, AFailedLaterPhaseFallsBackToTheDefault) {
  for (std::string fallback : {"reservation", "status_quo"}) {
    FakeSession session(unmediated_, 10);
    session.SetPolicy(alice_, ByPhase(Compromiser(), AlwaysReject()));
    session.SetPolicy(bob_, ByPhase(AcceptAbove(0.5), AlwaysReject()));
    ASSERT_TRUE(RunPhased(session, {{"default", fallback}}).ok());
    // The pause continues: the second phase talks until the session deadline.
    EXPECT_EQ(session.clock().round, 9);
    if (fallback == "reservation") {
      EXPECT_FALSE(session.agreement);
      ASSERT_TRUE(session.failure);
      EXPECT_NE(session.failure->find("phase 2 of 2 'second' failed"), std::string::npos)
          << *session.failure;
      EXPECT_NE(session.failure->find("lapsed (a=a1)"), std::string::npos) << *session.failure;
    } else {
      ASSERT_TRUE(session.agreement);
      // Issue a as agreed; b, c and d at their first option.
      EXPECT_EQ(*session.agreement, (model::Outcome{1, 0, 0, 0}));
      EXPECT_EQ(session.agreeing, (std::vector<std::size_t>{alice_, bob_}));
      EXPECT_NE(session.messages.back().text.find("status quo (b=b0, c=c0, d=d0)"),
                std::string::npos)
          << session.messages.back().text;
    }
    EXPECT_EQ(session.uses_after_finish, 0);
  }
}

TEST_F(PhasedTest, WithoutTheConditionalCommitmentALaterPhaseHasOnlyItsShare) {
  for (bool pause_continues : {true, false}) {
    FakeSession session(unmediated_, 20);
    session.SetPolicy(alice_, ByPhase(Compromiser(), AlwaysReject()));
    session.SetPolicy(bob_, ByPhase(AcceptAbove(0.5), AlwaysReject()));
    ASSERT_TRUE(RunPhased(session, {{"phase_rounds", "3"},
                                    {"pause_continues", pause_continues ? "true" : "false"}})
                    .ok());
    ASSERT_TRUE(session.failure);
    // The first phase agreed in round 0, the second started in round 1.
    if (pause_continues) {
      EXPECT_EQ(session.clock().round, 19);
      EXPECT_NE(session.failure->find("deadline"), std::string::npos) << *session.failure;
    } else {
      EXPECT_EQ(session.clock().round, 3);
      EXPECT_NE(session.failure->find("its 3 rounds ran out"), std::string::npos)
          << *session.failure;
    }
  }
}

TEST_F(PhasedTest, AFirstPhaseThatFailsFailsTheSession) {
  FakeSession session(unmediated_, 10);
  session.SetPolicy(alice_, AlwaysReject());
  session.SetPolicy(bob_, AlwaysReject());
  ASSERT_TRUE(RunPhased(session, {{"default", "status_quo"}}).ok());
  EXPECT_FALSE(session.agreement);
  ASSERT_TRUE(session.failure);
  // Two phases share ten rounds: the first has five.
  EXPECT_NE(session.failure->find("phase 1 of 2 'first' failed: its 5 rounds ran out"),
            std::string::npos)
      << *session.failure;
  EXPECT_EQ(session.clock().round, 4);
  for (const FakeSession::AskRecord& ask : session.requests) {
    EXPECT_FALSE(InLaterPhase(ask.request));
  }
}

TEST_F(PhasedTest, WalkingAwayInALaterPhaseAppliesTheDefault) {
  FakeSession session(unmediated_, 10);
  Policy walk = [](const PartyView&, const Request&) { return Make(ActionType::kEndNegotiation); };
  session.SetPolicy(alice_, Compromiser());
  session.SetPolicy(bob_, ByPhase(AcceptAbove(0.5), walk));
  ASSERT_TRUE(RunPhased(session).ok());
  ASSERT_TRUE(session.failure);
  EXPECT_EQ(session.blocked_by, bob_);
  EXPECT_NE(session.failure->find("bob walked away"), std::string::npos) << *session.failure;
  EXPECT_EQ(session.clock().round, 1);
}

TEST_F(PhasedTest, SameInputsGiveTheSameSession) {
  auto run = [this]() {
    FakeSession session(scenario_, 12);
    session.SetPolicy(alice_, AcceptAbove(0.55));
    session.SetPolicy(bob_, AcceptAbove(0.55));
    session.SetPolicy(med1_, MidpointMediator());
    session.SetPolicy(med2_, MidpointMediator());
    PARLEY_CHECK(RunPhased(session, {{"assignment", "per_principal"}}).ok());
    std::vector<std::tuple<std::size_t, std::vector<std::size_t>, std::optional<model::Outcome>,
                           std::string>>
        record;
    for (const Message& message : session.messages) {
      record.emplace_back(message.sender, message.recipients, message.outcome, message.text);
    }
    return std::make_pair(record, session.agreement);
  };
  auto first = run();
  EXPECT_FALSE(first.first.empty());
  EXPECT_EQ(first, run());
}

}  // namespace
}  // namespace parley::protocols

namespace parley::protocols {
namespace {

using testing::CompareInboxesWithTrace;
using testing::RunThroughSession;
using testing::SessionRun;

PARLEY_REGISTER_STRATEGY(testing::DescribePolicy("phased_test_compromiser",
                                                 {model::Role::kPrincipal},
                                                 [](const Parameters&) { return Compromiser(); }));
PARLEY_REGISTER_STRATEGY(testing::DescribePolicy(
    "phased_test_reopener", {model::Role::kPrincipal}, [](const Parameters&) {
      Policy reopen = [](const PartyView&, const Request& request) {
        if (Allows(request, ActionType::kOffer)) {
          return Make(ActionType::kOffer, model::Outcome{0, 2, 0, 1});
        }
        return Make(ActionType::kReject);
      };
      return ByPhase(AcceptAbove(0.5), reopen);
    }));

TEST(PhasedSessionTest, TheSessionRecordsOffersThatReopenAnAgreedPhase) {
  model::Scenario scenario = Bargain(/*carol=*/false, /*mediators=*/false);
  SessionRun run =
      RunThroughSession(scenario, "phased",
                        {{"alice", "phased_test_compromiser"}, {"bob", "phased_test_reopener"}}, 8);
  ASSERT_TRUE(run.trace.ok()) << run.trace.status().ToString();
  const session::Trace& trace = *run.trace;
  ASSERT_FALSE(trace.result.illegal_actions.empty());
  for (const session::IllegalAction& illegal : trace.result.illegal_actions) {
    EXPECT_EQ(illegal.party, *scenario.FindParty("bob"));
    EXPECT_NE(illegal.reason.find("settled issue 'a'"), std::string::npos) << illegal.reason;
  }
  bool settled = false;
  for (const session::TraceEvent& event : trace.events) {
    if (event.message.type == ActionType::kPass) settled = true;
    if (settled && event.message.outcome) {
      EXPECT_EQ((*event.message.outcome)[0], 1u);
    }
  }
  EXPECT_TRUE(settled);
  EXPECT_FALSE(trace.result.agreement);
  EXPECT_NE(trace.result.end_reason.find("lapsed (a=a1)"), std::string::npos)
      << trace.result.end_reason;
  EXPECT_EQ(CompareInboxesWithTrace(run), "");
}

TEST(PhasedSessionTest, MediatedPhasesAgreeThroughTheMediatorsOnly) {
  model::Scenario scenario = Bargain();
  SessionRun run = RunThroughSession(scenario, "phased",
                                     {{"alice", "protocols_test_accept_above"},
                                      {"bob", "protocols_test_accept_above"},
                                      {"med1", "protocols_test_midpoint_mediator"},
                                      {"med2", "protocols_test_midpoint_mediator"}},
                                     10);
  ASSERT_TRUE(run.trace.ok()) << run.trace.status().ToString();
  ASSERT_TRUE(run.trace->result.agreement) << run.trace->result.end_reason;
  EXPECT_EQ(*run.trace->result.outcome, (model::Outcome{1, 1, 0, 1}));
  EXPECT_TRUE(run.trace->result.illegal_actions.empty());
  EXPECT_EQ(CompareInboxesWithTrace(run), "");
  for (const std::string id : {"alice", "bob"}) {
    for (const Message& message : run.inboxes.at(*scenario.FindParty(id))) {
      EXPECT_EQ(scenario.parties[message.sender].role, model::Role::kMediator);
    }
  }
}

// The ceasefire framework, phase by phase, with whatever strategies this build registers. The
// principals' red lines clash on the end state (phase 2), not on the initial exchange: principals
// judge a phase's text on its own (and settled) issues, so phase 1 is agreed every time, and
// with default=status_quo its agreement stands when phase 2 fails.
TEST(PhasedSessionTest, CeasefirePhasesTerminateWithATrace) {
  auto registered = [](const std::string& name) {
    return strategies::StrategyRegistry::Global().Find(name) != nullptr;
  };
  if (!registered("time_based") || !registered("split_the_difference")) {
    GTEST_SKIP() << "time_based or split_the_difference is not registered in this build";
  }
  Result<model::Scenario> scenario =
      io::LoadScenario(std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  const std::vector<std::vector<std::size_t>> phases = PhaseIssues(*scenario);
  for (std::string protocol : {"phased", "phased(default=status_quo, pause_continues=false)",
                               "phased(inner=alternating_offers)"}) {
    SessionRun run = RunThroughSession(*scenario, protocol,
                                       {{"israel", "time_based"},
                                        {"hamas", "time_based"},
                                        {"qatar", "split_the_difference"},
                                        {"united_states", "split_the_difference"}},
                                       60);
    ASSERT_TRUE(run.trace.ok()) << run.trace.status().ToString();
    const session::Trace& trace = *run.trace;
    SCOPED_TRACE(protocol + ": " + trace.result.end_reason);
    EXPECT_FALSE(trace.events.empty());
    EXPECT_LE(trace.result.rounds, 60);
    for (const session::IllegalAction& illegal : trace.result.illegal_actions) {
      ADD_FAILURE() << scenario->parties[illegal.party].id << ": " << illegal.reason;
    }
    EXPECT_EQ(CompareInboxesWithTrace(run), "");
    // Once the first phase is announced as agreed, its issues never change.
    std::map<std::size_t, model::OptionIndex> settled;
    const std::string agreed = "phase 1 of 2 'initial_exchange' agreed: ";
    for (const session::TraceEvent& event : trace.events) {
      const Message& message = event.message;
      if (settled.empty() && message.type == ActionType::kPass &&
          message.text.rfind(agreed, 0) == 0) {
        std::string list = message.text.substr(agreed.size());
        std::size_t start = 0;
        while (start < list.size()) {
          std::size_t end = list.find(", ", start);
          std::string item = list.substr(start, end == std::string::npos ? end : end - start);
          std::size_t equals = item.find('=');
          std::size_t issue_idx = *scenario->FindIssue(item.substr(0, equals));
          settled[issue_idx] = static_cast<model::OptionIndex>(
              *scenario->issues[issue_idx].FindOption(item.substr(equals + 1)));
          start = end == std::string::npos ? list.size() : end + 2;
        }
        EXPECT_EQ(settled.size(), phases[0].size());
        continue;
      }
      if (!message.outcome) continue;
      for (const auto& [issue_idx, option] : settled) {
        EXPECT_EQ((*message.outcome)[issue_idx], option);
      }
    }
    EXPECT_EQ(settled.size(), phases[0].size()) << "phase 1 was not agreed";
    if (protocol.find("status_quo") != std::string::npos) {
      ASSERT_TRUE(trace.result.agreement);
      for (const auto& [issue_idx, option] : settled) {
        EXPECT_EQ((*trace.result.outcome)[issue_idx], option);
      }
      for (std::size_t issue_idx : phases[1]) {
        EXPECT_EQ((*trace.result.outcome)[issue_idx], 0u) << scenario->issues[issue_idx].id;
      }
    }
  }
}

}  // namespace
}  // namespace parley::protocols
