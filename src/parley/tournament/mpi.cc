#include "parley/tournament/mpi.h"

#ifdef PARLEY_HAVE_MPI
#include <mpi.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "parley/tournament/thread_pool.h"

namespace parley::tournament {

#ifndef PARLEY_HAVE_MPI

bool MpiAvailable() { return false; }

Result<std::unique_ptr<MpiEnvironment>> MpiEnvironment::Initialize() {
  return Unsupported(
      "--mpi: this parley was built without MPI (install libopenmpi-dev and rebuild)");
}
MpiEnvironment::~MpiEnvironment() = default;
Status MpiEnvironment::AgreeOnSetup(const Status& local, const std::string&, std::size_t) {
  return local;
}
Result<RunReport> RunTournamentMpi(const Tournament& tournament, const RunOptions& options,
                                   MpiEnvironment&) {
  return RunTournament(tournament, options);
}
Status RunMpiWorker(const Tournament&, const RunOptions&, MpiEnvironment&) {
  return Unsupported("this parley was built without MPI");
}

#else

namespace {

// Worker -> rank 0.
constexpr int kTagRequest = 1;  // rows finished since the last request; asks for more work
constexpr int kTagFinal = 2;    // the last rows; the worker is done
constexpr int kTagError = 3;    // "CODE MESSAGE": a session failed
// Rank 0 -> worker.
constexpr int kTagWork = 10;  // schedule indices (uint64); none: no more work
constexpr int kTagStop = 11;  // cancel running sessions and finish
constexpr int kTagBye = 12;   // answer to kTagFinal: nothing more will come

// MPI cannot wait for a message and a local event at once, so both sides poll: rarely while
// workers have plenty queued, often while one waits for an answer or the end is near. Each poll
// wakes a thread that shares a core with sessions, so fewer polls leave them more time.
constexpr auto kPoll = std::chrono::milliseconds(5);
constexpr auto kQuickPoll = std::chrono::milliseconds(1);
// A worker keeps about kBufferSeconds of sessions queued and asks for more when less than half of
// that is left, so its threads never wait for rank 0's answer (a round trip of a few polls).
constexpr double kBufferSeconds = 0.03;
constexpr std::size_t kMaxChunk = 4096;

std::uint64_t FingerprintValue(const std::string& fingerprint) {
  std::uint64_t value = 0;
  for (char c : fingerprint) {
    value = value * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return value;
}

std::string ReceiveText(int source, int tag) {
  MPI_Status status;
  MPI_Probe(source, tag, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  std::string text(static_cast<std::size_t>(count), '\0');
  MPI_Recv(text.data(), count, MPI_CHAR, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return text;
}

void SendText(const std::string& text, int destination, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, destination, tag, MPI_COMM_WORLD);
}

// "INDEX ROW\n" lines -> the sink.
Status AcceptRows(ResultSink& sink, const std::string& text, int rank) {
  std::vector<std::size_t> indices;
  std::string rows;
  rows.reserve(text.size());
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    std::size_t space = text.find(' ', position);
    if (end == std::string::npos || space == std::string::npos || space > end) {
      return Internal("rank " + std::to_string(rank) + " sent malformed rows");
    }
    indices.push_back(std::stoull(text.substr(position, space - position)));
    rows.append(text, space + 1, end - space);
    position = end + 1;
  }
  return sink.AcceptRows(indices, rows);
}

class MpiCoordinator final : public RemoteWorkers {
 public:
  MpiCoordinator(const MpiEnvironment& mpi, std::size_t threads_per_rank)
      : threads_per_rank_(threads_per_rank),
        active_(static_cast<std::size_t>(mpi.size()), true),
        stop_sent_(static_cast<std::size_t>(mpi.size()), false) {
    active_[0] = false;
    num_active_ = static_cast<std::size_t>(mpi.size()) - 1;
  }

  Status Poll(ResultSink& sink, bool stopping) override {
    Status failure;
    while (true) {
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
      if (flag == 0) return failure;
      int source = status.MPI_SOURCE;
      std::string text = ReceiveText(source, status.MPI_TAG);
      std::size_t wanted = 0;
      if (status.MPI_TAG == kTagRequest) {
        // "WANTED\n" then the rows.
        std::size_t end = text.find('\n');
        wanted = end == std::string::npos ? 1 : std::strtoull(text.c_str(), nullptr, 10);
        text.erase(0, end == std::string::npos ? text.size() : end + 1);
      }
      if (status.MPI_TAG == kTagRequest || status.MPI_TAG == kTagFinal) {
        Status accepted = AcceptRows(sink, text, source);
        if (!accepted.ok() && failure.ok()) failure = accepted;
      }
      if (status.MPI_TAG == kTagRequest) {
        std::vector<std::uint64_t> chunk;
        if (!stopping && failure.ok()) {
          std::size_t region = sink.RemoteRegion(static_cast<std::size_t>(source) - 1);
          for (std::size_t index : sink.Take(ChunkSize(sink, wanted), region)) {
            chunk.push_back(index);
          }
        }
        MPI_Send(chunk.data(), static_cast<int>(chunk.size()), MPI_UINT64_T, source, kTagWork,
                 MPI_COMM_WORLD);
      } else if (status.MPI_TAG == kTagFinal) {
        MPI_Send(nullptr, 0, MPI_CHAR, source, kTagBye, MPI_COMM_WORLD);
        MarkDone(source);
      } else if (status.MPI_TAG == kTagError && failure.ok()) {
        std::size_t space = text.find(' ');
        int code = std::atoi(text.substr(0, space).c_str());
        std::string message = space == std::string::npos ? text : text.substr(space + 1);
        failure = Status(static_cast<ErrorCode>(code), message);
      }
    }
  }

  void RequestStop() override {
    for (std::size_t rank = 1; rank < active_.size(); ++rank) {
      if (active_[rank] && !stop_sent_[rank]) {
        MPI_Send(nullptr, 0, MPI_CHAR, static_cast<int>(rank), kTagStop, MPI_COMM_WORLD);
        stop_sent_[rank] = true;
      }
    }
  }

  bool Done() const override { return num_active_ == 0; }
  std::size_t threads() const override { return threads_per_rank_ * (active_.size() - 1); }
  std::size_t workers() const override { return active_.size() - 1; }
  // Workers ask for more with about kBufferSeconds / 2 still queued: rank 0 may poll slowly until
  // the last sessions, which are handed out in small chunks.
  std::chrono::milliseconds PollInterval(const ResultSink& sink) const override {
    std::size_t all_threads = std::max<std::size_t>(1, threads_per_rank_ * active_.size());
    return sink.left_to_hand_out() > 64 * all_threads ? kPoll : kQuickPoll;
  }

  // After a failure on rank 0: stop every worker and answer it until it has finished.
  void Shutdown() {
    RequestStop();
    while (num_active_ > 0) {
      MPI_Status status;
      MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
      int source = status.MPI_SOURCE;
      ReceiveText(source, status.MPI_TAG);
      if (status.MPI_TAG == kTagRequest) {
        MPI_Send(nullptr, 0, MPI_UINT64_T, source, kTagWork, MPI_COMM_WORLD);
      } else if (status.MPI_TAG == kTagFinal) {
        MPI_Send(nullptr, 0, MPI_CHAR, source, kTagBye, MPI_COMM_WORLD);
        MarkDone(source);
      }
    }
  }

 private:
  // What the worker wants (enough for its buffer), but never more than a share of what is left
  // (guided self-scheduling), so the last sessions spread over every rank.
  std::size_t ChunkSize(const ResultSink& sink, std::size_t wanted) const {
    std::size_t all_threads = std::max<std::size_t>(1, threads_per_rank_ * active_.size());
    std::size_t share = std::max<std::size_t>(1, sink.left_to_hand_out() / (2 * all_threads));
    return std::clamp<std::size_t>(std::min(wanted, share), 1, kMaxChunk);
  }
  void MarkDone(int source) {
    auto rank = static_cast<std::size_t>(source);
    if (rank < active_.size() && active_[rank]) {
      active_[rank] = false;
      --num_active_;
    }
  }

  std::size_t threads_per_rank_;
  std::vector<bool> active_;
  std::vector<bool> stop_sent_;
  std::size_t num_active_ = 0;
};

}  // namespace

bool MpiAvailable() { return true; }

Result<std::unique_ptr<MpiEnvironment>> MpiEnvironment::Initialize() {
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    return Internal("--mpi: MPI_Init_thread failed");
  }
  std::unique_ptr<MpiEnvironment> mpi(new MpiEnvironment());
  if (provided < MPI_THREAD_FUNNELED) {
    return Internal("--mpi: the MPI library does not support threads (MPI_THREAD_FUNNELED)");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &mpi->rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &mpi->size_);
  return mpi;
}

MpiEnvironment::~MpiEnvironment() { MPI_Finalize(); }

Status MpiEnvironment::AgreeOnSetup(const Status& local, const std::string& fingerprint,
                                    std::size_t num_sessions) {
  std::uint64_t mine[3] = {local.ok() ? 1u : 0u, FingerprintValue(fingerprint), num_sessions};
  std::vector<std::uint64_t> all(3 * static_cast<std::size_t>(size_));
  MPI_Allgather(mine, 3, MPI_UINT64_T, all.data(), 3, MPI_UINT64_T, MPI_COMM_WORLD);
  if (rank_ != 0) {
    if (!local.ok()) {
      return Status(local.code(), "rank " + std::to_string(rank_) + ": " + local.message(),
                    local.location());
    }
    bool all_agree = true;
    for (int rank = 0; rank < size_; ++rank) {
      auto base = static_cast<std::size_t>(rank) * 3;
      all_agree = all_agree && all[base] == 1 && all[base + 1] == all[1] && all[base + 2] == all[2];
    }
    return all_agree ? Status::Ok() : Status(ErrorCode::kCancelled, "");
  }
  if (!local.ok()) return local;
  for (int rank = 1; rank < size_; ++rank) {
    auto base = static_cast<std::size_t>(rank) * 3;
    if (all[base] != 1) {
      return InvalidInput("MPI rank " + std::to_string(rank) +
                          " could not prepare the tournament (its error is above)");
    }
    if (all[base + 1] != all[1] || all[base + 2] != all[2]) {
      return InvalidInput("MPI rank " + std::to_string(rank) +
                          " prepared a different tournament; are the same config and scenario "
                          "files visible under the same paths on every host?");
    }
  }
  return Status::Ok();
}

Result<RunReport> RunTournamentMpi(const Tournament& tournament, const RunOptions& options,
                                   MpiEnvironment& mpi) {
  std::size_t threads = options.threads == 0 ? ThreadPool::DefaultThreads() : options.threads;
  MpiCoordinator coordinator(mpi, threads);
  Result<RunReport> report = RunTournament(tournament, options, &coordinator);
  coordinator.Shutdown();
  return report;
}

namespace {

// A worker rank: asks rank 0 for sessions, keeping about kBufferSeconds of them queued on its
// threads, and sends the finished rows with each request; a failed session is reported once and
// stops this rank; rank 0 may stop it too.
class MpiWorker {
 public:
  MpiWorker(const Tournament& tournament, const RunOptions& options, MpiEnvironment& mpi)
      : tournament_(tournament),
        options_(options),
        mpi_(mpi),
        threads_(options.threads == 0 ? ThreadPool::DefaultThreads() : options.threads),
        num_parties_(tournament.max_principals()) {}

  void Run();

 private:
  using Completed = std::deque<std::pair<std::size_t, Result<SessionRecord>>>;

  void StopSessions() {
    stopping_ = true;
    stop_.request_stop();
  }
  // Turns the sessions finished since the last poll into rows; how many finished.
  std::size_t CollectFinished();
  // Sessions this rank runs in kBufferSeconds, from the recent sessions' times.
  std::size_t BufferTarget() const;
  void RequestWork(std::size_t buffer);
  // Every message rank 0 has sent: work to submit to `pool`, or a stop.
  void ReceiveMessages(ThreadPool& pool);
  // The last rows, then every message until rank 0's goodbye.
  void Finish();

  const Tournament& tournament_;
  const RunOptions& options_;
  MpiEnvironment& mpi_;
  const std::size_t threads_;
  const std::size_t num_parties_;
  std::stop_source stop_;
  std::mutex mutex_;
  Completed completed_;  // guarded by mutex_
  std::size_t in_flight_ = 0;
  double mean_session_ms_ = 0;
  bool outstanding_ = false;  // a request waits for its answer
  bool no_more_ = false;
  bool stopping_ = false;
  bool error_sent_ = false;
  std::string rows_;        // finished rows not yet sent
  std::string in_transit_;  // the request being sent
  MPI_Request sending_ = MPI_REQUEST_NULL;
};

std::size_t MpiWorker::CollectFinished() {
  Completed arrived;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    arrived.swap(completed_);
  }
  for (auto& [index, record] : arrived) {
    --in_flight_;
    if (record.ok()) {
      // A moving average of recent sessions' times (not of the rate, which idling lowers).
      mean_session_ms_ = mean_session_ms_ == 0 ? record->elapsed_ms
                                               : 0.9 * mean_session_ms_ + 0.1 * record->elapsed_ms;
      rows_ += std::to_string(index) + " " + FormatRow(*record, num_parties_, options_.format);
    } else if (record.status().code() != ErrorCode::kCancelled && !error_sent_) {
      std::string text = std::to_string(static_cast<int>(record.status().code())) + " rank " +
                         std::to_string(mpi_.rank()) + ": " + record.status().ToString();
      SendText(text, 0, kTagError);
      error_sent_ = true;
      StopSessions();
    }
  }
  return arrived.size();
}

std::size_t MpiWorker::BufferTarget() const {
  std::size_t buffer = 4 * threads_;
  if (mean_session_ms_ > 0) {
    double sessions = static_cast<double>(threads_) * kBufferSeconds * 1000 / mean_session_ms_;
    buffer = std::max(buffer, static_cast<std::size_t>(std::min(sessions, 1e6)));
  }
  return buffer;
}

void MpiWorker::RequestWork(std::size_t buffer) {
  // Non-blocking: a large request waits for rank 0's next poll, and a blocking send would spin
  // on this rank's cores meanwhile. The previous one has long completed (rank 0 answered it).
  if (sending_ != MPI_REQUEST_NULL) MPI_Wait(&sending_, MPI_STATUS_IGNORE);
  in_transit_ = std::to_string(buffer - in_flight_) + "\n";
  in_transit_ += rows_;
  rows_.clear();
  MPI_Isend(in_transit_.data(), static_cast<int>(in_transit_.size()), MPI_CHAR, 0, kTagRequest,
            MPI_COMM_WORLD, &sending_);
  outstanding_ = true;
}

void MpiWorker::ReceiveMessages(ThreadPool& pool) {
  while (true) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag == 0) break;
    if (status.MPI_TAG != kTagWork) {
      ReceiveText(0, status.MPI_TAG);
      if (status.MPI_TAG == kTagStop) StopSessions();
      continue;
    }
    int count = 0;
    MPI_Get_count(&status, MPI_UINT64_T, &count);
    std::vector<std::uint64_t> chunk(static_cast<std::size_t>(count));
    MPI_Recv(chunk.data(), count, MPI_UINT64_T, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    outstanding_ = false;
    if (chunk.empty()) no_more_ = true;
    for (std::uint64_t index : chunk) {
      if (stopping_ || index >= tournament_.sessions().size()) continue;
      ++in_flight_;
      pool.Submit([this, index, token = stop_.get_token()] {
        Result<SessionRecord> record =
            tournament_.RunSession(static_cast<std::size_t>(index), token);
        // Collected at the next poll, without waking the main thread.
        std::lock_guard<std::mutex> lock(mutex_);
        completed_.emplace_back(static_cast<std::size_t>(index), std::move(record));
      });
    }
  }
}

void MpiWorker::Finish() {
  if (sending_ != MPI_REQUEST_NULL) MPI_Wait(&sending_, MPI_STATUS_IGNORE);
  SendText(rows_, 0, kTagFinal);
  while (true) {
    MPI_Status status;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == kTagWork) {
      int count = 0;
      MPI_Get_count(&status, MPI_UINT64_T, &count);
      std::vector<std::uint64_t> ignored(static_cast<std::size_t>(count));
      MPI_Recv(ignored.data(), count, MPI_UINT64_T, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      continue;
    }
    ReceiveText(0, status.MPI_TAG);
    if (status.MPI_TAG == kTagBye) break;
  }
}

void MpiWorker::Run() {
  {
    ThreadPool pool(threads_);
    while (true) {
      const std::size_t arrived = CollectFinished();
      if (!stopping_ && options_.should_stop && options_.should_stop(0)) StopSessions();
      const std::size_t buffer = BufferTarget();
      if (!outstanding_ && !no_more_ && !stopping_ && in_flight_ <= buffer / 2) {
        RequestWork(buffer);
      }
      ReceiveMessages(pool);
      if ((no_more_ || stopping_) && !outstanding_ && in_flight_ == 0) break;
      if (arrived == 0) std::this_thread::sleep_for(outstanding_ ? kQuickPoll : kPoll);
    }
  }  // every session has finished: the pool's threads end here
  Finish();
}

}  // namespace

Status RunMpiWorker(const Tournament& tournament, const RunOptions& options, MpiEnvironment& mpi) {
  MpiWorker(tournament, options, mpi).Run();
  return Status::Ok();
}

#endif

}  // namespace parley::tournament
