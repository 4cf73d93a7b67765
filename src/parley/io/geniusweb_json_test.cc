#include "parley/io/geniusweb_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "parley/io/json.h"
#include "parley/io/scenario_io.h"
#include "parley/model/hyper_rectangle_utility.h"
#include "parley/model/red_line.h"
#include "parley/model/utility.h"

namespace parley::io {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// ---------------------------------------------------------------------------------------------
// Fixtures

class TempFolder {
 public:
  TempFolder() {
    std::random_device random;
    path_ = fs::temp_directory_path() /
            ("parley_geniusweb_test_" + std::to_string(random()) + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Path(const std::string& name = "") const { return (path_ / name).string(); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::string file = Path(name);
    fs::create_directories(fs::path(file).parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  fs::path path_;
};

// A small domain: issue order deliberately not alphabetical, one of each value-set kind.
constexpr char kDomain[] = R"({
  "name": "trip",
  "issuesValues": {
    "zone": {"values": ["north", "south", "east"]},
    "days": {"range": {"low": 1, "high": 5, "step": 1}},
    "budget": {"range": {"low": 0, "high": 1, "step": 0.25}}
  }
})";

// Newer spelling (discreteutils / numberutils) with a full reservation bid.
constexpr char kProfileA[] = R"({
  "LinearAdditiveUtilitySpace": {
    "issueUtilities": {
      "zone": {"discreteutils": {"valueUtilities": {"north": 1, "south": 0.5, "east": 0.25}}},
      "days": {"numberutils": {"lowValue": 1, "lowUtility": 0, "highValue": 5, "highUtility": 1}},
      "budget": {"numberutils": {"lowValue": 0, "lowUtility": 1, "highValue": 1,
                                 "highUtility": 0.2}}
    },
    "issueWeights": {"zone": 0.5, "days": 0.3, "budget": 0.2},
    "domain": {"name": "trip", "issuesValues": {
      "zone": {"values": ["north", "south", "east"]},
      "days": {"range": {"low": 1, "high": 5, "step": 1}},
      "budget": {"range": {"low": 0, "high": 1, "step": 0.25}}}},
    "name": "alice",
    "reservationBid": {"issuevalues": {"zone": "south", "days": 2, "budget": 0.5}}
  }
})";

// Older class-name spelling, no embedded domain, no reservation.
constexpr char kProfileB[] = R"({
  "LinearAdditiveUtilitySpace": {
    "name": "bob",
    "issueUtilities": {
      "budget": {"NumberValueSetUtilities": {"lowValue": 0, "lowUtility": 0, "highValue": 1,
                                             "highUtility": 1}},
      "zone": {"DiscreteValueSetUtilities": {"valueUtilities": {"east": 1, "north": 0,
                                                                 "south": 0.6}}},
      "days": {"NumberValueSetUtilities": {"lowValue": 1, "lowUtility": 1, "highValue": 5,
                                           "highUtility": 0}}
    },
    "issueWeights": {"days": 0.25, "zone": 0.25, "budget": 0.5},
    "reservationBid": null
  }
})";

double Utility(const model::Party& party, const model::Outcome& outcome) {
  return party.preferences->utility->Evaluate(outcome);
}

// ---------------------------------------------------------------------------------------------
// Classification

TEST(ClassifyGeniusWebJsonTest, TellsFilesApartByContent) {
  EXPECT_EQ(ClassifyGeniusWebJson(kDomain), GeniusWebFileKind::kDomain);
  EXPECT_EQ(ClassifyGeniusWebJson(kProfileA), GeniusWebFileKind::kProfile);
  EXPECT_EQ(ClassifyGeniusWebJson(R"({"SumOfGroupsUtilitySpace": {}})"),
            GeniusWebFileKind::kProfile);
  EXPECT_EQ(ClassifyGeniusWebJson(R"({"issues": [], "parties": []})"), GeniusWebFileKind::kOther);
  EXPECT_EQ(ClassifyGeniusWebJson("[1, 2]"), GeniusWebFileKind::kOther);
  EXPECT_EQ(ClassifyGeniusWebJson("{\"issuesValues\": "), GeniusWebFileKind::kOther);
  EXPECT_EQ(ClassifyGeniusWebJson(""), GeniusWebFileKind::kOther);
}

// ---------------------------------------------------------------------------------------------
// Reading

class ReadGeniusWebTest : public ::testing::Test {
 protected:
  TempFolder folder_;
};

TEST_F(ReadGeniusWebTest, ReadsDomainAndBothSpellingsOfProfiles) {
  folder_.Write("trip.json", kDomain);
  // File names sort b before a: parties follow file names, not profile names.
  folder_.Write("trip_b.json", kProfileA);
  folder_.Write("trip_c.json", kProfileB);
  folder_.Write("notes.json", R"({"comment": "not a GeniusWeb file"})");
  Result<model::Scenario> scenario = ReadGeniusWebFolder(folder_.Path());
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();

  EXPECT_EQ(scenario->name, "trip");
  EXPECT_EQ(scenario->source_format, model::SourceFormat::kGeniusWeb);
  ASSERT_EQ(scenario->issues.size(), 3u);
  // Issue order as written in issuesValues.
  EXPECT_EQ(scenario->issues[0].id, "zone");
  EXPECT_EQ(scenario->issues[1].id, "days");
  EXPECT_EQ(scenario->issues[2].id, "budget");
  EXPECT_EQ(scenario->issues[0].kind, model::IssueKind::kDiscrete);
  EXPECT_EQ(scenario->issues[0].options, (std::vector<std::string>{"north", "south", "east"}));
  EXPECT_EQ(scenario->issues[1].kind, model::IssueKind::kInteger);
  EXPECT_EQ(scenario->issues[1].integer_lower, 1);
  EXPECT_EQ(scenario->issues[1].integer_upper, 5);
  EXPECT_EQ(scenario->issues[2].kind, model::IssueKind::kReal);
  EXPECT_EQ(scenario->issues[2].NumOptions(), 5u);  // 0, 0.25, 0.5, 0.75, 1

  ASSERT_EQ(scenario->parties.size(), 2u);
  const model::Party& alice = scenario->parties[0];
  const model::Party& bob = scenario->parties[1];
  EXPECT_EQ(alice.id, "alice");
  EXPECT_EQ(bob.id, "bob");
  EXPECT_EQ(alice.role, model::Role::kPrincipal);
  EXPECT_EQ(alice.source_file, folder_.Path("trip_b.json"));

  // zone=south (0.5), days=4 (0.75 on the line 1->0, 5->1), budget=0.75 (1 - 0.8 * 0.75 = 0.4).
  model::Outcome outcome = {1, 3, 3};
  EXPECT_NEAR(Utility(alice, outcome), 0.5 * 0.5 + 0.3 * 0.75 + 0.2 * 0.4, 1e-12);
  // bob: zone=south 0.6, days=4 -> 0.25, budget=0.75 -> 0.75.
  EXPECT_NEAR(Utility(bob, outcome), 0.25 * 0.6 + 0.25 * 0.25 + 0.5 * 0.75, 1e-12);

  // Alice's reservation bid: south, 2 days (0.25), budget 0.5 (0.6).
  ASSERT_TRUE(alice.preferences->reservation_outcome.has_value());
  EXPECT_EQ(*alice.preferences->reservation_outcome, (model::Outcome{1, 1, 2}));
  EXPECT_NEAR(*alice.preferences->reservation_value, 0.5 * 0.5 + 0.3 * 0.25 + 0.2 * 0.6, 1e-12);
  EXPECT_FALSE(bob.preferences->reservation_outcome.has_value());
  EXPECT_FALSE(bob.preferences->reservation_value.has_value());
}

TEST_F(ReadGeniusWebTest, ExplicitFilesKeepTheGivenOrder) {
  std::string domain = folder_.Write("d.json", kDomain);
  std::string bob = folder_.Write("b.json", kProfileB);
  std::string alice = folder_.Write("a.json", kProfileA);
  Result<model::Scenario> scenario = ReadGeniusWebFiles(domain, {bob, alice});
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  ASSERT_EQ(scenario->parties.size(), 2u);
  EXPECT_EQ(scenario->parties[0].id, "bob");
  EXPECT_EQ(scenario->parties[1].id, "alice");
  EXPECT_EQ(scenario->source_files, (std::vector<std::string>{domain, bob, alice}));
}

TEST_F(ReadGeniusWebTest, PartyIdsFallBackToFileStems) {
  std::string domain = folder_.Write("d.json", kDomain);
  // Two profiles named "alice" and one without a name.
  std::string first = folder_.Write("first.json", kProfileA);
  std::string second = folder_.Write("second.json", kProfileA);
  Json unnamed = Json::parse(kProfileB);
  unnamed["LinearAdditiveUtilitySpace"].erase("name");
  std::string third = folder_.Write("third.json", unnamed.dump());
  Result<model::Scenario> scenario = ReadGeniusWebFiles(domain, {first, second, third});
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  EXPECT_EQ(scenario->parties[0].id, "first");
  EXPECT_EQ(scenario->parties[1].id, "second");
  EXPECT_EQ(scenario->parties[2].id, "third");
}

TEST_F(ReadGeniusWebTest, NumberUtilitiesAreZeroOutsideTheirLine) {
  std::string domain = folder_.Write("d.json", kDomain);
  Json profile = Json::parse(kProfileB);
  // The line covers days 2..4 only: 0.5 at 2, 1 at 4; days 1 and 5 get 0 (GeniusWeb's rule).
  profile["LinearAdditiveUtilitySpace"]["issueUtilities"]["days"] = Json::parse(
      R"({"numberutils": {"lowValue": 2, "lowUtility": 0.5, "highValue": 4, "highUtility": 1}})");
  std::string file = folder_.Write("p.json", profile.dump());
  Result<model::Scenario> scenario = ReadGeniusWebFiles(domain, {file});
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  const auto& additive =
      dynamic_cast<const model::AdditiveUtility&>(*scenario->parties[0].preferences->utility);
  EXPECT_EQ(additive.values()[1].table, (std::vector<double>{0, 0.5, 0.75, 1, 0}));
}

TEST_F(ReadGeniusWebTest, PartialReservationBidCountsMissingIssuesAsZero) {
  std::string domain = folder_.Write("d.json", kDomain);
  Json profile = Json::parse(kProfileA);
  profile["LinearAdditiveUtilitySpace"]["reservationBid"] =
      Json::parse(R"({"issuevalues": {"zone": "north"}})");
  std::string file = folder_.Write("p.json", profile.dump());
  Result<model::Scenario> scenario = ReadGeniusWebFiles(domain, {file});
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  const model::Preferences& preferences = *scenario->parties[0].preferences;
  EXPECT_FALSE(preferences.reservation_outcome.has_value());
  ASSERT_TRUE(preferences.reservation_value.has_value());
  EXPECT_DOUBLE_EQ(*preferences.reservation_value, 0.5 * 1.0);
}

// ---------------------------------------------------------------------------------------------
// Bad input: every case is an error naming the file and the field, never a crash.

struct BadProfileCase {
  const char* name;
  const char* pointer;  // JSON pointer into kProfileA to replace ("" = remove `remove_key`)
  const char* replacement;
  const char* field;  // expected Location.field
  const char* message_part;
};

class GeniusWebBadProfileTest : public ::testing::TestWithParam<BadProfileCase> {};

TEST_P(GeniusWebBadProfileTest, IsInvalidInputWithFileAndField) {
  const BadProfileCase& bad = GetParam();
  TempFolder folder;
  std::string domain = folder.Write("d.json", kDomain);
  Json profile = Json::parse(kProfileA);
  Json::json_pointer pointer(bad.pointer);
  if (std::string(bad.replacement) == "REMOVE") {
    profile[pointer.parent_pointer()].erase(pointer.back());
  } else {
    profile[pointer] = Json::parse(bad.replacement);
  }
  std::string file = folder.Write("p.json", profile.dump(2));
  Result<model::Scenario> scenario = ReadGeniusWebFiles(domain, {file});
  ASSERT_FALSE(scenario.ok()) << bad.name;
  EXPECT_EQ(scenario.status().code(), ErrorCode::kInvalidInput) << scenario.status().ToString();
  EXPECT_EQ(scenario.status().location().file, file);
  EXPECT_EQ(scenario.status().location().field, bad.field) << scenario.status().ToString();
  EXPECT_THAT(scenario.status().message(), HasSubstr(bad.message_part));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GeniusWebBadProfileTest,
    ::testing::Values(
        BadProfileCase{"weight_is_text", "/LinearAdditiveUtilitySpace/issueWeights/zone", "\"0.5\"",
                       "LinearAdditiveUtilitySpace.issueWeights.zone",
                       "expected a number, got string"},
        BadProfileCase{"negative_weight", "/LinearAdditiveUtilitySpace/issueWeights/days", "-0.3",
                       "LinearAdditiveUtilitySpace.issueWeights.days", "must not be negative"},
        BadProfileCase{"missing_weight", "/LinearAdditiveUtilitySpace/issueWeights/budget",
                       "REMOVE", "LinearAdditiveUtilitySpace.issueWeights",
                       "no weight for issue 'budget'"},
        BadProfileCase{"weight_for_unknown_issue", "/LinearAdditiveUtilitySpace/issueWeights/color",
                       "0.1", "LinearAdditiveUtilitySpace.issueWeights.color",
                       "unknown issue 'color'"},
        BadProfileCase{"unknown_issue_in_utilities",
                       "/LinearAdditiveUtilitySpace/issueUtilities/colour",
                       R"({"discreteutils": {"valueUtilities": {"red": 1}}})",
                       "LinearAdditiveUtilitySpace.issueUtilities.colour",
                       "unknown issue 'colour'; the domain's issues are 'zone', 'days', 'budget'"},
        BadProfileCase{
            "missing_issue_in_utilities", "/LinearAdditiveUtilitySpace/issueUtilities/zone",
            "REMOVE", "LinearAdditiveUtilitySpace.issueUtilities", "no utilities for issue 'zone'"},
        BadProfileCase{
            "value_utilities_not_object",
            "/LinearAdditiveUtilitySpace/issueUtilities/zone/discreteutils/"
            "valueUtilities",
            "[1, 0.5, 0.25]",
            "LinearAdditiveUtilitySpace.issueUtilities.zone.discreteutils.valueUtilities",
            "expected an object of value utilities, got array"},
        BadProfileCase{
            "unknown_value_label",
            "/LinearAdditiveUtilitySpace/issueUtilities/zone/discreteutils/"
            "valueUtilities/west",
            "0.3",
            "LinearAdditiveUtilitySpace.issueUtilities.zone.discreteutils.valueUtilities."
            "west",
            "unknown value 'west' for issue 'zone'"},
        BadProfileCase{
            "missing_value_label",
            "/LinearAdditiveUtilitySpace/issueUtilities/zone/discreteutils/"
            "valueUtilities/east",
            "REMOVE", "LinearAdditiveUtilitySpace.issueUtilities.zone.discreteutils.valueUtilities",
            "no utility for value 'east'"},
        BadProfileCase{
            "value_utility_is_text",
            "/LinearAdditiveUtilitySpace/issueUtilities/zone/discreteutils/"
            "valueUtilities/north",
            "\"high\"",
            "LinearAdditiveUtilitySpace.issueUtilities.zone.discreteutils.valueUtilities."
            "north",
            "expected a number, got string"},
        BadProfileCase{"discrete_utilities_for_range",
                       "/LinearAdditiveUtilitySpace/issueUtilities/days",
                       R"({"discreteutils": {"valueUtilities": {"1": 1}}})",
                       "LinearAdditiveUtilitySpace.issueUtilities.days.discreteutils",
                       "its utilities must be numberutils"},
        BadProfileCase{"unknown_utilities_type", "/LinearAdditiveUtilitySpace/issueUtilities/days",
                       R"({"splineutils": {}})",
                       "LinearAdditiveUtilitySpace.issueUtilities.days.splineutils",
                       "expected \"discreteutils\" or \"numberutils\""},
        BadProfileCase{"number_utilities_reversed",
                       "/LinearAdditiveUtilitySpace/issueUtilities/days/numberutils/highValue", "1",
                       "LinearAdditiveUtilitySpace.issueUtilities.days.numberutils.highValue",
                       "must be above lowValue"},
        BadProfileCase{"number_utilities_missing_field",
                       "/LinearAdditiveUtilitySpace/issueUtilities/days/numberutils/lowUtility",
                       "REMOVE", "LinearAdditiveUtilitySpace.issueUtilities.days.numberutils",
                       "missing number \"lowUtility\""},
        BadProfileCase{"reservation_unknown_value",
                       "/LinearAdditiveUtilitySpace/reservationBid/issuevalues/zone", "\"west\"",
                       "LinearAdditiveUtilitySpace.reservationBid.issuevalues.zone",
                       "unknown value 'west' for issue 'zone'"},
        BadProfileCase{"reservation_off_grid",
                       "/LinearAdditiveUtilitySpace/reservationBid/issuevalues/budget", "0.3",
                       "LinearAdditiveUtilitySpace.reservationBid.issuevalues.budget",
                       "0.3 is not a value of issue 'budget'"},
        BadProfileCase{"reservation_unknown_issue",
                       "/LinearAdditiveUtilitySpace/reservationBid/issuevalues/colour", "\"red\"",
                       "LinearAdditiveUtilitySpace.reservationBid.issuevalues.colour",
                       "unknown issue 'colour'"},
        BadProfileCase{"reservation_number_for_label",
                       "/LinearAdditiveUtilitySpace/reservationBid/issuevalues/zone", "3",
                       "LinearAdditiveUtilitySpace.reservationBid.issuevalues.zone",
                       "expected a value label (a string), got number"},
        BadProfileCase{"embedded_domain_differs",
                       "/LinearAdditiveUtilitySpace/domain/issuesValues/zone/values",
                       R"(["north", "south"])", "LinearAdditiveUtilitySpace.domain",
                       "other values than the domain file"},
        BadProfileCase{"embedded_domain_other_name", "/LinearAdditiveUtilitySpace/domain/name",
                       "\"holiday\"", "LinearAdditiveUtilitySpace.domain",
                       "the profile is for domain 'holiday'"},
        BadProfileCase{"name_not_text", "/LinearAdditiveUtilitySpace/name", "7",
                       "LinearAdditiveUtilitySpace.name", "expected a string, got number"},
        BadProfileCase{"weights_not_object", "/LinearAdditiveUtilitySpace/issueWeights", "[0.5]",
                       "LinearAdditiveUtilitySpace.issueWeights",
                       "expected an object of issue weights, got array"}),
    [](const ::testing::TestParamInfo<BadProfileCase>& param_info) {
      return param_info.param.name;
    });

struct BadDomainCase {
  const char* name;
  const char* text;
  const char* field;
  const char* message_part;
};

class GeniusWebBadDomainTest : public ::testing::TestWithParam<BadDomainCase> {};

TEST_P(GeniusWebBadDomainTest, IsInvalidInputWithFileAndField) {
  const BadDomainCase& bad = GetParam();
  TempFolder folder;
  std::string domain = folder.Write("d.json", bad.text);
  std::string profile = folder.Write("p.json", kProfileB);
  Result<model::Scenario> scenario = ReadGeniusWebFiles(domain, {profile});
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.status().code(), ErrorCode::kInvalidInput) << scenario.status().ToString();
  EXPECT_EQ(scenario.status().location().file, domain);
  EXPECT_EQ(scenario.status().location().field, bad.field) << scenario.status().ToString();
  EXPECT_THAT(scenario.status().message(), HasSubstr(bad.message_part));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GeniusWebBadDomainTest,
    ::testing::Values(
        BadDomainCase{"values_not_list", R"({"name": "d", "issuesValues": {"a": {"values": "x"}}})",
                      "issuesValues.a.values", "expected a list of value labels, got string"},
        BadDomainCase{"label_not_text", R"({"name": "d", "issuesValues": {"a": {"values": [1]}}})",
                      "issuesValues.a.values[0]", "expected a value label (a string), got number"},
        BadDomainCase{"label_twice",
                      R"({"name": "d", "issuesValues": {"a": {"values": ["x", "x"]}}})",
                      "issuesValues.a.values[1]", "value 'x' is listed twice"},
        BadDomainCase{"no_value_set", R"({"name": "d", "issuesValues": {"a": {"labels": []}}})",
                      "issuesValues.a", "expected \"values\""},
        BadDomainCase{"zero_step",
                      R"({"name": "d", "issuesValues": {"a": {"range": {"low": 0, "high": 1,
                                                          "step": 0}}}})",
                      "issuesValues.a.range.step", "step must be positive"},
        BadDomainCase{"range_without_high",
                      R"({"name": "d", "issuesValues": {"a": {"range": {"low": 0, "step": 1}}}})",
                      "issuesValues.a.range", "missing number \"high\""},
        BadDomainCase{"no_issues", R"({"name": "d", "issuesValues": {}})", "issuesValues",
                      "the domain has no issues"},
        BadDomainCase{"issues_not_object", R"({"name": "d", "issuesValues": [1]})", "issuesValues",
                      "expected an object of issues, got array"},
        BadDomainCase{"name_not_text", R"({"name": 3, "issuesValues": {"a": {"values": ["x"]}}})",
                      "name", "expected a string, got number"}),
    [](const ::testing::TestParamInfo<BadDomainCase>& param_info) {
      return param_info.param.name;
    });

TEST_F(ReadGeniusWebTest, TruncatedJsonReportsLineAndColumn) {
  // Ends inside the issuesValues object: the error is at the end of line 3 (column 20).
  std::string domain = folder_.Write("d.json", "{\n  \"name\": \"d\",\n  \"issuesValues\": {");
  std::string profile = folder_.Write("p.json", kProfileB);
  Result<model::Scenario> scenario = ReadGeniusWebFiles(domain, {profile});
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(scenario.status().location().file, domain);
  EXPECT_EQ(scenario.status().location().line, 3);
  EXPECT_EQ(scenario.status().location().column, 20);
  EXPECT_THAT(scenario.status().message(), HasSubstr("syntax error"));
  EXPECT_THAT(scenario.status().message(), Not(HasSubstr("json.exception")));
}

TEST_F(ReadGeniusWebTest, SyntaxErrorInsideAProfileReportsItsPosition) {
  std::string domain = folder_.Write("d.json", kDomain);
  // The stray comma is on line 2, column 8.
  std::string profile = folder_.Write("p.json", "{\n  \"a\": ,\n}");
  Result<model::Scenario> scenario = ReadGeniusWebFiles(domain, {profile});
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(scenario.status().location().file, profile);
  EXPECT_EQ(scenario.status().location().line, 2);
  EXPECT_EQ(scenario.status().location().column, 8);
}

TEST_F(ReadGeniusWebTest, TruncatedFileInAFolderIsReportedNotSkipped) {
  folder_.Write("d.json", kDomain);
  folder_.Write("p1.json", kProfileA);
  std::string broken = folder_.Write("p2.json", std::string(kProfileB).substr(0, 120));
  Result<model::Scenario> scenario = ReadGeniusWebFolder(folder_.Path());
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(scenario.status().location().file, broken);
  EXPECT_GT(scenario.status().location().line, 0);
}

TEST_F(ReadGeniusWebTest, FolderErrors) {
  Result<model::Scenario> empty = ReadGeniusWebFolder(folder_.Path());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(empty.status().message(), HasSubstr("no GeniusWeb domain file"));

  Result<model::Scenario> missing = ReadGeniusWebFolder(folder_.Path("absent"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);

  folder_.Write("d.json", kDomain);
  Result<model::Scenario> no_profiles = ReadGeniusWebFolder(folder_.Path());
  ASSERT_FALSE(no_profiles.ok());
  EXPECT_EQ(no_profiles.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(no_profiles.status().message(), HasSubstr("no GeniusWeb profile"));

  folder_.Write("e.json", kDomain);
  folder_.Write("p.json", kProfileA);
  Result<model::Scenario> two_domains = ReadGeniusWebFolder(folder_.Path());
  ASSERT_FALSE(two_domains.ok());
  EXPECT_EQ(two_domains.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(two_domains.status().message(), HasSubstr("several GeniusWeb domain files"));
  EXPECT_THAT(two_domains.status().message(), HasSubstr("d.json, e.json"));
}

TEST_F(ReadGeniusWebTest, FileErrors) {
  std::string domain = folder_.Write("d.json", kDomain);
  std::string profile = folder_.Write("p.json", kProfileA);

  Result<model::Scenario> missing = ReadGeniusWebFiles(domain, {folder_.Path("absent.json")});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.status().location().file, folder_.Path("absent.json"));

  Result<model::Scenario> swapped = ReadGeniusWebFiles(profile, {domain});
  ASSERT_FALSE(swapped.ok());
  EXPECT_EQ(swapped.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(swapped.status().message(), HasSubstr("but this is a profile"));

  Result<model::Scenario> none = ReadGeniusWebFiles(domain, {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), ErrorCode::kInvalidInput);

  std::string other_type = folder_.Write("s.json", R"({"SumOfGroupsUtilitySpace": {}})");
  Result<model::Scenario> unsupported = ReadGeniusWebFiles(domain, {other_type});
  ASSERT_FALSE(unsupported.ok());
  EXPECT_EQ(unsupported.status().code(), ErrorCode::kUnsupported);
  EXPECT_EQ(unsupported.status().location().file, other_type);
}

// ---------------------------------------------------------------------------------------------
// Writing

model::ValueFunction Table(std::vector<double> values) {
  model::ValueFunction function;
  function.form = model::ValueFunctionForm::kTable;
  function.table = std::move(values);
  return function;
}

model::ValueFunction Linear(const model::Issue& issue, double at_lower, double at_upper) {
  model::ValueFunction function;
  function.form = model::ValueFunctionForm::kLinear;
  function.points = {{issue.NumericValue(0), at_lower},
                     {issue.NumericValue(issue.NumOptions() - 1), at_upper}};
  function.Tabulate(issue);
  return function;
}

model::Party MakeParty(std::string id, std::shared_ptr<const model::UtilityFunction> utility) {
  model::Party party;
  party.id = std::move(id);
  party.name = party.id;
  party.preferences.emplace();
  party.preferences->utility = std::move(utility);
  return party;
}

// Three issues (discrete, integer, real) and parties that exercise every export path.
model::Scenario MakeScenario() {
  model::Scenario scenario;
  scenario.name = "harbour deal";
  scenario.issues.push_back(model::Issue::Discrete("berth", {"inner", "outer", "none"}));
  scenario.issues.push_back(model::Issue::Integer("ships", 2, 6));
  scenario.issues.push_back(model::Issue::Real("fee", 0, 1, 0.3));  // 0, 0.3, 0.6, 0.9
  const auto& issues = scenario.issues;

  // Weights sum to 1, values in [0, 1], linear on both numeric issues: written as they are.
  auto port = std::make_shared<model::AdditiveUtility>(
      std::vector<double>{0.5, 0.3, 0.2},
      std::vector<model::ValueFunction>{Table({1, 0.4, 0}), Linear(issues[1], 0, 1),
                                        Linear(issues[2], 1, 0.1)});
  // Weights summing to 0.6 plus an offset of 0.3; the fee is valued non-linearly, so the fee
  // issue has to be written as a list of values.
  auto carrier = std::make_shared<model::AdditiveUtility>(
      std::vector<double>{0.2, 0.1, 0.3},
      std::vector<model::ValueFunction>{Table({0, 1, 0.5}), Linear(issues[1], 1, 0),
                                        Table({0.2, 1, 0.7, 0})},
      0.3);
  scenario.parties.push_back(MakeParty("port", port));
  scenario.parties.push_back(MakeParty("carrier-1", carrier));
  scenario.parties[0].preferences->reservation_outcome = model::Outcome{1, 2, 1};
  scenario.parties[0].preferences->reservation_value =
      port->Evaluate(*scenario.parties[0].preferences->reservation_outcome);
  // Skipped on export: a mediator without preferences and a disabled party.
  model::Party mediator;
  mediator.id = "mediator";
  mediator.role = model::Role::kMediator;
  scenario.parties.push_back(mediator);
  model::Party disabled = MakeParty("observer", port);
  disabled.enabled = false;
  scenario.parties.push_back(disabled);
  return scenario;
}

// Every outcome's utility for every party of `original` equals that of the party at the same
// place among `written` (parties written in order), within 1e-9.
void ExpectSameUtilities(const model::Scenario& original, const model::Scenario& read_back,
                         const std::map<std::string, std::string>& id_map = {}) {
  model::OutcomeSpace space = original.BuildOutcomeSpace();
  ASSERT_EQ(read_back.BuildOutcomeSpace().Cardinalities(), space.Cardinalities());
  std::vector<std::size_t> written = original.PartiesWithPreferences();
  ASSERT_EQ(read_back.parties.size(), written.size());
  for (std::size_t party_idx : written) {
    const model::Party& party = original.parties[party_idx];
    auto mapped = id_map.find(party.id);
    std::string read_id = mapped == id_map.end() ? party.id : mapped->second;
    std::optional<std::size_t> read_idx = read_back.FindParty(read_id);
    ASSERT_TRUE(read_idx.has_value()) << read_id;
    const model::Party& read_party = read_back.parties[*read_idx];
    std::uint64_t compared = 0;
    Status status = space.ForEach(1'000'000, [&](const model::Outcome& outcome) {
      EXPECT_NEAR(Utility(read_party, outcome), Utility(party, outcome), 1e-9)
          << party.id << " at " << original.DescribeOutcome(outcome);
      ++compared;
    });
    ASSERT_TRUE(status.ok());
    EXPECT_EQ(compared, *space.Count64());
    EXPECT_EQ(read_party.preferences->reservation_outcome, party.preferences->reservation_outcome);
    if (party.preferences->reservation_outcome) {
      EXPECT_NEAR(*read_party.preferences->reservation_value, *party.preferences->reservation_value,
                  1e-9);
    }
  }
}

// Sums the decimal texts of the weights in a written profile exactly, in units of 1e-15.
std::int64_t WeightUnitsSum(const std::string& profile_text) {
  std::smatch block;
  EXPECT_TRUE(
      std::regex_search(profile_text, block, std::regex("\"issueWeights\": \\{([^}]*)\\}")));
  std::string weights = block[1];
  std::regex number(":\\s*([0-9.eE+-]+)");
  std::int64_t total = 0;
  for (auto it = std::sregex_iterator(weights.begin(), weights.end(), number);
       it != std::sregex_iterator(); ++it) {
    std::string text = (*it)[1];
    EXPECT_EQ(text.find_first_of("eE"), std::string::npos) << text;
    std::size_t point = text.find('.');
    std::string whole = point == std::string::npos ? text : text.substr(0, point);
    std::string fraction = point == std::string::npos ? "" : text.substr(point + 1);
    EXPECT_LE(fraction.size(), 15u) << text;
    fraction.resize(15, '0');
    total += std::stoll(whole) * 1'000'000'000'000'000 + std::stoll(fraction);
  }
  return total;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(WriteGeniusWebTest, RoundTripsEveryUtility) {
  model::Scenario scenario = MakeScenario();
  ASSERT_TRUE(CheckGeniusWebExpressible(scenario).ok())
      << CheckGeniusWebExpressible(scenario).ToString();
  TempFolder folder;
  std::string out = folder.Path("out/nested");  // created on demand
  Status written = WriteGeniusWebFolder(scenario, out);
  ASSERT_TRUE(written.ok()) << written.ToString();

  // Files: the domain plus one profile per enabled party with preferences.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(out)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"harbour_deal.json", "harbour_deal_carrier-1.json",
                                             "harbour_deal_port.json"}));

  Result<model::Scenario> read_back = ReadGeniusWebFolder(out);
  ASSERT_TRUE(read_back.ok()) << read_back.status().ToString();
  // GeniusWeb names are letters and digits.
  EXPECT_EQ(read_back->name, "harbourdeal");
  ExpectSameUtilities(scenario, *read_back, {{"carrier-1", "carrier1"}});

  // The integer issue stays a range (both parties linear); the fee becomes a list of values.
  EXPECT_EQ(read_back->issues[1].kind, model::IssueKind::kInteger);
  EXPECT_EQ(read_back->issues[2].kind, model::IssueKind::kDiscrete);
  EXPECT_EQ(read_back->issues[2].options, (std::vector<std::string>{"0", "0.3", "0.6", "0.9"}));

  // Weights are decimals that sum to exactly 1, as GeniusWeb checks.
  for (const char* name : {"harbour_deal_carrier-1.json", "harbour_deal_port.json"}) {
    EXPECT_EQ(WeightUnitsSum(ReadText((fs::path(out) / name).string())), 1'000'000'000'000'000)
        << name;
  }
  // The port's weights were already GeniusWeb weights: written unchanged.
  Json port = Json::parse(ReadText((fs::path(out) / "harbour_deal_port.json").string()));
  EXPECT_EQ(port["LinearAdditiveUtilitySpace"]["issueWeights"]["berth"].get<double>(), 0.5);
  EXPECT_EQ(port["LinearAdditiveUtilitySpace"]["issueUtilities"]["berth"]["discreteutils"]
                ["valueUtilities"]["outer"]
                    .get<double>(),
            0.4);
}

TEST(WriteGeniusWebTest, RealRangeWithLinearUtilitiesStaysARange) {
  model::Scenario scenario;
  scenario.name = "grid";
  scenario.issues.push_back(model::Issue::Real("level", 0.5, 2, 0.5));
  auto utility = std::make_shared<model::AdditiveUtility>(
      std::vector<double>{1.0},
      std::vector<model::ValueFunction>{Linear(scenario.issues[0], 0.2, 0.8)});
  scenario.parties.push_back(MakeParty("solo", utility));
  TempFolder folder;
  ASSERT_TRUE(WriteGeniusWebFolder(scenario, folder.Path()).ok());
  Result<model::Scenario> read_back = ReadGeniusWebFolder(folder.Path());
  ASSERT_TRUE(read_back.ok()) << read_back.status().ToString();
  ASSERT_EQ(read_back->issues[0].kind, model::IssueKind::kReal);
  EXPECT_EQ(read_back->issues[0].real_lower, 0.5);
  EXPECT_EQ(read_back->issues[0].real_upper, 2);
  EXPECT_EQ(read_back->issues[0].real_step, 0.5);
  ExpectSameUtilities(scenario, *read_back);
}

TEST(WriteGeniusWebTest, ThirdsAndValuesAboveOneAreReexpressed) {
  model::Scenario scenario;
  scenario.name = "thirds";
  scenario.issues.push_back(model::Issue::Discrete("a", {"x", "y"}));
  scenario.issues.push_back(model::Issue::Discrete("b", {"x", "y", "z"}));
  scenario.issues.push_back(model::Issue::Discrete("c", {"x", "y"}));
  const double third = 1.0 / 3.0;  // 16 significant digits: cannot be written as it is
  auto thirds = std::make_shared<model::AdditiveUtility>(
      std::vector<double>{third, third, third},
      std::vector<model::ValueFunction>{Table({0, 1}), Table({1, 0.25, 0.5}), Table({0.7, 0.1})});
  // Values up to 2 with small weights: every utility still lies in [0, 1].
  auto doubled = std::make_shared<model::AdditiveUtility>(
      std::vector<double>{0.25, 0.1, 0.2},
      std::vector<model::ValueFunction>{Table({2, 0}), Table({0, 1.5, 0.5}), Table({0, 1})});
  scenario.parties.push_back(MakeParty("thirds", thirds));
  scenario.parties.push_back(MakeParty("doubled", doubled));
  TempFolder folder;
  Status written = WriteGeniusWebFolder(scenario, folder.Path());
  ASSERT_TRUE(written.ok()) << written.ToString();
  for (const char* name : {"thirds_thirds.json", "thirds_doubled.json"}) {
    std::string text = ReadText(folder.Path(name));
    EXPECT_EQ(WeightUnitsSum(text), 1'000'000'000'000'000) << name;
    // Every written value utility lies in [0, 1].
    Json profile = Json::parse(text);
    for (const auto& [issue, entry] :
         profile["LinearAdditiveUtilitySpace"]["issueUtilities"].items()) {
      for (const auto& [label, value] : entry["discreteutils"]["valueUtilities"].items()) {
        EXPECT_GE(value.get<double>(), 0) << name << " " << issue << " " << label;
        EXPECT_LE(value.get<double>(), 1) << name << " " << issue << " " << label;
      }
    }
  }
  Result<model::Scenario> read_back = ReadGeniusWebFolder(folder.Path());
  ASSERT_TRUE(read_back.ok()) << read_back.status().ToString();
  ExpectSameUtilities(scenario, *read_back);
}

struct UnsupportedCase {
  const char* name;
  std::function<void(model::Scenario*)> damage;
  const char* message_part;
};

class GeniusWebUnsupportedExportTest : public ::testing::TestWithParam<UnsupportedCase> {};

TEST_P(GeniusWebUnsupportedExportTest, RefusesAndWritesNothing) {
  model::Scenario scenario = MakeScenario();
  GetParam().damage(&scenario);
  Status check = CheckGeniusWebExpressible(scenario);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.code(), ErrorCode::kUnsupported) << check.ToString();
  EXPECT_THAT(check.message(), HasSubstr(GetParam().message_part));
  TempFolder folder;
  Status written = WriteGeniusWebFolder(scenario, folder.Path("out"));
  EXPECT_EQ(written.code(), ErrorCode::kUnsupported);
  EXPECT_FALSE(fs::exists(folder.Path("out")));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GeniusWebUnsupportedExportTest,
    ::testing::Values(
        UnsupportedCase{"hyper_rectangle",
                        [](model::Scenario* scenario) {
                          model::RectangleSet set;
                          set.rectangles.push_back(model::HyperRectangle{{{0, 0, 1}}, {}, 1.0});
                          scenario->parties[1].preferences->utility =
                              std::make_shared<model::HyperRectangleUtility>(
                                  scenario->issues, std::vector<model::RectangleSet>{set}, 1.0);
                        },
                        "hyper_rectangle utility"},
        UnsupportedCase{"red_line",
                        [](model::Scenario* scenario) {
                          model::RedLine red_line;
                          red_line.text = "berth == none";
                          red_line.expression =
                              *model::ParseExpression(red_line.text, scenario->issues);
                          scenario->parties[0].preferences->red_lines.push_back(red_line);
                        },
                        "red line"},
        UnsupportedCase{
            "utilities_above_one",
            [](model::Scenario* scenario) {
              scenario->parties[0].preferences->utility = std::make_shared<model::AdditiveUtility>(
                  std::vector<double>{0.5, 0.3, 0.4},
                  std::vector<model::ValueFunction>{Table({1, 0.4, 0}), Table({0, 0, 0, 0, 1}),
                                                    Table({1, 1, 1, 1})});
            },
            "utilities range over [0.4, 1.2"},
        UnsupportedCase{
            "discount",
            [](model::Scenario* scenario) { scenario->parties[0].preferences->discount = 0.9; },
            "no discount"},
        UnsupportedCase{"reservation_value_only",
                        [](model::Scenario* scenario) {
                          scenario->parties[1].preferences->reservation_value = 0.4;
                        },
                        "reservation value 0.4 but no reservation outcome"},
        UnsupportedCase{"nobody_to_write",
                        [](model::Scenario* scenario) {
                          scenario->parties[0].enabled = false;
                          scenario->parties[1].preferences.reset();
                        },
                        "no enabled party with preferences"}),
    [](const ::testing::TestParamInfo<UnsupportedCase>& param_info) {
      return param_info.param.name;
    });

// ---------------------------------------------------------------------------------------------
// The public corpus: every GeniusWeb folder loads, facts checked against the raw JSON.

class GeniusWebCorpusTest : public ::testing::TestWithParam<const char*> {};

std::string CorpusFolder(const char* name) {
  return (fs::path(PARLEY_SHARED_DATA_DIR) / "geniusweb" / name).string();
}

Json ReadJson(const std::string& path) { return Json::parse(ReadText(path)); }

// Utility of `bid_values` (issue -> label) computed straight from a raw profile.
double RawUtility(const Json& profile, const Json& bid_values) {
  const Json& space = profile["LinearAdditiveUtilitySpace"];
  double total = 0;
  for (const auto& [issue, label] : bid_values.items()) {
    double weight = space["issueWeights"][issue].get<double>();
    double value =
        space["issueUtilities"][issue]["discreteutils"]["valueUtilities"][label.get<std::string>()]
            .get<double>();
    total += weight * value;
  }
  return total;
}

TEST_P(GeniusWebCorpusTest, LoadsAndMatchesTheRawFiles) {
  const std::string folder = CorpusFolder(GetParam());
  if (!fs::exists(folder)) GTEST_SKIP() << "corpus not found: " << folder;
  Result<model::Scenario> scenario = ReadGeniusWebFolder(folder);
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();

  // The raw domain, found independently of the reader.
  Json domain;
  std::vector<std::string> profile_files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    Json json = ReadJson(entry.path().string());
    if (json.contains("issuesValues")) {
      domain = json;
    } else {
      profile_files.push_back(entry.path().string());
    }
  }
  ASSERT_TRUE(domain.is_object());
  EXPECT_EQ(scenario->name, domain["name"].get<std::string>());
  std::uint64_t expected_count = 1;
  std::vector<std::string> raw_issue_order;
  for (const auto& [issue, spec] : domain["issuesValues"].items()) {
    expected_count *= spec["values"].size();
    raw_issue_order.push_back(issue);
  }
  model::OutcomeSpace space = scenario->BuildOutcomeSpace();
  ASSERT_TRUE(space.Count64().has_value());
  EXPECT_EQ(*space.Count64(), expected_count);
  ASSERT_EQ(scenario->issues.size(), raw_issue_order.size());
  for (std::size_t issue_idx = 0; issue_idx < raw_issue_order.size(); ++issue_idx) {
    EXPECT_EQ(scenario->issues[issue_idx].id, raw_issue_order[issue_idx]);
  }
  ASSERT_EQ(scenario->parties.size(), profile_files.size());

  for (const model::Party& party : scenario->parties) {
    Json profile = ReadJson(party.source_file);
    // Every outcome's utility lies in [0, 1].
    Status status = space.ForEach(1'000'000, [&](const model::Outcome& outcome) {
      double utility = Utility(party, outcome);
      EXPECT_GE(utility, -1e-12) << party.id;
      EXPECT_LE(utility, 1 + 1e-12) << party.id;
    });
    ASSERT_TRUE(status.ok());
    // A spread of outcomes recomputed by hand from the raw JSON.
    for (std::uint64_t index = 0; index < expected_count; index += expected_count / 7 + 1) {
      model::Outcome outcome = space.OutcomeAt(index);
      Json bid = Json::object();
      for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
        const std::string& issue = raw_issue_order[issue_idx];
        bid[issue] = domain["issuesValues"][issue]["values"][outcome[issue_idx]];
      }
      EXPECT_NEAR(Utility(party, outcome), RawUtility(profile, bid), 1e-12)
          << party.id << " " << bid.dump();
    }
    // The reservation value is the utility of the reservation bid.
    const Json& bid = profile["LinearAdditiveUtilitySpace"]["reservationBid"]["issuevalues"];
    ASSERT_TRUE(party.preferences->reservation_value.has_value());
    ASSERT_TRUE(party.preferences->reservation_outcome.has_value());
    EXPECT_NEAR(*party.preferences->reservation_value, RawUtility(profile, bid), 1e-12);
  }
}

TEST_P(GeniusWebCorpusTest, RoundTripsThroughWriting) {
  const std::string folder = CorpusFolder(GetParam());
  if (!fs::exists(folder)) GTEST_SKIP() << "corpus not found: " << folder;
  Result<model::Scenario> scenario = ReadGeniusWebFolder(folder);
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  TempFolder out;
  Status written = WriteGeniusWebFolder(*scenario, out.Path());
  ASSERT_TRUE(written.ok()) << written.ToString();
  Result<model::Scenario> read_back = ReadGeniusWebFolder(out.Path());
  ASSERT_TRUE(read_back.ok()) << read_back.status().ToString();
  EXPECT_EQ(read_back->name, scenario->name);
  ExpectSameUtilities(*scenario, *read_back);
}

INSTANTIATE_TEST_SUITE_P(Corpus, GeniusWebCorpusTest,
                         ::testing::Values("Fitness", "FlightBooking", "JapnTrip", "Party"));

// A range of billions of values whose utilities would be tabulated is refused before the table
// is allocated; so is JSON nested beyond the limit (which would otherwise recurse when the
// embedded domain is compared).
TEST(GeniusWebLimitsTest, HugeTablesAndDeepJsonAreRefused) {
  const std::string domain =
      R"({"name": "d", "issuesValues": {"n": {"range": {"low": 0, "high": 3000000000, "step": 1}}}})";
  const std::string profile = R"({"LinearAdditiveUtilitySpace": {"issueUtilities": {"n":
      {"numberutils": {"lowValue": 0, "lowUtility": 0, "highValue": 1, "highUtility": 1}}},
      "issueWeights": {"n": 1}, "name": "p"}})";
  Result<model::Scenario> huge =
      ReadGeniusWebTexts(NamedText{"d.json", domain}, {NamedText{"p.json", profile}});
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(huge.status().message(), HasSubstr("tabulated utility values"));
  EXPECT_EQ(huge.status().location().file, "p.json");

  std::string deep = R"({"LinearAdditiveUtilitySpace": {"domain": )" + std::string(100'000, '[');
  Result<model::Scenario> nested =
      ReadGeniusWebTexts(NamedText{"d.json", domain}, {NamedText{"deep.json", deep}});
  ASSERT_FALSE(nested.ok());
  EXPECT_THAT(nested.status().message(), HasSubstr("nested deeper than 64 levels"));
  EXPECT_EQ(nested.status().location().file, "deep.json");
  EXPECT_EQ(nested.status().location().line, 1);
}

}  // namespace
}  // namespace parley::io
