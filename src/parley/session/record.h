// A trace (or an exported live room) as a record of observations for learning and forecasting.
#pragma once

#include <string>

#include "parley/io/scenario_io.h"
#include "parley/model/record.h"
#include "parley/session/session.h"

namespace parley::session {

// Every offer (a principal's offer or a mediator's text) and every acceptance or yes-vote of an
// outcome, with its sender, round and relative time; the deadline is the trace's rounds. Whether
// and when the session ended in agreement is kept for checking forecasts, not used by them.
model::Record RecordFromTrace(const model::Scenario& scenario, const Trace& trace);

// Where the scenario of a trace or record file is, as the file names it (a trace's scenario
// files, a record's `scenario`, relative to the file's folder when not found as written).
// Errors: the file cannot be read, or names no scenario.
Result<io::ScenarioSource> RecordScenarioSource(const std::string& path);

// A trace (finished or still running, or an exported live room) or a record file, as a record
// on `scenario`. Errors name the file, line, column and field.
Result<model::Record> LoadRecord(const std::string& path, const model::Scenario& scenario);

}  // namespace parley::session
