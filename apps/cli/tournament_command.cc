// `parley tournament CONFIG.yaml [-o RESULTS] [--format csv|jsonl] [--summary FILE]
// [--threads N] [--mpi] [--no-progress]`: runs every session of a tournament config on all cores
// (or over MPI ranks), appends one row per session to the results file, resumes from it, and
// prints the per-strategy summary (docs/tournament.md).
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands.h"
#include "parley/tournament/config.h"
#include "parley/tournament/mpi.h"
#include "parley/tournament/runner.h"
#include "parley/tournament/statistics.h"
#include "parley/tournament/tournament.h"

namespace parley::cli {
namespace {

namespace fs = std::filesystem;
using tournament::ResultsFormat;

struct TournamentOptions {
  std::string config;
  std::string output;
  std::string format;
  std::string summary;
  int threads = -1;  // -1: every core, or one per rank with --mpi
  bool mpi = false;
  bool no_progress = false;
};

struct Prepared {
  std::unique_ptr<tournament::Tournament> tournament;
  tournament::RunOptions run;
};

Result<Prepared> Prepare(const TournamentOptions& options) {
  PARLEY_ASSIGN_OR_RETURN(tournament::TournamentConfig config,
                          tournament::LoadTournamentConfig(options.config));
  Prepared prepared;
  tournament::RunOptions& run = prepared.run;
  run.results_path = options.output.empty() ? config.output : options.output;
  std::optional<ResultsFormat> format = config.format;
  if (!options.format.empty()) {
    Result<ResultsFormat> parsed = tournament::ParseResultsFormat(options.format);
    if (!parsed.ok()) {
      return InvalidInput(parsed.status().message(), Location::InField("--format"));
    }
    format = *parsed;
  }
  if (run.results_path.empty()) {
    // CONFIG.yaml -> CONFIG.results.csv (or .jsonl) in the current folder.
    fs::path stem = fs::path(options.config).stem();
    bool jsonl = format && *format == ResultsFormat::kJsonl;
    run.results_path = stem.string() + (jsonl ? ".results.jsonl" : ".results.csv");
  }
  run.format = format ? *format : tournament::FormatForPath(run.results_path);
  run.summary_path = options.summary;
  if (options.threads >= 0) {
    run.threads = static_cast<std::size_t>(options.threads);
  } else {
    run.threads = options.mpi ? 1 : 0;
  }
  run.progress = !options.no_progress;
  run.should_stop = [](std::size_t) { return tournament::InterruptHandler::Requested(); };
  PARLEY_ASSIGN_OR_RETURN(prepared.tournament, tournament::Tournament::Prepare(std::move(config)));
  return prepared;
}

Status Report(const tournament::Tournament& tournament, const tournament::RunReport& report,
              const tournament::RunOptions& run) {
  std::string text = tournament::DescribeRun(tournament, report, run.results_path);
  if (!report.summary.empty()) {
    text += "\n" + tournament::SummaryTable(report.summary, tournament.config().confidence);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  if (report.stopped) {
    return Status(ErrorCode::kCancelled,
                  fmt::format("interrupted: {} of {} sessions are in {} ({} finished in this run); "
                              "run the same command again to resume",
                              report.previously_done + report.finished, report.total,
                              run.results_path, report.finished));
  }
  return Status::Ok();
}

Status RunThreaded(const TournamentOptions& options) {
  PARLEY_ASSIGN_OR_RETURN(Prepared prepared, Prepare(options));
  tournament::InterruptHandler interrupts;
  PARLEY_ASSIGN_OR_RETURN(tournament::RunReport report,
                          tournament::RunTournament(*prepared.tournament, prepared.run));
  return Report(*prepared.tournament, report, prepared.run);
}

Status RunMpi(const TournamentOptions& options) {
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<tournament::MpiEnvironment> mpi,
                          tournament::MpiEnvironment::Initialize());
  tournament::InterruptHandler interrupts;
  Result<Prepared> prepared = Prepare(options);
  Status agreed =
      mpi->AgreeOnSetup(prepared.status(), prepared.ok() ? prepared->tournament->fingerprint() : "",
                        prepared.ok() ? prepared->tournament->sessions().size() : 0);
  if (!agreed.ok()) {
    // A worker with nothing to add: rank 0 reports the failure.
    if (agreed.code() == ErrorCode::kCancelled && agreed.message().empty()) return Status::Ok();
    return agreed;
  }
  if (mpi->rank() != 0) {
    prepared->run.progress = false;
    return tournament::RunMpiWorker(*prepared->tournament, prepared->run, *mpi);
  }
  PARLEY_ASSIGN_OR_RETURN(tournament::RunReport report,
                          tournament::RunTournamentMpi(*prepared->tournament, prepared->run, *mpi));
  return Report(*prepared->tournament, report, prepared->run);
}

}  // namespace

void AddTournamentCommand(CLI::App& app, std::vector<Action>& actions) {
  auto options = std::make_shared<TournamentOptions>();
  CLI::App* command = app.add_subcommand(
      "tournament",
      "Run every session of a tournament config (scenarios x strategy pairings x repetitions) "
      "on all cores or over MPI; resumable");
  command->add_option("config", options->config, "tournament config YAML (docs/tournament.md)")
      ->required();
  command->add_option("-o,--output", options->output,
                      "results file, one row per session (default: the config's output, else "
                      "CONFIG.results.csv); re-running resumes it");
  command->add_option("--format", options->format,
                      "csv or jsonl (default: the config's format, else by extension)");
  command->add_option("--summary", options->summary,
                      "per-strategy summary CSV (default: RESULTS.summary.csv)");
  command
      ->add_option("--threads", options->threads,
                   "threads running sessions (default: every core; with --mpi: 1 per rank)")
      ->check(CLI::Range(1, 4096));
  command->add_flag("--mpi", options->mpi,
                    "spread sessions over MPI ranks (run under mpirun; rank 0 writes the results)");
  command->add_flag("--no-progress", options->no_progress, "print no progress on stderr");
  command->callback([options, &actions] {
    actions.push_back(
        [options]() -> Status { return options->mpi ? RunMpi(*options) : RunThreaded(*options); });
  });
}

}  // namespace parley::cli
