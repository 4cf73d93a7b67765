// parley's own format: reading, writing, round trips, error positions and robustness.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "parley/base/file.h"
#include "parley/io/limits.h"
#include "parley/io/scenario_io.h"
#include "parley/model/hyper_rectangle_utility.h"
#include "parley/model/validate.h"

namespace parley::io {
namespace {

using model::Scenario;
using ::testing::HasSubstr;

// A small document using most of the format; line numbers matter to the error tests below.
constexpr const char* kSmallYaml = R"(parley: 1
name: market
meta:
  title: Market day
  as_of: "2024-05-06"
  references: [one, {value: two, source: report}]
phases:
  - id: first
    issues: [color]
    source: report
issues:
  - id: color
    options: [red, {id: green, description: "the green one", source: assumption}, blue]
  - id: size
    type: integer
    range: [1, 3]
    phase: first
  - id: price
    type: real
    range: [0, 1]
    step: 0.25
parties:
  - id: alice
    name: Alice
    preferences:
      weights: {color: 2, size: {value: 1, source: report, note: "stated"}, price: 1}
      values:
        color: {red: 1, green: 0.5, blue: 0, source: assumption}
        size: {type: linear, at_lower: 0, at_upper: 1}
        price: {type: piecewise_linear, points: [[0, 1], [0.5, 0.8], [1, 0]]}
      reservation: {value: 0.3, source: assumption}
      discount: 0.9
      red_lines:
        - forbid: color == red and size > 2
          description: not too much red
          source: report
  - id: bob
    role: principal
    preferences:
      normalize_weights: false
      offset: 0.1
      weights: {color: 0.3, size: 0.3, price: 0.3}
      values:
        color: {type: table, values: {red: 0, green: 1, blue: 0.5}}
        size: {type: table, values: {"1": 0.2, "2": 1, "3.0": 0.6}}
        price: {type: triangular, lower: 0, peak: 0.5, upper: 1.5}
      reservation:
        outcome: {color: green, size: 2, price: 0.75}
        source: derived
  - id: mediator
    role: mediator
    enabled: false
  - id: press
    role: observer
)";

Scenario MustReadYaml(const std::string& text, const std::string& file = "test.yaml") {
  Result<Scenario> scenario = ReadParleyYaml(text, file);
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return scenario.ok() ? std::move(scenario).value() : Scenario{};
}

// Every outcome, or an evenly spread sample of about 20000 when there are more.
std::vector<model::Outcome> AllOutcomes(const Scenario& scenario) {
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  std::uint64_t count = space.Count64().value_or(0);
  std::uint64_t stride = count / 20'000 + 1;
  std::vector<model::Outcome> outcomes;
  for (std::uint64_t index = 0; index < count; index += stride) {
    outcomes.push_back(space.OutcomeAt(index));
  }
  return outcomes;
}

TEST(ParleyFormatTest, ReadsTheSmallDocument) {
  Scenario scenario = MustReadYaml(kSmallYaml);
  EXPECT_EQ(scenario.name, "market");
  EXPECT_EQ(scenario.meta.title, "Market day");
  EXPECT_EQ(scenario.meta.as_of, "2024-05-06");
  EXPECT_EQ(scenario.meta.references, (std::vector<std::string>{"one", "two"}));
  ASSERT_EQ(scenario.issues.size(), 3u);
  EXPECT_EQ(scenario.issues[0].options, (std::vector<std::string>{"red", "green", "blue"}));
  EXPECT_EQ(scenario.issues[0].option_descriptions,
            (std::vector<std::string>{"", "the green one", ""}));
  EXPECT_EQ(scenario.issues[1].kind, model::IssueKind::kInteger);
  EXPECT_EQ(scenario.issues[2].NumOptions(), 5u);
  // 'size' names its phase; the phase lists 'color': both end up in the phase.
  ASSERT_EQ(scenario.phases.size(), 1u);
  EXPECT_EQ(scenario.phases[0].issue_indices, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(scenario.issues[0].phase, "first");
  EXPECT_EQ(scenario.issues[1].phase, "first");
  EXPECT_EQ(scenario.issues[2].phase, "");

  ASSERT_EQ(scenario.parties.size(), 4u);
  const model::Party& alice = scenario.parties[0];
  EXPECT_EQ(alice.name, "Alice");
  ASSERT_TRUE(alice.preferences);
  // Weights 2, 1, 1 are divided by their sum.
  const auto* alice_utility =
      dynamic_cast<const model::AdditiveUtility*>(alice.preferences->utility.get());
  ASSERT_NE(alice_utility, nullptr);
  EXPECT_EQ(alice_utility->weights(), (std::vector<double>{0.5, 0.25, 0.25}));
  // green (0.5), size 2 (linear 0..1 over 1..3: 0.5), price 0.25 (between (0, 1) and (0.5, 0.8):
  // 0.9): 0.5 * 0.5 + 0.25 * 0.5 + 0.25 * 0.9.
  EXPECT_NEAR(alice_utility->Evaluate({1, 1, 1}), 0.25 + 0.125 + 0.225, 1e-12);
  EXPECT_EQ(alice.preferences->reservation_value, 0.3);
  EXPECT_EQ(alice.preferences->discount, 0.9);
  ASSERT_EQ(alice.preferences->red_lines.size(), 1u);
  EXPECT_EQ(alice.preferences->red_lines[0].text, "color == red and size > 2");
  EXPECT_FALSE(alice.preferences->red_lines[0].Allows({0, 2, 0}));
  EXPECT_TRUE(alice.preferences->red_lines[0].Allows({0, 1, 0}));

  const model::Party& bob = scenario.parties[1];
  const auto* bob_utility =
      dynamic_cast<const model::AdditiveUtility*>(bob.preferences->utility.get());
  ASSERT_NE(bob_utility, nullptr);
  EXPECT_EQ(bob_utility->weights(), (std::vector<double>{0.3, 0.3, 0.3}));
  EXPECT_EQ(bob_utility->values()[1].table, (std::vector<double>{0.2, 1, 0.6}));
  // Triangular 0 -> 0.5 -> 1.5 at price 0.75: 1 - 0.25 / 1 = 0.75.
  EXPECT_NEAR(bob_utility->values()[2].table[3], 0.75, 1e-12);
  // Reservation outcome green, 2, 0.75: 0.1 + 0.3 * (1 + 1 + 0.75).
  ASSERT_TRUE(bob.preferences->reservation_outcome);
  EXPECT_EQ(*bob.preferences->reservation_outcome, (model::Outcome{1, 1, 3}));
  EXPECT_NEAR(*bob.preferences->reservation_value, 0.1 + 0.3 * 2.75, 1e-12);

  EXPECT_EQ(scenario.parties[2].role, model::Role::kMediator);
  EXPECT_FALSE(scenario.parties[2].enabled);
  EXPECT_FALSE(scenario.parties[3].preferences);

  // Provenance, keyed by the documented paths.
  const model::ProvenanceMap& provenance = scenario.provenance;
  EXPECT_EQ(provenance.at("phases.first").source, model::Source::kReport);
  EXPECT_EQ(provenance.at("issues.color.options.green").source, model::Source::kAssumption);
  EXPECT_EQ(provenance.at("meta.references[1]").source, model::Source::kReport);
  EXPECT_EQ(provenance.at("parties.alice.preferences.weights.size").note, "stated");
  EXPECT_EQ(provenance.at("parties.alice.preferences.values.color").source,
            model::Source::kAssumption);
  EXPECT_EQ(provenance.at("parties.alice.preferences.reservation").source,
            model::Source::kAssumption);
  EXPECT_EQ(provenance.at("parties.alice.red_lines[0]").source, model::Source::kReport);
  EXPECT_EQ(provenance.at("parties.bob.preferences.reservation").source, model::Source::kDerived);
  EXPECT_EQ(provenance.size(), 8u);
}

TEST(ParleyFormatTest, NameDefaultsToTheFileStem) {
  std::string text = kSmallYaml;
  text.replace(text.find("name: market\n"), 13, "");
  EXPECT_EQ(MustReadYaml(text, "/some/where/fruit-stall.yaml").name, "fruit-stall");
}

// ---------------------------------------------------------------------------------------------
// Structure comparison for round trips.

void ExpectSameExpression(const model::Expression& a, const model::Expression& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.issue_idx, b.issue_idx);
  EXPECT_EQ(a.allowed, b.allowed);
  ASSERT_EQ(a.children.size(), b.children.size());
  for (std::size_t child_idx = 0; child_idx < a.children.size(); ++child_idx) {
    ExpectSameExpression(a.children[child_idx], b.children[child_idx]);
  }
}

void ExpectSameUtilityStructure(const model::UtilityFunction& a, const model::UtilityFunction& b) {
  ASSERT_EQ(a.Kind(), b.Kind());
  if (const auto* additive = dynamic_cast<const model::AdditiveUtility*>(&a)) {
    const auto& other = dynamic_cast<const model::AdditiveUtility&>(b);
    EXPECT_EQ(additive->weights(), other.weights());
    EXPECT_EQ(additive->offset(), other.offset());
    ASSERT_EQ(additive->values().size(), other.values().size());
    for (std::size_t issue_idx = 0; issue_idx < additive->values().size(); ++issue_idx) {
      const model::ValueFunction& value = additive->values()[issue_idx];
      const model::ValueFunction& other_value = other.values()[issue_idx];
      ASSERT_EQ(value.table.size(), other_value.table.size());
      for (std::size_t option = 0; option < value.table.size(); ++option) {
        EXPECT_NEAR(value.table[option], other_value.table[option], 1e-12);
      }
    }
    return;
  }
  const auto& rectangles = dynamic_cast<const model::HyperRectangleUtility&>(a);
  const auto& other = dynamic_cast<const model::HyperRectangleUtility&>(b);
  EXPECT_EQ(rectangles.max_utility(), other.max_utility());
  ASSERT_EQ(rectangles.sets().size(), other.sets().size());
  for (std::size_t set_idx = 0; set_idx < rectangles.sets().size(); ++set_idx) {
    const model::RectangleSet& set = rectangles.sets()[set_idx];
    const model::RectangleSet& other_set = other.sets()[set_idx];
    EXPECT_EQ(set.weight, other_set.weight);
    EXPECT_EQ(set.aggregation, other_set.aggregation);
    ASSERT_EQ(set.rectangles.size(), other_set.rectangles.size());
    for (std::size_t rectangle_idx = 0; rectangle_idx < set.rectangles.size(); ++rectangle_idx) {
      const model::HyperRectangle& rectangle = set.rectangles[rectangle_idx];
      const model::HyperRectangle& other_rectangle = other_set.rectangles[rectangle_idx];
      EXPECT_EQ(rectangle.utility, other_rectangle.utility);
      ASSERT_EQ(rectangle.includes.size(), other_rectangle.includes.size());
      ASSERT_EQ(rectangle.excludes.size(), other_rectangle.excludes.size());
      for (std::size_t bound_idx = 0; bound_idx < rectangle.includes.size(); ++bound_idx) {
        EXPECT_EQ(rectangle.includes[bound_idx].issue_idx,
                  other_rectangle.includes[bound_idx].issue_idx);
        EXPECT_EQ(rectangle.includes[bound_idx].min, other_rectangle.includes[bound_idx].min);
        EXPECT_EQ(rectangle.includes[bound_idx].max, other_rectangle.includes[bound_idx].max);
      }
      for (std::size_t bound_idx = 0; bound_idx < rectangle.excludes.size(); ++bound_idx) {
        EXPECT_EQ(rectangle.excludes[bound_idx].issue_idx,
                  other_rectangle.excludes[bound_idx].issue_idx);
        EXPECT_EQ(rectangle.excludes[bound_idx].min, other_rectangle.excludes[bound_idx].min);
        EXPECT_EQ(rectangle.excludes[bound_idx].max, other_rectangle.excludes[bound_idx].max);
      }
    }
  }
}

// Same structure, same provenance and, on every outcome, the same utility for every party (to
// 1e-12). Value-function forms may differ when a form is only expressible as a table.
void ExpectSameScenario(const Scenario& expected, const Scenario& actual) {
  EXPECT_EQ(expected.name, actual.name);
  EXPECT_EQ(expected.meta.title, actual.meta.title);
  EXPECT_EQ(expected.meta.description, actual.meta.description);
  EXPECT_EQ(expected.meta.as_of, actual.meta.as_of);
  EXPECT_EQ(expected.meta.banner, actual.meta.banner);
  EXPECT_EQ(expected.meta.references, actual.meta.references);
  EXPECT_EQ(expected.source_format, actual.source_format);
  EXPECT_EQ(expected.source_files, actual.source_files);
  ASSERT_EQ(expected.issues.size(), actual.issues.size());
  for (std::size_t issue_idx = 0; issue_idx < expected.issues.size(); ++issue_idx) {
    const model::Issue& a = expected.issues[issue_idx];
    const model::Issue& b = actual.issues[issue_idx];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.unit, b.unit);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.options, b.options);
    EXPECT_EQ(a.option_descriptions, b.option_descriptions);
    EXPECT_EQ(a.ordered, b.ordered);
    EXPECT_EQ(a.integer_lower, b.integer_lower);
    EXPECT_EQ(a.integer_upper, b.integer_upper);
    EXPECT_EQ(a.real_lower, b.real_lower);
    EXPECT_EQ(a.real_upper, b.real_upper);
    EXPECT_EQ(a.real_step, b.real_step);
    EXPECT_EQ(a.phase, b.phase);
  }
  ASSERT_EQ(expected.phases.size(), actual.phases.size());
  for (std::size_t phase_idx = 0; phase_idx < expected.phases.size(); ++phase_idx) {
    EXPECT_EQ(expected.phases[phase_idx].id, actual.phases[phase_idx].id);
    EXPECT_EQ(expected.phases[phase_idx].label, actual.phases[phase_idx].label);
    EXPECT_EQ(expected.phases[phase_idx].description, actual.phases[phase_idx].description);
    EXPECT_EQ(expected.phases[phase_idx].issue_indices, actual.phases[phase_idx].issue_indices);
  }
  std::vector<model::Outcome> outcomes = AllOutcomes(expected);
  ASSERT_EQ(expected.parties.size(), actual.parties.size());
  for (std::size_t party_idx = 0; party_idx < expected.parties.size(); ++party_idx) {
    const model::Party& a = expected.parties[party_idx];
    const model::Party& b = actual.parties[party_idx];
    SCOPED_TRACE("party " + a.id);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.role, b.role);
    EXPECT_EQ(a.enabled, b.enabled);
    EXPECT_EQ(a.source_file, b.source_file);
    ASSERT_EQ(a.preferences.has_value(), b.preferences.has_value());
    if (!a.preferences) continue;
    const model::Preferences& pa = *a.preferences;
    const model::Preferences& pb = *b.preferences;
    ExpectSameUtilityStructure(*pa.utility, *pb.utility);
    for (const model::Outcome& outcome : outcomes) {
      ASSERT_NEAR(pa.utility->Evaluate(outcome), pb.utility->Evaluate(outcome), 1e-12);
    }
    EXPECT_EQ(pa.reservation_value.has_value(), pb.reservation_value.has_value());
    if (pa.reservation_value && pb.reservation_value) {
      EXPECT_NEAR(*pa.reservation_value, *pb.reservation_value, 1e-12);
    }
    EXPECT_EQ(pa.reservation_outcome, pb.reservation_outcome);
    EXPECT_EQ(pa.discount, pb.discount);
    ASSERT_EQ(pa.red_lines.size(), pb.red_lines.size());
    for (std::size_t line_idx = 0; line_idx < pa.red_lines.size(); ++line_idx) {
      EXPECT_EQ(pa.red_lines[line_idx].kind, pb.red_lines[line_idx].kind);
      EXPECT_EQ(pa.red_lines[line_idx].description, pb.red_lines[line_idx].description);
      EXPECT_EQ(pa.red_lines[line_idx].id, pb.red_lines[line_idx].id);
      EXPECT_EQ(pa.red_lines[line_idx].holds, pb.red_lines[line_idx].holds);
      ExpectSameExpression(pa.red_lines[line_idx].expression, pb.red_lines[line_idx].expression);
    }
  }
  ASSERT_EQ(expected.uncertainty.ranges.size(), actual.uncertainty.ranges.size());
  for (const auto& [path, range] : expected.uncertainty.ranges) {
    const model::ValueRange* found = actual.uncertainty.Find(path);
    ASSERT_NE(found, nullptr) << "range lost: " << path;
    EXPECT_EQ(found->value, range.value) << path;
    EXPECT_EQ(found->low, range.low) << path;
    EXPECT_EQ(found->high, range.high) << path;
    EXPECT_EQ(found->distribution, range.distribution) << path;
  }
  ASSERT_EQ(expected.uncertainty.weight_scales.size(), actual.uncertainty.weight_scales.size());
  for (const auto& [party_id, scale] : expected.uncertainty.weight_scales) {
    auto found = actual.uncertainty.weight_scales.find(party_id);
    ASSERT_NE(found, actual.uncertainty.weight_scales.end()) << party_id;
    EXPECT_EQ(found->second.divisor, scale.divisor) << party_id;
    EXPECT_EQ(found->second.normalized, scale.normalized) << party_id;
  }
  EXPECT_EQ(expected.provenance.size(), actual.provenance.size());
  for (const auto& [path, provenance] : expected.provenance) {
    auto found = actual.provenance.find(path);
    ASSERT_NE(found, actual.provenance.end()) << "provenance lost: " << path;
    EXPECT_EQ(found->second.source, provenance.source) << path;
    EXPECT_EQ(found->second.note, provenance.note) << path;
  }
}

// Writes as YAML and as JSON, reads both back, and checks the scenario survives, and that
// writing again gives the same text (a fixed point).
void ExpectRoundTrips(const Scenario& scenario) {
  std::string yaml = WriteParleyYaml(scenario);
  Result<Scenario> from_yaml = ReadParleyYaml(yaml, "roundtrip.yaml");
  ASSERT_TRUE(from_yaml.ok()) << from_yaml.status().ToString() << "\n" << yaml;
  {
    SCOPED_TRACE("YAML:\n" + yaml);
    ExpectSameScenario(scenario, *from_yaml);
  }
  EXPECT_EQ(WriteParleyYaml(*from_yaml), yaml);

  std::string json = WriteParleyJson(scenario);
  Result<Scenario> from_json = ReadParleyJson(json, "roundtrip.json");
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString() << "\n" << json;
  {
    SCOPED_TRACE("JSON:\n" + json);
    ExpectSameScenario(scenario, *from_json);
  }
  EXPECT_EQ(WriteParleyJson(*from_json), json);
}

TEST(ParleyFormatRoundTripTest, SmallDocument) { ExpectRoundTrips(MustReadYaml(kSmallYaml)); }

TEST(ParleyFormatRoundTripTest, Examples) {
  for (const char* example : {"ceasefire.yaml", "riverside.yaml"}) {
    std::string path = std::string(PARLEY_SOURCE_DIR) + "/examples/" + example;
    if (!std::filesystem::exists(path)) continue;
    SCOPED_TRACE(path);
    Result<std::string> text = ReadFileToString(path, kMaxScenarioFileBytes);
    ASSERT_TRUE(text.ok());
    Scenario scenario = MustReadYaml(*text, path);
    ExpectRoundTrips(scenario);
    if (std::string(example) == "riverside.yaml") {
      // Weights written 4, 1, 2, 2, 1 and normalised are written back as they were.
      EXPECT_THAT(WriteParleyYaml(scenario),
                  HasSubstr("weights:\n        affordable_housing: 4\n"));
    }
  }
}

// A scenario shaped like the GENIUS and GeniusWeb importers' output: weights that do not sum to
// 1, values beyond [0, 1], numeric tables, linear functions whose end points are not the bounds,
// hyper-rectangles, reservation outcomes and awkward labels.
Scenario ImportedScenario() {
  Scenario scenario;
  scenario.name = "imported domain";
  scenario.source_format = model::SourceFormat::kGenius;
  scenario.source_files = {"domain.xml", "profile a.xml"};
  scenario.issues.push_back(model::Issue::Discrete(
      "Drinks & Food", {"Beer Only", "Wine \"Red\" & Co", "Café crème", "true", "1", "null", "type",
                        "a: b", "- x", "#hash", "it's", " padded "}));
  scenario.issues.push_back(model::Issue::Integer("Quantity", -2, 3));
  scenario.issues.push_back(model::Issue::Real("Price (EUR)", 0.1, 1.0, 0.3));
  model::Issue unordered = model::Issue::Discrete("x", {"y", "z"});
  unordered.name = "";
  scenario.issues.push_back(unordered);

  const auto& issues = scenario.issues;
  std::vector<model::ValueFunction> values(issues.size());
  values[0].table = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.05, 1.0 / 3};
  values[1].table = {1.5, 0.3, 0.0, -0.25, 0.7, 0.1};  // numeric table, beyond [0, 1]
  values[2].form = model::ValueFunctionForm::kLinear;  // GeniusWeb numberutils off the bounds
  values[2].points = {{0.2, 0.1}, {0.7, 0.9}};
  values[2].Tabulate(issues[2]);
  values[3].form = model::ValueFunctionForm::kTriangular;
  values[3].points = {{-1, 0}, {0, 1}, {2, 0}};
  values[3].Tabulate(issues[3]);
  auto additive = std::make_shared<model::AdditiveUtility>(
      std::vector<double>{0.3, 0.7, 0.2, 0.1 + 0.2}, values, 0.0);
  model::Party a;
  a.id = "profile a";
  a.name = "Profile A";
  a.source_file = "profile a.xml";
  a.preferences.emplace();
  a.preferences->utility = additive;
  a.preferences->reservation_outcome = model::Outcome{2, 4, 1, 0};
  a.preferences->reservation_value = additive->Evaluate({2, 4, 1, 0});
  a.preferences->discount = 0.75;
  scenario.parties.push_back(a);

  std::vector<model::RectangleSet> sets(2);
  sets[0].weight = 2;
  sets[0].aggregation = model::Aggregation::kSum;
  sets[0].rectangles.push_back({{{0, 1, 3}, {1, -1, 2}}, {}, 10});
  sets[0].rectangles.push_back({{{2, 0.3, 0.8}}, {{1, 0, 0}}, 7.5});
  sets[0].rectangles.push_back({{}, {}, 1});
  sets[1].weight = 0.5;
  sets[1].aggregation = model::Aggregation::kMax;
  sets[1].rectangles.push_back({{{3, 1, 1}}, {}, 4});
  model::Party b;
  b.id = "b";
  b.name = "b";
  b.preferences.emplace();
  b.preferences->utility =
      std::make_shared<model::HyperRectangleUtility>(scenario.issues, sets, 23.5);
  b.preferences->reservation_value = 0.125;
  scenario.parties.push_back(b);

  model::Party mediator;
  mediator.id = "mediator";
  mediator.name = "mediator";
  mediator.role = model::Role::kMediator;
  mediator.enabled = false;
  std::vector<model::ValueFunction> constants(issues.size());
  for (std::size_t issue_idx = 0; issue_idx < issues.size(); ++issue_idx) {
    constants[issue_idx].form = model::ValueFunctionForm::kConstant;
    constants[issue_idx].points = {{0, 0.5}};
    constants[issue_idx].Tabulate(issues[issue_idx]);
  }
  mediator.preferences.emplace();
  mediator.preferences->utility = std::make_shared<model::AdditiveUtility>(
      std::vector<double>{0.25, 0.25, 0.25, 0.25}, constants, 0.5);
  model::RedLine red_line;
  red_line.kind = model::RedLine::Kind::kRequire;
  red_line.description = "built, not written: the writer formats the expression";
  red_line.expression.kind = model::Expression::Kind::kAtom;
  red_line.expression.issue_idx = 0;
  red_line.expression.allowed = {true,  false, true,  false, false, false,
                                 false, true,  false, false, false, true};
  mediator.preferences->red_lines.push_back(red_line);
  scenario.parties.push_back(mediator);

  scenario.provenance["parties.profile a.preferences.weights.Quantity"] = {model::Source::kDerived,
                                                                           "from 'the file'"};
  scenario.provenance["parties.profile a.preferences.values.Drinks & Food.Café crème"] = {
      model::Source::kReport, ""};
  scenario.provenance["parties.profile a.preferences.values.Quantity.-1"] = {
      model::Source::kAssumption, "a note: with colon"};
  scenario.provenance["issues.Drinks & Food.options.type"] = {model::Source::kReport, ""};
  scenario.provenance["parties.mediator.preferences.values.x"] = {model::Source::kAssumption, ""};
  scenario.provenance["parties.mediator.red_lines[0]"] = {model::Source::kAssumption, "n"};
  scenario.provenance["parties.b.preferences.reservation"] = {model::Source::kReport, ""};
  scenario.provenance["parties.profile a.preferences.reservation"] = {model::Source::kReport, ""};
  scenario.provenance["meta"] = {model::Source::kAssumption, "meta note"};
  return scenario;
}

TEST(ParleyFormatRoundTripTest, ImportedScenarios) {
  Scenario scenario = ImportedScenario();
  ASSERT_TRUE(model::ValidateScenario(scenario).ok());
  ExpectRoundTrips(scenario);

  std::string yaml = WriteParleyYaml(scenario);
  EXPECT_THAT(yaml, HasSubstr("normalize_weights: false"));
  EXPECT_THAT(yaml, HasSubstr("type: piecewise_linear"));
  EXPECT_THAT(yaml, HasSubstr("type: hyper_rectangle"));
  EXPECT_THAT(yaml, HasSubstr("format: genius"));
  Scenario reread = MustReadYaml(yaml);
  // The formatted red line reads back to the same options.
  EXPECT_EQ(reread.parties[2].preferences->red_lines[0].expression.allowed,
            scenario.parties[2].preferences->red_lines[0].expression.allowed);
}

TEST(ParleyFormatRoundTripTest, WrittenYamlIsReadable) {
  std::string yaml = WriteParleyYaml(MustReadYaml(kSmallYaml));
  // Block style in the documented key order, short lists in flow style.
  EXPECT_THAT(yaml, HasSubstr("parley: 1\nname: market\nmeta:\n  title: Market day\n"));
  EXPECT_THAT(yaml, HasSubstr("range: [1, 3]"));
  EXPECT_THAT(yaml, HasSubstr("points: [[0, 1], [0.5, 0.8], [1, 0]]"));
  EXPECT_THAT(yaml, HasSubstr("forbid: color == red and size > 2"));
  EXPECT_THAT(yaml, HasSubstr("size: {value: 0.25, source: report, note: stated}"));
  EXPECT_LT(yaml.find("phases:"), yaml.find("issues:"));
  EXPECT_LT(yaml.find("issues:"), yaml.find("parties:"));
  EXPECT_LT(yaml.find("weights:"), yaml.find("values:"));
}

// ---------------------------------------------------------------------------------------------
// Errors: each names the file, line, column and field and says what is wrong.

// Replaces the first occurrence of `from` in kSmallYaml by `to`.
std::string Edit(const std::string& from, const std::string& to,
                 const std::string& base = kSmallYaml) {
  std::string text = base;
  std::size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

// Expects an error at `line` (1-based), at the column where `needle` starts on that line (its
// `occurrence`-th appearance there), with `message_part` in the message and the field path.
void ExpectError(const Result<Scenario>& result, const std::string& text, int line,
                 const std::string& needle, const std::string& message_part,
                 const std::string& field = "", int occurrence = 1) {
  ASSERT_FALSE(result.ok()) << "expected an error about: " << message_part;
  const Status& status = result.status();
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(status.message(), HasSubstr(message_part)) << status.ToString();
  std::istringstream lines(text);
  std::string line_text;
  for (int line_idx = 0; line_idx < line; ++line_idx) std::getline(lines, line_text);
  std::size_t column = std::string::npos;
  for (int found = 0; found < occurrence; ++found) {
    column = line_text.find(needle, column == std::string::npos ? 0 : column + 1);
  }
  ASSERT_NE(column, std::string::npos) << "test bug: '" << needle << "' not on line " << line;
  EXPECT_EQ(status.location().line, line) << status.ToString();
  EXPECT_EQ(status.location().column, static_cast<int>(column) + 1) << status.ToString();
  EXPECT_FALSE(status.location().file.empty());
  if (!field.empty()) {
    EXPECT_EQ(status.location().field, field) << status.ToString();
  }
}

void ExpectYamlError(const std::string& text, int line, const std::string& needle,
                     const std::string& message_part, const std::string& field = "",
                     int occurrence = 1) {
  SCOPED_TRACE(message_part);
  Result<Scenario> result = ReadParleyYaml(text, "errors.yaml");
  ExpectError(result, text, line, needle, message_part, field, occurrence);
  if (!result.ok()) {
    EXPECT_EQ(result.status().location().file, "errors.yaml");
  }
}

TEST(ParleyFormatErrorTest, UnknownKeysListTheAllowedOnes) {
  ExpectYamlError(Edit("      weights: {color: 2", "      wieghts: {color: 2"), 26, "wieghts",
                  "unknown key 'wieghts' in additive preferences; did you mean 'weights'? "
                  "(allowed keys: type, weights, normalize_weights, offset, values, reservation, "
                  "discount, red_lines, source, note)",
                  "parties.alice.preferences.wieghts");
  ExpectYamlError(Edit("parley: 1\n", "parley: 1\nisues: []\n"), 2, "isues",
                  "unknown key 'isues' in the scenario; did you mean 'issues'?");
  ExpectYamlError(Edit("    type: integer", "    type: integer\n    optons: [a]"), 16, "optons",
                  "unknown key 'optons' in an issue");
}

TEST(ParleyFormatErrorTest, WrongTypes) {
  ExpectYamlError(Edit("range: [1, 3]", "range: [1, x]"), 16, "x", "expected an integer, got 'x'",
                  "issues.size.range[1]");
  ExpectYamlError(Edit("discount: 0.9", "discount: [0.9]"), 32, "[",
                  "expected a number, got a list", "parties.alice.preferences.discount");
  ExpectYamlError(Edit("    enabled: false", "    enabled: maybe"), 52, "maybe",
                  "expected true or false, got 'maybe'");
  ExpectYamlError(Edit("references: [one, {value: two, source: report}]", "references: one"), 6,
                  "one", "expected a list of references (a list), got 'one'", "meta.references");
  ExpectYamlError(Edit("step: 0.25", "step: {value: 0.25, sauce: report}"), 21, "sauce",
                  "unknown key 'sauce' in a value with provenance");
}

TEST(ParleyFormatErrorTest, RedLineErrorsPointInsideTheExpression) {
  // Plain scalar: the column of the unknown issue within the line.
  ExpectYamlError(Edit("forbid: color == red and size > 2", "forbid: color == red and sise > 2"),
                  34, "sise", "unknown issue 'sise'; did you mean 'size'?",
                  "parties.alice.red_lines[0].forbid");
  // Quoted scalar: the quote is skipped.
  ExpectYamlError(
      Edit("forbid: color == red and size > 2", "forbid: \"color == reed and size > 2\""), 34,
      "reed", "'reed' is not an option of issue 'color'; did you mean 'red'?");
  ExpectYamlError(Edit("forbid: color == red and size > 2", "forbid: color < red"), 34, "<",
                  "not ordered");
  // Folded over two lines: the node's position, and the column within the expression.
  ExpectYamlError(Edit("forbid: color == red and size > 2",
                       "forbid: >-\n            color == red and\n            sise > 2"),
                  34, ">-", "(column 18 of the expression)");
  ExpectYamlError(Edit("        - forbid: color == red and size > 2",
                       "        - forbid: color == red\n          require: size > 2"),
                  34, "forbid", "exactly one of 'forbid' or 'require'",
                  "parties.alice.red_lines[0]");
}

TEST(ParleyFormatErrorTest, WeightsAndValues) {
  ExpectYamlError(Edit("{color: 2, size:", "{color: -2, size:"), 26, "-2",
                  "weight must be non-negative, got -2", "parties.alice.preferences.weights.color");
  ExpectYamlError(Edit("{color: 2, size: {value: 1, source: report, note: \"stated\"}, price: 1}",
                       "{color: 2, price: 1}"),
                  26, "{", "no weight for issue(s) size");
  ExpectYamlError(Edit("{color: 2, size:", "{color: 2, shape: 1, size:"), 26, "shape",
                  "unknown issue 'shape' (issues are: color, size, price)");
  ExpectYamlError(Edit("green: 0.5, blue: 0, source", "green: 1.5, blue: 0, source"), 28, "1.5",
                  "a value must lie in [0, 1], got 1.5",
                  "parties.alice.preferences.values.color.green");
  ExpectYamlError(Edit("at_lower: 0, at_upper: 1}", "at_lower: 0, at_upper: 2}"), 29, "2",
                  "must lie in [0, 1]", "", 1);
  ExpectYamlError(Edit("{red: 1, green: 0.5, blue: 0, source", "{red: 1, green: 0.5, source"), 28,
                  "{", "the table gives no value for option(s) blue");
  ExpectYamlError(Edit("{red: 1, green: 0.5, blue: 0, source",
                       "{red: 1, green: 0.5, blue: 0, purple: 1, source"),
                  28, "purple", "unknown option 'purple' (options are: red, green, blue)");
  ExpectYamlError(Edit("\"1\": 0.2, \"2\": 1, \"3.0\": 0.6", "\"1\": 0.2, \"2\": 1, \"2.0\": 0.6"),
                  45, "\"2.0\"", "option '2' is listed twice");
  ExpectYamlError(Edit("size: {type: linear,", "size: {type: linaer,"), 29, "linaer",
                  "unknown value-function type 'linaer'; did you mean 'linear'?");
  ExpectYamlError(Edit("color: {type: table, values:", "color: {type: linear, values:"), 44,
                  "linear", "needs a numeric issue");
  ExpectYamlError(Edit("lower: 0, peak: 0.5, upper: 1.5", "lower: 0, peak: 2, upper: 1.5"), 46, "{",
                  "lower < peak < upper");
  ExpectYamlError(Edit("[[0, 1], [0.5, 0.8], [1, 0]]", "[[0, 1], [0.5, 0.8], [0.2, 0]]"), 30, "0.2",
                  "increasing x");
}

TEST(ParleyFormatErrorTest, UtilityRangeAndReservation) {
  // Weights used as written: bob's utilities reach 0.1 + 0.3 * 3 = 1.0; 0.4 each goes over.
  ExpectYamlError(
      Edit("{color: 0.3, size: 0.3, price: 0.3}", "{color: 0.4, size: 0.4, price: 0.4}"), 40,
      "normalize_weights", "but must lie in [0, 1]; highest at color=green, size=2, price=0.5",
      "parties.bob.preferences");
  ExpectYamlError(
      Edit("{color: green, size: 2, price: 0.75}", "{color: green, size: 2, price: 0.8}"), 48,
      "0.8", "'0.8' is not a value of issue 'price' (from 0 to 1 in steps of 0.25)");
  ExpectYamlError(
      Edit("{color: green, size: 2, price: 0.75}", "{color: gren, size: 2, price: 0.75}"), 48,
      "gren", "unknown option 'gren'; did you mean 'green'?");
  ExpectYamlError(
      Edit("{color: green, size: 2, price: 0.75}", "{color: green, size: 2, cost: 0.75}"), 48,
      "cost", "unknown issue 'cost'");
  ExpectYamlError(Edit("{color: green, size: 2, price: 0.75}", "{color: green, size: 2}"), 48, "{",
                  "gives no option for issue(s) price");
  ExpectYamlError(Edit("reservation: {value: 0.3,", "reservation: {value: 1.3,"), 31, "1.3",
                  "reservation must lie in [0, 1], got 1.3");
  ExpectYamlError(Edit("discount: 0.9", "discount: 0"), 32, "0", "discount must lie in (0, 1]",
                  "parties.alice.preferences.discount");
}

// Ranges on preference numbers (model/uncertainty.h): read, kept, written back, checked.
constexpr const char* kRangesYaml = R"(parley: 1
name: ranged
issues:
  - id: color
    options: [red, green, blue]
  - id: size
    type: integer
    range: [1, 3]
parties:
  - id: alice
    preferences:
      weights: {color: {value: 3, range: [2, 4], note: "a guess"}, size: 1}
      values:
        color: {red: 1, green: {value: 0.5, range: [0.2, 0.9], distribution: triangular}, blue: 0}
        size: {type: linear, at_lower: {value: 0, range: [0, 0.3]}, at_upper: 1}
      reservation: {value: 0.3, range: [0.1, 0.5], source: assumption}
      discount: {value: 0.9, range: [0.8, 1]}
      red_lines:
        - id: no_red
          forbid: color == red
          holds: {value: 0.7, note: "said in public once"}
  - id: bob
    preferences:
      weights: {color: 0.5, size: 0.5}
      values:
        color: {type: constant, value: {value: 0.5, range: [0, 1]}}
        size: {type: linear, at_lower: 1, at_upper: 0}
      red_lines:
        - require: size >= 2
)";

TEST(ParleyFormatUncertaintyTest, ReadsRangesDistributionsAndHolds) {
  Scenario scenario = MustReadYaml(kRangesYaml);
  const model::Uncertainty& uncertainty = scenario.uncertainty;
  EXPECT_EQ(uncertainty.ranges.size(), 6u);
  const model::ValueRange* weight = uncertainty.Find("parties.alice.preferences.weights.color");
  ASSERT_NE(weight, nullptr);
  EXPECT_EQ(weight->value, 3);
  EXPECT_EQ(weight->low, 2);
  EXPECT_EQ(weight->high, 4);
  EXPECT_EQ(weight->distribution, model::Distribution::kUniform);
  // Weights 3 and 1 are divided by 4: the scale is kept so the range can be read the same way.
  ASSERT_EQ(uncertainty.weight_scales.count("alice"), 1u);
  EXPECT_EQ(uncertainty.weight_scales.at("alice").divisor, 4);
  EXPECT_TRUE(uncertainty.weight_scales.at("alice").normalized);
  EXPECT_EQ(uncertainty.weight_scales.count("bob"), 0u);
  const model::ValueRange* green = uncertainty.Find("parties.alice.preferences.values.color.green");
  ASSERT_NE(green, nullptr);
  EXPECT_EQ(green->distribution, model::Distribution::kTriangular);
  EXPECT_EQ(green->value, 0.5);
  EXPECT_NE(uncertainty.Find("parties.alice.preferences.values.size.at_lower"), nullptr);
  EXPECT_NE(uncertainty.Find("parties.alice.preferences.reservation"), nullptr);
  EXPECT_NE(uncertainty.Find("parties.alice.preferences.discount"), nullptr);
  EXPECT_NE(uncertainty.Find("parties.bob.preferences.values.color.value"), nullptr);
  // The nominal figures are the values.
  EXPECT_EQ(scenario.parties[0].preferences->reservation_value, 0.3);
  EXPECT_EQ(scenario.parties[0].preferences->discount, 0.9);
  const auto& red_line = scenario.parties[0].preferences->red_lines[0];
  EXPECT_EQ(red_line.id, "no_red");
  EXPECT_EQ(red_line.holds, 0.7);
  EXPECT_EQ(scenario.parties[1].preferences->red_lines[0].holds, 1.0);
  EXPECT_EQ(Scenario::RedLineId(*scenario.parties[1].preferences, 0), "0");
  // Provenance beside a range is kept too.
  EXPECT_EQ(scenario.provenance.at("parties.alice.preferences.weights.color").note, "a guess");
  EXPECT_EQ(scenario.provenance.at("parties.alice.red_lines[0].holds").note, "said in public once");
}

TEST(ParleyFormatUncertaintyTest, RangesRoundTrip) {
  Scenario scenario = MustReadYaml(kRangesYaml);
  ExpectRoundTrips(scenario);
  std::string yaml = WriteParleyYaml(scenario);
  EXPECT_THAT(yaml, HasSubstr("color: {value: 3, range: [2, 4], note: a guess}"));
  EXPECT_THAT(yaml, HasSubstr("distribution: triangular"));
  EXPECT_THAT(yaml, HasSubstr("id: no_red"));
}

TEST(ParleyFormatUncertaintyTest, GeniusWebCannotHoldRanges) {
  Scenario scenario = MustReadYaml(kRangesYaml);
  for (model::Party& party : scenario.parties) party.preferences->red_lines.clear();
  std::filesystem::path folder =
      std::filesystem::temp_directory_path() / "parley_uncertainty_geniusweb_refused";
  std::filesystem::remove_all(folder);
  Status status = WriteScenario(scenario, folder.string(), OutputFormat::kGeniusWeb);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kUnsupported);
  EXPECT_THAT(status.message(), HasSubstr("carry a range"));
  EXPECT_FALSE(std::filesystem::exists(folder) && !std::filesystem::is_empty(folder));
  std::filesystem::remove_all(folder);
}

TEST(ParleyFormatUncertaintyTest, ErrorsNameLineColumnAndField) {
  ExpectYamlError(Edit("range: [2, 4]", "range: [4, 6]", kRangesYaml), 12, "[4",
                  "the range [4, 6] must contain the value 3",
                  "parties.alice.preferences.weights.color.range");
  ExpectYamlError(Edit("range: [0.2, 0.9]", "range: [0.2, 1.9]", kRangesYaml), 14, "1.9",
                  "the range's high end: a value must lie in [0, 1], got 1.9");
  ExpectYamlError(Edit("range: [2, 4]", "range: [-1, 4]", kRangesYaml), 12, "-1",
                  "weight must be non-negative, got -1");
  ExpectYamlError(Edit("range: [0.1, 0.5]", "range: [0.1]", kRangesYaml), 16, "[0.1]",
                  "expected [low, high], got a list of 1");
  ExpectYamlError(Edit("range: [0.2, 0.9], distribution: triangular",
                       "range: [0.2, 0.9], distribution: triangle", kRangesYaml),
                  14, "triangle", "unknown distribution 'triangle'; did you mean 'triangular'?");
  ExpectYamlError(Edit("{value: 0.5, range: [0.2, 0.9], distribution: triangular}",
                       "{value: 0.5, distribution: triangular}", kRangesYaml),
                  14, "distribution", "'distribution' needs a 'range: [low, high]' beside it");
  ExpectYamlError(Edit("holds: {value: 0.7", "holds: {value: 1.7", kRangesYaml), 21, "1.7",
                  "holds is the probability that the red line is firm",
                  "parties.alice.red_lines[0].holds");
  ExpectYamlError(Edit("range: [0.8, 1]}", "range: [0, 1]}", kRangesYaml), 17, "[0, 1]",
                  "discount must lie in (0, 1] (1 means none); the range starts at 0",
                  "parties.alice.preferences.discount.range");
  ExpectYamlError(Edit("        - require: size >= 2",
                       "        - {id: twice, require: size >= 2}\n"
                       "        - {id: twice, require: size >= 1}",
                       kRangesYaml),
                  30, "twice", "red line id 'twice' is used twice", "parties.bob.red_lines[1].id");
}

TEST(ParleyFormatErrorTest, PhasesAndIds) {
  ExpectYamlError(Edit("issues: [color]", "issues: [colour]"), 9, "colour",
                  "unknown issue 'colour'; did you mean 'color'?", "phases.first.issues");
  ExpectYamlError(Edit("issues: [color]", "issues: [color, color]"), 9, "color",
                  "issue 'color' is listed twice in this phase (first at line 9)", "", 2);
  ExpectYamlError(Edit("    source: report\nissues:",
                       "    source: report\n  - id: second\n    "
                       "issues: [price, color]\nissues:"),
                  12, "color", "issue 'color' is already settled by phase 'first'");
  ExpectYamlError(Edit("    source: report\nissues:", "    source: report\n  - id: first\nissues:"),
                  11, "first", "phase id 'first' is used twice (first at line 8)", "phases.first");
  ExpectYamlError(Edit("phase: first", "phase: second"), 17, "second",
                  "unknown phase 'second' (phases are: first)", "issues.size.phase");
}

TEST(ParleyFormatErrorTest, DuplicatesAndNames) {
  ExpectYamlError(Edit("  - id: size\n", "  - id: color\n"), 14, "color",
                  "issue id 'color' is used twice (first at line 12)", "issues.color");
  ExpectYamlError(Edit("  - id: press", "  - id: bob"), 53, "bob",
                  "party id 'bob' is used twice (first at line 37)", "parties.bob");
  ExpectYamlError(Edit("options: [red, {id: green", "options: [red, {id: red"), 13, "red",
                  "option 'red' is listed twice", "issues.color.options", 2);
  ExpectYamlError(Edit("      discount: 0.9\n",
                       "      discount: 0.9\n      offset: 0\n      "
                       "discount: 0.8\n"),
                  34, "discount",
                  "key 'discount' appears twice in the same map (first at line 32)");
  ExpectYamlError(Edit("    role: observer", "    role: watcher"), 54, "watcher",
                  "unknown role 'watcher' (roles are: principal, mediator, observer)");
  ExpectYamlError(Edit("{value: 0.3, source: assumption}", "{value: 0.3, source: asumption}"), 31,
                  "asumption",
                  "unknown source 'asumption'; did you mean 'assumption'? (sources are: report, "
                  "assumption, derived)",
                  "parties.alice.preferences.reservation.source");
  ExpectYamlError(Edit("  - id: mediator", "  - id: carol\n  - id: mediator"), 50, "carol",
                  "principal 'carol' has no preferences", "parties.carol");
}

TEST(ParleyFormatErrorTest, DocumentLevel) {
  ExpectYamlError(Edit("parley: 1", "parley: 2"), 1, "2", "unsupported format version 2");
  ExpectYamlError(std::string(kSmallYaml) + "---\nname: again\n", 55, "---",
                  "holds more than one YAML document");
  // yaml-cpp's LoadAll would loop on this until memory runs out.
  ExpectYamlError("# comment\n, stray\n" + std::string(kSmallYaml), 2, ",",
                  "not valid YAML: unexpected ','");
  Result<Scenario> broken = ReadParleyYaml(Edit("range: [1, 3]", "range: [1, 3"), "broken.yaml");
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.status().message(), HasSubstr("not valid YAML"));
  EXPECT_GE(broken.status().location().line, 16) << broken.status().ToString();
  Result<Scenario> empty = ReadParleyYaml("", "empty.yaml");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("empty"));
  ExpectYamlError("- a\n- b\n", 1, "-", "expected the scenario (a map), got a list");
}

// Two documented rules that involve ordering in the phases section.
TEST(ParleyFormatErrorTest, IssueNamingAnotherPhaseThanItsListing) {
  std::string text = Edit("    source: report\nissues:",
                          "    source: report\n  - id: second\n    issues: [size]\nissues:");
  ExpectYamlError(text, 19, "first",
                  "issue 'size' names phase 'first' but phase 'second' lists it");
}

TEST(ParleyFormatErrorTest, JsonErrorsHaveLinesAndColumns) {
  Scenario scenario = MustReadYaml(kSmallYaml);
  std::string json = WriteParleyJson(scenario);
  // Unknown key.
  std::string renamed = Edit("\"discount\"", "\"discont\"", json);
  int line = 1 + static_cast<int>(std::count(renamed.begin(),
                                             renamed.begin() + renamed.find("\"discont\""), '\n'));
  ExpectError(ReadParleyJson(renamed, "x.json"), renamed, line, "\"discont\"",
              "unknown key 'discont'", "parties.alice.preferences.discont");
  // Syntax error: a missing comma.
  std::string broken = Edit("\"discount\": 0.9,", "\"discount\": 0.9", json);
  Result<Scenario> result = ReadParleyJson(broken, "x.json");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("syntax error"));
  line = 1 + static_cast<int>(
                 std::count(broken.begin(), broken.begin() + broken.find("\"discount\""), '\n'));
  EXPECT_EQ(result.status().location().line, line + 1) << result.status().ToString();
  EXPECT_GT(result.status().location().column, 1);
  // Duplicate key.
  std::string twice = Edit("\"discount\": 0.9,", "\"discount\": 0.9, \"discount\": 0.8,", json);
  ExpectError(ReadParleyJson(twice, "x.json"), twice, line, "\"discount\"",
              "key 'discount' appears twice", "", 2);
  // Wrong type.
  std::string typed = Edit("\"discount\": 0.9", "\"discount\": \"soon\"", json);
  ExpectError(ReadParleyJson(typed, "x.json"), typed, line, "\"soon\"",
              "expected a number, got 'soon'");
  // Not JSON at all, though valid YAML.
  Result<Scenario> yaml_as_json = ReadParleyJson(kSmallYaml, "x.json");
  ASSERT_FALSE(yaml_as_json.ok());
  EXPECT_EQ(yaml_as_json.status().location().line, 1);
}

TEST(ParleyFormatJsonTest, JsonThatYamlCppCannotReadStillLoads) {
  Scenario scenario = MustReadYaml(kSmallYaml);
  std::string json = WriteParleyJson(scenario);
  // An escaped surrogate pair (U+1F600) and tabs for indentation.
  std::string text = Edit("\"Market day\"", "\"Market day \\ud83d\\ude00\"", json);
  for (char& c : text) {
    if (c == ' ' && (&c == text.data() || *(&c - 1) == '\n' || *(&c - 1) == '\t')) c = '\t';
  }
  Result<Scenario> loaded = ReadParleyJson(text, "emoji.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->meta.title, "Market day \xF0\x9F\x98\x80");
  ExpectSameScenario(scenario, [&] {
    Scenario expected = *loaded;
    expected.meta.title = scenario.meta.title;
    return expected;
  }());
  // Errors in such a file still name the file and field (positions are unknown).
  std::string wrong = Edit("\"discount\": 0.9", "\"discount\": 9", text);
  Result<Scenario> failed = ReadParleyJson(wrong, "emoji.json");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().location().file, "emoji.json");
  EXPECT_EQ(failed.status().location().field, "parties.alice.preferences.discount");
  EXPECT_EQ(failed.status().location().line, 0);
  std::string twice = Edit("\"discount\": 0.9,", "\"discount\": 0.9, \"discount\": 0.8,", text);
  failed = ReadParleyJson(twice, "emoji.json");
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.status().message(), HasSubstr("'discount' appears twice"));
}

// ---------------------------------------------------------------------------------------------
// Robustness: truncated and mutated documents give a scenario or a located kInvalidInput error.

void ExpectCleanOutcome(const Result<Scenario>& result, const std::string& text) {
  if (result.ok()) return;
  const Status& status = result.status();
  ASSERT_EQ(status.code(), ErrorCode::kInvalidInput) << status.ToString() << "\n" << text;
  EXPECT_FALSE(status.message().empty());
  EXPECT_FALSE(status.location().file.empty());
  EXPECT_TRUE(status.location().line > 0 || !status.location().field.empty())
      << status.ToString() << "\n"
      << text;
}

TEST(ParleyFormatRobustnessTest, TruncatedDocuments) {
  const std::string yaml = kSmallYaml;
  for (std::size_t length = 0; length < yaml.size(); ++length) {
    std::string text = yaml.substr(0, length);
    ExpectCleanOutcome(ReadParleyYaml(text, "cut.yaml"), text);
  }
  const std::string json = WriteParleyJson(MustReadYaml(kSmallYaml));
  for (std::size_t length = 0; length < json.size(); length += 3) {
    std::string text = json.substr(0, length);
    ExpectCleanOutcome(ReadParleyJson(text, "cut.json"), text);
  }
}

TEST(ParleyFormatRobustnessTest, MutatedDocuments) {
  std::mt19937_64 rng(1234);
  const std::string alphabet = ":-[]{}\"',\n\t #&*!|>%@`?0123456789.eE+xyz\\";
  const std::string yaml = kSmallYaml;
  const std::string json = WriteParleyJson(MustReadYaml(kSmallYaml));
  int valid = 0;
  for (int trial = 0; trial < 600; ++trial) {
    bool use_json = trial % 3 == 2;
    std::string text = use_json ? json : yaml;
    int mutations = 1 + static_cast<int>(rng() % 4);
    for (int mutation = 0; mutation < mutations; ++mutation) {
      std::size_t pos = rng() % text.size();
      switch (rng() % 4) {
        case 0:
          text[pos] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          text[pos] = static_cast<char>(rng() % 256);
          break;
        case 2:
          text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          text.erase(pos, 1 + rng() % 8);
          break;
      }
      if (text.empty()) text = "x";
    }
    Result<Scenario> result =
        use_json ? ReadParleyJson(text, "mutated.json") : ReadParleyYaml(text, "mutated.yaml");
    ExpectCleanOutcome(result, text);
    if (result.ok()) {
      ++valid;
      // Whatever was read can be written and read again.
      EXPECT_TRUE(ReadParleyYaml(WriteParleyYaml(*result), "again.yaml").ok());
    }
  }
  EXPECT_GT(valid, 10);  // some mutations (in notes, numbers...) keep the document valid
}

TEST(ParleyFormatRobustnessTest, HostileStructures) {
  std::string deep_yaml(50'000, '[');
  ExpectCleanOutcome(ReadParleyYaml(deep_yaml, "deep.yaml"), "deep");
  std::string deep_json = std::string(50'000, '[') + std::string(50'000, ']');
  Result<Scenario> deep = ReadParleyJson(deep_json, "deep.json");
  ASSERT_FALSE(deep.ok());
  ExpectCleanOutcome(deep, "deep");
  // Aliases that multiply: 9^8 nodes if walked naively.
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'i'; ++level) {
    std::string previous(1, static_cast<char>(level - 1));
    laughs += std::string(1, level) + ": &" + std::string(1, level) + " [";
    for (int copy = 0; copy < 9; ++copy) laughs += (copy > 0 ? ", *" : "*") + previous;
    laughs += "]\n";
  }
  Result<Scenario> bomb = ReadParleyYaml(laughs, "laughs.yaml");
  ASSERT_FALSE(bomb.ok());
  ExpectCleanOutcome(bomb, "laughs");
  // Refused before any tree is built or walked: the aliases stand for 9^8 values.
  EXPECT_THAT(bomb.status().message(), HasSubstr("aliases count as the values they repeat"));
  EXPECT_EQ(bomb.status().location().file, "laughs.yaml");
  EXPECT_GT(bomb.status().location().line, 1);
  // A document that shares one map through an alias still has its duplicate keys found.
  std::string shared =
      Edit("      discount: 0.9\n", "      discount: 0.9\n      extra: &e {x: 1, x: 2}\n");
  Result<Scenario> duplicated = ReadParleyYaml(shared, "shared.yaml");
  ASSERT_FALSE(duplicated.ok());
  EXPECT_THAT(duplicated.status().message(), HasSubstr("key 'x' appears twice"));
  // A numeric issue too large to tabulate a value function for.
  std::string huge = Edit("range: [1, 3]", "range: [1, 3000000000]");
  Result<Scenario> too_large = ReadParleyYaml(huge, "huge.yaml");
  ASSERT_FALSE(too_large.ok());
  EXPECT_THAT(too_large.status().message(), HasSubstr("value functions are tabulated"));
}

}  // namespace
}  // namespace parley::io
