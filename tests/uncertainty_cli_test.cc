// Black-box tests of uncertainty in the CLI: `parley info` and `convert` with ranges, `parley
// analyze --samples/--spread/--record` (the JSON fields docs/cli.md names, determinism across
// threads, errors), and `parley forecast` on record files and on traces of sessions still
// running. Expected values are computed here or follow from the scenario, never from the output.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;

json MustJson(const CommandResult& result) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  json parsed = json::parse(result.out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << result.out;
  return parsed;
}

void ExpectProbability(const json& value) {
  ASSERT_TRUE(value.is_object()) << value.dump();
  double estimate = value.at("estimate");
  EXPECT_LE(value.at("low").get<double>(), estimate);
  EXPECT_GE(value.at("high").get<double>(), estimate);
  EXPECT_GE(value.at("low").get<double>(), -1.0);
  EXPECT_LE(value.at("high").get<double>(), 1.0);
}

TEST(UncertaintyCliTest, InfoListsRangesAndHolds) {
  CommandResult text = RunParley({"info", Example("ceasefire.yaml")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("range israel.weights.ceasefire"), std::string::npos);
  EXPECT_NE(text.out.find("[firm with probability 0.85]"), std::string::npos);
  json info = MustJson(RunParley({"info", Example("ceasefire.yaml"), "--json"}));
  const json& israel = info["parties"][0]["preferences"];
  bool found = false;
  for (const json& range : israel["ranges"]) {
    if (range["parameter"] == "israel.reservation") {
      found = true;
      EXPECT_EQ(range["low"], 0.35);
      EXPECT_EQ(range["high"], 0.55);
      EXPECT_EQ(range["value"], 0.45);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(israel["red_lines"][0]["id"], "no_permanent_ceasefire");
  EXPECT_EQ(israel["red_lines"][0]["holds"], 0.85);
  EXPECT_EQ(info["uncertainty"]["red_lines_not_certainly_firm"], 5);
}

TEST(UncertaintyCliTest, ConvertKeepsRangesAndGeniusWebRefusesThem) {
  TempDir dir;
  std::string yaml = (dir.path() / "ceasefire.yaml").string();
  ASSERT_EQ(RunParley({"convert", Example("ceasefire.yaml"), "-o", yaml}).exit_code, 0);
  json before = MustJson(RunParley({"info", Example("ceasefire.yaml"), "--json"}));
  json after = MustJson(RunParley({"info", yaml, "--json"}));
  EXPECT_EQ(before["parties"], after["parties"]);
  EXPECT_EQ(before["uncertainty"], after["uncertainty"]);
  std::string folder = (dir.path() / "geniusweb").string() + "/";
  CommandResult refused =
      RunParley({"convert", Example("ceasefire.yaml"), "-o", folder, "--to", "geniusweb"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("range"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(folder) && !std::filesystem::is_empty(folder));
}

TEST(UncertaintyCliTest, AnalyzeSamplesGivesTheNamedFieldsTheSameOnAnyThreads) {
  std::vector<std::string> args = {
      "analyze", Example("ceasefire.yaml"), "--samples", "400", "--seed", "3", "--json"};
  std::vector<std::string> one = args;
  one.insert(one.end(), {"--threads", "1"});
  std::vector<std::string> three = args;
  three.insert(three.end(), {"--threads", "3"});
  json first = MustJson(RunParley(one));
  json second = MustJson(RunParley(three));
  const json& uncertainty = first["uncertainty"];
  EXPECT_EQ(uncertainty, second["uncertainty"]);
  EXPECT_EQ(uncertainty["samples"], 400);
  ExpectProbability(uncertainty["zopa_probability"]);
  // A zone needs at least one of the two reported ceasefire red lines (firm with 0.85) to give.
  EXPECT_LE(uncertainty["zopa_probability"]["estimate"].get<double>(), 1 - 0.85 * 0.85 + 0.05);
  EXPECT_GT(uncertainty["zopa_probability"]["estimate"].get<double>(), 0.0);
  ASSERT_FALSE(uncertainty["sensitivity"].empty());
  std::set<std::string> top;
  for (std::size_t idx = 0; idx < 2; ++idx)
    top.insert(uncertainty["sensitivity"][idx]["parameter"]);
  EXPECT_EQ(top, (std::set<std::string>{"israel.red_lines.no_permanent_ceasefire",
                                        "hamas.red_lines.permanent_ceasefire"}));
  for (const json& entry : uncertainty["sensitivity"]) {
    ExpectProbability(entry["low"]);
    ExpectProbability(entry["high"]);
    ExpectProbability(entry["effect"]);
    std::string name = entry["parameter"];
    EXPECT_TRUE(name.rfind("israel.", 0) == 0 || name.rfind("hamas.", 0) == 0) << name;
  }
  for (const json& package : uncertainty["robust_packages"]) {
    ExpectProbability(package["probability"]);
    EXPECT_EQ(package["outcome"].size(), 7u);
  }
  CommandResult text = RunParley({"analyze", Example("ceasefire.yaml"), "--samples", "400"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("A deal is possible in "), std::string::npos);
  EXPECT_NE(text.out.find("(95% interval "), std::string::npos);
  EXPECT_NE(text.out.find("depends most on"), std::string::npos);
}

TEST(UncertaintyCliTest, TooFewSamplesAreSaidSo) {
  CommandResult result = RunParley({"analyze", Example("ceasefire.yaml"), "--samples", "30"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("30 samples are too few for a 95% interval"), std::string::npos);
  json json_out = MustJson(RunParley(
      {"analyze", Example("ceasefire.yaml"), "--samples", "30", "--confidence", "0.99", "--json"}));
  EXPECT_NE(json_out["uncertainty"]["warnings"][0].get<std::string>().find("99%"),
            std::string::npos);
}

// The robust analysis shares the command's --time-limit with the plain analysis. A red line
// that ties three issues of 50 values together makes every sample weigh 125,000 combinations, so
// 5,000 samples take minutes of one thread; the plain analysis of the same 125,000 outcomes takes
// under a second of CPU even under ASan. A limit of 10 s (room for a loaded machine) must stop the
// robust part, with exit code 2, a message naming it and nothing on stdout.
TEST(UncertaintyCliTest, RobustAnalysisRespectsTheTimeLimit) {
  TempDir dir;
  const std::string scenario = (dir.path() / "tied.yaml").string();
  std::string text = "issues:\n";
  for (const char* issue : {"a", "b", "c"}) {
    text += std::string("  - {id: ") + issue + ", type: integer, range: [0, 49]}\n";
  }
  text += R"(parties:
  - id: p
    preferences:
      weights: {a: 0.5, b: 0.3, c: 0.2}
      values: {a: {type: linear, at_lower: 0, at_upper: 1}, b: {type: linear, at_lower: 0, at_upper: 1}, c: {type: linear, at_lower: 0, at_upper: 1}}
      reservation: 0.45
      red_lines: [{forbid: "a > 48 and b > 48 and c > 48", holds: 0.5}]
  - id: q
    preferences:
      weights: {a: 0.2, b: 0.3, c: 0.5}
      values: {a: {type: linear, at_lower: 1, at_upper: 0}, b: {type: linear, at_lower: 1, at_upper: 0}, c: {type: linear, at_lower: 1, at_upper: 0}}
      reservation: 0.45
)";
  WriteText(dir.path() / "tied.yaml", text);
  CommandResult plain = RunParley({"analyze", scenario, "--threads", "1", "--time-limit", "10"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  CommandResult robust = RunParley({"analyze", scenario, "--samples", "5000", "--spread", "0.2",
                                    "--threads", "1", "--time-limit", "10", "--json"});
  EXPECT_EQ(robust.exit_code, 2) << robust.err;
  EXPECT_NE(robust.err.find("the robust analysis did not finish within --time-limit 10 s"),
            std::string::npos)
      << robust.err;
  EXPECT_NE(robust.err.find("draw fewer samples (--samples)"), std::string::npos) << robust.err;
  EXPECT_TRUE(robust.out.empty()) << robust.out.substr(0, 200);
}

TEST(UncertaintyCliTest, BadArgumentsExitTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--record", Example("riverside_record.yaml")},
        std::vector<std::string>{"--samples", "10", "--spread", "-1"},
        std::vector<std::string>{"--samples", "10", "--confidence", "1.5"},
        std::vector<std::string>{"--spread", "0.1"}}) {
    std::vector<std::string> full = {"analyze", Example("riverside.yaml")};
    full.insert(full.end(), args.begin(), args.end());
    CommandResult result = RunParley(full);
    EXPECT_EQ(result.exit_code, 2) << args[0] << ": " << result.err;
    EXPECT_NE(result.err.find("parley: error:"), std::string::npos);
  }
}

TEST(UncertaintyCliTest, LearningFromTheInventedRiversideRecord) {
  json out =
      MustJson(RunParley({"analyze", Example("riverside.yaml"), "--samples", "400", "--spread",
                          "0.1", "--record", Example("riverside_record.yaml"), "--json"}));
  const json& posterior = out["posterior"];
  EXPECT_EQ(posterior["observations"], 18);
  EXPECT_NE(posterior["note"].get<std::string>().find("INVENTED"), std::string::npos);
  ASSERT_FALSE(posterior["parameters"].empty());
  for (const json& parameter : posterior["parameters"]) {
    for (const char* which : {"prior", "posterior"}) {
      const json& summary = parameter[which];
      EXPECT_LE(summary["low"].get<double>(), summary["mean"].get<double>() + 1e-12);
      EXPECT_GE(summary["high"].get<double>(), summary["mean"].get<double>() - 1e-12);
    }
  }
  ExpectProbability(posterior["uncertainty"]["zopa_probability"]);
}

TEST(UncertaintyCliTest, ForecastOfTheRiversideRecord) {
  json out = MustJson(RunParley({"forecast", Example("riverside_record.yaml"), "--json"}));
  ExpectProbability(out["agreement_probability"]);
  EXPECT_EQ(out["deadline_date"], "2026-12-15");
  EXPECT_EQ(out["observations_used"], 18);
  // Every invented offer moves toward the others: the overall gap narrows.
  EXPECT_TRUE(out["trend"]["overall"]["narrowing"].get<bool>());
  EXPECT_LT(out["trend"]["overall"]["slope"].get<double>(), 0);
  EXPECT_TRUE(out["trend"]["issues"].contains("building_height"));
  CommandResult text = RunParley({"forecast", Example("riverside_record.yaml")});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out.rfind("NOTE: Fictional example", 0), 0u) << text.out;
  EXPECT_NE(text.out.find("RECORD: INVENTED"), std::string::npos);
  // Cutting before any offer leaves no trend.
  json early = MustJson(
      RunParley({"forecast", Example("riverside_record.yaml"), "--at-round", "20", "--json"}));
  EXPECT_EQ(early["observations_used"], 0);
  EXPECT_FALSE(early["trend"]["overall"]["narrowing"].get<bool>());
}

TEST(UncertaintyCliTest, ForecastOfARunningSessionUsesNothingFromTheCut) {
  TempDir dir;
  std::string trace = (dir.path() / "trace.json").string();
  ASSERT_EQ(RunParley({"negotiate", Example("riverside.yaml"), "--rounds", "120", "--seed", "4",
                       "--trace", trace})
                .exit_code,
            0);
  json full = json::parse(ReadText(trace));
  // The same session as if it were still running at round 40: events before it, no result.
  json running = full;
  json events = json::array();
  for (const json& event : full["events"]) {
    if (event["round"].get<int>() < 40) events.push_back(event);
  }
  running["events"] = events;
  running["result"] = nullptr;
  std::string running_path = (dir.path() / "running.json").string();
  WriteText(running_path, running.dump(2));
  std::vector<std::string> scenario = {"--scenario", Example("riverside.yaml"), "--json"};
  std::vector<std::string> from_full = {"forecast", trace, "--at-round", "40"};
  from_full.insert(from_full.end(), scenario.begin(), scenario.end());
  std::vector<std::string> from_running = {"forecast", running_path};
  from_running.insert(from_running.end(), scenario.begin(), scenario.end());
  json cut = MustJson(RunParley(from_full));
  json live = MustJson(RunParley(from_running));
  EXPECT_EQ(cut["agreement_probability"], live["agreement_probability"]);
  EXPECT_EQ(cut["trend"], live["trend"]);
  EXPECT_EQ(live["at_round"], 40);
  EXPECT_GT(live["observations_used"].get<int>(), 0);
}

TEST(UncertaintyCliTest, RecordErrorsNameLineAndField) {
  TempDir dir;
  std::string record = ReadText(Example("riverside_record.yaml"));
  record.replace(record.find("party: developer"), 16, "party: develper");
  std::string path = (dir.path() / "bad_record.yaml").string();
  WriteText(path, record);
  CommandResult result = RunParley({"forecast", path, "--scenario", Example("riverside.yaml")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("bad_record.yaml:12:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("did you mean 'developer'?"), std::string::npos) << result.err;
}

TEST(UncertaintyCliTest, GeniusScenariosWorkWithSpread) {
  std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent";
  json out = MustJson(RunParley({"analyze", data + "/genius/anac/y2010/Travel", "--samples", "300",
                                 "--spread", "0.1", "--json"}));
  const json& uncertainty = out["uncertainty"];
  ExpectProbability(uncertainty["zopa_probability"]);
  EXPECT_EQ(uncertainty["spread"], 0.1);
  EXPECT_GT(uncertainty["parameters"].get<int>(), 10);
}

}  // namespace
}  // namespace parley::testing
