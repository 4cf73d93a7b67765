// Black-box tests of `parley suggest` and of the text evaluation `parley analyze --outcome` adds:
// the JSON fields docs/cli.md documents, what the text says, and exit codes for bad arguments.
// Expected figures are computed here from the scenario's own utilities and red lines.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "parley/io/scenario_io.h"
#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;

// The text relayed in the run issue 13 reports: it crosses Hamas's red lines.
const char* kRelayedText =
    "ceasefire=pause_extended_while_talks_continue,withdrawal=to_perimeter,"
    "linkage=negotiated_during_phase_one,hostages_released=33,prisoners_released=700,"
    "humanitarian_access=increased,guarantees=multilateral_endorsement";

model::Scenario Load(const std::string& name) {
  Result<model::Scenario> scenario = io::LoadScenario(io::ScenarioSource{Example(name), "", {}});
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return std::move(scenario).value();
}

model::Outcome OutcomeOf(const model::Scenario& scenario, const json& object) {
  model::Outcome outcome;
  for (const model::Issue& issue : scenario.issues) {
    const json& value = object.at(issue.id);
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    std::optional<std::uint64_t> option = issue.FindOption(text);
    EXPECT_TRUE(option.has_value()) << issue.id << "=" << text;
    outcome.push_back(static_cast<model::OptionIndex>(option.value_or(0)));
  }
  return outcome;
}

TEST(AnalyzeOutcomeCliTest, JsonNamesTheRedLinesCrossedAndTheReservationsMissed) {
  model::Scenario scenario = Load("ceasefire.yaml");
  CommandResult result =
      RunParley({"analyze", Example("ceasefire.yaml"), "--json", "--outcome", kRelayedText});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json outcome = json::parse(result.out).at("outcome");
  const json& crossed = outcome.at("red_lines_crossed");
  ASSERT_EQ(crossed.size(), 2u);
  EXPECT_EQ(crossed[0].at("party"), "hamas");
  EXPECT_EQ(crossed[0].at("red_line"), 0);
  EXPECT_EQ(crossed[0].at("description"), "a permanent ceasefire");
  EXPECT_EQ(crossed[1].at("description"), "full military withdrawal");
  // Below reservation: exactly the principals whose utility is under 0.45.
  json expected_below = json::array();
  for (std::size_t party_idx : scenario.PrincipalIndices()) {
    const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
    model::Outcome text = OutcomeOf(scenario, json::parse(R"({
        "ceasefire": "pause_extended_while_talks_continue", "withdrawal": "to_perimeter",
        "linkage": "negotiated_during_phase_one", "hostages_released": 33,
        "prisoners_released": 700, "humanitarian_access": "increased",
        "guarantees": "multilateral_endorsement"})"));
    if (preferences.utility->Evaluate(text) < *preferences.reservation_value - 1e-12) {
      expected_below.push_back(scenario.parties[party_idx].id);
    }
  }
  EXPECT_EQ(outcome.at("below_reservation"), expected_below);
}

TEST(AnalyzeOutcomeCliTest, TextSaysWhatTheOutcomeCrosses) {
  CommandResult result =
      RunParley({"analyze", Example("ceasefire.yaml"), "--outcome", kRelayedText});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("It crosses Hamas's red line 'a permanent ceasefire'"),
            std::string::npos)
      << result.out;
}

TEST(SuggestCliTest, CeasefireHasNoZoneAndSaysWhatWouldOpenOne) {
  CommandResult result = RunParley({"suggest", Example("ceasefire.yaml"), "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json out = json::parse(result.out);
  EXPECT_EQ(out.at("parties"), json({"israel", "hamas"}));
  EXPECT_EQ(out.at("criterion").at("name"), "nash");
  EXPECT_TRUE(out.at("zone_empty"));
  EXPECT_TRUE(out.at("suggestions").empty());
  EXPECT_EQ(out.at("draft"), nullptr);
  ASSERT_FALSE(out.at("relaxations").empty());
  for (const json& relaxation : out.at("relaxations")) {
    EXPECT_FALSE(relaxation.at("relax").empty());
    EXPECT_NE(relaxation.at("opens").at("count"), "0");
  }
  ASSERT_FALSE(out.at("deferrals").empty());
  const json& deferral = out.at("deferrals")[0];
  EXPECT_EQ(deferral.at("phase"), "initial_exchange");
  EXPECT_EQ(deferral.at("settle"),
            json({"linkage", "hostages_released", "prisoners_released", "humanitarian_access"}));
  EXPECT_EQ(deferral.at("open"), json({"ceasefire", "withdrawal", "guarantees"}));

  CommandResult text = RunParley({"suggest", Example("ceasefire.yaml")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("No text meets every party's reservation value and red lines"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("Agree Initial exchange now"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Relaxing Hamas's red line 'a permanent ceasefire'"), std::string::npos);
}

TEST(SuggestCliTest, SuggestionsAreAcceptableTextsWithTheirChangesFromTheDraft) {
  model::Scenario scenario = Load("riverside.yaml");
  std::string draft;
  for (const model::Issue& issue : scenario.issues) {
    draft += (draft.empty() ? "" : ",") + issue.id + "=" + issue.OptionLabel(0);
  }
  CommandResult result = RunParley({"suggest", Example("riverside.yaml"), "--json", "--draft",
                                    draft, "--criterion", "fewest_changes", "--limit", "3"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json out = json::parse(result.out);
  EXPECT_FALSE(out.at("zone_empty"));
  EXPECT_EQ(out.at("criterion").at("order"), "lower_first");
  ASSERT_FALSE(out.at("suggestions").empty());
  ASSERT_LE(out.at("suggestions").size(), 3u);
  const std::vector<std::size_t> principals = scenario.PrincipalIndices();
  double previous = -1;
  for (const json& suggestion : out.at("suggestions")) {
    model::Outcome outcome = OutcomeOf(scenario, suggestion.at("outcome"));
    std::size_t changed = 0;
    for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
      changed += outcome[issue_idx] != 0;
    }
    EXPECT_EQ(suggestion.at("changes").size(), changed);
    EXPECT_EQ(suggestion.at("criterion").at("value").get<double>(), static_cast<double>(changed));
    EXPECT_GE(static_cast<double>(changed), previous);
    previous = static_cast<double>(changed);
    for (const json& change : suggestion.at("changes")) {
      const model::Issue& issue =
          scenario.issues[*scenario.FindIssue(change.at("issue").get<std::string>())];
      EXPECT_EQ(change.at("from_name"), issue.OptionDisplayName(0));
    }
    // Every principal accepts it: utility at or above its reservation, no red line crossed.
    for (std::size_t party_idx : principals) {
      const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
      double utility = preferences.utility->Evaluate(outcome);
      EXPECT_DOUBLE_EQ(suggestion.at("utilities").at(scenario.parties[party_idx].id).get<double>(),
                       utility);
      EXPECT_GE(utility, preferences.ReservationOrZero() - 1e-12);
      EXPECT_TRUE(preferences.AllowedByRedLines(outcome));
    }
  }
  ASSERT_TRUE(out.at("draft").is_object());
  EXPECT_EQ(out.at("draft").at("parties").size(), principals.size());
}

TEST(SuggestCliTest, BadArgumentsExitTwoWithAClearMessage) {
  CommandResult unknown = RunParley({"suggest", Example("riverside.yaml"), "--criterion", "nsh"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--criterion: unknown criterion 'nsh'"), std::string::npos)
      << unknown.err;
  CommandResult no_draft =
      RunParley({"suggest", Example("riverside.yaml"), "--criterion", "closest"});
  EXPECT_EQ(no_draft.exit_code, 2);
  EXPECT_NE(no_draft.err.find("--draft"), std::string::npos) << no_draft.err;
  CommandResult bad_draft = RunParley({"suggest", Example("ceasefire.yaml"), "--draft", "a=b"});
  EXPECT_EQ(bad_draft.exit_code, 2);
  EXPECT_NE(bad_draft.err.find("--draft: unknown issue 'a'"), std::string::npos) << bad_draft.err;
  CommandResult one_party =
      RunParley({"suggest", Example("ceasefire.yaml"), "--parties", "israel"});
  EXPECT_EQ(one_party.exit_code, 2);
  EXPECT_NE(one_party.err.find("only 'israel' was named"), std::string::npos) << one_party.err;
}

}  // namespace
}  // namespace parley::testing
