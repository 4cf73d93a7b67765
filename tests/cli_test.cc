// Black-box tests of the `parley` executable: arguments, output, exit codes and files, as a user
// meets them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

TEST(CliTest, InfoOnCeasefireShowsBannerPartiesAndExactCount) {
  CommandResult result = RunParley({"info", Example("ceasefire.yaml")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The banner comes before anything else.
  EXPECT_EQ(result.out.rfind("NOTE: Illustrative model", 0), 0u) << result.out;
  // 4 ceasefire x 4 withdrawal x 3 linkage x 41 hostage counts x 16 prisoner steps x 4 x 4.
  EXPECT_NE(result.out.find("outcomes: " + std::to_string(4 * 4 * 3 * 41 * 16 * 4 * 4)),
            std::string::npos);
  for (const char* party : {"israel", "hamas", "qatar", "united_states", "egypt"}) {
    EXPECT_NE(result.out.find(party), std::string::npos) << party;
  }
  EXPECT_NE(result.out.find("(disabled)"), std::string::npos);
  EXPECT_NE(result.out.find("Initial exchange"), std::string::npos);
  EXPECT_NE(
      result.out.find(
          "red line (forbid): ceasefire in [permanent_agreed_in_phase_two, permanent_up_front]"),
      std::string::npos);
}

TEST(CliTest, InfoJsonIsOneObjectWithTheDocumentedFields) {
  CommandResult result = RunParley({"info", Example("ceasefire.yaml"), "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  nlohmann::json info = nlohmann::json::parse(result.out);
  EXPECT_EQ(info["outcomes"], std::to_string(4 * 4 * 3 * 41 * 16 * 4 * 4));
  ASSERT_EQ(info["parties"].size(), 5u);
  EXPECT_EQ(info["parties"][0]["id"], "israel");
  EXPECT_EQ(info["parties"][0]["role"], "principal");
  EXPECT_EQ(info["parties"][2]["role"], "mediator");
  EXPECT_EQ(info["parties"][4]["enabled"], false);
  const auto& israel = info["parties"][0]["preferences"];
  EXPECT_DOUBLE_EQ(israel["reservation"].get<double>(), 0.45);
  // Israel's best outcome, worked out by hand from the file: the top option on every issue.
  EXPECT_DOUBLE_EQ(israel["utility_range"]["max"].get<double>(), 1.0);
  EXPECT_EQ(israel["utility_range"]["best"]["ceasefire"], "time_limited_pause");
  EXPECT_EQ(israel["utility_range"]["best"]["hostages_released"], 40);
  EXPECT_EQ(israel["utility_range"]["best"]["prisoners_released"], 0);
  // Its worst: the bottom option on every issue; only linkage (0.2), prisoners (0.2 at 1500),
  // humanitarian access (0.4) and guarantees (0.4) have a bottom above 0.
  EXPECT_NEAR(israel["utility_range"]["min"].get<double>(),
              0.15 * 0.2 + 0.05 * 0.2 + 0.05 * 0.4 + 0.10 * 0.4, 1e-12);
  ASSERT_EQ(info["phases"].size(), 2u);
  EXPECT_EQ(info["phases"][0]["id"], "initial_exchange");
  EXPECT_GT(info["provenance"]["report"].get<int>(), 5);
  EXPECT_GT(info["provenance"]["assumption"].get<int>(), 20);
}

TEST(CliTest, InfoOnRiversideResolvesReservationOutcome) {
  CommandResult result = RunParley({"info", Example("riverside.yaml"), "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  nlohmann::json info = nlohmann::json::parse(result.out);
  // 41 x 4 x 11 x 11 x 8
  EXPECT_EQ(info["outcomes"], std::to_string(41 * 4 * 11 * 11 * 8));
  const auto& developer = info["parties"][1];
  ASSERT_EQ(developer["id"], "developer");
  // Reservation = utility of its reservation outcome, computed here from the file's numbers:
  // weights 3,3,1,2,1 (sum 10); values 1-20/40, 0.5, 1-0.7*1.5/5, 1-3/10, triangular(6)=1.
  double expected = (3 * 0.5 + 3 * 0.5 + 1 * (1 - 0.7 * 1.5 / 5) + 2 * 0.7 + 1 * 1.0) / 10;
  EXPECT_NEAR(developer["preferences"]["reservation"].get<double>(), expected, 1e-12);
  EXPECT_EQ(info["parties"][4]["role"], "observer");
}

TEST(CliTest, ConvertToYamlAndJsonKeepsTheSummary) {
  TempDir temp;
  for (const std::string name : {"ceasefire", "riverside"}) {
    for (const std::string extension : {".yaml", ".json"}) {
      fs::path out = temp.path() / (name + "-copy" + extension);
      CommandResult convert = RunParley({"convert", Example(name + ".yaml"), "-o", out.string()});
      ASSERT_EQ(convert.exit_code, 0) << convert.err;
      CommandResult original = RunParley({"info", Example(name + ".yaml"), "--json"});
      CommandResult copy = RunParley({"info", out.string(), "--json"});
      ASSERT_EQ(copy.exit_code, 0) << copy.err;
      nlohmann::json a = nlohmann::json::parse(original.out);
      nlohmann::json b = nlohmann::json::parse(copy.out);
      a.erase("source_files");
      b.erase("source_files");
      EXPECT_EQ(a, b) << name << extension;
    }
  }
}

TEST(CliTest, ConvertRefusesWhatGeniusWebCannotExpressAndWritesNothing) {
  TempDir temp;
  fs::path out = temp.path() / "riverside-gw";
  CommandResult result =
      RunParley({"convert", Example("riverside.yaml"), "-o", out.string(), "--to", "geniusweb"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("red line"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out));
}

TEST(CliTest, BadInputGivesExitCodeTwoAndNamesThePlace) {
  TempDir temp;
  fs::path bad = temp.path() / "bad.yaml";
  std::ofstream(bad) << "parley: 1\nissues:\n  - id: a\n    options: [x, y]\nparties:\n"
                        "  - id: p\n    preferences:\n      weights: {a: -1}\n"
                        "      values: {a: {x: 0, y: 1}}\n";
  CommandResult result = RunParley({"info", bad.string()});
  EXPECT_EQ(result.exit_code, 2);
  // The negative weight sits on line 8.
  EXPECT_NE(result.err.find(bad.string() + ":8:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("weight"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST(CliTest, UsageErrorsGiveExitCodeTwo) {
  EXPECT_EQ(RunParley({}).exit_code, 2);
  EXPECT_EQ(RunParley({"info"}).exit_code, 2);
  EXPECT_EQ(RunParley({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunParley({"info", "/nonexistent/scenario.yaml"}).exit_code, 2);
  EXPECT_EQ(RunParley({"convert", Example("ceasefire.yaml")}).exit_code, 2);  // no -o
  EXPECT_EQ(RunParley({"convert", Example("ceasefire.yaml"), "-o", "x.txt"}).exit_code, 2);
  EXPECT_EQ(RunParley({"--help"}).exit_code, 0);
  EXPECT_EQ(RunParley({"--version"}).exit_code, 0);
}

TEST(CliTest, AnUnknownCommandGetsTheNearestOne) {
  CommandResult result = RunParley({"negotiat", Example("ceasefire.yaml")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unknown command 'negotiat'; did you mean 'negotiate'?"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("A subcommand is required"), std::string::npos) << result.err;
  CommandResult far = RunParley({"frobnicate"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_NE(far.err.find("unknown command 'frobnicate'"), std::string::npos) << far.err;
  EXPECT_NE(far.err.find("suggest"), std::string::npos) << "lists the commands: " << far.err;
}

TEST(CliTest, HelpPrintsTheCommandsOrOneCommandsOptions) {
  CommandResult all = RunParley({"help"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  for (const char* command : {"info", "analyze", "suggest", "negotiate", "report", "tournament"}) {
    EXPECT_NE(all.out.find(command), std::string::npos) << command << " in " << all.out;
  }
  CommandResult one = RunParley({"help", "analyze"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("--outcome"), std::string::npos) << one.out;
  CommandResult unknown = RunParley({"help", "analyse"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("did you mean 'analyze'?"), std::string::npos) << unknown.err;
}

TEST(CliTest, ANumberOptionGivenSomethingElseSaysSo) {
  CommandResult rounds = RunParley({"negotiate", Example("ceasefire.yaml"), "--rounds", "abc"});
  EXPECT_EQ(rounds.exit_code, 2);
  EXPECT_NE(rounds.err.find("--rounds: 'abc' is not a whole number"), std::string::npos)
      << rounds.err;
  EXPECT_EQ(rounds.err.find("not in range"), std::string::npos) << rounds.err;
  CommandResult limit = RunParley({"negotiate", Example("ceasefire.yaml"), "--time-limit", "soon"});
  EXPECT_EQ(limit.exit_code, 2);
  EXPECT_NE(limit.err.find("--time-limit: 'soon' is not a number"), std::string::npos) << limit.err;
  CommandResult negative = RunParley({"analyze", Example("ceasefire.yaml"), "--max-points", "-3"});
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_NE(negative.err.find("--max-points: '-3' is not a whole number of 0 or more"),
            std::string::npos)
      << negative.err;
  // A number out of range still gets the range.
  CommandResult zero = RunParley({"negotiate", Example("ceasefire.yaml"), "--rounds", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("--rounds"), std::string::npos) << zero.err;
}

TEST(CliTest, AnalyzingOneNamedPartySaysOnlyOneWasNamed) {
  CommandResult result = RunParley({"analyze", Example("ceasefire.yaml"), "--parties", "israel"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--parties: the analysis needs at least two parties and only "
                            "'israel' was named"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("the scenario has"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("hamas"), std::string::npos) << "names the candidates: " << result.err;
}

// docs/cli.md's synopsis lists every command `parley help` lists.
TEST(CliTest, TheDocumentedSynopsisListsEveryCommand) {
  CommandResult help = RunParley({"help"});
  ASSERT_EQ(help.exit_code, 0);
  std::string docs = ReadText(SourceDir() + "/docs/cli.md");
  std::size_t open = docs.find("```\n");
  std::size_t close = docs.find("```\n", open + 4);
  ASSERT_NE(close, std::string::npos);
  const std::string synopsis = docs.substr(open, close - open);
  std::istringstream lines(help.out.substr(help.out.find("Subcommands:")));
  std::string line;
  int commands = 0;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name;
    if (!(words >> name) || name == "Subcommands:") continue;
    ++commands;
    EXPECT_NE(synopsis.find("parley " + name), std::string::npos) << name << " in " << synopsis;
  }
  EXPECT_GE(commands, 11);
}

TEST(CliTest, FailedConvertLeavesNoHalfWrittenFile) {
  TempDir temp;
  fs::path out = temp.path() / "missing-folder" / "out.yaml";
  CommandResult result = RunParley({"convert", Example("ceasefire.yaml"), "-o", out.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::is_empty(temp.path()));
}

TEST(CliTest, ReadsGeniusAndGeniusWebFoldersAndExplicitFiles) {
  std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent";
  CommandResult genius = RunParley({"info", data + "/genius/anac/y2010/Travel", "--json"});
  ASSERT_EQ(genius.exit_code, 0) << genius.err;
  EXPECT_EQ(nlohmann::json::parse(genius.out)["outcomes"], "188160");
  CommandResult explicit_files =
      RunParley({"info", "--domain", data + "/genius/anac/y2010/Travel/travel_domain.xml",
                 "--profile", data + "/genius/anac/y2010/Travel/travel_chox.xml", "--json"});
  ASSERT_EQ(explicit_files.exit_code, 0) << explicit_files.err;
  EXPECT_EQ(nlohmann::json::parse(explicit_files.out)["parties"].size(), 1u);
  CommandResult geniusweb = RunParley({"info", data + "/geniusweb/Party", "--json"});
  ASSERT_EQ(geniusweb.exit_code, 0) << geniusweb.err;
  // Food, Drinks, Location, Invitations, Cleanup have 4 values; Music 3.
  EXPECT_EQ(nlohmann::json::parse(geniusweb.out)["outcomes"],
            std::to_string(4 * 4 * 4 * 4 * 3 * 4));
}

TEST(CliTest, ConvertsGeniusToGeniusWebAndBack) {
  std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent";
  TempDir temp;
  fs::path out = temp.path() / "travel";
  CommandResult convert = RunParley(
      {"convert", data + "/genius/anac/y2010/Travel", "-o", out.string(), "--to", "geniusweb"});
  ASSERT_EQ(convert.exit_code, 0) << convert.err;
  CommandResult info = RunParley({"info", out.string(), "--json"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(nlohmann::json::parse(info.out)["outcomes"], "188160");
}

}  // namespace
}  // namespace parley::testing
