// `parley report RESULTS|TRACE|SCENARIO -o report.html [--parties A,B]`: a self-contained HTML
// page with the pictures a mediator or analyst reads at a glance (docs/reports.md). What the
// input is comes from its content: a trace JSON (it has "parley_trace"), tournament results (CSV
// or JSON lines with session rows), otherwise a scenario in any form `parley info` accepts.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands.h"
#include "deadline.h"
#include "parley/base/file.h"
#include "parley/io/json_limits.h"
#include "parley/io/limits.h"
#include "parley/report/html_report.h"
#include "parley/report/tournament_report.h"
#include "parley/session/replay.h"
#include "parley/session/trace_json.h"
#include "parley/tournament/results.h"

namespace parley::cli {
namespace {

namespace fs = std::filesystem;

struct ReportOptions {
  io::ScenarioSource source;
  std::string output;
  std::string parties;
  double time_limit = kDefaultTimeLimitSeconds;
};

enum class InputKind { kScenario, kTrace, kResults, kSummary, kOtherCsv };

// Decides what a file holds from its first bytes and, for JSON, its top-level keys. Every parse
// here is within the limits of what it looks for, so a large or deep file costs no more than
// reading it; the reader it goes to then says what is wrong with it.
InputKind DetectInput(const std::string& path, const std::string& text) {
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return InputKind::kScenario;
  if (text[start] == '{') {
    // parley writes "parley_trace" first; a trace edited by hand is found by the full parse below.
    if (text.substr(start, 256).find("\"parley_trace\"") != std::string::npos) {
      return InputKind::kTrace;
    }
    // JSON lines of tournament results (a file with one row is one JSON value too).
    std::size_t end = text.find('\n', start);
    std::string first_line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (report::LooksLikeResultsJsonRow(first_line)) return InputKind::kResults;
    Result<io::Json> whole = io::ParseJson(text, io::TraceJsonLimits());
    if (whole.ok() && whole->is_object() && whole->contains("parley_trace")) {
      return InputKind::kTrace;
    }
    return InputKind::kScenario;
  }
  std::string extension = fs::path(path).extension().string();
  if (extension == ".yaml" || extension == ".yml" || extension == ".xml") {
    return InputKind::kScenario;
  }
  std::size_t end = text.find('\n', start);
  std::string header =
      text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (report::LooksLikeResultsCsvHeader(header)) return InputKind::kResults;
  // A tournament's per-strategy summary, or another CSV: say so rather than try it as a scenario.
  if (header.rfind("rank,strategy,role,observations", 0) == 0) return InputKind::kSummary;
  if (extension == ".csv") return InputKind::kOtherCsv;
  return InputKind::kScenario;
}

Result<std::string> TraceReport(const ReportOptions& options, const std::string& text,
                                std::stop_token stop) {
  const std::string& trace_path = options.source.path;
  PARLEY_ASSIGN_OR_RETURN(session::TraceHeader header, session::ReadTraceHeader(text, trace_path));
  if (header.scenario_files.empty()) {
    return InvalidInput("the trace records no scenario files to load the scenario from",
                        Location{trace_path, 0, 0, "scenario.files"});
  }
  const io::ScenarioSource source = session::TraceScenarioSource(header.scenario_files, trace_path);
  Result<model::Scenario> scenario = io::LoadScenario(source);
  if (!scenario.ok()) {
    Status status = scenario.status();
    return Status(
        status.code(),
        "cannot load the scenario the trace was made on (" + status.ToString() +
            "); each recorded path is tried as written and relative to the trace's folder",
        Location{trace_path, 0, 0, "scenario.files"});
  }
  PARLEY_ASSIGN_OR_RETURN(session::Trace trace,
                          session::ReadTraceJson(text, *scenario, trace_path));
  report::HtmlReportOptions report_options;
  report_options.parties = options.parties;
  report_options.source_files = {trace_path};
  report_options.space.stop = stop;
  for (const std::string& file : header.scenario_files) report_options.source_files.push_back(file);
  return report::TraceReportHtml(*scenario, trace, report_options);
}

Status RunReport(const ReportOptions& options) {
  const io::ScenarioSource& source = options.source;
  if (source.path.empty() && source.domain.empty()) {
    return InvalidInput("give a trace, tournament results or a scenario to report on",
                        Location::InField("input"));
  }
  InputKind kind = InputKind::kScenario;
  std::string text;
  std::error_code ec;
  if (!source.path.empty() && fs::is_regular_file(source.path, ec)) {
    // The largest of what it may be (results); each reader then applies its own limits.
    PARLEY_ASSIGN_OR_RETURN(text, ReadFileToString(source.path, io::kMaxResultsFileBytes));
    kind = DetectInput(source.path, text);
  }
  std::string page;
  Deadline deadline(options.time_limit);
  switch (kind) {
    case InputKind::kSummary: {
      std::string results = source.path;
      const std::string suffix = ".summary.csv";
      if (results.size() > suffix.size() &&
          results.compare(results.size() - suffix.size(), suffix.size(), suffix) == 0) {
        results = results.substr(0, results.size() - suffix.size()) + ".csv";
      } else {
        results = "the results file (parley tournament -o)";
      }
      return InvalidInput(
          "this is a tournament's per-strategy summary, which holds too little "
          "for a report; report on the results it summarises instead: " +
              results,
          Location::InFile(source.path));
    }
    case InputKind::kOtherCsv:
      return InvalidInput(
          "a CSV file that is not tournament results (their header starts with "
          "session,config,scenario); parley report takes a trace JSON, tournament results or a "
          "scenario",
          Location::InFile(source.path));
    case InputKind::kTrace: {
      Result<std::string> made = TraceReport(options, text, deadline.token());
      if (!made.ok()) return deadline.Explain(made.status(), "the report's analysis");
      page = std::move(made).value();
      break;
    }
    case InputKind::kResults: {
      PARLEY_ASSIGN_OR_RETURN(tournament::ResultsTable results,
                              tournament::ParseResults(text, source.path));
      report::TournamentReportOptions report_options;
      report_options.source_files = {source.path};
      PARLEY_ASSIGN_OR_RETURN(page, report::TournamentReportHtml(results, report_options));
      break;
    }
    case InputKind::kScenario: {
      PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario, io::LoadScenario(source));
      report::HtmlReportOptions report_options;
      report_options.parties = options.parties;
      report_options.source_files = session::ScenarioFilesOf(source);
      report_options.space.stop = deadline.token();
      Result<std::string> made = report::ScenarioReportHtml(scenario, report_options);
      if (!made.ok()) return deadline.Explain(made.status(), "the report's analysis");
      page = std::move(made).value();
      break;
    }
  }
  PARLEY_RETURN_IF_ERROR(WriteFileAtomically(options.output, page));
  std::string message = "Report written to " + options.output + "\n";
  std::fwrite(message.data(), 1, message.size(), stdout);
  return Status::Ok();
}

}  // namespace

void AddReportCommand(CLI::App& app, std::vector<Action>& actions) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* command = app.add_subcommand(
      "report", "Write a self-contained HTML report of a scenario, a trace or tournament results");
  command->add_option("input", options->source.path,
                      "a trace JSON (parley negotiate --trace), tournament results (CSV or JSON "
                      "lines), or a scenario (parley YAML/JSON file, GENIUS or GeniusWeb folder)");
  command->add_option("--domain", options->source.domain,
                      "GENIUS XML or GeniusWeb JSON domain file");
  command->add_option("--profile", options->source.profiles,
                      "profile file (repeat for each party)");
  command->add_option("-o,--output", options->output, "the HTML file to write")->required();
  command->add_option("--parties", options->parties,
                      "the two parties of the utility space, A,B by id (default: the first two "
                      "principals)");
  AddTimeLimitOption(*command, options->time_limit);
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status { return RunReport(*options); });
  });
}

}  // namespace parley::cli
