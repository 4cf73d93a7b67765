#include "parley/report/session_text.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "parley/io/command_text.h"
#include "parley/io/scenario_io.h"

namespace parley::report {
namespace {

model::Scenario LoadExample(const std::string& name) {
  Result<model::Scenario> scenario =
      io::LoadScenario(std::string(PARLEY_SOURCE_DIR) + "/examples/" + name);
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return std::move(scenario).value();
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

session::Trace RunWithAll(const model::Scenario& scenario, const std::string& strategy,
                          int rounds) {
  session::SessionConfig config;
  config.rounds = rounds;
  config.seed = 5;
  for (std::size_t party_idx : scenario.PrincipalIndices()) config.strategies[party_idx] = strategy;
  Result<session::Trace> trace = session::RunSession(scenario, config);
  EXPECT_TRUE(trace.ok()) << trace.status().ToString();
  return std::move(trace).value();
}

TEST(SessionSummaryTextTest, AnAgreementIsSaidWithItsOutcomeUtilitiesAndGaps) {
  model::Scenario scenario = LoadExample("riverside.yaml");
  session::Trace trace = RunWithAll(scenario, "conceder", 200);
  const session::SessionResult& result = trace.result;
  ASSERT_TRUE(result.agreement);
  session::ScenarioReference reference;  // distances are read from the result
  std::string text = SessionSummaryText(scenario, trace, reference);

  std::string head = scenario.meta.banner.empty() ? "" : "NOTE: " + scenario.meta.banner + "\n\n";
  head += fmt::format("{}: {}, deadline 200 rounds, seed 5\n", scenario.name, trace.protocol);
  EXPECT_EQ(text.rfind(head, 0), 0u) << text;
  for (const auto& [party_idx, spec] : trace.strategies) {
    const model::Party& party = scenario.parties[party_idx];
    EXPECT_TRUE(Contains(text, fmt::format("  {} ({}) [{}]: {}\n", party.id, party.name,
                                           model::RoleName(party.role), spec)))
        << text;
  }
  EXPECT_TRUE(Contains(text, fmt::format("Agreement in round {} of 200 ({} messages).\nOutcome:\n",
                                         result.rounds, session::MessageCount(trace))))
      << text;
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    const model::Issue& issue = scenario.issues[issue_idx];
    EXPECT_TRUE(Contains(text, "  " + issue.DisplayName() + ": " +
                                   issue.OptionDisplayName((*result.outcome)[issue_idx]) + "\n"))
        << text;
  }
  EXPECT_TRUE(Contains(text, "Utilities (discounted, undiscounted):\n")) << text;
  for (std::size_t position = 0; position < result.scored_parties.size(); ++position) {
    EXPECT_TRUE(Contains(text, fmt::format("{:.4f}  {:.4f}", result.utilities[position],
                                           result.raw_utilities[position])))
        << text;
  }
  EXPECT_TRUE(
      Contains(text, fmt::format("Welfare (sum over principals): {:.4f}\n", result.welfare)))
      << text;
  ASSERT_FALSE(result.gaps.empty());
  EXPECT_TRUE(
      Contains(text, fmt::format("Gap between the principals' latest offers (round {} -> "
                                 "round {}):\n",
                                 result.gaps.front().round + 1, result.gaps.back().round + 1)))
      << text;
  EXPECT_TRUE(Contains(text, fmt::format("{:.2f} -> {:.2f}\n", result.gaps.front().overall,
                                         result.gaps.back().overall)))
      << text;
  EXPECT_FALSE(Contains(text, "WARNING")) << text;
  EXPECT_FALSE(Contains(text, "Illegal actions")) << text;
}

TEST(SessionSummaryTextTest, NoAgreementSaysWhyAndShowsReservationValues) {
  model::Scenario scenario = LoadExample("riverside.yaml");
  session::Trace trace = RunWithAll(scenario, "hardliner", 30);
  ASSERT_FALSE(trace.result.agreement);
  session::ScenarioReference reference;
  reference.note = "no frontier for this test";
  trace.result.distance_to_pareto.reset();
  std::string text = SessionSummaryText(scenario, trace, reference);
  EXPECT_TRUE(Contains(text, fmt::format("No agreement: {} (after {} of 30 rounds, {} messages).\n",
                                         trace.result.end_reason, trace.result.rounds,
                                         session::MessageCount(trace))))
      << text;
  EXPECT_TRUE(Contains(text, "Utilities (reservation values):\n")) << text;
  EXPECT_TRUE(Contains(text, "Distances not computed: no frontier for this test\n")) << text;
}

TEST(SessionSummaryTextTest, AnAgreementAcrossARedLineIsWarnedAboutAndIllegalActionsCounted) {
  model::Scenario scenario = LoadExample("ceasefire.yaml");
  session::Trace trace;
  trace.scenario_name = scenario.name;
  trace.protocol = "shuttle";
  trace.rounds = 10;
  trace.seed = 3;
  Result<model::Outcome> outcome =
      io::ParseOutcome(scenario,
                       "ceasefire=time_limited_pause,withdrawal=to_perimeter,linkage=no_linkage,"
                       "hostages_released=33,prisoners_released=700,humanitarian_access=increased,"
                       "guarantees=multilateral_endorsement");
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  trace.result.agreement = true;
  trace.result.outcome = *outcome;
  trace.result.rounds = 4;
  trace.result.end_reason = "agreement";
  const std::size_t hamas = *scenario.FindParty("hamas");
  trace.result.illegal_actions.push_back({2, hamas, "an offer outside its phase"});
  trace.result.illegal_actions.push_back({3, hamas, "again"});
  session::ScenarioReference reference;
  reference.note = "not computed";
  std::string text = SessionSummaryText(scenario, trace, reference);
  EXPECT_TRUE(Contains(text, "WARNING: the agreement crosses ")) << text;
  EXPECT_TRUE(Contains(text, "red line")) << text;
  EXPECT_TRUE(Contains(text,
                       "Illegal actions: 2 (first in round 3, by hamas: an offer outside "
                       "its phase)\n"))
      << text;
  // No round had offers from two principals.
  EXPECT_TRUE(Contains(text, "Gaps: no round had offers from two principals")) << text;
  if (!scenario.meta.banner.empty()) {
    EXPECT_EQ(text.rfind("NOTE: " + scenario.meta.banner + "\n\n", 0), 0u) << text;
  }
}

}  // namespace
}  // namespace parley::report
