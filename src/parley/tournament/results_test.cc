#include "parley/tournament/results.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parley/tournament/test_support.h"

namespace parley::tournament {
namespace {

using ::testing::HasSubstr;
using testing::ReadText;
using testing::TempFolder;
using testing::WriteText;

SessionRecord Sample(int repetition) {
  SessionRecord record;
  record.session =
      "00000000000000" + std::string(repetition < 10 ? "0" : "") + std::to_string(repetition);
  record.config = "abcdef0123456789";
  record.scenario = "ceasefire, \"phase\" one";
  record.scenario_path = "examples/ceasefire.yaml";
  record.repetition = repetition;
  record.seed = 18446744073709551615ULL;
  record.protocol = "alternating_offers";
  record.mediator = "";
  record.agreement = repetition % 2 == 0;
  record.welfare = 1.3690000000000002;
  record.distance_to_pareto = 0.1;
  record.distance_to_nash = std::nullopt;
  record.distance_to_kalai_smorodinsky = 1e-17;
  record.rounds = 42;
  record.end_reason = "ended by\nisrael";
  record.illegal_actions = 3;
  record.elapsed_ms = 1.25;
  record.parties.push_back(PartyRecord{"israel", "time_based(e=0.5, min=0.6)", 0.619, 0.169});
  record.parties.push_back(PartyRecord{"hamas", "hardliner", std::nullopt, std::nullopt});
  return record;
}

void ExpectSame(const SessionRecord& read, const SessionRecord& written) {
  SessionRecord expected = written;
  expected.end_reason = "ended by israel";  // rows are single lines
  EXPECT_EQ(FormatCsvRow(read, 3), FormatCsvRow(expected, 3));
  EXPECT_EQ(read.scenario, expected.scenario);
  EXPECT_EQ(read.seed, expected.seed);
  EXPECT_EQ(read.welfare, expected.welfare);  // shortest round-trip numbers
  EXPECT_EQ(read.distance_to_kalai_smorodinsky, expected.distance_to_kalai_smorodinsky);
  EXPECT_FALSE(read.distance_to_nash.has_value());
  ASSERT_EQ(read.parties.size(), 2u);
  EXPECT_EQ(read.parties[0].strategy, "time_based(e=0.5, min=0.6)");
  EXPECT_FALSE(read.parties[1].utility.has_value());
}

TEST(ResultsTest, CsvAndJsonLinesRoundTrip) {
  for (ResultsFormat format : {ResultsFormat::kCsv, ResultsFormat::kJsonl}) {
    std::string text = format == ResultsFormat::kCsv ? CsvHeader(3) : "";
    text += FormatRow(Sample(1), 3, format) + FormatRow(Sample(2), 3, format);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), format == ResultsFormat::kCsv ? 3 : 2);
    Result<ResultsTable> table = ParseResults(text, "r");
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(table->format, format);
    EXPECT_EQ(table->num_parties, 3u);
    EXPECT_FALSE(table->torn_last_line);
    ASSERT_EQ(table->records.size(), 2u);
    ExpectSame(table->records[0], Sample(1));
    ExpectSame(table->records[1], Sample(2));
  }
}

TEST(ResultsTest, ColumnsAreTheDocumentedOnes) {
  std::vector<std::string> columns = ResultColumns(2);
  EXPECT_EQ(columns.front(), "session");
  EXPECT_EQ(columns[16], "elapsed_ms");
  EXPECT_EQ(std::vector<std::string>(columns.end() - 4, columns.end()),
            (std::vector<std::string>{"party_2", "strategy_2", "utility_2", "advantage_2"}));
  EXPECT_EQ(columns.size(), 17u + 8u);
}

TEST(ResultsTest, ATornLastLineIsIgnoredAndABadRowIsAnError) {
  std::string good = CsvHeader(3) + FormatCsvRow(Sample(1), 3);
  std::string row = FormatCsvRow(Sample(2), 3);
  Result<ResultsTable> torn = ParseResults(good + row.substr(0, row.size() / 2), "r.csv");
  ASSERT_TRUE(torn.ok());
  EXPECT_TRUE(torn->torn_last_line);
  EXPECT_EQ(torn->records.size(), 1u);

  Result<ResultsTable> bad = ParseResults(
      CsvHeader(3) + row.substr(0, row.size() / 2) + "\n" + FormatCsvRow(Sample(1), 3), "r.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().location().file, "r.csv");
  EXPECT_EQ(bad.status().location().line, 2);

  Result<ResultsTable> not_results = ParseResults("a,b,c\n1,2,3\n", "x.csv");
  ASSERT_FALSE(not_results.ok());
  EXPECT_THAT(not_results.status().message(), HasSubstr("not a parley tournament results file"));
}

TEST(ResultsTest, OpeningCreatesResumesAndRefuses) {
  TempFolder temp;
  std::string path = temp / "r.csv";
  {
    Result<ResultsFile> file = ResultsFile::Open(path, ResultsFormat::kCsv, 3, "abcdef0123456789");
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    EXPECT_TRUE(file->existing().empty());
    EXPECT_EQ(ReadText(path), CsvHeader(3));
    // A second writer is refused while the first holds the file.
    Result<ResultsFile> second =
        ResultsFile::Open(path, ResultsFormat::kCsv, 3, "abcdef0123456789");
    ASSERT_FALSE(second.ok());
    EXPECT_THAT(second.status().message(), HasSubstr("another tournament"));
    ASSERT_TRUE(file->Append(FormatCsvRow(Sample(1), 3)).ok());
    std::string row = FormatCsvRow(Sample(2), 3);
    ASSERT_TRUE(file->Append(row.substr(0, 30)).ok());  // a kill in the middle of a row
  }
  {
    Result<ResultsFile> file = ResultsFile::Open(path, ResultsFormat::kCsv, 3, "abcdef0123456789");
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    EXPECT_TRUE(file->truncated_torn_row());
    ASSERT_EQ(file->existing().size(), 1u);
    EXPECT_EQ(ReadText(path), CsvHeader(3) + FormatCsvRow(Sample(1), 3));
  }
  Result<ResultsFile> other = ResultsFile::Open(path, ResultsFormat::kCsv, 3, "0000000000000000");
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.status().message(), HasSubstr("different tournament"));
  Result<ResultsFile> wider = ResultsFile::Open(path, ResultsFormat::kCsv, 4, "abcdef0123456789");
  ASSERT_FALSE(wider.ok());
  Result<ResultsFile> jsonl = ResultsFile::Open(path, ResultsFormat::kJsonl, 3, "abcdef0123456789");
  ASSERT_FALSE(jsonl.ok());
  EXPECT_THAT(jsonl.status().message(), HasSubstr("--format csv"));
  EXPECT_EQ(ReadText(path), CsvHeader(3) + FormatCsvRow(Sample(1), 3));  // untouched

  // A header torn by a kill leaves no row: the file starts again.
  WriteText(temp / "h.csv", CsvHeader(3).substr(0, 20));
  Result<ResultsFile> fresh =
      ResultsFile::Open(temp / "h.csv", ResultsFormat::kCsv, 3, "abcdef0123456789");
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(ReadText(temp / "h.csv"), CsvHeader(3));
}

TEST(ResultsTest, SummaryFileNameSitsBesideTheResults) {
  EXPECT_EQ(DefaultSummaryPath("results.csv"), "results.summary.csv");
  EXPECT_EQ(DefaultSummaryPath("out/run.jsonl"), "out/run.summary.csv");
  EXPECT_EQ(DefaultSummaryPath("out/run"), "out/run.summary.csv");
}

}  // namespace
}  // namespace parley::tournament
