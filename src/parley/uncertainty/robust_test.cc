// Uncertain parameters, the exact zone per sample and the robust analysis, checked against brute
// force on seeded random scenarios written as parley YAML (so the reader's ranges are exercised).
#include "parley/uncertainty/robust.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "parley/io/scenario_io.h"

namespace parley::uncertainty {
namespace {

using ::testing::HasSubstr;

struct RandomSpec {
  std::size_t parties = 2;
  std::size_t issues = 3;
  std::size_t max_options = 4;
  int red_lines = 1;         // per party
  bool ranges = true;        // ranges on some weights, values and reservations
  double reservation = 0.5;  // reservations drawn from [0, this]
};

std::string Number(double value) {
  std::ostringstream out;
  out.precision(6);
  out << value;
  return out.str();
}

// A random parley YAML scenario: issues i0.., options o0.., parties p0.. with additive utilities,
// random red lines (some not certainly firm) and ranges on some numbers.
std::string RandomYaml(const RandomSpec& spec, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<std::size_t> options(spec.issues);
  std::ostringstream out;
  out << "issues:\n";
  for (std::size_t issue = 0; issue < spec.issues; ++issue) {
    options[issue] = 2 + rng() % (spec.max_options - 1);
    out << "  - id: i" << issue << "\n    options: [";
    for (std::size_t option = 0; option < options[issue]; ++option) {
      out << (option ? ", " : "") << "o" << option;
    }
    out << "]\n";
  }
  out << "parties:\n";
  for (std::size_t party = 0; party < spec.parties; ++party) {
    out << "  - id: p" << party << "\n    preferences:\n      weights: {";
    for (std::size_t issue = 0; issue < spec.issues; ++issue) {
      double weight = 0.1 + unit(rng);
      out << (issue ? ", " : "") << "i" << issue << ": ";
      if (spec.ranges && rng() % 2) {
        out << "{value: " << Number(weight) << ", range: [" << Number(weight * 0.5) << ", "
            << Number(weight * 1.5) << "]}";
      } else {
        out << Number(weight);
      }
    }
    out << "}\n      values:\n";
    for (std::size_t issue = 0; issue < spec.issues; ++issue) {
      out << "        i" << issue << ": {";
      for (std::size_t option = 0; option < options[issue]; ++option) {
        double value = std::round(unit(rng) * 8) / 8;
        out << (option ? ", " : "") << "o" << option << ": ";
        if (spec.ranges && rng() % 3 == 0) {
          out << "{value: " << Number(value) << ", range: [" << Number(std::max(0.0, value - 0.3))
              << ", " << Number(std::min(1.0, value + 0.3)) << "]"
              << (rng() % 2 ? ", distribution: triangular" : "") << "}";
        } else {
          out << Number(value);
        }
      }
      out << "}\n";
    }
    double reservation = unit(rng) * spec.reservation;
    out << "      reservation: ";
    if (spec.ranges && rng() % 2) {
      out << "{value: " << Number(reservation) << ", range: [" << Number(reservation * 0.5) << ", "
          << Number(std::min(1.0, reservation * 1.5)) << "]}\n";
    } else {
      out << Number(reservation) << "\n";
    }
    if (spec.red_lines > 0) out << "      red_lines:\n";
    for (int line = 0; line < spec.red_lines; ++line) {
      std::size_t a = rng() % spec.issues;
      std::size_t b = rng() % spec.issues;
      out << "        - forbid: \"i" << a << " == o" << rng() % options[a] << " and i" << b
          << " != o" << rng() % options[b] << "\"\n";
      if (rng() % 2) out << "          holds: " << Number(std::round(unit(rng) * 10) / 10) << "\n";
    }
  }
  return out.str();
}

model::Scenario MustRead(const std::string& yaml) {
  Result<model::Scenario> scenario = io::ReadParleyYaml(yaml, "random.yaml");
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString() << "\n" << yaml;
  return scenario.ok() ? std::move(scenario).value() : model::Scenario{};
}

std::vector<std::size_t> AllParties(const model::Scenario& scenario) {
  std::vector<std::size_t> parties(scenario.parties.size());
  for (std::size_t idx = 0; idx < parties.size(); ++idx) parties[idx] = idx;
  return parties;
}

// Brute force, written independently of the solver: every outcome, its utility summed from the
// sampled tables, every firm red line evaluated on it.
struct BruteForce {
  bool exists = false;
  double best_surplus = -1e300;
};
BruteForce Solve(const ParameterSet& set, const SampledUtilities& utilities) {
  const model::Scenario& scenario = set.scenario();
  BruteForce out;
  Status status = scenario.BuildOutcomeSpace().ForEach(1'000'000, [&](const model::Outcome& o) {
    double surplus = 1e300;
    for (std::size_t position = 0; position < set.parties().size(); ++position) {
      const model::Preferences& preferences =
          *scenario.parties[set.parties()[position]].preferences;
      const PartyUtilities& party = utilities.parties[position];
      for (std::size_t line = 0; line < preferences.red_lines.size(); ++line) {
        if ((party.firm_red_lines >> line & 1) && !preferences.red_lines[line].Allows(o)) return;
      }
      double utility = party.offset;
      for (std::size_t issue = 0; issue < o.size(); ++issue) {
        utility += party.contribution[set.offsets()[issue] + o[issue]];
      }
      surplus = std::min(surplus, utility - party.reservation);
    }
    if (surplus < -1e-12) return;
    out.exists = true;
    out.best_surplus = std::max(out.best_surplus, surplus);
  });
  EXPECT_TRUE(status.ok());
  return out;
}

TEST(ZoneSolverTest, MatchesBruteForceOnEverySample) {
  int with_zone = 0;
  int without = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RandomSpec spec;
    spec.parties = 2 + seed % 2;
    spec.issues = 2 + seed % 4;
    spec.red_lines = static_cast<int>(seed % 3);
    model::Scenario scenario = MustRead(RandomYaml(spec, seed));
    Result<ParameterSet> set = ParameterSet::Build(scenario, AllParties(scenario), 0.1);
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    Result<ZoneSolver> solver = ZoneSolver::Build(*set);
    ASSERT_TRUE(solver.ok()) << solver.status().ToString();
    std::vector<std::vector<double>> samples = DrawPriorSamples(*set, 25, seed, 1);
    ZoneWorkspace workspace;
    SampledUtilities utilities;
    for (const std::vector<double>& sample : samples) {
      set->Materialize(sample, utilities);
      ZoneSolver::Answer answer = solver->Solve(utilities, workspace);
      BruteForce expected = Solve(*set, utilities);
      ASSERT_EQ(answer.exists, expected.exists) << "seed " << seed;
      (answer.exists ? with_zone : without)++;
      if (!answer.exists) continue;
      EXPECT_NEAR(answer.best_surplus, expected.best_surplus, 1e-9) << "seed " << seed;
      // The outcome given achieves that surplus and is accepted.
      EXPECT_TRUE(solver->Accepts(utilities, answer.best));
      double surplus = 1e300;
      for (std::size_t position = 0; position < utilities.parties.size(); ++position) {
        surplus = std::min(surplus, set->Utility(utilities.parties[position], answer.best) -
                                        utilities.parties[position].reservation);
      }
      EXPECT_NEAR(surplus, expected.best_surplus, 1e-9);
    }
  }
  // Both answers occur, so the comparison means something.
  EXPECT_GT(with_zone, 100);
  EXPECT_GT(without, 30);
}

TEST(ParameterSetTest, NominalSampleGivesTheFileUtilities) {
  RandomSpec spec;
  spec.issues = 4;
  model::Scenario scenario = MustRead(RandomYaml(spec, 7));
  Result<ParameterSet> set = ParameterSet::Build(scenario, AllParties(scenario), 0);
  ASSERT_TRUE(set.ok());
  SampledUtilities utilities;
  set->Materialize(set->Nominal(), utilities);
  Status status = scenario.BuildOutcomeSpace().ForEach(1'000'000, [&](const model::Outcome& o) {
    for (std::size_t party = 0; party < scenario.parties.size(); ++party) {
      EXPECT_NEAR(set->Utility(utilities.parties[party], o),
                  scenario.parties[party].preferences->utility->Evaluate(o), 1e-12);
      EXPECT_EQ(utilities.parties[party].reservation,
                *scenario.parties[party].preferences->reservation_value);
    }
  });
  EXPECT_TRUE(status.ok());
}

TEST(ParameterSetTest, SpreadFollowsTheStatedRule) {
  RandomSpec spec;
  spec.ranges = false;
  spec.red_lines = 0;
  model::Scenario scenario = MustRead(RandomYaml(spec, 11));
  const double spread = 0.15;
  Result<ParameterSet> set = ParameterSet::Build(scenario, AllParties(scenario), spread);
  ASSERT_TRUE(set.ok());
  std::size_t weights = 0, values = 0, reservations = 0;
  for (const Parameter& parameter : set->parameters()) {
    EXPECT_TRUE(parameter.from_spread);
    const double v = parameter.nominal;
    switch (parameter.kind) {
      case ParameterKind::kWeight:
        ++weights;
        EXPECT_DOUBLE_EQ(parameter.range.low, std::max(0.0, v - spread)) << parameter.name;
        EXPECT_DOUBLE_EQ(parameter.range.high, v + spread) << parameter.name;
        break;
      case ParameterKind::kValue:
      case ParameterKind::kReservation:
        (parameter.kind == ParameterKind::kValue ? values : reservations)++;
        EXPECT_DOUBLE_EQ(parameter.range.low, std::max(0.0, v - spread)) << parameter.name;
        EXPECT_DOUBLE_EQ(parameter.range.high, std::min(1.0, v + spread)) << parameter.name;
        break;
      default:
        ADD_FAILURE() << "unexpected parameter " << parameter.name;
    }
  }
  EXPECT_EQ(weights, 2 * scenario.issues.size());
  EXPECT_EQ(reservations, 2u);
  EXPECT_GT(values, 2 * scenario.issues.size());
  EXPECT_EQ(set->parameters().front().name, "p0.weights.i0");
  // Sampled weights are rescaled to their original sum (1 here).
  SampledUtilities utilities;
  for (const std::vector<double>& sample : DrawPriorSamples(*set, 50, 3, 1)) {
    set->Materialize(sample, utilities);
    for (std::size_t party = 0; party < 2; ++party) {
      double sum = 0;
      for (std::size_t idx = 0; idx < set->parameters().size(); ++idx) {
        const Parameter& parameter = set->parameters()[idx];
        if (parameter.kind == ParameterKind::kWeight && parameter.party == party) {
          sum += utilities.reported[idx];
        }
      }
      EXPECT_NEAR(sum, 1.0, 1e-12);
    }
  }
}

TEST(ParameterSetTest, RangedWeightsAreDividedLikeTheFile) {
  model::Scenario scenario = MustRead(R"(issues:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
parties:
  - id: p
    preferences:
      weights: {a: {value: 3, range: [1, 5]}, b: 1}
      values: {a: {x: 1, y: 0}, b: {x: 0, y: 1}}
  - id: q
    preferences:
      weights: {a: 1, b: 1}
      values: {a: {x: 0, y: 1}, b: {x: 1, y: 0}}
)");
  Result<ParameterSet> set = ParameterSet::Build(scenario, AllParties(scenario), 0);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->parameters().size(), 1u);
  EXPECT_EQ(set->parameters()[0].name, "p.weights.a");
  SampledUtilities utilities;
  set->Materialize({5}, utilities);  // weights 5 and 1, divided by 6
  EXPECT_NEAR(utilities.reported[0], 5.0 / 6, 1e-12);
  EXPECT_NEAR(set->Utility(utilities.parties[0], {0, 0}), 5.0 / 6, 1e-12);
  EXPECT_NEAR(set->Utility(utilities.parties[0], {1, 1}), 1.0 / 6, 1e-12);
}

TEST(RobustAnalysisTest, ProbabilityAndPackagesMatchBruteForce) {
  for (std::uint64_t seed = 3; seed <= 8; ++seed) {
    RandomSpec spec;
    spec.issues = 3;
    model::Scenario scenario = MustRead(RandomYaml(spec, seed));
    RobustOptions options;
    options.samples = 300;
    options.seed = seed;
    Result<RobustAnalysis> analysis =
        AnalyzeUncertainty(scenario, AllParties(scenario), 0.05, options);
    ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
    EXPECT_EQ(analysis->packages_method, "enumeration");
    // Recount independently.
    Result<ParameterSet> set = ParameterSet::Build(scenario, AllParties(scenario), 0.05);
    ASSERT_TRUE(set.ok());
    std::vector<std::vector<double>> samples = DrawPriorSamples(*set, 300, seed, 1);
    std::map<model::Outcome, int> accepted;
    int with_zone = 0;
    SampledUtilities utilities;
    for (const std::vector<double>& sample : samples) {
      set->Materialize(sample, utilities);
      bool any = false;
      Status status = scenario.BuildOutcomeSpace().ForEach(1'000'000, [&](const model::Outcome& o) {
        for (std::size_t position = 0; position < 2; ++position) {
          const PartyUtilities& party = utilities.parties[position];
          const auto& red_lines = scenario.parties[position].preferences->red_lines;
          for (std::size_t line = 0; line < red_lines.size(); ++line) {
            if ((party.firm_red_lines >> line & 1) && !red_lines[line].Allows(o)) return;
          }
          if (set->Utility(party, o) < party.reservation - 1e-12) return;
        }
        any = true;
        ++accepted[o];
      });
      ASSERT_TRUE(status.ok());
      with_zone += any;
    }
    EXPECT_DOUBLE_EQ(analysis->zopa_probability.estimate, with_zone / 300.0) << "seed " << seed;
    EXPECT_LE(analysis->zopa_probability.low, analysis->zopa_probability.estimate);
    EXPECT_GE(analysis->zopa_probability.high, analysis->zopa_probability.estimate);
    int most = 0;
    for (const auto& [outcome, count] : accepted) most = std::max(most, count);
    if (most == 0) {
      EXPECT_TRUE(analysis->packages.empty());
      continue;
    }
    ASSERT_FALSE(analysis->packages.empty());
    EXPECT_DOUBLE_EQ(analysis->packages[0].probability.estimate, most / 300.0);
    for (const RobustPackage& package : analysis->packages) {
      EXPECT_DOUBLE_EQ(package.probability.estimate, accepted[package.outcome] / 300.0);
    }
  }
}

TEST(RobustAnalysisTest, SearchedPackagesHaveExactSharesAndComeCloseToTheBest) {
  for (std::uint64_t seed = 30; seed <= 37; ++seed) {
    RandomSpec spec;
    spec.issues = 4;
    spec.max_options = 5;
    spec.reservation = 0.4;
    model::Scenario scenario = MustRead(RandomYaml(spec, seed));
    RobustOptions options;
    options.samples = 400;
    options.seed = seed;
    options.max_packages = 1000;  // every outcome with a positive share
    Result<RobustAnalysis> exact = AnalyzeUncertainty(scenario, AllParties(scenario), 0.1, options);
    options.max_enumerated_pairs = 0;
    Result<RobustAnalysis> searched =
        AnalyzeUncertainty(scenario, AllParties(scenario), 0.1, options);
    ASSERT_TRUE(exact.ok() && searched.ok());
    EXPECT_EQ(searched->packages_method, "search");
    std::map<model::Outcome, double> shares;
    for (const RobustPackage& package : exact->packages) {
      shares[package.outcome] = package.probability.estimate;
    }
    if (exact->packages.empty()) continue;
    ASSERT_FALSE(searched->packages.empty()) << "seed " << seed;
    for (const RobustPackage& package : searched->packages) {
      EXPECT_DOUBLE_EQ(package.probability.estimate, shares[package.outcome]) << "seed " << seed;
    }
    // Hill climbing from each sample's most robust outcome finds the best or comes close.
    EXPECT_GE(searched->packages[0].probability.estimate,
              0.9 * exact->packages[0].probability.estimate)
        << "seed " << seed;
  }
}

TEST(RobustAnalysisTest, SameSeedSameAnswerOnAnyNumberOfThreads) {
  RandomSpec spec;
  spec.issues = 5;
  spec.max_options = 5;
  spec.reservation = 0.9;
  model::Scenario scenario = MustRead(RandomYaml(spec, 21));
  RobustOptions options;
  options.samples = 700;
  options.seed = 5;
  options.threads = 1;
  Result<RobustAnalysis> one = AnalyzeUncertainty(scenario, AllParties(scenario), 0.1, options);
  options.threads = 3;
  Result<RobustAnalysis> three = AnalyzeUncertainty(scenario, AllParties(scenario), 0.1, options);
  ASSERT_TRUE(one.ok() && three.ok());
  EXPECT_GT(one->zopa_probability.estimate, 0.05);  // both verdicts occur
  EXPECT_LT(one->zopa_probability.estimate, 0.95);
  EXPECT_EQ(one->zone_exists, three->zone_exists);
  ASSERT_EQ(one->packages.size(), three->packages.size());
  for (std::size_t idx = 0; idx < one->packages.size(); ++idx) {
    EXPECT_EQ(one->packages[idx].outcome, three->packages[idx].outcome);
  }
  ASSERT_EQ(one->sensitivity.size(), three->sensitivity.size());
  for (std::size_t idx = 0; idx < one->sensitivity.size(); ++idx) {
    EXPECT_EQ(one->sensitivity[idx].name, three->sensitivity[idx].name);
    EXPECT_EQ(one->sensitivity[idx].effect.estimate, three->sensitivity[idx].effect.estimate);
  }
  options.seed = 6;
  Result<RobustAnalysis> other = AnalyzeUncertainty(scenario, AllParties(scenario), 0.1, options);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(one->zone_exists, other->zone_exists);
}

TEST(RobustAnalysisTest, SensitivityFindsTheRedLineTheVerdictHangsOn) {
  model::Scenario scenario = MustRead(R"(issues:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y, z]}
parties:
  - id: p
    name: P
    preferences:
      weights: {a: 1, b: 1}
      values: {a: {x: 1, y: 0}, b: {x: 1, y: 0.5, z: 0}}
      reservation: {value: 0.3, range: [0.2, 0.4]}
      red_lines:
        - {id: never_y, forbid: a == y, holds: 0.5, description: "never y"}
  - id: q
    name: Q
    preferences:
      weights: {a: 1, b: 1}
      values: {a: {x: 0, y: 1}, b: {x: 0, y: 0.5, z: 1}}
      reservation: 0.3
      red_lines:
        - {require: a == y}
)");
  RobustOptions options;
  options.samples = 2000;
  Result<RobustAnalysis> analysis = AnalyzeUncertainty(scenario, AllParties(scenario), 0, options);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  // A zone exists exactly when P's red line is not firm (a == y, b == y gives both 0.5 >= 0.4).
  EXPECT_NEAR(analysis->zopa_probability.estimate, 0.5, 0.05);
  ASSERT_FALSE(analysis->sensitivity.empty());
  const Sensitivity& top = analysis->sensitivity.front();
  EXPECT_EQ(top.name, "p.red_lines.never_y");
  EXPECT_EQ(top.low.estimate, 0.0);
  EXPECT_EQ(top.high.estimate, 1.0);
  EXPECT_GT(top.effect.low, 0.9);
  EXPECT_THAT(analysis->depends_on, HasSubstr("P's red line 'never y'"));
  EXPECT_THAT(analysis->summary, HasSubstr("A deal is possible in"));
  EXPECT_TRUE(analysis->warnings.empty());
}

TEST(RobustAnalysisTest, SaysWhenTooFewSamples) {
  RandomSpec spec;
  model::Scenario scenario = MustRead(RandomYaml(spec, 4));
  RobustOptions options;
  options.samples = 40;
  Result<RobustAnalysis> analysis =
      AnalyzeUncertainty(scenario, AllParties(scenario), 0.1, options);
  ASSERT_TRUE(analysis.ok());
  ASSERT_FALSE(analysis->warnings.empty());
  EXPECT_THAT(analysis->warnings[0], HasSubstr("40 samples are too few for a 95% interval"));
  options.confidence = 0.5;  // 19 * 0.674^2 = 8.6 samples suffice for a 50% interval
  analysis = AnalyzeUncertainty(scenario, AllParties(scenario), 0.1, options);
  ASSERT_TRUE(analysis.ok());
  EXPECT_TRUE(analysis->warnings.empty());
}

TEST(RobustAnalysisTest, RejectsNonAdditiveUtilitiesAndBadOptions) {
  RandomSpec spec;
  model::Scenario scenario = MustRead(RandomYaml(spec, 4));
  RobustOptions options;
  options.samples = 0;
  EXPECT_EQ(AnalyzeUncertainty(scenario, AllParties(scenario), 0.1, options).status().code(),
            ErrorCode::kInvalidInput);
  options.samples = 10;
  EXPECT_EQ(AnalyzeUncertainty(scenario, AllParties(scenario), -1, options).status().code(),
            ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace parley::uncertainty
