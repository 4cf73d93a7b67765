// `parley analyze SCENARIO [--json] [--parties a,b]`: is a deal possible, which one is fair, what
// blocks it, how far apart are the parties.
#include <chrono>
#include <cstdio>
#include <memory>

#include "commands.h"
#include "parley/analysis/analyze.h"
#include "parley/base/file.h"
#include "parley/report/analysis_report.h"
#include "parley/report/html_report.h"
#include "parley/session/replay.h"

namespace parley::cli {

void AddAnalyzeCommand(CLI::App& app, std::vector<Action>& actions) {
  struct Options {
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
  };
  auto options = std::make_shared<Options>();
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
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status {
      auto start = std::chrono::steady_clock::now();
      PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario, io::LoadScenario(options->source));
      double load_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      analysis::AnalysisOptions analysis_options;
      PARLEY_ASSIGN_OR_RETURN(analysis_options.parties,
                              analysis::ResolveParties(scenario, options->parties));
      analysis_options.pareto.respect_red_lines = !options->ignore_red_lines;
      analysis_options.pareto.enumeration_limit = options->enumeration_limit;
      analysis_options.pareto.threads = options->threads;
      analysis_options.zopa.enumeration_limit = options->enumeration_limit;
      if (!options->outcome.empty()) {
        PARLEY_ASSIGN_OR_RETURN(analysis_options.outcome,
                                analysis::ParseOutcome(scenario, options->outcome));
      }
      if (options->offers.size() == 2) {
        PARLEY_ASSIGN_OR_RETURN(model::Outcome first,
                                analysis::ParseOutcome(scenario, options->offers[0]));
        PARLEY_ASSIGN_OR_RETURN(model::Outcome second,
                                analysis::ParseOutcome(scenario, options->offers[1]));
        analysis_options.offers = std::make_pair(first, second);
      }
      PARLEY_ASSIGN_OR_RETURN(analysis::ScenarioAnalysis analysis,
                              analysis::AnalyzeScenario(scenario, analysis_options));
      std::string text;
      if (options->json) {
        report::AnalysisReportOptions report_options;
        report_options.max_points = options->max_points;
        report_options.load_ms = load_ms;
        text = report::AnalysisToJson(scenario, analysis, report_options).dump(2) + "\n";
      } else {
        text = report::RenderAnalysisText(scenario, analysis);
      }
      if (!options->report.empty()) {
        report::HtmlReportOptions report_options;
        if (analysis.parties.size() >= 2) {
          report_options.parties = scenario.parties[analysis.parties[0]].id + "," +
                                   scenario.parties[analysis.parties[1]].id;
        }
        report_options.space.analysis_enumeration_limit = options->enumeration_limit;
        report_options.space.threads = options->threads;
        report_options.source_files = session::ScenarioFilesOf(options->source);
        PARLEY_ASSIGN_OR_RETURN(std::string page,
                                report::ScenarioReportHtml(scenario, report_options));
        PARLEY_RETURN_IF_ERROR(WriteFileAtomically(options->report, page));
        if (!options->json) text += "\nReport written to " + options->report + "\n";
      }
      std::fwrite(text.data(), 1, text.size(), stdout);
      return Status::Ok();
    });
  });
}

}  // namespace parley::cli
