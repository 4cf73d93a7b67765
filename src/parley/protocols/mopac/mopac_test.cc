#include "parley/protocols/mopac/mopac.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "parley/protocols/testing/fake_session.h"
#include "parley/protocols/testing/fixtures.h"

namespace parley::protocols {
namespace {

using testing::Allows;
using testing::Bargain;
using testing::FakeSession;
using testing::Make;
using testing::PartyIndex;
using testing::Policy;

Status RunMopac(FakeSession& session, const std::map<std::string, std::string>& arguments = {}) {
  return testing::RunProtocol(session, "mopac", arguments);
}

// Brute force over every subset of the voters, by the rules in mopac.h.
std::optional<std::vector<std::size_t>> BruteForceCoalition(
    const std::vector<MopacVote>& votes, const std::map<std::size_t, std::int64_t>& powers,
    const MopacOptions& options) {
  std::optional<std::vector<std::size_t>> best;
  std::int64_t best_power = 0;
  for (std::uint32_t mask = 1; mask < (1u << votes.size()); ++mask) {
    std::vector<std::size_t> members;
    std::int64_t power = 0;
    std::int64_t needed = options.min_power;
    for (std::size_t vote_idx = 0; vote_idx < votes.size(); ++vote_idx) {
      if (!(mask & (1u << vote_idx))) continue;
      members.push_back(votes[vote_idx].party);
      power += powers.at(votes[vote_idx].party);
      needed = std::max(needed, votes[vote_idx].min_power);
    }
    std::sort(members.begin(), members.end());
    if (static_cast<std::int64_t>(members.size()) < options.min_votes || power < needed) continue;
    if (options.max_power > 0 && power > options.max_power) continue;
    const bool better = !best || power > best_power ||
                        (power == best_power && members.size() > best->size()) ||
                        (power == best_power && members.size() == best->size() && members < *best);
    if (better) {
      best = members;
      best_power = power;
    }
  }
  return best;
}

TEST(MopacCoalitionTest, MatchesBruteForceOnRandomVotes) {
  std::mt19937_64 rng(2024);
  int found = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::size_t num_voters = 1 + rng() % 8;
    std::map<std::size_t, std::int64_t> powers;
    std::vector<MopacVote> votes;
    std::vector<std::size_t> parties;
    for (std::size_t party = 0; party < 10; ++party) parties.push_back(party);
    std::shuffle(parties.begin(), parties.end(), rng);
    for (std::size_t voter = 0; voter < num_voters; ++voter) {
      const std::size_t party = parties[voter];
      powers[party] = 1 + static_cast<std::int64_t>(rng() % 5);
      votes.push_back(MopacVote{party, static_cast<std::int64_t>(rng() % 13)});
    }
    MopacOptions options;
    options.min_votes = 2 + static_cast<std::int64_t>(rng() % 3);
    options.min_power = static_cast<std::int64_t>(rng() % 8);
    options.max_power = rng() % 2 ? 0 : 1 + static_cast<std::int64_t>(rng() % 20);
    std::optional<std::vector<std::size_t>> fast = FindLargestCoalition(votes, powers, options);
    std::optional<std::vector<std::size_t>> slow = BruteForceCoalition(votes, powers, options);
    ASSERT_EQ(fast, slow) << "trial " << trial;
    found += fast.has_value();
  }
  EXPECT_GT(found, 300);  // the trials exercise both outcomes
  EXPECT_LT(found, 2700);
}

// A principal that offers `offer` and votes for exactly `supports` (value: its minimum power).
Policy Voter(model::Outcome offer, std::vector<model::Outcome> supports,
             std::optional<double> min_power = std::nullopt) {
  return [offer, supports, min_power](const PartyView&, const Request& request) {
    if (Allows(request, ActionType::kOffer)) return Make(ActionType::kOffer, offer);
    Action vote = Make(ActionType::kVote);
    vote.accept =
        std::find(supports.begin(), supports.end(), *request.standing_offer) != supports.end();
    vote.value = min_power;
    if (!*vote.accept && Allows(request, ActionType::kPass)) return Make(ActionType::kPass);
    return vote;
  };
}

class MopacTest : public ::testing::Test {
 protected:
  model::Scenario scenario_ = Bargain(/*carol=*/true);
  std::size_t alice_ = PartyIndex(scenario_, "alice");
  std::size_t bob_ = PartyIndex(scenario_, "bob");
  std::size_t carol_ = PartyIndex(scenario_, "carol");
  std::size_t med1_ = PartyIndex(scenario_, "med1");
  const model::Outcome x_{1, 1, 0, 1};
  const model::Outcome y_{0, 2, 0, 1};
  const model::Outcome z_{1, 1, 1, 0};
};

TEST_F(MopacTest, ASubsetClosesTheDealWithoutTheOthers) {
  FakeSession session(scenario_, 10);
  session.SetPolicy(alice_, Voter(x_, {x_}));
  session.SetPolicy(bob_, Voter(y_, {x_, y_}));
  session.SetPolicy(carol_, Voter(z_, {z_}));
  ASSERT_TRUE(RunMopac(session).ok());
  ASSERT_TRUE(session.agreement) << session.failure.value_or("");
  EXPECT_EQ(*session.agreement, x_);
  EXPECT_EQ(session.agreeing, (std::vector<std::size_t>{alice_, bob_}));
  EXPECT_EQ(session.clock().round, 0);
  EXPECT_TRUE(session.illegal.empty());
  EXPECT_EQ(session.uses_after_finish, 0);
}

TEST_F(MopacTest, PowerDecidesBetweenCoalitions) {
  for (bool weighted : {false, true}) {
    FakeSession session(scenario_, 10);
    session.SetPolicy(alice_, Voter(x_, {x_}));
    session.SetPolicy(bob_, Voter(y_, {x_, y_}));
    session.SetPolicy(carol_, Voter(z_, {y_}));
    ASSERT_TRUE(RunMopac(session, {{"powers", weighted ? "carol:3" : ""}}).ok());
    ASSERT_TRUE(session.agreement);
    if (weighted) {  // {bob, carol} has power 4 against {alice, bob}'s 2
      EXPECT_EQ(*session.agreement, y_);
      EXPECT_EQ(session.agreeing, (std::vector<std::size_t>{bob_, carol_}));
    } else {  // equal power and size: the earliest offer
      EXPECT_EQ(*session.agreement, x_);
      EXPECT_EQ(session.agreeing, (std::vector<std::size_t>{alice_, bob_}));
    }
  }
}

TEST_F(MopacTest, CoalitionBoundsApply) {
  struct Case {
    std::map<std::string, std::string> arguments;
    std::optional<std::vector<std::size_t>> coalition;
  };
  const std::vector<Case> cases = {
      {{}, std::vector<std::size_t>{alice_, bob_, carol_}},
      {{{"max_power", "2"}}, std::vector<std::size_t>{alice_, bob_}},
      {{{"min_votes", "3"}}, std::vector<std::size_t>{alice_, bob_, carol_}},
      {{{"min_power", "4"}}, std::nullopt},
      {{{"powers", "bob:2"}, {"max_power", "3"}}, std::vector<std::size_t>{alice_, bob_}},
  };
  for (const Case& test : cases) {
    FakeSession session(scenario_, 3);
    for (std::size_t principal : {alice_, bob_, carol_}) {
      session.SetPolicy(principal, Voter(x_, {x_}));
    }
    ASSERT_TRUE(RunMopac(session, test.arguments).ok());
    if (test.coalition) {
      ASSERT_TRUE(session.agreement) << session.failure.value_or("");
      EXPECT_EQ(session.agreeing, *test.coalition);
    } else {
      EXPECT_FALSE(session.agreement);
      ASSERT_TRUE(session.failure);
      EXPECT_NE(session.failure->find("deadline"), std::string::npos);
      EXPECT_EQ(session.clock().round, 2);
    }
  }
}

TEST_F(MopacTest, AVotersOwnMinimumPowerLeavesItOut) {
  FakeSession session(scenario_, 2);
  session.SetPolicy(alice_, Voter(x_, {x_}, /*min_power=*/3));
  session.SetPolicy(bob_, Voter(x_, {x_}));
  session.SetPolicy(carol_, Voter(z_, {}));
  ASSERT_TRUE(RunMopac(session).ok());
  EXPECT_FALSE(session.agreement);  // alice needs power 3, only bob joins her
  FakeSession with_carol(scenario_, 2);
  with_carol.SetPolicy(alice_, Voter(x_, {x_}, 3));
  with_carol.SetPolicy(bob_, Voter(x_, {x_}));
  with_carol.SetPolicy(carol_, Voter(z_, {x_}));
  ASSERT_TRUE(RunMopac(with_carol).ok());
  ASSERT_TRUE(with_carol.agreement);
  EXPECT_EQ(with_carol.agreeing, (std::vector<std::size_t>{alice_, bob_, carol_}));
}

TEST_F(MopacTest, VotesStayHiddenUntilEveryoneVotedThenOptInWidens) {
  for (bool opt_in : {true, false}) {
    FakeSession session(scenario_, 3);
    int votes_seen_while_voting = 0;
    auto count_votes = [](const PartyView& view) {
      int votes = 0;
      for (const Message& message : view.inbox()) {
        votes += message.round == view.clock().round && message.type == ActionType::kVote;
      }
      return votes;
    };
    Policy alice = Voter(x_, {x_});
    Policy bob = Voter(y_, {x_});
    auto spy = [&, count_votes](Policy inner) -> Policy {
      return [&, inner, count_votes](const PartyView& view, const Request& request) {
        if (Allows(request, ActionType::kReject)) votes_seen_while_voting += count_votes(view);
        return inner(view, request);
      };
    };
    session.SetPolicy(alice_, spy(alice));
    session.SetPolicy(bob_, spy(bob));
    // carol votes against everything, but opts in to an outcome two others voted for.
    session.SetPolicy(carol_, spy([&](const PartyView& view, const Request& request) {
                        if (Allows(request, ActionType::kOffer))
                          return Make(ActionType::kOffer, z_);
                        int support = 0;
                        for (const Message& message : view.inbox()) {
                          support += message.round == view.clock().round &&
                                     message.type == ActionType::kVote && message.accept == true &&
                                     message.outcome == request.standing_offer;
                        }
                        Action vote = Make(ActionType::kVote);
                        vote.accept = Allows(request, ActionType::kPass) && support >= 2;
                        return vote;
                      }));
    ASSERT_TRUE(RunMopac(session, {{"opt_in", opt_in ? "true" : "false"}}).ok());
    EXPECT_EQ(votes_seen_while_voting, 0);
    ASSERT_TRUE(session.agreement);
    EXPECT_EQ(*session.agreement, x_);
    EXPECT_EQ(session.agreeing, opt_in ? (std::vector<std::size_t>{alice_, bob_, carol_})
                                       : (std::vector<std::size_t>{alice_, bob_}));
  }
}

TEST_F(MopacTest, MessagesGoToEveryPrincipalStillNegotiatingAndNoMediator) {
  FakeSession session(scenario_, 4);
  session.SetPolicy(alice_, Voter(x_, {}));
  session.SetPolicy(bob_, Voter(y_, {}));
  session.SetPolicy(carol_, [this](const PartyView& view, const Request& request) {
    if (view.clock().round == 1 && Allows(request, ActionType::kEndNegotiation)) {
      return Make(ActionType::kEndNegotiation);
    }
    return Voter(z_, {})(view, request);
  });
  ASSERT_TRUE(RunMopac(session).ok());
  ASSERT_TRUE(session.failure);
  EXPECT_NE(session.failure->find("deadline"), std::string::npos);
  std::optional<std::uint64_t> carol_left;
  for (const Message& message : session.messages) {
    if (message.sender == carol_ && message.type == ActionType::kEndNegotiation) {
      carol_left = message.sequence;
    }
  }
  ASSERT_TRUE(carol_left);
  for (const Message& message : session.messages) {
    std::set<std::size_t> expected = {alice_, bob_};
    if (message.sequence <= *carol_left) expected.insert(carol_);
    expected.erase(message.sender);
    EXPECT_EQ(std::set<std::size_t>(message.recipients.begin(), message.recipients.end()), expected)
        << "round " << message.round << " from " << message.sender;
  }
  EXPECT_TRUE(session.view(med1_).inbox().empty());
  for (const FakeSession::AskRecord& ask : session.requests) {
    EXPECT_NE(ask.party, med1_);
    if (ask.round > 1) {
      EXPECT_NE(ask.party, carol_);
    }
  }
}

TEST_F(MopacTest, FailsWhenTooFewPrincipalsRemain) {
  FakeSession session(scenario_, 10);
  Policy leave = [](const PartyView&, const Request&) { return Make(ActionType::kEndNegotiation); };
  session.SetPolicy(alice_, Voter(x_, {x_}));
  session.SetPolicy(bob_, leave);
  session.SetPolicy(carol_, leave);
  ASSERT_TRUE(RunMopac(session).ok());
  ASSERT_TRUE(session.failure);
  EXPECT_EQ(session.blocked_by, carol_);
  EXPECT_EQ(session.clock().round, 0);
  EXPECT_EQ(session.uses_after_finish, 0);
}

TEST_F(MopacTest, RejectsBadConfigurationsByName) {
  const std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases = {
      {{{"powers", "dave:2"}}, "dave"},       {{{"powers", "med1:2"}}, "med1"},
      {{{"powers", "alice:0"}}, "alice"},     {{{"powers", "alice:two"}}, "alice"},
      {{{"powers", "alice"}}, "party:power"}, {{{"min_votes", "1"}}, "min_votes"},
      {{{"min_votes", "4"}}, "min_votes"},    {{{"max_power", "-1"}}, "max_power"},
  };
  for (const auto& [arguments, named] : cases) {
    FakeSession session(scenario_, 10);
    Status status = RunMopac(session, arguments);
    ASSERT_FALSE(status.ok()) << named;
    EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(status.message().find(named), std::string::npos) << status.message();
    EXPECT_TRUE(session.requests.empty());
  }
  FakeSession spaced(scenario_, 2);
  EXPECT_TRUE(RunMopac(spaced, {{"powers", " alice:2 ; bob : 1 ;"}}).ok());
}

TEST_F(MopacTest, SameInputsGiveTheSameSession) {
  auto run = [this]() {
    FakeSession session(scenario_, 6);
    session.SetPolicy(alice_, testing::AcceptAbove(0.6));
    session.SetPolicy(bob_, testing::AcceptAbove(0.6));
    session.SetPolicy(carol_, testing::AcceptAbove(0.6));
    PARLEY_CHECK(RunMopac(session).ok());
    std::vector<std::tuple<std::size_t, ActionType, std::optional<model::Outcome>>> record;
    for (const Message& message : session.messages) {
      record.emplace_back(message.sender, message.type, message.outcome);
    }
    return std::make_pair(record, session.agreeing);
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

TEST(MopacSessionTest, ASubsetAgreesAndMediatorsHearNothing) {
  model::Scenario scenario = Bargain(/*carol=*/true);
  const std::map<std::string, std::string> strategies = {
      {"alice", "protocols_test_accept_above(threshold=0.5)"},
      {"bob", "protocols_test_accept_above(threshold=0.5)"},
      {"carol", "protocols_test_accept_above(threshold=0.9)"},
      {"med1", "protocols_test_silent"},
      {"med2", "protocols_test_silent"}};
  SessionRun run = RunThroughSession(scenario, "mopac", strategies, 10, /*seed=*/3);
  ASSERT_TRUE(run.trace.ok()) << run.trace.status().ToString();
  const session::SessionResult& result = run.trace->result;
  ASSERT_TRUE(result.agreement) << result.end_reason;
  // carol offers her ideal (a1, b1, c0, d0); bob (0.54) and carol (1.0) vote for it, alice (0.48)
  // does not, and no other offer has two supporters.
  EXPECT_EQ(*result.outcome, (model::Outcome{1, 1, 0, 0}));
  EXPECT_EQ(result.agreeing_parties,
            (std::vector<std::size_t>{*scenario.FindParty("bob"), *scenario.FindParty("carol")}));
  EXPECT_TRUE(result.illegal_actions.empty());
  // Alice is outside the coalition: she keeps her reservation value; bob and carol get the deal.
  for (std::size_t position = 0; position < result.scored_parties.size(); ++position) {
    const model::Party& party = scenario.parties[result.scored_parties[position]];
    if (party.role != model::Role::kPrincipal) continue;
    double expected = party.id == "alice" ? party.preferences->ReservationOrZero()
                                          : party.preferences->utility->Evaluate(*result.outcome);
    EXPECT_DOUBLE_EQ(result.raw_utilities[position], expected) << party.id;
  }
  EXPECT_EQ(CompareInboxesWithTrace(run), "");
  EXPECT_TRUE(run.inboxes.at(*scenario.FindParty("med1")).empty());
  EXPECT_TRUE(run.inboxes.at(*scenario.FindParty("med2")).empty());
  SessionRun again = RunThroughSession(scenario, "mopac", strategies, 10, /*seed=*/3);
  ASSERT_TRUE(again.trace.ok());
  EXPECT_EQ(TraceBytes(scenario, *run.trace), TraceBytes(scenario, *again.trace));
}

TEST(MopacSessionTest, RegisteredStrategiesPlayItToTheEnd) {
  const std::vector<std::string> principals = {"time_based", "hill_climber", "hardliner"};
  model::Scenario scenario = Bargain(/*carol=*/true);
  int runs = 0;
  for (const std::string& strategy : principals) {
    if (strategies::StrategyRegistry::Global().Find(strategy) == nullptr) continue;
    ++runs;
    SessionRun run = RunThroughSession(scenario, "mopac(min_votes=2)",
                                       {{"alice", strategy},
                                        {"bob", strategy},
                                        {"carol", strategy},
                                        {"med1", "protocols_test_silent"},
                                        {"med2", "protocols_test_silent"}},
                                       40);
    ASSERT_TRUE(run.trace.ok()) << run.trace.status().ToString();
    SCOPED_TRACE(strategy + ": " + run.trace->result.end_reason);
    EXPECT_LE(run.trace->result.rounds, 40);
    for (const session::IllegalAction& illegal : run.trace->result.illegal_actions) {
      ADD_FAILURE() << scenario.parties[illegal.party].id << ": " << illegal.reason;
    }
    if (run.trace->result.agreement) {
      EXPECT_GE(run.trace->result.agreeing_parties.size(), 2u);
    }
  }
  if (runs == 0) GTEST_SKIP() << "no principal strategy is registered in this build";
}

}  // namespace
}  // namespace parley::protocols
