#include "parley/report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "parley/analysis/evaluation.h"
#include "parley/report/charts.h"
#include "parley/report/html_page.h"
#include "parley/report/suggestions_report.h"

namespace parley::report {
namespace {

using html::Fixed;
using html::Text;

std::string Code(std::string_view text) { return "<code>" + Text(text) + "</code>"; }

// An option in words; numeric options carry their unit.
std::string OptionWords(const model::Issue& issue, model::OptionIndex option) {
  return Text(issue.OptionDisplayName(option));
}

// A party's name after a swatch of its chart colour.
std::string ColoredParty(const model::Scenario& scenario, std::size_t party_idx) {
  return "<span class=\"party\"><span class=\"swatch\" style=\"background:" +
         PartyColor(party_idx) + "\"></span>" + Text(PartyLabel(scenario, party_idx)) + "</span>";
}

std::string Title(const model::Scenario& scenario) {
  return scenario.meta.title.empty() ? scenario.name : scenario.meta.title;
}

std::string Names(const model::Scenario& scenario, const std::vector<std::size_t>& parties) {
  std::string out;
  for (std::size_t position = 0; position < parties.size(); ++position) {
    if (position > 0) out += position + 1 == parties.size() ? " and " : ", ";
    out += PartyLabel(scenario, parties[position]);
  }
  return out;
}

std::string Percent(double fraction) {
  double percent = 100 * fraction;
  return fmt::format("{:.{}f}%", percent, percent < 0.1 ? 3 : percent < 10 ? 2 : 1);
}

// The page's header: kind, title, one line of facts, the banner and the description.
std::string Header(const model::Scenario& scenario, std::string_view kind) {
  std::string out = "<header>\n<p class=\"kind\">parley &#183; " + Text(kind) + "</p>\n";
  out += "<h1>" + Text(Title(scenario)) + "</h1>\n";
  std::vector<std::string> facts = {"scenario " + Code(scenario.name)};
  if (!scenario.meta.as_of.empty()) facts.push_back("as of " + Text(scenario.meta.as_of));
  facts.push_back(std::to_string(scenario.issues.size()) + " issues");
  facts.push_back(Text(DescribeCount(scenario.BuildOutcomeSpace().Count())) + " outcomes");
  std::string parties;
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    const model::Party& party = scenario.parties[party_idx];
    if (!parties.empty()) parties += ", ";
    parties += ColoredParty(scenario, party_idx) + " <span class=\"muted\">(" +
               Text(model::RoleName(party.role)) + (party.enabled ? "" : ", disabled") + ")</span>";
  }
  facts.push_back("parties: " + parties);
  std::string line;
  for (const std::string& fact : facts) line += (line.empty() ? "" : " &#183; ") + fact;
  out += "<p class=\"subtitle\">" + line + "</p>\n</header>\n";
  if (!scenario.meta.banner.empty()) {
    out += "<div class=\"banner\" role=\"note\"><strong>Read this first.</strong> " +
           Text(scenario.meta.banner) + "</div>\n";
  }
  if (!scenario.meta.description.empty()) {
    out += "<p>" + Text(scenario.meta.description) + "</p>\n";
  }
  return out;
}

std::string Footer(const HtmlReportOptions& options) { return html::Footer(options.source_files); }

const analysis::BargainingSolutions* SolutionsShown(const UtilitySpace& space,
                                                    bool* ignoring_red_lines) {
  const analysis::BargainingSolutions& solutions = space.analysis.solutions;
  *ignoring_red_lines = false;
  if (solutions.nash.defined || solutions.kalai_smorodinsky.defined ||
      solutions.utilitarian.defined || !space.solutions_ignoring_red_lines) {
    return &solutions;
  }
  *ignoring_red_lines = true;
  return &*space.solutions_ignoring_red_lines;
}

// Whether a deal is possible, and the few facts that say why.
std::string AtAGlance(const model::Scenario& scenario, const UtilitySpace& space) {
  const analysis::ScenarioAnalysis& analysis = space.analysis;
  const std::string names = Names(scenario, {space.parties[0], space.parties[1]});
  std::string out = "<section id=\"at-a-glance\">\n<h2>Is a deal possible?</h2>\n";
  if (analysis.obstacles.zopa_empty) {
    out += "<p class=\"verdict no\">No deal is possible between " + Text(names) +
           " as their positions stand.</p>\n";
  } else {
    const analysis::Zopa& zopa = analysis.zopa;
    out +=
        "<p class=\"verdict yes\">A deal is possible: " + std::string(zopa.exact ? "" : "about ") +
        Text(DescribeCount(zopa.count)) + " outcomes (" + Percent(zopa.fraction) +
        " of all) meet the red lines and reservation " + "values of " + Text(names) + ".</p>\n";
  }
  out += "<ul class=\"findings\">\n";
  for (const analysis::RedLineConflict& conflict : analysis.obstacles.conflicts) {
    out += "<li>" + Text(conflict.explanation) + "</li>\n";
  }
  for (const analysis::Relaxation& relaxation : analysis.obstacles.relaxations) {
    out += "<li>" + Text(relaxation.explanation) + "</li>\n";
  }
  for (const analysis::Constraint& constraint : analysis.obstacles.binding_at_nash) {
    out += "<li>Binding at the Nash point: " + Text(constraint.description) + ".</li>\n";
  }
  bool ignoring = false;
  const analysis::BargainingSolutions* solutions = SolutionsShown(space, &ignoring);
  if (solutions->nash.defined) {
    const analysis::ParetoPoint& nash = solutions->nash.points.front();
    out += "<li>" + std::string(ignoring ? "If red lines were ignored, the" : "The") +
           " Nash bargaining point would give " + Text(PartyLabel(scenario, space.parties[0])) +
           " " + Fixed(nash.utilities[0], 2) + " and " +
           Text(PartyLabel(scenario, space.parties[1])) + " " + Fixed(nash.utilities[1], 2) + ": " +
           Text(scenario.DescribeOutcomeInWords(nash.outcome)) + ".</li>\n";
  } else {
    out += "<li>No Nash bargaining point: " + Text(solutions->nash.note) + ".</li>\n";
  }
  const analysis::Gaps& gaps = analysis.ideal_gaps;
  std::vector<analysis::IssueGap> widest = gaps.issues;
  std::stable_sort(widest.begin(), widest.end(),
                   [](const auto& a, const auto& b) { return a.gap > b.gap; });
  if (widest.size() > 3) widest.resize(3);
  std::string issues;
  for (const analysis::IssueGap& issue_gap : widest) {
    if (!issues.empty()) issues += ", ";
    issues +=
        scenario.issues[issue_gap.issue_idx].DisplayName() + " (" + Fixed(issue_gap.gap, 2) + ")";
  }
  out += "<li>Their ideal positions are " + Fixed(gaps.overall, 2) +
         " apart overall (0 = the same, 1 = opposite ends); furthest apart on " + Text(issues) +
         ".</li>\n";
  std::vector<std::size_t> others;
  for (std::size_t party_idx : scenario.PartiesWithPreferences()) {
    if (party_idx != space.parties[0] && party_idx != space.parties[1]) others.push_back(party_idx);
  }
  if (!others.empty()) {
    out += "<li>The pictures show " + Text(names) + "; " + Text(Names(scenario, others)) +
           " also " + (others.size() == 1 ? "has" : "have") +
           " preferences (choose the pair with <code>--parties A,B</code>).</li>\n";
  }
  out += "</ul>\n</section>\n";
  return out;
}

std::string UtilitySpaceFigure(const model::Scenario& scenario, const UtilitySpace& space,
                               const session::Trace* trace) {
  std::string caption =
      "Each outcome is placed by what it is worth to the two parties. " +
      std::string(space.cloud.dots
                      ? "Dark dots are outcomes no red line of theirs forbids, light dots "
                        "outcomes a red line forbids. "
                      : "Dark cells hold outcomes no red line of theirs forbids, light cells "
                        "outcomes a red line forbids; the darker a cell, the more outcomes. ") +
      "Shown: " + DescribeCloud(space.cloud) +
      ". The black line is the Pareto frontier (no outcome is better for one party without being "
      "worse for the other); dashed lines are the reservation values and the yellow area the "
      "zone where both parties do at least as well as without agreement. Diamond: Nash point; "
      "triangle: Kalai-Smorodinsky; square: utilitarian (largest sum).";
  if (space.frontier_ignoring_red_lines) {
    caption +=
        " The grey dashed line is the frontier the parties could reach if red lines were "
        "ignored; points marked * lie on it.";
  }
  if (trace != nullptr) {
    caption +=
        " Coloured paths are each party's offers in order, from the hollow circle (first) to "
        "the filled one (last); dashed paths are mediators' texts.";
    if (trace->result.agreement) caption += " The star marks the agreement.";
  }
  return "<section id=\"utility-space\">\n<h2>Utility space</h2>\n" +
         html::Figure(UtilitySpaceSvg(scenario, space, trace, "utility-space-chart"), caption) +
         "</section>\n";
}

// The fair points issue by issue, with the utilities they give.
std::string FairPointsTable(const model::Scenario& scenario, const UtilitySpace& space,
                            const analysis::BargainingSolutions& solutions) {
  struct Column {
    std::string name;
    const analysis::SolutionPoint* point;
  };
  std::vector<Column> columns;
  for (const Column& column :
       {Column{"Nash", &solutions.nash}, Column{"Kalai-Smorodinsky", &solutions.kalai_smorodinsky},
        Column{"egalitarian", &solutions.egalitarian},
        Column{"utilitarian", &solutions.utilitarian}}) {
    if (column.point->defined) columns.push_back(column);
  }
  if (columns.empty()) return "";
  std::vector<std::string> header = {"issue"};
  for (const Column& column : columns) header.push_back(Text(column.name));
  std::vector<std::vector<std::string>> rows;
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    const model::Issue& issue = scenario.issues[issue_idx];
    std::vector<std::string> row = {Text(issue.DisplayName())};
    for (const Column& column : columns) {
      row.push_back(OptionWords(issue, column.point->points.front().outcome[issue_idx]));
    }
    rows.push_back(std::move(row));
  }
  std::string out = html::Table(header, rows);
  std::vector<std::vector<std::string>> utility_rows;
  for (std::size_t position = 0; position < 2; ++position) {
    std::vector<std::string> row = {"utility of " +
                                    Text(PartyLabel(scenario, space.parties[position]))};
    for (const Column& column : columns) {
      row.push_back(Fixed(column.point->points.front().utilities[position]));
    }
    utility_rows.push_back(std::move(row));
  }
  std::vector<std::size_t> numeric(columns.size());
  std::iota(numeric.begin(), numeric.end(), 1);
  out += html::Table(header, utility_rows, numeric);
  return out;
}

std::string FairPointsSection(const model::Scenario& scenario, const UtilitySpace& space) {
  std::string out = "<section id=\"fair-points\">\n<h2>Fair points, issue by issue</h2>\n";
  const analysis::BargainingSolutions& solutions = space.analysis.solutions;
  std::string table = FairPointsTable(scenario, space, solutions);
  if (!table.empty()) {
    out +=
        "<p>The points on the Pareto frontier that bargaining theory calls fair, each computed "
        "over outcomes both parties accept (red lines and reservation values respected).</p>\n" +
        table;
  } else {
    out += "<p>No fair point exists while red lines and reservation values are respected: " +
           Text(solutions.nash.note) + ".</p>\n";
    if (space.solutions_ignoring_red_lines) {
      std::string ignoring = FairPointsTable(scenario, space, *space.solutions_ignoring_red_lines);
      if (!ignoring.empty()) {
        out +=
            "<h3>If red lines were ignored</h3>\n<p>Where the same points would lie if the "
            "parties' red lines were set aside (reservation values still respected): a starting "
            "point for asking which red line could move.</p>\n" +
            ignoring;
      }
    }
  }
  out += "</section>\n";
  return out;
}

std::string IdealGapsSection(const model::Scenario& scenario, const UtilitySpace& space) {
  const analysis::Gaps& gaps = space.analysis.ideal_gaps;
  std::vector<std::string> header = {"issue", "gap", "weight",
                                     "ideal for " + Text(PartyLabel(scenario, space.parties[0])),
                                     "ideal for " + Text(PartyLabel(scenario, space.parties[1]))};
  std::vector<std::vector<std::string>> rows;
  for (const analysis::IssueGap& issue_gap : gaps.issues) {
    const model::Issue& issue = scenario.issues[issue_gap.issue_idx];
    std::string bar = "<span class=\"bar\" style=\"width:" +
                      svg::Number(std::clamp(issue_gap.gap, 0.0, 1.0) * 80) + "px\"></span>" +
                      Fixed(issue_gap.gap, 2);
    std::vector<std::string> row = {Text(issue.DisplayName()), bar, Fixed(issue_gap.weight, 2)};
    for (model::OptionIndex option : issue_gap.ideal_options)
      row.push_back(OptionWords(issue, option));
    rows.push_back(std::move(row));
  }
  rows.push_back(
      {"overall (weighted)",
       "<span class=\"bar\" style=\"width:" + svg::Number(std::clamp(gaps.overall, 0.0, 1.0) * 80) +
           "px\"></span>" + Fixed(gaps.overall, 2),
       "", "", ""});
  return "<section id=\"ideal-gaps\">\n<h2>How far apart are the ideal positions?</h2>\n"
         "<p>For each issue, how far apart the two parties' best options are, in their own terms "
         "(0 = they want the same option, 1 = each one's best is the other's worst).</p>\n" +
         html::Table(header, rows, {2}) + "</section>\n";
}

std::string RedLinesCell(const model::Scenario& scenario, const model::Party& party) {
  if (!party.preferences || party.preferences->red_lines.empty()) return "none";
  std::string out = "<ul>";
  for (std::size_t line_idx = 0; line_idx < party.preferences->red_lines.size(); ++line_idx) {
    const model::RedLine& red_line = party.preferences->red_lines[line_idx];
    std::string verb = red_line.kind == model::RedLine::Kind::kForbid ? "forbids" : "requires";
    out += "<li>" + Text(red_line.description.empty() ? red_line.text : red_line.description) +
           " <span class=\"muted\">(" + verb + " " + Code(red_line.text) + ")</span>";
    if (const model::Provenance* provenance = html::FindProvenance(
            scenario, "parties." + party.id + ".red_lines[" + std::to_string(line_idx) + "]")) {
      out += " " + html::SourceTag(provenance->source);
    }
    out += "</li>";
  }
  return out + "</ul>";
}

// Each party's role, reservation value, discount and red lines.
std::string PartiesTable(const model::Scenario& scenario) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    const model::Party& party = scenario.parties[party_idx];
    std::string name = ColoredParty(scenario, party_idx);
    if (party.name != party.id && !party.name.empty()) {
      name += " <span class=\"muted\">" + Code(party.id) + "</span>";
    }
    std::string role = Text(model::RoleName(party.role)) + (party.enabled ? "" : " (disabled)");
    std::string reservation = "&#8212;";
    std::string discount = "&#8212;";
    if (party.preferences) {
      reservation = party.preferences->reservation_value
                        ? Fixed(*party.preferences->reservation_value, 2)
                        : "none stated (0)";
      if (const model::Provenance* provenance =
              html::FindProvenance(scenario, "parties." + party.id + ".preferences.reservation")) {
        reservation += " " + html::SourceTag(provenance->source);
      }
      discount = party.preferences->discount == 1 ? "none" : Fixed(party.preferences->discount, 2);
    }
    rows.push_back({name, role, reservation, discount, RedLinesCell(scenario, party)});
  }
  return html::Table({"party", "role", "reservation value", "discount", "red lines"}, rows);
}

// An issue's options: a numeric range, or each option in words (with its label when it differs).
std::string IssueOptionsCell(const model::Issue& issue) {
  std::string options;
  if (issue.IsNumeric()) {
    options = Text(issue.OptionLabel(0)) + " to " +
              Text(issue.OptionLabel(issue.NumOptions() - 1)) +
              (issue.unit.empty() ? "" : " " + Text(issue.unit)) + " (" +
              std::to_string(issue.NumOptions()) + " values)";
  } else {
    // In words, with the label files and --outcome use when it differs.
    for (std::size_t option_idx = 0; option_idx < issue.options.size(); ++option_idx) {
      std::string words = issue.OptionDisplayName(option_idx);
      options += (option_idx > 0 ? "<br/>" : "") + Text(words);
      if (words != issue.options[option_idx]) {
        options += " <span class=\"muted\">" + Code(issue.options[option_idx]) + "</span>";
      }
    }
    if (issue.ordered) options += " <span class=\"muted\">(ordered)</span>";
  }
  return options;
}

// Each issue's options, phase and source.
std::string IssuesTable(const model::Scenario& scenario) {
  std::vector<std::vector<std::string>> issue_rows;
  for (const model::Issue& issue : scenario.issues) {
    std::string options = IssueOptionsCell(issue);
    std::string phase = "&#8212;";
    if (std::optional<std::size_t> phase_idx = scenario.FindPhase(issue.phase)) {
      const model::Phase& found = scenario.phases[*phase_idx];
      phase = Text(found.label.empty() ? found.id : found.label);
    }
    std::string source;
    if (const model::Provenance* provenance =
            html::FindProvenance(scenario, "issues." + issue.id)) {
      source = html::SourceTag(provenance->source);
    }
    std::string name = Text(issue.DisplayName());
    if (issue.DisplayName() != issue.id) {
      name += " <span class=\"muted\">" + Code(issue.id) + "</span>";
    }
    issue_rows.push_back({name, options, phase, source});
  }
  return html::Table({"issue", "options", "phase", "source"}, issue_rows);
}

std::string PartiesAndIssuesSection(const model::Scenario& scenario) {
  return "<section id=\"parties-issues\">\n<h2>Parties and issues</h2>\n" + PartiesTable(scenario) +
         IssuesTable(scenario) + "</section>\n";
}

// Where the figures come from: counts by source, and the tagged values by source.
std::string ProvenanceLists(const model::Scenario& scenario) {
  std::string out;
  std::array<std::vector<std::pair<std::string, const model::Provenance*>>, 4> by_source;
  for (const auto& [path, provenance] : scenario.provenance) {
    by_source[static_cast<std::size_t>(provenance.source)].emplace_back(path, &provenance);
  }
  const auto& reported = by_source[static_cast<std::size_t>(model::Source::kReport)];
  const auto& assumed = by_source[static_cast<std::size_t>(model::Source::kAssumption)];
  const auto& derived = by_source[static_cast<std::size_t>(model::Source::kDerived)];
  if (reported.empty() && assumed.empty() && derived.empty()) {
    out +=
        "<p>The scenario does not say where its figures come from (no value is tagged report, "
        "assumption or derived): treat every weight, value and reservation as an "
        "assumption.</p>\n";
  } else {
    out += "<h3>Where the figures come from</h3>\n<p>" + std::to_string(reported.size()) +
           " values are taken from public reporting " + html::SourceTag(model::Source::kReport) +
           ", " + std::to_string(assumed.size()) + " are modelling assumptions " +
           html::SourceTag(model::Source::kAssumption) + " and " + std::to_string(derived.size()) +
           " are derived " + html::SourceTag(model::Source::kDerived) + ".</p>\n";
    auto list = [&](std::string_view summary,
                    const std::vector<std::pair<std::string, const model::Provenance*>>& entries,
                    bool open) {
      if (entries.empty()) return std::string();
      std::vector<std::vector<std::string>> rows;
      for (const auto& [path, provenance] : entries) {
        rows.push_back({Code(path), Text(provenance->note)});
      }
      return std::string("<details") + (open ? " open=\"open\"" : "") + "><summary>" +
             Text(summary) + " (" + std::to_string(entries.size()) + ")</summary>\n" +
             html::Table({"value", "note"}, rows) + "</details>\n";
    };
    out += list("The assumptions", assumed, true);
    out += list("Values from public reporting", reported, false);
    out += list("Derived values", derived, false);
  }
  return out;
}

// Method choices and tagged values the results depend on.
std::string AssumptionsSection(const model::Scenario& scenario, const UtilitySpace& space,
                               const session::Trace* trace) {
  const analysis::ScenarioAnalysis& analysis = space.analysis;
  std::string out = "<section id=\"assumptions\">\n<h2>What these results depend on</h2>\n";
  out += "<p>Change any of these and the pictures may change.</p>\n<ul class=\"findings\">\n";
  out += "<li>The pictures show " + Text(Names(scenario, {space.parties[0], space.parties[1]})) +
         ".</li>\n";
  for (std::size_t position = 0; position < 2; ++position) {
    const model::Party& party = scenario.parties[space.parties[position]];
    std::string text = Text(PartyLabel(scenario, space.parties[position])) +
                       "'s value of no agreement (reservation value) is ";
    if (party.preferences->reservation_value) {
      text += Fixed(*party.preferences->reservation_value, 2);
    } else {
      text += "not stated, so 0 is used";
    }
    if (const model::Provenance* provenance =
            html::FindProvenance(scenario, "parties." + party.id + ".preferences.reservation")) {
      text += " " + html::SourceTag(provenance->source);
      if (!provenance->note.empty()) text += " (" + Text(provenance->note) + ")";
    }
    out += "<li>" + text + ".</li>\n";
  }
  out +=
      "<li>Red lines are hard: an outcome a red line forbids is never on the frontier, in the "
      "zone of agreement or a fair point" +
      std::string(space.frontier_ignoring_red_lines
                      ? " (the grey dashed frontier and points marked * set them aside)"
                      : "") +
      ".</li>\n";
  const analysis::ParetoFrontier& frontier = analysis.pareto;
  out += "<li>The Pareto frontier is " +
         std::string(frontier.exact ? "exact" : "approximate (found by search)") + " (method " +
         Text(analysis::FrontierMethodName(frontier.method)) + ")" +
         (frontier.note.empty() ? "" : ": " + Text(frontier.note)) + ".</li>\n";
  out += "<li>The outcomes drawn are " + Text(DescribeCloud(space.cloud)) + ".</li>\n";
  out += "<li>The zone of agreement is " +
         std::string(analysis.zopa.exact ? "counted exactly" : "estimated") + " (method " +
         Text(analysis::ZopaMethodName(analysis.zopa.method)) + ").</li>\n";
  out += "<li>Utilities follow the " + Text(model::SourceFormatName(scenario.source_format)) +
         " file's definitions.</li>\n";
  if (trace != nullptr) {
    out += "<li>The session is one run of the protocol and strategies below with seed " +
           std::to_string(trace->seed) +
           "; other seeds or strategies can end differently. Utilities in the charts are "
           "undiscounted; the result table shows them " +
           (trace->use_discount ? "discounted" : "undiscounted") + ".</li>\n";
  }
  out += "</ul>\n";
  out += ProvenanceLists(scenario);
  out += "</section>\n";
  return out;
}

// Whether the session agreed, with a warning when the agreement crosses a principal's limits.
std::string SessionVerdict(const model::Scenario& scenario, const session::Trace& trace) {
  const session::SessionResult& result = trace.result;
  std::string out;
  if (result.agreement) {
    out += "<p class=\"verdict yes\">Agreement in round " + std::to_string(result.rounds) + " of " +
           std::to_string(trace.rounds) + ".</p>\n";
    if (result.outcome) {
      // An agreement a principal could not rationally accept is the first thing to see.
      const analysis::TextEvaluation evaluation =
          analysis::EvaluateText(scenario, scenario.PrincipalIndices(), *result.outcome);
      const std::string problems = DescribeEvaluationProblems(scenario, evaluation);
      if (!problems.empty()) {
        out +=
            "<div class=\"flag\" role=\"alert\" id=\"agreement-flags\"><strong>Warning.</strong> "
            "The agreement " +
            Text(problems) +
            ". Utilities here are undiscounted. The principals' own stated limits rule this "
            "agreement out: check how it was reached (a protocol's fallback, or an acceptance "
            "made by mistake).</div>\n";
      }
    }
  } else {
    out += "<p class=\"verdict no\">No agreement: " + Text(result.end_reason) + " (after " +
           std::to_string(result.rounds) + " of " + std::to_string(trace.rounds) +
           " rounds).</p>\n";
  }
  return out;
}

// Each scored party's strategy, utility and reservation value, then the other parties that
// played a strategy.
std::string SessionPartiesTable(const model::Scenario& scenario, const session::Trace& trace) {
  const session::SessionResult& result = trace.result;
  std::vector<std::vector<std::string>> rows;
  for (std::size_t position = 0; position < result.scored_parties.size(); ++position) {
    std::size_t party_idx = result.scored_parties[position];
    const model::Party& party = scenario.parties[party_idx];
    auto strategy = trace.strategies.find(party_idx);
    std::string name = ColoredParty(scenario, party_idx);
    rows.push_back({name, Text(model::RoleName(party.role)),
                    strategy == trace.strategies.end() ? "&#8212;" : Code(strategy->second),
                    Fixed(result.utilities[position]),
                    result.agreement ? Fixed(result.raw_utilities[position]) : "&#8212;",
                    Fixed(party.preferences->ReservationOrZero())});
  }
  for (const auto& [party_idx, spec] : trace.strategies) {
    if (std::find(result.scored_parties.begin(), result.scored_parties.end(), party_idx) !=
        result.scored_parties.end()) {
      continue;
    }
    rows.push_back({ColoredParty(scenario, party_idx),
                    Text(model::RoleName(scenario.parties[party_idx].role)), Code(spec), "&#8212;",
                    "&#8212;", "&#8212;"});
  }
  return html::Table(
      {"party", "role", "strategy", result.agreement ? "utility" : "utility (reservation value)",
       "undiscounted", "reservation value"},
      rows, {3, 4, 5});
}

// Welfare and the distances to the frontier and the fair points.
std::string SessionDistances(const model::Scenario& scenario,
                             const session::SessionResult& result) {
  std::string distances;
  if (result.distance_to_pareto) {
    auto shown = [](const std::optional<double>& value) {
      return value ? Fixed(*value) : std::string("undefined");
    };
    // The session measures against the frontier with red lines ignored when they leave nothing.
    const bool ignored = session::ComputeScenarioReference(scenario)->red_lines_ignored;
    distances = std::string(ignored ? "; red lines leave no outcome every principal's red lines "
                                      "allow, so distances are to the frontier with red lines "
                                      "ignored: to that frontier "
                                    : "; distance to the Pareto frontier ") +
                Fixed(*result.distance_to_pareto) + ", to " + (ignored ? "its" : "the") +
                " Nash point " + shown(result.distance_to_nash) + ", to " +
                (ignored ? "its" : "the") + " Kalai-Smorodinsky point " +
                shown(result.distance_to_kalai_smorodinsky) +
                (result.agreement ? "" : " (from the disagreement point)");
  }
  return "<p id=\"distances\">Welfare (sum over principals) " + Fixed(result.welfare) +
         Text(distances) + ".</p>\n";
}

std::string SessionSection(const model::Scenario& scenario, const session::Trace& trace) {
  const session::SessionResult& result = trace.result;
  std::string out = "<section id=\"session\">\n<h2>How the session ended</h2>\n";
  out += SessionVerdict(scenario, trace);
  out += "<p>Protocol " + Code(trace.protocol) + ", deadline " + std::to_string(trace.rounds) +
         " rounds, seed " + std::to_string(trace.seed) + ", " +
         std::to_string(trace.events.size()) + " messages.</p>\n";
  out += SessionPartiesTable(scenario, trace);
  out += SessionDistances(scenario, result);
  if (result.agreement && result.outcome) {
    std::vector<std::vector<std::string>> outcome_rows;
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const model::Issue& issue = scenario.issues[issue_idx];
      outcome_rows.push_back(
          {Text(issue.DisplayName()), OptionWords(issue, (*result.outcome)[issue_idx])});
    }
    out += "<h3>The agreement</h3>\n" + html::Table({"issue", "agreed option"}, outcome_rows);
  }
  if (!result.illegal_actions.empty()) {
    const session::IllegalAction& first = result.illegal_actions.front();
    out += "<p>" + std::to_string(result.illegal_actions.size()) +
           " illegal actions were replaced by the protocol's fallback (first in round " +
           std::to_string(first.round + 1) + ", by " + Text(PartyLabel(scenario, first.party)) +
           ": " + Text(first.reason) + ").</p>\n";
  }
  out += "</section>\n";
  return out;
}

std::string SessionChartsSection(const model::Scenario& scenario, const session::Trace& trace) {
  std::string out = "<section id=\"gaps\">\n<h2>Are the gaps narrowing?</h2>\n";
  std::string gaps = GapsSvg(scenario, trace, "gaps-chart");
  std::vector<std::string> multiples = GapSmallMultiplesSvg(scenario, trace, "gap-issue-");
  if (gaps.empty()) {
    out +=
        "<p>No round had offers from two principals (under this protocol they may only vote or "
        "respond), so there is no gap to follow.</p>\n";
  } else {
    const session::GapSample& first = trace.result.gaps.front();
    const session::GapSample& last = trace.result.gaps.back();
    out += html::Figure(
        gaps,
        "The gap between the principals' latest offers on each issue, round by round, and "
        "overall (thick black line, weighted by how much the parties care about each "
        "issue). Overall it went from " +
            Fixed(first.overall, 2) + " in round " + std::to_string(first.round + 1) + " to " +
            Fixed(last.overall, 2) + " in round " + std::to_string(last.round + 1) + ".");
    if (!multiples.empty()) {
      out += "<h3>Issue by issue</h3>\n<div class=\"multiples\">";
      for (const std::string& chart : multiples) out += chart;
      out +=
          "</div>\n<p class=\"caption\">Each issue's gap round by round (faint) and its moving "
          "average (the same window as the overall line above).</p>\n";
    }
  }
  out +=
      "</section>\n<section id=\"utilities-over-time\">\n<h2>Each party's utility over "
      "time</h2>\n";
  if (OffersByParty(trace).empty()) {
    out += "<p>No party made an offer in this session.</p>\n";
  } else {
    for (std::size_t party_idx : trace.result.scored_parties) {
      out += html::Figure(
          UtilityOverTimeSvg(scenario, trace, party_idx,
                             "utility-chart-" + std::to_string(party_idx)),
          "What each offer was worth to " + PartyLabel(scenario, party_idx) +
              " when it was made; lines are coloured by who made the offer. Offers above the "
              "dashed line beat walking away.");
    }
  }
  out += "</section>\n";
  return out;
}

}  // namespace

Result<std::string> ScenarioReportHtml(const model::Scenario& scenario,
                                       const HtmlReportOptions& options) {
  PARLEY_ASSIGN_OR_RETURN(auto parties, ChooseReportParties(scenario, options.parties));
  PARLEY_ASSIGN_OR_RETURN(UtilitySpace space,
                          ComputeUtilitySpace(scenario, parties, options.space));
  std::string body = Header(scenario, "scenario report");
  body += AtAGlance(scenario, space);
  for (const std::string& section : options.extra_sections) body += section;
  body += UtilitySpaceFigure(scenario, space, nullptr);
  body += FairPointsSection(scenario, space);
  body += IdealGapsSection(scenario, space);
  body += PartiesAndIssuesSection(scenario);
  body += AssumptionsSection(scenario, space, nullptr);
  body += Footer(options);
  return html::Page(Title(scenario) + " (parley report)", body);
}

Result<std::string> TraceReportHtml(const model::Scenario& scenario, const session::Trace& trace,
                                    const HtmlReportOptions& options) {
  PARLEY_ASSIGN_OR_RETURN(auto parties, ChooseReportParties(scenario, options.parties));
  PARLEY_ASSIGN_OR_RETURN(UtilitySpace space,
                          ComputeUtilitySpace(scenario, parties, options.space));
  std::string body = Header(scenario, "session report");
  body += SessionSection(scenario, trace);
  for (const std::string& section : options.extra_sections) body += section;
  body += UtilitySpaceFigure(scenario, space, &trace);
  body += SessionChartsSection(scenario, trace);
  body += AtAGlance(scenario, space);
  body += FairPointsSection(scenario, space);
  body += IdealGapsSection(scenario, space);
  body += PartiesAndIssuesSection(scenario);
  body += AssumptionsSection(scenario, space, &trace);
  body += Footer(options);
  return html::Page(Title(scenario) + " (parley session report)", body);
}

}  // namespace parley::report
