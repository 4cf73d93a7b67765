// Black-box tests of `parley analyze`: the JSON fields docs/cli.md documents, what the text says,
// exit codes for bad arguments, and every scenario form. Expected numbers are computed here by
// enumerating the scenario's outcomes with the model's utility functions and red lines, never
// copied from the program's output.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "parley/io/scenario_io.h"
#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;

constexpr double kTolerance = 1e-12;  // reservations are met within this (docs/cli.md)

// Every outcome of a scenario with each principal's utility and which red lines it crosses.
struct Enumerated {
  std::vector<std::size_t> parties;  // the principals, in file order
  std::vector<model::Outcome> outcomes;
  std::vector<std::vector<double>> utilities;  // per outcome, per principal
  // Per outcome, per principal, per red line: true when the red line forbids the outcome.
  std::vector<std::vector<std::vector<bool>>> crosses;
  std::vector<double> reservations;

  // Outcomes meeting every reservation (within the tolerance) and every red line, except the
  // red lines `skip(party position, red line)` and reservations `skip(party position, nullopt)`.
  template <typename Skip>
  std::uint64_t CountZone(Skip skip) const {
    std::uint64_t count = 0;
    for (std::size_t outcome_idx = 0; outcome_idx < outcomes.size(); ++outcome_idx) {
      bool in_zone = true;
      for (std::size_t position = 0; in_zone && position < parties.size(); ++position) {
        if (!skip(position, std::optional<std::size_t>()) &&
            utilities[outcome_idx][position] < reservations[position] - kTolerance) {
          in_zone = false;
        }
        for (std::size_t line = 0; line < crosses[outcome_idx][position].size(); ++line) {
          if (crosses[outcome_idx][position][line] && !skip(position, line)) in_zone = false;
        }
      }
      count += in_zone;
    }
    return count;
  }
};

Enumerated Enumerate(const model::Scenario& scenario) {
  Enumerated all;
  all.parties = scenario.PrincipalIndices();
  for (std::size_t party_idx : all.parties) {
    all.reservations.push_back(scenario.parties[party_idx].preferences->ReservationOrZero());
  }
  Status status =
      scenario.BuildOutcomeSpace().ForEach(2'000'000, [&](const model::Outcome& outcome) {
        std::vector<double> utilities;
        std::vector<std::vector<bool>> crosses;
        for (std::size_t party_idx : all.parties) {
          const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
          utilities.push_back(preferences.utility->Evaluate(outcome));
          std::vector<bool> lines;
          for (const model::RedLine& red_line : preferences.red_lines) {
            lines.push_back(!red_line.Allows(outcome));
          }
          crosses.push_back(std::move(lines));
        }
        all.outcomes.push_back(outcome);
        all.utilities.push_back(std::move(utilities));
        all.crosses.push_back(std::move(crosses));
      });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return all;
}

model::Scenario Load(const std::string& path) {
  Result<model::Scenario> scenario = io::LoadScenario(path);
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return scenario.ok() ? std::move(scenario).value() : model::Scenario{};
}

json AnalyzeJson(const std::vector<std::string>& args) {
  std::vector<std::string> full = {"analyze"};
  full.insert(full.end(), args.begin(), args.end());
  full.push_back("--json");
  CommandResult result = RunParley(full);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(json::accept(result.out)) << result.out.substr(0, 500);
  if (result.exit_code != 0 || !json::accept(result.out)) return json::object();
  return json::parse(result.out);
}

// The option each issue takes in an outcome object as written in JSON (label or number).
model::Outcome OutcomeFromJson(const model::Scenario& scenario, const json& object) {
  model::Outcome outcome;
  for (const model::Issue& issue : scenario.issues) {
    EXPECT_TRUE(object.contains(issue.id)) << issue.id << " missing in " << object.dump();
    if (!object.contains(issue.id)) return {};
    const json& value = object[issue.id];
    std::optional<std::uint64_t> option = value.is_string()
                                              ? issue.FindOption(value.get<std::string>())
                                              : issue.FindOptionByValue(value.get<double>());
    EXPECT_TRUE(option.has_value()) << issue.id << " = " << value.dump();
    if (!option) return {};
    outcome.push_back(static_cast<model::OptionIndex>(*option));
  }
  return outcome;
}

// A point {outcome, utilities}: the outcome names every issue and the utilities are what the
// principals' utility functions give it.
void ExpectPoint(const model::Scenario& scenario, const json& point,
                 const std::vector<std::size_t>& parties) {
  ASSERT_TRUE(point.contains("outcome") && point.contains("utilities")) << point.dump();
  model::Outcome outcome = OutcomeFromJson(scenario, point["outcome"]);
  ASSERT_EQ(outcome.size(), scenario.issues.size());
  ASSERT_EQ(point["utilities"].size(), parties.size());
  for (std::size_t position = 0; position < parties.size(); ++position) {
    double expected = scenario.parties[parties[position]].preferences->utility->Evaluate(outcome);
    EXPECT_NEAR(point["utilities"][position].get<double>(), expected, 1e-12);
  }
}

TEST(AnalyzeCliTest, CeasefireJsonHasEveryDocumentedField) {
  model::Scenario scenario = Load(Example("ceasefire.yaml"));
  json out = AnalyzeJson({Example("ceasefire.yaml")});
  ASSERT_FALSE(out.empty());
  // 4 ceasefire x 4 withdrawal x 3 linkage x 41 hostage counts x 16 prisoner steps x 4 x 4.
  EXPECT_EQ(out["outcomes"], std::to_string(4 * 4 * 3 * 41 * 16 * 4 * 4));
  EXPECT_EQ(out["parties"], json({"israel", "hamas"}));
  EXPECT_EQ(out["reservations"], json({0.45, 0.45}));

  const json& pareto = out["pareto"];
  ASSERT_TRUE(pareto.is_object());
  EXPECT_TRUE(pareto["exact"].is_boolean());
  EXPECT_TRUE(pareto["size"].is_number_unsigned());
  EXPECT_TRUE(pareto["method"].is_string());
  EXPECT_TRUE(pareto["acceptable_size"].is_number_unsigned());
  ASSERT_TRUE(pareto["points"].is_array());
  EXPECT_EQ(pareto["points"].size(), pareto["size"].get<std::size_t>());

  for (const char* name :
       {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "genius_kalai"}) {
    SCOPED_TRACE(name);
    const json& solution = out[name];
    ASSERT_TRUE(solution.is_object());
    EXPECT_TRUE(solution["defined"].is_boolean());
    EXPECT_TRUE(solution.contains("outcome"));
    EXPECT_TRUE(solution.contains("utilities"));
  }
  ASSERT_TRUE(out["zopa"].is_object());
  EXPECT_TRUE(out["zopa"]["count"].is_string());  // exact big integers are strings
  EXPECT_TRUE(out["zopa"]["fraction"].is_number());
  EXPECT_TRUE(out["zopa"]["exact"].is_boolean());
  EXPECT_TRUE(out["zopa"]["method"].is_string());
  const json& obstacles = out["obstacles"];
  ASSERT_TRUE(obstacles.is_object());
  for (const char* field : {"relaxations", "conflicts", "binding_at_nash"}) {
    EXPECT_TRUE(obstacles[field].is_array()) << field;
  }
  EXPECT_TRUE(obstacles["zopa_empty"].is_boolean());
  EXPECT_TRUE(obstacles["summary"].is_string());
  EXPECT_TRUE(obstacles["search_limited"].is_boolean());
  const json& gaps = out["gaps"];
  ASSERT_TRUE(gaps["issues"].is_array());
  ASSERT_EQ(gaps["issues"].size(), scenario.issues.size());
  EXPECT_GE(gaps["overall"].get<double>(), 0.0);
  EXPECT_LE(gaps["overall"].get<double>(), 1.0);
  for (const json& issue_gap : gaps["issues"]) {
    EXPECT_TRUE(issue_gap["issue"].is_string());
    EXPECT_GE(issue_gap["gap"].get<double>(), 0.0);
    EXPECT_LE(issue_gap["gap"].get<double>(), 1.0);
    EXPECT_TRUE(issue_gap["weight"].is_number());
    EXPECT_TRUE(issue_gap["ideal"].contains("israel") && issue_gap["ideal"].contains("hamas"));
  }
  EXPECT_FALSE(gaps.contains("offers"));
  EXPECT_FALSE(out.contains("outcome"));  // only with --outcome
  for (const char* stage : {"load", "pareto", "solutions", "zopa", "obstacles", "gaps"}) {
    ASSERT_TRUE(out["timings_ms"][stage].is_number()) << stage;
    EXPECT_GE(out["timings_ms"][stage].get<double>(), 0.0) << stage;
  }
}

// The two principals' red lines on the nature of the ceasefire exclude each other: Israel forbids
// ceasefire in [permanent_agreed_in_phase_two, permanent_up_front], Hamas requires it.
TEST(AnalyzeCliTest, CeasefireZoneIsEmptyAndTheConflictIsNamed) {
  model::Scenario scenario = Load(Example("ceasefire.yaml"));
  Enumerated all = Enumerate(scenario);
  ASSERT_EQ(all.CountZone([](std::size_t, std::optional<std::size_t>) { return false; }), 0u);

  json out = AnalyzeJson({Example("ceasefire.yaml")});
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out["zopa"]["count"], "0");
  EXPECT_EQ(out["zopa"]["fraction"], 0.0);
  EXPECT_EQ(out["obstacles"]["zopa_empty"], true);
  // Both red lines together forbid every ceasefire option, so no outcome is left at all.
  EXPECT_EQ(out["pareto"]["size"], 0);
  EXPECT_EQ(out["nash"]["defined"], false);
  EXPECT_TRUE(out["nash"]["outcome"].is_null());

  bool conflict_named = false;
  for (const json& conflict : out["obstacles"]["conflicts"]) {
    std::set<std::string> parties = {conflict["first"]["party"], conflict["second"]["party"]};
    bool on_ceasefire =
        conflict["first"]["expression"].get<std::string>().find("ceasefire") != std::string::npos &&
        conflict["second"]["expression"].get<std::string>().find("ceasefire") != std::string::npos;
    if (parties == std::set<std::string>{"israel", "hamas"} && on_ceasefire) {
      conflict_named = true;
      EXPECT_EQ(conflict["first"]["kind"], "red_line");
      EXPECT_EQ(conflict["second"]["kind"], "red_line");
    }
  }
  EXPECT_TRUE(conflict_named) << out["obstacles"].dump(2);

  // Each relaxation opens exactly the outcomes that meet every other constraint, and no part of
  // it would open any.
  const json& relaxations = out["obstacles"]["relaxations"];
  ASSERT_FALSE(relaxations.empty());
  for (const json& relaxation : relaxations) {
    std::set<std::pair<std::size_t, long>> relaxed;  // (party position, red line or -1)
    for (const json& constraint : relaxation["relax"]) {
      std::size_t position = constraint["party"] == "israel" ? 0 : 1;
      ASSERT_TRUE(constraint["party"] == "israel" || constraint["party"] == "hamas");
      relaxed.emplace(position,
                      constraint["kind"] == "red_line" ? constraint["red_line"].get<long>() : -1);
    }
    auto skip_relaxed = [&](std::size_t position, std::optional<std::size_t> line) {
      return relaxed.count({position, line ? static_cast<long>(*line) : -1L}) > 0;
    };
    std::uint64_t opens = all.CountZone(skip_relaxed);
    EXPECT_EQ(relaxation["opens"]["count"], std::to_string(opens)) << relaxation.dump();
    EXPECT_GT(opens, 0u);
    for (const auto& left_out : relaxed) {
      auto skip_fewer = [&](std::size_t position, std::optional<std::size_t> line) {
        std::pair<std::size_t, long> key(position, line ? static_cast<long>(*line) : -1L);
        return key != left_out && relaxed.count(key) > 0;
      };
      EXPECT_EQ(all.CountZone(skip_fewer), 0u) << "not minimal: " << relaxation.dump();
    }
  }
  // Dropping either side of the conflict alone opens a zone, so both appear as one-constraint
  // relaxations.
  std::set<std::string> single;
  for (const json& relaxation : relaxations) {
    if (relaxation["relax"].size() == 1) single.insert(relaxation["relax"][0]["party"]);
  }
  EXPECT_EQ(single, (std::set<std::string>{"israel", "hamas"}));

  CommandResult text = RunParley({"analyze", Example("ceasefire.yaml")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.rfind("NOTE: Illustrative model", 0), 0u);  // the banner first
  EXPECT_NE(text.out.find("No deal is possible"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("cannot both hold"), std::string::npos) << text.out;
}

TEST(AnalyzeCliTest, IgnoringRedLinesGivesTheWholeFrontierAndItsNashPoint) {
  model::Scenario scenario = Load(Example("ceasefire.yaml"));
  Enumerated all = Enumerate(scenario);
  json out = AnalyzeJson({Example("ceasefire.yaml"), "--ignore-red-lines"});
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out["pareto"]["exact"], true);
  ASSERT_GT(out["pareto"]["size"].get<std::size_t>(), 0u);
  for (const json& point : out["pareto"]["points"]) ExpectPoint(scenario, point, all.parties);
  // The zone still honours red lines.
  EXPECT_EQ(out["zopa"]["count"], "0");

  // Nash over every outcome, red lines ignored, gains over the reservation values.
  double best = 0;
  for (const std::vector<double>& u : all.utilities) {
    double gain0 = u[0] - all.reservations[0];
    double gain1 = u[1] - all.reservations[1];
    if (gain0 > 0 && gain1 > 0) best = std::max(best, gain0 * gain1);
  }
  ASSERT_GT(best, 0);
  const json& nash = out["nash"];
  ASSERT_EQ(nash["defined"], true);
  ExpectPoint(scenario, nash, all.parties);
  EXPECT_NEAR(nash["objective"].get<double>(), best, 1e-12);
  double product = (nash["utilities"][0].get<double>() - all.reservations[0]) *
                   (nash["utilities"][1].get<double>() - all.reservations[1]);
  EXPECT_NEAR(product, best, 1e-12);
  ASSERT_TRUE(nash["ties"].is_array());
  EXPECT_GE(nash["ties"].size(), 1u);
  for (const char* name : {"kalai_smorodinsky", "egalitarian", "utilitarian"}) {
    ASSERT_EQ(out[name]["defined"], true) << name;
    ExpectPoint(scenario, out[name], all.parties);
  }
}

TEST(AnalyzeCliTest, MaxPointsTruncatesThePointListOnly) {
  json full = AnalyzeJson({Example("ceasefire.yaml"), "--ignore-red-lines"});
  json some = AnalyzeJson({Example("ceasefire.yaml"), "--ignore-red-lines", "--max-points", "3"});
  ASSERT_FALSE(full.empty() || some.empty());
  EXPECT_EQ(some["pareto"]["points"].size(), 3u);
  EXPECT_EQ(some["pareto"]["points_truncated"], true);
  EXPECT_EQ(some["pareto"]["size"], full["pareto"]["size"]);
  EXPECT_FALSE(full["pareto"].contains("points_truncated"));
  for (std::size_t point_idx = 0; point_idx < 3; ++point_idx) {
    EXPECT_EQ(some["pareto"]["points"][point_idx], full["pareto"]["points"][point_idx]);
  }
}

TEST(AnalyzeCliTest, PlacesAGivenOutcomeAndComparesTwoOffers) {
  model::Scenario scenario = Load(Example("ceasefire.yaml"));
  const std::string offer =
      "ceasefire=pause_extended_while_talks_continue, withdrawal=from_populated_areas, "
      "linkage=negotiated_during_phase_one, hostages_released=33, prisoners_released=700, "
      "humanitarian_access=greatly_increased, guarantees=mediators_written_assurances";
  const std::string other =
      "ceasefire=time_limited_pause, withdrawal=none, linkage=no_linkage, hostages_released=40, "
      "prisoners_released=0, humanitarian_access=current_levels, guarantees=none";
  json out = AnalyzeJson(
      {Example("ceasefire.yaml"), "--outcome", offer, "--offers", offer, "--offers", other});
  ASSERT_FALSE(out.empty());
  // The given outcome's utilities, worked out from the file with the model's own functions.
  model::Outcome outcome;
  const std::vector<std::pair<std::string, std::string>> choices = {
      {"ceasefire", "pause_extended_while_talks_continue"},
      {"withdrawal", "from_populated_areas"},
      {"linkage", "negotiated_during_phase_one"},
      {"hostages_released", "33"},
      {"prisoners_released", "700"},
      {"humanitarian_access", "greatly_increased"},
      {"guarantees", "mediators_written_assurances"}};
  for (const auto& [issue, option] : choices) {
    std::optional<std::uint64_t> index =
        scenario.issues[*scenario.FindIssue(issue)].FindOption(option);
    ASSERT_TRUE(index.has_value()) << issue;
    outcome.push_back(static_cast<model::OptionIndex>(*index));
  }
  const json& placed = out["outcome"];
  ASSERT_TRUE(placed.is_object());
  double welfare = 0;
  for (std::size_t position = 0; position < 2; ++position) {
    double expected = scenario.parties[position].preferences->utility->Evaluate(outcome);
    welfare += expected;
    EXPECT_NEAR(placed["utilities"][position].get<double>(), expected, 1e-12);
  }
  EXPECT_NEAR(placed["welfare"].get<double>(), welfare, 1e-12);
  // The frontier is empty (the red lines exclude each other): the outcome is not on it and its
  // distances are undefined.
  EXPECT_EQ(placed["pareto_optimal"], false);
  EXPECT_TRUE(placed["distance_to_nash"].is_null());
  // Offer gaps: per issue and overall, in [0, 1]; the two offers differ on every issue.
  const json& offers = out["gaps"]["offers"];
  ASSERT_TRUE(offers.is_object());
  ASSERT_EQ(offers["issues"].size(), scenario.issues.size());
  for (const json& issue_gap : offers["issues"]) {
    EXPECT_GT(issue_gap["gap"].get<double>(), 0.0) << issue_gap.dump();
    EXPECT_LE(issue_gap["gap"].get<double>(), 1.0) << issue_gap.dump();
    EXPECT_FALSE(issue_gap.contains("ideal"));
  }
  // An offer compared with itself has no gap.
  json same = AnalyzeJson({Example("ceasefire.yaml"), "--offers", offer, "--offers", offer});
  ASSERT_FALSE(same.empty());
  EXPECT_EQ(same["gaps"]["offers"]["overall"], 0.0);
}

TEST(AnalyzeCliTest, BadArgumentsGiveExitCodeTwoAndSayWhatIsWrong) {
  CommandResult unknown_party =
      RunParley({"analyze", Example("ceasefire.yaml"), "--parties", "israel,nobody"});
  EXPECT_EQ(unknown_party.exit_code, 2);
  EXPECT_TRUE(unknown_party.out.empty()) << unknown_party.out;
  EXPECT_NE(unknown_party.err.find("nobody"), std::string::npos) << unknown_party.err;
  EXPECT_NE(unknown_party.err.find("--parties"), std::string::npos) << unknown_party.err;

  CommandResult twice =
      RunParley({"analyze", Example("ceasefire.yaml"), "--parties", "israel,israel"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("israel"), std::string::npos) << twice.err;

  for (const std::string& outcome :
       {std::string("ceasefire"), std::string("ceasefire=forever"), std::string("truce=none"),
        std::string("ceasefire=time_limited_pause")}) {
    CommandResult bad = RunParley({"analyze", Example("ceasefire.yaml"), "--outcome", outcome});
    EXPECT_EQ(bad.exit_code, 2) << outcome;
    EXPECT_TRUE(bad.out.empty()) << bad.out;
    EXPECT_NE(bad.err.find("--outcome"), std::string::npos) << bad.err;
  }
  CommandResult missing = RunParley({"analyze", SourceDir() + "/examples/no_such_file.yaml"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
}

// Principals chosen with --parties: the order given is the order of every utility vector.
TEST(AnalyzeCliTest, PartiesOptionChoosesAndOrdersTheAnalysedParties) {
  json out = AnalyzeJson({Example("ceasefire.yaml"), "--parties", "hamas,israel",
                          "--ignore-red-lines", "--max-points", "1"});
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out["parties"], json({"hamas", "israel"}));
  model::Scenario scenario = Load(Example("ceasefire.yaml"));
  ExpectPoint(scenario, out["pareto"]["points"][0],
              {*scenario.FindParty("hamas"), *scenario.FindParty("israel")});
}

TEST(AnalyzeCliTest, RiversideWithThreePrincipalsCountsItsZoneExactly) {
  model::Scenario scenario = Load(Example("riverside.yaml"));
  Enumerated all = Enumerate(scenario);
  ASSERT_EQ(all.parties.size(), 3u);
  std::uint64_t zone = all.CountZone([](std::size_t, std::optional<std::size_t>) { return false; });
  ASSERT_GT(zone, 0u);
  json out = AnalyzeJson({Example("riverside.yaml")});
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out["parties"].size(), 3u);
  EXPECT_EQ(out["zopa"]["count"], std::to_string(zone));
  EXPECT_EQ(out["zopa"]["exact"], true);
  EXPECT_EQ(out["obstacles"]["zopa_empty"], false);
  EXPECT_TRUE(out["obstacles"]["relaxations"].empty());
  ASSERT_FALSE(out["pareto"]["points"].empty());
  for (const json& point : out["pareto"]["points"]) ExpectPoint(scenario, point, all.parties);
  for (const char* name : {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}) {
    SCOPED_TRACE(name);
    ASSERT_EQ(out[name]["defined"], true);
    ExpectPoint(scenario, out[name], all.parties);
    for (std::size_t position = 0; position < 3; ++position) {
      EXPECT_GE(out[name]["utilities"][position].get<double>(),
                all.reservations[position] - kTolerance);
    }
  }
  CommandResult text = RunParley({"analyze", Example("riverside.yaml")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("A deal is possible: exactly " + std::to_string(zone) + " outcomes"),
            std::string::npos)
      << text.out;
}

// GENIUS and GeniusWeb folders: the frontier's size (ties included) equals plain enumeration.
TEST(AnalyzeCliTest, AnalyzesGeniusAndGeniusWebFolders) {
  std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent";
  for (const std::string& folder :
       {data + "/genius/anac/y2011/Laptop", data + "/geniusweb/JapnTrip"}) {
    SCOPED_TRACE(folder);
    model::Scenario scenario = Load(folder);
    Enumerated all = Enumerate(scenario);
    ASSERT_EQ(all.parties.size(), 2u);
    std::size_t frontier = 0;
    for (const std::vector<double>& candidate : all.utilities) {
      bool dominated = false;
      for (const std::vector<double>& other : all.utilities) {
        if (other[0] >= candidate[0] && other[1] >= candidate[1] &&
            (other[0] > candidate[0] || other[1] > candidate[1])) {
          dominated = true;
        }
      }
      frontier += !dominated;
    }
    json out = AnalyzeJson({folder});
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out["outcomes"], std::to_string(all.outcomes.size()));
    EXPECT_EQ(out["pareto"]["exact"], true);
    EXPECT_EQ(out["pareto"]["size"].get<std::size_t>(), frontier);
    for (const json& point : out["pareto"]["points"]) ExpectPoint(scenario, point, all.parties);
    std::uint64_t zone =
        all.CountZone([](std::size_t, std::optional<std::size_t>) { return false; });
    EXPECT_EQ(out["zopa"]["count"], std::to_string(zone));
    CommandResult text = RunParley({"analyze", folder});
    EXPECT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("Pareto frontier"), std::string::npos) << text.out;
  }
}

// Timings vary from run to run; the text for people must not show them (they are in JSON).
TEST(AnalyzeCliTest, TextOutputHasNoTimings) {
  for (const std::string& example : {Example("ceasefire.yaml"), Example("riverside.yaml")}) {
    CommandResult text = RunParley({"analyze", example});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_FALSE(std::regex_search(text.out, std::regex("[0-9] ?ms\\b"))) << text.out;
    EXPECT_EQ(text.out.find("timing"), std::string::npos) << text.out;
    // Same scenario, same text.
    EXPECT_EQ(RunParley({"analyze", example}).out, text.out);
  }
}

}  // namespace
}  // namespace parley::testing
