// The MPI backend: `mpirun -np N parley tournament CONFIG --mpi` spreads sessions over ranks on
// one or many hosts (OpenMPI; docs/tournament.md shows Slurm and hostfiles).
//
// Every rank reads the config and the scenarios itself (the files must be visible on every host
// under the same paths) and builds the same schedule; ranks check that they agree on the config
// fingerprint before any work starts. Rank 0 owns the results file: it hands out sessions in
// chunks on request (dynamic: a rank that draws slow sessions simply asks less often), receives
// finished rows, writes them and prints progress and the summary; it also runs sessions on its
// own threads. Each rank starts on its own contiguous part of the schedule (few scenarios each)
// and then takes from the end of the largest part left. A worker keeps about 30 ms of sessions
// queued (estimated from its recent sessions' times) and asks for more when half is left, so it
// rarely waits; rank 0 never grants more than a share of what is left, so the end balances. Rows
// are formatted by the rank that ran the session with the same code as a threaded run, so results
// are identical to the threaded run of the same config (elapsed_ms aside). Only the main thread
// of each rank calls MPI (MPI_THREAD_FUNNELED).
#pragma once

#include <memory>
#include <string>

#include "parley/base/status.h"
#include "parley/tournament/runner.h"
#include "parley/tournament/tournament.h"

namespace parley::tournament {

// Whether this parley was built with MPI.
bool MpiAvailable();

// MPI_Init_thread on creation, MPI_Finalize on destruction. One per process.
class MpiEnvironment {
 public:
  static Result<std::unique_ptr<MpiEnvironment>> Initialize();
  ~MpiEnvironment();
  MpiEnvironment(const MpiEnvironment&) = delete;
  MpiEnvironment& operator=(const MpiEnvironment&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Every rank calls this once with how its preparation went. Returns OK when every rank
  // prepared the same tournament; otherwise rank 0 gets an error saying which rank failed or
  // disagrees, a failed worker its own error, and other workers kCancelled (nothing to say).
  Status AgreeOnSetup(const Status& local, const std::string& fingerprint,
                      std::size_t num_sessions);

 private:
  MpiEnvironment() = default;
  int rank_ = 0;
  int size_ = 1;
};

// Rank 0: runs the tournament with the other ranks as workers (RunTournament's contract).
Result<RunReport> RunTournamentMpi(const Tournament& tournament, const RunOptions& options,
                                   MpiEnvironment& mpi);
// Ranks other than 0: runs what rank 0 hands out until it says the tournament is over.
Status RunMpiWorker(const Tournament& tournament, const RunOptions& options, MpiEnvironment& mpi);

}  // namespace parley::tournament
