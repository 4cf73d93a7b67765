#include "parley/report/session_text.h"

#include <fmt/format.h>

#include <algorithm>

#include "parley/analysis/evaluation.h"
#include "parley/report/suggestions_report.h"

namespace parley::report {
namespace {

std::string Fixed(double value) { return fmt::format("{:.4f}", value); }

// How the session ended: the agreement with its outcome (and a warning when it crosses a
// principal's limits), or why there was none.
std::string RenderEnding(const model::Scenario& scenario, const session::Trace& trace) {
  const session::SessionResult& result = trace.result;
  std::string out;
  if (result.agreement) {
    out += fmt::format("Agreement in round {} of {} ({} messages).\n", result.rounds, trace.rounds,
                       session::MessageCount(trace));
    out += "Outcome:\n";
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const model::Issue& issue = scenario.issues[issue_idx];
      out += "  " + issue.DisplayName() + ": " +
             issue.OptionDisplayName((*result.outcome)[issue_idx]) + "\n";
    }
    // An agreement a principal could not rationally accept is said at once.
    const std::string problems = report::DescribeEvaluationProblems(
        scenario, analysis::EvaluateText(scenario, scenario.PrincipalIndices(), *result.outcome));
    if (!problems.empty()) out += "WARNING: the agreement " + problems + ".\n";
  } else {
    out +=
        fmt::format("No agreement: {} (after {} of {} rounds, {} messages).\n", result.end_reason,
                    result.rounds, trace.rounds, session::MessageCount(trace));
  }
  return out;
}

// Each scored party's utility, the welfare and the distances to the frontier and fair points.
std::string RenderUtilities(const model::Scenario& scenario, const session::SessionResult& result,
                            const session::ScenarioReference& reference) {
  std::string out;
  out += result.agreement ? "Utilities (discounted, undiscounted):\n"
                          : "Utilities (reservation values):\n";
  std::size_t width = 0;
  for (std::size_t party_idx : result.scored_parties) {
    width = std::max(width, scenario.parties[party_idx].id.size());
  }
  for (std::size_t position = 0; position < result.scored_parties.size(); ++position) {
    const model::Party& party = scenario.parties[result.scored_parties[position]];
    out += fmt::format("  {:<{}}  {}", party.id, width, Fixed(result.utilities[position]));
    if (result.agreement) out += "  " + Fixed(result.raw_utilities[position]);
    if (party.role != model::Role::kPrincipal)
      out += "  (" + std::string(model::RoleName(party.role)) + ")";
    out += "\n";
  }
  out += "Welfare (sum over principals): " + Fixed(result.welfare) + "\n";
  if (result.distance_to_pareto) {
    auto shown = [](const std::optional<double>& value) {
      return value ? Fixed(*value) : std::string("undefined");
    };
    out += fmt::format(
        "Distance to the Pareto frontier{} {}, to Nash {}, to Kalai-Smorodinsky {}{}\n",
        reference.red_lines_ignored ? " with red lines ignored (red lines leave no outcome every "
                                      "principal's red lines allow)"
                                    : "",
        Fixed(*result.distance_to_pareto), shown(result.distance_to_nash),
        shown(result.distance_to_kalai_smorodinsky),
        result.agreement ? "" : " (from the disagreement point)");
  } else {
    out += "Distances not computed: " + reference.note + "\n";
  }
  return out;
}

// The gap per issue between the principals' latest offers, first and last round.
std::string RenderGaps(const model::Scenario& scenario, const session::SessionResult& result) {
  std::string out;
  if (!result.gaps.empty()) {
    const session::GapSample& first = result.gaps.front();
    const session::GapSample& last = result.gaps.back();
    std::size_t issue_width = 7;
    for (const model::Issue& issue : scenario.issues) {
      issue_width = std::max(issue_width, issue.DisplayName().size());
    }
    out += fmt::format("Gap between the principals' latest offers (round {} -> round {}):\n",
                       first.round + 1, last.round + 1);
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      out += fmt::format("  {:<{}}  {:.2f} -> {:.2f}\n", scenario.issues[issue_idx].DisplayName(),
                         issue_width, first.issue_gaps[issue_idx], last.issue_gaps[issue_idx]);
    }
    out += fmt::format("  {:<{}}  {:.2f} -> {:.2f}\n", "overall", issue_width, first.overall,
                       last.overall);
  }
  if (result.gaps.empty()) {
    out +=
        "Gaps: no round had offers from two principals (under this protocol they may only "
        "vote or respond)\n";
  }
  return out;
}

}  // namespace

std::string SessionSummaryText(const model::Scenario& scenario, const session::Trace& trace,
                               const session::ScenarioReference& reference) {
  const session::SessionResult& result = trace.result;
  std::string out;
  if (!scenario.meta.banner.empty()) out += "NOTE: " + scenario.meta.banner + "\n\n";
  out += fmt::format("{}: {}, deadline {} rounds, seed {}\n", scenario.name, trace.protocol,
                     trace.rounds, trace.seed);
  for (const auto& [party_idx, spec] : trace.strategies) {
    const model::Party& party = scenario.parties[party_idx];
    std::string label = party.name != party.id ? party.id + " (" + party.name + ")" : party.id;
    out += fmt::format("  {} [{}]: {}\n", label, model::RoleName(party.role), spec);
  }
  out += "\n";
  out += RenderEnding(scenario, trace);
  out += RenderUtilities(scenario, result, reference);
  out += RenderGaps(scenario, result);
  if (!result.illegal_actions.empty()) {
    const session::IllegalAction& illegal = result.illegal_actions.front();
    out += fmt::format("Illegal actions: {} (first in round {}, by {}: {})\n",
                       result.illegal_actions.size(), illegal.round + 1,
                       scenario.parties[illegal.party].id, illegal.reason);
  }
  return out;
}

}  // namespace parley::report
