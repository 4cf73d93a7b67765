// Black-box tests of `parley report` and of `--report` on `parley analyze` and `parley negotiate`:
// exit codes, the file written (a self-contained page that parses as XML, with the pictures the
// input calls for), how the input's kind is told from its content, and that bad input never
// leaves a file behind or replaces an existing one.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "test_support.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool HasClass(pugi::xml_node node, const std::string& css_class) {
  std::istringstream classes(node.attribute("class").value());
  std::string name;
  while (classes >> name) {
    if (name == css_class) return true;
  }
  return false;
}

std::size_t CountClass(pugi::xml_node root, const std::string& css_class) {
  std::size_t count = 0;
  root.find_node([&](pugi::xml_node node) {
    count += HasClass(node, css_class) ? 1 : 0;
    return false;
  });
  return count;
}

pugi::xml_node ById(pugi::xml_node root, const std::string& id) {
  return root.find_node([&](pugi::xml_node node) { return id == node.attribute("id").value(); });
}

// Loads a written page, expecting well-formed XML with the utility-space chart.
void ExpectReportPage(const fs::path& path, pugi::xml_document& document) {
  ASSERT_TRUE(fs::exists(path)) << path;
  std::string html = ReadText(path);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  pugi::xml_parse_result parsed = document.load_string(html.c_str());
  ASSERT_TRUE(parsed) << parsed.description();
  EXPECT_TRUE(ById(document, "utility-space-chart"));
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

std::size_t OffersIn(const fs::path& trace_path) {
  json trace = json::parse(ReadText(trace_path));
  std::size_t offers = 0;
  for (const json& event : trace["events"]) {
    offers += event["type"] == "offer" && event.contains("outcome") ? 1 : 0;
  }
  return offers;
}

TEST(ReportCliTest, ScenarioReportIsWrittenWithItsBannerFirst) {
  TempDir dir;
  fs::path page = dir.path() / "ceasefire.html";
  CommandResult result = RunParley({"report", Example("ceasefire.yaml"), "-o", page.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Report written to " + page.string()), std::string::npos);
  pugi::xml_document document;
  ExpectReportPage(page, document);
  std::string html = ReadText(page);
  EXPECT_LT(html.find("Read this first."), html.find("<svg"));
  EXPECT_TRUE(ById(document, "assumptions"));
  EXPECT_EQ(CountClass(document, "offers"), 0u);
}

TEST(ReportCliTest, PartiesChooseTheAxes) {
  TempDir dir;
  fs::path page = dir.path() / "swapped.html";
  CommandResult result = RunParley(
      {"report", Example("ceasefire.yaml"), "--parties", "hamas,israel", "-o", page.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  pugi::xml_document document;
  ExpectReportPage(page, document);
  std::vector<std::string> labels;
  ById(document, "utility-space-chart").find_node([&](pugi::xml_node node) {
    if (HasClass(node, "axis-label")) labels.push_back(node.child_value());
    return false;
  });
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[0], "Utility of Hamas");
  EXPECT_EQ(labels[1], "Utility of Government of Israel");
}

TEST(ReportCliTest, TraceReportDrawsEveryOfferAndFindsTheScenarioBesideTheTrace) {
  TempDir dir;
  fs::path trace = dir.path() / "trace.json";
  CommandResult negotiate =
      RunParley({"negotiate", Example("ceasefire.yaml"), "--protocol", "alternating_offers",
                 "--rounds", "60", "--trace", trace.string()});
  ASSERT_EQ(negotiate.exit_code, 0) << negotiate.err;
  // Move the scenario beside the trace and record it by a relative name, as a shared folder
  // would: the report resolves it from the trace's folder, as replay does.
  fs::copy_file(Example("ceasefire.yaml"), dir.path() / "ceasefire.yaml");
  json recorded = json::parse(ReadText(trace));
  std::string text = ReadText(trace);
  std::string absolute = recorded["scenario"]["files"][0].get<std::string>();
  std::size_t at = text.find(json(absolute).dump());
  ASSERT_NE(at, std::string::npos);
  text.replace(at, json(absolute).dump().size(), json("ceasefire.yaml").dump());
  WriteText(trace, text);

  fs::path page = dir.path() / "trace.html";
  CommandResult result = RunParley({"report", trace.string(), "-o", page.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  pugi::xml_document document;
  ExpectReportPage(page, document);
  std::size_t vertices = 0;
  std::size_t paths = 0;
  ById(document, "utility-space-chart").find_node([&](pugi::xml_node node) {
    if (HasClass(node, "offers")) {
      ++paths;
      vertices += node.attribute("data-offers").as_ullong();
    }
    return false;
  });
  EXPECT_EQ(paths, 2u);
  EXPECT_EQ(vertices, OffersIn(trace));
  EXPECT_EQ(CountClass(ById(document, "utility-space-chart"), "agreement"),
            recorded["result"]["agreement"].get<bool>() ? 1u : 0u);
  EXPECT_TRUE(ById(document, "session"));
}

TEST(ReportCliTest, NegotiateAndAnalyzeWriteAReportToo) {
  TempDir dir;
  fs::path session_page = dir.path() / "session.html";
  fs::path trace = dir.path() / "trace.json";
  CommandResult negotiate =
      RunParley({"negotiate", Example("ceasefire.yaml"), "--protocol", "shuttle", "--mediator",
                 "Qatar=nash_mediator", "--rounds", "30", "--seed", "7", "--trace", trace.string(),
                 "--report", session_page.string()});
  ASSERT_EQ(negotiate.exit_code, 0) << negotiate.err;
  EXPECT_NE(negotiate.out.find("Report written to " + session_page.string()), std::string::npos);
  pugi::xml_document session_document;
  ExpectReportPage(session_page, session_document);
  std::size_t vertices = 0;
  ById(session_document, "utility-space-chart").find_node([&](pugi::xml_node node) {
    if (HasClass(node, "offers")) vertices += node.attribute("data-offers").as_ullong();
    return false;
  });
  EXPECT_EQ(vertices, OffersIn(trace));
  EXPECT_TRUE(ById(session_document, "gaps"));

  fs::path analysis_page = dir.path() / "analysis.html";
  CommandResult analyze =
      RunParley({"analyze", Example("ceasefire.yaml"), "--report", analysis_page.string()});
  ASSERT_EQ(analyze.exit_code, 0) << analyze.err;
  EXPECT_NE(analyze.out.find("Report written to " + analysis_page.string()), std::string::npos);
  pugi::xml_document analysis_document;
  ExpectReportPage(analysis_page, analysis_document);

  // With --json, stdout stays one JSON object.
  fs::path json_page = dir.path() / "analysis-json.html";
  CommandResult analyze_json =
      RunParley({"analyze", Example("riverside.yaml"), "--json", "--report", json_page.string()});
  ASSERT_EQ(analyze_json.exit_code, 0) << analyze_json.err;
  json parsed;
  EXPECT_NO_THROW(parsed = json::parse(analyze_json.out));
  EXPECT_TRUE(parsed.is_object());
  pugi::xml_document json_document;
  ExpectReportPage(json_page, json_document);
}

TEST(ReportCliTest, KindIsToldByContentNotByName) {
  TempDir dir;
  // A scenario in parley JSON named .json, and a trace named .txt.
  fs::path scenario = dir.path() / "ceasefire.json";
  ASSERT_EQ(RunParley({"convert", Example("ceasefire.yaml"), "-o", scenario.string()}).exit_code,
            0);
  fs::path page = dir.path() / "from-json.html";
  CommandResult result = RunParley({"report", scenario.string(), "-o", page.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  pugi::xml_document document;
  ExpectReportPage(page, document);
  EXPECT_FALSE(ById(document, "session"));

  fs::path trace = dir.path() / "trace.txt";
  ASSERT_EQ(RunParley({"negotiate", Example("ceasefire.yaml"), "--rounds", "20", "--trace",
                       trace.string()})
                .exit_code,
            0);
  fs::path trace_page = dir.path() / "trace.html";
  result = RunParley({"report", trace.string(), "-o", trace_page.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  pugi::xml_document trace_document;
  ExpectReportPage(trace_page, trace_document);
  EXPECT_TRUE(ById(trace_document, "session"));
}

TEST(ReportCliTest, TournamentResultsGetARankingAndDistributions) {
  TempDir dir;
  fs::path config = dir.path() / "tournament.yaml";
  WriteText(config, "scenarios: [" + json(Example("ceasefire.yaml")).dump() +
                        "]\nstrategies: [boulware, conceder, hardliner]\nrounds: 30\n"
                        "repetitions: 2\nseed: 3\n");
  for (const char* name : {"results.csv", "results.jsonl"}) {
    SCOPED_TRACE(name);
    fs::path results = dir.path() / name;
    CommandResult tournament = RunParley(
        {"tournament", config.string(), "-o", results.string(), "--threads", "1", "--no-progress"});
    ASSERT_EQ(tournament.exit_code, 0) << tournament.err;
    fs::path page = dir.path() / (std::string(name) + ".html");
    CommandResult result = RunParley({"report", results.string(), "-o", page.string()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    std::string html = ReadText(page);
    pugi::xml_document document;
    ASSERT_TRUE(document.load_string(html.c_str()));
    pugi::xml_node ranking = ById(document, "ranking");
    ASSERT_TRUE(ranking);
    std::size_t rows = 0;
    for (pugi::xml_node row : ranking.child("table").child("tbody").children("tr")) {
      (void)row;
      ++rows;
    }
    EXPECT_EQ(rows, 3u);
    EXPECT_EQ(CountClass(ById(document, "utility-boxplot"), "boxplot"), 3u);
    EXPECT_EQ(html.find("<script"), std::string::npos);
  }
  // The per-strategy summary the tournament wrote beside the results is not what to report on:
  // the message names the results file instead of calling it an unknown scenario type.
  fs::path summary = dir.path() / "results.summary.csv";
  ASSERT_TRUE(fs::exists(summary));
  CommandResult from_summary =
      RunParley({"report", summary.string(), "-o", (dir.path() / "summary.html").string()});
  EXPECT_EQ(from_summary.exit_code, 2);
  EXPECT_NE(from_summary.err.find("per-strategy summary"), std::string::npos) << from_summary.err;
  EXPECT_NE(from_summary.err.find((dir.path() / "results.csv").string()), std::string::npos)
      << from_summary.err;
  EXPECT_EQ(from_summary.err.find("unknown scenario file type"), std::string::npos);
  // A damaged results file is bad input.
  fs::path damaged = dir.path() / "damaged.csv";
  std::string text = ReadText(dir.path() / "results.csv");
  WriteText(damaged, text.substr(0, text.find('\n') + 1) + "not,a,row\n");
  fs::path page = dir.path() / "damaged.html";
  EXPECT_EQ(RunParley({"report", damaged.string(), "-o", page.string()}).exit_code, 2);
  EXPECT_FALSE(fs::exists(page));
}

TEST(ReportCliTest, BadInputExitsTwoAndLeavesExistingFilesAlone) {
  TempDir dir;
  fs::path page = dir.path() / "report.html";
  WriteText(page, "previous report");
  fs::path broken = dir.path() / "broken.yaml";
  WriteText(broken, "parley: 1\nname: x\nissues: [\n");
  fs::path trace_without_scenario = dir.path() / "orphan.json";
  ASSERT_EQ(RunParley({"negotiate", Example("ceasefire.yaml"), "--rounds", "5", "--trace",
                       trace_without_scenario.string()})
                .exit_code,
            0);
  std::string orphan = ReadText(trace_without_scenario);
  std::string absolute = json::parse(orphan)["scenario"]["files"][0].get<std::string>();
  orphan.replace(orphan.find(json(absolute).dump()), json(absolute).dump().size(),
                 json("no-such-scenario.yaml").dump());
  WriteText(trace_without_scenario, orphan);
  fs::path bad_trace = dir.path() / "bad-trace.json";
  WriteText(bad_trace, "{\"parley_trace\": 99, \"scenario\": {\"files\": []}}");

  std::vector<std::vector<std::string>> cases = {
      {"report", (dir.path() / "missing.yaml").string(), "-o", page.string()},
      {"report", broken.string(), "-o", page.string()},
      {"report", Example("ceasefire.yaml"), "--parties", "israel", "-o", page.string()},
      {"report", Example("ceasefire.yaml"), "--parties", "israel,nobody", "-o", page.string()},
      {"report", Example("ceasefire.yaml"), "--parties", "israel,egypt,hamas", "-o", page.string()},
      {"report", trace_without_scenario.string(), "-o", page.string()},
      {"report", bad_trace.string(), "-o", page.string()},
      {"report", Example("ceasefire.yaml")},
      {"report", "-o", page.string()},
      {"analyze", broken.string(), "--report", page.string()},
  };
  for (const std::vector<std::string>& args : cases) {
    CommandResult result = RunParley(args);
    std::string shown;
    for (const std::string& arg : args) shown += arg + " ";
    EXPECT_EQ(result.exit_code, 2) << shown << "\n" << result.err;
    EXPECT_FALSE(result.err.empty()) << shown;
    EXPECT_EQ(ReadText(page), "previous report") << shown;
  }
  // Writing into a folder that does not exist is bad input too.
  CommandResult result = RunParley(
      {"report", Example("ceasefire.yaml"), "-o", (dir.path() / "no" / "r.html").string()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  // No temporary file is left behind.
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 4u);  // report.html, broken.yaml, orphan.json and bad-trace.json
}

}  // namespace
}  // namespace parley::testing
