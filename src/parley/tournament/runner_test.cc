#include "parley/tournament/runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "parley/tournament/test_support.h"

namespace parley::tournament {
namespace {

using testing::Example;
using ::testing::HasSubstr;
using testing::ReadText;
using testing::RowsWithoutTime;
using testing::TempFolder;
using testing::WriteText;

std::unique_ptr<Tournament> Prepare(const std::string& extra = "") {
  std::string text = "scenarios:\n  - " + Example("riverside.yaml") + "\n  - " +
                     Example("ceasefire.yaml") +
                     "\nstrategies: [boulware, conceder, \"time_based(e=[1])\"]\n"
                     "rounds: 20\nrepetitions: 2\nseed: 11\n" +
                     extra;
  Result<TournamentConfig> config = ParseTournamentConfig(text, "t.yaml", "");
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  Result<std::unique_ptr<Tournament>> tournament = Tournament::Prepare(*config);
  EXPECT_TRUE(tournament.ok()) << tournament.status().ToString();
  return tournament.ok() ? std::move(tournament).value() : nullptr;
}

RunOptions Options(const std::string& path, std::size_t threads) {
  RunOptions options;
  options.results_path = path;
  options.format = FormatForPath(path);
  options.threads = threads;
  options.progress = false;
  return options;
}

std::vector<SessionRecord> ReadRecords(const std::string& path) {
  Result<ResultsTable> table = ReadResults(path);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? table->records : std::vector<SessionRecord>();
}

TEST(RunnerTest, ResultsDoNotDependOnTheNumberOfThreads) {
  auto tournament = Prepare();
  ASSERT_NE(tournament, nullptr);
  TempFolder temp;
  std::vector<std::vector<std::string>> runs;
  for (std::size_t threads : {1u, 2u, 4u}) {
    std::string path = temp / ("threads" + std::to_string(threads) + ".csv");
    Result<RunReport> report = RunTournament(*tournament, Options(path, threads));
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->total, tournament->sessions().size());
    EXPECT_EQ(report->finished, report->total);
    EXPECT_FALSE(report->stopped);
    EXPECT_TRUE(std::filesystem::exists(report->summary_path));
    std::vector<SessionRecord> records = ReadRecords(path);
    ASSERT_EQ(records.size(), tournament->sessions().size());
    if (threads == 1) {
      // One thread writes in schedule order.
      for (std::size_t index = 0; index < records.size(); ++index) {
        EXPECT_EQ(records[index].session, Hex16(tournament->sessions()[index].key));
      }
    }
    runs.push_back(RowsWithoutTime(records, 3));
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], runs[2]);
}

TEST(RunnerTest, ResumingAfterAKillMidRowCompletesTheSameResults) {
  auto tournament = Prepare();
  ASSERT_NE(tournament, nullptr);
  TempFolder temp;
  std::string complete = temp / "complete.csv";
  ASSERT_TRUE(RunTournament(*tournament, Options(complete, 2)).ok());
  std::string text = ReadText(complete);

  // A kill -9 in the middle of a row: the file ends 40% in, inside a row.
  std::string killed = temp / "killed.csv";
  std::size_t cut = text.size() * 2 / 5;
  ASSERT_NE(text[cut - 1], '\n');
  WriteText(killed, text.substr(0, cut));
  std::size_t whole_rows = static_cast<std::size_t>(
      std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(cut), '\n') - 1);

  Result<RunReport> resumed = RunTournament(*tournament, Options(killed, 2));
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_TRUE(resumed->truncated_torn_row);
  EXPECT_EQ(resumed->previously_done, whole_rows);
  EXPECT_EQ(resumed->finished, tournament->sessions().size() - whole_rows);
  EXPECT_EQ(resumed->records.size(), tournament->sessions().size());
  EXPECT_EQ(RowsWithoutTime(ReadRecords(killed), 3), RowsWithoutTime(ReadRecords(complete), 3));

  // Running once more finds everything done.
  Result<RunReport> again = RunTournament(*tournament, Options(killed, 2));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->finished, 0u);
  EXPECT_EQ(again->previously_done, tournament->sessions().size());
}

TEST(RunnerTest, AStopKeepsWhatFinishedAndResumingCompletesIt) {
  auto tournament = Prepare();
  ASSERT_NE(tournament, nullptr);
  TempFolder temp;
  std::string path = temp / "stopped.jsonl";
  RunOptions options = Options(path, 2);
  options.should_stop = [](std::size_t finished) { return finished >= 5; };
  Result<RunReport> stopped = RunTournament(*tournament, options);
  ASSERT_TRUE(stopped.ok()) << stopped.status().ToString();
  EXPECT_TRUE(stopped->stopped);
  EXPECT_GE(stopped->finished, 5u);
  EXPECT_LT(stopped->finished, tournament->sessions().size());
  std::vector<SessionRecord> kept = ReadRecords(path);
  EXPECT_EQ(kept.size(), stopped->finished);

  Result<RunReport> resumed = RunTournament(*tournament, Options(path, 2));
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_FALSE(resumed->stopped);
  EXPECT_EQ(resumed->previously_done, kept.size());
  std::vector<SessionRecord> all = ReadRecords(path);
  ASSERT_EQ(all.size(), tournament->sessions().size());
  std::set<std::string> keys;
  for (const SessionRecord& record : all) keys.insert(record.session);
  EXPECT_EQ(keys.size(), all.size());

  // JSON Lines hold the same results as CSV.
  std::string csv = temp / "full.csv";
  ASSERT_TRUE(RunTournament(*tournament, Options(csv, 1)).ok());
  EXPECT_EQ(RowsWithoutTime(all, 3), RowsWithoutTime(ReadRecords(csv), 3));
}

TEST(RunnerTest, AChangedConfigIsRefusedAndTheFileKept) {
  TempFolder temp;
  std::string path = temp / "r.csv";
  auto tournament = Prepare();
  ASSERT_TRUE(RunTournament(*tournament, Options(path, 2)).ok());
  std::string before = ReadText(path);
  auto changed = Prepare("discount: false\n");
  Result<RunReport> refused = RunTournament(*changed, Options(path, 2));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(refused.status().message(), HasSubstr("different tournament"));
  EXPECT_EQ(ReadText(path), before);
}

TEST(RunnerTest, TheSummaryCoversEveryStrategy) {
  TempFolder temp;
  auto tournament = Prepare();
  RunOptions options = Options(temp / "r.csv", 2);
  options.summary_path = temp / "s.csv";
  Result<RunReport> report = RunTournament(*tournament, options);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->summary.size(), 3u);
  std::size_t observations = 0;
  for (const StrategySummary& row : report->summary) observations += row.observations;
  // One observation per principal per session: riverside has 3, ceasefire 2.
  EXPECT_EQ(observations, (24u * 3u + 9u * 2u) * 2u);
  EXPECT_EQ(ReadText(temp / "s.csv"), SummaryCsv(report->summary, tournament->config().confidence));
  EXPECT_THAT(DescribeRun(*tournament, *report, temp / "r.csv"), HasSubstr("Ran 66 sessions"));
}

// Another process's share of the work, run in this one: takes chunks from region 1 and returns
// rows formatted as a worker formats them.
class InProcessWorker final : public RemoteWorkers {
 public:
  explicit InProcessWorker(const Tournament& tournament) : tournament_(tournament) {}
  Status Poll(ResultSink& sink, bool stopping) override {
    if (done_) return Status::Ok();
    std::vector<std::size_t> chunk =
        stopping ? std::vector<std::size_t>() : sink.Take(3, sink.RemoteRegion(0));
    if (chunk.empty()) done_ = true;
    std::string rows;
    for (std::size_t index : chunk) {
      Result<SessionRecord> record = tournament_.RunSession(index);
      if (!record.ok()) return record.status();
      ++ran_;
      rows += FormatRow(*record, tournament_.max_principals(), ResultsFormat::kCsv);
    }
    PARLEY_RETURN_IF_ERROR(sink.AcceptRows(chunk, rows));
    return Status::Ok();
  }
  void RequestStop() override {}
  bool Done() const override { return done_; }
  std::size_t threads() const override { return 1; }
  std::size_t workers() const override { return 1; }
  std::chrono::milliseconds PollInterval(const ResultSink&) const override {
    return std::chrono::milliseconds(1);
  }
  std::size_t ran() const { return ran_; }

 private:
  const Tournament& tournament_;
  bool done_ = false;
  std::size_t ran_ = 0;
};

TEST(RunnerTest, RemoteWorkersShareTheScheduleAndGiveTheSameRows) {
  auto tournament = Prepare();
  ASSERT_NE(tournament, nullptr);
  TempFolder temp;
  InProcessWorker worker(*tournament);
  Result<RunReport> shared = RunTournament(*tournament, Options(temp / "shared.csv", 1), &worker);
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  EXPECT_EQ(shared->finished, tournament->sessions().size());
  EXPECT_GT(worker.ran(), 0u);
  EXPECT_LT(worker.ran(), tournament->sessions().size());
  ASSERT_TRUE(RunTournament(*tournament, Options(temp / "alone.csv", 2)).ok());
  EXPECT_EQ(RowsWithoutTime(ReadRecords(temp / "shared.csv"), 3),
            RowsWithoutTime(ReadRecords(temp / "alone.csv"), 3));
  EXPECT_EQ(ReadText(temp / "shared.summary.csv"), ReadText(temp / "alone.summary.csv"));
}

TEST(RunnerTest, RegionsAreTakenFromTheFrontAndStolenFromTheBack) {
  auto tournament = Prepare();
  ASSERT_NE(tournament, nullptr);
  TempFolder temp;
  Result<ResultsFile> file =
      ResultsFile::Open(temp / "r.csv", ResultsFormat::kCsv, 3, tournament->fingerprint());
  ASSERT_TRUE(file.ok());
  ResultSink sink(*tournament, *file, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 2);
  EXPECT_EQ(sink.Take(2, 0), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(sink.Take(4, 1), (std::vector<std::size_t>{5, 6, 7, 8}));
  EXPECT_EQ(sink.Take(4, 1), (std::vector<std::size_t>{9}));
  // Region 1 is done: it steals from the end of region 0.
  EXPECT_EQ(sink.Take(2, 1), (std::vector<std::size_t>{3, 4}));
  EXPECT_EQ(sink.TakeOne(0), 2u);
  EXPECT_EQ(sink.left_to_hand_out(), 0u);
  EXPECT_TRUE(sink.Take(5, 0).empty());
}

}  // namespace
}  // namespace parley::tournament
