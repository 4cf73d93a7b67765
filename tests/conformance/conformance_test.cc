// The conformance suites (conformance.h) over every registered protocol and strategy, and the
// registry smoke test. Cases are listed from the registries when the program starts, so a new
// protocol or strategy folder is covered without touching this file.
#include "conformance.h"

#include <gtest/gtest.h>

#include "parley/protocols/protocol.h"
#include "parley/strategies/strategy.h"

namespace parley::conformance {
namespace {

constexpr int kRounds = 40;

std::vector<Case> Cases() {
  RegisterConformanceStrategies();
  return AllCases(BaseSeed());
}

std::vector<Case> Illegal() {
  RegisterConformanceStrategies();
  return IllegalCases(BaseSeed());
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) { return info.param.Name(); }

class ConformanceTest : public ::testing::TestWithParam<Case> {};

TEST_P(ConformanceTest, TerminatesWithinTheDeadline) {
  const Case& test_case = GetParam();
  EXPECT_TRUE(Terminates(test_case.Scenario(), test_case.Config(kRounds)));
  // A short deadline too: the protocol must stop however little time it has.
  EXPECT_TRUE(Terminates(test_case.Scenario(), test_case.Config(3)));
}

TEST_P(ConformanceTest, IsDeterministicForASeed) {
  const Case& test_case = GetParam();
  EXPECT_TRUE(IsDeterministic(test_case.Scenario(), test_case.Config(kRounds)));
}

TEST_P(ConformanceTest, ShowsEachPartyOnlyWhatItsViewAllows) {
  const Case& test_case = GetParam();
  EXPECT_TRUE(RespectsViews(test_case.Scenario(), test_case.Config(kRounds),
                            PrincipalsHearOnlyMediators(test_case.protocol, test_case.mediators)));
}

TEST_P(ConformanceTest, ShowsEachPartyOnlyWhatItsViewAllowsStepByStep) {
  const Case& test_case = GetParam();
  EXPECT_TRUE(RespectsViews(test_case.Scenario(), test_case.Config(kRounds),
                            PrincipalsHearOnlyMediators(test_case.protocol, test_case.mediators),
                            /*stepwise=*/true));
}

// One implementation of the rules: answering through Session::Submit, in any order of readiness,
// with engines and persons mixed, and across a restart, gives RunSession's trace byte for byte.
TEST_P(ConformanceTest, BothDriversGiveTheSameTrace) {
  const Case& test_case = GetParam();
  const model::Scenario scenario = test_case.Scenario();
  const session::SessionConfig config = test_case.Config(kRounds);
  for (std::uint64_t order = 1; order <= 2; ++order) {
    EXPECT_TRUE(DriversAgree(scenario, config, StepwiseOptions{order, false, std::nullopt}));
  }
  EXPECT_TRUE(DriversAgree(scenario, config, StepwiseOptions{3, true, std::nullopt}));
  EXPECT_TRUE(DriversAgree(scenario, config, StepwiseOptions{4, true, std::size_t{7}}));
}

TEST_P(ConformanceTest, TraceRoundTripsThroughJson) {
  const Case& test_case = GetParam();
  EXPECT_TRUE(TraceRoundTrips(test_case.Scenario(), test_case.Config(kRounds)));
}

TEST_P(ConformanceTest, RegisteredStrategiesActLegally) {
  const Case& test_case = GetParam();
  EXPECT_TRUE(ActsLegally(test_case.Scenario(), test_case.Config(kRounds)));
}

INSTANTIATE_TEST_SUITE_P(Registry, ConformanceTest, ::testing::ValuesIn(Cases()), CaseName);

class IllegalActionTest : public ::testing::TestWithParam<Case> {};

TEST_P(IllegalActionTest, IsRecordedAndTheSessionStillEndsCleanly) {
  const Case& test_case = GetParam();
  for (std::uint64_t seed_offset = 0; seed_offset < 3; ++seed_offset) {
    Case seeded = test_case;
    seeded.seed += seed_offset;
    EXPECT_TRUE(RejectsIllegalActions(seeded.Scenario(), seeded.Config(kRounds), seeded.role));
    // Illegal answers submitted step by step are recorded the same way.
    EXPECT_TRUE(DriversAgree(seeded.Scenario(), seeded.Config(kRounds),
                             StepwiseOptions{seed_offset + 1, false, std::nullopt}));
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, IllegalActionTest, ::testing::ValuesIn(Illegal()), CaseName);

// Every protocol x strategy combination on small scenarios (with and without red lines) and a few
// seeds: each session runs, ends within its deadline and leaves a well-formed trace.
TEST(RegistrySmokeTest, EveryCombinationRunsOnSmallScenarios) {
  std::vector<Case> cases = Cases();
  ASSERT_FALSE(cases.empty());
  std::size_t sessions = 0;
  for (const Case& test_case : cases) {
    for (std::uint64_t seed_offset = 1; seed_offset <= 3; ++seed_offset) {
      std::uint64_t seed = test_case.seed + 1000 * seed_offset;
      for (bool red_lines : {false, true}) {
        model::Scenario scenario =
            MakeScenario(test_case.principals, test_case.mediators, seed, red_lines);
        session::SessionConfig config = test_case.Config(25);
        config.seed = seed;
        EXPECT_TRUE(Terminates(scenario, config)) << test_case.Name();
        ++sessions;
      }
    }
  }
  RecordProperty("sessions", static_cast<int>(sessions));
}

TEST(RegistrySmokeTest, EveryProtocolAndStrategyIsCovered) {
  std::vector<Case> cases = Cases();
  for (const auto* protocol : protocols::ProtocolRegistry::Global().All()) {
    bool covered = false;
    for (const Case& test_case : cases) covered = covered || test_case.protocol == protocol->name;
    EXPECT_TRUE(covered) << protocol->name;
  }
  for (const auto* strategy : strategies::StrategyRegistry::Global().All()) {
    if (strategy->name == kIllegalStrategy) continue;
    bool covered = false;
    for (const Case& test_case : cases) covered = covered || test_case.strategy == strategy->name;
    EXPECT_TRUE(covered) << strategy->name;
  }
}

}  // namespace
}  // namespace parley::conformance
