#include "parley/session/trace_json.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string_view>

#include "parley/io/json_limits.h"
#include "parley/io/limits.h"
#include "parley/io/outcome_json.h"

namespace parley::session {
namespace {

using io::Json;

// ---------------------------------------------------------------- writing

// Appends `text` as a JSON string; bytes that are not valid UTF-8 become U+FFFD.
void AppendString(std::string& out, std::string_view text) {
  out += '"';
  std::size_t position = 0;
  while (position < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[position]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
          } else {
            out += static_cast<char>(c);
          }
      }
      ++position;
      continue;
    }
    // A multi-byte sequence: its length from the lead byte, then continuation bytes 10xxxxxx
    // (overlong forms and surrogates rejected as in RFC 3629).
    std::size_t length = c >= 0xF0 && c <= 0xF4   ? 4
                         : c >= 0xE0              ? 3
                         : c >= 0xC2 && c <= 0xDF ? 2
                                                  : 0;
    bool valid = length > 0 && position + length <= text.size();
    for (std::size_t offset = 1; valid && offset < length; ++offset) {
      valid = (static_cast<unsigned char>(text[position + offset]) & 0xC0) == 0x80;
    }
    if (valid && length >= 3) {
      unsigned char second = static_cast<unsigned char>(text[position + 1]);
      if (c == 0xE0 && second < 0xA0) valid = false;
      if (c == 0xED && second >= 0xA0) valid = false;
      if (c == 0xF0 && second < 0x90) valid = false;
      if (c == 0xF4 && second >= 0x90) valid = false;
    }
    if (valid) {
      out.append(text.substr(position, length));
      position += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++position;
    }
  }
  out += '"';
}

// Shortest text that reads back as the same double; integral values keep a ".0" so they read
// back as numbers with a fraction. Non-finite values (never produced) are written as null.
void AppendNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void AppendCompact(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ',';
        first = false;
        AppendString(out, it.key());
        out += ':';
        AppendCompact(out, it.value());
      }
      out += '}';
      break;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& item : value) {
        if (!first) out += ',';
        first = false;
        AppendCompact(out, item);
      }
      out += ']';
      break;
    }
    case Json::value_t::string:
      AppendString(out, value.get_ref<const std::string&>());
      break;
    case Json::value_t::number_float:
      AppendNumber(out, value.get<double>());
      break;
    case Json::value_t::number_integer:
      out += std::to_string(value.get<std::int64_t>());
      break;
    case Json::value_t::number_unsigned:
      out += std::to_string(value.get<std::uint64_t>());
      break;
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      break;
    default:
      out += "null";
  }
}

// Containers near the top are spread over lines (one party, event or gap sample per line);
// anything deeper stays on one line.
bool Spread(const Json& value, int depth) {
  if (!value.is_structured() || value.empty()) return false;
  return depth < 2 || (depth == 2 && value.is_array());
}

void Emit(const Json& value, int depth, std::string& out) {
  if (!Spread(value, depth)) {
    AppendCompact(out, value);
    return;
  }
  std::string indent(static_cast<std::size_t>(depth + 1) * 2, ' ');
  bool is_object = value.is_object();
  out += is_object ? "{\n" : "[\n";
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!first) out += ",\n";
    first = false;
    out += indent;
    if (is_object) {
      AppendString(out, it.key());
      out += ": ";
    }
    Emit(it.value(), depth + 1, out);
  }
  out += "\n" + std::string(static_cast<std::size_t>(depth) * 2, ' ') + (is_object ? "}" : "]");
}

const std::string& PartyId(const std::vector<protocols::PublicParty>& parties, std::size_t index) {
  static const std::string kUnknown = "?";
  return index < parties.size() ? parties[index].id : kUnknown;
}

Json OptionalNumber(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

void AppendOutcome(std::string& out, const model::Scenario& scenario,
                   const model::Outcome& outcome) {
  out += '{';
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    const model::Issue& issue = scenario.issues[issue_idx];
    if (issue_idx > 0) out += ',';
    AppendString(out, issue.id);
    out += ':';
    switch (issue.kind) {
      case model::IssueKind::kDiscrete:
        AppendString(out, issue.OptionLabel(outcome[issue_idx]));
        break;
      case model::IssueKind::kInteger:
        out += std::to_string(issue.integer_lower + static_cast<std::int64_t>(outcome[issue_idx]));
        break;
      case model::IssueKind::kReal:
        AppendNumber(out, issue.NumericValue(outcome[issue_idx]));
        break;
    }
  }
  out += '}';
}

// One event as MessageToJson would give it, on one line.
void AppendEvent(std::string& out, const model::Scenario& scenario,
                 const std::vector<protocols::PublicParty>& parties,
                 const std::vector<std::size_t>& scored, const TraceEvent& event) {
  const protocols::Message& message = event.message;
  out += "{\"sequence\":" + std::to_string(message.sequence);
  out += ",\"round\":" + std::to_string(message.round);
  out += ",\"time\":";
  AppendNumber(out, message.time);
  out += ",\"from\":";
  AppendString(out, PartyId(parties, message.sender));
  out += ",\"to\":[";
  for (std::size_t position = 0; position < message.recipients.size(); ++position) {
    if (position > 0) out += ',';
    AppendString(out, PartyId(parties, message.recipients[position]));
  }
  out += "],\"type\":";
  AppendString(out, protocols::ActionTypeName(message.type));
  if (message.outcome) {
    out += ",\"outcome\":";
    AppendOutcome(out, scenario, *message.outcome);
  }
  if (message.accept) out += *message.accept ? ",\"accept\":true" : ",\"accept\":false";
  if (message.value) {
    out += ",\"value\":";
    AppendNumber(out, *message.value);
  }
  if (!message.text.empty()) {
    out += ",\"text\":";
    AppendString(out, message.text);
  }
  if (!event.utilities.empty()) {
    out += ",\"utilities\":{";
    for (std::size_t position = 0; position < scored.size(); ++position) {
      if (position > 0) out += ',';
      AppendString(out, scenario.parties[scored[position]].id);
      out += ':';
      AppendNumber(out, event.utilities[position]);
    }
    out += '}';
  }
  out += '}';
}

// ---------------------------------------------------------------- reading helpers

Status Bad(const std::string& file, const std::string& field, const std::string& message) {
  return InvalidInput(message, Location{file, 0, 0, field});
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  Result<const Json*> Member(const Json& object, const std::string& key,
                             const std::string& field) const {
    if (!object.is_object()) return Bad(file_, field, "expected an object");
    auto it = object.find(key);
    if (it == object.end()) {
      return Bad(file_, Join(field, key), "missing field '" + key + "'");
    }
    return &*it;
  }
  Result<std::string> String(const Json& object, const std::string& key,
                             const std::string& field) const {
    PARLEY_ASSIGN_OR_RETURN(const Json* value, Member(object, key, field));
    if (!value->is_string()) return Bad(file_, Join(field, key), "expected a string");
    return value->get<std::string>();
  }
  Result<double> Number(const Json& value, const std::string& field) const {
    if (!value.is_number()) return Bad(file_, field, "expected a number");
    return value.get<double>();
  }
  Result<double> Number(const Json& object, const std::string& key,
                        const std::string& field) const {
    PARLEY_ASSIGN_OR_RETURN(const Json* value, Member(object, key, field));
    return Number(*value, Join(field, key));
  }
  Result<std::optional<double>> OptionalNumberField(const Json& object, const std::string& key,
                                                    const std::string& field) const {
    PARLEY_ASSIGN_OR_RETURN(const Json* value, Member(object, key, field));
    if (value->is_null()) return std::optional<double>();
    PARLEY_ASSIGN_OR_RETURN(double number, Number(*value, Join(field, key)));
    return std::optional<double>(number);
  }
  Result<std::int64_t> Integer(const Json& object, const std::string& key,
                               const std::string& field) const {
    PARLEY_ASSIGN_OR_RETURN(const Json* value, Member(object, key, field));
    if (!value->is_number_integer()) return Bad(file_, Join(field, key), "expected an integer");
    if (value->is_number_unsigned()) {
      auto unsigned_value = value->get<std::uint64_t>();
      if (unsigned_value > static_cast<std::uint64_t>(INT64_MAX)) {
        return Bad(file_, Join(field, key), "integer out of range");
      }
    }
    return value->get<std::int64_t>();
  }
  Result<int> Int(const Json& object, const std::string& key, const std::string& field) const {
    PARLEY_ASSIGN_OR_RETURN(std::int64_t value, Integer(object, key, field));
    if (value < INT32_MIN || value > INT32_MAX) {
      return Bad(file_, Join(field, key), "integer out of range");
    }
    return static_cast<int>(value);
  }
  Result<bool> Bool(const Json& object, const std::string& key, const std::string& field) const {
    PARLEY_ASSIGN_OR_RETURN(const Json* value, Member(object, key, field));
    if (!value->is_boolean()) return Bad(file_, Join(field, key), "expected true or false");
    return value->get<bool>();
  }
  Result<const Json*> Array(const Json& object, const std::string& key,
                            const std::string& field) const {
    PARLEY_ASSIGN_OR_RETURN(const Json* value, Member(object, key, field));
    if (!value->is_array()) return Bad(file_, Join(field, key), "expected a list");
    return value;
  }
  Result<const Json*> Object(const Json& object, const std::string& key,
                             const std::string& field) const {
    PARLEY_ASSIGN_OR_RETURN(const Json* value, Member(object, key, field));
    if (!value->is_object()) return Bad(file_, Join(field, key), "expected an object");
    return value;
  }

  static std::string Join(const std::string& field, const std::string& key) {
    return field.empty() ? key : field + "." + key;
  }
  static std::string Element(const std::string& field, std::size_t index) {
    return field + "[" + std::to_string(index) + "]";
  }

 private:
  std::string file_;
};

// The trace's JSON within the trace limits (parley/io/limits.h): syntax errors and excesses name
// the file, line and column.
Result<Json> ParseTraceText(const std::string& text, const std::string& file_name) {
  Result<Json> parsed = io::ParseJson(text, io::TraceJsonLimits());
  if (parsed.ok()) return parsed;
  // A trace written as the session went, whose session was stopped before its result: the text
  // ends before the parser could finish.
  const Location& where = parsed.status().location();
  std::size_t last_line = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  bool ends_early = where.line >= static_cast<int>(last_line) - 1;
  if (ends_early && text.rfind("{\n  \"parley_trace\": ", 0) == 0 &&
      text.find("\n  \"result\": ") == std::string::npos) {
    std::size_t events = 0;
    for (std::size_t at = text.find("\n    {\"sequence\":"); at != std::string::npos;
         at = text.find("\n    {\"sequence\":", at + 1)) {
      ++events;
    }
    return InvalidInput("the trace is incomplete: it ends after " + std::to_string(events) +
                            " events without a result (the session writing it was stopped)",
                        Location{file_name, where.line, where.column, ""});
  }
  return Status(parsed.status()).WithFile(file_name);
}

class PartyIndex {
 public:
  explicit PartyIndex(const std::vector<protocols::PublicParty>& parties) {
    for (std::size_t party_idx = 0; party_idx < parties.size(); ++party_idx) {
      index_.emplace(parties[party_idx].id, party_idx);
    }
  }
  Result<std::size_t> Find(const Reader& reader, const Json& value,
                           const std::string& field) const {
    if (!value.is_string()) return Bad(reader.file(), field, "expected a party id");
    auto it = index_.find(value.get<std::string>());
    if (it == index_.end()) {
      return Bad(reader.file(), field, "unknown party '" + value.get<std::string>() + "'");
    }
    return it->second;
  }

 private:
  std::map<std::string, std::size_t> index_;
};

// {party id: utility} for exactly `scored` parties, in that order.
Result<std::vector<double>> ReadUtilities(const Reader& reader, const Json& value,
                                          const model::Scenario& scenario,
                                          const std::vector<std::size_t>& scored,
                                          const std::string& field) {
  if (!value.is_object()) return Bad(reader.file(), field, "expected {party: utility}");
  if (value.size() != scored.size()) {
    return Bad(reader.file(), field,
               "expected a utility for each of the " + std::to_string(scored.size()) +
                   " parties with preferences");
  }
  std::vector<double> utilities;
  for (std::size_t party_idx : scored) {
    const std::string& id = scenario.parties[party_idx].id;
    auto it = value.find(id);
    if (it == value.end()) return Bad(reader.file(), field, "missing utility of '" + id + "'");
    PARLEY_ASSIGN_OR_RETURN(double utility, reader.Number(*it, Reader::Join(field, id)));
    utilities.push_back(utility);
  }
  return utilities;
}

Result<protocols::ActionType> ReadActionType(const Reader& reader, const Json& object,
                                             const std::string& field) {
  PARLEY_ASSIGN_OR_RETURN(std::string name, reader.String(object, "type", field));
  if (std::optional<protocols::ActionType> type = protocols::ParseActionType(name)) return *type;
  return Bad(reader.file(), Reader::Join(field, "type"), "unknown message type '" + name + "'");
}

Result<TraceEvent> ReadEvent(const Reader& reader, const Json& object,
                             const model::Scenario& scenario, const PartyIndex& parties,
                             const std::vector<std::size_t>& scored, const std::string& field) {
  if (!object.is_object()) return Bad(reader.file(), field, "expected an object");
  TraceEvent event;
  protocols::Message& message = event.message;
  PARLEY_ASSIGN_OR_RETURN(std::int64_t sequence, reader.Integer(object, "sequence", field));
  if (sequence < 0) return Bad(reader.file(), Reader::Join(field, "sequence"), "negative");
  message.sequence = static_cast<std::uint64_t>(sequence);
  PARLEY_ASSIGN_OR_RETURN(message.round, reader.Int(object, "round", field));
  PARLEY_ASSIGN_OR_RETURN(message.time, reader.Number(object, "time", field));
  PARLEY_ASSIGN_OR_RETURN(const Json* from, reader.Member(object, "from", field));
  PARLEY_ASSIGN_OR_RETURN(message.sender, parties.Find(reader, *from, Reader::Join(field, "from")));
  PARLEY_ASSIGN_OR_RETURN(const Json* to, reader.Array(object, "to", field));
  for (std::size_t to_idx = 0; to_idx < to->size(); ++to_idx) {
    PARLEY_ASSIGN_OR_RETURN(
        std::size_t recipient,
        parties.Find(reader, (*to)[to_idx], Reader::Element(Reader::Join(field, "to"), to_idx)));
    message.recipients.push_back(recipient);
  }
  PARLEY_ASSIGN_OR_RETURN(message.type, ReadActionType(reader, object, field));
  if (auto it = object.find("outcome"); it != object.end()) {
    PARLEY_ASSIGN_OR_RETURN(message.outcome,
                            io::OutcomeFromJson(scenario, *it, Reader::Join(field, "outcome")));
  }
  if (auto it = object.find("accept"); it != object.end()) {
    PARLEY_ASSIGN_OR_RETURN(message.accept, reader.Bool(object, "accept", field));
  }
  if (auto it = object.find("value"); it != object.end()) {
    PARLEY_ASSIGN_OR_RETURN(message.value, reader.Number(object, "value", field));
  }
  if (auto it = object.find("text"); it != object.end()) {
    PARLEY_ASSIGN_OR_RETURN(message.text, reader.String(object, "text", field));
  }
  if (auto it = object.find("utilities"); it != object.end()) {
    PARLEY_ASSIGN_OR_RETURN(event.utilities, ReadUtilities(reader, *it, scenario, scored,
                                                           Reader::Join(field, "utilities")));
  }
  if (message.outcome.has_value() != !event.utilities.empty() && !scored.empty()) {
    return Bad(reader.file(), field, "an outcome and its utilities come together");
  }
  return event;
}

Result<LiveRecord> ReadLive(const Reader& reader, const Json& object,
                            const model::Scenario& scenario, const PartyIndex& parties) {
  const std::string field = "live";
  if (!object.is_object()) return Bad(reader.file(), field, "expected an object");
  LiveRecord live;
  PARLEY_ASSIGN_OR_RETURN(live.room, reader.String(object, "room", field));
  PARLEY_ASSIGN_OR_RETURN(const Json* persons, reader.Array(object, "persons", field));
  for (std::size_t item_idx = 0; item_idx < persons->size(); ++item_idx) {
    PARLEY_ASSIGN_OR_RETURN(
        std::size_t party,
        parties.Find(reader, (*persons)[item_idx], Reader::Element("live.persons", item_idx)));
    live.persons.push_back(party);
  }
  PARLEY_ASSIGN_OR_RETURN(const Json* answers, reader.Array(object, "answers", field));
  for (std::size_t item_idx = 0; item_idx < answers->size(); ++item_idx) {
    const std::string item_field = Reader::Element("live.answers", item_idx);
    const Json& item = (*answers)[item_idx];
    RecordedAnswer answer;
    PARLEY_ASSIGN_OR_RETURN(const Json* ask, reader.Member(item, "ask", item_field));
    if (!ask->is_number_unsigned()) {
      return Bad(reader.file(), Reader::Join(item_field, "ask"), "expected an ask number");
    }
    answer.ask = ask->get<protocols::AskId>();
    PARLEY_ASSIGN_OR_RETURN(const Json* party, reader.Member(item, "party", item_field));
    PARLEY_ASSIGN_OR_RETURN(answer.party,
                            parties.Find(reader, *party, Reader::Join(item_field, "party")));
    PARLEY_ASSIGN_OR_RETURN(const Json* action, reader.Member(item, "action", item_field));
    Result<protocols::Action> parsed =
        ActionFromJson(scenario, *action, Reader::Join(item_field, "action"));
    if (!parsed.ok())
      return Bad(reader.file(), parsed.status().location().field, parsed.status().message());
    answer.action = std::move(parsed).value();
    if (item.contains("record_illegal")) {
      PARLEY_ASSIGN_OR_RETURN(answer.record_illegal,
                              reader.Bool(item, "record_illegal", item_field));
    }
    live.answers.push_back(std::move(answer));
  }
  PARLEY_ASSIGN_OR_RETURN(const Json* closed, reader.Member(object, "closed", field));
  if (!closed->is_null()) {
    PARLEY_ASSIGN_OR_RETURN(std::string reason, reader.String(object, "closed", field));
    live.closed = std::move(reason);
  }
  return live;
}

Result<SessionResult> ReadResult(const Reader& reader, const Json& object,
                                 const model::Scenario& scenario, const PartyIndex& parties,
                                 const std::vector<std::size_t>& scored) {
  const std::string field = "result";
  if (!object.is_object()) return Bad(reader.file(), field, "expected an object");
  SessionResult result;
  PARLEY_ASSIGN_OR_RETURN(result.agreement, reader.Bool(object, "agreement", field));
  PARLEY_ASSIGN_OR_RETURN(const Json* outcome, reader.Member(object, "outcome", field));
  if (!outcome->is_null()) {
    PARLEY_ASSIGN_OR_RETURN(result.outcome,
                            io::OutcomeFromJson(scenario, *outcome, "result.outcome"));
  }
  if (result.agreement != result.outcome.has_value()) {
    return Bad(reader.file(), "result.outcome", "an agreement has an outcome, and only then");
  }
  PARLEY_ASSIGN_OR_RETURN(const Json* agreeing, reader.Array(object, "agreeing_parties", field));
  for (std::size_t item_idx = 0; item_idx < agreeing->size(); ++item_idx) {
    PARLEY_ASSIGN_OR_RETURN(std::size_t party,
                            parties.Find(reader, (*agreeing)[item_idx],
                                         Reader::Element("result.agreeing_parties", item_idx)));
    result.agreeing_parties.push_back(party);
  }
  result.scored_parties = scored;
  PARLEY_ASSIGN_OR_RETURN(const Json* utilities, reader.Member(object, "utilities", field));
  PARLEY_ASSIGN_OR_RETURN(result.utilities,
                          ReadUtilities(reader, *utilities, scenario, scored, "result.utilities"));
  PARLEY_ASSIGN_OR_RETURN(const Json* raw, reader.Member(object, "raw_utilities", field));
  PARLEY_ASSIGN_OR_RETURN(result.raw_utilities,
                          ReadUtilities(reader, *raw, scenario, scored, "result.raw_utilities"));
  PARLEY_ASSIGN_OR_RETURN(result.rounds, reader.Int(object, "rounds", field));
  PARLEY_ASSIGN_OR_RETURN(result.welfare, reader.Number(object, "welfare", field));
  PARLEY_ASSIGN_OR_RETURN(result.distance_to_pareto,
                          reader.OptionalNumberField(object, "distance_to_pareto", field));
  PARLEY_ASSIGN_OR_RETURN(result.distance_to_nash,
                          reader.OptionalNumberField(object, "distance_to_nash", field));
  PARLEY_ASSIGN_OR_RETURN(
      result.distance_to_kalai_smorodinsky,
      reader.OptionalNumberField(object, "distance_to_kalai_smorodinsky", field));
  PARLEY_ASSIGN_OR_RETURN(result.end_reason, reader.String(object, "end_reason", field));
  PARLEY_ASSIGN_OR_RETURN(const Json* blocked, reader.Member(object, "blocked_by", field));
  if (!blocked->is_null()) {
    PARLEY_ASSIGN_OR_RETURN(result.blocked_by, parties.Find(reader, *blocked, "result.blocked_by"));
  }
  PARLEY_ASSIGN_OR_RETURN(const Json* illegal, reader.Array(object, "illegal_actions", field));
  for (std::size_t item_idx = 0; item_idx < illegal->size(); ++item_idx) {
    std::string item_field = Reader::Element("result.illegal_actions", item_idx);
    const Json& item = (*illegal)[item_idx];
    IllegalAction action;
    PARLEY_ASSIGN_OR_RETURN(action.round, reader.Int(item, "round", item_field));
    PARLEY_ASSIGN_OR_RETURN(const Json* party, reader.Member(item, "party", item_field));
    PARLEY_ASSIGN_OR_RETURN(action.party,
                            parties.Find(reader, *party, Reader::Join(item_field, "party")));
    PARLEY_ASSIGN_OR_RETURN(action.reason, reader.String(item, "reason", item_field));
    result.illegal_actions.push_back(std::move(action));
  }
  PARLEY_ASSIGN_OR_RETURN(const Json* gaps, reader.Array(object, "gaps", field));
  for (std::size_t sample_idx = 0; sample_idx < gaps->size(); ++sample_idx) {
    std::string sample_field = Reader::Element("result.gaps", sample_idx);
    const Json& item = (*gaps)[sample_idx];
    GapSample sample;
    PARLEY_ASSIGN_OR_RETURN(sample.round, reader.Int(item, "round", sample_field));
    PARLEY_ASSIGN_OR_RETURN(const Json* issues, reader.Object(item, "issues", sample_field));
    if (issues->size() != scenario.issues.size()) {
      return Bad(
          reader.file(), Reader::Join(sample_field, "issues"),
          "expected a gap for each of the " + std::to_string(scenario.issues.size()) + " issues");
    }
    for (const model::Issue& issue : scenario.issues) {
      auto it = issues->find(issue.id);
      if (it == issues->end()) {
        return Bad(reader.file(), Reader::Join(sample_field, "issues"),
                   "missing gap of issue '" + issue.id + "'");
      }
      PARLEY_ASSIGN_OR_RETURN(double gap,
                              reader.Number(*it, Reader::Join(sample_field, "issues." + issue.id)));
      sample.issue_gaps.push_back(gap);
    }
    PARLEY_ASSIGN_OR_RETURN(sample.overall, reader.Number(item, "overall", sample_field));
    result.gaps.push_back(std::move(sample));
  }
  PARLEY_ASSIGN_OR_RETURN(result.elapsed_ms, reader.Number(object, "elapsed_ms", field));
  return result;
}

// ---------------------------------------------------------------- CSV

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    if (field_idx > 0) out += ',';
    out += CsvField(fields[field_idx]);
  }
  return out + "\n";
}

std::string Number(double value) { return model::FormatNumber(value); }
std::string Number(const std::optional<double>& value) {
  return value ? model::FormatNumber(*value) : "";
}

std::string CompactOutcome(const model::Scenario& scenario, const model::Outcome& outcome) {
  std::string out;
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    if (!out.empty()) out += ";";
    out += scenario.issues[issue_idx].id + "=" +
           scenario.issues[issue_idx].OptionLabel(outcome[issue_idx]);
  }
  return out;
}

std::string CompactUtilities(const model::Scenario& scenario,
                             const std::vector<std::size_t>& parties,
                             const std::vector<double>& utilities) {
  std::string out;
  for (std::size_t position = 0; position < parties.size() && position < utilities.size();
       ++position) {
    if (!out.empty()) out += ";";
    out += scenario.parties[parties[position]].id + "=" + Number(utilities[position]);
  }
  return out;
}

}  // namespace

Json MessageToJson(const model::Scenario& scenario,
                   const std::vector<protocols::PublicParty>& parties,
                   const protocols::Message& message,
                   const std::vector<std::size_t>* scored_parties,
                   const std::vector<double>* utilities) {
  Json out = Json::object();
  out["sequence"] = message.sequence;
  out["round"] = message.round;
  out["time"] = message.time;
  out["from"] = PartyId(parties, message.sender);
  Json to = Json::array();
  for (std::size_t recipient : message.recipients) to.push_back(PartyId(parties, recipient));
  out["to"] = std::move(to);
  out["type"] = std::string(protocols::ActionTypeName(message.type));
  if (message.outcome) out["outcome"] = io::OutcomeJson(scenario, *message.outcome);
  if (message.accept) out["accept"] = *message.accept;
  if (message.value) out["value"] = *message.value;
  if (!message.text.empty()) out["text"] = message.text;
  if (scored_parties != nullptr && utilities != nullptr && !utilities->empty()) {
    Json by_party = Json::object();
    for (std::size_t position = 0; position < scored_parties->size(); ++position) {
      by_party[scenario.parties[(*scored_parties)[position]].id] = (*utilities)[position];
    }
    out["utilities"] = std::move(by_party);
  }
  return out;
}

Json ActionToJson(const model::Scenario& scenario, const protocols::Action& action) {
  Json out = Json::object();
  out["type"] = std::string(protocols::ActionTypeName(action.type));
  if (action.outcome) out["outcome"] = io::OutcomeJson(scenario, *action.outcome);
  if (action.accept) out["accept"] = *action.accept;
  if (action.value) out["value"] = *action.value;
  if (!action.recipients.empty()) {
    Json to = Json::array();
    for (std::size_t recipient : action.recipients) {
      to.push_back(recipient < scenario.parties.size() ? scenario.parties[recipient].id : "?");
    }
    out["to"] = std::move(to);
  }
  if (!action.text.empty()) out["text"] = action.text;
  return out;
}

Result<protocols::Action> ActionFromJson(const model::Scenario& scenario, const Json& value,
                                         const std::string& field) {
  Reader reader("");
  if (!value.is_object()) return Bad("", field, "expected an object");
  protocols::Action action;
  PARLEY_ASSIGN_OR_RETURN(action.type, ReadActionType(reader, value, field));
  if (auto it = value.find("outcome"); it != value.end()) {
    PARLEY_ASSIGN_OR_RETURN(action.outcome,
                            io::OutcomeFromJson(scenario, *it, Reader::Join(field, "outcome")));
  }
  if (value.contains("accept")) {
    PARLEY_ASSIGN_OR_RETURN(action.accept, reader.Bool(value, "accept", field));
  }
  if (value.contains("value")) {
    PARLEY_ASSIGN_OR_RETURN(action.value, reader.Number(value, "value", field));
  }
  if (value.contains("to")) {
    PARLEY_ASSIGN_OR_RETURN(const Json* to, reader.Array(value, "to", field));
    for (std::size_t to_idx = 0; to_idx < to->size(); ++to_idx) {
      const std::string to_field = Reader::Element(Reader::Join(field, "to"), to_idx);
      const Json& id = (*to)[to_idx];
      std::optional<std::size_t> party =
          id.is_string() ? scenario.FindParty(id.get<std::string>()) : std::nullopt;
      if (!party) return Bad("", to_field, "expected a party id of the scenario");
      action.recipients.push_back(*party);
    }
  }
  if (value.contains("text")) {
    PARLEY_ASSIGN_OR_RETURN(action.text, reader.String(value, "text", field));
  }
  return action;
}

Json GapSampleJson(const model::Scenario& scenario, const GapSample& sample) {
  Json issues = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < sample.issue_gaps.size(); ++issue_idx) {
    issues[scenario.issues[issue_idx].id] = sample.issue_gaps[issue_idx];
  }
  return Json{{"round", sample.round}, {"issues", std::move(issues)}, {"overall", sample.overall}};
}

Json ResultToJson(const model::Scenario& scenario, const Trace& trace) {
  const SessionResult& result = trace.result;
  Json out = Json::object();
  out["agreement"] = result.agreement;
  out["outcome"] = result.outcome ? io::OutcomeJson(scenario, *result.outcome) : Json(nullptr);
  Json agreeing = Json::array();
  for (std::size_t party : result.agreeing_parties)
    agreeing.push_back(PartyId(trace.parties, party));
  out["agreeing_parties"] = std::move(agreeing);
  Json utilities = Json::object();
  Json raw = Json::object();
  for (std::size_t position = 0; position < result.scored_parties.size(); ++position) {
    const std::string& id = PartyId(trace.parties, result.scored_parties[position]);
    utilities[id] = result.utilities[position];
    raw[id] = result.raw_utilities[position];
  }
  out["utilities"] = std::move(utilities);
  out["raw_utilities"] = std::move(raw);
  out["rounds"] = result.rounds;
  out["welfare"] = result.welfare;
  out["distance_to_pareto"] = OptionalNumber(result.distance_to_pareto);
  out["distance_to_nash"] = OptionalNumber(result.distance_to_nash);
  out["distance_to_kalai_smorodinsky"] = OptionalNumber(result.distance_to_kalai_smorodinsky);
  out["end_reason"] = result.end_reason;
  out["blocked_by"] =
      result.blocked_by ? Json(PartyId(trace.parties, *result.blocked_by)) : nullptr;
  Json illegal = Json::array();
  for (const IllegalAction& action : result.illegal_actions) {
    illegal.push_back(Json{{"round", action.round},
                           {"party", PartyId(trace.parties, action.party)},
                           {"reason", action.reason}});
  }
  out["illegal_actions"] = std::move(illegal);
  Json gaps = Json::array();
  for (const GapSample& sample : result.gaps) gaps.push_back(GapSampleJson(scenario, sample));
  out["gaps"] = std::move(gaps);
  out["elapsed_ms"] = result.elapsed_ms;
  return out;
}

namespace {

Json LiveToJson(const model::Scenario& scenario, const Trace& trace, const LiveRecord& live) {
  Json persons = Json::array();
  for (std::size_t party : live.persons) persons.push_back(PartyId(trace.parties, party));
  Json answers = Json::array();
  for (const RecordedAnswer& answer : live.answers) {
    Json item = Json::object();
    item["ask"] = answer.ask;
    item["party"] = PartyId(trace.parties, answer.party);
    item["action"] = ActionToJson(scenario, answer.action);
    if (answer.record_illegal) item["record_illegal"] = true;
    answers.push_back(std::move(item));
  }
  Json out = Json::object();
  out["room"] = live.room;
  out["persons"] = std::move(persons);
  out["answers"] = std::move(answers);
  out["closed"] = live.closed ? Json(*live.closed) : Json(nullptr);
  return out;
}

// The trace file up to the opening of its events list: "{", version, scenario, config, live (for
// live rooms), parties.
std::string TraceHead(const model::Scenario& scenario, const Trace& trace) {
  Json files = Json::array();
  for (const std::string& file : trace.scenario_files) files.push_back(file);
  Json scenario_json = {{"name", trace.scenario_name}, {"files", std::move(files)}};
  Json strategies = Json::object();
  for (const auto& [party_idx, spec] : trace.strategies) {
    strategies[PartyId(trace.parties, party_idx)] = spec;
  }
  Json config = Json::object();
  config["protocol"] = trace.protocol;
  config["strategies"] = std::move(strategies);
  config["rounds"] = trace.rounds;
  config["time_limit_seconds"] = OptionalNumber(trace.time_limit_seconds);
  config["seed"] = trace.seed;
  config["use_discount"] = trace.use_discount;
  Json parties = Json::array();
  for (const protocols::PublicParty& party : trace.parties) {
    parties.push_back(Json{{"id", party.id},
                           {"name", party.name},
                           {"role", std::string(model::RoleName(party.role))}});
  }
  std::string out = "{\n  \"parley_trace\": " + std::to_string(trace.version) + ",\n";
  out += "  \"scenario\": ";
  Emit(scenario_json, 1, out);
  out += ",\n  \"config\": ";
  Emit(config, 1, out);
  if (trace.live) {
    out += ",\n  \"live\": ";
    Emit(LiveToJson(scenario, trace, *trace.live), 1, out);
  }
  out += ",\n  \"parties\": ";
  Emit(parties, 1, out);
  out += ",\n  \"events\": ";
  return out;
}

// The result object as Emit lays it out at depth 1, with the gap samples' lines given (each a
// compact sample; "" for an empty curve), so a streamed curve need not be held in memory.
void AppendResult(std::string& out, const model::Scenario& scenario, const Trace& trace,
                  const std::function<void(std::string&)>& gap_lines, bool no_gaps) {
  Json result = ResultToJson(scenario, trace);
  out += "{\n";
  bool first = true;
  for (auto it = result.begin(); it != result.end(); ++it) {
    if (!first) out += ",\n";
    first = false;
    out += "    ";
    AppendString(out, it.key());
    out += ": ";
    if (it.key() == "gaps") {
      if (no_gaps) {
        out += "[]";
      } else {
        out += "[\n";
        gap_lines(out);
        out += "\n    ]";
      }
      continue;
    }
    Emit(it.value(), 2, out);
  }
  out += "\n  }";
}

}  // namespace

std::string WriteTraceJson(const model::Scenario& scenario, const Trace& trace) {
  // The layout of Emit, with the events (most of the file) written without building a tree.
  std::string out = TraceHead(scenario, trace);
  if (trace.events.empty()) {
    out += "[]";
  } else {
    out += "[\n";
    for (std::size_t event_idx = 0; event_idx < trace.events.size(); ++event_idx) {
      if (event_idx > 0) out += ",\n";
      out += "    ";
      AppendEvent(out, scenario, trace.parties, trace.result.scored_parties,
                  trace.events[event_idx]);
    }
    out += "\n  ]";
  }
  out += ",\n  \"result\": ";
  if (trace.finished) {
    Emit(ResultToJson(scenario, trace), 1, out);
  } else {
    out += "null";
  }
  out += "\n}\n";
  return out;
}

// ---------------------------------------------------------------- streaming

struct TraceStreamWriter::Spill {
  std::FILE* file = nullptr;
  ~Spill() {
    if (file != nullptr) std::fclose(file);
  }
};

TraceStreamWriter::TraceStreamWriter(const model::Scenario& scenario, std::string path)
    : scenario_(scenario), path_(std::move(path)), gaps_(std::make_unique<Spill>()) {}

TraceStreamWriter::~TraceStreamWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Status TraceStreamWriter::Start(const Trace& header) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) {
    return InvalidInput("cannot write the trace: " + std::string(std::strerror(errno)),
                        Location::InFile(path_));
  }
  gaps_->file = std::tmpfile();
  if (gaps_->file == nullptr) {
    return Internal("cannot create a temporary file for the gap curve: " +
                    std::string(std::strerror(errno)));
  }
  scored_ = scenario_.PartiesWithPreferences();
  parties_ = header.parties;
  buffer_ = TraceHead(scenario_, header);
  return Flush(false);
}

void TraceStreamWriter::Event(const TraceEvent& event) {
  buffer_ += events_ == 0 ? "[\n    " : ",\n    ";
  AppendEvent(buffer_, scenario_, parties_, scored_, event);
  ++events_;
  if (buffer_.size() >= kFlushBytes) (void)Flush(false);
}

void TraceStreamWriter::Gap(const GapSample& sample) {
  line_.clear();
  if (gap_samples_ > 0) line_ += ",\n";
  line_ += "      ";
  AppendCompact(line_, GapSampleJson(scenario_, sample));
  ++gap_samples_;
  if (gaps_->file != nullptr &&
      std::fwrite(line_.data(), 1, line_.size(), gaps_->file) != line_.size()) {
    failed_ = true;
  }
}

Status TraceStreamWriter::Finish(const Trace& trace) {
  buffer_ += events_ == 0 ? "[]" : "\n  ]";
  buffer_ += ",\n  \"result\": ";
  PARLEY_RETURN_IF_ERROR(Flush(false));
  bool spill_failed = false;
  AppendResult(
      buffer_, scenario_, trace,
      [&](std::string& out) {
        // The spilled lines, copied through in pieces.
        (void)Flush(false);
        std::rewind(gaps_->file);
        char chunk[1 << 16];
        std::size_t read = 0;
        while ((read = std::fread(chunk, 1, sizeof chunk, gaps_->file)) > 0) {
          if (std::fwrite(chunk, 1, read, file_) != read) spill_failed = true;
        }
        (void)out;
      },
      gap_samples_ == 0);
  buffer_ += "\n}\n";
  PARLEY_RETURN_IF_ERROR(Flush(true));
  if (failed_ || spill_failed) {
    return Internal("writing the trace failed (disk full?)", Location::InFile(path_));
  }
  return Status::Ok();
}

Status TraceStreamWriter::Flush(bool close) {
  if (file_ == nullptr) return Internal("the trace file is not open", Location::InFile(path_));
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    failed_ = true;
  }
  buffer_.clear();
  if (std::fflush(file_) != 0) failed_ = true;
  if (close) {
    if (std::fclose(file_) != 0) failed_ = true;
    file_ = nullptr;
  }
  if (failed_) return Internal("writing the trace failed (disk full?)", Location::InFile(path_));
  return Status::Ok();
}

namespace {

Result<TraceHeader> HeaderFrom(const Json& root, const std::string& file_name) {
  Reader reader(file_name);
  if (!root.is_object()) return Bad(file_name, "", "expected a trace object");
  if (!root.contains("parley_trace")) {
    return Bad(file_name, "parley_trace", "not a parley trace (no 'parley_trace' field)");
  }
  TraceHeader header;
  PARLEY_ASSIGN_OR_RETURN(header.version, reader.Int(root, "parley_trace", ""));
  if (header.version != kTraceFormatVersion) {
    return Unsupported("trace format version " + std::to_string(header.version) +
                           " is not supported (this parley reads version " +
                           std::to_string(kTraceFormatVersion) + ")",
                       Location{file_name, 0, 0, "parley_trace"});
  }
  PARLEY_ASSIGN_OR_RETURN(const Json* scenario, reader.Object(root, "scenario", ""));
  PARLEY_ASSIGN_OR_RETURN(header.scenario_name, reader.String(*scenario, "name", "scenario"));
  PARLEY_ASSIGN_OR_RETURN(const Json* files, reader.Array(*scenario, "files", "scenario"));
  for (std::size_t file_idx = 0; file_idx < files->size(); ++file_idx) {
    if (!(*files)[file_idx].is_string()) {
      return Bad(file_name, Reader::Element("scenario.files", file_idx), "expected a file name");
    }
    header.scenario_files.push_back((*files)[file_idx].get<std::string>());
  }
  return header;
}

}  // namespace

Result<TraceHeader> ReadTraceHeader(const std::string& text, const std::string& file_name) {
  PARLEY_ASSIGN_OR_RETURN(Json root, ParseTraceText(text, file_name));
  return HeaderFrom(root, file_name);
}

namespace {

Result<Trace> ReadTrace(const std::string& text, const model::Scenario& scenario,
                        const std::string& file_name) {
  PARLEY_ASSIGN_OR_RETURN(Json root, ParseTraceText(text, file_name));
  PARLEY_ASSIGN_OR_RETURN(TraceHeader header, HeaderFrom(root, file_name));
  Reader reader(file_name);
  Trace trace;
  trace.version = header.version;
  trace.scenario_name = header.scenario_name;
  trace.scenario_files = header.scenario_files;

  PARLEY_ASSIGN_OR_RETURN(const Json* parties, reader.Array(root, "parties", ""));
  if (parties->size() != scenario.parties.size()) {
    return Bad(file_name, "parties",
               "the trace lists " + std::to_string(parties->size()) +
                   " parties; the scenario has " + std::to_string(scenario.parties.size()));
  }
  for (std::size_t party_idx = 0; party_idx < parties->size(); ++party_idx) {
    std::string field = Reader::Element("parties", party_idx);
    const Json& item = (*parties)[party_idx];
    protocols::PublicParty party;
    PARLEY_ASSIGN_OR_RETURN(party.id, reader.String(item, "id", field));
    PARLEY_ASSIGN_OR_RETURN(party.name, reader.String(item, "name", field));
    PARLEY_ASSIGN_OR_RETURN(std::string role, reader.String(item, "role", field));
    std::optional<model::Role> parsed = model::ParseRole(role);
    if (!parsed) return Bad(file_name, field + ".role", "unknown role '" + role + "'");
    party.role = *parsed;
    if (party.id != scenario.parties[party_idx].id) {
      return Bad(file_name, field + ".id",
                 "party '" + party.id + "' does not match the scenario's party '" +
                     scenario.parties[party_idx].id + "'");
    }
    trace.parties.push_back(std::move(party));
  }
  PartyIndex party_index(trace.parties);

  PARLEY_ASSIGN_OR_RETURN(const Json* config, reader.Object(root, "config", ""));
  PARLEY_ASSIGN_OR_RETURN(trace.protocol, reader.String(*config, "protocol", "config"));
  PARLEY_ASSIGN_OR_RETURN(const Json* strategies, reader.Object(*config, "strategies", "config"));
  for (auto it = strategies->begin(); it != strategies->end(); ++it) {
    std::string field = "config.strategies." + it.key();
    PARLEY_ASSIGN_OR_RETURN(std::size_t party, party_index.Find(reader, Json(it.key()), field));
    if (!it.value().is_string()) return Bad(file_name, field, "expected a strategy spec");
    trace.strategies[party] = it.value().get<std::string>();
  }
  PARLEY_ASSIGN_OR_RETURN(trace.rounds, reader.Int(*config, "rounds", "config"));
  PARLEY_ASSIGN_OR_RETURN(trace.time_limit_seconds,
                          reader.OptionalNumberField(*config, "time_limit_seconds", "config"));
  PARLEY_ASSIGN_OR_RETURN(const Json* seed, reader.Member(*config, "seed", "config"));
  if (!seed->is_number_unsigned()) {
    return Bad(file_name, "config.seed", "expected a non-negative integer");
  }
  trace.seed = seed->get<std::uint64_t>();
  PARLEY_ASSIGN_OR_RETURN(trace.use_discount, reader.Bool(*config, "use_discount", "config"));
  if (auto it = root.find("live"); it != root.end()) {
    PARLEY_ASSIGN_OR_RETURN(trace.live, ReadLive(reader, *it, scenario, party_index));
  }

  std::vector<std::size_t> scored = scenario.PartiesWithPreferences();
  PARLEY_ASSIGN_OR_RETURN(const Json* events, reader.Array(root, "events", ""));
  for (std::size_t event_idx = 0; event_idx < events->size(); ++event_idx) {
    PARLEY_ASSIGN_OR_RETURN(TraceEvent event,
                            ReadEvent(reader, (*events)[event_idx], scenario, party_index, scored,
                                      Reader::Element("events", event_idx)));
    trace.events.push_back(std::move(event));
  }
  auto result = root.find("result");
  if (result == root.end() || result->is_null()) {
    trace.finished = false;  // a session still running
    trace.result.scored_parties = scored;
    return trace;
  }
  PARLEY_ASSIGN_OR_RETURN(trace.result, ReadResult(reader, *result, scenario, party_index, scored));
  trace.result.messages = trace.events.size();
  return trace;
}

}  // namespace

Result<Trace> ReadTraceJson(const std::string& text, const model::Scenario& scenario,
                            const std::string& file_name) {
  Result<Trace> trace = ReadTrace(text, scenario, file_name);
  if (!trace.ok()) {
    Status status = trace.status();
    status.WithFile(file_name);
    return status;
  }
  return trace;
}

std::string ResultsCsvHeader() {
  return CsvRow({"scenario",
                 "protocol",
                 "strategies",
                 "seed",
                 "max_rounds",
                 "time_limit_seconds",
                 "agreement",
                 "rounds",
                 "end_reason",
                 "blocked_by",
                 "outcome",
                 "utilities",
                 "raw_utilities",
                 "welfare",
                 "distance_to_pareto",
                 "distance_to_nash",
                 "distance_to_kalai_smorodinsky",
                 "final_gap",
                 "illegal_actions",
                 "messages",
                 "elapsed_ms"});
}

std::string ResultsCsvRow(const model::Scenario& scenario, const Trace& trace) {
  const SessionResult& result = trace.result;
  std::string strategies;
  for (const auto& [party_idx, spec] : trace.strategies) {
    if (!strategies.empty()) strategies += ";";
    strategies += PartyId(trace.parties, party_idx) + "=" + spec;
  }
  return CsvRow({
      trace.scenario_name,
      trace.protocol,
      strategies,
      std::to_string(trace.seed),
      std::to_string(trace.rounds),
      Number(trace.time_limit_seconds),
      result.agreement ? "true" : "false",
      std::to_string(result.rounds),
      result.end_reason,
      result.blocked_by ? PartyId(trace.parties, *result.blocked_by) : "",
      result.outcome ? CompactOutcome(scenario, *result.outcome) : "",
      CompactUtilities(scenario, result.scored_parties, result.utilities),
      CompactUtilities(scenario, result.scored_parties, result.raw_utilities),
      Number(result.welfare),
      Number(result.distance_to_pareto),
      Number(result.distance_to_nash),
      Number(result.distance_to_kalai_smorodinsky),
      result.gaps.empty() ? "" : Number(result.gaps.back().overall),
      std::to_string(result.illegal_actions.size()),
      std::to_string(MessageCount(trace)),
      Number(result.elapsed_ms),
  });
}

std::string EventsCsv(const model::Scenario& scenario, const Trace& trace) {
  std::string out = CsvRow({"sequence", "round", "time", "from", "to", "type", "outcome", "accept",
                            "value", "text", "utilities"});
  for (const TraceEvent& event : trace.events) {
    const protocols::Message& message = event.message;
    std::string to;
    for (std::size_t recipient : message.recipients) {
      if (!to.empty()) to += ";";
      to += PartyId(trace.parties, recipient);
    }
    out += CsvRow({
        std::to_string(message.sequence),
        std::to_string(message.round),
        Number(message.time),
        PartyId(trace.parties, message.sender),
        to,
        std::string(protocols::ActionTypeName(message.type)),
        message.outcome ? CompactOutcome(scenario, *message.outcome) : "",
        message.accept ? (*message.accept ? "true" : "false") : "",
        Number(message.value),
        message.text,
        CompactUtilities(scenario, trace.result.scored_parties, event.utilities),
    });
  }
  return out;
}

}  // namespace parley::session
