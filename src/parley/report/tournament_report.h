// The HTML report of a tournament's results file (`parley tournament`, read with
// tournament::ParseResults): the strategy ranking table (tournament::Summarize, the same figures
// as the tournament's summary), the distributions behind it as box plots (utility, advantage over
// the reservation value, welfare, distance to the Nash point, by strategy), agreement rates, a
// table per scenario, and the assumptions the ranking depends on. Self-contained like the other
// reports (html_report.h).
#pragma once

#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/tournament/results.h"

namespace parley::report {

struct TournamentReportOptions {
  std::vector<std::string> source_files;  // named in the footer
  double confidence = 0.95;               // of the mean-utility intervals
};

// Errors (kInvalidInput): a results table without a single session.
Result<std::string> TournamentReportHtml(const tournament::ResultsTable& results,
                                         const TournamentReportOptions& options = {});

// How `parley report` tells a results file from a trace or a scenario: a CSV header starting
// with the results columns, or a JSON object with the session, config and scenario keys.
bool LooksLikeResultsCsvHeader(const std::string& first_line);
bool LooksLikeResultsJsonRow(const std::string& first_line);

}  // namespace parley::report
