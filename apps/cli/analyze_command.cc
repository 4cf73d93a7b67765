// `parley analyze SCENARIO [--json] [--parties a,b] [--samples N --seed S --spread S]
// [--record FILE]`: is a deal possible, which one is fair, what blocks it, how far apart are the
// parties; with samples, how robust that verdict is across plausible preferences, and with a
// record, the same after learning from what the parties offered.
#include <chrono>
#include <cstdio>
#include <memory>

#include "commands.h"
#include "deadline.h"
#include "parley/analysis/analyze.h"
#include "parley/base/file.h"
#include "parley/io/command_text.h"
#include "parley/report/analysis_report.h"
#include "parley/report/html_report.h"
#include "parley/report/uncertainty_report.h"
#include "parley/session/record.h"
#include "parley/session/replay.h"
#include "parley/uncertainty/learning.h"
#include "parley/uncertainty/robust.h"

namespace parley::cli {

namespace {

// The command's options as given.
struct AnalyzeOptions {
  io::ScenarioSource source;
  bool json = false;
  std::string parties;
  std::string outcome;
  std::vector<std::string> offers;
  bool ignore_red_lines = false;
  std::size_t max_points = 0;
  std::uint64_t enumeration_limit = 20'000'000;
  int threads = 0;
  std::string report;
  double time_limit = kDefaultTimeLimitSeconds;
  std::uint64_t samples = 0;
  std::uint64_t seed = 1;
  double spread = 0;
  double confidence = 0.95;
  std::string record;
};

struct UncertaintyResults {
  std::optional<uncertainty::ParameterSet> set;
  std::optional<uncertainty::RobustAnalysis> robust;
  model::Record record;
  std::optional<uncertainty::Posterior> posterior;
  std::optional<uncertainty::RobustAnalysis> posterior_robust;
};

// Stops with kCancelled once `stop` is requested (the --time-limit watchdog).
Status AnalyzeUncertainty(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                          const AnalyzeOptions& options, const std::stop_token& stop,
                          UncertaintyResults& out) {
  if (options.samples == 0) {
    if (!options.record.empty()) {
      return InvalidInput("--record needs --samples N (the prior samples the record conditions)",
                          Location::InField("--record"));
    }
    if (options.spread != 0) {
      return InvalidInput("--spread needs --samples N", Location::InField("--spread"));
    }
    return Status::Ok();
  }
  uncertainty::RobustOptions robust_options;
  robust_options.samples = options.samples;
  robust_options.seed = options.seed;
  robust_options.confidence = options.confidence;
  robust_options.threads = options.threads;
  robust_options.stop = stop;
  if (!(options.confidence > 0 && options.confidence < 1)) {
    return InvalidInput("--confidence must lie strictly between 0 and 1",
                        Location::InField("--confidence"));
  }
  PARLEY_ASSIGN_OR_RETURN(uncertainty::ParameterSet set,
                          uncertainty::ParameterSet::Build(scenario, parties, options.spread));
  out.set.emplace(std::move(set));
  PARLEY_ASSIGN_OR_RETURN(uncertainty::ZoneSolver solver, uncertainty::ZoneSolver::Build(*out.set));
  std::vector<std::vector<double>> samples =
      uncertainty::DrawPriorSamples(*out.set, options.samples, options.seed, options.threads, stop);
  PARLEY_ASSIGN_OR_RETURN(
      out.robust, uncertainty::AnalyzeRobustness(*out.set, solver, samples, robust_options));
  if (options.record.empty()) return Status::Ok();
  PARLEY_ASSIGN_OR_RETURN(out.record, session::LoadRecord(options.record, scenario));
  uncertainty::LearningOptions learning;
  learning.seed = options.seed;
  learning.threads = options.threads;
  learning.stop = stop;
  PARLEY_ASSIGN_OR_RETURN(out.posterior,
                          uncertainty::LearnFromRecord(*out.set, out.record, samples, learning));
  PARLEY_ASSIGN_OR_RETURN(
      out.posterior_robust,
      uncertainty::AnalyzeRobustness(*out.set, solver, out.posterior->samples, robust_options));
  return Status::Ok();
}

// The library's options from the command's: parties and outcomes parsed, limits and the
// deadline's token set.
Result<analysis::AnalysisOptions> AnalysisOptionsFrom(const model::Scenario& scenario,
                                                      const AnalyzeOptions& options,
                                                      const std::stop_token& stop) {
  analysis::AnalysisOptions analysis_options;
  PARLEY_ASSIGN_OR_RETURN(analysis_options.parties, io::ResolveParties(scenario, options.parties));
  analysis_options.pareto.respect_red_lines = !options.ignore_red_lines;
  analysis_options.pareto.enumeration_limit = options.enumeration_limit;
  analysis_options.pareto.threads = options.threads;
  analysis_options.zopa.enumeration_limit = options.enumeration_limit;
  if (!options.outcome.empty()) {
    PARLEY_ASSIGN_OR_RETURN(analysis_options.outcome, io::ParseOutcome(scenario, options.outcome));
  }
  if (options.offers.size() == 2) {
    PARLEY_ASSIGN_OR_RETURN(model::Outcome first,
                            io::ParseOutcome(scenario, options.offers[0], "--offers"));
    PARLEY_ASSIGN_OR_RETURN(model::Outcome second,
                            io::ParseOutcome(scenario, options.offers[1], "--offers"));
    analysis_options.offers = std::make_pair(first, second);
  }
  analysis_options.pareto.stop = stop;
  analysis_options.zopa.stop = stop;
  analysis_options.obstacles.zopa.stop = stop;
  return analysis_options;
}

// The answer on standard output: one JSON object, or the text.
std::string RenderAnswer(const model::Scenario& scenario,
                         const analysis::ScenarioAnalysis& analysis,
                         const UncertaintyResults& uncertain, const AnalyzeOptions& options,
                         double load_ms) {
  if (options.json) {
    report::AnalysisReportOptions report_options;
    report_options.max_points = options.max_points;
    report_options.load_ms = load_ms;
    nlohmann::ordered_json json = report::AnalysisToJson(scenario, analysis, report_options);
    if (uncertain.robust) {
      json["uncertainty"] = report::RobustToJson(scenario, *uncertain.set, *uncertain.robust);
    }
    if (uncertain.posterior) {
      json["posterior"] =
          report::PosteriorToJson(scenario, *uncertain.set, *uncertain.posterior,
                                  *uncertain.posterior_robust, options.record, uncertain.record);
    }
    return json.dump(2) + "\n";
  }
  std::string text = report::RenderAnalysisText(scenario, analysis);
  if (uncertain.robust) {
    text += "\n" + report::RenderRobustText(scenario, *uncertain.set, *uncertain.robust);
  }
  if (uncertain.posterior) {
    text += "\n" + report::RenderPosteriorText(scenario, *uncertain.set, *uncertain.posterior,
                                               *uncertain.posterior_robust, uncertain.record);
  }
  return text;
}

// --report: the scenario's HTML report of the first two analysed parties, with the robust
// sections when samples were drawn.
Status WriteReport(const model::Scenario& scenario, const analysis::ScenarioAnalysis& analysis,
                   const UncertaintyResults& uncertain, const AnalyzeOptions& options,
                   const Deadline& deadline) {
  report::HtmlReportOptions report_options;
  if (analysis.parties.size() >= 2) {
    report_options.parties =
        scenario.parties[analysis.parties[0]].id + "," + scenario.parties[analysis.parties[1]].id;
  }
  report_options.space.analysis_enumeration_limit = options.enumeration_limit;
  report_options.space.threads = options.threads;
  report_options.space.stop = deadline.token();
  report_options.source_files = session::ScenarioFilesOf(options.source);
  if (uncertain.robust) {
    report_options.extra_sections.push_back(
        report::RobustSectionHtml(scenario, *uncertain.set, *uncertain.robust, "robust",
                                  "Does the verdict survive other plausible preferences?"));
  }
  if (uncertain.posterior) {
    report_options.extra_sections.push_back(
        report::PosteriorSectionHtml(scenario, *uncertain.posterior, uncertain.record));
    report_options.extra_sections.push_back(
        report::RobustSectionHtml(scenario, *uncertain.set, *uncertain.posterior_robust,
                                  "robust-posterior", "After learning from the record"));
  }
  Result<std::string> page = report::ScenarioReportHtml(scenario, report_options);
  if (!page.ok()) return deadline.Explain(page.status(), "the report's analysis");
  return WriteFileAtomically(options.report, *page);
}

Status RunAnalyze(const AnalyzeOptions& options) {
  auto start = std::chrono::steady_clock::now();
  PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario, io::LoadScenario(options.source));
  double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  Deadline deadline(options.time_limit);
  PARLEY_ASSIGN_OR_RETURN(analysis::AnalysisOptions analysis_options,
                          AnalysisOptionsFrom(scenario, options, deadline.token()));
  Result<analysis::ScenarioAnalysis> analyzed =
      analysis::AnalyzeScenario(scenario, analysis_options);
  if (!analyzed.ok()) return deadline.Explain(analyzed.status(), "the analysis");
  UncertaintyResults uncertain;
  Status uncertain_status =
      AnalyzeUncertainty(scenario, analyzed->parties, options, deadline.token(), uncertain);
  if (!uncertain_status.ok()) {
    return deadline.Explain(uncertain_status, "the robust analysis",
                            "draw fewer samples (--samples)");
  }
  std::string text = RenderAnswer(scenario, *analyzed, uncertain, options, load_ms);
  if (!options.report.empty()) {
    PARLEY_RETURN_IF_ERROR(WriteReport(scenario, *analyzed, uncertain, options, deadline));
    if (!options.json) text += "\nReport written to " + options.report + "\n";
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return Status::Ok();
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, std::vector<Action>& actions) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* command = app.add_subcommand(
      "analyze", "Pareto frontier, bargaining solutions, zone of agreement, obstacles and gaps");
  AddScenarioOptions(*command, options->source);
  command->add_flag("--json", options->json, "print one JSON object (see docs/cli.md)");
  command->add_option("--parties", options->parties,
                      "comma-separated party ids to analyse (default: enabled principals)");
  command->add_option("--outcome", options->outcome,
                      "place an outcome: issue=option,issue=option,... (every issue)");
  command
      ->add_option("--offers", options->offers,
                   "compare two offers (each issue=option,...): --offers A --offers B")
      ->expected(2);
  command->add_flag("--ignore-red-lines", options->ignore_red_lines,
                    "compute the frontier of the whole space, red lines ignored");
  command->add_option("--max-points", options->max_points,
                      "most frontier points in JSON (0 = all)");
  command->add_option("--enumeration-limit", options->enumeration_limit,
                      "largest space enumerated exactly for non-additive utilities");
  command->add_option("--threads", options->threads, "threads (0 = all cores)");
  command->add_option("--report", options->report,
                      "also write a self-contained HTML report (docs/reports.md) of the first two "
                      "analysed parties");
  AddTimeLimitOption(*command, options->time_limit);
  command->add_option(
      "--samples", options->samples,
      "robust analysis: draw N plausible sets of preferences (ranges, red lines' "
      "holds, --spread) and report how often a deal is possible (docs/uncertainty.md)");
  command->add_option("--seed", options->seed, "seed of the samples (same seed, same answer)");
  command->add_option("--spread", options->spread,
                      "give every weight, value and reservation without a range a spread of S "
                      "(the rule in docs/uncertainty.md)");
  command->add_option("--confidence", options->confidence,
                      "level of the intervals on probabilities (default 0.95)");
  command->add_option("--record", options->record,
                      "learn from a trace, an exported live room or a record file of observed "
                      "offers, and repeat the robust analysis on the posterior");
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status { return RunAnalyze(*options); });
  });
}

}  // namespace parley::cli
