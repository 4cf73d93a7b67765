// Running a prepared tournament: sessions on a thread pool, rows appended to the results file as
// they finish, progress on stderr, a clean stop on request, and the per-strategy summary at the
// end. Re-running the same config resumes: sessions
// already in the results file are skipped.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/tournament/results.h"
#include "parley/tournament/statistics.h"
#include "parley/tournament/tournament.h"

namespace parley::tournament {

struct RunOptions {
  std::string results_path;
  ResultsFormat format = ResultsFormat::kCsv;
  std::string summary_path;  // empty: DefaultSummaryPath(results_path)
  std::size_t threads = 0;   // 0: one per core
  bool progress = true;      // progress on stderr (an updating line on a terminal)
  // Polled between sessions with the number finished in this run; returning true stops the
  // tournament cleanly (running sessions are cancelled, finished rows stay).
  std::function<bool(std::size_t finished)> should_stop;
};

struct RunReport {
  std::size_t total = 0;            // sessions in the schedule
  std::size_t previously_done = 0;  // found in the results file at the start
  std::size_t finished = 0;         // finished by this run
  std::size_t threads = 0;          // compute threads (all ranks together under MPI)
  bool stopped = false;             // stopped on request before every session ran
  bool truncated_torn_row = false;  // the results file ended in a torn row, which was removed
  double seconds = 0;
  std::vector<SessionRecord> records;  // every row now in the results file, schedule order
  std::vector<StrategySummary> summary;
  std::string summary_path;
};

// Receives finished sessions on the coordinating thread and hands out the sessions still to run.
// The sessions to run are split into contiguous parts (regions), one per local thread and one per
// remote worker (MPI rank), so each stays on few scenarios: threads do not wait for each other to
// build a scenario's shared strategy structures, and ranks build them for their scenarios only. A
// thread or rank whose part is done takes from the end of the largest part left. With one region
// rows are written in schedule order (a row that finished early waits briefly for the ones before
// it); otherwise as they arrive.
class ResultSink {
 public:
  ResultSink(const Tournament& tournament, ResultsFile& file, std::vector<std::size_t> todo,
             std::size_t local_regions = 1, std::size_t remote_regions = 0);
  // The region of local thread `thread_idx` and of remote worker `worker_idx` (0-based).
  std::size_t LocalRegion(std::size_t thread_idx) const { return thread_idx; }
  std::size_t RemoteRegion(std::size_t worker_idx) const { return local_regions_ + worker_idx; }

  // The next sessions to run for `region` (schedule indices), at most `count`; empty when none
  // are left or after StopHandingOut(). Thread-safe (the only members that are).
  std::vector<std::size_t> Take(std::size_t count, std::size_t region = 0);
  std::optional<std::size_t> TakeOne(std::size_t region = 0);
  std::size_t left_to_hand_out() const;
  void StopHandingOut();

  Status Accept(std::size_t index, SessionRecord record);
  // Rows formatted by another process (MPI), one line each, with their schedule indices: parsed,
  // checked against the schedule, accepted.
  Status AcceptRows(const std::vector<std::size_t>& indices, const std::string& rows);
  // Writes every finished row still waiting (after a stop, some before them never ran).
  Status Flush();

  std::size_t finished() const { return finished_; }
  std::vector<SessionRecord> TakeRecords() { return std::move(records_); }

 private:
  struct Region {
    std::size_t next = 0;  // todo_ positions [next, end) are still to hand out
    std::size_t end = 0;
  };
  Status Write(std::size_t index, std::string row);
  Status WriteReady();

  const Tournament& tournament_;
  ResultsFile& file_;
  std::vector<std::size_t> todo_;  // ascending schedule indices
  mutable std::mutex hand_out_mutex_;
  std::vector<Region> regions_;  // guarded by hand_out_mutex_
  bool hand_out_stopped_ = false;
  std::size_t local_regions_ = 1;
  bool in_order_ = true;
  std::size_t written_ = 0;                   // todo_ positions written, in order
  std::map<std::size_t, std::string> ready_;  // finished rows not yet written, by index
  std::size_t finished_ = 0;
  std::vector<SessionRecord> records_;
  std::chrono::steady_clock::time_point last_sync_;
};

// Progress on stderr: on a terminal one line redrawn with done/total, rate and ETA; otherwise a
// plain line every few seconds.
class Progress {
 public:
  Progress(bool enabled, std::size_t total, std::size_t previously_done, std::size_t to_run);
  void Update(std::size_t finished);
  void Finish(std::size_t finished);

 private:
  void Draw(std::size_t finished, bool final);

  bool enabled_;
  bool terminal_;
  std::size_t total_;
  std::size_t previously_done_;
  std::size_t to_run_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// Other processes running sessions for this one (the MPI backend on rank 0).
class RemoteWorkers {
 public:
  virtual ~RemoteWorkers() = default;
  // Serves waiting requests: hands out sessions from `sink` (none once `stopping`) and passes
  // finished rows to it. A worker's failure comes back as an error.
  virtual Status Poll(ResultSink& sink, bool stopping) = 0;
  // Tells every worker to cancel what it runs and finish.
  virtual void RequestStop() = 0;
  virtual bool Done() const = 0;  // every worker has finished
  virtual std::size_t threads() const = 0;
  // Remote workers; worker i takes from ResultSink::RemoteRegion(i).
  virtual std::size_t workers() const = 0;
  // How long the coordinator may wait between polls.
  virtual std::chrono::milliseconds PollInterval(const ResultSink& sink) const = 0;
};

// Runs the sessions not yet in the results file. `remote` (may be null) shares the work.
Result<RunReport> RunTournament(const Tournament& tournament, const RunOptions& options,
                                RemoteWorkers* remote = nullptr);

// Human-readable totals for the end of a run.
std::string DescribeRun(const Tournament& tournament, const RunReport& report,
                        const std::string& results_path);

// SIGINT / SIGTERM while an object lives: the first sets Requested(); a second ends the process
// (the rows already written are whole, so that is safe too).
class InterruptHandler {
 public:
  InterruptHandler();
  ~InterruptHandler();
  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;
  static bool Requested();
};

}  // namespace parley::tournament
