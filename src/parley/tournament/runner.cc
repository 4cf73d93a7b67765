#include "parley/tournament/runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <mutex>
#include <stop_token>
#include <utility>

#include "parley/base/file.h"
#include "parley/base/strings.h"
#include "parley/tournament/thread_pool.h"

namespace parley::tournament {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kSyncInterval = std::chrono::seconds(5);
constexpr auto kTerminalRedraw = std::chrono::milliseconds(100);
constexpr auto kPlainInterval = std::chrono::seconds(5);
constexpr auto kLocalWait = std::chrono::milliseconds(20);

// "1 scenario", "3 scenarios", "2 strategies".
std::string Count(std::size_t count, const std::string& noun) {
  if (count == 1) return "1 " + noun;
  if (noun.size() > 1 && noun.back() == 'y') {
    return GroupThousands(count) + " " + noun.substr(0, noun.size() - 1) + "ies";
  }
  return GroupThousands(count) + " " + noun + "s";
}

std::string Duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  auto total = static_cast<long long>(seconds + 0.5);
  if (total < 60) return fmt::format("{}s", total);
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}h{:02}m", total / 3600, (total % 3600) / 60);
}

std::atomic<bool> interrupt_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnInterrupt(int /*signal*/) { interrupt_requested.store(true); }

}  // namespace

// ------------------------------------------------------------------ ResultSink

ResultSink::ResultSink(const Tournament& tournament, ResultsFile& file,
                       std::vector<std::size_t> todo, std::size_t local_regions,
                       std::size_t remote_regions)
    : tournament_(tournament),
      file_(file),
      todo_(std::move(todo)),
      regions_(std::max<std::size_t>(1, local_regions + remote_regions)),
      local_regions_(local_regions),
      in_order_(regions_.size() == 1),
      last_sync_(Clock::now()) {
  for (std::size_t region = 0; region < regions_.size(); ++region) {
    regions_[region].next = todo_.size() * region / regions_.size();
    regions_[region].end = todo_.size() * (region + 1) / regions_.size();
  }
}

std::vector<std::size_t> ResultSink::Take(std::size_t count, std::size_t region) {
  std::lock_guard<std::mutex> lock(hand_out_mutex_);
  if (hand_out_stopped_ || count == 0) return {};
  Region& own = regions_[std::min(region, regions_.size() - 1)];
  std::size_t begin = 0;
  std::size_t end = 0;
  if (own.next < own.end) {
    begin = own.next;
    end = std::min(own.end, own.next + count);
    own.next = end;
  } else {
    // Steal from the end of the part with most left, away from where its owner takes.
    Region* largest = nullptr;
    for (Region& other : regions_) {
      if (other.end > other.next &&
          (largest == nullptr || other.end - other.next > largest->end - largest->next)) {
        largest = &other;
      }
    }
    if (largest == nullptr) return {};
    end = largest->end;
    begin = end - std::min(count, largest->end - largest->next);
    largest->end = begin;
  }
  return std::vector<std::size_t>(todo_.begin() + static_cast<std::ptrdiff_t>(begin),
                                  todo_.begin() + static_cast<std::ptrdiff_t>(end));
}

std::optional<std::size_t> ResultSink::TakeOne(std::size_t region) {
  std::vector<std::size_t> taken = Take(1, region);
  if (taken.empty()) return std::nullopt;
  return taken.front();
}

std::size_t ResultSink::left_to_hand_out() const {
  std::lock_guard<std::mutex> lock(hand_out_mutex_);
  if (hand_out_stopped_) return 0;
  std::size_t left = 0;
  for (const Region& region : regions_) left += region.end - region.next;
  return left;
}

void ResultSink::StopHandingOut() {
  std::lock_guard<std::mutex> lock(hand_out_mutex_);
  hand_out_stopped_ = true;
}

Status ResultSink::Accept(std::size_t index, SessionRecord record) {
  std::string row = FormatRow(record, tournament_.max_principals(), file_.format());
  records_.push_back(std::move(record));
  ++finished_;
  return Write(index, std::move(row));
}

Status ResultSink::AcceptRows(const std::vector<std::size_t>& indices, const std::string& rows) {
  if (indices.empty() && rows.empty()) return Status::Ok();
  if (static_cast<std::size_t>(std::count(rows.begin(), rows.end(), '\n')) != indices.size() ||
      rows.empty() || rows.back() != '\n') {
    return Internal("a worker sent malformed rows");
  }
  // One parse for the whole batch (the CSV header once).
  std::string text =
      file_.format() == ResultsFormat::kCsv ? CsvHeader(tournament_.max_principals()) + rows : rows;
  Result<ResultsTable> table = ParseResults(text, "(rows from a worker)");
  if (!table.ok()) return Internal("a worker sent a bad row: " + table.status().ToString());
  if (table->records.size() != indices.size()) return Internal("a worker sent malformed rows");
  for (std::size_t row_idx = 0; row_idx < indices.size(); ++row_idx) {
    std::size_t index = indices[row_idx];
    const SessionRecord& record = table->records[row_idx];
    if (index >= tournament_.sessions().size() ||
        record.session != Hex16(tournament_.sessions()[index].key) ||
        record.config != tournament_.fingerprint()) {
      return Internal("a worker sent a row that does not match session #" + std::to_string(index));
    }
  }
  std::size_t position = 0;
  for (std::size_t row_idx = 0; row_idx < indices.size(); ++row_idx) {
    std::size_t end = rows.find('\n', position) + 1;
    records_.push_back(std::move(table->records[row_idx]));
    ++finished_;
    if (in_order_) {
      ready_[indices[row_idx]] = rows.substr(position, end - position);
    }
    position = end;
  }
  // Out of order: the batch is whole rows, appended with one write.
  if (!in_order_) PARLEY_RETURN_IF_ERROR(file_.Append(rows));
  return WriteReady();
}

Status ResultSink::Write(std::size_t index, std::string row) {
  if (!in_order_) {
    PARLEY_RETURN_IF_ERROR(file_.Append(row));
  } else {
    ready_[index] = std::move(row);
  }
  return WriteReady();
}

Status ResultSink::WriteReady() {
  while (in_order_ && written_ < todo_.size() && !ready_.empty() &&
         ready_.begin()->first == todo_[written_]) {
    PARLEY_RETURN_IF_ERROR(file_.Append(ready_.begin()->second));
    ready_.erase(ready_.begin());
    ++written_;
  }
  // Rows of sessions handed out but never finished (a stop) are skipped over by Flush only.
  if (Clock::now() - last_sync_ > kSyncInterval) {
    last_sync_ = Clock::now();
    PARLEY_RETURN_IF_ERROR(file_.Sync());
  }
  return Status::Ok();
}

Status ResultSink::Flush() {
  for (const auto& [index, row] : ready_) PARLEY_RETURN_IF_ERROR(file_.Append(row));
  ready_.clear();
  return file_.Sync();
}

// ------------------------------------------------------------------ Progress

Progress::Progress(bool enabled, std::size_t total, std::size_t previously_done, std::size_t to_run)
    : enabled_(enabled),
      terminal_(::isatty(STDERR_FILENO) == 1),
      total_(total),
      previously_done_(previously_done),
      to_run_(to_run),
      start_(Clock::now()),
      last_draw_(Clock::now()) {}

void Progress::Update(std::size_t finished) {
  if (!enabled_) return;
  auto now = Clock::now();
  if (now - last_draw_ < (terminal_
                              ? std::chrono::duration_cast<Clock::duration>(kTerminalRedraw)
                              : std::chrono::duration_cast<Clock::duration>(kPlainInterval))) {
    return;
  }
  last_draw_ = now;
  Draw(finished, false);
}

void Progress::Finish(std::size_t finished) {
  if (!enabled_) return;
  if (terminal_) {
    Draw(finished, true);
    std::fputc('\n', stderr);
  }
  std::fflush(stderr);
}

void Progress::Draw(std::size_t finished, bool final) {
  double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  double rate = elapsed > 0 ? static_cast<double>(finished) / elapsed : 0;
  std::size_t done = previously_done_ + finished;
  double share = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1;
  std::string eta =
      final ? Duration(elapsed)
            : (rate > 0
                   ? "ETA " +
                         Duration(static_cast<double>(to_run_ - std::min(to_run_, finished)) / rate)
                   : "ETA ?");
  std::string text = fmt::format("{}/{} sessions  {:.0f}%  {:.0f}/s  {}", GroupThousands(done),
                                 GroupThousands(total_), share * 100, rate, eta);
  if (terminal_) {
    constexpr int kWidth = 24;
    int filled = static_cast<int>(share * kWidth);
    std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(kWidth - filled), '.') + "]";
    std::fprintf(stderr, "\r\x1b[K%s %s", bar.c_str(), text.c_str());
  } else {
    std::fprintf(stderr, "tournament: %s\n", text.c_str());
  }
  std::fflush(stderr);
}

// ------------------------------------------------------------------ RunTournament

namespace {

// The sessions of the schedule the results file does not hold yet, in schedule order; an error
// for a row of another tournament or a session given twice.
Result<std::vector<std::size_t>> SessionsToRun(const Tournament& tournament,
                                               const ResultsFile& file,
                                               const std::string& results_path) {
  std::vector<bool> done(tournament.sessions().size(), false);
  for (const SessionRecord& record : file.existing()) {
    std::optional<std::size_t> index = tournament.FindSession(record.session);
    if (!index) {
      return InvalidInput(
          "row for session " + record.session + ", which this tournament does not have",
          Location::InFile(results_path));
    }
    if (done[*index]) {
      return InvalidInput("session " + record.session + " appears twice",
                          Location::InFile(results_path));
    }
    done[*index] = true;
  }
  std::vector<std::size_t> todo;
  todo.reserve(done.size() - file.existing().size());
  for (std::size_t index = 0; index < done.size(); ++index) {
    if (!done[index]) todo.push_back(index);
  }
  return todo;
}

// Runs the sessions `sink` hands out on local threads (and on `remote` workers), giving each
// result to the sink as it arrives, until every session ran, one failed or should_stop said so.
// Only the calling thread coordinates: the workers take sessions themselves and queue results.
class SessionRun {
 public:
  SessionRun(const Tournament& tournament, const RunOptions& options, RemoteWorkers* remote,
             ResultSink& sink, std::size_t threads)
      : tournament_(tournament),
        options_(options),
        remote_(remote),
        sink_(sink),
        threads_(threads),
        running_(threads) {}

  // The first failure, if any; `stopped` is set when should_stop ended the run.
  Status Run(Progress& progress, bool& stopped);

 private:
  using Completed = std::deque<std::pair<std::size_t, Result<SessionRecord>>>;

  void BeginStop();
  void Fail(Status status);
  void WorkerLoop(std::size_t thread_idx, std::stop_token token);
  // Waits up to one poll interval for results and gives them to the sink; how many arrived.
  std::size_t CollectArrived();

  const Tournament& tournament_;
  const RunOptions& options_;
  RemoteWorkers* remote_;
  ResultSink& sink_;
  const std::size_t threads_;
  std::stop_source stop_;
  std::mutex mutex_;
  std::condition_variable finished_one_;
  Completed completed_;      // guarded by mutex_
  std::size_t running_;      // worker loops still going (guarded by mutex_)
  bool local_done_ = false;  // every worker loop has ended
  bool stopping_ = false;
  Status failure_;
};

void SessionRun::BeginStop() {
  if (stopping_) return;
  stopping_ = true;
  sink_.StopHandingOut();
  stop_.request_stop();
  if (remote_ != nullptr) remote_->RequestStop();
}

void SessionRun::Fail(Status status) {
  if (failure_.ok()) failure_ = std::move(status);
  BeginStop();
}

// Each thread takes the next session itself, so no thread ever waits for the coordinator.
void SessionRun::WorkerLoop(std::size_t thread_idx, std::stop_token token) {
  while (!token.stop_requested()) {
    std::optional<std::size_t> index = sink_.TakeOne(sink_.LocalRegion(thread_idx));
    if (!index) break;
    Result<SessionRecord> record = tournament_.RunSession(*index, token);
    // No wake-up per session: the coordinator collects every kLocalWait. Waking it each time
    // made it preempt a worker and then wait for this lock, thousands of times.
    std::lock_guard<std::mutex> lock(mutex_);
    completed_.emplace_back(*index, std::move(record));
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --running_;
  }
  finished_one_.notify_one();
}

std::size_t SessionRun::CollectArrived() {
  Completed arrived;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    finished_one_.wait_for(lock, remote_ != nullptr ? remote_->PollInterval(sink_) : kLocalWait,
                           [&] { return !completed_.empty() || (running_ == 0 && !local_done_); });
    arrived.swap(completed_);
    local_done_ = running_ == 0;
  }
  for (auto& [index, record] : arrived) {
    if (record.ok()) {
      Status status = sink_.Accept(index, std::move(record).value());
      if (!status.ok()) Fail(std::move(status));
    } else if (record.status().code() != ErrorCode::kCancelled) {
      Fail(record.status());
    }
  }
  return arrived.size();
}

Status SessionRun::Run(Progress& progress, bool& stopped) {
  ThreadPool pool(threads_);
  for (std::size_t thread_idx = 0; thread_idx < threads_; ++thread_idx) {
    pool.Submit([this, thread_idx, token = stop_.get_token()] { WorkerLoop(thread_idx, token); });
  }
  while (true) {
    if (remote_ != nullptr) {
      Status status = remote_->Poll(sink_, stopping_);
      if (!status.ok()) Fail(std::move(status));
    }
    const std::size_t arrived = CollectArrived();
    if (!stopping_ && options_.should_stop && options_.should_stop(sink_.finished())) {
      stopped = true;
      BeginStop();
    }
    progress.Update(sink_.finished());
    if (local_done_ && arrived == 0 && (remote_ == nullptr || remote_->Done())) break;
  }
  return failure_;
}

// The report's records (the file's and this run's) in schedule order, so the summary's sums do
// not depend on the order sessions finished in, and the summary, written to its file.
Status SummarizeRun(const Tournament& tournament, const ResultsFile& file, ResultSink& sink,
                    RunReport& report) {
  report.records = file.existing();
  std::vector<SessionRecord> added = sink.TakeRecords();
  report.records.insert(report.records.end(), std::make_move_iterator(added.begin()),
                        std::make_move_iterator(added.end()));
  std::vector<std::pair<std::size_t, SessionRecord>> ordered;
  ordered.reserve(report.records.size());
  for (SessionRecord& record : report.records) {
    ordered.emplace_back(tournament.FindSession(record.session).value_or(0), std::move(record));
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  report.records.clear();
  for (auto& [index, record] : ordered) report.records.push_back(std::move(record));
  report.summary = Summarize(report.records, tournament.config().confidence);
  return WriteFileAtomically(report.summary_path,
                             SummaryCsv(report.summary, tournament.config().confidence));
}

}  // namespace

Result<RunReport> RunTournament(const Tournament& tournament, const RunOptions& options,
                                RemoteWorkers* remote) {
  auto start = Clock::now();
  RunReport report;
  report.total = tournament.sessions().size();
  report.summary_path = options.summary_path.empty() ? DefaultSummaryPath(options.results_path)
                                                     : options.summary_path;
  PARLEY_ASSIGN_OR_RETURN(ResultsFile file,
                          ResultsFile::Open(options.results_path, options.format,
                                            tournament.max_principals(), tournament.fingerprint()));
  report.truncated_torn_row = file.truncated_torn_row();
  PARLEY_ASSIGN_OR_RETURN(std::vector<std::size_t> todo,
                          SessionsToRun(tournament, file, options.results_path));
  report.previously_done = file.existing().size();
  std::size_t to_run = todo.size();

  std::size_t threads = options.threads == 0 ? ThreadPool::DefaultThreads() : options.threads;
  report.threads = threads + (remote != nullptr ? remote->threads() : 0);
  ResultSink sink(tournament, file, std::move(todo), threads,
                  remote != nullptr ? remote->workers() : 0);
  Progress progress(options.progress, report.total, report.previously_done, to_run);
  if (options.progress) {
    std::fprintf(stderr, "tournament: %s sessions, %s already in %s, %s to run on %s thread%s\n",
                 GroupThousands(report.total).c_str(),
                 GroupThousands(report.previously_done).c_str(), options.results_path.c_str(),
                 GroupThousands(to_run).c_str(), GroupThousands(report.threads).c_str(),
                 report.threads == 1 ? "" : "s");
    std::fflush(stderr);
  }

  Status failure =
      SessionRun(tournament, options, remote, sink, threads).Run(progress, report.stopped);
  Status flushed = sink.Flush();
  if (failure.ok() && !flushed.ok()) failure = flushed;
  progress.Finish(sink.finished());
  report.finished = sink.finished();
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!failure.ok()) return failure;
  if (report.previously_done + report.finished < report.total) report.stopped = true;
  PARLEY_RETURN_IF_ERROR(SummarizeRun(tournament, file, sink, report));
  return report;
}

std::string DescribeRun(const Tournament& tournament, const RunReport& report,
                        const std::string& results_path) {
  const TournamentConfig& config = tournament.config();
  std::string out = fmt::format(
      "Tournament: {} sessions ({}, {}{}, {}; {}, {} rounds, seed {})\n",
      GroupThousands(report.total), Count(tournament.scenarios().size(), "scenario"),
      Count(config.strategies.size(), "strategy"),
      config.mediators.empty() ? "" : ", " + Count(config.mediators.size(), "mediator strategy"),
      Count(static_cast<std::size_t>(config.repetitions), "repetition"), config.protocol,
      config.rounds, config.seed);
  double rate = report.seconds > 0 ? static_cast<double>(report.finished) / report.seconds : 0;
  out += fmt::format("Ran {} sessions in {:.2f} s ({:.0f}/s on {} thread{})",
                     GroupThousands(report.finished), report.seconds, rate, report.threads,
                     report.threads == 1 ? "" : "s");
  if (report.previously_done > 0) {
    out += fmt::format("; {} were already in the results", GroupThousands(report.previously_done));
  }
  out += ".\n";
  if (report.truncated_torn_row) {
    out += "The results file ended in a partial row (an interrupted write); it was removed.\n";
  }
  out += "Results: " + results_path + "   Summary: " + report.summary_path + "\n";
  return out;
}

// ------------------------------------------------------------------ InterruptHandler

namespace {
struct sigaction previous_interrupt;
struct sigaction previous_terminate;
}  // namespace

InterruptHandler::InterruptHandler() {
  interrupt_requested.store(false);
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second signal takes the default action
  sigaction(SIGINT, &action, &previous_interrupt);
  sigaction(SIGTERM, &action, &previous_terminate);
}

InterruptHandler::~InterruptHandler() {
  sigaction(SIGINT, &previous_interrupt, nullptr);
  sigaction(SIGTERM, &previous_terminate, nullptr);
}

bool InterruptHandler::Requested() { return interrupt_requested.load(); }

}  // namespace parley::tournament
