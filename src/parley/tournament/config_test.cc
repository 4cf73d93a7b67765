#include "parley/tournament/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace parley::tournament {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Result<TournamentConfig> Parse(const std::string& text) {
  return ParseTournamentConfig(text, "t.yaml", "/configs");
}

std::vector<std::string> Labels(const std::vector<StrategyEntry>& entries) {
  std::vector<std::string> labels;
  for (const StrategyEntry& entry : entries) labels.push_back(entry.label);
  return labels;
}

// Expects an invalid-input error at `line` of t.yaml whose message contains `text`.
void ExpectError(const std::string& yaml, int line, const std::string& text) {
  Result<TournamentConfig> config = Parse(yaml);
  ASSERT_FALSE(config.ok()) << yaml;
  EXPECT_EQ(config.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(config.status().location().file, "t.yaml");
  EXPECT_EQ(config.status().location().line, line) << config.status().ToString();
  EXPECT_THAT(config.status().ToString(), HasSubstr(text));
}

constexpr const char* kSixKeys = R"y(scenarios: [a.yaml, ../data/anac/y2010]
strategies: [boulware, "time_based(e=[0.5, 2])"]
protocol: alternating_offers
rounds: 50
repetitions: 3
seed: 18446744073709551615
)y";

TEST(ConfigTest, TheSixKeysAreEnough) {
  Result<TournamentConfig> config = Parse(kSixKeys);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(config->scenarios.size(), 2u);
  EXPECT_EQ(config->scenarios[0].label, "a.yaml");
  EXPECT_EQ(config->scenarios[0].source.path, "/configs/a.yaml");
  EXPECT_EQ(config->scenarios[1].label, "../data/anac/y2010");
  EXPECT_EQ(config->scenarios[1].source.path, "/data/anac/y2010");
  EXPECT_THAT(Labels(config->strategies),
              ElementsAre("boulware", "time_based(e=0.5)", "time_based(e=2)"));
  EXPECT_THAT(config->strategies[1].canonical, HasSubstr("e=0.5"));
  EXPECT_EQ(config->strategies[1].location.line, 2);
  EXPECT_EQ(config->protocol, "alternating_offers");
  EXPECT_EQ(config->protocol_canonical, "alternating_offers(first=0)");
  EXPECT_EQ(config->rounds, 50);
  EXPECT_EQ(config->repetitions, 3);
  EXPECT_EQ(config->seed, 18446744073709551615ULL);
  EXPECT_TRUE(config->role_swapping);
  EXPECT_TRUE(config->discount);
  EXPECT_DOUBLE_EQ(config->confidence, 0.95);
  EXPECT_FALSE(config->format.has_value());
  EXPECT_TRUE(config->mediators.empty());
}

TEST(ConfigTest, OptionalKeysAndTheListFormOfGrids) {
  Result<TournamentConfig> config = Parse(R"y(scenarios:
  - path: x/riverside.yaml
  - {domain: d.xml, profiles: [p1.xml, p2.xml]}
strategies:
  - name: tit_for_tat
    parameters: {mode: [relative, absolute], delta: 2}
  - time_based(e=[0.2, 1], min=[0.5, 0.6])
mediators: [split_the_difference, nash_mediator]
protocol: shuttle
role_swapping: false
discount: no
statistics: {confidence: 0.9}
format: jsonl
output: out/results.jsonl
)y");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->scenarios[0].source.path, "/configs/x/riverside.yaml");
  EXPECT_EQ(config->scenarios[1].label, "d.xml+p1.xml+p2.xml");
  EXPECT_EQ(config->scenarios[1].source.domain, "/configs/d.xml");
  EXPECT_THAT(config->scenarios[1].source.profiles,
              ElementsAre("/configs/p1.xml", "/configs/p2.xml"));
  EXPECT_THAT(
      Labels(config->strategies),
      ElementsAre("tit_for_tat(mode=relative, delta=2)", "tit_for_tat(mode=absolute, delta=2)",
                  "time_based(e=0.2, min=0.5)", "time_based(e=0.2, min=0.6)",
                  "time_based(e=1, min=0.5)", "time_based(e=1, min=0.6)"));
  EXPECT_THAT(Labels(config->mediators), ElementsAre("split_the_difference", "nash_mediator"));
  EXPECT_FALSE(config->role_swapping);
  EXPECT_FALSE(config->discount);
  EXPECT_DOUBLE_EQ(config->confidence, 0.9);
  EXPECT_EQ(config->format, ResultsFormat::kJsonl);
  EXPECT_EQ(config->output, "/configs/out/results.jsonl");
}

TEST(ConfigTest, MistakesAreReportedWithTheirLine) {
  ExpectError("scenarios: [a.yaml]\nstrategies: [boulware]\nrepetitons: 3\n", 3,
              "did you mean 'repetitions'");
  ExpectError("scenarios: [a.yaml]\nstrategies:\n  - boulware\n  - bouwlare\n", 4,
              "unknown strategy 'bouwlare'; did you mean 'boulware'");
  ExpectError("scenarios: [a.yaml]\nstrategies:\n  - split_the_difference\n", 3,
              "cannot play a principal");
  ExpectError("scenarios: [a.yaml]\nstrategies:\n  - time_based(e=x)\n", 3, "'e'");
  ExpectError("scenarios: [a.yaml]\nstrategies: [boulware]\nmediators: [boulware]\n", 3,
              "cannot play a mediator");
  ExpectError("scenarios: [a.yaml]\nstrategies: [boulware]\nrounds: 0\n", 3,
              "expected an integer from 1");
  ExpectError("scenarios: [a.yaml]\nstrategies: [boulware]\nseed: -4\n", 3, "non-negative");
  ExpectError("scenarios: [a.yaml]\nstrategies: [boulware]\nprotocol: alternate\n", 3,
              "unknown protocol 'alternate'");
  ExpectError("scenarios: [a.yaml]\nstrategies: [boulware, boulware]\n", 2, "listed twice");
  ExpectError("scenarios: [a.yaml, a.yaml]\nstrategies: [boulware]\n", 1, "listed twice");
  ExpectError("scenarios: [a.yaml]\nstrategies:\n  - time_based(e=[0.1, 0.2)\n", 3,
              "unexpected ')' in a list of values");
  ExpectError("scenarios: [a.yaml]\nstrategies: [boulware]\nstatistics: {confidence: 1.5}\n", 3,
              "between 0 and 1");
  ExpectError("scenarios: [a.yaml]\nstrategies: [boulware]\nformat: parquet\n", 3,
              "unknown format 'parquet'");
  ExpectError("scenarios: [a.yaml]\n", 1, "strategies: missing");
  ExpectError("scenarios: [a.yaml]\nstrategies: [boulware\n", 3, "not valid YAML");
  ExpectError("- a\n- b\n", 1, "a mapping");
}

TEST(ConfigTest, GridErrorsPointAtTheCharacter) {
  Result<TournamentConfig> config =
      Parse("scenarios: [a.yaml]\nstrategies:\n  - time_based(e=[])\n");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().location().line, 3);
  EXPECT_EQ(config.status().location().column, 19);  // the ']' of "[]"
}

TEST(ConfigTest, FormatsByNameAndExtension) {
  EXPECT_EQ(FormatForPath("a/results.csv"), ResultsFormat::kCsv);
  EXPECT_EQ(FormatForPath("results.JSONL"), ResultsFormat::kJsonl);
  EXPECT_EQ(FormatForPath("results.ndjson"), ResultsFormat::kJsonl);
  EXPECT_EQ(FormatForPath("results"), ResultsFormat::kCsv);
  EXPECT_EQ(*ParseResultsFormat("jsonl"), ResultsFormat::kJsonl);
}

}  // namespace
}  // namespace parley::tournament
