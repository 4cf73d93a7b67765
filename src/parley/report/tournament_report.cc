#include "parley/report/tournament_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "parley/io/json_limits.h"
#include "parley/io/limits.h"
#include "parley/report/charts.h"
#include "parley/report/html_page.h"
#include "parley/tournament/statistics.h"

namespace parley::report {
namespace {

using html::Fixed;
using html::Text;

std::string Code(std::string_view text) { return "<code>" + Text(text) + "</code>"; }

std::string Optional(const std::optional<double>& value, int decimals = 3) {
  return value ? Fixed(*value, decimals) : "&#8212;";
}

std::string Percent(double fraction) { return fmt::format("{:.1f}%", 100 * fraction); }

// Means within this (relative) tolerance are equal: "tie" rather than a winner by rounding.
constexpr double kTieTolerance = 1e-9;
// Opacity of the strategy x scenario shading, from the worst to the best strategy on a scenario.
constexpr double kLightestShade = 0.06;
constexpr double kDarkestShade = 0.7;

double Mean(const std::vector<double>& values) {
  double sum = 0;
  for (double value : values) sum += value;
  return values.empty() ? 0 : sum / static_cast<double>(values.size());
}

// Values by group label, groups in the order given.
std::vector<BoxGroup> Groups(const std::vector<std::string>& order,
                             const std::map<std::string, std::vector<double>>& values) {
  std::vector<BoxGroup> groups;
  for (const std::string& label : order) {
    auto it = values.find(label);
    groups.push_back(BoxGroup{label, it == values.end() ? std::vector<double>{} : it->second});
  }
  return groups;
}

// A strategy spec as code that may wrap after '(', ',', '=' and '_', so long specs such as
// frequency_boulware(e=0.2,model=frequency) do not widen the table past the page.
std::string Spec(std::string_view spec) {
  std::string out = "<code class=\"spec\">";
  for (char c : Text(spec)) {  // escaping adds none of these characters
    out += c;
    if (c == '(' || c == ',' || c == '=' || c == '_') out += "<wbr/>";
  }
  return out + "</code>";
}

// Eight columns that fit the page: the interval sits under the mean it qualifies, and the role
// only shows when mediator strategies are ranked too.
std::string RankingTable(const std::vector<tournament::StrategySummary>& summary,
                         double confidence) {
  const bool mixed_roles = std::any_of(summary.begin(), summary.end(),
                                       [](const auto& entry) { return entry.role != "principal"; });
  std::vector<std::vector<std::string>> rows;
  for (const tournament::StrategySummary& entry : summary) {
    std::string utility = Optional(entry.mean_utility);
    if (entry.utility_ci_low && entry.utility_ci_high) {
      utility += "<br/><span class=\"interval\">" + Fixed(*entry.utility_ci_low) + " to " +
                 Fixed(*entry.utility_ci_high) + "</span>";
    }
    std::string strategy = Spec(entry.strategy);
    if (mixed_roles) strategy += " <span class=\"muted\">(" + Text(entry.role) + ")</span>";
    rows.push_back({std::to_string(entry.rank), strategy, std::to_string(entry.observations),
                    utility, Optional(entry.mean_advantage), Percent(entry.agreement_rate),
                    Fixed(entry.mean_welfare), Optional(entry.mean_distance_to_nash)});
  }
  return html::Table({"rank", "strategy", "obser&#173;vations",
                      fmt::format("mean utility ({:.0f}% interval)", 100 * confidence),
                      "mean advantage", "agree&#173;ments", "mean welfare", "distance to Nash"},
                     rows, {0, 2, 3, 4, 5, 6, 7}, "ranking");
}

struct ScenarioFigures {
  std::string name;
  std::size_t sessions = 0;
  std::size_t agreements = 0;
  std::vector<double> welfare;
  std::vector<double> nash;
  std::map<std::string, std::vector<double>> utility_by_strategy;
};

// Each scenario's figures, and the scenarios in the order the records first name them.
std::vector<std::string> GatherScenarios(const std::vector<tournament::SessionRecord>& records,
                                         std::map<std::string, ScenarioFigures>& scenarios) {
  std::vector<std::string> order;
  for (const tournament::SessionRecord& record : records) {
    auto [it, inserted] = scenarios.emplace(record.scenario_path, ScenarioFigures{});
    if (inserted) order.push_back(record.scenario_path);
    ScenarioFigures& figures = it->second;
    figures.name = record.scenario;
    ++figures.sessions;
    figures.agreements += record.agreement ? 1 : 0;
    figures.welfare.push_back(record.welfare);
    if (record.distance_to_nash) figures.nash.push_back(*record.distance_to_nash);
    for (const tournament::PartyRecord& party : record.parties) {
      if (party.utility) figures.utility_by_strategy[party.strategy].push_back(*party.utility);
    }
  }
  return order;
}

// The best mean utility on a scenario with its strategy, or "tie" when several share it.
std::string BestMeanCell(const ScenarioFigures& figures) {
  double best_mean = -std::numeric_limits<double>::infinity();
  for (const auto& [strategy, utilities] : figures.utility_by_strategy) {
    best_mean = std::max(best_mean, Mean(utilities));
  }
  std::vector<std::string> best_strategies;
  for (const auto& [strategy, utilities] : figures.utility_by_strategy) {
    if (Mean(utilities) >= best_mean - kTieTolerance * std::max(1.0, std::fabs(best_mean))) {
      best_strategies.push_back(strategy);
    }
  }
  if (best_strategies.empty()) return "&#8212;";
  if (best_strategies.size() == 1) {
    return Spec(best_strategies.front()) + " (" + Fixed(best_mean) + ")";
  }
  if (best_strategies.size() == figures.utility_by_strategy.size()) {
    return "tie: all " + std::to_string(best_strategies.size()) + " strategies (" +
           Fixed(best_mean) + ")";
  }
  std::string cell = "tie: ";
  for (std::size_t position = 0; position < best_strategies.size(); ++position) {
    cell += (position > 0 ? ", " : "") + Spec(best_strategies[position]);
  }
  return cell + " (" + Fixed(best_mean) + ")";
}

// Mean utility of each strategy on each scenario, shaded within each scenario (column): the
// best strategy there darkest, the worst lightest, so differences of 0.01 show as clearly as
// differences of 0.5.
std::string StrategyScenarioMatrix(const std::vector<std::string>& order,
                                   const std::map<std::string, ScenarioFigures>& scenarios,
                                   const std::vector<std::string>& strategies) {
  std::vector<std::string> header = {"strategy"};
  for (const std::string& key : order) header.push_back(Text(scenarios.at(key).name));
  std::map<std::string, std::pair<double, double>> range;  // per scenario: lowest, highest mean
  for (const std::string& key : order) {
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (const auto& [strategy, utilities] : scenarios.at(key).utility_by_strategy) {
      if (utilities.empty()) continue;
      low = std::min(low, Mean(utilities));
      high = std::max(high, Mean(utilities));
    }
    range[key] = {low, high};
  }
  std::vector<std::vector<std::string>> matrix;
  for (const std::string& strategy : strategies) {
    std::vector<std::string> row = {Spec(strategy)};
    for (const std::string& key : order) {
      const auto& by_strategy = scenarios.at(key).utility_by_strategy;
      auto it = by_strategy.find(strategy);
      if (it == by_strategy.end() || it->second.empty()) {
        row.push_back("&#8212;");
        continue;
      }
      double mean = Mean(it->second);
      auto [low, high] = range[key];
      double position = high - low > kTieTolerance ? (mean - low) / (high - low) : 0.5;
      double alpha = kLightestShade + (kDarkestShade - kLightestShade) * position;
      row.push_back("<span class=\"shade\" data-alpha=\"" + svg::Number(alpha, 3) +
                    "\" style=\"display:block;background:rgba(0,114,178," + svg::Number(alpha, 3) +
                    ")" + (alpha > 0.45 ? ";color:#ffffff" : "") + "\">" + Fixed(mean) + "</span>");
    }
    matrix.push_back(std::move(row));
  }
  std::vector<std::size_t> numeric;
  for (std::size_t column = 1; column <= order.size(); ++column) numeric.push_back(column);
  return "<h3>Mean utility of each strategy on each scenario</h3>\n"
         "<p>Shaded within each scenario: the darkest cell is the best strategy on that scenario, "
         "the lightest the worst (equal means share a shade).</p>\n" +
         html::Table(header, matrix, numeric, "matrix");
}

std::string ScenarioSection(const std::vector<tournament::SessionRecord>& records,
                            const std::vector<std::string>& strategies) {
  std::map<std::string, ScenarioFigures> scenarios;
  const std::vector<std::string> order = GatherScenarios(records, scenarios);
  std::string out = "<section id=\"scenarios\">\n<h2>By scenario</h2>\n";
  std::vector<std::vector<std::string>> rows;
  for (const std::string& key : order) {
    const ScenarioFigures& figures = scenarios[key];
    std::string name = Text(figures.name);
    // A scenario's path can be longer than the column: it wraps anywhere rather than widening the
    // table past the page (a checkout under /check/work/... did at 1024 px).
    if (key != figures.name) {
      name += " <span class=\"muted\">" + html::Path(key) + "</span>";
    }
    rows.push_back(
        {name, std::to_string(figures.sessions),
         Percent(static_cast<double>(figures.agreements) / static_cast<double>(figures.sessions)),
         Fixed(Mean(figures.welfare)), figures.nash.empty() ? "&#8212;" : Fixed(Mean(figures.nash)),
         BestMeanCell(figures)});
  }
  out += html::Table({"scenario", "sessions", "agreements", "mean welfare", "mean distance to Nash",
                      "best mean utility"},
                     rows, {1, 2, 3, 4});
  if (order.size() <= 16 && !strategies.empty()) {
    out += StrategyScenarioMatrix(order, scenarios, strategies);
  }
  out += "</section>\n";
  return out;
}

// What the report shows of the sessions: observations (one principal in one session) by strategy
// and counts over the sessions.
struct Observations {
  std::map<std::string, std::vector<double>> utility;
  std::map<std::string, std::vector<double>> advantage;
  std::map<std::string, std::vector<double>> welfare;
  std::map<std::string, std::vector<double>> nash;
  std::map<std::string, std::vector<double>> mediator_welfare;
  std::set<std::string> scenarios;
  std::set<std::string> protocols;
  std::set<std::string> configs;
  std::size_t sessions = 0;
  std::size_t agreements = 0;
  std::size_t with_illegal_actions = 0;
  int repetitions = 0;
};

Observations Observe(const std::vector<tournament::SessionRecord>& records) {
  Observations seen;
  seen.sessions = records.size();
  for (const tournament::SessionRecord& record : records) {
    seen.scenarios.insert(record.scenario_path);
    seen.protocols.insert(record.protocol);
    seen.configs.insert(record.config);
    seen.agreements += record.agreement ? 1 : 0;
    seen.with_illegal_actions += record.illegal_actions > 0 ? 1 : 0;
    seen.repetitions = std::max(seen.repetitions, record.repetition);
    if (!record.mediator.empty()) seen.mediator_welfare[record.mediator].push_back(record.welfare);
    for (const tournament::PartyRecord& party : record.parties) {
      if (party.utility) seen.utility[party.strategy].push_back(*party.utility);
      if (party.advantage) seen.advantage[party.strategy].push_back(*party.advantage);
      seen.welfare[party.strategy].push_back(record.welfare);
      if (record.distance_to_nash) seen.nash[party.strategy].push_back(*record.distance_to_nash);
    }
  }
  return seen;
}

std::string ReportHeader(const Observations& seen, std::size_t principal_strategies,
                         std::size_t mediator_strategies) {
  std::string body = "<header>\n<p class=\"kind\">parley &#183; tournament report</p>\n";
  body += "<h1>Tournament results</h1>\n<p class=\"subtitle\">" + std::to_string(seen.sessions) +
          " sessions &#183; " + std::to_string(seen.scenarios.size()) + " scenario" +
          (seen.scenarios.size() == 1 ? "" : "s") + " &#183; " +
          std::to_string(principal_strategies) + " principal strateg" +
          (principal_strategies == 1 ? "y" : "ies");
  if (mediator_strategies > 0) {
    body += " &#183; " + std::to_string(mediator_strategies) + " mediator strateg" +
            (mediator_strategies == 1 ? "y" : "ies");
  }
  body += " &#183; protocol ";
  std::size_t protocol_idx = 0;
  for (const std::string& protocol : seen.protocols) {
    body += (protocol_idx++ > 0 ? ", " : "") + Code(protocol);
  }
  body += " &#183; up to " + std::to_string(seen.repetitions) + " repetition" +
          (seen.repetitions == 1 ? "" : "s") + "</p>\n</header>\n";
  return body;
}

// The verdict on the best principal strategy (or the tie), the agreement count and the table.
std::string RankingSection(const std::vector<tournament::StrategySummary>& summary,
                           const Observations& seen, double confidence) {
  std::string body = "<section id=\"ranking\">\n<h2>Strategy ranking</h2>\n";
  const tournament::StrategySummary& best = summary.front();
  std::vector<std::string> tied;
  for (const tournament::StrategySummary& entry : summary) {
    if (entry.role == "principal" && entry.rank == best.rank) tied.push_back(entry.strategy);
  }
  if (best.role == "principal" && best.mean_utility && tied.size() > 1) {
    body += "<p class=\"verdict yes\">Highest mean utility: a tie between ";
    for (std::size_t position = 0; position < tied.size(); ++position) {
      if (position > 0) body += position + 1 == tied.size() ? " and " : ", ";
      body += Spec(tied[position]);
    }
    body += ", " + Fixed(*best.mean_utility) + ".</p>\n";
  } else if (best.role == "principal" && best.mean_utility) {
    body += "<p class=\"verdict yes\">Highest mean utility: " + Spec(best.strategy) + ", " +
            Fixed(*best.mean_utility);
    if (best.utility_ci_low && best.utility_ci_high) {
      body += fmt::format(" ({:.0f}% interval ", 100 * confidence) + Fixed(*best.utility_ci_low) +
              " to " + Fixed(*best.utility_ci_high) + ")";
    }
    body += " over " + std::to_string(best.observations) + " observations.</p>\n";
  }
  body += "<p>Agreements in " + std::to_string(seen.agreements) + " of " +
          std::to_string(seen.sessions) + " sessions (" +
          Percent(static_cast<double>(seen.agreements) / static_cast<double>(seen.sessions)) +
          "). Strategies are ranked by mean utility; equal means share a rank. Overlapping "
          "intervals mean the data do not separate the strategies.</p>\n";
  body += RankingTable(summary, confidence);
  body += "</section>\n";
  return body;
}

// Box plots of utility, advantage, welfare and distance to Nash by strategy, agreement rates,
// and welfare by mediator strategy.
std::string DistributionsSection(const std::vector<tournament::StrategySummary>& summary,
                                 const Observations& seen,
                                 const std::vector<std::string>& principal_strategies,
                                 const std::vector<std::string>& mediator_strategies) {
  std::string body = "<section id=\"distributions\">\n<h2>Distributions</h2>\n";
  std::string box_note =
      "box: middle half; thick line: median; diamond: mean; whiskers: 1.5 interquartile ranges; "
      "circles: outliers";
  body += html::Figure(
      BoxPlotSvg("Utility by strategy", box_note, "Utility",
                 Groups(principal_strategies, seen.utility), "utility-boxplot"),
      "Each principal's utility in each session it played (its discounted agreement utility, or "
      "its reservation value without agreement), by strategy, in rank order.");
  if (!seen.advantage.empty()) {
    body += html::Figure(
        BoxPlotSvg("Advantage over the reservation value by strategy", box_note,
                   "Utility minus reservation value", Groups(principal_strategies, seen.advantage),
                   "advantage-boxplot"),
        "How much better than walking away each principal did; below 0 it would have done "
        "better without the deal.");
  }
  body += html::Figure(
      BoxPlotSvg("Welfare of the sessions each strategy played", box_note,
                 "Welfare (sum of the principals' utilities)",
                 Groups(principal_strategies, seen.welfare), "welfare-boxplot"),
      "The sum of the principals' utilities in each session, counted once for each principal "
      "that played the strategy.");
  if (!seen.nash.empty()) {
    body += html::Figure(
        BoxPlotSvg("Distance to the Nash point", box_note,
                   "Distance in the principals' utility space (0 = the Nash point)",
                   Groups(principal_strategies, seen.nash), "nash-boxplot"),
        "How far each session's result lies from the Nash bargaining point (sessions where it "
        "is defined).");
  }
  std::vector<Bar> bars;
  for (const tournament::StrategySummary& entry : summary) {
    if (entry.role != "principal") continue;
    bars.push_back(Bar{entry.strategy, entry.agreement_rate,
                       entry.strategy + ": agreements in " + Percent(entry.agreement_rate) +
                           " of " + std::to_string(entry.observations) + " observations"});
  }
  body += html::Figure(BarChartSvg("Agreement rate by strategy",
                                   "share of observations ending "
                                   "in an agreement",
                                   "Agreement rate", bars, "agreement-bars", svg::Domain{0, 1}),
                       "The share of sessions each strategy played that ended in an agreement.");
  if (!seen.mediator_welfare.empty()) {
    body += html::Figure(
        BoxPlotSvg("Welfare by mediator strategy", box_note, "Welfare",
                   Groups(mediator_strategies, seen.mediator_welfare), "mediator-boxplot"),
        "The welfare of each session, by the mediators' strategy.");
  }
  body += "</section>\n";
  return body;
}

std::string AssumptionsSection(const Observations& seen, bool torn_last_line, double confidence) {
  std::string body = "<section id=\"assumptions\">\n<h2>What these results depend on</h2>\n";
  body += "<ul class=\"findings\">\n";
  body +=
      "<li>An observation is one principal in one session; a strategy playing against itself "
      "gives two.</li>\n"
      "<li>A principal's utility is its agreement utility" +
      std::string(" (discounted when the tournament applies discounts)") +
      ", or its reservation value without agreement (0 when none is stated).</li>\n";
  body += fmt::format(
      "<li>Intervals are {:.0f}% confidence intervals on the mean (Student's t); with few "
      "observations they are wide, and sessions of one scenario are not independent of its "
      "difficulty.</li>\n",
      100 * confidence);
  body +=
      "<li>The ranking holds for these scenarios, this protocol and these opponents only; other "
      "pools of strategies can rank differently.</li>\n";
  if (seen.with_illegal_actions > 0) {
    body += "<li>" + std::to_string(seen.with_illegal_actions) +
            " sessions had illegal actions replaced by the protocol's fallback.</li>\n";
  }
  if (seen.configs.size() > 1) {
    body += "<li>The rows come from " + std::to_string(seen.configs.size()) +
            " different tournament configurations.</li>\n";
  }
  if (torn_last_line) {
    body +=
        "<li>The file's last row was incomplete (a tournament still running or killed) and is "
        "left out.</li>\n";
  }
  body += "</ul>\n</section>\n";
  return body;
}

}  // namespace

bool LooksLikeResultsCsvHeader(const std::string& first_line) {
  return first_line.rfind("session,config,scenario,", 0) == 0;
}

bool LooksLikeResultsJsonRow(const std::string& first_line) {
  Result<io::Json> row = io::ParseJson(first_line, io::ResultsRowJsonLimits());
  return row.ok() && row->is_object() && row->contains("session") && row->contains("config") &&
         row->contains("scenario");
}

Result<std::string> TournamentReportHtml(const tournament::ResultsTable& results,
                                         const TournamentReportOptions& options) {
  const std::vector<tournament::SessionRecord>& records = results.records;
  if (records.empty()) {
    return InvalidInput(
        "the results file holds no session to report on",
        Location::InFile(options.source_files.empty() ? "" : options.source_files[0]));
  }
  std::vector<tournament::StrategySummary> summary =
      tournament::Summarize(records, options.confidence);
  std::vector<std::string> principal_strategies;
  std::vector<std::string> mediator_strategies;
  for (const tournament::StrategySummary& entry : summary) {
    (entry.role == "mediator" ? mediator_strategies : principal_strategies)
        .push_back(entry.strategy);
  }
  const Observations seen = Observe(records);
  std::string body = ReportHeader(seen, principal_strategies.size(), mediator_strategies.size());
  body += RankingSection(summary, seen, options.confidence);
  body += DistributionsSection(summary, seen, principal_strategies, mediator_strategies);
  body += ScenarioSection(records, principal_strategies);
  body += AssumptionsSection(seen, results.torn_last_line, options.confidence);
  body += html::Footer(options.source_files);
  return html::Page("Tournament results (parley report)", body);
}

}  // namespace parley::report
