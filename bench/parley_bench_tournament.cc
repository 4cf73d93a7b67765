// Tournament speed: the 10,000-session tournament of examples/tournament_anac.yaml (20 bilateral
// ANAC scenarios from ../shared/data, 5 strategies, every ordered pairing, 20 repetitions,
// 200 rounds) on 1 and 2 threads, results written to a fresh file each time, as
// `parley tournament` runs it. Skipped when ../shared/data is absent. Figures in
// docs/performance.md; the MPI comparison is run with mpirun (commands there).
//
// Counters: `sessions/s`; `s_per_10k` (seconds per 10,000 sessions, the target).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>

#include "parley/tournament/config.h"
#include "parley/tournament/runner.h"
#include "parley/tournament/tournament.h"

namespace parley::tournament {
namespace {

namespace fs = std::filesystem;

const Tournament* AnacTournament(std::string& error) {
  static std::unique_ptr<Tournament> tournament;
  static std::string failure;
  static bool loaded = false;
  if (!loaded) {
    loaded = true;
    Result<TournamentConfig> config =
        LoadTournamentConfig(std::string(PARLEY_SOURCE_DIR) + "/examples/tournament_anac.yaml");
    Result<std::unique_ptr<Tournament>> prepared =
        config.ok() ? Tournament::Prepare(*config)
                    : Result<std::unique_ptr<Tournament>>(config.status());
    if (prepared.ok()) {
      tournament = std::move(prepared).value();
    } else {
      failure = "needs ../shared/data: " + prepared.status().ToString();
    }
  }
  error = failure;
  return tournament.get();
}

void BM_Tournament(benchmark::State& state) {
  std::string error;
  const Tournament* tournament = AnacTournament(error);
  if (tournament == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  fs::path results = fs::temp_directory_path() / "parley_bench_tournament.csv";
  RunOptions options;
  options.results_path = results.string();
  options.summary_path =
      (fs::temp_directory_path() / "parley_bench_tournament.summary.csv").string();
  options.threads = static_cast<std::size_t>(state.range(0));
  options.progress = false;
  std::size_t sessions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove(results);
    state.ResumeTiming();
    Result<RunReport> report = RunTournament(*tournament, options);
    if (!report.ok()) {
      state.SkipWithError(report.status().ToString().c_str());
      return;
    }
    sessions += report->finished;
  }
  fs::remove(results);
  fs::remove(options.summary_path);
  state.counters["sessions/s"] =
      benchmark::Counter(static_cast<double>(sessions), benchmark::Counter::kIsRate);
  state.counters["s_per_10k"] =
      benchmark::Counter(static_cast<double>(sessions) / 10'000.0,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Tournament)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
}  // namespace parley::tournament
