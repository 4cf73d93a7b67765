#include "parley/report/uncertainty_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "parley/io/outcome_json.h"
#include "parley/report/charts.h"
#include "parley/report/html_page.h"
#include "parley/report/svg.h"

namespace parley::report {
namespace {

using io::Json;
using uncertainty::FormatPercent;
using uncertainty::FormatProbability;
using uncertainty::Probability;

constexpr std::size_t kTextSensitivityRows = 8;
constexpr std::size_t kChartRows = 12;

std::string Points(double difference) { return fmt::format("{:+.0f}", difference * 100); }

// "+38 points (33 to 43)": a difference of probabilities with its interval.
std::string Effect(const Probability& effect) {
  return fmt::format("{} points ({} to {})", Points(effect.estimate), Points(effect.low),
                     Points(effect.high));
}

std::string Interval(const Probability& probability) {
  return fmt::format("{} ({} to {})", FormatPercent(probability.estimate),
                     FormatPercent(probability.low), FormatPercent(probability.high));
}

Json SummaryJson(const uncertainty::Summary& summary) {
  return {{"mean", summary.mean}, {"low", summary.low}, {"high", summary.high}};
}

std::string Heading(const std::string& title) { return title + "\n"; }

}  // namespace

Json ProbabilityJson(const Probability& probability) {
  return {{"estimate", probability.estimate}, {"low", probability.low}, {"high", probability.high}};
}

Json RobustToJson(const model::Scenario& scenario, const uncertainty::ParameterSet& set,
                  const uncertainty::RobustAnalysis& analysis) {
  Json out;
  out["samples"] = analysis.samples;
  out["seed"] = analysis.seed;
  out["spread"] = analysis.spread;
  out["confidence"] = analysis.confidence;
  out["parameters"] = analysis.num_parameters;
  out["zopa_probability"] = ProbabilityJson(analysis.zopa_probability);
  out["summary"] = analysis.summary;
  out["depends_on"] = analysis.depends_on;
  Json packages = Json::array();
  for (const uncertainty::RobustPackage& package : analysis.packages) {
    packages.push_back({{"outcome", io::OutcomeJson(scenario, package.outcome)},
                        {"probability", ProbabilityJson(package.probability)}});
  }
  out["robust_packages"] = packages;
  out["robust_packages_method"] = analysis.packages_method;
  Json sensitivity = Json::array();
  for (const uncertainty::Sensitivity& entry : analysis.sensitivity) {
    const uncertainty::Parameter& parameter = set.parameters()[entry.parameter];
    sensitivity.push_back({{"parameter", entry.name},
                           {"words", entry.words},
                           {"range", {parameter.range.low, parameter.range.high}},
                           {"low_condition", entry.low_condition},
                           {"high_condition", entry.high_condition},
                           {"low", ProbabilityJson(entry.low)},
                           {"high", ProbabilityJson(entry.high)},
                           {"effect", ProbabilityJson(entry.effect)}});
  }
  out["sensitivity"] = sensitivity;
  out["warnings"] = analysis.warnings;
  return out;
}

Json PosteriorToJson(const model::Scenario& scenario, const uncertainty::ParameterSet& set,
                     const uncertainty::Posterior& posterior,
                     const uncertainty::RobustAnalysis& robust, const std::string& record_file,
                     const model::Record& record) {
  Json out;
  out["record"] = record_file;
  if (!record.title.empty()) out["title"] = record.title;
  if (!record.note.empty()) out["note"] = record.note;
  out["observations"] = posterior.observations_used;
  out["parties_observed"] = posterior.parties_observed;
  out["likelihood"] =
      "offers and acceptances are worth at least the reservation value (probit, sd 0.05); a firm "
      "red line is crossed with probability 0.02; each party's offers concede over time "
      "(isotonic fit, Gaussian sd 0.05) along one time-dependent concession curve (sd 0.035); "
      "see docs/uncertainty.md";
  out["stages"] = posterior.stages;
  out["smallest_effective_samples"] = posterior.smallest_effective_samples;
  out["acceptance_rate"] = posterior.acceptance_rate;
  out["interval_mass"] = 0.9;
  Json parameters = Json::array();
  for (const uncertainty::LearnedParameter& learned : posterior.parameters) {
    parameters.push_back({{"parameter", learned.name},
                          {"prior", SummaryJson(learned.prior)},
                          {"posterior", SummaryJson(learned.posterior)}});
  }
  out["parameters"] = parameters;
  out["uncertainty"] = RobustToJson(scenario, set, robust);
  out["warnings"] = posterior.warnings;
  return out;
}

Json ForecastToJson(const model::Scenario& scenario, const uncertainty::Forecast& forecast) {
  Json out;
  out["method"] = forecast.method;
  out["agreement_probability"] = ProbabilityJson(forecast.agreement_probability);
  out["gap_closes"] = ProbabilityJson(forecast.gap_closes);
  out["zone_probability"] = ProbabilityJson(forecast.zone_probability);
  if (forecast.expected_round) {
    out["expected_round"] = *forecast.expected_round;
  } else {
    out["expected_round"] = nullptr;
  }
  if (!forecast.expected_date.empty()) out["expected_date"] = forecast.expected_date;
  out["deadline_round"] = forecast.deadline_round;
  if (!forecast.deadline_date.empty()) out["deadline_date"] = forecast.deadline_date;
  out["at_round"] = forecast.cut_round;
  out["observations_used"] = forecast.observations_used;
  out["acceptance_gap"] = forecast.acceptance_gap;
  if (forecast.evidence.available) {
    const uncertainty::ForecastEvidence& evidence = forecast.evidence;
    Json by_party = Json::object();
    for (int side = 0; side < 2; ++side) {
      by_party[scenario.parties[evidence.party_idx[side]].id] = {
          {"conceded", evidence.conceded[side]},
          {"recent", evidence.recent[side]},
          {"novelty", evidence.novelty[side]},
          {"need", evidence.need[side]}};
    }
    out["evidence"] = {{"model_probability", evidence.model_probability},
                       {"unmoved", evidence.unmoved},
                       {"reactivity", evidence.reactivity},
                       {"gap_closed", evidence.gap_closed},
                       {"pace", evidence.pace},
                       {"parties", by_party}};
  }
  auto trend_json = [](const uncertainty::GapTrend& trend) {
    return Json{{"slope", trend.trend.slope},   {"p_value", trend.trend.p_value},
                {"narrowing", trend.narrowing}, {"points", trend.trend.points},
                {"first_gap", trend.first_gap}, {"latest_gap", trend.latest_gap}};
  };
  Json trend;
  trend["overall"] = trend_json(forecast.overall);
  Json issues = Json::object();
  for (const uncertainty::GapTrend& issue : forecast.issues) {
    issues[scenario.issues[*issue.issue_idx].id] = trend_json(issue);
  }
  trend["issues"] = issues;
  out["trend"] = trend;
  out["summary"] = forecast.summary;
  out["warnings"] = forecast.warnings;
  return out;
}

std::string RenderRobustText(const model::Scenario& scenario, const uncertainty::ParameterSet& set,
                             const uncertainty::RobustAnalysis& analysis) {
  std::string out = Heading(fmt::format(
      "Robust analysis: {} samples (seed {}{}), {} uncertain parameter(s)", analysis.samples,
      analysis.seed,
      analysis.spread > 0 ? ", spread " + model::FormatNumber(analysis.spread) : std::string(),
      analysis.num_parameters));
  out += "  " + analysis.summary + "\n";
  out += "  " + analysis.depends_on + "\n";
  if (!analysis.packages.empty()) {
    out += fmt::format(
        "  Robust packages (accepted by every analysed party in the largest share of samples{}):\n",
        analysis.packages_method == "search" ? "; found by search" : "");
    for (std::size_t idx = 0; idx < analysis.packages.size(); ++idx) {
      out += fmt::format("    {}. accepted in {}: {}\n", idx + 1,
                         FormatProbability(analysis.packages[idx].probability, analysis.confidence),
                         scenario.DescribeOutcome(analysis.packages[idx].outcome));
    }
  } else {
    out += "  No outcome is accepted by every analysed party in any sample.\n";
  }
  const bool verdict_varies =
      analysis.zopa_probability.estimate > 0 && analysis.zopa_probability.estimate < 1;
  if (!analysis.sensitivity.empty() && verdict_varies) {
    out += fmt::format(
        "  What moves the verdict most (probability of a zone when the parameter is low / high, "
        "{} intervals):\n",
        FormatPercent(analysis.confidence));
    for (std::size_t idx = 0; idx < analysis.sensitivity.size() && idx < kTextSensitivityRows;
         ++idx) {
      const uncertainty::Sensitivity& entry = analysis.sensitivity[idx];
      out += fmt::format("    {:<40} {} {}, {} {}: {}\n", entry.name, entry.low_condition,
                         Interval(entry.low), entry.high_condition, Interval(entry.high),
                         Effect(entry.effect));
    }
  }
  for (const std::string& warning : analysis.warnings) out += "  Note: " + warning + "\n";
  (void)set;
  return out;
}

std::string RenderPosteriorText(const model::Scenario& scenario,
                                const uncertainty::ParameterSet& set,
                                const uncertainty::Posterior& posterior,
                                const uncertainty::RobustAnalysis& robust,
                                const model::Record& record) {
  std::string out = Heading("Learning from the record");
  if (!record.note.empty()) out += "  " + record.note + "\n";
  std::string parties;
  for (const std::string& id : posterior.parties_observed) {
    parties += (parties.empty() ? "" : ", ") + id;
  }
  out += fmt::format("  {} observation(s) of {} condition the samples ({} tempering steps).\n",
                     posterior.observations_used, parties, posterior.stages);
  // The parameters the record moved most: largest change of the interval's width or mean.
  std::vector<const uncertainty::LearnedParameter*> moved;
  for (const uncertainty::LearnedParameter& learned : posterior.parameters) {
    moved.push_back(&learned);
  }
  auto shift = [](const uncertainty::LearnedParameter* learned) {
    double prior_width = learned->prior.high - learned->prior.low;
    double posterior_width = learned->posterior.high - learned->posterior.low;
    return std::fabs(learned->posterior.mean - learned->prior.mean) +
           std::max(0.0, prior_width - posterior_width) / 2;
  };
  std::stable_sort(moved.begin(), moved.end(),
                   [&](auto* a, auto* b) { return shift(a) > shift(b); });
  out += "  What the record taught most (mean and 90% interval, prior -> posterior):\n";
  for (std::size_t idx = 0; idx < moved.size() && idx < 10; ++idx) {
    const uncertainty::LearnedParameter& learned = *moved[idx];
    out += fmt::format("    {:<40} {:.3f} [{:.3f}, {:.3f}] -> {:.3f} [{:.3f}, {:.3f}]\n",
                       learned.name, learned.prior.mean, learned.prior.low, learned.prior.high,
                       learned.posterior.mean, learned.posterior.low, learned.posterior.high);
  }
  for (const std::string& warning : posterior.warnings) out += "  Note: " + warning + "\n";
  out += "  On the posterior:\n";
  std::string robust_text = RenderRobustText(scenario, set, robust);
  std::size_t first_line = robust_text.find('\n');
  std::string body = robust_text.substr(first_line + 1);
  std::string indented;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    indented += "  " + body.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out + indented;
}

std::string RenderForecastText(const model::Scenario& scenario,
                               const uncertainty::Forecast& forecast) {
  std::string out = forecast.summary + "\n";
  if (forecast.deadline_date.empty()) {
    out += fmt::format("\nUsing {} observation(s) before round {} (the deadline is round {}).\n",
                       forecast.observations_used, forecast.cut_round, forecast.deadline_round);
  } else {
    out += fmt::format("\nUsing {} observation(s) before day {} of {} (the deadline is {}).\n",
                       forecast.observations_used, forecast.cut_round, forecast.deadline_round,
                       forecast.deadline_date);
  }
  out += fmt::format("  agreement by the deadline: {}\n",
                     FormatProbability(forecast.agreement_probability, 0.95));
  out += fmt::format("  the acceptance gap closes: {}; a zone of agreement exists: {}\n",
                     Interval(forecast.gap_closes), Interval(forecast.zone_probability));
  out += fmt::format(
      "  acceptance gap now: {:.3f} (0 or below: an offer on the table is worth "
      "to everyone what they ask)\n",
      forecast.acceptance_gap);
  out += "  gap trends (Theil-Sen slope per round; one-sided Mann-Kendall p for narrowing):\n";
  auto line = [&](const std::string& name, const uncertainty::GapTrend& trend) {
    return fmt::format("    {:<28} {:.3f} -> {:.3f}   slope {:+.5f}   p {:.3g}   {}\n", name,
                       trend.first_gap, trend.latest_gap, trend.trend.slope, trend.trend.p_value,
                       trend.narrowing ? "narrowing" : "not narrowing");
  };
  out += line("overall", forecast.overall);
  for (const uncertainty::GapTrend& trend : forecast.issues) {
    out += line(scenario.issues[*trend.issue_idx].id, trend);
  }
  for (const std::string& warning : forecast.warnings) out += "  Note: " + warning + "\n";
  return out;
}

std::string RobustSectionHtml(const model::Scenario& scenario, const uncertainty::ParameterSet& set,
                              const uncertainty::RobustAnalysis& analysis, const std::string& id,
                              const std::string& heading) {
  (void)set;
  std::string out =
      "<section id=\"" + html::Text(id) + "\">\n<h2>" + html::Text(heading) + "</h2>\n";
  out += "<p class=\"lead\">" + html::Text(analysis.summary) + "</p>\n";
  out += "<p>" + html::Text(analysis.depends_on) + "</p>\n";
  for (const std::string& warning : analysis.warnings) {
    out += "<p class=\"muted\">" + html::Text(warning) + "</p>\n";
  }
  // Tornado: the probability of a zone with each parameter low and high, largest effect on top.
  const bool verdict_varies =
      analysis.zopa_probability.estimate > 0 && analysis.zopa_probability.estimate < 1;
  std::size_t rows = verdict_varies ? std::min(kChartRows, analysis.sensitivity.size()) : 0;
  if (rows > 0) {
    svg::ChartOptions options;
    options.id = id + "-tornado";
    options.title = "What the verdict hangs on";
    options.subtitle =
        "probability that a zone of agreement exists with each parameter low "
        "(circle) and high (diamond), " +
        FormatPercent(analysis.confidence) +
        " intervals as whiskers; the line is the overall probability";
    options.description = options.title + ": " + options.subtitle;
    options.x_label = "probability of a zone of agreement";
    double widest = 80;
    for (std::size_t row = 0; row < rows; ++row) {
      widest = std::max(widest, svg::EstimateTextWidth(analysis.sensitivity[row].name, 11));
    }
    options.width = 820;
    options.margin_left = std::min(340.0, widest + 16);
    options.height = 44 + 30 + 52 + static_cast<double>(rows) * 28 + 10;
    svg::Chart chart(options, svg::Domain{0, 1}, svg::Domain{0.4, static_cast<double>(rows) + 0.6});
    std::vector<std::pair<double, std::string>> labels;
    const std::string low_color = svg::SeriesColor(0);
    const std::string high_color = svg::SeriesColor(1);
    chart.VerticalLine(analysis.zopa_probability.estimate, svg::Style(svg::kInk, 1, "4 3"),
                       svg::Tag("overall"));
    for (std::size_t row = 0; row < rows; ++row) {
      const uncertainty::Sensitivity& entry = analysis.sensitivity[row];
      double at = static_cast<double>(rows - row);
      labels.emplace_back(at, entry.name);
      double left = std::min(entry.low.estimate, entry.high.estimate);
      double right = std::max(entry.low.estimate, entry.high.estimate);
      std::string tooltip = entry.words + ": " + entry.low_condition + " " + Interval(entry.low) +
                            ", " + entry.high_condition + " " + Interval(entry.high);
      chart.Rect({left, at - 0.28}, {std::max(right, left + 0.002), at + 0.28},
                 svg::Style("none", 0, "", svg::kGridColor, 1),
                 svg::Tag("tornado-bar", {{"parameter", entry.name}}, tooltip));
      chart.Path({{entry.low.low, at - 0.1}, {entry.low.high, at - 0.1}},
                 svg::Style(low_color, 1.5), svg::Tag("interval"));
      chart.Path({{entry.high.low, at + 0.1}, {entry.high.high, at + 0.1}},
                 svg::Style(high_color, 1.5), svg::Tag("interval"));
      chart.Marker({entry.low.estimate, at - 0.1}, svg::Shape::kCircle, 9,
                   svg::Style(low_color, 1, "", low_color), svg::Tag("low", {}, tooltip));
      chart.Marker({entry.high.estimate, at + 0.1}, svg::Shape::kDiamond, 10,
                   svg::Style(high_color, 1, "", high_color), svg::Tag("high", {}, tooltip));
    }
    chart.SetYTickLabels(labels);
    chart.AddLegend(svg::LegendEntry(svg::LegendEntry::Kind::kMarker, "low / firm",
                                     svg::Style(low_color, 1, "", low_color)));
    chart.AddLegend(svg::LegendEntry(svg::LegendEntry::Kind::kMarker, "high / not firm",
                                     svg::Style(high_color, 1, "", high_color),
                                     svg::Shape::kDiamond));
    out += html::Figure(chart.Render(),
                        "Each row: one uncertain parameter. Far-apart markers mean the verdict "
                        "depends on that assumption.");
    std::vector<std::vector<std::string>> table_rows;
    for (std::size_t row = 0; row < rows; ++row) {
      const uncertainty::Sensitivity& entry = analysis.sensitivity[row];
      table_rows.push_back(
          {html::Text(entry.words) + "<br/><code>" + html::Text(entry.name) + "</code>",
           html::Text(entry.low_condition + ": " + Interval(entry.low)),
           html::Text(entry.high_condition + ": " + Interval(entry.high)),
           html::Text(Effect(entry.effect))});
    }
    out += html::Table({"assumption", "low", "high", "effect on the probability of a zone"},
                       table_rows, {3});
  }
  out += "<h3>Robust packages</h3>\n";
  if (analysis.packages.empty()) {
    out += "<p>No outcome is accepted by every analysed party in any of the samples.</p>\n";
  } else {
    out += "<p>The outcomes every analysed party accepts in the largest share of plausible cases" +
           std::string(analysis.packages_method == "search"
                           ? " (found by search from each sample's most robust outcome; the "
                             "shares are exact)"
                           : "") +
           ".</p>\n";
    std::vector<std::vector<std::string>> table_rows;
    for (std::size_t idx = 0; idx < analysis.packages.size(); ++idx) {
      table_rows.push_back(
          {std::to_string(idx + 1),
           html::Text(FormatProbability(analysis.packages[idx].probability, analysis.confidence)),
           html::Text(scenario.DescribeOutcome(analysis.packages[idx].outcome))});
    }
    out += html::Table({"#", "accepted in", "package"}, table_rows, {0});
  }
  out += "</section>\n";
  return out;
}

std::string PosteriorSectionHtml(const model::Scenario& scenario,
                                 const uncertainty::Posterior& posterior,
                                 const model::Record& record) {
  (void)scenario;
  std::string out = "<section id=\"posterior\">\n<h2>What the record taught</h2>\n";
  if (!record.note.empty()) out += "<p class=\"banner\">" + html::Text(record.note) + "</p>\n";
  out += fmt::format(
      "<p>{} observation(s) conditioned the samples. Each row compares a "
      "parameter's prior (grey) with its posterior (colour): mean and 90% "
      "interval.</p>\n",
      posterior.observations_used);
  std::vector<const uncertainty::LearnedParameter*> rows;
  for (const auto& learned : posterior.parameters) rows.push_back(&learned);
  auto shift = [](const uncertainty::LearnedParameter* learned) {
    return std::fabs(learned->posterior.mean - learned->prior.mean) +
           std::max(0.0, (learned->prior.high - learned->prior.low) -
                             (learned->posterior.high - learned->posterior.low)) /
               2;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](auto* a, auto* b) { return shift(a) > shift(b); });
  if (rows.size() > kChartRows) rows.resize(kChartRows);
  if (!rows.empty()) {
    double low = 0;
    double high = 1;
    for (const auto* learned : rows) {
      low = std::min({low, learned->prior.low, learned->posterior.low});
      high = std::max({high, learned->prior.high, learned->posterior.high});
    }
    svg::ChartOptions options;
    options.id = "posterior-chart";
    options.title = "Posterior against prior";
    options.subtitle =
        "the parameters the record moved most; lines are 90% intervals, marks "
        "the means (weights as used in evaluation)";
    options.description = options.title + ": " + options.subtitle;
    options.x_label = "value";
    double widest = 80;
    for (const auto* learned : rows) {
      widest = std::max(widest, svg::EstimateTextWidth(learned->name, 11));
    }
    options.width = 820;
    options.margin_left = std::min(340.0, widest + 16);
    options.height = 44 + 30 + 52 + static_cast<double>(rows.size()) * 28 + 10;
    svg::Chart chart(options, svg::Domain{low, high},
                     svg::Domain{0.4, static_cast<double>(rows.size()) + 0.6});
    std::vector<std::pair<double, std::string>> labels;
    for (std::size_t row = 0; row < rows.size(); ++row) {
      const uncertainty::LearnedParameter& learned = *rows[row];
      double at = static_cast<double>(rows.size() - row);
      labels.emplace_back(at, learned.name);
      std::string tooltip =
          fmt::format("{}: prior {:.3f} [{:.3f}, {:.3f}], posterior {:.3f} [{:.3f}, {:.3f}]",
                      learned.name, learned.prior.mean, learned.prior.low, learned.prior.high,
                      learned.posterior.mean, learned.posterior.low, learned.posterior.high);
      chart.Path({{learned.prior.low, at + 0.12}, {learned.prior.high, at + 0.12}},
                 svg::Style(svg::kMuted, 3), svg::Tag("prior", {}, tooltip));
      chart.Marker({learned.prior.mean, at + 0.12}, svg::Shape::kCircle, 8,
                   svg::Style(svg::kMuted, 1, "", svg::kMuted),
                   svg::Tag("prior-mean", {}, tooltip));
      chart.Path({{learned.posterior.low, at - 0.12}, {learned.posterior.high, at - 0.12}},
                 svg::Style(svg::SeriesColor(0), 3), svg::Tag("posterior", {}, tooltip));
      chart.Marker({learned.posterior.mean, at - 0.12}, svg::Shape::kDiamond, 9,
                   svg::Style(svg::SeriesColor(0), 1, "", svg::SeriesColor(0)),
                   svg::Tag("posterior-mean", {}, tooltip));
    }
    chart.SetYTickLabels(labels);
    chart.AddLegend(svg::LegendEntry(svg::LegendEntry::Kind::kLineAndMarker, "prior",
                                     svg::Style(svg::kMuted, 3, "", svg::kMuted)));
    chart.AddLegend(svg::LegendEntry(svg::LegendEntry::Kind::kLineAndMarker, "posterior",
                                     svg::Style(svg::SeriesColor(0), 3, "", svg::SeriesColor(0)),
                                     svg::Shape::kDiamond));
    out += html::Figure(chart.Render(), "Narrower coloured lines: the record was informative.");
  }
  for (const std::string& warning : posterior.warnings) {
    out += "<p class=\"muted\">" + html::Text(warning) + "</p>\n";
  }
  out += "</section>\n";
  return out;
}

std::string ForecastSectionHtml(const model::Scenario& scenario,
                                const uncertainty::Forecast& forecast) {
  std::string out = "<section id=\"forecast\">\n<h2>Is a deal near?</h2>\n";
  out += "<p class=\"lead\">" + html::Text(forecast.summary) + "</p>\n";
  if (!forecast.gap_positions.empty()) {
    double right = std::max<double>(forecast.deadline_round, 1);
    svg::ChartOptions options;
    options.id = "forecast-gaps";
    options.title = "Gaps over time";
    options.subtitle = fmt::format(
        "overall gap between the latest offers and the acceptance gap (what the closest offer "
        "lacks for everyone); dashed line: the cut (round {}), the chart ends at the deadline",
        forecast.cut_round);
    options.description = options.title + ": " + options.subtitle;
    options.x_label = forecast.deadline_date.empty() ? "round" : "days since the start";
    options.y_label = "gap";
    double low = 0;
    double high = 0.1;
    for (double gap : forecast.overall_gaps) high = std::max(high, gap);
    for (double gap : forecast.acceptance_gaps) {
      low = std::min(low, gap);
      high = std::max(high, gap);
    }
    options.legend_width = 170;
    svg::Chart chart(options, svg::Domain{0, right}, svg::NiceDomain(svg::Domain{low, high}));
    std::vector<svg::Point> overall;
    for (std::size_t idx = 0; idx < forecast.gap_positions.size(); ++idx) {
      overall.push_back({forecast.gap_positions[idx], forecast.overall_gaps[idx]});
    }
    std::vector<svg::Point> acceptance;
    for (std::size_t idx = 0; idx < forecast.acceptance_positions.size(); ++idx) {
      acceptance.push_back({forecast.acceptance_positions[idx], forecast.acceptance_gaps[idx]});
    }
    chart.HorizontalLine(0, svg::Style(svg::kInk, 1), svg::Tag("zero"));
    chart.VerticalLine(forecast.cut_round, svg::Style(svg::kMuted, 1, "4 3"), svg::Tag("cut"));
    chart.Path(overall, svg::Style(svg::SeriesColor(0), 2), svg::Tag("overall-gap"));
    chart.Path(acceptance, svg::Style(svg::SeriesColor(1), 2, "6 3"), svg::Tag("acceptance-gap"));
    chart.AddLegend(svg::LegendEntry(svg::LegendEntry::Kind::kLine, "overall gap",
                                     svg::Style(svg::SeriesColor(0), 2)));
    chart.AddLegend(svg::LegendEntry(svg::LegendEntry::Kind::kLine, "acceptance gap",
                                     svg::Style(svg::SeriesColor(1), 2, "6 3")));
    out += html::Figure(chart.Render(),
                        "A deal comes when the acceptance gap reaches 0: an offer on the table is "
                        "then worth to every principal what it asks.");
  }
  std::vector<std::vector<std::string>> rows;
  auto row = [&](const std::string& name, const uncertainty::GapTrend& trend) {
    rows.push_back({html::Text(name), html::Fixed(trend.first_gap), html::Fixed(trend.latest_gap),
                    fmt::format("{:+.5f}", trend.trend.slope),
                    fmt::format("{:.3g}", trend.trend.p_value),
                    trend.narrowing ? "narrowing" : "not narrowing"});
  };
  row("overall", forecast.overall);
  for (const uncertainty::GapTrend& trend : forecast.issues) {
    row(scenario.issues[*trend.issue_idx].name, trend);
  }
  out += html::Table({"gap", "first", "latest", "slope per round", "p (narrowing)", "verdict"},
                     rows, {1, 2, 3, 4});
  for (const std::string& warning : forecast.warnings) {
    out += "<p class=\"muted\">" + html::Text(warning) + "</p>\n";
  }
  out += "</section>\n";
  return out;
}

std::string ForecastReportHtml(const model::Scenario& scenario,
                               const uncertainty::Forecast& forecast) {
  std::string title = scenario.meta.title.empty() ? scenario.name : scenario.meta.title;
  std::string body = "<header>\n<p class=\"kind\">parley &#183; forecast</p>\n<h1>" +
                     html::Text(title) + "</h1>\n</header>\n";
  if (!scenario.meta.banner.empty()) {
    body += "<div class=\"banner\" role=\"note\"><strong>Read this first.</strong> " +
            html::Text(scenario.meta.banner) + "</div>\n";
  }
  body += ForecastSectionHtml(scenario, forecast);
  return html::Page(title + " (parley forecast)", body);
}

}  // namespace parley::report
