#include "parley/tournament/tournament.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "parley/tournament/test_support.h"

namespace parley::tournament {
namespace {

using testing::Example;
using ::testing::HasSubstr;
using testing::TempFolder;
using testing::WriteText;

// ------------------------------------------------------------------ strategy assignments

std::vector<std::vector<std::uint32_t>> Assignments(std::size_t principals, std::size_t strategies,
                                                    bool swap) {
  Result<std::vector<std::vector<std::uint32_t>>> made =
      StrategyAssignments(principals, strategies, swap, 1'000'000);
  EXPECT_TRUE(made.ok());
  return made.ok() ? *made : std::vector<std::vector<std::uint32_t>>();
}

TEST(StrategyAssignmentsTest, TwoPrincipalsWithRoleSwappingPlayEveryOrderedPair) {
  for (std::size_t strategies = 1; strategies <= 6; ++strategies) {
    auto assignments = Assignments(2, strategies, true);
    std::set<std::vector<std::uint32_t>> distinct(assignments.begin(), assignments.end());
    EXPECT_EQ(distinct.size(), assignments.size());
    EXPECT_EQ(assignments.size(), strategies * strategies);
  }
}

TEST(StrategyAssignmentsTest, WithoutRoleSwappingEachPairPlaysOnce) {
  auto assignments = Assignments(2, 4, false);
  EXPECT_EQ(assignments.size(), 4u * 5u / 2u);
  for (const auto& assignment : assignments) EXPECT_LE(assignment[0], assignment[1]);
}

TEST(StrategyAssignmentsTest, ThreePrincipalsRotateEveryCombination) {
  // Counted by hand for 3 strategies: 3 combinations of one strategy (1 rotation each), 6 of
  // two (3 rotations), 1 of three (3 rotations): 3 + 18 + 3 = 24.
  auto assignments = Assignments(3, 3, true);
  EXPECT_EQ(assignments.size(), 24u);
  std::set<std::vector<std::uint32_t>> distinct(assignments.begin(), assignments.end());
  EXPECT_EQ(distinct.size(), 24u);
  // Each principal plays each strategy equally often over the rotations of a combination.
  std::map<std::pair<std::size_t, std::uint32_t>, int> plays;
  for (const auto& assignment : assignments) {
    for (std::size_t principal = 0; principal < 3; ++principal) {
      ++plays[{principal, assignment[principal]}];
    }
  }
  for (std::uint32_t strategy = 0; strategy < 3; ++strategy) {
    int first = plays[{0, strategy}];
    int second = plays[{1, strategy}];
    int third = plays[{2, strategy}];
    EXPECT_EQ(first, second);
    EXPECT_EQ(second, third);
  }
  EXPECT_EQ(Assignments(3, 3, false).size(), 10u);  // multisets of 3 from 3
}

TEST(StrategyAssignmentsTest, TooManyIsAnError) {
  EXPECT_FALSE(StrategyAssignments(10, 20, true, 1000).ok());
}

// ------------------------------------------------------------------ preparing

TournamentConfig SmallConfig(const std::vector<std::string>& scenarios,
                             const std::string& extra = "") {
  std::string text = "scenarios:\n";
  for (const std::string& scenario : scenarios) text += "  - " + scenario + "\n";
  text += "strategies: [boulware, conceder, hardliner]\nrounds: 20\nrepetitions: 2\nseed: 5\n";
  text += extra;
  Result<TournamentConfig> config = ParseTournamentConfig(text, "t.yaml", "");
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? *config : TournamentConfig();
}

std::unique_ptr<Tournament> PrepareOrDie(TournamentConfig config) {
  Result<std::unique_ptr<Tournament>> tournament = Tournament::Prepare(std::move(config));
  EXPECT_TRUE(tournament.ok()) << tournament.status().ToString();
  return tournament.ok() ? std::move(tournament).value() : nullptr;
}

TEST(TournamentTest, ScheduleCoversScenariosAssignmentsAndRepetitions) {
  auto tournament =
      PrepareOrDie(SmallConfig({Example("riverside.yaml"), Example("ceasefire.yaml")}));
  ASSERT_NE(tournament, nullptr);
  // riverside: 3 principals -> 24 assignments; ceasefire: 2 principals -> 9.
  EXPECT_EQ(tournament->sessions().size(), (24u + 9u) * 2u);
  EXPECT_EQ(tournament->max_principals(), 3u);
  std::set<std::uint64_t> keys;
  std::set<std::uint64_t> seeds;
  for (std::size_t index = 0; index < tournament->sessions().size(); ++index) {
    const ScheduledSession& session = tournament->sessions()[index];
    keys.insert(session.key);
    seeds.insert(session.seed);
    EXPECT_EQ(tournament->FindSession(Hex16(session.key)), index);
  }
  EXPECT_EQ(keys.size(), tournament->sessions().size());
  EXPECT_EQ(seeds.size(), tournament->sessions().size());
  EXPECT_FALSE(tournament->FindSession("0123456789abcdeX").has_value());
}

TEST(TournamentTest, KeysAndSeedsDoNotDependOnTheScheduleAroundThem) {
  auto small = PrepareOrDie(SmallConfig({Example("ceasefire.yaml")}));
  auto more = PrepareOrDie(
      SmallConfig({Example("riverside.yaml"), Example("ceasefire.yaml")}, "role_swapping: true\n"));
  ASSERT_NE(small, nullptr);
  ASSERT_NE(more, nullptr);
  // Every ceasefire session keeps its key and seed when another scenario comes first.
  std::map<std::uint64_t, std::uint64_t> seed_by_key;
  for (const ScheduledSession& session : more->sessions()) seed_by_key[session.key] = session.seed;
  for (const ScheduledSession& session : small->sessions()) {
    ASSERT_TRUE(seed_by_key.count(session.key));
    EXPECT_EQ(seed_by_key[session.key], session.seed);
  }
}

TEST(TournamentTest, FingerprintCoversWhatDecidesResultsOnly) {
  auto fingerprint = [](const std::string& extra) {
    TournamentConfig config = SmallConfig({Example("ceasefire.yaml")}, extra);
    auto tournament = PrepareOrDie(std::move(config));
    return tournament ? tournament->fingerprint() : std::string();
  };
  std::string base = fingerprint("");
  EXPECT_EQ(base.size(), 16u);
  EXPECT_EQ(fingerprint(""), base);
  EXPECT_EQ(fingerprint("format: jsonl\nstatistics: {confidence: 0.9}\noutput: x.csv\n"), base);
  EXPECT_NE(fingerprint("discount: false\n"), base);
  EXPECT_NE(fingerprint("role_swapping: false\n"), base);
  EXPECT_NE(fingerprint("protocol: alternating_offers(first=1)\n"), base);
}

TEST(TournamentTest, AnotherSeedKeepsKeysButChangesSeeds) {
  TournamentConfig first = SmallConfig({Example("ceasefire.yaml")});
  TournamentConfig second = first;
  second.seed = first.seed + 1;
  auto a = PrepareOrDie(std::move(first));
  auto b = PrepareOrDie(std::move(second));
  ASSERT_EQ(a->sessions().size(), b->sessions().size());
  for (std::size_t index = 0; index < a->sessions().size(); ++index) {
    EXPECT_EQ(a->sessions()[index].key, b->sessions()[index].key);
    EXPECT_NE(a->sessions()[index].seed, b->sessions()[index].seed);
  }
  EXPECT_NE(a->fingerprint(), b->fingerprint());
}

TEST(TournamentTest, AFolderOfScenariosStandsForEachOfThem) {
  TempFolder temp;
  std::filesystem::create_directories(temp.path() / "set" / "nested");
  WriteText(temp / "set/b_orchard.yaml", testing::kOrchardYaml);
  WriteText(temp / "set/nested/a_orchard.yaml", testing::kOrchardYaml);
  WriteText(temp / "set/notes.txt", "not a scenario");
  Result<TournamentConfig> config = ParseTournamentConfig(
      "scenarios: [set]\nstrategies: [boulware]\n", "t.yaml", temp.path().string());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto tournament = PrepareOrDie(*config);
  ASSERT_NE(tournament, nullptr);
  ASSERT_EQ(tournament->scenarios().size(), 2u);
  EXPECT_EQ(tournament->scenarios()[0].path, "set/b_orchard.yaml");
  EXPECT_EQ(tournament->scenarios()[1].path, "set/nested");
}

TEST(TournamentTest, ScenarioProblemsNameTheConfigLine) {
  TempFolder temp;
  WriteText(temp / "orchard.yaml", testing::kOrchardYaml);
  WriteText(temp / "broken.yaml", "parley: 1\nissues: []\n");
  auto prepare = [&](const std::string& text) {
    Result<TournamentConfig> config = ParseTournamentConfig(text, "t.yaml", temp.path().string());
    EXPECT_TRUE(config.ok()) << config.status().ToString();
    return Tournament::Prepare(*config).status();
  };
  Status missing =
      prepare("scenarios:\n  - orchard.yaml\n  - nowhere.yaml\nstrategies: [boulware]\n");
  EXPECT_EQ(missing.location().line, 3);
  EXPECT_THAT(missing.message(), HasSubstr("nowhere.yaml"));
  Status broken = prepare("scenarios:\n  - broken.yaml\nstrategies: [boulware]\n");
  EXPECT_EQ(broken.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(broken.location().line, 2);
  Status no_mediator =
      prepare("scenarios: [orchard.yaml]\nstrategies: [boulware]\nprotocol: shuttle\n");
  EXPECT_THAT(no_mediator.message(), HasSubstr("needs a mediator"));
  Status mediators = prepare(
      "scenarios: [orchard.yaml]\nstrategies: [boulware]\nmediators: [split_the_difference]\n");
  EXPECT_THAT(mediators.message(), HasSubstr("no enabled mediator"));
  EXPECT_EQ(mediators.location().line, 3);
}

TEST(TournamentTest, ARecordHoldsTheSessionSeenFromEachPrincipal) {
  auto tournament =
      PrepareOrDie(SmallConfig({Example("riverside.yaml")}, "mediators: [split_the_difference]\n"));
  ASSERT_NE(tournament, nullptr);
  const TournamentScenario& scenario = tournament->scenarios()[0];
  for (std::size_t index : {std::size_t{0}, std::size_t{7}, tournament->sessions().size() - 1}) {
    Result<SessionRecord> record = tournament->RunSession(index);
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    const ScheduledSession& session = tournament->sessions()[index];
    EXPECT_EQ(record->session, Hex16(session.key));
    EXPECT_EQ(record->config, tournament->fingerprint());
    EXPECT_EQ(record->scenario, "riverside");
    EXPECT_EQ(record->seed, session.seed);
    EXPECT_EQ(record->mediator, "split_the_difference");
    ASSERT_EQ(record->parties.size(), 3u);
    double welfare = 0;
    const auto& assignment = tournament->Assignment(session);
    for (std::size_t position = 0; position < 3; ++position) {
      const PartyRecord& party = record->parties[position];
      const model::Party& principal = scenario.scenario.parties[scenario.principals[position]];
      EXPECT_EQ(party.party, principal.id);
      EXPECT_EQ(party.strategy, tournament->config().strategies[assignment[position]].label);
      ASSERT_TRUE(party.utility.has_value());
      EXPECT_NEAR(*party.advantage, *party.utility - principal.preferences->ReservationOrZero(),
                  1e-12);
      if (!record->agreement) {
        EXPECT_DOUBLE_EQ(*party.utility, principal.preferences->ReservationOrZero());
      }
      welfare += *party.utility;
    }
    EXPECT_NEAR(record->welfare, welfare, 1e-9);
    EXPECT_GE(record->rounds, 1);
    EXPECT_LE(record->rounds, 20);
    // The same session again gives the same record.
    Result<SessionRecord> again = tournament->RunSession(index);
    ASSERT_TRUE(again.ok());
    again->elapsed_ms = record->elapsed_ms;
    EXPECT_EQ(FormatCsvRow(*again, 3), FormatCsvRow(*record, 3));
  }
}

TEST(TournamentTest, AStoppedSessionIsCancelled) {
  auto tournament = PrepareOrDie(SmallConfig({Example("ceasefire.yaml")}));
  std::stop_source stop;
  stop.request_stop();
  EXPECT_EQ(tournament->RunSession(0, stop.get_token()).status().code(), ErrorCode::kCancelled);
}

TEST(TournamentTest, ACallersOwnRegistrySuppliesStrategiesToConfigAndSessions) {
  // "copycat" exists only in the caller's registry: it builds the registered hardliner, so its
  // sessions must match hardliner's exactly.
  strategies::StrategyRegistry local = strategies::StrategyRegistry::Global();
  strategies::StrategyDescriptor copycat = *local.Find("hardliner");
  copycat.name = "copycat";
  ASSERT_TRUE(local.Register(copycat));
  std::string text = "scenarios: [" + Example("ceasefire.yaml") +
                     "]\nstrategies: [boulware, copycat]\nrounds: 20\nseed: 5\n";
  Result<TournamentConfig> unknown = ParseTournamentConfig(text, "t.yaml", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("copycat"));
  Result<TournamentConfig> config = ParseTournamentConfig(text, "t.yaml", "", &local);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->strategy_registry, &local);
  auto with_copycat = PrepareOrDie(std::move(config).value());
  auto with_hardliner = PrepareOrDie(
      ParseTournamentConfig("scenarios: [" + Example("ceasefire.yaml") +
                                "]\nstrategies: [boulware, hardliner]\nrounds: 20\nseed: 5\n",
                            "t.yaml", "")
          .value());
  ASSERT_NE(with_copycat, nullptr);
  ASSERT_NE(with_hardliner, nullptr);
  ASSERT_EQ(with_copycat->sessions().size(), 4u);
  // Both strategies are deterministic (a fixed best offer; a time-based concession by exact bid
  // search), so the seeds, which hash the labels, do not matter.
  for (std::size_t index = 0; index < 4; ++index) {
    Result<SessionRecord> mine = with_copycat->RunSession(index);
    Result<SessionRecord> theirs = with_hardliner->RunSession(index);
    ASSERT_TRUE(mine.ok()) << mine.status().ToString();
    ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
    for (std::size_t position = 0; position < 2; ++position) {
      EXPECT_EQ(mine->parties[position].strategy == "copycat",
                theirs->parties[position].strategy == "hardliner");
      EXPECT_EQ(mine->parties[position].utility, theirs->parties[position].utility);
    }
    EXPECT_EQ(mine->rounds, theirs->rounds);
    EXPECT_EQ(mine->end_reason, theirs->end_reason);
  }
}

}  // namespace
}  // namespace parley::tournament
