// `parley forecast TRACE|RECORD [--scenario S] [--at-round K] [--json] [--report FILE]`: is a
// deal near? The probability of agreement by the deadline with its interval, when to expect it,
// and whether the gaps are narrowing, judged from the record before round K.
#include <cstdio>
#include <memory>
#include <optional>

#include "commands.h"
#include "parley/base/file.h"
#include "parley/io/command_text.h"
#include "parley/report/uncertainty_report.h"
#include "parley/session/record.h"
#include "parley/uncertainty/forecast.h"
#include "parley/uncertainty/robust.h"

namespace parley::cli {

namespace {

// The command's options as given.
struct ForecastCommandOptions {
  std::string record;
  std::string scenario;
  std::optional<int> at_round;
  bool json = false;
  std::string parties;
  std::uint64_t samples = 1000;
  std::uint64_t seed = 1;
  int threads = 0;
  std::string report;
};

// The probability of a zone of agreement when the compared principals' preferences are
// uncertain (ranges, red lines that may not hold); none when they are certain.
Result<std::optional<uncertainty::Probability>> ZoneProbability(
    const model::Scenario& scenario, const std::vector<std::size_t>& parties,
    const ForecastCommandOptions& options) {
  bool uncertain = !scenario.uncertainty.empty();
  for (std::size_t party_idx : parties) {
    for (const model::RedLine& red_line : scenario.parties[party_idx].preferences->red_lines) {
      if (red_line.holds < 1) uncertain = true;
    }
  }
  if (!uncertain) return std::optional<uncertainty::Probability>();
  uncertainty::RobustOptions robust_options;
  robust_options.samples = options.samples;
  robust_options.seed = options.seed;
  robust_options.threads = options.threads;
  PARLEY_ASSIGN_OR_RETURN(uncertainty::RobustAnalysis robust,
                          uncertainty::AnalyzeUncertainty(scenario, parties, 0, robust_options));
  return std::optional<uncertainty::Probability>(robust.zopa_probability);
}

Status RunForecast(const ForecastCommandOptions& options) {
  io::ScenarioSource source;
  if (!options.scenario.empty()) {
    source.path = options.scenario;
  } else {
    PARLEY_ASSIGN_OR_RETURN(source, session::RecordScenarioSource(options.record));
  }
  PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario, io::LoadScenario(source));
  PARLEY_ASSIGN_OR_RETURN(model::Record record, session::LoadRecord(options.record, scenario));
  uncertainty::ForecastOptions forecast_options;
  forecast_options.at_round = options.at_round;
  forecast_options.seed = options.seed;
  PARLEY_ASSIGN_OR_RETURN(forecast_options.parties, io::ResolveParties(scenario, options.parties));
  PARLEY_ASSIGN_OR_RETURN(std::optional<uncertainty::Probability> zone_probability,
                          ZoneProbability(scenario, forecast_options.parties, options));
  forecast_options.zone_probability = zone_probability;
  PARLEY_ASSIGN_OR_RETURN(uncertainty::Forecast forecast,
                          uncertainty::ForecastAgreement(scenario, record, forecast_options));
  std::string text;
  if (options.json) {
    text = report::ForecastToJson(scenario, forecast).dump(2) + "\n";
  } else {
    if (!scenario.meta.banner.empty()) text += "NOTE: " + scenario.meta.banner + "\n\n";
    if (!record.note.empty()) text += "RECORD: " + record.note + "\n\n";
    text += report::RenderForecastText(scenario, forecast);
  }
  if (!options.report.empty()) {
    PARLEY_RETURN_IF_ERROR(
        WriteFileAtomically(options.report, report::ForecastReportHtml(scenario, forecast)));
    if (!options.json) text += "\nReport written to " + options.report + "\n";
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return Status::Ok();
}

}  // namespace

void AddForecastCommand(CLI::App& app, std::vector<Action>& actions) {
  auto options = std::make_shared<ForecastCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "forecast", "Is a deal near? Agreement probability by the deadline and gap trends");
  command
      ->add_option("record", options->record,
                   "a trace (finished or running), an exported live room, or a record file")
      ->required();
  command->add_option("--scenario", options->scenario,
                      "the scenario (default: the one the trace or record names)");
  command->add_option("--at-round", options->at_round,
                      "use only what happened before this round (or day, for dated records)");
  command->add_flag("--json", options->json, "print one JSON object (see docs/cli.md)");
  command->add_option("--parties", options->parties,
                      "comma-separated principals to compare (default: enabled principals)");
  command->add_option("--samples", options->samples,
                      "samples for the probability of a zone when preferences carry ranges");
  command->add_option("--seed", options->seed, "seed (same seed, same answer)");
  command->add_option("--threads", options->threads, "threads (0 = all cores)");
  command->add_option("--report", options->report, "also write a self-contained HTML report");
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status { return RunForecast(*options); });
  });
}

}  // namespace parley::cli
