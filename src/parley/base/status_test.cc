#include "parley/base/status.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0) return InvalidInput("must be positive", Location{"f.yaml", 3, 7, "weights.a"});
  return value;
}

Result<int> Doubled(int value) {
  PARLEY_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

TEST(StatusTest, ToStringNamesFileLineColumnAndField) {
  Status status = ParsePositive(-1).status();
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(status.ToString(), "f.yaml:3:7: weights.a: must be positive");
}

TEST(StatusTest, AssignOrReturnPropagatesErrorsAndValues) {
  EXPECT_EQ(Doubled(4).value(), 8);
  EXPECT_FALSE(Doubled(0).ok());
  EXPECT_EQ(Doubled(0).status().message(), "must be positive");
}

TEST(StatusTest, FieldPrefixJoinsPaths) {
  Status status = InvalidInput("bad", Location{"", 0, 0, "weights"});
  status.WithFieldPrefix("parties.a.preferences").WithFile("x.yaml");
  EXPECT_EQ(status.ToString(), "x.yaml: parties.a.preferences.weights: bad");
}

}  // namespace
}  // namespace parley
