// Limits on YAML documents: depth, values (aliases counted as what they repeat), cycles, size and
// the one-document rule, checked before yaml-cpp builds its tree.
#include "parley/io/yaml_limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace parley::io {
namespace {

using ::testing::HasSubstr;

YamlLimits Small(int depth, std::uint64_t values, std::uint64_t bytes = 1 << 20) {
  YamlLimits limits;
  limits.max_depth = depth;
  limits.max_values = values;
  limits.max_bytes = bytes;
  return limits;
}

std::string Flow(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(YamlLimitsTest, DepthAtTheLimitLoadsAndOneMoreIsRefusedWhereItStarts) {
  Result<YAML::Node> at_limit = LoadYaml(Flow(5), Small(5, 100), "f.yaml");
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().ToString();
  EXPECT_TRUE(at_limit->IsSequence());
  Result<YAML::Node> deeper = LoadYaml(Flow(6), Small(5, 100), "f.yaml");
  ASSERT_FALSE(deeper.ok());
  EXPECT_EQ(deeper.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(deeper.status().message(), HasSubstr("nested more than 5 levels"));
  EXPECT_EQ(deeper.status().location().file, "f.yaml");
  EXPECT_EQ(deeper.status().location().line, 1);
  EXPECT_EQ(deeper.status().location().column, 6);
}

TEST(YamlLimitsTest, BlockNestingCountsToo) {
  std::string text;
  for (int level = 0; level < 10; ++level) text += std::string(2 * level, ' ') + "a:\n";
  EXPECT_TRUE(LoadYaml(text, Small(10, 100), "f.yaml").ok());
  Result<YAML::Node> deeper = LoadYaml(text, Small(9, 100), "f.yaml");
  ASSERT_FALSE(deeper.ok());
  EXPECT_EQ(deeper.status().location().line, 10);
}

TEST(YamlLimitsTest, FarBeyondTheStackIsRefusedWithoutOverflowing) {
  Result<YAML::Node> deep = LoadYaml(Flow(200'000), Small(64, 10'000'000, 1 << 20), "f.yaml");
  ASSERT_FALSE(deep.ok());
  EXPECT_THAT(deep.status().message(), HasSubstr("nested more than 64"));
}

TEST(YamlLimitsTest, CountsScalarsCollectionsAndKeys) {
  // {a: [1, 2]}: map, key, sequence, two scalars = 5.
  EXPECT_TRUE(LoadYaml("a: [1, 2]", Small(64, 5), "f.yaml").ok());
  Result<YAML::Node> over = LoadYaml("a: [1, 2]", Small(64, 4), "f.yaml");
  ASSERT_FALSE(over.ok());
  EXPECT_THAT(over.status().message(), HasSubstr("more than 4 values"));
}

TEST(YamlLimitsTest, AnAliasCountsAsTheValueItRepeats) {
  // "Billion laughs": each level repeats the one below ten times.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 9; ++level) {
    std::string below = "*a" + std::to_string(level - 1);
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int copy = 0; copy < 10; ++copy) text += (copy ? ", " : "") + below;
    text += "]\n";
  }
  Result<YAML::Node> bomb = LoadYaml(text, Small(64, 1'000'000), "f.yaml");
  ASSERT_FALSE(bomb.ok());
  EXPECT_THAT(bomb.status().message(), HasSubstr("aliases count as the values they repeat"));
  // A few aliases of a small value are fine: 1 map + 2 keys + [x, x] (3) + two aliases of 3.
  EXPECT_TRUE(LoadYaml("a: &s [x, x]\nb: [*s, *s]", Small(64, 13), "f.yaml").ok());
  EXPECT_FALSE(LoadYaml("a: &s [x, x]\nb: [*s, *s]", Small(64, 12), "f.yaml").ok());
}

TEST(YamlLimitsTest, AnAliasInsideItsOwnValueIsRefused) {
  Result<YAML::Node> cycle = LoadYaml("issues: &a [*a]", Small(64, 100), "f.yaml");
  ASSERT_FALSE(cycle.ok());
  EXPECT_THAT(cycle.status().message(), HasSubstr("cycle"));
  EXPECT_FALSE(LoadYaml("m: &m {k: {j: *m}}", Small(64, 100), "f.yaml").ok());
}

TEST(YamlLimitsTest, SizeEmptinessAndDocuments) {
  Result<YAML::Node> large = LoadYaml(std::string(101, '#'), Small(64, 100, 100), "f.yaml");
  ASSERT_FALSE(large.ok());
  EXPECT_THAT(large.status().message(), HasSubstr("101 bytes"));
  Result<YAML::Node> empty = LoadYaml("# nothing\n", Small(64, 100), "f.yaml");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->IsNull());
  Result<YAML::Node> two = LoadYaml("a: 1\n---\nb: 2\n", Small(64, 100), "f.yaml");
  ASSERT_FALSE(two.ok());
  EXPECT_THAT(two.status().message(), HasSubstr("more than one YAML document"));
  EXPECT_EQ(two.status().location().line, 2);
}

TEST(YamlLimitsTest, SyntaxErrorsAreInputErrorsWithPositions) {
  Result<YAML::Node> bad = LoadYaml("a: [1, 2\nb: 3\n", Small(64, 100), "f.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(bad.status().message(), HasSubstr("not valid YAML"));
  EXPECT_GT(bad.status().location().line, 0);
}

}  // namespace
}  // namespace parley::io
