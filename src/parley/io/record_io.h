// Record files: observed offers and statements of parties over time (docs/record-format.md).
//
//   parley_record: 1
//   title: ...
//   note: "Invented for illustration; no real talks."
//   scenario: riverside.yaml          # relative to the record file
//   deadline: {round: 12}             # or {start: 2024-01-08, date: 2024-06-28}
//   observations:
//     - {party: city, round: 1, kind: offer, outcome: {issue: option, ...}, source: minutes}
//     - {party: developer, round: 2, kind: position, outcome: {height: 8}, note: "press release"}
//
// `kind` is offer (a full outcome), position (some issues only) or accept (a full outcome the
// party said yes to). With dates, each observation has `date` and its relative time is its share
// of the days from start to deadline. Errors name the file, line, column and field.
#pragma once

#include <string>

#include "parley/base/status.h"
#include "parley/model/record.h"
#include "parley/model/scenario.h"

namespace parley::io {

// True when the text is a parley record (its top-level key `parley_record`), not a trace.
bool LooksLikeRecord(const std::string& text);

// The scenario path the record names (as written), read before the scenario is loaded.
Result<std::string> ReadRecordScenarioPath(const std::string& text, const std::string& file_name);

// Reads a record against its scenario (parties, issues and options are resolved by id/label).
Result<model::Record> ReadRecord(const std::string& text, const std::string& file_name,
                                 const model::Scenario& scenario);

}  // namespace parley::io
