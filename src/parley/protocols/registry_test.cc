#include "parley/protocols/registry.h"

#include <gtest/gtest.h>

namespace parley::protocols {
namespace {

TEST(SpecTest, ParsesNamesAndArguments) {
  Result<Spec> spec = ParseSpec(" time_based(e=0.2, min = 0.5 ) ");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->name, "time_based");
  EXPECT_EQ(spec->arguments.at("e"), "0.2");
  EXPECT_EQ(spec->arguments.at("min"), "0.5");
  EXPECT_TRUE(ParseSpec("boulware")->arguments.empty());
  EXPECT_TRUE(ParseSpec("boulware()")->arguments.empty());
}

TEST(SpecTest, RejectsMalformedSpecsWithAColumn) {
  for (const char* bad : {"", "(e=1)", "x(e=1", "x(e)", "x(e=1) y", "x(e=1, e=2)", "x y"}) {
    Result<Spec> spec = ParseSpec(bad);
    EXPECT_FALSE(spec.ok()) << bad;
    if (!spec.ok()) {
      EXPECT_GT(spec.status().location().column, 0) << bad;
    }
  }
}

TEST(ParametersTest, FillsDefaultsAndChecksTypes) {
  std::vector<ParameterSpec> specs = {{"e", ParameterType::kDouble, "0.2", "exponent"},
                                      {"window", ParameterType::kInt, "3", ""},
                                      {"absolute", ParameterType::kBool, "false", ""}};
  Result<Parameters> parameters = Parameters::Parse({{"e", "0.5"}}, specs, "boulware");
  ASSERT_TRUE(parameters.ok());
  EXPECT_DOUBLE_EQ(parameters->GetDouble("e"), 0.5);
  EXPECT_EQ(parameters->GetInt("window"), 3);
  EXPECT_FALSE(parameters->GetBool("absolute"));
  EXPECT_EQ(parameters->Canonical("boulware"), "boulware(absolute=false, e=0.5, window=3)");
  EXPECT_FALSE(Parameters::Parse({{"e", "fast"}}, specs, "boulware").ok());
  EXPECT_FALSE(Parameters::Parse({{"window", "2.5"}}, specs, "boulware").ok());
  EXPECT_FALSE(Parameters::Parse({{"absolute", "yes"}}, specs, "boulware").ok());
  Result<Parameters> unknown = Parameters::Parse({{"f", "1"}}, specs, "boulware");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("parameters are: e, window, absolute"),
            std::string::npos)
      << unknown.status().message();
}

// A minimal descriptor for a registry of the test's own.
struct TestDescriptor {
  static constexpr const char* kKind = "widget";
  std::string name;
  std::vector<ParameterSpec> parameters;
};

TEST(RegistryTest, RemembersResolutionsButNotErrors) {
  Registry<TestDescriptor> registry;
  registry.Register({"gear", {{"teeth", ParameterType::kInt, "12", ""}}});
  auto first = registry.ResolveShared("gear(teeth=20)");
  auto second = registry.ResolveShared("gear(teeth=20)");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ((*first)->canonical, "gear(teeth=20)");
  EXPECT_NE(registry.ResolveShared("gear")->get(), first->get());
  EXPECT_EQ(registry.Resolve("gear(teeth=20)")->canonical, "gear(teeth=20)");
  // An error is not remembered: the name resolves once it is registered.
  EXPECT_FALSE(registry.ResolveShared("cog").ok());
  registry.Register({"cog", {}});
  auto cog = registry.ResolveShared("cog");
  ASSERT_TRUE(cog.ok());
  EXPECT_EQ((*cog)->descriptor, registry.Find("cog"));
  // A copy resolves against its own descriptors, not the original's remembered ones.
  Registry<TestDescriptor> copy = registry;
  auto copied = copy.ResolveShared("gear(teeth=20)");
  ASSERT_TRUE(copied.ok());
  EXPECT_EQ((*copied)->descriptor, copy.Find("gear"));
  EXPECT_NE((*copied)->descriptor, (*first)->descriptor);
}

}  // namespace
}  // namespace parley::protocols
