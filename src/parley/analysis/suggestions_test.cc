// Text evaluation and suggestions against brute force: every outcome of seeded random scenarios is
// evaluated here with Evaluate() and the red lines directly, and the suggestions must be exactly
// the efficient acceptable texts, ranked by the criterion.
#include "parley/analysis/suggestions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "parley/analysis/analyze.h"
#include "parley/io/command_text.h"
#include "parley/io/scenario_io.h"
#include "parley/model/utility.h"
#include "parley/testing/random_scenario.h"

namespace parley::analysis {
namespace {

constexpr double kTolerance = 1e-12;

model::Scenario Ceasefire() {
  Result<model::Scenario> scenario =
      io::LoadScenario(io::ScenarioSource{PARLEY_SOURCE_DIR "/examples/ceasefire.yaml", "", {}});
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return std::move(scenario).value();
}

model::Scenario Riverside() {
  Result<model::Scenario> scenario =
      io::LoadScenario(io::ScenarioSource{PARLEY_SOURCE_DIR "/examples/riverside.yaml", "", {}});
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return std::move(scenario).value();
}

// ---------------------------------------------------------------------------------------------
// Evaluation of a text

TEST(EvaluateTextTest, TheRelayedTextOfTheIssueCrossesHamassRedLineAndReservation) {
  // The text relayed in the run that motivated this: the pause extended while talks continue.
  model::Scenario scenario = Ceasefire();
  Result<model::Outcome> text = io::ParseOutcome(
      scenario,
      "ceasefire=pause_extended_while_talks_continue,withdrawal=to_perimeter,"
      "linkage=negotiated_during_phase_one,hostages_released=33,prisoners_released=700,"
      "humanitarian_access=increased,guarantees=multilateral_endorsement");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  const std::size_t israel = *scenario.FindParty("israel");
  const std::size_t hamas = *scenario.FindParty("hamas");
  TextEvaluation evaluation = EvaluateText(scenario, {}, *text);
  ASSERT_EQ(evaluation.parties.size(), 2u);  // the enabled principals
  EXPECT_EQ(evaluation.parties[0].party_idx, israel);
  EXPECT_EQ(evaluation.parties[1].party_idx, hamas);
  for (const PartyEvaluation& party : evaluation.parties) {
    const model::Preferences& preferences = *scenario.parties[party.party_idx].preferences;
    EXPECT_EQ(party.utility, preferences.utility->Evaluate(*text));
    EXPECT_EQ(party.reservation, 0.45);
    EXPECT_EQ(party.meets_reservation, party.utility >= 0.45);
  }
  // Hamas requires a permanent ceasefire and a full withdrawal: both crossed, in its own order.
  ASSERT_EQ(evaluation.red_lines_crossed.size(), 2u);
  EXPECT_EQ(evaluation.red_lines_crossed[0].party_idx, hamas);
  EXPECT_EQ(evaluation.red_lines_crossed[0].red_line_idx, 0u);
  EXPECT_EQ(evaluation.red_lines_crossed[0].description, "a permanent ceasefire");
  EXPECT_EQ(evaluation.red_lines_crossed[1].description, "full military withdrawal");
  EXPECT_EQ(evaluation.parties[1].red_lines_crossed, (std::vector<std::size_t>{0, 1}));
  EXPECT_TRUE(evaluation.parties[0].red_lines_crossed.empty());
  EXPECT_FALSE(evaluation.AcceptableToAll());
}

TEST(EvaluateTextTest, MatchesADirectCheckOnRandomScenarios) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    parley::testing::RandomScenarioSpec spec;
    spec.num_parties = 2 + seed % 2;
    spec.num_issues = 3;
    spec.red_lines_per_party = static_cast<int>(seed % 3);
    spec.value_grid = seed % 2 ? 4 : 0;
    model::Scenario scenario = parley::testing::MakeRandomScenario(spec, seed);
    std::vector<std::size_t> parties = scenario.PrincipalIndices();
    model::Outcome proposal(scenario.issues.size(), 0);
    Status status = scenario.BuildOutcomeSpace().ForEach(100'000, [&](const model::Outcome& text) {
      TextEvaluation evaluation = EvaluateText(scenario, parties, text, {{1, proposal}});
      std::vector<std::size_t> below;
      std::size_t crossings = 0;
      for (std::size_t party_idx : parties) {
        const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
        if (preferences.utility->Evaluate(text) < *preferences.reservation_value - kTolerance) {
          below.push_back(party_idx);
        }
        for (const model::RedLine& red_line : preferences.red_lines) {
          crossings += red_line.Allows(text) ? 0 : 1;
        }
      }
      EXPECT_EQ(evaluation.below_reservation, below);
      EXPECT_EQ(evaluation.red_lines_crossed.size(), crossings);
      EXPECT_EQ(evaluation.AcceptableToAll(), InZopa(scenario, parties, text));
      ASSERT_EQ(evaluation.gaps.size(), 1u);
      EXPECT_EQ(evaluation.gaps[0].party_idx, 1u);
      EXPECT_EQ(evaluation.gaps[0].gaps.overall,
                ComputeOfferGaps(scenario, parties, text, proposal).overall);
    });
    ASSERT_TRUE(status.ok());
  }
}

TEST(GapTablesTest, SumToTheOverallOfferGap) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    parley::testing::RandomScenarioSpec spec;
    spec.num_parties = 2 + seed % 2;
    spec.num_issues = 4;
    model::Scenario scenario = parley::testing::MakeRandomScenario(spec, seed);
    std::vector<std::size_t> parties = scenario.PrincipalIndices();
    model::Outcome reference(scenario.issues.size(), 1);
    std::vector<std::vector<double>> tables = ComputeGapTables(scenario, parties, reference);
    Status status = scenario.BuildOutcomeSpace().ForEach(100'000, [&](const model::Outcome& x) {
      double sum = 0;
      for (std::size_t issue_idx = 0; issue_idx < x.size(); ++issue_idx) {
        sum += tables[issue_idx][x[issue_idx]];
      }
      EXPECT_NEAR(sum, ComputeOfferGaps(scenario, parties, x, reference).overall, 1e-12);
    });
    ASSERT_TRUE(status.ok());
  }
}

// ---------------------------------------------------------------------------------------------
// Suggestions against brute force

struct Candidate {
  model::Outcome outcome;
  std::vector<double> objectives;  // the parties' utilities, then minus the distance to the draft
  double value = 0;
  double nash_product = 0;
};

// The ranked list ComputeSuggestions must give, computed by enumerating every outcome: acceptable
// texts no other acceptable text beats on every objective, ranked by the criterion's value.
std::vector<Candidate> BruteForceSuggestions(const model::Scenario& scenario,
                                             const std::vector<std::size_t>& parties,
                                             SuggestionCriterion criterion,
                                             const std::optional<model::Outcome>& draft) {
  std::vector<double> reservations;
  for (std::size_t party_idx : parties) {
    reservations.push_back(scenario.parties[party_idx].preferences->ReservationOrZero());
  }
  const bool by_draft = CriterionNeedsDraft(criterion);
  std::vector<std::vector<double>> gap_tables;
  if (criterion == SuggestionCriterion::kClosest) {
    gap_tables = ComputeGapTables(scenario, parties, *draft);
  }
  std::vector<Candidate> acceptable;
  Status status = scenario.BuildOutcomeSpace().ForEach(1'000'000, [&](const model::Outcome& x) {
    Candidate candidate;
    candidate.outcome = x;
    for (std::size_t position = 0; position < parties.size(); ++position) {
      const model::Preferences& preferences = *scenario.parties[parties[position]].preferences;
      double utility = preferences.utility->Evaluate(x);
      if (utility < reservations[position] - kTolerance) return;
      if (!preferences.AllowedByRedLines(x)) return;
      candidate.objectives.push_back(utility);
    }
    if (by_draft) {
      double distance = 0;
      for (std::size_t issue_idx = 0; issue_idx < x.size(); ++issue_idx) {
        distance += criterion == SuggestionCriterion::kClosest
                        ? gap_tables[issue_idx][x[issue_idx]]
                        : (x[issue_idx] != (*draft)[issue_idx] ? 1.0 : 0.0);
      }
      candidate.value = distance;
      candidate.objectives.push_back(-distance);
    }
    acceptable.push_back(std::move(candidate));
  });
  EXPECT_TRUE(status.ok());
  std::vector<Candidate> efficient;
  for (const Candidate& candidate : acceptable) {
    bool dominated = std::any_of(acceptable.begin(), acceptable.end(), [&](const Candidate& other) {
      return Dominates(other.objectives, candidate.objectives);
    });
    if (!dominated) efficient.push_back(candidate);
  }
  std::vector<double> ideal(parties.size(), -1e300);
  for (const Candidate& candidate : efficient) {
    for (std::size_t position = 0; position < parties.size(); ++position) {
      ideal[position] = std::max(ideal[position], candidate.objectives[position]);
    }
  }
  for (Candidate& candidate : efficient) {
    double product = 1;
    double smallest_gain = 1e300;
    double smallest_share = 1e300;
    for (std::size_t position = 0; position < parties.size(); ++position) {
      double gain = candidate.objectives[position] - reservations[position];
      product *= std::max(0.0, gain);
      smallest_gain = std::min(smallest_gain, gain);
      double span = ideal[position] - reservations[position];
      smallest_share = std::min(smallest_share, span > 0 ? gain / span : 1.0);
    }
    candidate.nash_product = product;
    if (criterion == SuggestionCriterion::kNash) candidate.value = product;
    if (criterion == SuggestionCriterion::kKalaiSmorodinsky) candidate.value = smallest_share;
    if (criterion == SuggestionCriterion::kEgalitarian) candidate.value = smallest_gain;
  }
  std::sort(efficient.begin(), efficient.end(), [&](const Candidate& a, const Candidate& b) {
    return by_draft ? a.value < b.value : a.value > b.value;
  });
  return efficient;
}

void ExpectSameSuggestions(const model::Scenario& scenario, SuggestionCriterion criterion,
                           const std::optional<model::Outcome>& draft, const std::string& where) {
  SCOPED_TRACE(where + " criterion " + std::string(SuggestionCriterionName(criterion)));
  const std::vector<std::size_t> parties = scenario.PrincipalIndices();
  SuggestionOptions options;
  options.criterion = criterion;
  options.draft = draft;
  options.limit = 0;
  Result<Suggestions> suggestions = ComputeSuggestions(scenario, options);
  ASSERT_TRUE(suggestions.ok()) << suggestions.status().ToString();
  ASSERT_TRUE(suggestions->exact);
  std::vector<Candidate> expected = BruteForceSuggestions(scenario, parties, criterion, draft);
  EXPECT_EQ(suggestions->zone_empty, expected.empty());
  ASSERT_EQ(suggestions->suggestions.size(), expected.size());
  EXPECT_EQ(suggestions->candidates, expected.size());
  // The same set of texts (ties in value may be listed in either order) ...
  std::vector<model::Outcome> got_outcomes;
  std::vector<model::Outcome> expected_outcomes;
  for (const Suggestion& suggestion : suggestions->suggestions) {
    got_outcomes.push_back(suggestion.outcome);
  }
  for (const Candidate& candidate : expected) expected_outcomes.push_back(candidate.outcome);
  std::sort(got_outcomes.begin(), got_outcomes.end());
  std::sort(expected_outcomes.begin(), expected_outcomes.end());
  EXPECT_EQ(got_outcomes, expected_outcomes);
  // ... in the criterion's order, best first, with the brute-force values; each suggestion's
  // utilities and changes are the text's own.
  for (std::size_t rank = 0; rank < expected.size(); ++rank) {
    const Suggestion& suggestion = suggestions->suggestions[rank];
    EXPECT_NEAR(suggestion.value, expected[rank].value, 1e-9) << "rank " << rank;
    for (std::size_t position = 0; position < parties.size(); ++position) {
      EXPECT_EQ(
          suggestion.utilities[position],
          scenario.parties[parties[position]].preferences->utility->Evaluate(suggestion.outcome));
    }
    std::size_t changed = 0;
    for (std::size_t issue_idx = 0; draft && issue_idx < draft->size(); ++issue_idx) {
      changed += suggestion.outcome[issue_idx] != (*draft)[issue_idx];
    }
    EXPECT_EQ(suggestion.changes.size(), changed);
    for (const Change& change : suggestion.changes) {
      EXPECT_EQ(change.from, (*draft)[change.issue_idx]);
      EXPECT_EQ(change.to, suggestion.outcome[change.issue_idx]);
    }
  }
  // With a limit (which bounds the search for the draft-based criteria), the first ones.
  for (std::size_t limit : {1, 3}) {
    options.limit = limit;
    Result<Suggestions> first = ComputeSuggestions(scenario, options);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ASSERT_EQ(first->suggestions.size(), std::min(limit, expected.size()));
    for (std::size_t rank = 0; rank < first->suggestions.size(); ++rank) {
      EXPECT_NEAR(first->suggestions[rank].value, expected[rank].value, 1e-9)
          << "limit " << limit << " rank " << rank;
    }
  }
}

TEST(SuggestionsTest, AreTheEfficientAcceptableTextsRankedByEachCriterion) {
  for (std::uint64_t seed = 1; seed <= 36; ++seed) {
    parley::testing::RandomScenarioSpec spec;
    spec.num_parties = 2 + seed % 2;
    spec.num_issues = 3 + seed % 2;
    spec.max_options = 4;
    spec.value_grid = seed % 3 == 0 ? 4 : 0;  // coarse grids: ties and texts at reservations
    spec.red_lines_per_party = static_cast<int>(seed % 3);
    spec.reservation_max = 0.5;
    model::Scenario scenario = parley::testing::MakeRandomScenario(spec, seed);
    model::Outcome draft(scenario.issues.size(), 0);
    const std::string where = "seed " + std::to_string(seed);
    ExpectSameSuggestions(scenario, SuggestionCriterion::kNash, std::nullopt, where);
    ExpectSameSuggestions(scenario, SuggestionCriterion::kKalaiSmorodinsky, draft, where);
    ExpectSameSuggestions(scenario, SuggestionCriterion::kEgalitarian, std::nullopt, where);
    ExpectSameSuggestions(scenario, SuggestionCriterion::kClosest, draft, where);
    ExpectSameSuggestions(scenario, SuggestionCriterion::kFewestChanges, draft, where);
  }
}

TEST(SuggestionsTest, TheFirstSuggestionIsTheBestAcceptableTextOfAll) {
  // Not only the best efficient text: no acceptable text at all does better on the criterion.
  for (std::uint64_t seed = 100; seed <= 130; ++seed) {
    parley::testing::RandomScenarioSpec spec;
    spec.num_parties = 2;
    spec.num_issues = 4;
    spec.red_lines_per_party = 1;
    spec.reservation_max = 0.4;
    model::Scenario scenario = parley::testing::MakeRandomScenario(spec, seed);
    model::Outcome draft(scenario.issues.size(), 1);
    SuggestionOptions options;
    options.draft = draft;
    for (SuggestionCriterion criterion :
         {SuggestionCriterion::kNash, SuggestionCriterion::kFewestChanges}) {
      options.criterion = criterion;
      Result<Suggestions> suggestions = ComputeSuggestions(scenario, options);
      ASSERT_TRUE(suggestions.ok());
      if (suggestions->zone_empty) continue;
      double best = criterion == SuggestionCriterion::kNash ? 0 : 1e300;
      Status status = scenario.BuildOutcomeSpace().ForEach(1'000'000, [&](const model::Outcome& x) {
        if (!InZopa(scenario, {0, 1}, x)) return;
        if (criterion == SuggestionCriterion::kNash) {
          double product = 1;
          for (std::size_t party_idx : {0, 1}) {
            const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
            product *=
                std::max(0.0, preferences.utility->Evaluate(x) - *preferences.reservation_value);
          }
          best = std::max(best, product);
        } else {
          double changes = 0;
          for (std::size_t issue_idx = 0; issue_idx < x.size(); ++issue_idx) {
            changes += x[issue_idx] != draft[issue_idx];
          }
          best = std::min(best, changes);
        }
      });
      ASSERT_TRUE(status.ok());
      EXPECT_NEAR(suggestions->suggestions.front().value, best, 1e-12) << "seed " << seed;
      EXPECT_LE(suggestions->suggestions.size(), 5u);  // the default limit
    }
  }
}

TEST(SuggestionsTest, NoZoneGivesTheObstaclesRelaxationsAndThePhasedDeferrals) {
  model::Scenario scenario = Ceasefire();
  Result<Suggestions> suggestions = ComputeSuggestions(scenario);
  ASSERT_TRUE(suggestions.ok()) << suggestions.status().ToString();
  EXPECT_TRUE(suggestions->zone_empty);
  EXPECT_TRUE(suggestions->suggestions.empty());
  Result<ObstacleReport> obstacles = AnalyzeObstacles(scenario, scenario.PrincipalIndices());
  ASSERT_TRUE(obstacles.ok());
  ASSERT_EQ(suggestions->relaxations.size(), obstacles->relaxations.size());
  ASSERT_FALSE(suggestions->relaxations.empty());
  for (std::size_t idx = 0; idx < obstacles->relaxations.size(); ++idx) {
    EXPECT_EQ(suggestions->relaxations[idx].explanation, obstacles->relaxations[idx].explanation);
  }
  EXPECT_EQ(suggestions->conflicts.size(), obstacles->conflicts.size());
  // The initial exchange can be agreed while the end state is left to phase two.
  ASSERT_TRUE(suggestions->deferrals.phased);
  ASSERT_FALSE(suggestions->deferrals.deferrals.empty());
  const Deferral& deferral = suggestions->deferrals.deferrals.front();
  EXPECT_EQ(deferral.phase_idx, 0u);
  EXPECT_TRUE(deferral.deferred.empty());
  EXPECT_GT(deferral.opened.count, BigCount(0));
  EXPECT_NE(deferral.explanation.find("Agree Initial exchange now"), std::string::npos)
      << deferral.explanation;
}

TEST(SuggestionsTest, RankedOnARealScenarioWithADraft) {
  model::Scenario scenario = Riverside();
  std::vector<std::size_t> parties = scenario.PrincipalIndices();
  model::Outcome draft(scenario.issues.size(), 0);
  SuggestionOptions options;
  options.draft = draft;
  options.criterion = SuggestionCriterion::kFewestChanges;
  Result<Suggestions> suggestions = ComputeSuggestions(scenario, options);
  ASSERT_TRUE(suggestions.ok()) << suggestions.status().ToString();
  ASSERT_FALSE(suggestions->zone_empty);
  ASSERT_TRUE(suggestions->draft.has_value());
  for (std::size_t rank = 0; rank < suggestions->suggestions.size(); ++rank) {
    const Suggestion& suggestion = suggestions->suggestions[rank];
    EXPECT_TRUE(InZopa(scenario, parties, suggestion.outcome));
    EXPECT_EQ(suggestion.value, static_cast<double>(suggestion.changes.size()));
    if (rank > 0) {
      EXPECT_GE(suggestion.value, suggestions->suggestions[rank - 1].value);
    }
  }
}

TEST(SuggestionsTest, StayBoundedOnAHugeSpace) {
  // 10^20 outcomes: nothing is enumerated; the exact additive frontier (bounded by the distance to
  // the draft for the draft-based criteria) keeps every criterion fast (bench/ measures 10^30).
  parley::testing::RandomScenarioSpec spec;
  spec.num_parties = 2;
  spec.num_issues = 20;
  spec.min_options = 10;
  spec.max_options = 10;
  spec.reservation_max = 0.3;
  model::Scenario scenario = parley::testing::MakeRandomScenario(spec, 7);
  // The draft: every issue at the first party's worst option, so it needs changes.
  model::Outcome draft;
  const auto& first =
      dynamic_cast<const model::AdditiveUtility&>(*scenario.parties[0].preferences->utility);
  for (const model::ValueFunction& values : first.values()) {
    draft.push_back(static_cast<model::OptionIndex>(
        std::min_element(values.table.begin(), values.table.end()) - values.table.begin()));
  }
  ASSERT_FALSE(InZopa(scenario, {0, 1}, draft)) << "the draft must need changes";
  for (SuggestionCriterion criterion :
       {SuggestionCriterion::kNash, SuggestionCriterion::kKalaiSmorodinsky,
        SuggestionCriterion::kEgalitarian, SuggestionCriterion::kClosest,
        SuggestionCriterion::kFewestChanges}) {
    SuggestionOptions options;
    options.criterion = criterion;
    options.draft = draft;
    options.pareto.enumeration_limit = 0;
    Result<Suggestions> suggestions = ComputeSuggestions(scenario, options);
    ASSERT_TRUE(suggestions.ok()) << suggestions.status().ToString();
    EXPECT_TRUE(suggestions->exact) << suggestions->note;
    EXPECT_LT(suggestions->candidates, 10'000u) << SuggestionCriterionName(criterion);
    ASSERT_EQ(suggestions->suggestions.size(), 5u);
    for (const Suggestion& suggestion : suggestions->suggestions) {
      EXPECT_TRUE(InZopa(scenario, {0, 1}, suggestion.outcome));
    }
    if (CriterionNeedsDraft(criterion)) {
      EXPECT_GT(suggestions->suggestions.front().value, 0.0);
      EXPECT_FALSE(suggestions->suggestions.front().changes.empty());
    }
  }
}

TEST(SuggestionsTest, RejectsWhatCannotBeSuggested) {
  model::Scenario scenario = Riverside();
  SuggestionOptions options;
  options.criterion = SuggestionCriterion::kClosest;
  Result<Suggestions> no_draft = ComputeSuggestions(scenario, options);
  EXPECT_EQ(no_draft.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(no_draft.status().message().find("draft"), std::string::npos);
  options.criterion = SuggestionCriterion::kNash;
  options.parties = {scenario.PrincipalIndices()[0]};
  Result<Suggestions> one = ComputeSuggestions(scenario, options);
  EXPECT_EQ(one.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(one.status().message().find("at least two"), std::string::npos);
  EXPECT_EQ(ParseSuggestionCriterion("kalai_smorodinsky"), SuggestionCriterion::kKalaiSmorodinsky);
  EXPECT_FALSE(ParseSuggestionCriterion("kalai"));
}

}  // namespace
}  // namespace parley::analysis
