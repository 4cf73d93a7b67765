#include "parley/model/validate.h"

#include <gtest/gtest.h>

#include <functional>

namespace parley::model {
namespace {

Scenario MakeValidScenario() {
  Scenario scenario;
  scenario.issues.push_back(Issue::Discrete("a", {"x", "y"}));
  scenario.issues.push_back(Issue::Integer("n", 0, 3));
  Party party;
  party.id = "p";
  Preferences preferences;
  ValueFunction table{ValueFunctionForm::kTable, {}, {0.0, 1.0}};
  ValueFunction linear{ValueFunctionForm::kLinear, {{0, 0.0}, {3, 1.0}}, {}};
  linear.Tabulate(scenario.issues[1]);
  preferences.utility = std::make_shared<AdditiveUtility>(
      std::vector<double>{0.5, 0.5}, std::vector<ValueFunction>{table, linear});
  party.preferences = preferences;
  scenario.parties.push_back(party);
  return scenario;
}

TEST(ValidateTest, AcceptsAValidScenario) {
  EXPECT_TRUE(ValidateScenario(MakeValidScenario()).ok());
}

TEST(ValidateTest, NamesTheFieldOfEachMistake) {
  struct Case {
    const char* what;
    std::function<void(Scenario&)> damage;
    const char* field;
  };
  std::vector<Case> cases = {
      {"duplicate option",
       [](Scenario& s) {
         s.issues[0].options = {"x", "x"};
       },
       "issues.a.options"},
      {"duplicate issue", [](Scenario& s) { s.issues[1].id = "a"; }, "issues.a"},
      {"bad range", [](Scenario& s) { s.issues[1].integer_lower = 5; }, "issues.n.range"},
      {"no parties", [](Scenario& s) { s.parties.clear(); }, "parties"},
      {"negative weight",
       [](Scenario& s) {
         auto& additive = static_cast<const AdditiveUtility&>(*s.parties[0].preferences->utility);
         s.parties[0].preferences->utility =
             std::make_shared<AdditiveUtility>(std::vector<double>{-0.5, 0.5}, additive.values());
       },
       "parties.p.preferences.weights.a"},
      {"bad discount", [](Scenario& s) { s.parties[0].preferences->discount = 1.5; },
       "parties.p.preferences.discount"},
      {"bad reservation outcome",
       [](Scenario& s) {
         s.parties[0].preferences->reservation_outcome = Outcome{0, 9};
       },
       "parties.p.preferences.reservation"},
      {"phase with unknown issue",
       [](Scenario& s) {
         s.phases.push_back(Phase{"one", "One", "", {7}});
       },
       "phases.one.issues"},
      {"issue in two phases",
       [](Scenario& s) {
         s.phases.push_back(Phase{"one", "One", "", {0}});
         s.phases.push_back(Phase{"two", "Two", "", {0}});
       },
       "phases.two.issues"},
  };
  for (const Case& test_case : cases) {
    Scenario scenario = MakeValidScenario();
    test_case.damage(scenario);
    Status status = ValidateScenario(scenario);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidInput) << test_case.what;
    EXPECT_EQ(status.location().field, test_case.field)
        << test_case.what << ": " << status.ToString();
  }
}

}  // namespace
}  // namespace parley::model
