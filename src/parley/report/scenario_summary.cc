#include "parley/report/scenario_summary.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "parley/io/outcome_json.h"
#include "parley/model/hyper_rectangle_utility.h"

namespace parley::report {
namespace {

using io::Json;

Json IssueToJson(const model::Scenario& scenario, const model::Issue& issue) {
  Json out;
  out["id"] = issue.id;
  out["name"] = issue.name;
  out["type"] = std::string(model::IssueKindName(issue.kind));
  if (!issue.description.empty()) out["description"] = issue.description;
  if (!issue.unit.empty()) out["unit"] = issue.unit;
  out["num_options"] = issue.NumOptions();
  switch (issue.kind) {
    case model::IssueKind::kDiscrete:
      out["ordered"] = issue.ordered;
      out["options"] = issue.options;
      if (!issue.option_descriptions.empty())
        out["option_descriptions"] = issue.option_descriptions;
      break;
    case model::IssueKind::kInteger:
      out["range"] = {issue.integer_lower, issue.integer_upper};
      break;
    case model::IssueKind::kReal:
      out["range"] = {issue.real_lower, issue.real_upper};
      out["step"] = issue.real_step;
      break;
  }
  if (!issue.phase.empty()) out["phase"] = issue.phase;
  auto provenance = scenario.provenance.find("issues." + issue.id);
  if (provenance != scenario.provenance.end() &&
      provenance->second.source != model::Source::kUnspecified) {
    out["source"] = std::string(model::SourceName(provenance->second.source));
  }
  return out;
}

Json PartyToJson(const model::Scenario& scenario, const model::OutcomeSpace& space,
                 const model::Party& party, std::uint64_t enumeration_limit) {
  Json out;
  out["id"] = party.id;
  out["name"] = party.name;
  out["role"] = std::string(model::RoleName(party.role));
  out["enabled"] = party.enabled;
  if (!party.description.empty()) out["description"] = party.description;
  if (!party.source_file.empty()) out["source_file"] = party.source_file;
  if (!party.preferences) {
    out["preferences"] = nullptr;
    return out;
  }
  const model::Preferences& preferences = *party.preferences;
  Json prefs;
  prefs["utility"] = std::string(preferences.utility->Kind());
  if (space.Count() == BigCount(0)) {
    prefs["utility_range"] = nullptr;
  } else {
    model::UtilityRange range =
        model::ComputeUtilityRange(*preferences.utility, space, enumeration_limit);
    prefs["utility_range"] = {{"min", range.min},
                              {"max", range.max},
                              {"exact", range.exact},
                              {"worst", io::OutcomeJson(scenario, range.argmin)},
                              {"best", io::OutcomeJson(scenario, range.argmax)}};
  }
  if (preferences.reservation_value) {
    prefs["reservation"] = *preferences.reservation_value;
  } else {
    prefs["reservation"] = nullptr;
  }
  if (preferences.reservation_outcome) {
    prefs["reservation_outcome"] = io::OutcomeJson(scenario, *preferences.reservation_outcome);
  }
  prefs["discount"] = preferences.discount;
  if (const auto* additive =
          dynamic_cast<const model::AdditiveUtility*>(preferences.utility.get())) {
    Json weights = Json::object();
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      weights[scenario.issues[issue_idx].id] = additive->weights()[issue_idx];
    }
    prefs["weights"] = weights;
  }
  Json red_lines = Json::array();
  for (std::size_t line_idx = 0; line_idx < preferences.red_lines.size(); ++line_idx) {
    const model::RedLine& red_line = preferences.red_lines[line_idx];
    Json line;
    line["id"] = model::Scenario::RedLineId(preferences, line_idx);
    line["kind"] = red_line.kind == model::RedLine::Kind::kForbid ? "forbid" : "require";
    line["expression"] = red_line.text;
    if (!red_line.description.empty()) line["description"] = red_line.description;
    line["holds"] = red_line.holds;
    red_lines.push_back(line);
  }
  prefs["red_lines"] = red_lines;
  // Ranges on this party's numbers, as written (weights before division by their sum).
  Json ranges = Json::array();
  const std::string prefix = "parties." + party.id + ".preferences.";
  for (const auto& [path, range] : scenario.uncertainty.ranges) {
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    ranges.push_back({{"parameter", model::ParameterNameOfPath(party.id, path)},
                      {"value", range.value},
                      {"low", range.low},
                      {"high", range.high},
                      {"distribution", std::string(model::DistributionName(range.distribution))}});
  }
  prefs["ranges"] = ranges;
  out["preferences"] = prefs;
  return out;
}

}  // namespace

Json SummarizeScenario(const model::Scenario& scenario, std::uint64_t enumeration_limit) {
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  Json out;
  out["name"] = scenario.name;
  out["format"] = std::string(model::SourceFormatName(scenario.source_format));
  out["source_files"] = scenario.source_files;
  Json meta = Json::object();
  if (!scenario.meta.title.empty()) meta["title"] = scenario.meta.title;
  if (!scenario.meta.description.empty()) meta["description"] = scenario.meta.description;
  if (!scenario.meta.as_of.empty()) meta["as_of"] = scenario.meta.as_of;
  if (!scenario.meta.banner.empty()) meta["banner"] = scenario.meta.banner;
  if (!scenario.meta.references.empty()) meta["references"] = scenario.meta.references;
  out["meta"] = meta;
  out["outcomes"] = space.Count().ToString();
  out["outcomes_display"] = space.Count().ToDisplayString();
  out["outcomes_log10"] = space.Count() == BigCount(0) ? 0.0 : space.Count().Log10();

  Json issues = Json::array();
  for (const model::Issue& issue : scenario.issues) issues.push_back(IssueToJson(scenario, issue));
  out["issues"] = issues;

  Json phases = Json::array();
  for (const model::Phase& phase : scenario.phases) {
    Json entry;
    entry["id"] = phase.id;
    entry["label"] = phase.label;
    if (!phase.description.empty()) entry["description"] = phase.description;
    Json phase_issues = Json::array();
    for (std::size_t issue_idx : phase.issue_indices) {
      phase_issues.push_back(scenario.issues[issue_idx].id);
    }
    entry["issues"] = phase_issues;
    phases.push_back(entry);
  }
  out["phases"] = phases;

  Json parties = Json::array();
  for (const model::Party& party : scenario.parties) {
    parties.push_back(PartyToJson(scenario, space, party, enumeration_limit));
  }
  out["parties"] = parties;

  std::array<int, 4> counts{};
  for (const auto& [path, provenance] : scenario.provenance) {
    ++counts[static_cast<std::size_t>(provenance.source)];
  }
  std::size_t soft_red_lines = 0;
  for (const model::Party& party : scenario.parties) {
    if (!party.preferences) continue;
    for (const model::RedLine& red_line : party.preferences->red_lines) {
      if (red_line.holds < 1) ++soft_red_lines;
    }
  }
  out["uncertainty"] = {{"ranges", scenario.uncertainty.ranges.size()},
                        {"red_lines_not_certainly_firm", soft_red_lines}};
  out["provenance"] = {{"report", counts[static_cast<std::size_t>(model::Source::kReport)]},
                       {"assumption", counts[static_cast<std::size_t>(model::Source::kAssumption)]},
                       {"derived", counts[static_cast<std::size_t>(model::Source::kDerived)]}};
  return out;
}

namespace {

std::string FormatUtility(double value) { return fmt::format("{:.4f}", value); }

std::string DescribeIssueOptions(const Json& issue) {
  std::string type = issue["type"];
  if (type == "discrete") {
    std::string out;
    for (const auto& option : issue["options"]) {
      if (!out.empty()) out += issue["ordered"].get<bool>() ? " < " : " | ";
      out += option.get<std::string>();
    }
    return out;
  }
  auto number = [](const Json& value) {
    return value.is_number_float() ? model::FormatNumber(value.get<double>()) : value.dump();
  };
  std::string out = fmt::format("{} .. {}", number(issue["range"][0]), number(issue["range"][1]));
  if (type == "real") out += fmt::format(" step {}", number(issue["step"]));
  if (issue.contains("unit")) out += " " + issue["unit"].get<std::string>();
  return out;
}

// "issue=label, issue=label" from an outcome's JSON (io::OutcomeJson), numbers in their shortest
// form.
std::string DescribeOutcomeJson(const Json& outcome) {
  std::string out;
  for (const auto& [issue, value] : outcome.items()) {
    if (!out.empty()) out += ", ";
    out += issue + "=";
    if (value.is_string()) {
      out += value.get<std::string>();
    } else if (value.is_number_float()) {
      out += model::FormatNumber(value.get<double>());
    } else {
      out += value.dump();
    }
  }
  return out;
}

}  // namespace

std::string RenderScenarioSummaryText(const Json& summary) {
  std::string out;
  const Json& meta = summary["meta"];
  if (meta.contains("banner")) {
    out += "NOTE: " + meta["banner"].get<std::string>() + "\n\n";
  }
  out += meta.contains("title") ? meta["title"].get<std::string>()
                                : summary["name"].get<std::string>();
  out += "\n";
  if (meta.contains("as_of")) out += "as of " + meta["as_of"].get<std::string>() + "\n";
  out += fmt::format("format: {}   outcomes: {}\n", summary["format"].get<std::string>(),
                     summary["outcomes"].get<std::string>());
  if (summary["outcomes"].get<std::string>() != summary["outcomes_display"].get<std::string>()) {
    out += fmt::format("          (about {})\n", summary["outcomes_display"].get<std::string>());
  }

  out += fmt::format("\nparties ({})\n", summary["parties"].size());
  for (const auto& party : summary["parties"]) {
    out += fmt::format("  {:<20} {:<10}{}", party["id"].get<std::string>(),
                       party["role"].get<std::string>(),
                       party["enabled"].get<bool>() ? "" : " (disabled)");
    if (party["name"] != party["id"]) out += "  " + party["name"].get<std::string>();
    out += "\n";
    if (party["preferences"].is_null()) continue;
    const auto& prefs = party["preferences"];
    std::string reservation = prefs["reservation"].is_null()
                                  ? std::string("none stated")
                                  : FormatUtility(prefs["reservation"].get<double>());
    if (!prefs["utility_range"].is_null()) {
      const auto& range = prefs["utility_range"];
      out += fmt::format("      utility {} in [{}, {}]{}   reservation {}",
                         prefs["utility"].get<std::string>(), FormatUtility(range["min"]),
                         FormatUtility(range["max"]),
                         range["exact"].get<bool>() ? "" : " (range found by search)", reservation);
    } else {
      out += fmt::format("      utility {}   reservation {}", prefs["utility"].get<std::string>(),
                         reservation);
    }
    if (prefs["discount"].get<double>() != 1.0) {
      out += fmt::format("   discount {}", prefs["discount"].dump());
    }
    out += "\n";
    if (!prefs["utility_range"].is_null() && summary["issues"].size() <= 12) {
      out += "      best:  " + DescribeOutcomeJson(prefs["utility_range"]["best"]) + "\n";
    }
    for (const auto& red_line : prefs["red_lines"]) {
      out += fmt::format("      red line ({}): {}", red_line["kind"].get<std::string>(),
                         red_line["expression"].get<std::string>());
      if (red_line.contains("description")) {
        out += "  -- " + red_line["description"].get<std::string>();
      }
      if (red_line["holds"].get<double>() != 1.0) {
        out += fmt::format("  [firm with probability {}]",
                           model::FormatNumber(red_line["holds"].get<double>()));
      }
      out += "\n";
    }
    for (const auto& range : prefs["ranges"]) {
      out += fmt::format("      range {:<44} {:>6} in [{}, {}]{}\n",
                         range["parameter"].get<std::string>(),
                         model::FormatNumber(range["value"].get<double>()),
                         model::FormatNumber(range["low"].get<double>()),
                         model::FormatNumber(range["high"].get<double>()),
                         range["distribution"] == "uniform" ? "" : " triangular");
    }
  }

  out += fmt::format("\nissues ({})\n", summary["issues"].size());
  for (const auto& issue : summary["issues"]) {
    out += fmt::format("  {:<24} {:<8} {:>6} options: {}", issue["id"].get<std::string>(),
                       issue["type"].get<std::string>(), issue["num_options"].dump(),
                       DescribeIssueOptions(issue));
    if (issue.contains("phase")) out += "  [phase " + issue["phase"].get<std::string>() + "]";
    out += "\n";
    // The issue and its options in words, beside the ids files and --outcome use.
    if (issue["name"] != issue["id"] && !issue["name"].get<std::string>().empty()) {
      out += "      " + issue["name"].get<std::string>() + "\n";
    }
    if (issue.contains("option_descriptions")) {
      for (std::size_t option_idx = 0; option_idx < issue["options"].size(); ++option_idx) {
        const std::string description = issue["option_descriptions"][option_idx];
        if (description.empty()) continue;
        out += "        " + issue["options"][option_idx].get<std::string>() + ": " + description +
               "\n";
      }
    }
  }

  if (!summary["phases"].empty()) {
    out += fmt::format("\nphases ({})\n", summary["phases"].size());
    int number = 1;
    for (const auto& phase : summary["phases"]) {
      std::string issues;
      for (const auto& issue : phase["issues"]) {
        if (!issues.empty()) issues += ", ";
        issues += issue.get<std::string>();
      }
      out += fmt::format("  {}. {} ({}): {}\n", number++, phase["label"].get<std::string>(),
                         phase["id"].get<std::string>(), issues);
    }
  }
  const auto& uncertainty = summary["uncertainty"];
  if (uncertainty["ranges"].get<std::size_t>() > 0 ||
      uncertainty["red_lines_not_certainly_firm"].get<std::size_t>() > 0) {
    out += fmt::format(
        "\nuncertainty: {} values given as ranges, {} red lines not certainly firm "
        "(parley analyze --samples N weighs them)\n",
        uncertainty["ranges"].get<std::size_t>(),
        uncertainty["red_lines_not_certainly_firm"].get<std::size_t>());
  }
  const auto& provenance = summary["provenance"];
  int tagged = provenance["report"].get<int>() + provenance["assumption"].get<int>() +
               provenance["derived"].get<int>();
  if (tagged > 0) {
    out += fmt::format("\nsources: {} values from the report, {} assumptions, {} derived\n",
                       provenance["report"].get<int>(), provenance["assumption"].get<int>(),
                       provenance["derived"].get<int>());
  }
  return out;
}

}  // namespace parley::report
