#include "parley/report/analysis_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "parley/io/outcome_json.h"
#include "parley/report/suggestions_report.h"

namespace parley::report {
namespace {

using io::Json;

std::string PartyName(const model::Scenario& scenario, std::size_t party_idx) {
  const model::Party& party = scenario.parties[party_idx];
  return party.name.empty() ? party.id : party.name;
}

Json PointJson(const model::Scenario& scenario, const analysis::ParetoPoint& point) {
  return {{"outcome", io::OutcomeJson(scenario, point.outcome)}, {"utilities", point.utilities}};
}

Json SolutionJson(const model::Scenario& scenario, const analysis::SolutionPoint& solution) {
  Json out;
  out["defined"] = solution.defined;
  if (!solution.defined) {
    out["outcome"] = nullptr;
    out["utilities"] = nullptr;
    out["note"] = solution.note;
    return out;
  }
  out["outcome"] = io::OutcomeJson(scenario, solution.points.front().outcome);
  out["utilities"] = solution.points.front().utilities;
  out["objective"] = solution.objective;
  Json ties = Json::array();
  for (const auto& point : solution.points) ties.push_back(PointJson(scenario, point));
  out["ties"] = ties;
  return out;
}

Json GapsJson(const model::Scenario& scenario, const analysis::Gaps& gaps, bool ideals) {
  Json out;
  out["overall"] = gaps.overall;
  Json issues = Json::array();
  for (const auto& issue_gap : gaps.issues) {
    const model::Issue& issue = scenario.issues[issue_gap.issue_idx];
    Json entry;
    entry["issue"] = issue.id;
    entry["gap"] = issue_gap.gap;
    entry["weight"] = issue_gap.weight;
    if (ideals) {
      Json ideal = Json::object();
      for (std::size_t position = 0; position < gaps.parties.size(); ++position) {
        ideal[scenario.parties[gaps.parties[position]].id] =
            issue.OptionLabel(issue_gap.ideal_options[position]);
      }
      entry["ideal"] = ideal;
    }
    issues.push_back(entry);
  }
  out["issues"] = issues;
  return out;
}

std::string Utilities(const std::vector<double>& utilities) {
  std::string out;
  for (double utility : utilities)
    out += (out.empty() ? "" : ", ") + fmt::format("{:.3f}", utility);
  return "(" + out + ")";
}

}  // namespace

Json ZopaJson(const analysis::Zopa& zopa) {
  Json out;
  out["count"] = zopa.count.ToString();
  out["fraction"] = zopa.fraction;
  out["exact"] = zopa.exact;
  out["method"] = std::string(analysis::ZopaMethodName(zopa.method));
  if (!zopa.exact) out["fraction_interval_95"] = {zopa.fraction_low, zopa.fraction_high};
  return out;
}

Json ConstraintJson(const model::Scenario& scenario, const analysis::Constraint& constraint) {
  Json out;
  out["party"] = scenario.parties[constraint.party_idx].id;
  if (constraint.kind == analysis::Constraint::Kind::kRedLine) {
    const model::RedLine& red_line =
        scenario.parties[constraint.party_idx].preferences->red_lines[constraint.red_line_idx];
    out["kind"] = "red_line";
    out["red_line"] = constraint.red_line_idx;
    out["expression"] = red_line.text;
  } else {
    out["kind"] = "reservation";
  }
  out["description"] = constraint.description;
  return out;
}

Json AnalysisToJson(const model::Scenario& scenario, const analysis::ScenarioAnalysis& analysis,
                    const AnalysisReportOptions& options) {
  Json out;
  out["scenario"] = scenario.name;
  out["outcomes"] = scenario.BuildOutcomeSpace().Count().ToString();
  Json parties = Json::array();
  for (std::size_t party_idx : analysis.parties) parties.push_back(scenario.parties[party_idx].id);
  out["parties"] = parties;
  out["reservations"] = analysis.solutions.disagreement;

  const analysis::ParetoFrontier& frontier = analysis.pareto;
  Json pareto;
  pareto["exact"] = frontier.exact;
  pareto["size"] = frontier.points.size();
  pareto["method"] = std::string(analysis::FrontierMethodName(frontier.method));
  if (frontier.method != analysis::FrontierMethod::kAdditiveMerge) {
    pareto["outcomes_examined"] = frontier.outcomes_examined.ToString();
  }
  if (!frontier.note.empty()) pareto["note"] = frontier.note;
  pareto["acceptable_size"] = analysis.pareto_acceptable.size();
  std::size_t shown = options.max_points == 0
                          ? frontier.points.size()
                          : std::min(options.max_points, frontier.points.size());
  Json points = Json::array();
  for (std::size_t point_idx = 0; point_idx < shown; ++point_idx) {
    points.push_back(PointJson(scenario, frontier.points[point_idx]));
  }
  pareto["points"] = points;
  if (shown < frontier.points.size()) pareto["points_truncated"] = true;
  out["pareto"] = pareto;

  out["nash"] = SolutionJson(scenario, analysis.solutions.nash);
  out["kalai_smorodinsky"] = SolutionJson(scenario, analysis.solutions.kalai_smorodinsky);
  out["egalitarian"] = SolutionJson(scenario, analysis.solutions.egalitarian);
  out["utilitarian"] = SolutionJson(scenario, analysis.solutions.utilitarian);
  out["genius_kalai"] = SolutionJson(scenario, analysis.solutions.genius_kalai);
  out["zopa"] = ZopaJson(analysis.zopa);

  const analysis::ObstacleReport& obstacles = analysis.obstacles;
  Json obstacles_json;
  obstacles_json["zopa_empty"] = obstacles.zopa_empty;
  obstacles_json["summary"] = obstacles.summary;
  Json relaxations = Json::array();
  for (const auto& relaxation : obstacles.relaxations) {
    Json entry;
    Json relax = Json::array();
    for (const auto& constraint : relaxation.constraints) {
      relax.push_back(ConstraintJson(scenario, constraint));
    }
    entry["relax"] = relax;
    entry["opens"] = ZopaJson(relaxation.opened);
    entry["explanation"] = relaxation.explanation;
    relaxations.push_back(entry);
  }
  obstacles_json["relaxations"] = relaxations;
  Json conflicts = Json::array();
  for (const auto& conflict : obstacles.conflicts) {
    conflicts.push_back({{"first", ConstraintJson(scenario, conflict.first)},
                         {"second", ConstraintJson(scenario, conflict.second)},
                         {"explanation", conflict.explanation}});
  }
  obstacles_json["conflicts"] = conflicts;
  Json binding = Json::array();
  for (const auto& constraint : obstacles.binding_at_nash) {
    binding.push_back(ConstraintJson(scenario, constraint));
  }
  obstacles_json["binding_at_nash"] = binding;
  obstacles_json["search_limited"] = obstacles.search_limited;
  out["obstacles"] = obstacles_json;

  Json gaps = GapsJson(scenario, analysis.ideal_gaps, true);
  if (analysis.offer_gaps) gaps["offers"] = GapsJson(scenario, *analysis.offer_gaps, false);
  out["gaps"] = gaps;

  if (analysis.outcome_metrics) {
    const auto& metrics = *analysis.outcome_metrics;
    auto optional = [](const std::optional<double>& value) -> Json {
      return value ? Json(*value) : Json(nullptr);
    };
    out["outcome"] = {
        {"utilities", metrics.utilities},
        {"welfare", metrics.welfare},
        {"pareto_optimal", metrics.pareto_optimal},
        {"distance_to_pareto", metrics.distance_to_pareto},
        {"distance_to_nash", optional(metrics.distance_to_nash)},
        {"distance_to_kalai_smorodinsky", optional(metrics.distance_to_kalai_smorodinsky)},
        {"distance_to_egalitarian", optional(metrics.distance_to_egalitarian)},
        {"distance_to_utilitarian", optional(metrics.distance_to_utilitarian)}};
    if (analysis.outcome_evaluation) {
      Json flags = EvaluationFlagsJson(scenario, *analysis.outcome_evaluation);
      out["outcome"]["red_lines_crossed"] = flags["red_lines_crossed"];
      out["outcome"]["below_reservation"] = flags["below_reservation"];
    }
  }

  Json timings;
  timings["load"] = options.load_ms;
  for (const auto& [stage, ms] : analysis.timings_ms) timings[stage] = ms;
  out["timings_ms"] = timings;
  return out;
}

std::string RenderAnalysisText(const model::Scenario& scenario,
                               const analysis::ScenarioAnalysis& analysis) {
  std::string out;
  if (!scenario.meta.banner.empty()) out += "NOTE: " + scenario.meta.banner + "\n\n";
  std::string names;
  for (std::size_t position = 0; position < analysis.parties.size(); ++position) {
    if (position > 0) names += position + 1 == analysis.parties.size() ? " and " : ", ";
    names += PartyName(scenario, analysis.parties[position]);
  }
  out += fmt::format("{}: {} ({} outcomes)\n\n",
                     scenario.meta.title.empty() ? scenario.name : scenario.meta.title, names,
                     scenario.BuildOutcomeSpace().Count().ToDisplayString());

  // The answer first: is a deal possible?
  const analysis::Zopa& zopa = analysis.zopa;
  if (analysis.obstacles.zopa_empty) {
    out += "No deal is possible as the parties' positions stand.\n";
  } else {
    out += fmt::format(
        "A deal is possible: {} {} outcome{} ({:.3g}% of all) meet every party's "
        "red lines and reservation values.\n",
        zopa.exact ? "exactly" : "about", zopa.count.ToDisplayString(),
        zopa.count == BigCount(1) ? "" : "s", 100.0 * zopa.fraction);
  }
  out += "\nWhat blocks or shapes a deal\n";
  for (const auto& conflict : analysis.obstacles.conflicts) {
    out += "  - " + conflict.explanation + "\n";
  }
  for (const auto& relaxation : analysis.obstacles.relaxations) {
    out += "  - " + relaxation.explanation + "\n";
  }
  if (!analysis.obstacles.zopa_empty) {
    if (analysis.obstacles.binding_at_nash.empty()) {
      out += "  - No single red line shapes the Nash point.\n";
    }
    for (const auto& constraint : analysis.obstacles.binding_at_nash) {
      out += "  - Binding at the Nash point: " + constraint.description + ".\n";
    }
  }
  if (analysis.obstacles.search_limited) {
    out += "  (only relaxations of one or two constraints were searched)\n";
  }

  const analysis::ParetoFrontier& frontier = analysis.pareto;
  out += fmt::format("\nPareto frontier{}: {} outcome{} ({}, {}){}\n",
                     analysis.respect_red_lines ? " of the outcomes no red line forbids" : "",
                     frontier.points.size(), frontier.points.size() == 1 ? "" : "s",
                     frontier.exact ? "exact" : "approximate",
                     analysis::FrontierMethodName(frontier.method),
                     frontier.note.empty() ? "" : "; " + frontier.note);
  out += fmt::format("  of which every party accepts: {}\n", analysis.pareto_acceptable.size());

  out += "\nBargaining solutions (utilities in party order)\n";
  auto solution_line = [&](const char* label, const analysis::SolutionPoint& solution) {
    if (!solution.defined) {
      out += fmt::format("  {:<18} none: {}\n", label, solution.note);
      return;
    }
    out += fmt::format(
        "  {:<18} {}{}\n      {}\n", label, Utilities(solution.points.front().utilities),
        solution.points.size() > 1 ? fmt::format(" (+{} tied)", solution.points.size() - 1) : "",
        scenario.DescribeOutcomeInWords(solution.points.front().outcome));
  };
  solution_line("Nash", analysis.solutions.nash);
  solution_line("Kalai-Smorodinsky", analysis.solutions.kalai_smorodinsky);
  solution_line("egalitarian", analysis.solutions.egalitarian);
  solution_line("utilitarian", analysis.solutions.utilitarian);

  out += "\nGaps between ideal positions (0 = no gap, 1 = opposite ends)\n";
  std::size_t width = std::string_view("overall (weighted)").size();
  for (const auto& issue_gap : analysis.ideal_gaps.issues) {
    width = std::max(width, scenario.issues[issue_gap.issue_idx].DisplayName().size());
  }
  for (const auto& issue_gap : analysis.ideal_gaps.issues) {
    const model::Issue& issue = scenario.issues[issue_gap.issue_idx];
    std::string ideals;
    for (std::size_t position = 0; position < analysis.parties.size(); ++position) {
      if (!ideals.empty()) ideals += " | ";
      ideals += PartyName(scenario, analysis.parties[position]) + ": " +
                issue.OptionDisplayName(issue_gap.ideal_options[position]);
    }
    out += fmt::format("  {:<{}} {:.2f}  {}\n", issue.DisplayName(), width, issue_gap.gap, ideals);
  }
  out += fmt::format("  {:<{}} {:.2f}\n", "overall (weighted)", width, analysis.ideal_gaps.overall);
  if (analysis.offer_gaps) {
    out +=
        fmt::format("\nGap between the two offers: {:.2f} overall\n", analysis.offer_gaps->overall);
  }
  if (analysis.outcome_metrics) {
    const auto& metrics = *analysis.outcome_metrics;
    out += fmt::format(
        "\nGiven outcome: utilities {}, welfare {:.3f}, distance to frontier {:.3f}{}\n",
        Utilities(metrics.utilities), metrics.welfare, metrics.distance_to_pareto,
        metrics.distance_to_nash ? fmt::format(", to Nash {:.3f}", *metrics.distance_to_nash) : "");
    if (analysis.outcome_evaluation) {
      std::string problems = DescribeEvaluationProblems(scenario, *analysis.outcome_evaluation);
      out += problems.empty()
                 ? "  Every analysed party can accept it: no red line crossed, every reservation "
                   "value met.\n"
                 : "  It " + problems + ".\n";
    }
  }
  return out;
}

}  // namespace parley::report
