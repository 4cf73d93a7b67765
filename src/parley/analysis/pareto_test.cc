#include "parley/analysis/pareto.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stop_token>
#include <string>
#include <vector>

#include "parley/analysis/internal/non_dominated.h"
#include "parley/io/scenario_io.h"
#include "parley/model/hyper_rectangle_utility.h"

namespace parley::analysis {
namespace {

using model::Outcome;

// ---------------------------------------------------------------------------------------------
// Scenario builders

// How random per-option values are drawn.
enum class Values {
  kContinuous,  // uniform doubles: ties are (almost surely) absent
  kQuarters,    // k/4: many exact ties
  kTenths,      // k/10 with weights k/10: ties and near-ties from rounding (0.1 + 0.2 > 0.3)
};

double Draw(std::mt19937_64& rng, Values values) {
  switch (values) {
    case Values::kContinuous:
      return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    case Values::kQuarters:
      return static_cast<double>(rng() % 5) / 4.0;
    case Values::kTenths:
      return static_cast<double>(rng() % 11) / 10.0;
  }
  return 0;
}

// "p" + number, written so that GCC 12's -Wrestrict false positive (PR 105329) stays quiet.
std::string Numbered(std::string_view prefix, std::size_t number) {
  std::string text(prefix);
  text += std::to_string(number);
  return text;
}

std::vector<model::Issue> MakeIssues(const std::vector<std::size_t>& cardinalities) {
  std::vector<model::Issue> issues;
  for (std::size_t issue_idx = 0; issue_idx < cardinalities.size(); ++issue_idx) {
    std::vector<std::string> labels;
    for (std::size_t option = 0; option < cardinalities[issue_idx]; ++option) {
      labels.push_back(Numbered("o", option));
    }
    issues.push_back(model::Issue::Discrete(Numbered("i", issue_idx), labels));
  }
  return issues;
}

std::shared_ptr<model::AdditiveUtility> RandomAdditive(std::mt19937_64& rng,
                                                       const std::vector<std::size_t>& cards,
                                                       Values values) {
  std::vector<double> weights;
  std::vector<model::ValueFunction> tables;
  for (std::size_t cardinality : cards) {
    weights.push_back(values == Values::kQuarters ? 0.5 : Draw(rng, values));
    model::ValueFunction table;
    for (std::size_t option = 0; option < cardinality; ++option) {
      table.table.push_back(Draw(rng, values));
    }
    tables.push_back(table);
  }
  double offset = rng() % 2 ? 0.1 : 0.0;
  return std::make_shared<model::AdditiveUtility>(weights, tables, offset);
}

model::Party Principal(std::string id, std::shared_ptr<const model::UtilityFunction> utility) {
  model::Party party;
  party.id = std::move(id);
  party.name = party.id;
  party.preferences = model::Preferences{};
  party.preferences->utility = std::move(utility);
  return party;
}

model::Scenario RandomAdditiveScenario(std::mt19937_64& rng, std::size_t num_parties,
                                       const std::vector<std::size_t>& cards, Values values) {
  model::Scenario scenario;
  scenario.name = "random";
  scenario.issues = MakeIssues(cards);
  for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
    scenario.parties.push_back(
        Principal(Numbered("p", party_idx), RandomAdditive(rng, cards, values)));
  }
  return scenario;
}

// A non-additive utility: per-issue values plus interaction terms on pairs of issues.
class PairwiseUtility final : public model::UtilityFunction {
 public:
  PairwiseUtility(std::mt19937_64& rng, const std::vector<std::size_t>& cards, Values values)
      : cards_(cards) {
    for (std::size_t cardinality : cards) {
      std::vector<double> table;
      for (std::size_t option = 0; option < cardinality; ++option) {
        table.push_back(Draw(rng, values));
      }
      singles_.push_back(table);
    }
    for (std::size_t pair_idx = 0; pair_idx + 1 < cards.size(); ++pair_idx) {
      std::vector<double> table;
      for (std::size_t cell = 0; cell < cards[pair_idx] * cards[pair_idx + 1]; ++cell) {
        table.push_back(Draw(rng, values));
      }
      pairs_.push_back(table);
    }
  }
  double Evaluate(const Outcome& outcome) const override {
    double total = 0;
    for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
      total += singles_[issue_idx][outcome[issue_idx]];
      if (issue_idx + 1 < outcome.size()) {
        total +=
            pairs_[issue_idx][outcome[issue_idx] * cards_[issue_idx + 1] + outcome[issue_idx + 1]];
      }
    }
    return total;
  }
  std::string_view Kind() const override { return "pairwise_test"; }
  std::unique_ptr<model::UtilityFunction> Clone() const override {
    return std::make_unique<PairwiseUtility>(*this);
  }

 private:
  std::vector<std::size_t> cards_;
  std::vector<std::vector<double>> singles_;
  std::vector<std::vector<double>> pairs_;
};

// Parties with pairwise (non-additive) utilities of continuous random values.
model::Scenario PairwiseScenario(std::mt19937_64& rng, const std::vector<std::size_t>& cards,
                                 int num_parties) {
  model::Scenario scenario;
  scenario.issues = MakeIssues(cards);
  for (int party_idx = 0; party_idx < num_parties; ++party_idx) {
    scenario.parties.push_back(
        Principal(Numbered("p", party_idx),
                  std::make_shared<PairwiseUtility>(rng, cards, Values::kContinuous)));
  }
  return scenario;
}

// Wraps a utility and requests a stop after a number of evaluations: cancellation without
// timing assumptions.
class StoppingUtility final : public model::UtilityFunction {
 public:
  StoppingUtility(std::shared_ptr<const model::UtilityFunction> inner, std::stop_source source,
                  std::uint64_t after)
      : inner_(std::move(inner)), source_(std::move(source)), after_(after) {}
  double Evaluate(const Outcome& outcome) const override {
    if (evaluations_.fetch_add(1) == after_) source_.request_stop();
    return inner_->Evaluate(outcome);
  }
  std::string_view Kind() const override { return "stopping_test"; }
  std::unique_ptr<model::UtilityFunction> Clone() const override {
    return std::make_unique<StoppingUtility>(inner_, source_, after_);
  }

 private:
  std::shared_ptr<const model::UtilityFunction> inner_;
  mutable std::stop_source source_;
  std::uint64_t after_;
  mutable std::atomic<std::uint64_t> evaluations_{0};
};

model::Expression Atom(std::size_t issue_idx, std::vector<bool> allowed) {
  model::Expression atom;
  atom.kind = model::Expression::Kind::kAtom;
  atom.issue_idx = issue_idx;
  atom.allowed = std::move(allowed);
  return atom;
}

model::Expression RandomAtom(std::mt19937_64& rng, const model::Scenario& scenario,
                             std::size_t issue_idx) {
  std::vector<bool> allowed;
  for (std::size_t option = 0; option < scenario.issues[issue_idx].options.size(); ++option) {
    allowed.push_back(rng() % 3 == 0);
  }
  return Atom(issue_idx, allowed);
}

// A red line on `issues`: one atom, or atoms joined by and / or / implies (maybe negated).
model::RedLine RandomRedLine(std::mt19937_64& rng, const model::Scenario& scenario,
                             const std::vector<std::size_t>& issues) {
  model::RedLine red_line;
  red_line.kind = rng() % 2 ? model::RedLine::Kind::kForbid : model::RedLine::Kind::kRequire;
  red_line.text = "random";
  if (issues.size() == 1) {
    red_line.expression = RandomAtom(rng, scenario, issues[0]);
    if (red_line.kind == model::RedLine::Kind::kRequire) {
      // Keep at least half the options so that most scenarios stay feasible.
      for (std::size_t option = 0; option < red_line.expression.allowed.size(); option += 2) {
        red_line.expression.allowed[option] = true;
      }
    }
    return red_line;
  }
  model::Expression combined;
  combined.kind = std::vector{model::Expression::Kind::kAnd, model::Expression::Kind::kOr,
                              model::Expression::Kind::kImplies}[rng() % 3];
  if (combined.kind == model::Expression::Kind::kImplies) {
    combined.children = {RandomAtom(rng, scenario, issues[0]), model::Expression{}};
    combined.children[1].kind = model::Expression::Kind::kOr;
    for (std::size_t position = 1; position < issues.size(); ++position) {
      combined.children[1].children.push_back(RandomAtom(rng, scenario, issues[position]));
    }
  } else {
    for (std::size_t issue_idx : issues) {
      combined.children.push_back(RandomAtom(rng, scenario, issue_idx));
    }
  }
  if (rng() % 4 == 0) {
    model::Expression negated;
    negated.kind = model::Expression::Kind::kNot;
    negated.children.push_back(std::move(combined));
    combined = std::move(negated);
  }
  red_line.expression = std::move(combined);
  return red_line;
}

// Adds single-issue and cross-issue red lines (joining 2 or 3 issues) to random parties.
void AddRandomRedLines(std::mt19937_64& rng, model::Scenario& scenario, int single, int cross) {
  std::size_t num_issues = scenario.issues.size();
  for (int line = 0; line < single + cross; ++line) {
    std::vector<std::size_t> issues{rng() % num_issues};
    if (line >= single) {
      std::size_t width = 2 + rng() % 2;
      while (issues.size() < std::min(width, num_issues)) {
        std::size_t issue_idx = rng() % num_issues;
        if (std::find(issues.begin(), issues.end(), issue_idx) == issues.end()) {
          issues.push_back(issue_idx);
        }
      }
    }
    model::Party& party = scenario.parties[rng() % scenario.parties.size()];
    party.preferences->red_lines.push_back(RandomRedLine(rng, scenario, issues));
  }
}

// ---------------------------------------------------------------------------------------------
// Brute force and comparison

bool TestOrder(const ParetoPoint& a, const ParetoPoint& b) {
  if (a.utilities != b.utilities) {
    return std::lexicographical_compare(a.utilities.begin(), a.utilities.end(), b.utilities.begin(),
                                        b.utilities.end(), std::greater<double>());
  }
  return a.outcome < b.outcome;
}

std::vector<double> EvaluateAll(const model::Scenario& scenario,
                                const std::vector<std::size_t>& parties, const Outcome& outcome) {
  std::vector<double> utilities;
  for (std::size_t party_idx : parties) {
    utilities.push_back(scenario.parties[party_idx].preferences->utility->Evaluate(outcome));
  }
  return utilities;
}

// Every outcome within the red lines (and reservations), then the O(N^2) definition.
std::vector<ParetoPoint> BruteForceFrontier(const model::Scenario& scenario,
                                            const ParetoOptions& options,
                                            std::vector<ParetoPoint>* all_out = nullptr) {
  std::vector<std::size_t> parties =
      options.parties.empty() ? scenario.PrincipalIndices() : options.parties;
  std::vector<ParetoPoint> all;
  Status status = scenario.BuildOutcomeSpace().ForEach(10'000'000, [&](const Outcome& outcome) {
    for (std::size_t party_idx : parties) {
      const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
      if (options.respect_red_lines && !preferences.AllowedByRedLines(outcome)) return;
    }
    ParetoPoint point{outcome, EvaluateAll(scenario, parties, outcome)};
    if (options.respect_reservations) {
      for (std::size_t position = 0; position < parties.size(); ++position) {
        double reservation = scenario.parties[parties[position]].preferences->ReservationOrZero();
        if (point.utilities[position] < reservation) return;
      }
    }
    all.push_back(point);
  });
  EXPECT_TRUE(status.ok());
  std::vector<ParetoPoint> frontier;
  for (const ParetoPoint& candidate : all) {
    bool dominated = std::any_of(all.begin(), all.end(), [&](const ParetoPoint& other) {
      return Dominates(other.utilities, candidate.utilities);
    });
    if (!dominated) frontier.push_back(candidate);
  }
  std::sort(frontier.begin(), frontier.end(), TestOrder);
  if (all_out != nullptr) *all_out = std::move(all);
  return frontier;
}

std::string Describe(const ParetoPoint& point) {
  std::string text = "(";
  for (model::OptionIndex option : point.outcome) text += std::to_string(option) + " ";
  text += ") ->";
  for (double utility : point.utilities) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, " %.17g", utility);
    text += buffer;
  }
  return text;
}

// Same points (outcome and utilities, bit for bit), same order.
void ExpectSameFrontier(const std::vector<ParetoPoint>& actual,
                        const std::vector<ParetoPoint>& expected, const std::string& context) {
  ASSERT_EQ(actual.size(), expected.size()) << context;
  for (std::size_t point_idx = 0; point_idx < actual.size(); ++point_idx) {
    ASSERT_EQ(actual[point_idx].outcome, expected[point_idx].outcome)
        << context << " point " << point_idx << ": " << Describe(actual[point_idx]) << " vs "
        << Describe(expected[point_idx]);
    ASSERT_EQ(actual[point_idx].utilities, expected[point_idx].utilities)
        << context << " point " << point_idx << ": " << Describe(actual[point_idx]) << " vs "
        << Describe(expected[point_idx]);
  }
}

// The properties that hold for every method, exact or not: points are real outcomes, their
// utilities are Evaluate's, they respect the red lines, they are sorted and mutually
// non-dominated.
void ExpectWellFormed(const model::Scenario& scenario, const ParetoFrontier& frontier,
                      bool respect_red_lines = true) {
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  for (std::size_t point_idx = 0; point_idx < frontier.points.size(); ++point_idx) {
    const ParetoPoint& point = frontier.points[point_idx];
    ASSERT_TRUE(space.Contains(point.outcome));
    EXPECT_EQ(point.utilities, EvaluateAll(scenario, frontier.parties, point.outcome));
    if (respect_red_lines) {
      for (std::size_t party_idx : frontier.parties) {
        EXPECT_TRUE(scenario.parties[party_idx].preferences->AllowedByRedLines(point.outcome));
      }
    }
    if (point_idx > 0) {
      EXPECT_TRUE(TestOrder(frontier.points[point_idx - 1], point)) << point_idx;
    }
  }
  if (frontier.parties.size() == 2) {
    // Sorted by the first utility descending, the second may not decrease; equal first
    // utilities need equal second ones.
    for (std::size_t point_idx = 1; point_idx < frontier.points.size(); ++point_idx) {
      const std::vector<double>& previous = frontier.points[point_idx - 1].utilities;
      const std::vector<double>& current = frontier.points[point_idx].utilities;
      ASSERT_LE(previous[1], current[1]) << point_idx;
      if (previous[0] == current[0]) {
        ASSERT_EQ(previous[1], current[1]) << point_idx;
      }
    }
    return;
  }
  for (const ParetoPoint& a : frontier.points) {
    for (const ParetoPoint& b : frontier.points) {
      ASSERT_FALSE(Dominates(a.utilities, b.utilities)) << Describe(a) << " / " << Describe(b);
    }
  }
}

std::vector<std::size_t> RandomCards(std::mt19937_64& rng, std::size_t num_issues,
                                     std::size_t max_options) {
  std::vector<std::size_t> cards;
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    cards.push_back(1 + rng() % max_options);
  }
  return cards;
}

// ---------------------------------------------------------------------------------------------
// The filtering kernel

// Property: FilterNonDominated keeps exactly the points no other point beats by more than the
// tolerance while being at least as good everywhere, for 1 to 5 dimensions, with keys and ties.
TEST(NonDominatedFilterTest, MatchesDefinitionWithTiesKeysAndTolerances) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::size_t dims = 1 + trial % 5;
    std::size_t num_points = 1 + rng() % 200;
    bool with_keys = trial % 3 == 0;
    bool with_tolerance = trial % 2 == 0;
    std::vector<double> values(num_points * dims);
    for (double& value : values) value = static_cast<double>(rng() % 6) / 8.0;
    std::vector<std::uint32_t> keys;
    if (with_keys) {
      for (std::size_t point = 0; point < num_points; ++point) keys.push_back(rng() % 3);
    }
    std::vector<double> tolerance(dims, 0.0);
    if (with_tolerance) {
      for (double& entry : tolerance) entry = static_cast<double>(rng() % 3) / 8.0 + 1.0 / 16;
    }
    std::vector<std::uint32_t> kept = internal::FilterNonDominated(values, dims, tolerance, keys);
    std::vector<std::uint32_t> expected;
    for (std::uint32_t b = 0; b < num_points; ++b) {
      bool removed = false;
      for (std::uint32_t a = 0; a < num_points && !removed; ++a) {
        if (with_keys && keys[a] != keys[b]) continue;
        bool at_least = true;
        bool clear_gap = false;
        for (std::size_t dim = 0; dim < dims; ++dim) {
          at_least = at_least && values[a * dims + dim] >= values[b * dims + dim];
          clear_gap = clear_gap || values[a * dims + dim] > values[b * dims + dim] + tolerance[dim];
        }
        removed = at_least && clear_gap;
      }
      if (!removed) expected.push_back(b);
    }
    std::sort(kept.begin(), kept.end());
    EXPECT_EQ(kept, expected) << "trial " << trial << " dims " << dims;
  }
}

TEST(ParetoTest, DominatesNeedsOneStrictImprovement) {
  EXPECT_TRUE(Dominates({1, 2}, {1, 1}));
  EXPECT_FALSE(Dominates({1, 1}, {1, 1}));
  EXPECT_FALSE(Dominates({2, 0}, {1, 1}));
  EXPECT_EQ(FrontierMethodName(FrontierMethod::kAdditiveMerge), "additive_merge");
  EXPECT_EQ(FrontierMethodName(FrontierMethod::kEnumeration), "enumeration");
  EXPECT_EQ(FrontierMethodName(FrontierMethod::kSearch), "search");
}

// ---------------------------------------------------------------------------------------------
// Exact methods against brute force

struct Case {
  std::size_t parties;
  std::size_t issues;
  std::size_t max_options;
};

// Property: the additive merge and forced enumeration both equal the brute-force frontier, as
// sets of (outcome, utilities) with ties, for 2, 3 and 5 parties and three kinds of values.
TEST(ParetoTest, AdditiveAndEnumerationEqualBruteForce) {
  std::mt19937_64 rng(2024);
  const std::vector<Case> cases = {{2, 4, 5}, {2, 6, 4}, {3, 4, 5}, {3, 5, 4}, {5, 4, 4}};
  for (const Case& shape : cases) {
    for (Values values : {Values::kContinuous, Values::kQuarters, Values::kTenths}) {
      for (int trial = 0; trial < 4; ++trial) {
        std::vector<std::size_t> cards = RandomCards(rng, shape.issues, shape.max_options);
        model::Scenario scenario = RandomAdditiveScenario(rng, shape.parties, cards, values);
        std::string context = std::to_string(shape.parties) + " parties, values " +
                              std::to_string(static_cast<int>(values)) + ", trial " +
                              std::to_string(trial);
        std::vector<ParetoPoint> all;
        std::vector<ParetoPoint> expected = BruteForceFrontier(scenario, {}, &all);

        Result<ParetoFrontier> merged = ComputeParetoFrontier(scenario);
        ASSERT_TRUE(merged.ok()) << merged.status().ToString();
        EXPECT_EQ(merged->method, FrontierMethod::kAdditiveMerge);
        EXPECT_TRUE(merged->exact);
        ExpectSameFrontier(merged->points, expected, "merge: " + context);
        ExpectWellFormed(scenario, *merged);

        ParetoOptions forced;
        forced.force_enumeration = true;
        forced.threads = 1;
        Result<ParetoFrontier> enumerated = ComputeParetoFrontier(scenario, forced);
        ASSERT_TRUE(enumerated.ok()) << enumerated.status().ToString();
        EXPECT_EQ(enumerated->method, FrontierMethod::kEnumeration);
        EXPECT_TRUE(enumerated->exact);
        EXPECT_EQ(enumerated->outcomes_examined, BigCount(all.size()));
        ExpectSameFrontier(enumerated->points, expected, "enumeration: " + context);

        // Every outcome is dominated by or equal to a frontier point.
        for (const ParetoPoint& outcome : all) {
          bool covered = std::any_of(merged->points.begin(), merged->points.end(),
                                     [&](const ParetoPoint& point) {
                                       return point.utilities == outcome.utilities ||
                                              Dominates(point.utilities, outcome.utilities);
                                     });
          ASSERT_TRUE(covered) << context << ": " << Describe(outcome);
        }
      }
    }
  }
}

// Property: with single-issue and cross-issue red lines (joining 2 or 3 issues, overlapping so that
// groups chain), both exact methods equal brute force over the allowed outcomes.
TEST(ParetoTest, RedLinesAreRespectedExactly) {
  std::mt19937_64 rng(99);
  const std::vector<Case> cases = {{2, 5, 4}, {2, 6, 3}, {3, 5, 4}, {5, 4, 4}};
  int nonempty = 0;
  int grouped = 0;
  for (const Case& shape : cases) {
    for (Values values : {Values::kContinuous, Values::kQuarters, Values::kTenths}) {
      for (int trial = 0; trial < 20; ++trial) {
        std::vector<std::size_t> cards = RandomCards(rng, shape.issues, shape.max_options);
        for (std::size_t& cardinality : cards) cardinality = std::max<std::size_t>(cardinality, 2);
        model::Scenario scenario = RandomAdditiveScenario(rng, shape.parties, cards, values);
        AddRandomRedLines(rng, scenario, 1 + trial % 2, 1 + trial % 3);
        std::string context =
            std::to_string(shape.parties) + " parties, trial " + std::to_string(trial);
        std::vector<ParetoPoint> expected = BruteForceFrontier(scenario, {});
        nonempty += expected.empty() ? 0 : 1;

        Result<ParetoFrontier> merged = ComputeParetoFrontier(scenario);
        ASSERT_TRUE(merged.ok()) << merged.status().ToString();
        EXPECT_EQ(merged->method, FrontierMethod::kAdditiveMerge) << merged->note;
        grouped += merged->note.find("composite") != std::string::npos ? 1 : 0;
        ExpectSameFrontier(merged->points, expected, "merge: " + context);

        ParetoOptions forced;
        forced.force_enumeration = true;
        Result<ParetoFrontier> enumerated = ComputeParetoFrontier(scenario, forced);
        ASSERT_TRUE(enumerated.ok());
        ExpectSameFrontier(enumerated->points, expected, "enumeration: " + context);

        // Ignoring red lines gives the unconstrained frontier.
        ParetoOptions ignore;
        ignore.respect_red_lines = false;
        Result<ParetoFrontier> free = ComputeParetoFrontier(scenario, ignore);
        ASSERT_TRUE(free.ok());
        ExpectSameFrontier(free->points, BruteForceFrontier(scenario, ignore), "free: " + context);
      }
    }
  }
  EXPECT_GT(nonempty, 80);  // the random red lines leave many scenarios feasible
  EXPECT_GT(grouped, 80);   // with composite issues
}

// The partial outcome i0=o0 beats i0=o1 for both parties, but a red line then forbids the options
// of i1 that would make it best: the two partial points have different futures and must not be
// compared. Allowed: (o0,o2) = (2,2), (o1,o0) = (0,3), (o1,o1) = (3,0), (o1,o2) = (1,1).
TEST(ParetoTest, CrossIssueRedLinesComparePartialOutcomesOnlyWithTheSameFuture) {
  model::Scenario scenario;
  scenario.issues = MakeIssues({2, 3});
  auto utility = [](std::vector<double> first, std::vector<double> second) {
    model::ValueFunction first_table;
    first_table.table = std::move(first);
    model::ValueFunction second_table;
    second_table.table = std::move(second);
    return std::make_shared<model::AdditiveUtility>(std::vector<double>{1, 1},
                                                    std::vector{first_table, second_table});
  };
  scenario.parties.push_back(Principal("a", utility({1, 0}, {0, 3, 1})));
  scenario.parties.push_back(Principal("b", utility({1, 0}, {3, 0, 1})));
  Result<model::Expression> expression =
      model::ParseExpression("i0 == o0 and i1 in [o0, o1]", scenario.issues);
  ASSERT_TRUE(expression.ok());
  model::RedLine red_line;
  red_line.kind = model::RedLine::Kind::kForbid;
  red_line.text = "i0 == o0 and i1 in [o0, o1]";
  red_line.expression = *expression;
  scenario.parties[0].preferences->red_lines.push_back(red_line);
  Result<ParetoFrontier> frontier = ComputeParetoFrontier(scenario);
  ASSERT_TRUE(frontier.ok());
  EXPECT_EQ(frontier->method, FrontierMethod::kAdditiveMerge);
  ASSERT_EQ(frontier->points.size(), 3u);
  EXPECT_EQ(frontier->points[0].outcome, (Outcome{1, 1}));
  EXPECT_EQ(frontier->points[1].outcome, (Outcome{0, 2}));
  EXPECT_EQ(frontier->points[2].outcome, (Outcome{1, 0}));
  ExpectSameFrontier(frontier->points, BruteForceFrontier(scenario, {}), "hand-made");
}

// Property: respecting reservation values keeps exactly the acceptable part of the frontier.
TEST(ParetoTest, ReservationsKeepTheAcceptableFrontier) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 30; ++trial) {
    std::size_t num_parties = 2 + trial % 2;
    std::vector<std::size_t> cards = RandomCards(rng, 5, 4);
    model::Scenario scenario = RandomAdditiveScenario(
        rng, num_parties, cards, trial % 2 ? Values::kTenths : Values::kContinuous);
    if (trial % 3 == 0) AddRandomRedLines(rng, scenario, 1, 1);
    for (model::Party& party : scenario.parties) {
      model::UtilityRange range =
          model::ComputeUtilityRange(*party.preferences->utility, scenario.BuildOutcomeSpace());
      // Between the middle and the top of the range: sometimes nothing is acceptable.
      party.preferences->reservation_value =
          range.min + (range.max - range.min) * (0.5 + 0.1 * static_cast<double>(rng() % 5));
    }
    ParetoOptions options;
    options.respect_reservations = true;
    std::vector<ParetoPoint> expected = BruteForceFrontier(scenario, options);
    Result<ParetoFrontier> merged = ComputeParetoFrontier(scenario, options);
    ASSERT_TRUE(merged.ok());
    EXPECT_TRUE(merged->exact);
    ExpectSameFrontier(merged->points, expected, "merge, trial " + std::to_string(trial));
    options.force_enumeration = true;
    Result<ParetoFrontier> enumerated = ComputeParetoFrontier(scenario, options);
    ASSERT_TRUE(enumerated.ok());
    ExpectSameFrontier(enumerated->points, expected, "enumeration, trial " + std::to_string(trial));
  }
}

// 0.1 + 0.2 > 0.3 as doubles, yet 0.1 + 0.2 + 0.7 == 0.3 + 0.0 + 0.7 == 1.0: after two issues the
// first outcome seems to dominate the second, but both end on the frontier, tied.
TEST(ParetoTest, NearTiesThatRoundingResolvesIntoTiesAreKept) {
  model::Scenario scenario;
  scenario.issues = MakeIssues({2, 2, 1});
  auto table = [](std::vector<double> values) {
    model::ValueFunction function;
    function.table = std::move(values);
    return function;
  };
  scenario.parties.push_back(
      Principal("first", std::make_shared<model::AdditiveUtility>(
                             std::vector<double>{1, 1, 1},
                             std::vector{table({0.1, 0.3}), table({0.2, 0.0}), table({0.7})})));
  scenario.parties.push_back(Principal(
      "second",
      std::make_shared<model::AdditiveUtility>(
          std::vector<double>{1, 1, 1}, std::vector{table({1, 0}), table({0, 1}), table({0})})));
  ASSERT_GT(0.1 + 0.2, 0.3);
  ASSERT_EQ(0.1 + 0.2 + 0.7, 0.3 + 0.0 + 0.7);
  Result<ParetoFrontier> frontier = ComputeParetoFrontier(scenario);
  ASSERT_TRUE(frontier.ok());
  ExpectSameFrontier(frontier->points, BruteForceFrontier(scenario, {}), "near ties");
  ASSERT_EQ(frontier->points.size(), 4u);
  EXPECT_EQ(frontier->points[1].outcome, (Outcome{0, 0, 0}));  // 0.1 + 0.2 + 0.7, 1
  EXPECT_EQ(frontier->points[2].outcome, (Outcome{1, 1, 0}));  // 0.3 + 0.0 + 0.7, 1
  EXPECT_EQ(frontier->points[1].utilities, frontier->points[2].utilities);
}

// An issue no party cares about multiplies every frontier point by its options: all are listed.
TEST(ParetoTest, OutcomesWithEqualUtilitiesAreAllListed) {
  std::mt19937_64 rng(3);
  model::Scenario scenario = RandomAdditiveScenario(rng, 2, {3, 3, 4}, Values::kContinuous);
  for (model::Party& party : scenario.parties) {
    auto utility =
        std::dynamic_pointer_cast<const model::AdditiveUtility>(party.preferences->utility);
    std::vector<double> weights = utility->weights();
    weights[2] = 0;  // indifferent to issue 2
    party.preferences->utility =
        std::make_shared<model::AdditiveUtility>(weights, utility->values(), utility->offset());
  }
  ParetoOptions options;
  options.respect_red_lines = true;
  Result<ParetoFrontier> frontier = ComputeParetoFrontier(scenario, options);
  ASSERT_TRUE(frontier.ok());
  ASSERT_FALSE(frontier->points.empty());
  EXPECT_EQ(frontier->points.size() % 4, 0u);
  ExpectSameFrontier(frontier->points, BruteForceFrontier(scenario, options), "ties");
}

// Property: for non-additive utilities (pairwise interactions, with and without ties, mixed with
// additive ones, with red lines), enumeration equals brute force.
TEST(ParetoTest, NonAdditiveEnumerationEqualsBruteForce) {
  std::mt19937_64 rng(17);
  const std::vector<Case> cases = {{2, 5, 4}, {3, 5, 4}, {5, 4, 4}};
  for (const Case& shape : cases) {
    for (Values values : {Values::kContinuous, Values::kQuarters}) {
      for (int trial = 0; trial < 4; ++trial) {
        std::vector<std::size_t> cards = RandomCards(rng, shape.issues, shape.max_options);
        for (std::size_t& cardinality : cards) cardinality = std::max<std::size_t>(cardinality, 2);
        model::Scenario scenario;
        scenario.issues = MakeIssues(cards);
        for (std::size_t party_idx = 0; party_idx < shape.parties; ++party_idx) {
          std::shared_ptr<const model::UtilityFunction> utility;
          if (party_idx == 1 && trial % 2 == 1) {
            utility = RandomAdditive(rng, cards, values);
          } else {
            utility = std::make_shared<PairwiseUtility>(rng, cards, values);
          }
          scenario.parties.push_back(Principal(Numbered("p", party_idx), utility));
        }
        if (trial >= 2) AddRandomRedLines(rng, scenario, 1, 1);
        Result<ParetoFrontier> frontier = ComputeParetoFrontier(scenario);
        ASSERT_TRUE(frontier.ok());
        EXPECT_EQ(frontier->method, FrontierMethod::kEnumeration);
        EXPECT_TRUE(frontier->exact);
        EXPECT_NE(frontier->note.find("not all additive"), std::string::npos);
        ExpectSameFrontier(
            frontier->points, BruteForceFrontier(scenario, {}),
            std::to_string(shape.parties) + " parties, trial " + std::to_string(trial));
      }
    }
  }
}

// GENIUS hyper-rectangle utilities go through enumeration too.
TEST(ParetoTest, HyperRectangleUtilitiesEqualBruteForce) {
  std::mt19937_64 rng(23);
  for (int trial = 0; trial < 6; ++trial) {
    std::vector<std::size_t> cards = {4, 5, 3, 4};
    model::Scenario scenario;
    scenario.issues = MakeIssues(cards);
    for (int party_idx = 0; party_idx < 2 + trial % 2; ++party_idx) {
      model::RectangleSet set;
      for (int rectangle_idx = 0; rectangle_idx < 6; ++rectangle_idx) {
        model::HyperRectangle rectangle;
        rectangle.utility = static_cast<double>(1 + rng() % 8);
        for (std::size_t issue_idx = 0; issue_idx < cards.size(); ++issue_idx) {
          if (rng() % 2) continue;
          double low = static_cast<double>(rng() % cards[issue_idx]);
          double high = low + static_cast<double>(rng() % 2);
          rectangle.includes.push_back(model::RectangleBound{issue_idx, low, high});
        }
        set.rectangles.push_back(rectangle);
      }
      scenario.parties.push_back(Principal(
          Numbered("p", party_idx),
          std::make_shared<model::HyperRectangleUtility>(scenario.issues, std::vector{set}, 30.0)));
    }
    Result<ParetoFrontier> frontier = ComputeParetoFrontier(scenario);
    ASSERT_TRUE(frontier.ok());
    EXPECT_EQ(frontier->method, FrontierMethod::kEnumeration);
    ExpectSameFrontier(frontier->points, BruteForceFrontier(scenario, {}),
                       "trial " + std::to_string(trial));
  }
}

// ---------------------------------------------------------------------------------------------
// Threads, determinism, cancellation, limits

// Property: the thread count changes nothing, for 2 and 3 parties (enumeration over index ranges,
// with ties from coarse values) and for the search method.
TEST(ParetoTest, ThreadCountDoesNotChangeTheResult) {
  std::mt19937_64 rng(31);
  for (std::size_t num_parties : {2, 3}) {
    std::vector<std::size_t> cards = {8, 7, 9, 6, 5, 7};  // 105,840 outcomes
    model::Scenario scenario = RandomAdditiveScenario(rng, num_parties, cards, Values::kQuarters);
    AddRandomRedLines(rng, scenario, 1, 1);
    ParetoOptions options;
    options.force_enumeration = true;
    options.threads = 1;
    Result<ParetoFrontier> single = ComputeParetoFrontier(scenario, options);
    ASSERT_TRUE(single.ok());
    ASSERT_FALSE(single->points.empty());
    Result<ParetoFrontier> merged = ComputeParetoFrontier(scenario);
    ASSERT_TRUE(merged.ok());
    ExpectSameFrontier(single->points, merged->points, "enumeration vs merge");
    for (int threads : {2, 3, 7}) {
      options.threads = threads;
      Result<ParetoFrontier> parallel = ComputeParetoFrontier(scenario, options);
      ASSERT_TRUE(parallel.ok());
      ExpectSameFrontier(
          parallel->points, single->points,
          std::to_string(threads) + " threads, " + std::to_string(num_parties) + " parties");
    }
  }
  // Search: pairwise utilities on a space declared too large to enumerate.
  model::Scenario scenario = PairwiseScenario(rng, {5, 5, 5, 5, 5, 5}, 2);
  ParetoOptions search;
  search.enumeration_limit = 100;
  search.search_budget = 20'000;
  search.threads = 1;
  Result<ParetoFrontier> single = ComputeParetoFrontier(scenario, search);
  ASSERT_TRUE(single.ok());
  search.threads = 2;
  Result<ParetoFrontier> parallel = ComputeParetoFrontier(scenario, search);
  ASSERT_TRUE(parallel.ok());
  EXPECT_EQ(single->method, FrontierMethod::kSearch);
  ExpectSameFrontier(parallel->points, single->points, "search");
  EXPECT_EQ(parallel->outcomes_examined, single->outcomes_examined);
}

TEST(ParetoTest, CancellationStopsEveryMethod) {
  std::mt19937_64 rng(37);
  std::vector<std::size_t> cards = {10, 10, 10, 10, 10};
  model::Scenario additive = RandomAdditiveScenario(rng, 2, cards, Values::kContinuous);
  std::stop_source stopped;
  stopped.request_stop();
  ParetoOptions options;
  options.stop = stopped.get_token();
  Result<ParetoFrontier> frontier = ComputeParetoFrontier(additive, options);
  ASSERT_FALSE(frontier.ok());
  EXPECT_EQ(frontier.status().code(), ErrorCode::kCancelled);

  // A stop requested by a utility during enumeration (1 and 2 threads) and during search.
  for (int method = 0; method < 3; ++method) {
    std::stop_source source;
    model::Scenario scenario;
    scenario.issues = MakeIssues(cards);
    auto inner = std::make_shared<PairwiseUtility>(rng, cards, Values::kContinuous);
    scenario.parties.push_back(
        Principal("a", std::make_shared<StoppingUtility>(inner, source, 1000)));
    scenario.parties.push_back(Principal("b", inner));
    ParetoOptions running;
    running.stop = source.get_token();
    running.threads = method == 1 ? 2 : 1;
    if (method == 2) {
      running.enumeration_limit = 10;
      running.search_budget = 1'000'000;
    }
    Result<ParetoFrontier> cancelled = ComputeParetoFrontier(scenario, running);
    ASSERT_FALSE(cancelled.ok()) << method;
    EXPECT_EQ(cancelled.status().code(), ErrorCode::kCancelled) << method;
  }
}

// When a partial frontier outgrows max_frontier_size the merge says so and falls back: to exact
// enumeration within the enumeration limit, to labelled search beyond it.
TEST(ParetoTest, MergeFallsBackHonestlyWhenTheFrontierIsTooLarge) {
  std::mt19937_64 rng(41);
  std::vector<std::size_t> cards = {6, 6, 6, 6, 6};
  model::Scenario scenario = RandomAdditiveScenario(rng, 2, cards, Values::kContinuous);
  AddRandomRedLines(rng, scenario, 1, 1);
  std::vector<ParetoPoint> expected = BruteForceFrontier(scenario, {});
  ASSERT_GT(expected.size(), 3u);
  ParetoOptions options;
  options.max_frontier_size = 3;
  options.threads = 1;
  // The final frontier is larger than 3 too, so enumeration refuses rather than truncating.
  Result<ParetoFrontier> refused = ComputeParetoFrontier(scenario, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnsupported);

  // A limit equal to the frontier's size lets the result through, whichever method gives it.
  options.max_frontier_size = expected.size();
  Result<ParetoFrontier> merged = ComputeParetoFrontier(scenario, options);
  ASSERT_TRUE(merged.ok());
  ExpectSameFrontier(merged->points, expected, "limit = frontier size");

  // Composite limit: red lines join issues into more combinations than allowed.
  options.max_frontier_size = 2'000'000;
  options.max_composite_size = 1;
  Result<ParetoFrontier> fallback = ComputeParetoFrontier(scenario, options);
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->method, FrontierMethod::kEnumeration);
  EXPECT_TRUE(fallback->exact);
  EXPECT_NE(fallback->note.find("gave up"), std::string::npos) << fallback->note;
  EXPECT_NE(fallback->note.find("max_composite_size"), std::string::npos) << fallback->note;
  ExpectSameFrontier(fallback->points, expected, "composite fallback");

  // Beyond the enumeration limit: search, labelled approximate.
  options.enumeration_limit = 1000;
  options.search_budget = 50'000;
  Result<ParetoFrontier> searched = ComputeParetoFrontier(scenario, options);
  ASSERT_TRUE(searched.ok());
  EXPECT_EQ(searched->method, FrontierMethod::kSearch);
  EXPECT_FALSE(searched->exact);
  EXPECT_NE(searched->note.find("APPROXIMATE"), std::string::npos);
  EXPECT_GT(searched->outcomes_examined, BigCount(0));
  ExpectWellFormed(scenario, *searched);
}

// Property: search results are real, allowed, mutually non-dominated, and on a small space with a
// generous budget they find most of the exact frontier, including each party's best outcome.
// Red lines that forbid every neighbour of the search's starting points used to keep the search
// exploring forever (forbidden moves were never counted against the budget); it must end, with
// whatever it found, however small the budget.
TEST(ParetoTest, SearchEndsWhenRedLinesForbidEveryMove) {
  std::mt19937_64 rng(17);
  model::Scenario scenario = PairwiseScenario(rng, {4, 4, 4}, 2);
  // Only one outcome is allowed: i0 = o0 and i1 = o0 and i2 = o0.
  model::RedLine only_one;
  only_one.kind = model::RedLine::Kind::kRequire;
  only_one.text = "i0 == o0 and i1 == o0 and i2 == o0";
  only_one.expression = *model::ParseExpression(only_one.text, scenario.issues);
  scenario.parties[0].preferences->red_lines.push_back(only_one);
  for (std::uint64_t budget : {0, 1, 1000}) {
    ParetoOptions options;
    options.enumeration_limit = 0;  // force the search
    options.search_budget = budget;
    Result<ParetoFrontier> searched = ComputeParetoFrontier(scenario, options);
    ASSERT_TRUE(searched.ok()) << searched.status().ToString();
    EXPECT_FALSE(searched->exact);
    for (const ParetoPoint& point : searched->points) {
      EXPECT_EQ(point.outcome, (Outcome{0, 0, 0}));
    }
  }
}

TEST(ParetoTest, SearchApproximatesTheFrontier) {
  std::mt19937_64 rng(43);
  for (int trial = 0; trial < 4; ++trial) {
    std::vector<std::size_t> cards = {6, 5, 6, 5, 6};  // 5,400 outcomes
    model::Scenario scenario;
    scenario.issues = MakeIssues(cards);
    for (int party_idx = 0; party_idx < 2 + trial % 2; ++party_idx) {
      scenario.parties.push_back(
          Principal(Numbered("p", party_idx),
                    std::make_shared<PairwiseUtility>(rng, cards, Values::kContinuous)));
    }
    if (trial % 2 == 0) AddRandomRedLines(rng, scenario, 1, 1);
    std::vector<ParetoPoint> expected = BruteForceFrontier(scenario, {});
    ParetoOptions options;
    options.enumeration_limit = 1000;
    options.search_budget = 200'000;
    options.seed = 5 + trial;
    Result<ParetoFrontier> searched = ComputeParetoFrontier(scenario, options);
    ASSERT_TRUE(searched.ok());
    EXPECT_FALSE(searched->exact);
    EXPECT_NE(searched->note.find("seeded from an additive relaxation"), std::string::npos)
        << searched->note;
    ExpectWellFormed(scenario, *searched);
    std::size_t found = 0;
    for (const ParetoPoint& point : expected) {
      found +=
          std::any_of(searched->points.begin(), searched->points.end(),
                      [&](const ParetoPoint& other) { return other.outcome == point.outcome; });
    }
    EXPECT_GE(static_cast<double>(found), 0.8 * static_cast<double>(expected.size()))
        << found << " of " << expected.size();
    // Found points that are not exact frontier points are dominated by one: never the reverse.
    for (const ParetoPoint& point : searched->points) {
      for (const ParetoPoint& exact : expected) {
        ASSERT_FALSE(Dominates(point.utilities, exact.utilities));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scale

// 30 issues x 10 options, 2 parties: 10^30 outcomes, exact frontier by the additive merge.
TEST(ParetoTest, AdditiveMergeIsExactOnTenToTheThirtyOutcomes) {
  std::mt19937_64 rng(2718);
  std::vector<std::size_t> cards(30, 10);
  model::Scenario scenario = RandomAdditiveScenario(rng, 2, cards, Values::kContinuous);
  ASSERT_EQ(scenario.BuildOutcomeSpace().Count().ToString(), "1" + std::string(30, '0'));
  Result<ParetoFrontier> frontier = ComputeParetoFrontier(scenario);
  ASSERT_TRUE(frontier.ok()) << frontier.status().ToString();
  EXPECT_TRUE(frontier->exact);
  EXPECT_EQ(frontier->method, FrontierMethod::kAdditiveMerge);
  const std::vector<ParetoPoint>& points = frontier->points;
  ASSERT_GT(points.size(), 10u);
  // Sorted by the first utility descending, the second must strictly increase (mutually
  // non-dominated), and every point's utilities are Evaluate's.
  for (std::size_t point_idx = 0; point_idx < points.size(); ++point_idx) {
    EXPECT_EQ(points[point_idx].utilities,
              EvaluateAll(scenario, frontier->parties, points[point_idx].outcome));
    if (point_idx > 0) {
      ASSERT_GT(points[point_idx - 1].utilities[0], points[point_idx].utilities[0]);
      ASSERT_LT(points[point_idx - 1].utilities[1], points[point_idx].utilities[1]);
    }
  }
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  model::UtilityRange first =
      model::ComputeUtilityRange(*scenario.parties[0].preferences->utility, space);
  model::UtilityRange second =
      model::ComputeUtilityRange(*scenario.parties[1].preferences->utility, space);
  EXPECT_EQ(points.front().utilities[0], first.max);
  EXPECT_EQ(points.back().utilities[1], second.max);
}

// Known by reasoning: with u2 = C - u1 (opposed interests) every outcome is on the frontier. Option
// k of issue i is worth k * 4^i to one party and (3 - k) * 4^i to the other: sums are exact
// integers and distinct (base-4 digits), so all 4^8 outcomes are frontier points.
TEST(ParetoTest, OpposedInterestsPutEveryOutcomeOnTheFrontier) {
  std::size_t num_issues = 8;
  std::vector<std::size_t> cards(num_issues, 4);
  model::Scenario scenario;
  scenario.issues = MakeIssues(cards);
  std::vector<model::ValueFunction> up;
  std::vector<model::ValueFunction> down;
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    model::ValueFunction rising;
    model::ValueFunction falling;
    double unit = std::ldexp(1.0, static_cast<int>(2 * issue_idx));
    for (int option = 0; option < 4; ++option) {
      rising.table.push_back(option * unit);
      falling.table.push_back((3 - option) * unit);
    }
    up.push_back(rising);
    down.push_back(falling);
  }
  std::vector<double> weights(num_issues, 1.0);
  scenario.parties.push_back(
      Principal("up", std::make_shared<model::AdditiveUtility>(weights, up)));
  scenario.parties.push_back(
      Principal("down", std::make_shared<model::AdditiveUtility>(weights, down)));
  Result<ParetoFrontier> frontier = ComputeParetoFrontier(scenario);
  ASSERT_TRUE(frontier.ok());
  EXPECT_EQ(frontier->points.size(), 65536u);
  ExpectWellFormed(scenario, *frontier);
}

TEST(ParetoTest, InvalidPartiesAreReported) {
  std::mt19937_64 rng(47);
  model::Scenario scenario = RandomAdditiveScenario(rng, 2, {2, 3}, Values::kContinuous);
  model::Party observer;
  observer.id = "observer";
  observer.role = model::Role::kObserver;
  scenario.parties.push_back(observer);
  ParetoOptions options;
  options.parties = {0, 2};
  EXPECT_EQ(ComputeParetoFrontier(scenario, options).status().code(), ErrorCode::kInvalidInput);
  options.parties = {0, 7};
  EXPECT_EQ(ComputeParetoFrontier(scenario, options).status().code(), ErrorCode::kInvalidInput);
  options.parties = {1, 1};
  EXPECT_EQ(ComputeParetoFrontier(scenario, options).status().code(), ErrorCode::kInvalidInput);
  for (model::Party& party : scenario.parties) party.enabled = false;
  EXPECT_EQ(ComputeParetoFrontier(scenario).status().code(), ErrorCode::kInvalidInput);
  // One party: its best outcomes.
  scenario.parties[0].enabled = true;
  Result<ParetoFrontier> single = ComputeParetoFrontier(scenario);
  ASSERT_TRUE(single.ok());
  ExpectSameFrontier(single->points, BruteForceFrontier(scenario, {}), "one party");
}

TEST(ParetoTest, RedLinesForbiddingEverythingGiveAnEmptyExactFrontier) {
  std::mt19937_64 rng(53);
  model::Scenario scenario = RandomAdditiveScenario(rng, 2, {3, 3, 3}, Values::kContinuous);
  model::RedLine everything;
  everything.kind = model::RedLine::Kind::kForbid;
  everything.text = "i0 in [o0, o1, o2]";
  everything.expression = Atom(0, {true, true, true});
  scenario.parties[1].preferences->red_lines.push_back(everything);
  for (bool forced : {false, true}) {
    ParetoOptions options;
    options.force_enumeration = forced;
    Result<ParetoFrontier> frontier = ComputeParetoFrontier(scenario, options);
    ASSERT_TRUE(frontier.ok());
    EXPECT_TRUE(frontier->exact);
    EXPECT_TRUE(frontier->points.empty());
  }
}

// ---------------------------------------------------------------------------------------------
// The real corpus

std::string CorpusPath(const std::string& relative) {
  return std::string(PARLEY_SHARED_DATA_DIR) + "/" + relative;
}

// GENIUS scenarios with 2, 3 and 9 parties: the merge equals brute force and enumeration.
TEST(ParetoCorpusTest, GeniusScenariosEqualBruteForce) {
  if (!std::filesystem::exists(PARLEY_SHARED_DATA_DIR)) {
    GTEST_SKIP() << "no corpus at " << PARLEY_SHARED_DATA_DIR;
  }
  for (const char* folder : {"genius/anac/y2010/ItexvsCypress", "genius/anac/y2015/group2-dinner",
                             "genius/anac/y2015/group11-car_purchase"}) {
    Result<model::Scenario> scenario = io::LoadScenario(CorpusPath(folder));
    ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
    std::vector<ParetoPoint> expected = BruteForceFrontier(*scenario, {});
    Result<ParetoFrontier> merged = ComputeParetoFrontier(*scenario);
    ASSERT_TRUE(merged.ok());
    EXPECT_EQ(merged->method, FrontierMethod::kAdditiveMerge) << folder;
    ExpectSameFrontier(merged->points, expected, folder);
    ParetoOptions forced;
    forced.force_enumeration = true;
    Result<ParetoFrontier> enumerated = ComputeParetoFrontier(*scenario, forced);
    ASSERT_TRUE(enumerated.ok());
    ExpectSameFrontier(enumerated->points, expected, folder);
  }
}

// ANAC 2014's 10-issue non-linear domain (10^10 outcomes) ships GENIUS's own frontier as CSV
// "u1, u2" lines (float precision). The search must reach every one of those points.
TEST(ParetoCorpusTest, SearchReachesGeniusReferenceFrontier) {
  std::string folder = CorpusPath("genius/anac/y2014/10issues");
  if (!std::filesystem::exists(folder)) GTEST_SKIP() << "no corpus at " << folder;
  Result<model::Scenario> scenario = io::LoadScenario(folder);
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  std::vector<std::pair<double, double>> reference;
  std::ifstream csv(folder + "/pareto.xml");
  double first = 0;
  double second = 0;
  char comma = 0;
  while (csv >> first >> comma >> second) reference.emplace_back(first, second);
  ASSERT_GE(reference.size(), 5u);
  ParetoOptions options;
  options.search_budget = 100'000;
  Result<ParetoFrontier> searched = ComputeParetoFrontier(*scenario, options);
  ASSERT_TRUE(searched.ok());
  EXPECT_EQ(searched->method, FrontierMethod::kSearch);
  EXPECT_FALSE(searched->exact);
  ExpectWellFormed(*scenario, *searched);
  // Ties found by search are listed up to 16 outcomes per utility vector.
  std::size_t run = 0;
  for (std::size_t point_idx = 0; point_idx < searched->points.size(); ++point_idx) {
    bool tied = point_idx > 0 &&
                searched->points[point_idx].utilities == searched->points[point_idx - 1].utilities;
    run = tied ? run + 1 : 1;
    EXPECT_LE(run, 16u);
  }
  for (const std::pair<double, double>& target : reference) {
    // Plain copies: clang 14 cannot capture structured bindings.
    double u1 = target.first;
    double u2 = target.second;
    bool reached = std::any_of(
        searched->points.begin(), searched->points.end(), [&](const ParetoPoint& point) {
          return point.utilities[0] >= u1 - 1e-6 && point.utilities[1] >= u2 - 1e-6;
        });
    EXPECT_TRUE(reached) << u1 << ", " << u2;
  }
}

}  // namespace
}  // namespace parley::analysis
