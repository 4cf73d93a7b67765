// Tournament results: one row per session, in CSV or JSON Lines (docs/tournament.md lists the
// columns), written append-only so that a crash or a kill never leaves a corrupt file, and read
// back to resume a tournament or to summarise and report it.
//
// Every row is one line, written whole by a single write() and terminated by '\n'. On resume,
// anything after the last '\n' (a row torn by a kill) is truncated away before appending. Each row
// carries the tournament's config fingerprint, so rows of a different configuration are never
// mixed into a file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/tournament/config.h"

namespace parley::tournament {

// One principal's part in a session.
struct PartyRecord {
  std::string party;                // party id
  std::string strategy;             // strategy label (as in the config, grids expanded)
  std::optional<double> utility;    // its utility (discounted agreement utility, or reservation
                                    // value without agreement); absent without preferences
  std::optional<double> advantage;  // utility minus its reservation value (0 when none stated)
};

struct SessionRecord {
  std::string session;        // the session key: 16 hex digits, stable across runs
  std::string config;         // the config fingerprint: 16 hex digits
  std::string scenario;       // the scenario's name
  std::string scenario_path;  // the scenario's id in the config (unique in the tournament)
  int repetition = 1;         // 1 .. repetitions
  std::uint64_t seed = 0;     // the session's seed (derived from the config seed and the key)
  std::string protocol;       // the protocol spec as written in the config
  std::string mediator;       // the mediators' strategy label; empty: the protocol's default
  bool agreement = false;
  double welfare = 0;  // sum of the principals' utilities
  std::optional<double> distance_to_pareto;
  std::optional<double> distance_to_nash;
  std::optional<double> distance_to_kalai_smorodinsky;
  int rounds = 0;
  std::string end_reason;
  int illegal_actions = 0;
  double elapsed_ms = 0;             // wall time of the session: the only non-deterministic column
  std::vector<PartyRecord> parties;  // the enabled principals, in scenario order
};

// Column names: the fixed columns, then party_K, strategy_K, utility_K, advantage_K for
// K = 1 .. num_parties.
std::vector<std::string> ResultColumns(std::size_t num_parties);

// One row with its '\n'. `num_parties` columns are written even when the session had fewer.
std::string FormatCsvRow(const SessionRecord& record, std::size_t num_parties);
std::string FormatJsonlRow(const SessionRecord& record, std::size_t num_parties);
std::string FormatRow(const SessionRecord& record, std::size_t num_parties, ResultsFormat format);
std::string CsvHeader(std::size_t num_parties);  // with its '\n'

// All rows of a results file, in file order.
struct ResultsTable {
  ResultsFormat format = ResultsFormat::kCsv;
  std::size_t num_parties = 0;  // party column blocks (CSV header; widest JSON row)
  std::vector<SessionRecord> records;
  bool torn_last_line = false;  // a partial last row was ignored
};

// Reads a results file written by `parley tournament` (format told by content: a JSON object per
// line, or a CSV header). A partial last line (no '\n') is ignored; any other bad row is an error
// naming the file and line. This is the API reports build on.
Result<ResultsTable> ReadResults(const std::string& path);
Result<ResultsTable> ParseResults(const std::string& text, const std::string& file_name);

// The append-only results file of a running tournament. Opening takes an exclusive lock (a
// second tournament writing the same file is refused), truncates a torn last row, checks that
// the existing rows belong to this configuration (`fingerprint`) and have the expected columns,
// and creates the file with its header (CSV) when it is new or empty.
class ResultsFile {
 public:
  static Result<ResultsFile> Open(const std::string& path, ResultsFormat format,
                                  std::size_t num_parties, const std::string& fingerprint);
  ResultsFile(ResultsFile&& other) noexcept;
  ResultsFile& operator=(ResultsFile&& other) noexcept;
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;
  ~ResultsFile();

  const std::string& path() const { return path_; }
  ResultsFormat format() const { return format_; }
  // The rows already in the file when it was opened.
  const std::vector<SessionRecord>& existing() const { return existing_; }
  bool truncated_torn_row() const { return truncated_; }

  // Appends one whole row (ending in '\n') with a single write.
  Status Append(const std::string& row);
  // Flushes the file to the disk (fdatasync).
  Status Sync();

 private:
  ResultsFile() = default;
  std::string path_;
  ResultsFormat format_ = ResultsFormat::kCsv;
  int fd_ = -1;
  std::vector<SessionRecord> existing_;
  bool truncated_ = false;
};

// "results.csv" -> "results.summary.csv"; "out/run.jsonl" -> "out/run.summary.csv".
std::string DefaultSummaryPath(const std::string& results_path);

}  // namespace parley::tournament
