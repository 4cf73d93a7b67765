// How text evaluations and suggestions are presented: JSON for programs (the shape of `parley
// suggest --json`, documented in docs/cli.md, and of the live server's suggestions) and plain
// words for people, with issues and options named as the scenario words them.
#pragma once

#include <string>

#include "parley/analysis/evaluation.h"
#include "parley/analysis/suggestions.h"
#include "parley/io/json.h"
#include "parley/model/scenario.h"

namespace parley::report {

// {parties: [{party, name, utility, reservation, meets_reservation, red_lines_crossed: [index]}],
//  red_lines_crossed: [{party, red_line, expression, description}], below_reservation: [party],
//  acceptable_to_all, gaps: [{party, overall, issues: [{issue, gap, weight}]}]}.
io::Json TextEvaluationJson(const model::Scenario& scenario,
                            const analysis::TextEvaluation& evaluation);
// Only the two summary lists: {red_lines_crossed: [...], below_reservation: [...]}.
io::Json EvaluationFlagsJson(const model::Scenario& scenario,
                             const analysis::TextEvaluation& evaluation);

// "crosses Hamas's red line 'a permanent ceasefire'; leaves Hamas below its reservation value
// (0.411 < 0.450)"; empty when every evaluated party accepts the text.
std::string DescribeEvaluationProblems(const model::Scenario& scenario,
                                       const analysis::TextEvaluation& evaluation);

// {parties, criterion: {name, label, order}, reservations, draft, zone_empty, exact, note,
//  candidates, suggestions: [{outcome, in_words, utilities, criterion: {name, value},
//  nash_product, changes}], relaxations, conflicts, relaxations_search_limited, deferrals,
//  deferrals_note}; docs/cli.md describes each field.
io::Json SuggestionsToJson(const model::Scenario& scenario,
                           const analysis::Suggestions& suggestions);

std::string RenderSuggestionsText(const model::Scenario& scenario,
                                  const analysis::Suggestions& suggestions);

}  // namespace parley::report
