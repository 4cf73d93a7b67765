#include "parley/session/replay.h"

#include <filesystem>

#include "parley/base/file.h"
#include "parley/io/limits.h"
#include "parley/session/trace_json.h"

namespace parley::session {
namespace {

namespace fs = std::filesystem;

// A recorded path as written when it exists, else relative to the trace's folder.
std::string Resolve(const std::string& recorded, const fs::path& trace_folder) {
  std::error_code ec;
  if (fs::exists(recorded, ec)) return recorded;
  fs::path path(recorded);
  if (path.is_relative()) {
    fs::path beside = trace_folder / path;
    if (fs::exists(beside, ec)) return beside.string();
  }
  return recorded;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string Shorten(const std::string& line) {
  constexpr std::size_t kMaxShown = 400;
  return line.size() <= kMaxShown ? line : line.substr(0, kMaxShown) + " ...";
}

// Rebuilds a live room's session from its recorded answers. An answer that does not fit the
// protocol's rules is reported in `report` (and the trace returned is empty); otherwise the
// session is closed as the room was (or, for a room still in progress, with the recorded end
// reason) and its trace returned.
Result<Trace> RerunLive(const model::Scenario& scenario, const SessionConfig& config,
                        const LiveRecord& live, ReplayReport& report) {
  Result<std::unique_ptr<Session>> session = RebuildSession(scenario, config, live.answers);
  if (!session.ok()) {
    if (session.status().location().field.rfind("answers[", 0) != 0) return session.status();
    report.illegal_answer = session.status().message();
    return Trace{};
  }
  if (!(*session)->Finished()) (*session)->Close(live.closed.value_or("in progress"));
  return (*session)->Finish();
}

}  // namespace

std::vector<std::string> ScenarioFilesOf(const io::ScenarioSource& source) {
  if (!source.path.empty()) return {source.path};
  std::vector<std::string> files = {source.domain};
  files.insert(files.end(), source.profiles.begin(), source.profiles.end());
  return files;
}

io::ScenarioSource TraceScenarioSource(const std::vector<std::string>& scenario_files,
                                       const std::string& trace_path) {
  const fs::path trace_folder = fs::path(trace_path).parent_path();
  io::ScenarioSource source;
  if (scenario_files.size() == 1) {
    source.path = Resolve(scenario_files[0], trace_folder);
  } else if (!scenario_files.empty()) {
    source.domain = Resolve(scenario_files[0], trace_folder);
    for (std::size_t file_idx = 1; file_idx < scenario_files.size(); ++file_idx) {
      source.profiles.push_back(Resolve(scenario_files[file_idx], trace_folder));
    }
  }
  return source;
}

Result<ReplayReport> ReplayTraceFile(const std::string& trace_path) {
  PARLEY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(trace_path, io::kMaxTraceFileBytes));
  PARLEY_ASSIGN_OR_RETURN(TraceHeader header, ReadTraceHeader(text, trace_path));
  if (header.scenario_files.empty()) {
    return InvalidInput("the trace records no scenario files to re-run it from",
                        Location{trace_path, 0, 0, "scenario.files"});
  }
  PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario,
                          io::LoadScenario(TraceScenarioSource(header.scenario_files, trace_path)));
  PARLEY_ASSIGN_OR_RETURN(Trace recorded, ReadTraceJson(text, scenario, trace_path));

  if (recorded.protocol == kLegacyLiveProtocol) {
    return InvalidInput(
        "this trace was exported from a room of a parley server older than protocols in live "
        "rooms (protocol '" +
            std::string(kLegacyLiveProtocol) +
            "'): its messages were not made by a protocol, so there is nothing to re-run",
        Location{trace_path, 0, 0, "config.protocol"});
  }
  SessionConfig config;
  config.protocol = recorded.protocol;
  config.strategies = recorded.strategies;
  config.rounds = recorded.rounds;
  config.time_limit_seconds = recorded.time_limit_seconds;
  config.seed = recorded.seed;
  config.use_discount = recorded.use_discount;
  ReplayReport report;
  report.events = recorded.events.size();
  if (recorded.live) {
    // A live room: persons' seats are answered with the recorded answers, each checked against
    // the protocol's rules; engines are asked again.
    for (std::size_t party : recorded.live->persons) {
      config.persons[party] = config.strategies[party];
      config.strategies.erase(party);
    }
  }
  Result<Trace> rerun = recorded.live ? RerunLive(scenario, config, *recorded.live, report)
                                      : RunSession(scenario, config);
  if (rerun.ok() && !report.illegal_answer.empty()) return report;
  if (!rerun.ok()) {
    Status status = rerun.status();
    return Status(status.code(), "cannot re-run the recorded session: " + status.message(),
                  Location{trace_path, 0, 0, "config." + status.location().field});
  }
  rerun->scenario_files = recorded.scenario_files;
  rerun->result.elapsed_ms = recorded.result.elapsed_ms;
  rerun->live = recorded.live;  // the answers were checked as they were submitted
  std::string replayed = WriteTraceJson(scenario, *rerun);

  if (recorded.time_limit_seconds) {
    report.note = "the session had a wall-time deadline, so a re-run need not repeat it";
  }
  report.identical = replayed == text;
  if (report.identical) return report;
  std::vector<std::string> recorded_lines = SplitLines(text);
  std::vector<std::string> replayed_lines = SplitLines(replayed);
  std::size_t line_idx = 0;
  while (line_idx < recorded_lines.size() && line_idx < replayed_lines.size() &&
         recorded_lines[line_idx] == replayed_lines[line_idx]) {
    ++line_idx;
  }
  report.line = static_cast<int>(line_idx) + 1;
  report.recorded_line =
      line_idx < recorded_lines.size() ? Shorten(recorded_lines[line_idx]) : "(end of file)";
  report.replayed_line =
      line_idx < replayed_lines.size() ? Shorten(replayed_lines[line_idx]) : "(end of file)";
  return report;
}

}  // namespace parley::session
