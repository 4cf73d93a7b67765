#include "parley/session/record.h"

#include <filesystem>

#include "parley/base/file.h"
#include "parley/io/limits.h"
#include "parley/io/record_io.h"
#include "parley/session/replay.h"
#include "parley/session/trace_json.h"

namespace parley::session {

model::Record RecordFromTrace(const model::Scenario& scenario, const Trace& trace) {
  model::Record record;
  record.title = trace.scenario_name;
  record.deadline_round = trace.rounds;
  if (!trace.scenario_files.empty()) record.scenario = trace.scenario_files.front();
  for (const TraceEvent& event : trace.events) {
    const protocols::Message& message = event.message;
    if (!message.outcome) continue;
    model::Observation observation;
    switch (message.type) {
      case protocols::ActionType::kOffer:
        observation.kind = model::Observation::Kind::kOffer;
        break;
      case protocols::ActionType::kAccept:
        observation.kind = model::Observation::Kind::kAccept;
        break;
      case protocols::ActionType::kVote:
        if (!message.accept.value_or(false)) continue;
        observation.kind = model::Observation::Kind::kAccept;
        break;
      default:
        continue;
    }
    if (message.sender >= scenario.parties.size()) continue;
    observation.party_idx = message.sender;
    observation.round = message.round;
    observation.time = message.time;
    observation.options.assign(message.outcome->begin(), message.outcome->end());
    observation.source = "trace event " + std::to_string(message.sequence);
    record.observations.push_back(std::move(observation));
  }
  if (trace.finished) {
    record.agreement = trace.result.agreement;
    record.end_round = trace.result.rounds - 1;
  }
  return record;
}

Result<io::ScenarioSource> RecordScenarioSource(const std::string& path) {
  PARLEY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, io::kMaxTraceFileBytes));
  if (io::LooksLikeRecord(text)) {
    PARLEY_ASSIGN_OR_RETURN(std::string scenario, io::ReadRecordScenarioPath(text, path));
    if (scenario.empty()) {
      return InvalidInput("the record names no scenario (add 'scenario: FILE' or give --scenario)",
                          Location{path, 0, 0, "scenario"});
    }
    return TraceScenarioSource({scenario}, path);
  }
  PARLEY_ASSIGN_OR_RETURN(TraceHeader header, ReadTraceHeader(text, path));
  if (header.scenario_files.empty()) {
    return InvalidInput("the trace records no scenario files (give --scenario)",
                        Location{path, 0, 0, "scenario.files"});
  }
  return TraceScenarioSource(header.scenario_files, path);
}

Result<model::Record> LoadRecord(const std::string& path, const model::Scenario& scenario) {
  PARLEY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, io::kMaxTraceFileBytes));
  if (io::LooksLikeRecord(text)) return io::ReadRecord(text, path, scenario);
  PARLEY_ASSIGN_OR_RETURN(Trace trace, ReadTraceJson(text, scenario, path));
  return RecordFromTrace(scenario, trace);
}

}  // namespace parley::session
