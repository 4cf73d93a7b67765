// Fuzz targets for tournament files: the config (YAML) and results (CSV or JSON lines), as
// `parley tournament` and `parley report` read them. Results that read must write back, row by
// row, to text that reads back to as many rows.
#include <string>
#include <vector>

#include "fuzz/fuzz_targets.h"
#include "parley/tournament/config.h"
#include "parley/tournament/results.h"

namespace parley::fuzz {

int FuzzTournamentConfig(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Scenario paths resolve against examples/, so a config can name the example scenarios.
  Result<tournament::TournamentConfig> config =
      tournament::ParseTournamentConfig(text, "fuzz.tournament.yaml", SourceDir() + "/examples");
  CheckInputStatus(config.status(), "tournament::ParseTournamentConfig");
  return 0;
}

int FuzzResults(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Result<tournament::ResultsTable> table = tournament::ParseResults(text, "fuzz.results");
  CheckInputStatus(table.status(), "tournament::ParseResults");
  if (!table.ok() || table->records.empty()) return 0;
  std::string written = table->format == tournament::ResultsFormat::kCsv
                            ? tournament::CsvHeader(table->num_parties)
                            : std::string();
  for (const tournament::SessionRecord& record : table->records) {
    written += tournament::FormatRow(record, table->num_parties, table->format);
  }
  Result<tournament::ResultsTable> again = tournament::ParseResults(written, "written.results");
  if (!again.ok()) {
    Fail("results read from the input write rows that do not read back: " +
         again.status().ToString());
  }
  if (again->records.size() != table->records.size()) {
    Fail("results read from the input write back a different number of rows");
  }
  return 0;
}

std::vector<std::string> TournamentConfigSeeds() {
  std::vector<std::string> seeds;
  for (const std::string& file : FilesIn(SourceDir() + "/examples", {".yaml"})) {
    if (file.find("tournament") != std::string::npos) seeds.push_back(ReadSeedFile(file));
  }
  return seeds;
}

// Two sessions with two principals each, as CSV and as JSON lines.
std::vector<std::string> ResultsSeeds() {
  std::vector<tournament::SessionRecord> records(2);
  for (std::size_t record_idx = 0; record_idx < records.size(); ++record_idx) {
    tournament::SessionRecord& record = records[record_idx];
    record.session = record_idx == 0 ? "0123456789abcdef" : "fedcba9876543210";
    record.config = "00112233445566ff";
    record.scenario = "ceasefire";
    record.scenario_path = "ceasefire.yaml";
    record.repetition = static_cast<int>(record_idx) + 1;
    record.seed = 7 + record_idx;
    record.protocol = "alternating_offers";
    record.agreement = record_idx == 0;
    record.welfare = record_idx == 0 ? 1.25 : 0.5;
    if (record.agreement) record.distance_to_pareto = 0.01;
    record.rounds = 42;
    record.end_reason = record.agreement ? "agreement" : "deadline";
    record.elapsed_ms = 1.5;
    record.parties = {{"israel", "boulware", 0.75, 0.25}, {"hamas", "time_based(e=2)", 0.5, 0.1}};
  }
  std::vector<std::string> seeds;
  for (tournament::ResultsFormat format :
       {tournament::ResultsFormat::kCsv, tournament::ResultsFormat::kJsonl}) {
    std::string text = format == tournament::ResultsFormat::kCsv ? tournament::CsvHeader(2) : "";
    for (const tournament::SessionRecord& record : records) {
      text += tournament::FormatRow(record, 2, format);
    }
    seeds.push_back(std::move(text));
  }
  return seeds;
}

}  // namespace parley::fuzz
