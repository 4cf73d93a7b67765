// ParseJson: limits are enforced while parsing, errors are located, and valid documents come out
// exactly as nlohmann's own parser would build them.
#include "parley/io/json_limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace parley::io {
namespace {

using ::testing::HasSubstr;

std::string Nested(int depth, char open, char close, const std::string& inner = "") {
  return std::string(depth, open) + inner + std::string(depth, close);
}

TEST(ParseJsonTest, AcceptsDocumentsUpToTheDepthLimit) {
  JsonLimits limits;
  limits.max_depth = 8;
  EXPECT_TRUE(ParseJson(Nested(8, '[', ']'), limits).ok());
  std::string objects;
  for (int level = 0; level < 8; ++level) objects += "{\"a\":";
  objects += "1" + std::string(8, '}');
  Result<Json> parsed = ParseJson(objects, limits);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, Json::parse(objects));
}

TEST(ParseJsonTest, RefusesOneLevelBeyondTheLimitWithItsLocation) {
  JsonLimits limits;
  limits.max_depth = 8;
  Result<Json> parsed = ParseJson("\n  " + Nested(9, '[', ']'), limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(parsed.status().message(), HasSubstr("deeper than 8 levels"));
  EXPECT_EQ(parsed.status().location().line, 2);
  EXPECT_EQ(parsed.status().location().column, 11);  // the ninth '['
}

// The attack of issue 10: an outcome nested 100,000 objects deep. It must fail at the limit,
// not overflow the stack anywhere (building, destroying or reporting).
TEST(ParseJsonTest, RefusesAHundredThousandLevelsWithoutRecursing) {
  std::string deep;
  for (int level = 0; level < 100'000; ++level) deep += "{\"a\":";
  deep += "1" + std::string(100'000, '}');
  Result<Json> parsed = ParseJson(deep, JsonLimits{});
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("deeper than 64 levels"));
  EXPECT_EQ(parsed.status().location().column, 5 * 64 + 1);
  Result<Json> arrays = ParseJson(Nested(100'000, '[', ']'), JsonLimits{});
  EXPECT_FALSE(arrays.ok());
}

TEST(ParseJsonTest, RefusesNumbersBeyondADouble) {
  for (const char* text :
       {"{\"w\": 1e400}", "[-1e400]", "[1E+309]", "{\"a\": {\"b\": [0.5, 2e308]}}"}) {
    Result<Json> parsed = ParseJson(text, JsonLimits{});
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_THAT(parsed.status().message(), HasSubstr("out of range")) << text;
  }
  std::string digits = "[" + std::string(400, '9') + "]";
  EXPECT_FALSE(ParseJson(digits, JsonLimits{}).ok());
  // Underflow is a finite number (0 or a denormal), as every JSON reader reads it.
  Result<Json> tiny = ParseJson("[1e-400, 5e-324, 1.7976931348623157e308]", {});
  ASSERT_TRUE(tiny.ok()) << tiny.status().ToString();
  EXPECT_EQ((*tiny)[0].get<double>(), 0.0);
  EXPECT_GT((*tiny)[1].get<double>(), 0.0);
}

TEST(ParseJsonTest, MalformedTextIsLocated) {
  Result<Json> parsed = ParseJson("{\n  \"a\": 1,\n  \"b\": tru\n}", JsonLimits{});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().location().line, 3);
  EXPECT_THAT(parsed.status().message(), HasSubstr("syntax error"));
  EXPECT_FALSE(ParseJson("", JsonLimits{}).ok());
  EXPECT_FALSE(ParseJson("{} {}", JsonLimits{}).ok());  // one document only
}

TEST(ParseJsonTest, RefusesTextsBeyondMaxBytes) {
  JsonLimits limits;
  limits.max_bytes = 10;
  EXPECT_TRUE(ParseJson("[1,2,3,4]", limits).ok());
  Result<Json> parsed = ParseJson("[1,2,3,4,5]", limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("limit is 10"));
  // Refused by its size alone: nothing of it is parsed.
  EXPECT_FALSE(ParseJson("[1,2,3,4,{]", limits).ok());
}

TEST(ParseJsonTest, BracketsInsideStringsDoNotCount) {
  JsonLimits limits;
  limits.max_depth = 1;
  EXPECT_TRUE(ParseJson(R"({"a": "[[[[[[[[[[{{{{{{{{ \" [[[[[["})", limits).ok());
}

TEST(ParseJsonTest, CountsEveryValueAndKeyAndRefusesTheFirstBeyond) {
  // {"a": [1, true, null, "x"]}: object, key, array, four values = 7.
  const std::string text = R"({"a": [1, true, null, "x"]})";
  JsonLimits limits;
  limits.max_values = 7;
  EXPECT_TRUE(ParseJson(text, limits).ok());
  limits.max_values = 6;
  Result<Json> refused = ParseJson(text, limits);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("more than 6 values"));
  EXPECT_EQ(refused.status().location().column, 25);  // the end of "x", the seventh
  // A flat array of a million numbers is two million bytes but a million values.
  std::string flat = "[" + std::string(1'000'000 * 2 - 1, '0') + "]";
  for (std::size_t at = 2; at < flat.size() - 1; at += 2) flat[at] = ',';
  limits.max_values = 1'000;
  EXPECT_THAT(ParseJson(flat, limits).status().message(), HasSubstr("more than 1000 values"));
}

TEST(ParseJsonTest, DuplicateKeysAreRefusedWhenAskedAtTheSecondOccurrence) {
  const std::string text = "{\"a\": {\"b\": 1, \"c\": 2},\n \"b\": 3, \"a\": 4}";
  EXPECT_TRUE(ParseJson(text, JsonLimits{}).ok());  // nlohmann keeps one
  JsonLimits limits;
  limits.refuse_duplicate_keys = true;
  Result<Json> refused = ParseJson(text, limits);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("key 'a' appears twice"));
  EXPECT_EQ(refused.status().location().line, 2);
  EXPECT_EQ(refused.status().location().column, 10);  // the second "a"
  // The same key in different objects, or escaped differently but equal, is handled by value.
  EXPECT_TRUE(ParseJson(R"({"a": {"a": 1}, "b": {"a": 2}})", limits).ok());
  EXPECT_FALSE(ParseJson(R"({"a\"b": 1, "a\u0022b": 2})", limits).ok());
}

TEST(ParseJsonTest, KeepsMemberOrder) {
  Result<Json> parsed = ParseJson(R"({"z": 1, "a": [true, null]})", {});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->dump(), R"({"z":1,"a":[true,null]})");
}

// Property: on random documents within the limits, the result equals nlohmann's own parse.
TEST(ParseJsonTest, AgreesWithNlohmannOnRandomDocuments) {
  std::mt19937_64 rng(7);
  auto random_value = [&](auto&& self, int depth) -> Json {
    int kind = static_cast<int>(rng() % (depth >= 6 ? 5 : 7));
    switch (kind) {
      case 0:
        return nullptr;
      case 1:
        return rng() % 2 == 0;
      case 2:
        return static_cast<std::int64_t>(rng() % 2'000'001) - 1'000'000;
      case 3:
        return std::ldexp(static_cast<double>(rng() % 1'000'000),
                          static_cast<int>(rng() % 80) - 40);
      case 4:
        return std::string(rng() % 5, static_cast<char>('a' + rng() % 26));
      case 5: {
        Json array = Json::array();
        for (std::uint64_t item = rng() % 4; item > 0; --item)
          array.push_back(self(self, depth + 1));
        return array;
      }
      default: {
        Json object = Json::object();
        for (std::uint64_t item = rng() % 4; item > 0; --item) {
          object["k" + std::to_string(rng() % 10)] = self(self, depth + 1);
        }
        return object;
      }
    }
  };
  for (int document_idx = 0; document_idx < 500; ++document_idx) {
    Json document = random_value(random_value, 0);
    std::string text = document.dump(document_idx % 2 == 0 ? -1 : 2);
    Result<Json> parsed = ParseJson(text, JsonLimits{});
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, Json::parse(text)) << text;
  }
}

}  // namespace
}  // namespace parley::io
