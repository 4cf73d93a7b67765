// Black-box tests of `parley negotiate`, `parley list` and `parley replay` as a user meets them:
// output, JSON fields, files written (trace, views, CSV), and exit codes. Expected values come
// from the scenario files (reservation values, party lists) or from the trace the same run
// wrote, never from copying the program's output into the test.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "parley/io/scenario_io.h"
#include "test_support.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json NegotiateJson(std::vector<std::string> args) {
  args.insert(args.begin(), "negotiate");
  args.push_back("--json");
  CommandResult result = RunParley(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.exit_code == 0 ? json::parse(result.out) : json();
}

// A registered principal strategy with at least one number parameter, from `parley list`.
struct ParameterisedStrategy {
  std::string name;
  std::string parameter;
};
std::optional<ParameterisedStrategy> FindParameterisedStrategy() {
  CommandResult result = RunParley({"list", "strategies", "--json"});
  if (result.exit_code != 0) return std::nullopt;
  json list = json::parse(result.out);
  for (const json& strategy : list["strategies"]) {
    bool principal = false;
    for (const json& role : strategy["roles"]) principal = principal || role == "principal";
    if (!principal || strategy["name"].get<std::string>().rfind("conformance_", 0) == 0) continue;
    for (const json& parameter : strategy["parameters"]) {
      if (parameter["type"] == "number") {
        return ParameterisedStrategy{strategy["name"], parameter["name"]};
      }
    }
  }
  return std::nullopt;
}

bool ProtocolRegistered(const std::string& name) {
  CommandResult result = RunParley({"list", "protocols", "--json"});
  json list = json::parse(result.out);
  for (const json& protocol : list["protocols"]) {
    if (protocol["name"] == name) return true;
  }
  return false;
}

TEST(NegotiateCliTest, CeasefireUnderAlternatingOffersPrintsASummaryAfterTheBanner) {
  CommandResult result =
      RunParley({"negotiate", Example("ceasefire.yaml"), "--protocol", "alternating_offers"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("NOTE: Illustrative model", 0), 0u) << result.out;
  EXPECT_NE(result.out.find("alternating_offers"), std::string::npos);
  bool agreement = result.out.find("\nAgreement in round") != std::string::npos;
  bool none = result.out.find("\nNo agreement: ") != std::string::npos;
  EXPECT_TRUE(agreement != none) << result.out;
  for (const char* party : {"israel", "hamas"}) {
    EXPECT_NE(result.out.find("\n  " + std::string(party) + " "), std::string::npos) << party;
  }
  EXPECT_NE(result.out.find("Gap between the principals' latest offers"), std::string::npos);
  EXPECT_NE(result.out.find("Welfare"), std::string::npos);
}

TEST(NegotiateCliTest, JsonHasTheDocumentedFieldsConsistentWithTheScenario) {
  json out = NegotiateJson({Example("ceasefire.yaml"), "--protocol", "alternating_offers",
                            "--rounds", "60", "--seed", "7"});
  ASSERT_TRUE(out.is_object());
  ASSERT_TRUE(out["agreement"].is_boolean());
  ASSERT_TRUE(out["rounds"].is_number_integer());
  EXPECT_GE(out["rounds"].get<int>(), 1);
  EXPECT_LE(out["rounds"].get<int>(), 60);
  EXPECT_TRUE(out["welfare"].is_number());
  EXPECT_TRUE(out["distance_to_nash"].is_number() || out["distance_to_nash"].is_null());
  ASSERT_TRUE(out["gaps"].is_array());
  EXPECT_EQ(out["seed"], 7);
  EXPECT_EQ(out["max_rounds"], 60);
  // Utilities by party id: the enabled parties with preferences (egypt is disabled).
  std::set<std::string> ids;
  for (const auto& [id, utility] : out["utilities"].items()) {
    ids.insert(id);
    EXPECT_TRUE(utility.is_number()) << id;
  }
  EXPECT_EQ(ids, (std::set<std::string>{"israel", "hamas", "qatar", "united_states"}));
  if (out["agreement"].get<bool>()) {
    ASSERT_TRUE(out["outcome"].is_object());
    EXPECT_EQ(out["outcome"].size(), 7u);
    // Discounting only shrinks (discount 0.99 per round in the file).
    EXPECT_LE(out["utilities"]["israel"].get<double>(),
              out["raw_utilities"]["israel"].get<double>());
  } else {
    EXPECT_TRUE(out["outcome"].is_null());
    // Without agreement each principal gets its reservation value: 0.45 in the file.
    EXPECT_DOUBLE_EQ(out["utilities"]["israel"].get<double>(), 0.45);
    EXPECT_DOUBLE_EQ(out["utilities"]["hamas"].get<double>(), 0.45);
    EXPECT_FALSE(out["end_reason"].get<std::string>().empty());
  }
  for (const json& sample : out["gaps"]) {
    EXPECT_EQ(sample["issues"].size(), 7u);
    EXPECT_GE(sample["overall"].get<double>(), 0.0);
    EXPECT_LE(sample["overall"].get<double>(), 1.0);
  }
}

TEST(NegotiateCliTest, TheSameSeedGivesTheSameSession) {
  std::vector<std::string> args = {Example("riverside.yaml"), "--rounds", "40", "--seed", "11"};
  json first = NegotiateJson(args);
  json second = NegotiateJson(args);
  first.erase("elapsed_ms");
  second.erase("elapsed_ms");
  EXPECT_EQ(first, second);
}

TEST(NegotiateCliTest, StrategiesAreAssignedByPartyNameIdOrScenarioOrder) {
  std::optional<ParameterisedStrategy> strategy = FindParameterisedStrategy();
  if (!strategy) GTEST_SKIP() << "no registered principal strategy with a number parameter";
  std::string spec = strategy->name + "(" + strategy->parameter + "=0.37)";
  // By name (with spaces) for one principal, by id for the other.
  json named =
      NegotiateJson({Example("ceasefire.yaml"), "--rounds", "5", "--strategy",
                     "Government of Israel=" + spec, "--strategy", "hamas=" + strategy->name});
  std::string israel = named["strategies"]["israel"];
  EXPECT_EQ(israel.rfind(strategy->name + "(", 0), 0u) << israel;
  EXPECT_NE(israel.find(strategy->parameter + "=0.37"), std::string::npos) << israel;
  std::string hamas = named["strategies"]["hamas"];
  EXPECT_EQ(hamas.find(strategy->parameter + "=0.37"), std::string::npos) << hamas;
  // Bare specs go to the principals in scenario order; a single one to all of them.
  json ordered = NegotiateJson({Example("riverside.yaml"), "--rounds", "5", "--strategy", spec,
                                "--strategy", strategy->name});
  EXPECT_NE(ordered["strategies"]["council"].get<std::string>().find("=0.37"), std::string::npos);
  EXPECT_EQ(ordered["strategies"]["developer"].get<std::string>().find("=0.37"), std::string::npos);
  json all = NegotiateJson({Example("riverside.yaml"), "--rounds", "5", "--strategy", spec});
  for (const char* principal : {"council", "developer", "residents"}) {
    EXPECT_NE(all["strategies"][principal].get<std::string>().find("=0.37"), std::string::npos)
        << principal;
  }
}

TEST(NegotiateCliTest, TraceReplaysIdenticallyAndAnEditIsCaught) {
  TempDir temp;
  fs::path trace = temp.path() / "trace.json";
  CommandResult run = RunParley({"negotiate", Example("ceasefire.yaml"), "--rounds", "30", "--seed",
                                 "3", "--trace", trace.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_TRUE(fs::exists(trace));
  json recorded = json::parse(ReadText(trace));
  EXPECT_EQ(recorded["parley_trace"], 1);
  EXPECT_EQ(recorded["scenario"]["files"][0], Example("ceasefire.yaml"));

  CommandResult same = RunParley({"replay", trace.string()});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("identical"), std::string::npos) << same.out;

  // Change one recorded utility: the re-run disagrees at that event's line.
  std::string text = ReadText(trace);
  std::size_t at = text.find("\"utilities\":{\"israel\":");
  ASSERT_NE(at, std::string::npos);
  std::size_t value = at + std::string("\"utilities\":{\"israel\":").size();
  std::size_t end = text.find(',', value);
  std::string edited = text.substr(0, value) + "0.123456" + text.substr(end);
  WriteText(trace, edited);
  int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
  CommandResult different = RunParley({"replay", trace.string()});
  EXPECT_EQ(different.exit_code, 1) << different.out << different.err;
  EXPECT_NE(different.out.find("first difference at line " + std::to_string(line)),
            std::string::npos)
      << different.out;
  EXPECT_NE(different.out.find("0.123456"), std::string::npos);
}

TEST(NegotiateCliTest, ReplayRejectsBadInputWithExitCode2) {
  TempDir temp;
  CommandResult missing = RunParley({"replay", (temp.path() / "none.json").string()});
  EXPECT_EQ(missing.exit_code, 2);
  fs::path bad = temp.path() / "bad.json";
  WriteText(bad, "{\"parley_trace\": 1, \"scenario\": ");
  CommandResult broken = RunParley({"replay", bad.string()});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("bad.json:1:"), std::string::npos) << broken.err;
  fs::path other = temp.path() / "other.json";
  WriteText(other, "{\"parley\": 1}");
  EXPECT_EQ(RunParley({"replay", other.string()}).exit_code, 2);
  EXPECT_EQ(RunParley({"replay"}).exit_code, 2);
}

// The messages a view file lists must be exactly those whose recipients include its party.
void ExpectViewsMatchTrace(const fs::path& views, const json& trace,
                           const std::set<std::string>& expected_parties) {
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(views)) {
    files.insert(entry.path().stem().string());
  }
  EXPECT_EQ(files, expected_parties);
  for (const std::string& party : expected_parties) {
    json view = json::parse(ReadText(views / (party + ".json")));
    EXPECT_EQ(view["party"], party);
    std::vector<json> addressed;
    for (const json& event : trace["events"]) {
      for (const json& recipient : event["to"]) {
        if (recipient == party) addressed.push_back(event);
      }
    }
    ASSERT_EQ(view["messages"].size(), addressed.size()) << party;
    for (std::size_t message_idx = 0; message_idx < addressed.size(); ++message_idx) {
      const json& message = view["messages"][message_idx];
      const json& event = addressed[message_idx];
      for (const char* field : {"sequence", "round", "from", "to", "type"}) {
        EXPECT_EQ(message[field], event[field]) << party << " " << field;
      }
      EXPECT_EQ(message.value("outcome", json()), event.value("outcome", json()));
      // Analyst-only utilities never appear in a party's view.
      EXPECT_FALSE(message.contains("utilities")) << party;
    }
  }
}

TEST(NegotiateCliTest, ViewsHoldExactlyTheMessagesEachPartyReceived) {
  TempDir temp;
  fs::path views = temp.path() / "views";
  fs::path trace = temp.path() / "trace.json";
  CommandResult run = RunParley({"negotiate", Example("ceasefire.yaml"), "--rounds", "20",
                                 "--views", views.string(), "--trace", trace.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json recorded = json::parse(ReadText(trace));
  // Every enabled party has a view; disabled egypt has none.
  ExpectViewsMatchTrace(views, recorded, {"israel", "hamas", "qatar", "united_states"});
  // Alternating offers is public among principals only: the mediators hear nothing.
  EXPECT_TRUE(json::parse(ReadText(views / "qatar.json"))["messages"].empty());
  EXPECT_FALSE(json::parse(ReadText(views / "israel.json"))["messages"].empty());
  EXPECT_EQ(json::parse(ReadText(views / "qatar.json"))["role"], "mediator");
}

TEST(NegotiateCliTest, UnderShuttleMediationPrincipalsHearOnlyFromMediators) {
  if (!ProtocolRegistered("shuttle")) GTEST_SKIP() << "shuttle is not registered";
  TempDir temp;
  fs::path views = temp.path() / "views";
  fs::path trace = temp.path() / "trace.json";
  CommandResult run =
      RunParley({"negotiate", Example("ceasefire.yaml"), "--protocol", "shuttle", "--rounds", "15",
                 "--views", views.string(), "--trace", trace.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json recorded = json::parse(ReadText(trace));
  ExpectViewsMatchTrace(views, recorded, {"israel", "hamas", "qatar", "united_states"});
  for (const char* principal : {"israel", "hamas"}) {
    json view = json::parse(ReadText(views / (std::string(principal) + ".json")));
    for (const json& message : view["messages"]) {
      EXPECT_TRUE(message["from"] == "qatar" || message["from"] == "united_states")
          << principal << " heard from " << message["from"];
    }
  }
}

TEST(NegotiateCliTest, CsvFilesHaveOneRowPerSessionAndPerMessage) {
  TempDir temp;
  fs::path results = temp.path() / "results.csv";
  fs::path events = temp.path() / "events.csv";
  json out = NegotiateJson({Example("ceasefire.yaml"), "--rounds", "10", "--csv", results.string(),
                            "--events-csv", events.string()});
  std::string results_text = ReadText(results);
  EXPECT_EQ(std::count(results_text.begin(), results_text.end(), '\n'), 2);
  EXPECT_EQ(results_text.rfind("scenario,protocol,strategies,seed,", 0), 0u) << results_text;
  std::string events_text = ReadText(events);
  EXPECT_EQ(static_cast<std::size_t>(std::count(events_text.begin(), events_text.end(), '\n')),
            out["messages"].get<std::size_t>() + 1);
}

TEST(NegotiateCliTest, MistakesAreExitCode2WithAMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"negotiate", Example("ceasefire.yaml"), "--protocol", "telepathy"}, "unknown protocol"},
      {{"negotiate", Example("ceasefire.yaml"), "--strategy", "nobody=linear"},
       "no party 'nobody'"},
      {{"negotiate", Example("ceasefire.yaml"), "--strategy", "israel=no_such_strategy"},
       "unknown strategy"},
      {{"negotiate", Example("ceasefire.yaml"), "--strategy", "a", "--strategy", "b", "--strategy",
        "c"},
       "3 strategies given without a party"},
      {{"negotiate", Example("ceasefire.yaml"), "--rounds", "0"}, "--rounds"},
      {{"negotiate", Example("ceasefire.yaml"), "--protocol", "alternating_offers(first=5)"},
       "first"},
      {{"negotiate", Example("no_such_file.yaml")}, "no_such_file.yaml"},
      {{"negotiate"}, "no scenario"},
      {{"list", "everything"}, "everything"},
  };
  for (const Case& test_case : cases) {
    CommandResult result = RunParley(test_case.args);
    EXPECT_EQ(result.exit_code, 2) << test_case.args.back() << "\n" << result.err;
    EXPECT_NE(result.err.find(test_case.message), std::string::npos)
        << test_case.message << " not in: " << result.err;
  }
}

TEST(ListCliTest, ProtocolsAndStrategiesComeWithTheirParameters) {
  CommandResult text = RunParley({"list", "protocols"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("alternating_offers"), std::string::npos);
  EXPECT_NE(text.out.find("first  integer, default 0"), std::string::npos) << text.out;

  CommandResult protocols = RunParley({"list", "protocols", "--json"});
  ASSERT_EQ(protocols.exit_code, 0);
  json protocol_list = json::parse(protocols.out)["protocols"];
  ASSERT_FALSE(protocol_list.empty());
  for (const json& protocol : protocol_list) {
    EXPECT_FALSE(protocol["summary"].get<std::string>().empty()) << protocol["name"];
    EXPECT_TRUE(protocol["needs_mediator"].is_boolean());
    for (const json& parameter : protocol["parameters"]) {
      for (const char* field : {"name", "type", "default", "help"}) {
        EXPECT_TRUE(parameter[field].is_string()) << protocol["name"] << " " << field;
      }
    }
  }

  CommandResult strategies = RunParley({"list", "strategies", "--json"});
  ASSERT_EQ(strategies.exit_code, 0);
  json strategy_list = json::parse(strategies.out);
  for (const json& strategy : strategy_list["strategies"]) {
    EXPECT_FALSE(strategy["roles"].empty()) << strategy["name"];
    EXPECT_TRUE(strategy["parameters"].is_array());
  }
  CommandResult strategy_text = RunParley({"list", "strategies"});
  EXPECT_EQ(strategy_text.exit_code, 0);
  EXPECT_NE(strategy_text.out.find("Strategies"), std::string::npos);
}

TEST(NegotiateCliTest, GeniusFoldersWorkAndReplayFromTheirFiles) {
  std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "no scenario corpus at " << PARLEY_SHARED_DATA_DIR;
  std::string folder = data + "/genius/anac/y2010/Travel";
  Result<model::Scenario> scenario = io::LoadScenario(folder);
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  TempDir temp;
  fs::path trace = temp.path() / "travel.json";
  json out = NegotiateJson({folder, "--rounds", "50", "--trace", trace.string()});
  ASSERT_TRUE(out.is_object());
  std::set<std::string> expected;
  for (const model::Party& party : scenario->parties) expected.insert(party.id);
  std::set<std::string> ids;
  for (const auto& [id, utility] : out["utilities"].items()) ids.insert(id);
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(RunParley({"replay", trace.string()}).exit_code, 0);

  // Explicit files: the trace records the domain then the profiles, and replays from them.
  std::vector<std::string> args = {"negotiate", "--domain", scenario->source_files[0]};
  for (std::size_t file_idx = 1; file_idx < scenario->parties.size() + 1; ++file_idx) {
    args.push_back("--profile");
    args.push_back(scenario->source_files[file_idx]);
  }
  fs::path explicit_trace = temp.path() / "explicit.json";
  args.insert(args.end(), {"--rounds", "20", "--trace", explicit_trace.string()});
  CommandResult run = RunParley(args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json recorded = json::parse(ReadText(explicit_trace));
  EXPECT_EQ(recorded["scenario"]["files"].size(), scenario->parties.size() + 1);
  EXPECT_EQ(RunParley({"replay", explicit_trace.string()}).exit_code, 0);
}

// A long session's answer stays small (the gap curve summarised: at most 256 evenly spaced
// samples plus the last), while the trace, written as the session goes, holds the whole curve
// and replays; a trace cut short (a killed run) is refused as incomplete.
TEST(NegotiateCliTest, LongSessionsGiveABoundedAnswerAndAWholeTrace) {
  TempDir temp;
  fs::path trace = temp.path() / "long.json";
  const int rounds = 3000;
  json out = NegotiateJson({Example("riverside.yaml"), "--strategy", "hardliner", "--rounds",
                            std::to_string(rounds), "--trace", trace.string()});
  ASSERT_TRUE(out.is_object());
  ASSERT_EQ(out["agreement"], false);
  ASSERT_EQ(out["rounds"], rounds);
  const json& gaps = out["gaps"];
  ASSERT_GT(gaps.size(), 100u);
  ASSERT_LE(gaps.size(), 257u);
  json recorded = json::parse(ReadText(trace));
  const json& curve = recorded["result"]["gaps"];
  ASSERT_GT(curve.size(), gaps.size());
  EXPECT_EQ(gaps.front(), curve.front());
  EXPECT_EQ(gaps.back(), curve.back());
  // Evenly spaced: one stride between consecutive samples, except before the last.
  const int stride = gaps[1]["round"].get<int>() - gaps[0]["round"].get<int>();
  for (std::size_t idx = 1; idx + 1 < gaps.size(); ++idx) {
    EXPECT_EQ(gaps[idx]["round"].get<int>() - gaps[idx - 1]["round"].get<int>(), stride);
  }
  EXPECT_EQ(out["messages"], recorded["events"].size());
  EXPECT_EQ(RunParley({"replay", trace.string()}).exit_code, 0);

  std::string text = ReadText(trace);
  WriteText(trace, text.substr(0, text.size() / 2));
  CommandResult cut = RunParley({"replay", trace.string()});
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_NE(cut.err.find("the trace is incomplete"), std::string::npos) << cut.err;
}

}  // namespace
}  // namespace parley::testing
