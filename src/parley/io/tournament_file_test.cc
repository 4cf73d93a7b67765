#include "parley/io/tournament_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace parley::io {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

Result<TournamentFile> Parse(const std::string& text) {
  return ParseTournamentFile(text, "t.yaml", "/configs");
}

// Expects an invalid-input error at `line`:`column` of t.yaml whose message contains `text`.
void ExpectError(const std::string& yaml, int line, int column, const std::string& text) {
  Result<TournamentFile> file = Parse(yaml);
  ASSERT_FALSE(file.ok()) << yaml;
  EXPECT_EQ(file.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(file.status().location().file, "t.yaml");
  EXPECT_EQ(file.status().location().line, line) << file.status().ToString();
  EXPECT_EQ(file.status().location().column, column) << file.status().ToString();
  EXPECT_THAT(file.status().ToString(), HasSubstr(text));
}

TEST(TournamentFileTest, EveryKeyIsReadAsWrittenWithItsPlace) {
  Result<TournamentFile> file = Parse(R"y(scenarios:
  - a.yaml
  - {path: ../data/anac/y2010/}
  - {domain: d.xml, profiles: [p1.xml, /abs/p2.xml]}
strategies: [boulware, "time_based(e=[0.5, 2])"]
mediators:
  - name: split_the_difference
    parameters: {step: [0.1, 0.2], keep: yes}
protocol: shuttle
rounds: 50
repetitions: 3
seed: 18446744073709551615
role_swapping: off
discount: true
statistics: {confidence: 0.9}
format: jsonl
output: out/results.jsonl
)y");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->scenarios.size(), 3u);
  EXPECT_EQ(file->scenarios[0].label, "a.yaml");
  EXPECT_EQ(file->scenarios[0].source.path, "/configs/a.yaml");
  EXPECT_EQ(file->scenarios[0].location.line, 2);
  EXPECT_EQ(file->scenarios[0].location.field, "scenarios[0]");
  EXPECT_EQ(file->scenarios[1].label, "../data/anac/y2010/");
  EXPECT_EQ(file->scenarios[1].source.path, "/data/anac/y2010/");
  EXPECT_EQ(file->scenarios[2].label, "d.xml+p1.xml+/abs/p2.xml");
  EXPECT_EQ(file->scenarios[2].source.domain, "/configs/d.xml");
  EXPECT_THAT(file->scenarios[2].source.profiles, ElementsAre("/configs/p1.xml", "/abs/p2.xml"));
  ASSERT_EQ(file->strategies.size(), 2u);
  EXPECT_EQ(file->strategies[1].spec, "time_based(e=[0.5, 2])");
  EXPECT_EQ(file->strategies[1].location.line, 5);
  EXPECT_EQ(file->strategies[1].location.field, "strategies[1]");
  ASSERT_EQ(file->mediators.size(), 1u);
  EXPECT_FALSE(file->mediators[0].spec);
  EXPECT_EQ(file->mediators[0].name, "split_the_difference");
  EXPECT_THAT(file->mediators[0].parameters, ElementsAre(Pair("step", ElementsAre("0.1", "0.2")),
                                                         Pair("keep", ElementsAre("yes"))));
  EXPECT_EQ(file->protocol, "shuttle");
  EXPECT_EQ(file->protocol_location.line, 9);
  EXPECT_EQ(file->rounds, 50);
  EXPECT_EQ(file->repetitions, 3);
  EXPECT_EQ(file->seed, 18446744073709551615u);
  EXPECT_EQ(file->role_swapping, false);
  EXPECT_EQ(file->discount, true);
  EXPECT_EQ(file->confidence, 0.9);
  EXPECT_EQ(file->format, "jsonl");
  EXPECT_EQ(file->format_location.line, 16);
  EXPECT_EQ(file->output, "/configs/out/results.jsonl");
}

TEST(TournamentFileTest, OptionalKeysStayUnsetAndOneItemMayStandForAList) {
  Result<TournamentFile> file = Parse("scenarios: a.yaml\nstrategies: boulware\n");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->scenarios.size(), 1u);
  ASSERT_EQ(file->strategies.size(), 1u);
  EXPECT_EQ(file->strategies[0].spec, "boulware");
  EXPECT_TRUE(file->mediators.empty());
  EXPECT_FALSE(file->protocol || file->rounds || file->repetitions || file->seed ||
               file->role_swapping || file->discount || file->confidence || file->format ||
               file->output);
}

TEST(TournamentFileTest, ShapeMistakesAreReportedWhereTheyAre) {
  ExpectError("- a\n- b\n", 1, 1, "a mapping with the keys");
  ExpectError("scenarios: [a.yaml]\nstrategies: [b]\nrounds: 2\nrounds: 3\n", 4, 1,
              "key given twice");
  ExpectError("scenarios: [a.yaml]\nstrategies: [b]\nrepetitons: 3\n", 3, 1, "repetitions");
  ExpectError("scenarios: [a.yaml]\n", 1, 1, "strategies: missing");
  ExpectError("scenarios: []\nstrategies: [b]\n", 1, 12, "a list of scenario files");
  ExpectError("scenarios: [a.yaml, ./a.yaml]\nstrategies: [b]\n", 1, 21, "listed twice");
  ExpectError("scenarios: [{path: a, domain: d}]\nstrategies: [b]\n", 1, 13,
              "either path or domain");
  ExpectError("scenarios: [{domain: d}]\nstrategies: [b]\n", 1, 13, "profiles: [FILE, ...]");
  ExpectError("scenarios: [{paht: a}]\nstrategies: [b]\n", 1, 14, "path");
  ExpectError("scenarios: [a]\nstrategies: [[b]]\n", 2, 14, "a strategy spec");
  ExpectError("scenarios: [a]\nstrategies: [{name: b, parameters: {e: [1, [2]]}}]\n", 2, 44,
              "a plain value");
  ExpectError("scenarios: [a]\nstrategies: [{name: b, parameters: {e: \"1,2\"}}]\n", 2, 40,
              "may not contain");
  ExpectError("scenarios: [a]\nstrategies: [{name: b, parameters: {e: []}}]\n", 2, 40,
              "empty list");
  ExpectError("scenarios: [a]\nstrategies: [b]\nrounds: 0\n", 3, 9, "from 1 to 100000000");
  ExpectError("scenarios: [a]\nstrategies: [b]\nrepetitions: x\n", 3, 14, "got 'x'");
  ExpectError("scenarios: [a]\nstrategies: [b]\nseed: -4\n", 3, 7, "non-negative");
  ExpectError("scenarios: [a]\nstrategies: [b]\ndiscount: maybe\n", 3, 11, "true or false");
  ExpectError("scenarios: [a]\nstrategies: [b]\nstatistics: {confidence: 1}\n", 3, 26,
              "between 0 and 1");
  ExpectError("scenarios: [a]\nstrategies: [b]\nstatistics: {level: 1}\n", 3, 14, "confidence");
  ExpectError("scenarios: [a]\nstrategies: [b]\nprotocol: \"\"\n", 3, 11, "non-empty text");
  ExpectError("scenarios: [a]\nstrategies: [b\n", 3, 1, "not valid YAML");
}

}  // namespace
}  // namespace parley::io
