#include "parley/protocols/single_text/single_text.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>

#include "parley/protocols/testing/fake_session.h"
#include "parley/protocols/testing/fixtures.h"

namespace parley::protocols {
namespace {

using testing::AlwaysReject;
using testing::Bargain;
using testing::FakeSession;
using testing::Make;
using testing::PartyIndex;
using testing::Policy;

Status RunSingleText(FakeSession& session,
                     const std::map<std::string, std::string>& arguments = {}) {
  return testing::RunProtocol(session, "single_text", arguments);
}

// Klein et al.'s mediator: a first text (`first`, or random), then the standing text with one
// issue changed at random. It passes on adoption decisions (so the unanimity rule applies).
Policy MutatingMediator(std::uint64_t seed, std::optional<model::Outcome> first = std::nullopt) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [rng, first](const PartyView& view, const Request& request) {
    if (!testing::Allows(request, ActionType::kOffer)) return Make(request.fallback);
    const std::vector<std::uint64_t>& cardinalities = view.space().Cardinalities();
    model::Outcome text(cardinalities.size());
    if (request.standing_offer) {
      text = *request.standing_offer;
      std::size_t issue_idx = (*rng)() % cardinalities.size();
      std::uint64_t shift = 1 + (*rng)() % (cardinalities[issue_idx] - 1);
      text[issue_idx] =
          static_cast<model::OptionIndex>((text[issue_idx] + shift) % cardinalities[issue_idx]);
    } else if (first) {
      text = *first;
    } else {
      for (std::size_t issue_idx = 0; issue_idx < text.size(); ++issue_idx) {
        text[issue_idx] = static_cast<model::OptionIndex>((*rng)() % cardinalities[issue_idx]);
      }
    }
    return Make(ActionType::kOffer, text);
  };
}

// The standing text as a principal knows it: the last text a mediator announced as adopted.
std::optional<model::Outcome> AnnouncedStandingText(const PartyView& view) {
  std::optional<model::Outcome> standing;
  for (const Message& message : view.inbox()) {
    if (view.parties()[message.sender].role == model::Role::kMediator &&
        message.type == ActionType::kAccept) {
      standing = message.outcome;
    }
  }
  return standing;
}

// Klein et al.'s hill climber: accepts a text at least as good as the standing one; without a
// standing text, any text at least worth its reservation value.
Policy HillClimber() {
  return [](const PartyView& view, const Request& request) {
    if (!request.standing_offer) return Make(request.fallback);
    double proposed = testing::UtilityOf(view, *request.standing_offer);
    std::optional<model::Outcome> standing = AnnouncedStandingText(view);
    double bar =
        standing ? testing::UtilityOf(view, *standing) : view.preferences()->ReservationOrZero();
    Action vote = Make(ActionType::kVote);
    vote.accept = proposed >= bar;
    return vote;
  };
}

class SingleTextTest : public ::testing::Test {
 protected:
  void UseDefaultPolicies(FakeSession& session) {
    session.SetPolicy(alice_, HillClimber());
    session.SetPolicy(bob_, HillClimber());
    session.SetPolicy(med1_, MutatingMediator(11));
    session.SetPolicy(med2_, MutatingMediator(12));
  }

  model::Scenario scenario_ = Bargain();
  std::size_t alice_ = PartyIndex(scenario_, "alice");
  std::size_t bob_ = PartyIndex(scenario_, "bob");
  std::size_t med1_ = PartyIndex(scenario_, "med1");
  std::size_t med2_ = PartyIndex(scenario_, "med2");
};

TEST_F(SingleTextTest, NeedsAnEnabledMediator) {
  model::Scenario no_mediator = Bargain(/*carol=*/false, /*mediators=*/false);
  FakeSession session(no_mediator, 10);
  Status status = RunSingleText(session);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(status.message().find("mediator"), std::string::npos) << status.message();
  EXPECT_TRUE(session.requests.empty());
  EXPECT_TRUE(session.messages.empty());
}

TEST_F(SingleTextTest, RejectsAnUnknownAdoptionRule) {
  FakeSession session(scenario_, 10);
  Status status = RunSingleText(session, {{"adoption", "majority"}});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(status.message().find("adoption"), std::string::npos);
}

TEST_F(SingleTextTest, HillClimbingNeverMakesAPrincipalWorseOff) {
  FakeSession session(scenario_, 40);
  UseDefaultPolicies(session);
  // From (a1, b1, c0, d0) only the joint gain d0 -> d1 improves both; hill climbers find it.
  session.SetPolicy(med1_, MutatingMediator(11, model::Outcome{1, 1, 0, 0}));
  session.SetPolicy(med2_, MutatingMediator(12, model::Outcome{1, 1, 0, 0}));
  ASSERT_TRUE(RunSingleText(session).ok());
  std::vector<model::Outcome> adopted;
  for (const Message& message : session.messages) {
    if (message.type == ActionType::kAccept &&
        (message.sender == med1_ || message.sender == med2_)) {
      adopted.push_back(*message.outcome);
    }
  }
  ASSERT_GE(adopted.size(), 2u);
  for (std::size_t principal : {alice_, bob_}) {
    const model::UtilityFunction& utility = *scenario_.parties[principal].preferences->utility;
    EXPECT_GE(utility.Evaluate(adopted.front()), 0.3);  // above the reservation value
    for (std::size_t step = 1; step < adopted.size(); ++step) {
      EXPECT_GE(utility.Evaluate(adopted[step]), utility.Evaluate(adopted[step - 1]));
    }
  }
  EXPECT_EQ(adopted.front(), (model::Outcome{1, 1, 0, 0}));
  ASSERT_TRUE(session.agreement) << session.failure.value_or("");
  EXPECT_EQ(*session.agreement, adopted.back());
  EXPECT_EQ(*session.agreement, (model::Outcome{1, 1, 0, 1}));
  EXPECT_EQ(session.agreeing, (std::vector<std::size_t>{alice_, bob_}));
  EXPECT_TRUE(session.illegal.empty());
  EXPECT_EQ(session.uses_after_finish, 0);
}

TEST_F(SingleTextTest, TextsGoToEveryoneAndVotesOnlyToTheDraftingMediator) {
  FakeSession session(scenario_, 10);
  UseDefaultPolicies(session);
  ASSERT_TRUE(RunSingleText(session).ok());
  int votes = 0;
  for (const Message& message : session.messages) {
    const std::size_t drafter = message.round % 2 == 0 ? med1_ : med2_;
    if (message.sender == alice_ || message.sender == bob_) {
      ++votes;
      EXPECT_EQ(message.recipients, std::vector<std::size_t>{drafter});
    } else {
      EXPECT_EQ(message.sender, drafter);
      const std::size_t other = drafter == med1_ ? med2_ : med1_;
      EXPECT_EQ(message.recipients, (std::vector<std::size_t>{alice_, bob_, other}));
    }
  }
  EXPECT_EQ(votes, 2 * 10);  // every round, both principals vote once
  // Neither principal ever saw the other's vote.
  for (std::size_t principal : {alice_, bob_}) {
    for (const Message& message : session.view(principal).inbox()) {
      EXPECT_TRUE(message.sender == med1_ || message.sender == med2_);
    }
  }
}

TEST_F(SingleTextTest, MediatorsTakeTurnsDrafting) {
  FakeSession session(scenario_, 6);
  UseDefaultPolicies(session);
  ASSERT_TRUE(RunSingleText(session).ok());
  int drafts = 0;
  for (const FakeSession::AskRecord& ask : session.requests) {
    if (ask.party != med1_ && ask.party != med2_) continue;
    ++drafts;
  }
  EXPECT_EQ(drafts, 6);
  int round = 0;
  for (const Message& message : session.messages) {
    if (message.sender != med1_ && message.sender != med2_) continue;
    EXPECT_EQ(message.sender, message.round % 2 == 0 ? med1_ : med2_);
    round = message.round;
  }
  EXPECT_EQ(round, 5);
}

TEST_F(SingleTextTest, FinalVoteRatifiesTheStandingTextOrFails) {
  for (bool bob_ratifies : {true, false}) {
    FakeSession session(scenario_, 12);
    UseDefaultPolicies(session);
    if (!bob_ratifies) {
      session.SetPolicy(bob_, [](const PartyView& view, const Request& request) {
        if (view.clock().round == 11) return Make(ActionType::kReject);
        return HillClimber()(view, request);
      });
    }
    ASSERT_TRUE(RunSingleText(session, {{"final_vote", "true"}}).ok());
    // The last round drafts nothing: the standing text is put to the vote.
    for (const FakeSession::AskRecord& ask : session.requests) {
      if (ask.party == med1_ || ask.party == med2_) {
        EXPECT_LT(ask.round, 11);
      }
    }
    std::optional<model::Outcome> standing;
    std::optional<model::Outcome> ratified;
    for (const Message& message : session.messages) {
      if (message.round < 11 && message.type == ActionType::kAccept &&
          (message.sender == med1_ || message.sender == med2_)) {
        standing = message.outcome;
      }
      if (message.round == 11 && message.type == ActionType::kOffer) ratified = message.outcome;
    }
    ASSERT_TRUE(standing);
    EXPECT_EQ(ratified, standing);
    if (bob_ratifies) {
      ASSERT_TRUE(session.agreement) << session.failure.value_or("");
      EXPECT_EQ(*session.agreement, *standing);
    } else {
      EXPECT_FALSE(session.agreement);
      ASSERT_TRUE(session.failure);
      EXPECT_NE(session.failure->find("rejected by bob"), std::string::npos) << *session.failure;
      EXPECT_EQ(session.blocked_by, bob_);
    }
  }
}

TEST_F(SingleTextTest, AMediatorMayAdoptATextNotEveryoneAccepted) {
  for (std::string adoption : {"unanimity", "mediator"}) {
    FakeSession session(scenario_, 6);
    session.SetPolicy(alice_, testing::AcceptAbove(0.0));
    session.SetPolicy(bob_, AlwaysReject());
    Policy mutate = MutatingMediator(3);
    Policy adopting = [mutate](const PartyView& view, const Request& request) {
      if (testing::Allows(request, ActionType::kOffer)) return mutate(view, request);
      return Make(ActionType::kAccept);  // adopt whatever the votes
    };
    session.SetPolicy(med1_, adopting);
    session.SetPolicy(med2_, adopting);
    ASSERT_TRUE(RunSingleText(session, {{"adoption", adoption}}).ok());
    std::map<int, model::Outcome> text_of_round;
    for (const Message& message : session.messages) {
      if (message.type == ActionType::kOffer) text_of_round[message.round] = *message.outcome;
    }
    int drafts = 0;
    for (const FakeSession::AskRecord& ask : session.requests) {
      if ((ask.party != med1_ && ask.party != med2_) ||
          !testing::Allows(ask.request, ActionType::kOffer)) {
        continue;
      }
      ++drafts;
      // The standing text is the previous round's text only when the mediator may adopt it.
      if (adoption == "mediator" && ask.round > 0) {
        EXPECT_EQ(ask.request.standing_offer, text_of_round.at(ask.round - 1));
      } else {
        EXPECT_FALSE(ask.request.standing_offer);
      }
    }
    EXPECT_EQ(drafts, 6);
    // Bob never accepted anything, so nothing is agreed either way.
    EXPECT_FALSE(session.agreement);
    ASSERT_TRUE(session.failure);
    EXPECT_NE(session.failure->find("deadline"), std::string::npos);
  }
}

TEST_F(SingleTextTest, StopsAtTheDeadlineOrItsOwnRoundLimit) {
  for (int own_limit : {0, 4}) {
    FakeSession session(scenario_, 9);
    UseDefaultPolicies(session);
    session.SetPolicy(bob_, AlwaysReject());
    ASSERT_TRUE(RunSingleText(session, {{"max_rounds", std::to_string(own_limit)}}).ok());
    const int rounds = own_limit > 0 ? own_limit : 9;
    ASSERT_TRUE(session.failure);
    EXPECT_EQ(session.clock().round, rounds - 1);
    int last_round = -1;
    for (const Message& message : session.messages)
      last_round = std::max(last_round, message.round);
    EXPECT_EQ(last_round, rounds - 1);
    EXPECT_EQ(session.uses_after_finish, 0);
  }
}

TEST_F(SingleTextTest, EndsWhenAPrincipalWalksAway) {
  FakeSession session(scenario_, 20);
  UseDefaultPolicies(session);
  session.SetPolicy(alice_, [](const PartyView& view, const Request& request) {
    if (view.clock().round == 3) return Make(ActionType::kEndNegotiation);
    return HillClimber()(view, request);
  });
  ASSERT_TRUE(RunSingleText(session).ok());
  ASSERT_TRUE(session.failure);
  EXPECT_EQ(session.blocked_by, alice_);
  EXPECT_EQ(session.clock().round, 3);
  EXPECT_EQ(session.uses_after_finish, 0);
}

TEST_F(SingleTextTest, SameSeedsGiveTheSameSession) {
  auto run = [this]() {
    FakeSession session(scenario_, 15);
    UseDefaultPolicies(session);
    PARLEY_CHECK(RunSingleText(session).ok());
    std::vector<std::pair<std::size_t, std::optional<model::Outcome>>> record;
    for (const Message& message : session.messages) {
      record.emplace_back(message.sender, message.outcome);
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
using testing::TraceBytes;

// The mutating mediator as a strategy, drawing from the rng the session gives it.
class MutatingMediatorStrategy final : public strategies::Strategy {
 public:
  void Initialize(const PartyView& view, std::mt19937_64& rng) override {
    (void)view;
    rng_ = &rng;
  }
  Action Act(const PartyView& view, const Request& request) override {
    if (!policy_) policy_ = MutatingMediator((*rng_)());
    return policy_(view, request);
  }

 private:
  std::mt19937_64* rng_ = nullptr;
  Policy policy_;
};

strategies::StrategyDescriptor DescribeMutatingMediator() {
  strategies::StrategyDescriptor descriptor;
  descriptor.name = "single_text_test_mutating_mediator";
  descriptor.summary = "protocol tests only";
  descriptor.roles = {model::Role::kMediator};
  descriptor.create = [](const Parameters&) -> std::unique_ptr<strategies::Strategy> {
    return std::make_unique<MutatingMediatorStrategy>();
  };
  return descriptor;
}

PARLEY_REGISTER_STRATEGY(DescribeMutatingMediator());
PARLEY_REGISTER_STRATEGY(testing::DescribePolicy("single_text_test_hill_climber",
                                                 {model::Role::kPrincipal},
                                                 [](const Parameters&) { return HillClimber(); }));

bool Registered(const std::string& strategy) {
  return strategies::StrategyRegistry::Global().Find(strategy) != nullptr;
}

TEST(SingleTextSessionTest, HillClimbersOnlyEverAdoptImprovements) {
  model::Scenario scenario = Bargain();
  const std::size_t alice = *scenario.FindParty("alice");
  const std::size_t bob = *scenario.FindParty("bob");
  const std::map<std::string, std::string> strategies = {
      {"alice", "single_text_test_hill_climber"},
      {"bob", "single_text_test_hill_climber"},
      {"med1", "single_text_test_mutating_mediator"},
      {"med2", "single_text_test_mutating_mediator"}};
  std::size_t most_adopted = 0;
  for (std::uint64_t seed : {1, 2, 3, 4, 5, 6}) {
    SessionRun run = RunThroughSession(scenario, "single_text", strategies, 30, seed);
    ASSERT_TRUE(run.trace.ok()) << run.trace.status().ToString();
    const session::Trace& trace = *run.trace;
    EXPECT_TRUE(trace.result.illegal_actions.empty());
    EXPECT_EQ(CompareInboxesWithTrace(run), "");
    // Utilities of adopted texts, per scored party (alice and bob are the first two).
    std::vector<std::vector<double>> adopted;
    std::optional<model::Outcome> last_adopted;
    std::map<int, std::size_t> drafter_of_round;
    for (const session::TraceEvent& event : trace.events) {
      const Message& message = event.message;
      const bool from_mediator = message.sender != alice && message.sender != bob;
      if (from_mediator && message.type == ActionType::kOffer) {
        drafter_of_round[message.round] = message.sender;
      }
      if (from_mediator && message.type == ActionType::kAccept) {
        adopted.push_back(event.utilities);
        last_adopted = message.outcome;
      }
      if (!from_mediator) {
        EXPECT_EQ(message.recipients, std::vector<std::size_t>{drafter_of_round.at(message.round)});
      }
    }
    most_adopted = std::max(most_adopted, adopted.size());
    for (std::size_t step = 1; step < adopted.size(); ++step) {
      EXPECT_GE(adopted[step][0], adopted[step - 1][0]);
      EXPECT_GE(adopted[step][1], adopted[step - 1][1]);
    }
    EXPECT_EQ(trace.result.agreement, last_adopted.has_value());
    if (last_adopted) {
      EXPECT_EQ(*trace.result.outcome, *last_adopted);
    }
  }
  EXPECT_GE(most_adopted, 2u);  // some seed climbed at least one step
  SessionRun first = RunThroughSession(scenario, "single_text", strategies, 30, 7);
  SessionRun again = RunThroughSession(scenario, "single_text", strategies, 30, 7);
  SessionRun other = RunThroughSession(scenario, "single_text", strategies, 30, 8);
  ASSERT_TRUE(first.trace.ok() && again.trace.ok() && other.trace.ok());
  EXPECT_EQ(TraceBytes(scenario, *first.trace), TraceBytes(scenario, *again.trace));
  EXPECT_NE(TraceBytes(scenario, *first.trace), TraceBytes(scenario, *other.trace));
}

TEST(SingleTextSessionTest, RefusesAScenarioWithoutAMediator) {
  model::Scenario scenario = Bargain(/*carol=*/false, /*mediators=*/false);
  SessionRun run = RunThroughSession(scenario, "single_text", {}, 10);
  ASSERT_FALSE(run.trace.ok());
  EXPECT_EQ(run.trace.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(run.trace.status().message().find("mediator"), std::string::npos);
}

// Klein et al.'s pairing as registered: annealing mediator, hill-climbing voters.
TEST(SingleTextSessionTest, AnnealingMediatorAndHillClimbersPlayByTheRules) {
  if (!Registered("single_text_annealer") || !Registered("hill_climber")) {
    GTEST_SKIP() << "single_text_annealer or hill_climber is not registered in this build";
  }
  Result<model::Scenario> ceasefire =
      io::LoadScenario(std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml");
  ASSERT_TRUE(ceasefire.ok()) << ceasefire.status().ToString();
  for (const model::Scenario& scenario : {Bargain(), *ceasefire}) {
    std::map<std::string, std::string> strategies;
    for (std::size_t principal : scenario.PrincipalIndices()) {
      strategies[scenario.parties[principal].id] = "hill_climber";
    }
    for (const model::Party& party : scenario.parties) {
      if (party.role == model::Role::kMediator && party.enabled) {
        strategies[party.id] = "single_text_annealer";
      }
    }
    for (std::string protocol :
         {"single_text", "single_text(adoption=mediator, final_vote=true)"}) {
      SessionRun run = RunThroughSession(scenario, protocol, strategies, 80);
      ASSERT_TRUE(run.trace.ok()) << run.trace.status().ToString();
      const session::Trace& trace = *run.trace;
      SCOPED_TRACE(scenario.name + " " + protocol + ": " + trace.result.end_reason);
      EXPECT_LE(trace.result.rounds, 80);
      for (const session::IllegalAction& illegal : trace.result.illegal_actions) {
        ADD_FAILURE() << scenario.parties[illegal.party].id << ": " << illegal.reason;
      }
      EXPECT_EQ(CompareInboxesWithTrace(run), "");
      if (trace.result.agreement) {
        // Every principal voted for the agreed text, and hill climbers never vote below their
        // reservation value or across their red lines.
        for (std::size_t principal : scenario.PrincipalIndices()) {
          const model::Preferences& preferences = *scenario.parties[principal].preferences;
          EXPECT_GE(preferences.utility->Evaluate(*trace.result.outcome),
                    preferences.ReservationOrZero());
          EXPECT_TRUE(preferences.AllowedByRedLines(*trace.result.outcome));
        }
      }
    }
  }
}

}  // namespace
}  // namespace parley::protocols
