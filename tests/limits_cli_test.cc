// Bounded work for every input, against the real `parley` binary: hostile or oversized files are
// refused with exit code 2 and a message naming the file, the place and the limit, never a crash
// (docs/scenario-format.md, Limits). The inputs are generated here; the 30 MB cases of the issue
// that motivated the limits are in limits_slow_cli_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "parley/io/scenario_io.h"
#include "test_support.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Expects exit code 2 with every one of `parts` in the message.
void ExpectRefused(const CommandResult& result, const std::vector<std::string>& parts) {
  EXPECT_EQ(result.exit_code, 2) << result.err;
  for (const std::string& part : parts) EXPECT_THAT(result.err, HasSubstr(part));
}

TEST(LimitsCliTest, GeniusDomainWithThousandsOfNestedObjectivesIsRefusedNotACrash) {
  TempDir dir;
  std::string domain = "<negotiation_template><utility_space>";
  for (int level = 0; level < 5000; ++level) {
    domain += "<objective index=\"" + std::to_string(100 + level) + "\" name=\"o\">";
  }
  domain += "<issue index=\"1\" name=\"a\"><item value=\"x\"/><item value=\"y\"/></issue>";
  for (int level = 0; level < 5000; ++level) domain += "</objective>";
  domain += "</utility_space></negotiation_template>";
  WriteText(dir.path() / "domain.xml", domain);
  const std::string profile =
      "<utility_space><objective index=\"0\" name=\"r\"><issue index=\"1\" name=\"a\">"
      "<item value=\"x\" evaluation=\"1\"/><item value=\"y\" evaluation=\"2\"/></issue>"
      "<weight index=\"1\" value=\"1\"/></objective></utility_space>";
  WriteText(dir.path() / "a.xml", profile);
  WriteText(dir.path() / "b.xml", profile);
  ExpectRefused(RunParley({"info", dir.path().string()}),
                {"domain.xml:1:", "nests elements more than 64 levels deep"});
}

TEST(LimitsCliTest, DeeplyNestedJsonAndYamlAreRefusedAtTheExcess) {
  TempDir dir;
  std::string deep_json;
  for (int level = 0; level < 100'000; ++level) deep_json += "{\"a\":";
  WriteText(dir.path() / "deep.json", deep_json);
  ExpectRefused(RunParley({"info", (dir.path() / "deep.json").string()}),
                {"deep.json:1:321:", "nested deeper than 64 levels"});
  WriteText(dir.path() / "deep.yaml", "issues: " + std::string(100'000, '['));
  ExpectRefused(RunParley({"info", (dir.path() / "deep.yaml").string()}),
                {"deep.yaml:1:", "nested more than 64 levels deep"});
}

TEST(LimitsCliTest, YamlAliasesThatMultiplyOrLoopAreRefused) {
  TempDir dir;
  std::string bomb = "meta: {title: &a0 [x, x, x, x, x, x, x, x, x, x]}\nissues:\n";
  for (int level = 1; level < 9; ++level) {
    bomb += "  - &a" + std::to_string(level) + " [";
    for (int copy = 0; copy < 10; ++copy) {
      bomb += (copy ? ", *a" : "*a") + std::to_string(level - 1);
    }
    bomb += "]\n";
  }
  WriteText(dir.path() / "bomb.yaml", bomb);
  ExpectRefused(RunParley({"info", (dir.path() / "bomb.yaml").string()}),
                {"bomb.yaml:", "aliases count as the values they repeat"});
  WriteText(dir.path() / "cycle.yaml", "issues: &i [*i]\nparties: []\n");
  ExpectRefused(RunParley({"info", (dir.path() / "cycle.yaml").string()}),
                {"cycle.yaml:1:", "cycle"});
}

TEST(LimitsCliTest, NumbersBeyondADoubleAreRefused) {
  TempDir dir;
  WriteText(dir.path() / "huge.json",
            R"({"issues": [{"id": "a", "options": ["x", "y"]}], "parties": [{"id": "p",
 "preferences": {"weights": {"a": 1e400}, "values": {"a": {"x": 0, "y": 1}}}}]})");
  ExpectRefused(RunParley({"info", (dir.path() / "huge.json").string()}),
                {"huge.json:2:", "1e400 is out of range"});
}

TEST(LimitsCliTest, FilesLargerThanTheLimitAreRefusedBeforeTheyAreRead) {
  TempDir dir;
  const fs::path big = dir.path() / "big.yaml";
  WriteText(big, "");
  fs::resize_file(big, (std::uint64_t{32} << 20) + 1);  // sparse: nothing is written
  ExpectRefused(RunParley({"info", big.string()}), {"big.yaml", "larger than 32 MiB"});
  // A device that never ends is read up to the limit, not forever.
  if (fs::exists("/dev/zero")) {
    ExpectRefused(RunParley({"info", "/dev/zero"}), {"/dev/zero", "larger than 32 MiB"});
  }
}

TEST(LimitsCliTest, ScenariosBeyondTheCountLimitsAreRefused) {
  TempDir dir;
  std::string issues = "issues:\n";
  for (int issue_idx = 0; issue_idx <= 10'000; ++issue_idx) {
    issues += "  - {id: i" + std::to_string(issue_idx) + ", options: [x]}\n";
  }
  WriteText(dir.path() / "issues.yaml", issues + "parties: [{id: p}]\n");
  ExpectRefused(RunParley({"info", (dir.path() / "issues.yaml").string()}),
                {"issues.yaml:2:", "more than 10000 issues"});

  // Four parties each valuing the 6,000,000 values of one integer issue: 24 million tabulated.
  std::string tables = "issues: [{id: n, type: integer, range: [0, 5999999]}]\nparties:\n";
  for (int party_idx = 0; party_idx < 4; ++party_idx) {
    tables += "  - id: p" + std::to_string(party_idx) +
              "\n    preferences: {weights: {n: 1}, values: {n: {type: piecewise_linear, points: "
              "[[0, 0], "
              "[5999999, 1]]}}}\n";
  }
  WriteText(dir.path() / "tables.yaml", tables);
  ExpectRefused(RunParley({"info", (dir.path() / "tables.yaml").string()}),
                {"tables.yaml:", "parties.p3.preferences.values.n",
                 "more than 20000000 tabulated utility values"});

  // Eleven red lines each comparing over a 10,000,000-value issue: 110 million options.
  std::string red_lines =
      "issues: [{id: big, type: integer, range: [0, 9999999]}]\nparties:\n  - id: p\n"
      "    preferences:\n      weights: {big: 1}\n      values: {big: {type: linear, at_lower: 0, "
      "at_upper: 1}}\n"
      "      red_lines:\n";
  for (int line_idx = 0; line_idx < 11; ++line_idx) red_lines += "        - forbid: big == 5\n";
  WriteText(dir.path() / "red_lines.yaml", red_lines + "  - id: q\n");
  ExpectRefused(RunParley({"info", (dir.path() / "red_lines.yaml").string()}),
                {"red_lines.yaml:18:", "red lines compare more options together"});
}

TEST(LimitsCliTest, TracesConfigsAndResultsHaveLimitsToo) {
  TempDir dir;
  WriteText(dir.path() / "deep.trace.json", "{\"parley_trace\": " + std::string(100'000, '['));
  ExpectRefused(RunParley({"replay", (dir.path() / "deep.trace.json").string()}),
                {"deep.trace.json:1:", "nested deeper than 64 levels"});
  WriteText(dir.path() / "deep.tournament.yaml", "scenarios: " + std::string(100'000, '['));
  ExpectRefused(RunParley({"tournament", (dir.path() / "deep.tournament.yaml").string()}),
                {"deep.tournament.yaml:1:", "nested more than 64 levels deep"});
  WriteText(dir.path() / "deep.jsonl", "{\"session\": \"s\", \"config\": \"c\", \"scenario\": " +
                                           std::string(100'000, '[') + "\n");
  CommandResult report = RunParley(
      {"report", (dir.path() / "deep.jsonl").string(), "-o", (dir.path() / "r.html").string()});
  EXPECT_EQ(report.exit_code, 2) << report.err;
  EXPECT_FALSE(fs::exists(dir.path() / "r.html"));
}

// In process, through the loader `parley info` uses (io::LoadScenario): a process per corpus folder
// took 160 s of CPU under ASan, and the limits live in the loader, not in the CLI.
TEST(LimitsCliTest, EveryCorpusScenarioIsWithinTheLimits) {
  const std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent";
  int loaded = 0;
  for (const char* format : {"/genius", "/geniusweb"}) {
    for (const std::string& folder :
         FoldersWithFiles(data + format, std::string(format) == "/genius" ? ".xml" : ".json")) {
      Result<model::Scenario> scenario = io::LoadScenario(folder);
      if (scenario.ok()) {
        ++loaded;
        continue;
      }
      // Folders the loader cannot read for other reasons (no profile ...) are not about limits.
      const std::string error = scenario.status().ToString();
      EXPECT_THAT(error, ::testing::Not(HasSubstr("parley reads at most"))) << folder;
      EXPECT_THAT(error, ::testing::Not(HasSubstr("levels deep"))) << folder;
      EXPECT_THAT(error, ::testing::Not(HasSubstr("larger than"))) << folder;
    }
  }
  EXPECT_GT(loaded, 50);
}

}  // namespace
}  // namespace parley::testing
