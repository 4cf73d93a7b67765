// Traces and results as JSON, and results and events as CSV (docs/trace-format.md).
//
// A trace file is versioned ("parley_trace": 1) and self-describing: the scenario files and the
// configuration needed to re-run the session, every party, every message with its sender,
// recipients and the analyst-only utilities of its outcome, and the result. Outcomes are written
// as {issue id: option label (discrete) or number (integer, real)}; parties by id. Writing is
// deterministic (fixed key order, shortest round-trip numbers), so the same session gives the same
// bytes and write -> read -> write is the identity. Reading needs the scenario the trace was made
// on (to turn labels back into option indices) and checks the trace against it.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/io/json.h"
#include "parley/model/scenario.h"
#include "parley/session/session.h"

namespace parley::session {

// One message as a party or an analyst sees it: sequence, round, time, from, to, type and the
// content present (outcome, accept, value, text). `utilities` (analyst-only, one per scored party)
// is added when given.
io::Json MessageToJson(const model::Scenario& scenario,
                       const std::vector<protocols::PublicParty>& parties,
                       const protocols::Message& message,
                       const std::vector<std::size_t>* scored_parties = nullptr,
                       const std::vector<double>* utilities = nullptr);

// An action as a live trace's answers record it (and a live room's log stores it): `type`, then
// `outcome`, `accept`, `value`, `to` (party ids) and `text` when present.
io::Json ActionToJson(const model::Scenario& scenario, const protocols::Action& action);
// The inverse; errors (kInvalidInput) name `field` and what does not fit the scenario.
Result<protocols::Action> ActionFromJson(const model::Scenario& scenario, const io::Json& json,
                                         const std::string& field);

// The result object (also what `parley negotiate --json` prints).
io::Json ResultToJson(const model::Scenario& scenario, const Trace& trace);

// The whole trace as text: one line per party, event and gap sample, so files diff well.
std::string WriteTraceJson(const model::Scenario& scenario, const Trace& trace);

// One gap sample as the result lists it.
io::Json GapSampleJson(const model::Scenario& scenario, const GapSample& sample);

// Writes a trace file while the session runs, byte for byte what WriteTraceJson writes: the
// head (scenario, config, parties) when the session starts, each event as it is posted, and the
// result at the end. Memory stays flat: events are written in 64 kB batches and the gap curve
// is spilled to a temporary file until the result is written. A run killed half way leaves the
// head and the events so far, without "result" or the closing brace: a clearly incomplete file
// that parley refuses to read ("the trace is incomplete"). Wire it to SessionConfig::on_start,
// on_event and on_gap (see parley negotiate).
class TraceStreamWriter {
 public:
  TraceStreamWriter(const model::Scenario& scenario, std::string path);
  ~TraceStreamWriter();
  TraceStreamWriter(const TraceStreamWriter&) = delete;
  TraceStreamWriter& operator=(const TraceStreamWriter&) = delete;

  // Creates the file (truncating it) and writes the head. `header` is the trace as the session
  // starts it (scenario_files filled by the caller).
  Status Start(const Trace& header);
  void Event(const TraceEvent& event);
  void Gap(const GapSample& sample);
  // Writes the result (with the whole gap curve from the spill) and closes the file.
  Status Finish(const Trace& trace);

 private:
  static constexpr std::size_t kFlushBytes = 1 << 16;
  struct Spill;
  Status Flush(bool close);

  const model::Scenario& scenario_;
  std::string path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<Spill> gaps_;
  std::vector<std::size_t> scored_;
  std::vector<protocols::PublicParty> parties_;
  std::string buffer_;
  std::string line_;
  std::uint64_t events_ = 0;
  std::uint64_t gap_samples_ = 0;
  bool failed_ = false;
};

// What replay needs before it can load the scenario: the version and the scenario files.
struct TraceHeader {
  int version = 0;
  std::string scenario_name;
  std::vector<std::string> scenario_files;
};
Result<TraceHeader> ReadTraceHeader(const std::string& text, const std::string& file_name);

// Reads a trace written by WriteTraceJson. Errors (kInvalidInput) name the file, line and column
// of a syntax error, or the field of a value that does not fit the scenario.
Result<Trace> ReadTraceJson(const std::string& text, const model::Scenario& scenario,
                            const std::string& file_name);

// Results CSV: one row per session under ResultsCsvHeader() (columns in docs/trace-format.md).
std::string ResultsCsvHeader();
std::string ResultsCsvRow(const model::Scenario& scenario, const Trace& trace);
// Events CSV: a header and one row per message.
std::string EventsCsv(const model::Scenario& scenario, const Trace& trace);

}  // namespace parley::session
