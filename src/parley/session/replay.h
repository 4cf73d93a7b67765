// Replay: re-running the session a trace records and checking that it happens again, byte for
// byte. Sessions are deterministic, so a difference means the scenario files, the strategies or
// protocols, or parley itself changed since the trace was written (or the session had a wall-time
// deadline, which no re-run can reproduce).
#pragma once

#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/io/scenario_io.h"
#include "parley/session/session.h"

namespace parley::session {

// The files a trace records for a scenario source: the path, or the domain then the profiles.
std::vector<std::string> ScenarioFilesOf(const io::ScenarioSource& source);

// Where to load a trace's scenario from: each file the trace records (`scenario_files`) as
// written when it exists, else relative to the trace's folder. Used by `parley replay` and by
// reports on traces, so both find the same scenario.
io::ScenarioSource TraceScenarioSource(const std::vector<std::string>& scenario_files,
                                       const std::string& trace_path);

struct ReplayReport {
  bool identical = false;
  std::size_t events = 0;  // messages in the recorded trace
  // The first line that differs (1-based; 0 when identical) and its text in each version
  // ("(end of file)" past the end).
  int line = 0;
  std::string recorded_line;
  std::string replayed_line;
  std::string note;  // e.g. that a wall-time deadline makes the session irreproducible
  // A live room's trace: the first recorded answer that does not fit the protocol's rules (then
  // `identical` is false and `line` 0).
  std::string illegal_answer;
};

// The protocol that traces exported by servers before protocols ran in live rooms name: their
// messages were mapped from the room's events, so they cannot be re-run.
inline constexpr const char* kLegacyLiveProtocol = "live";

// Reads the trace at `trace_path`, loads its scenario (each recorded path as written, or else
// relative to the trace's folder), re-runs the session with the recorded configuration and
// compares the new trace's bytes with the file's (elapsed_ms excluded). A live room's trace
// (Trace::live) is re-run with RebuildSession: persons' recorded answers are submitted in order
// and checked against the protocol's rules (the first that does not fit is reported in
// `illegal_answer`), engines are asked again. Errors (kInvalidInput, kNotFound, kUnsupported)
// for a trace or scenario that cannot be read or run, and for traces of the old live protocol.
Result<ReplayReport> ReplayTraceFile(const std::string& trace_path);

}  // namespace parley::session
