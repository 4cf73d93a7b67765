#include "parley/io/record_io.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "parley/base/dates.h"
#include "parley/base/names.h"
#include "parley/base/numbers.h"
#include "parley/io/limits.h"
#include "parley/io/yaml_limits.h"

namespace parley::io {
namespace {

std::string Describe(const YAML::Node& node) {
  if (node.IsScalar()) return Quote(node.Scalar());
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  return "nothing";
}

class RecordReader {
 public:
  explicit RecordReader(std::string file) : file_(std::move(file)) {}

  Status Error(const YAML::Node& node, const std::string& field, const std::string& message) const {
    Location location{file_, 0, 0, field};
    if (node.IsDefined() && !node.Mark().is_null()) {
      location.line = node.Mark().line + 1;
      location.column = node.Mark().column + 1;
    }
    return InvalidInput(message, location);
  }

  // Checks that `node` is a map with only `allowed` keys (each once).
  Status CheckMap(const YAML::Node& node, const std::string& field, const std::string& what,
                  const std::vector<std::string>& allowed) const {
    if (!node.IsMap()) {
      return Error(node, field, "expected " + what + " (a map), got " + Describe(node));
    }
    std::vector<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      const std::string child = field.empty() ? key : field + "." + key;
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        return Error(it->first, child,
                     "unknown key " + Quote(key) + " in " + what + Suggestion(key, allowed) +
                         " (allowed keys: " + ListNames(allowed) + ")");
      }
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        return Error(it->first, child, "key " + Quote(key) + " appears twice");
      }
      seen.push_back(key);
    }
    return Status::Ok();
  }

  Result<std::string> Text(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar()) return Error(node, field, "expected text, got " + Describe(node));
    return node.Scalar();
  }

  Result<long> Date(const YAML::Node& node, const std::string& field) const {
    PARLEY_ASSIGN_OR_RETURN(std::string text, Text(node, field));
    std::optional<long> days = DaysOfDate(text);
    if (!days) return Error(node, field, "expected a date YYYY-MM-DD, got " + Quote(text));
    return *days;
  }

  Result<int> Round(const YAML::Node& node, const std::string& field) const {
    std::optional<std::int64_t> value;
    if (node.IsScalar()) value = ParseInt64(node.Scalar());
    if (!value || *value < 0 || *value > 1'000'000'000) {
      return Error(node, field, "expected a round number (0 or more), got " + Describe(node));
    }
    return static_cast<int>(*value);
  }

  Result<model::Record> Read(const YAML::Node& root, const model::Scenario& scenario);

 private:
  std::string file_;
};

Result<model::Record> RecordReader::Read(const YAML::Node& root, const model::Scenario& scenario) {
  PARLEY_RETURN_IF_ERROR(
      CheckMap(root, "", "a record",
               {"parley_record", "title", "note", "scenario", "deadline", "observations"}));
  model::Record record;
  const YAML::Node version = root["parley_record"];
  if (!version.IsDefined() || !version.IsScalar() || version.Scalar() != "1") {
    return Error(version.IsDefined() ? version : root, "parley_record",
                 "a record file starts with 'parley_record: 1'");
  }
  if (root["title"]) {
    PARLEY_ASSIGN_OR_RETURN(record.title, Text(root["title"], "title"));
  }
  if (root["note"]) {
    PARLEY_ASSIGN_OR_RETURN(record.note, Text(root["note"], "note"));
  }
  if (root["scenario"]) {
    PARLEY_ASSIGN_OR_RETURN(record.scenario, Text(root["scenario"], "scenario"));
  }
  const YAML::Node deadline = root["deadline"];
  if (!deadline) {
    return Error(root, "deadline",
                 "a record needs 'deadline': {round: N} or {start: YYYY-MM-DD, date: YYYY-MM-DD}");
  }
  PARLEY_RETURN_IF_ERROR(CheckMap(deadline, "deadline", "a deadline", {"round", "start", "date"}));
  std::optional<long> start_day;
  std::optional<long> deadline_day;
  if (deadline["round"]) {
    if (deadline["start"] || deadline["date"]) {
      return Error(deadline, "deadline", "give the deadline as a round or as dates, not both");
    }
    PARLEY_ASSIGN_OR_RETURN(record.deadline_round, Round(deadline["round"], "deadline.round"));
    if (record.deadline_round < 1) {
      return Error(deadline["round"], "deadline.round", "the deadline round must be at least 1");
    }
  } else {
    if (!deadline["start"] || !deadline["date"]) {
      return Error(deadline, "deadline", "a deadline by date needs 'start' and 'date'");
    }
    PARLEY_ASSIGN_OR_RETURN(start_day, Date(deadline["start"], "deadline.start"));
    PARLEY_ASSIGN_OR_RETURN(deadline_day, Date(deadline["date"], "deadline.date"));
    if (*deadline_day <= *start_day) {
      return Error(deadline["date"], "deadline.date", "the deadline must come after the start");
    }
    record.start_date = deadline["start"].Scalar();
    record.deadline_date = deadline["date"].Scalar();
  }
  const YAML::Node observations = root["observations"];
  if (!observations || !observations.IsSequence()) {
    return Error(observations ? observations : root, "observations",
                 "a record needs 'observations' (a list)");
  }
  std::vector<std::string> party_ids;
  for (const model::Party& party : scenario.parties) party_ids.push_back(party.id);
  std::vector<std::string> issue_ids;
  for (const model::Issue& issue : scenario.issues) issue_ids.push_back(issue.id);
  std::size_t index = 0;
  for (auto it = observations.begin(); it != observations.end(); ++it, ++index) {
    const YAML::Node item = *it;
    const std::string field = "observations[" + std::to_string(index) + "]";
    PARLEY_RETURN_IF_ERROR(
        CheckMap(item, field, "an observation",
                 {"party", "round", "date", "kind", "outcome", "source", "note"}));
    model::Observation observation;
    if (!item["party"]) return Error(item, field + ".party", "an observation needs 'party'");
    PARLEY_ASSIGN_OR_RETURN(std::string party, Text(item["party"], field + ".party"));
    std::optional<std::size_t> party_idx = scenario.FindParty(party);
    if (!party_idx) {
      return Error(item["party"], field + ".party",
                   UnknownName("party", party, "parties", party_ids));
    }
    observation.party_idx = *party_idx;
    std::string kind = "offer";
    if (item["kind"]) {
      PARLEY_ASSIGN_OR_RETURN(kind, Text(item["kind"], field + ".kind"));
    }
    if (kind == "offer") {
      observation.kind = model::Observation::Kind::kOffer;
    } else if (kind == "position") {
      observation.kind = model::Observation::Kind::kPosition;
    } else if (kind == "accept") {
      observation.kind = model::Observation::Kind::kAccept;
    } else {
      return Error(item["kind"], field + ".kind",
                   UnknownName("kind", kind, "kinds", {"offer", "position", "accept"}));
    }
    if (record.deadline_round > 0) {
      if (!item["round"] || item["date"]) {
        return Error(item, field + ".round",
                     "with a deadline in rounds, each observation gives 'round' (not 'date')");
      }
      PARLEY_ASSIGN_OR_RETURN(observation.round, Round(item["round"], field + ".round"));
      if (observation.round > record.deadline_round) {
        return Error(item["round"], field + ".round",
                     "round " + std::to_string(observation.round) +
                         " is after the deadline (round " + std::to_string(record.deadline_round) +
                         ")");
      }
      observation.time =
          static_cast<double>(observation.round) / static_cast<double>(record.deadline_round);
    } else {
      if (!item["date"] || item["round"]) {
        return Error(item, field + ".date",
                     "with a deadline by date, each observation gives 'date' (not 'round')");
      }
      PARLEY_ASSIGN_OR_RETURN(long day, Date(item["date"], field + ".date"));
      if (day < *start_day || day > *deadline_day) {
        return Error(item["date"], field + ".date",
                     "the date " + item["date"].Scalar() + " lies outside the record's start (" +
                         record.start_date + ") and deadline (" + record.deadline_date + ")");
      }
      observation.date = item["date"].Scalar();
      observation.time =
          static_cast<double>(day - *start_day) / static_cast<double>(*deadline_day - *start_day);
    }
    if (!item["outcome"]) return Error(item, field + ".outcome", "an observation needs 'outcome'");
    const YAML::Node outcome = item["outcome"];
    PARLEY_RETURN_IF_ERROR(CheckMap(outcome, field + ".outcome", "an outcome", issue_ids));
    observation.options.assign(scenario.issues.size(), -1);
    for (auto entry = outcome.begin(); entry != outcome.end(); ++entry) {
      const std::string issue_id = entry->first.Scalar();
      const std::size_t issue_idx = *scenario.FindIssue(issue_id);
      const model::Issue& issue = scenario.issues[issue_idx];
      const std::string option_field = field + ".outcome." + issue_id;
      PARLEY_ASSIGN_OR_RETURN(std::string label, Text(entry->second, option_field));
      std::optional<std::uint64_t> option = issue.FindOption(label);
      if (!option) {
        return Error(entry->second, option_field,
                     issue.kind == model::IssueKind::kDiscrete
                         ? UnknownName("option", label, "options", issue.options)
                         : Quote(label) + " is not a value of issue " + Quote(issue.id));
      }
      observation.options[issue_idx] = static_cast<std::int64_t>(*option);
    }
    if (observation.kind != model::Observation::Kind::kPosition && !observation.IsComplete()) {
      return Error(outcome, field + ".outcome",
                   "an " + kind +
                       " names an option for every issue (use kind: position for a "
                       "stand on some issues only)");
    }
    if (item["source"]) {
      PARLEY_ASSIGN_OR_RETURN(observation.source, Text(item["source"], field + ".source"));
    }
    if (item["note"]) {
      PARLEY_ASSIGN_OR_RETURN(observation.note, Text(item["note"], field + ".note"));
    }
    record.observations.push_back(std::move(observation));
  }
  std::stable_sort(
      record.observations.begin(), record.observations.end(),
      [](const model::Observation& a, const model::Observation& b) { return a.time < b.time; });
  return record;
}

// The record's YAML within the limits of a trace (a record may be as long as the session it
// records), without recursion on its depth.
Result<YAML::Node> Parse(const std::string& text, const std::string& file_name) {
  return LoadYaml(text, ScenarioYamlLimits(kMaxTraceFileBytes), file_name);
}

}  // namespace

bool LooksLikeRecord(const std::string& text) {
  std::size_t pos = text.find("parley_record");
  return pos != std::string::npos && text.find("parley_trace") == std::string::npos;
}

Result<std::string> ReadRecordScenarioPath(const std::string& text, const std::string& file_name) {
  PARLEY_ASSIGN_OR_RETURN(YAML::Node root, Parse(text, file_name));
  try {
    if (!root.IsMap() || !root["scenario"] || !root["scenario"].IsScalar()) return std::string();
    return root["scenario"].Scalar();
  } catch (const YAML::Exception& error) {
    return InvalidInput(error.msg, Location{file_name, 0, 0, "scenario"});
  }
}

Result<model::Record> ReadRecord(const std::string& text, const std::string& file_name,
                                 const model::Scenario& scenario) {
  PARLEY_ASSIGN_OR_RETURN(YAML::Node root, Parse(text, file_name));
  try {
    RecordReader reader(file_name);
    return reader.Read(root, scenario);
  } catch (const YAML::Exception& error) {
    return InvalidInput(error.msg,
                        Location{file_name, error.mark.line + 1, error.mark.column + 1, ""});
  }
}

}  // namespace parley::io
