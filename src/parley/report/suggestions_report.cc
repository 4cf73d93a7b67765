#include "parley/report/suggestions_report.h"

#include <fmt/format.h>

#include "parley/io/outcome_json.h"
#include "parley/report/analysis_report.h"
#include "parley/report/charts.h"

namespace parley::report {
namespace {

using io::Json;

std::string Possessive(const std::string& name) { return name + "'s"; }

std::string JoinWords(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t position = 0; position < items.size(); ++position) {
    if (position > 0) out += position + 1 == items.size() ? " and " : ", ";
    out += items[position];
  }
  return out;
}

Json IssueIds(const model::Scenario& scenario, const std::vector<std::size_t>& issues) {
  Json out = Json::array();
  for (std::size_t issue_idx : issues) out.push_back(scenario.issues[issue_idx].id);
  return out;
}

Json OptionValue(const model::Scenario& scenario, std::size_t issue_idx,
                 model::OptionIndex option) {
  model::Outcome probe(scenario.issues.size(), 0);
  probe[issue_idx] = option;
  return io::OutcomeJson(scenario, probe)[scenario.issues[issue_idx].id];
}

Json UtilitiesJson(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                   const std::vector<double>& utilities) {
  Json out = Json::object();
  for (std::size_t position = 0; position < parties.size(); ++position) {
    out[scenario.parties[parties[position]].id] = utilities[position];
  }
  return out;
}

std::string Utilities(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                      const std::vector<double>& utilities) {
  std::vector<std::string> parts;
  for (std::size_t position = 0; position < parties.size(); ++position) {
    parts.push_back(
        fmt::format("{} {:.3f}", PartyLabel(scenario, parties[position]), utilities[position]));
  }
  return JoinWords(parts);
}

std::string OutcomeLines(const model::Scenario& scenario, const model::Outcome& outcome,
                         const std::string& indent) {
  std::string out;
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    const model::Issue& issue = scenario.issues[issue_idx];
    out += indent + issue.DisplayName() + ": " + issue.OptionDisplayName(outcome[issue_idx]) + "\n";
  }
  return out;
}

std::string CriterionValue(analysis::SuggestionCriterion criterion, double value) {
  switch (criterion) {
    case analysis::SuggestionCriterion::kNash:
      return fmt::format("Nash product {:.4g}", value);
    case analysis::SuggestionCriterion::kKalaiSmorodinsky:
      return fmt::format("smallest share of the possible gain {:.3f}", value);
    case analysis::SuggestionCriterion::kEgalitarian:
      return fmt::format("smallest gain {:.3f}", value);
    case analysis::SuggestionCriterion::kClosest:
      return fmt::format("gap to the draft {:.3f}", value);
    case analysis::SuggestionCriterion::kFewestChanges: {
      const int changes = static_cast<int>(value + 0.5);
      return fmt::format("{} change{} from the draft", changes, changes == 1 ? "" : "s");
    }
  }
  return "";
}

}  // namespace

Json EvaluationFlagsJson(const model::Scenario& scenario,
                         const analysis::TextEvaluation& evaluation) {
  Json crossed = Json::array();
  for (const analysis::RedLineCrossing& crossing : evaluation.red_lines_crossed) {
    const model::RedLine& red_line =
        scenario.parties[crossing.party_idx].preferences->red_lines[crossing.red_line_idx];
    crossed.push_back({{"party", scenario.parties[crossing.party_idx].id},
                       {"red_line", crossing.red_line_idx},
                       {"expression", red_line.text},
                       {"description", crossing.description}});
  }
  Json below = Json::array();
  for (std::size_t party_idx : evaluation.below_reservation) {
    below.push_back(scenario.parties[party_idx].id);
  }
  return {{"red_lines_crossed", crossed}, {"below_reservation", below}};
}

Json TextEvaluationJson(const model::Scenario& scenario,
                        const analysis::TextEvaluation& evaluation) {
  Json out;
  Json parties = Json::array();
  for (const analysis::PartyEvaluation& party : evaluation.parties) {
    parties.push_back({{"party", scenario.parties[party.party_idx].id},
                       {"name", PartyLabel(scenario, party.party_idx)},
                       {"utility", party.utility},
                       {"reservation", party.reservation},
                       {"meets_reservation", party.meets_reservation},
                       {"red_lines_crossed", party.red_lines_crossed}});
  }
  out["parties"] = parties;
  Json flags = EvaluationFlagsJson(scenario, evaluation);
  out["red_lines_crossed"] = flags["red_lines_crossed"];
  out["below_reservation"] = flags["below_reservation"];
  out["acceptable_to_all"] = evaluation.AcceptableToAll();
  Json gaps = Json::array();
  for (const analysis::ProposalGap& gap : evaluation.gaps) {
    Json issues = Json::array();
    for (const analysis::IssueGap& issue_gap : gap.gaps.issues) {
      issues.push_back({{"issue", scenario.issues[issue_gap.issue_idx].id},
                        {"gap", issue_gap.gap},
                        {"weight", issue_gap.weight}});
    }
    gaps.push_back({{"party", scenario.parties[gap.party_idx].id},
                    {"overall", gap.gaps.overall},
                    {"issues", issues}});
  }
  out["gaps"] = gaps;
  return out;
}

std::string DescribeEvaluationProblems(const model::Scenario& scenario,
                                       const analysis::TextEvaluation& evaluation) {
  std::vector<std::string> problems;
  for (const analysis::RedLineCrossing& crossing : evaluation.red_lines_crossed) {
    problems.push_back("crosses " + Possessive(PartyLabel(scenario, crossing.party_idx)) +
                       " red line '" + crossing.description + "'");
  }
  for (const analysis::PartyEvaluation& party : evaluation.parties) {
    if (party.meets_reservation) continue;
    problems.push_back(fmt::format("leaves {} below its reservation value ({:.3f} < {:.3f})",
                                   PartyLabel(scenario, party.party_idx), party.utility,
                                   party.reservation));
  }
  std::string out;
  for (std::size_t position = 0; position < problems.size(); ++position) {
    out += (position > 0 ? "; " : "") + problems[position];
  }
  return out;
}

Json SuggestionsToJson(const model::Scenario& scenario, const analysis::Suggestions& suggestions) {
  Json out;
  Json parties = Json::array();
  for (std::size_t party_idx : suggestions.parties)
    parties.push_back(scenario.parties[party_idx].id);
  out["parties"] = parties;
  const bool by_draft = analysis::CriterionNeedsDraft(suggestions.criterion);
  out["criterion"] = {
      {"name", std::string(analysis::SuggestionCriterionName(suggestions.criterion))},
      {"label", std::string(analysis::SuggestionCriterionLabel(suggestions.criterion))},
      {"order", by_draft ? "lower_first" : "higher_first"}};
  out["reservations"] = UtilitiesJson(scenario, suggestions.parties, suggestions.reservations);
  if (suggestions.draft) {
    out["draft"] = TextEvaluationJson(scenario, *suggestions.draft);
  } else {
    out["draft"] = nullptr;
  }
  out["zone_empty"] = suggestions.zone_empty;
  out["exact"] = suggestions.exact;
  if (!suggestions.note.empty()) out["note"] = suggestions.note;
  out["candidates"] = suggestions.candidates;
  Json list = Json::array();
  for (const analysis::Suggestion& suggestion : suggestions.suggestions) {
    Json entry;
    entry["outcome"] = io::OutcomeJson(scenario, suggestion.outcome);
    entry["in_words"] = scenario.DescribeOutcomeInWords(suggestion.outcome);
    entry["utilities"] = UtilitiesJson(scenario, suggestions.parties, suggestion.utilities);
    entry["criterion"] = {
        {"name", std::string(analysis::SuggestionCriterionName(suggestions.criterion))},
        {"value", suggestion.value}};
    entry["nash_product"] = suggestion.nash_product;
    if (suggestions.draft) {
      Json changes = Json::array();
      for (const analysis::Change& change : suggestion.changes) {
        const model::Issue& issue = scenario.issues[change.issue_idx];
        changes.push_back({{"issue", issue.id},
                           {"issue_name", issue.DisplayName()},
                           {"from", OptionValue(scenario, change.issue_idx, change.from)},
                           {"from_name", issue.OptionDisplayName(change.from)},
                           {"to", OptionValue(scenario, change.issue_idx, change.to)},
                           {"to_name", issue.OptionDisplayName(change.to)}});
      }
      entry["changes"] = changes;
    } else {
      entry["changes"] = nullptr;
    }
    list.push_back(std::move(entry));
  }
  out["suggestions"] = list;

  Json relaxations = Json::array();
  for (const analysis::Relaxation& relaxation : suggestions.relaxations) {
    Json relax = Json::array();
    for (const analysis::Constraint& constraint : relaxation.constraints) {
      relax.push_back(ConstraintJson(scenario, constraint));
    }
    relaxations.push_back({{"relax", relax},
                           {"opens", ZopaJson(relaxation.opened)},
                           {"explanation", relaxation.explanation}});
  }
  out["relaxations"] = relaxations;
  Json conflicts = Json::array();
  for (const analysis::RedLineConflict& conflict : suggestions.conflicts) {
    conflicts.push_back({{"first", ConstraintJson(scenario, conflict.first)},
                         {"second", ConstraintJson(scenario, conflict.second)},
                         {"explanation", conflict.explanation}});
  }
  out["conflicts"] = conflicts;
  out["relaxations_search_limited"] = suggestions.relaxations_search_limited;
  Json deferrals = Json::array();
  for (const analysis::Deferral& deferral : suggestions.deferrals.deferrals) {
    const bool named = deferral.phase_idx < scenario.phases.size();
    deferrals.push_back({{"phase", named ? Json(scenario.phases[deferral.phase_idx].id) : Json()},
                         {"settle", IssueIds(scenario, deferral.settled)},
                         {"defer", IssueIds(scenario, deferral.deferred)},
                         {"open", IssueIds(scenario, deferral.open)},
                         {"opens", ZopaJson(deferral.opened)},
                         {"explanation", deferral.explanation}});
  }
  out["deferrals"] = deferrals;
  out["deferrals_search_limited"] = suggestions.deferrals.search_limited;
  if (!suggestions.deferrals.note.empty()) out["deferrals_note"] = suggestions.deferrals.note;
  return out;
}

std::string RenderSuggestionsText(const model::Scenario& scenario,
                                  const analysis::Suggestions& suggestions) {
  std::string out;
  if (!scenario.meta.banner.empty()) out += "NOTE: " + scenario.meta.banner + "\n\n";
  std::vector<std::string> names;
  for (std::size_t party_idx : suggestions.parties)
    names.push_back(PartyLabel(scenario, party_idx));
  out += "Texts " + JoinWords(names) + " would all accept, ranked by " +
         std::string(analysis::SuggestionCriterionLabel(suggestions.criterion)) + "\n";
  if (!suggestions.exact) out += "(APPROXIMATE: " + suggestions.note + ")\n";

  if (suggestions.draft) {
    out += "\nThe current draft\n";
    for (const analysis::PartyEvaluation& party : suggestions.draft->parties) {
      out += fmt::format("  {}: {:.3f} ({} its reservation value {:.3f})\n",
                         PartyLabel(scenario, party.party_idx), party.utility,
                         party.meets_reservation ? "meets" : "BELOW", party.reservation);
    }
    for (const analysis::RedLineCrossing& crossing : suggestions.draft->red_lines_crossed) {
      out += "  crosses " + Possessive(PartyLabel(scenario, crossing.party_idx)) + " red line '" +
             crossing.description + "'\n";
    }
  }

  if (!suggestions.zone_empty) {
    for (std::size_t rank = 0; rank < suggestions.suggestions.size(); ++rank) {
      const analysis::Suggestion& suggestion = suggestions.suggestions[rank];
      out += fmt::format("\n{}. {}; {}\n", rank + 1,
                         CriterionValue(suggestions.criterion, suggestion.value),
                         Utilities(scenario, suggestions.parties, suggestion.utilities));
      if (!suggestions.draft) {
        out += OutcomeLines(scenario, suggestion.outcome, "   ");
      } else if (suggestion.changes.empty()) {
        out += "   the draft itself\n";
      } else {
        out += "   changes from the draft:\n";
        for (const analysis::Change& change : suggestion.changes) {
          const model::Issue& issue = scenario.issues[change.issue_idx];
          out += "     " + issue.DisplayName() + ": " + issue.OptionDisplayName(change.from) +
                 " -> " + issue.OptionDisplayName(change.to) + "\n";
        }
      }
    }
    out += fmt::format("\nShowing {} of {} ranked text{}{}.\n", suggestions.suggestions.size(),
                       suggestions.candidates, suggestions.candidates == 1 ? "" : "s",
                       analysis::CriterionNeedsDraft(suggestions.criterion)
                           ? " (efficient texts every party accepts, the nearest the draft)"
                           : " (efficient texts every party accepts)");
    return out;
  }

  out +=
      "\nNo text meets every party's reservation value and red lines: there is nothing to "
      "suggest as the positions stand.\n";
  if (!suggestions.conflicts.empty()) {
    out += "\nRed lines that exclude each other\n";
    for (const analysis::RedLineConflict& conflict : suggestions.conflicts) {
      out += "  - " + conflict.explanation + "\n";
    }
  }
  out += "\nThe smallest relaxations that would open a zone\n";
  if (suggestions.relaxations.empty()) {
    out += suggestions.relaxations_search_limited
               ? "  - none of one or two constraints\n"
               : "  - none: even relaxing every constraint opens nothing\n";
  }
  for (const analysis::Relaxation& relaxation : suggestions.relaxations) {
    out += "  - " + relaxation.explanation + "\n";
  }
  if (suggestions.deferrals.phased) {
    out += "\nWhat to agree now and settle later (phases)\n";
    if (!suggestions.deferrals.note.empty()) {
      out += "  - not computed: " + suggestions.deferrals.note + "\n";
    } else if (suggestions.deferrals.deferrals.empty()) {
      out += "  - deferring issues to a later phase opens no zone for an earlier one\n";
    }
    for (const analysis::Deferral& deferral : suggestions.deferrals.deferrals) {
      out += "  - " + deferral.explanation + "\n";
    }
  }
  return out;
}

}  // namespace parley::report
