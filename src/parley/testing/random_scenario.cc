#include "parley/testing/random_scenario.h"

#include <memory>

#include "parley/base/check.h"
#include "parley/model/utility.h"

namespace parley::testing {

model::Party MakeRandomParty(const std::vector<model::Issue>& issues, std::string id,
                             const RandomPartySpec& spec, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto draw = [&]() {
    if (spec.value_grid <= 0) return uniform(rng);
    return static_cast<double>(rng() % (spec.value_grid + 1)) / spec.value_grid;
  };
  model::Party party;
  party.id = id;
  party.name = std::move(id);
  std::vector<double> weights;
  std::vector<model::ValueFunction> values;
  double weight_sum = 0;
  for (const model::Issue& issue : issues) {
    weights.push_back(spec.equal_weights ? 1.0 / static_cast<double>(issues.size())
                                         : 0.05 + draw());
    weight_sum += weights.back();
    model::ValueFunction value;
    for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
      value.table.push_back(draw());
    }
    values.push_back(std::move(value));
  }
  if (!spec.equal_weights) {
    for (double& weight : weights) weight /= weight_sum;
  }
  model::Preferences preferences;
  preferences.utility = std::make_shared<model::AdditiveUtility>(weights, values);
  if (spec.reservation_max) preferences.reservation_value = uniform(rng) * *spec.reservation_max;
  preferences.discount = spec.discount;
  for (int line_idx = 0; line_idx < spec.red_lines; ++line_idx) {
    const model::Issue& a = issues[rng() % issues.size()];
    const model::Issue& b = issues[rng() % issues.size()];
    std::string text = (line_idx % 2 == 0)
                           ? a.id + " != " + a.options[rng() % a.options.size()]
                           : "if " + a.id + " == " + a.options[rng() % a.options.size()] +
                                 " then " + b.id + " != " + b.options[rng() % b.options.size()];
    Result<model::Expression> expression = model::ParseExpression(text, issues);
    PARLEY_CHECK(expression.ok());
    model::RedLine red_line;
    red_line.kind = model::RedLine::Kind::kRequire;
    red_line.text = text;
    red_line.expression = std::move(expression).value();
    preferences.red_lines.push_back(std::move(red_line));
  }
  party.preferences = std::move(preferences);
  return party;
}

model::Scenario MakeRandomScenario(const RandomScenarioSpec& spec, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  model::Scenario scenario;
  scenario.name = "random-" + std::to_string(seed);
  for (std::size_t issue_idx = 0; issue_idx < spec.num_issues; ++issue_idx) {
    std::uint64_t options = spec.min_options + rng() % (spec.max_options - spec.min_options + 1);
    std::vector<std::string> labels;
    for (std::uint64_t option = 0; option < options; ++option) {
      labels.push_back("o" + std::to_string(option));
    }
    scenario.issues.push_back(model::Issue::Discrete("i" + std::to_string(issue_idx), labels));
  }
  RandomPartySpec party_spec;
  party_spec.value_grid = spec.value_grid;
  party_spec.reservation_max = spec.reservation_max;
  party_spec.red_lines = spec.red_lines_per_party;
  for (std::size_t party_idx = 0; party_idx < spec.num_parties; ++party_idx) {
    scenario.parties.push_back(
        MakeRandomParty(scenario.issues, "p" + std::to_string(party_idx), party_spec, rng));
  }
  return scenario;
}

}  // namespace parley::testing
