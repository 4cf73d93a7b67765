#include "parley/tournament/results.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <map>

#include "parley/base/file.h"
#include "parley/base/numbers.h"
#include "parley/io/json.h"
#include "parley/io/json_limits.h"
#include "parley/io/limits.h"

namespace parley::tournament {
namespace {

using io::Json;

const std::vector<std::string>& FixedColumns() {
  static const std::vector<std::string> columns = {"session",
                                                   "config",
                                                   "scenario",
                                                   "scenario_path",
                                                   "repetition",
                                                   "seed",
                                                   "protocol",
                                                   "mediator",
                                                   "agreement",
                                                   "welfare",
                                                   "distance_to_pareto",
                                                   "distance_to_nash",
                                                   "distance_to_kalai_smorodinsky",
                                                   "rounds",
                                                   "end_reason",
                                                   "illegal_actions",
                                                   "elapsed_ms"};
  return columns;
}
constexpr const char* kPartyColumns[] = {"party_", "strategy_", "utility_", "advantage_"};

std::string Number(double value) { return fmt::format("{}", value); }
std::string Number(const std::optional<double>& value) { return value ? Number(*value) : ""; }
std::string Milliseconds(double value) { return fmt::format("{:.3f}", value); }

// Rows are single lines: line breaks inside a value become spaces.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

std::string CsvField(const std::string& raw) {
  std::string value = OneLine(raw);
  bool quote = value.find_first_of(",\"") != std::string::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    if (field_idx > 0) out += ',';
    out += CsvField(fields[field_idx]);
  }
  out += '\n';
  return out;
}

// Splits one CSV line (without its '\n'); nullopt when a quote is not closed.
std::optional<std::vector<std::string>> SplitCsvLine(std::string_view line) {
  std::vector<std::string> fields;
  std::string field;
  std::size_t position = 0;
  bool quoted = false;
  bool field_start = true;
  while (position < line.size()) {
    char c = line[position];
    if (quoted) {
      if (c == '"') {
        if (position + 1 < line.size() && line[position + 1] == '"') {
          field += '"';
          ++position;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"' && field_start) {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      field_start = true;
      ++position;
      continue;
    } else if (c != '\r' || position + 1 != line.size()) {
      field += c;
    }
    field_start = false;
    ++position;
  }
  if (quoted) return std::nullopt;
  fields.push_back(std::move(field));
  return fields;
}

std::vector<std::string> RowFields(const SessionRecord& record, std::size_t num_parties) {
  std::vector<std::string> fields = {
      record.session,
      record.config,
      record.scenario,
      record.scenario_path,
      std::to_string(record.repetition),
      std::to_string(record.seed),
      record.protocol,
      record.mediator,
      record.agreement ? "true" : "false",
      Number(record.welfare),
      Number(record.distance_to_pareto),
      Number(record.distance_to_nash),
      Number(record.distance_to_kalai_smorodinsky),
      std::to_string(record.rounds),
      record.end_reason,
      std::to_string(record.illegal_actions),
      Milliseconds(record.elapsed_ms),
  };
  for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
    if (party_idx < record.parties.size()) {
      const PartyRecord& party = record.parties[party_idx];
      fields.push_back(party.party);
      fields.push_back(party.strategy);
      fields.push_back(Number(party.utility));
      fields.push_back(Number(party.advantage));
    } else {
      fields.insert(fields.end(), 4, "");
    }
  }
  return fields;
}

// ------------------------------------------------------------------ reading

// Reads one row given as text fields by column name; `get` returns nullptr for a missing column.
class RowReader {
 public:
  RowReader(std::string file, int line) : file_(std::move(file)), line_(line) {}

  Status Error(const std::string& column, const std::string& message) const {
    return InvalidInput(message, Location{file_, line_, 0, column});
  }
  Result<std::string> Text(const std::string* value, const std::string& column) const {
    if (value == nullptr) return Error(column, "missing column");
    return *value;
  }
  Result<std::optional<double>> OptionalNumber(const std::string* value,
                                               const std::string& column) const {
    if (value == nullptr || value->empty()) return std::optional<double>();
    std::optional<double> number = ParseFiniteDouble(*value);
    if (!number) return Error(column, "expected a number, got '" + *value + "'");
    return number;
  }
  Result<double> RequiredNumber(const std::string* value, const std::string& column) const {
    PARLEY_ASSIGN_OR_RETURN(std::optional<double> number, OptionalNumber(value, column));
    if (!number) return Error(column, "missing value");
    return *number;
  }
  Result<int> Int(const std::string* value, const std::string& column) const {
    std::optional<std::int64_t> number =
        value != nullptr ? ParseInt64(*value) : std::optional<std::int64_t>();
    if (!number || *number < 0 || *number > 2'000'000'000) {
      return Error(column, "expected a non-negative integer");
    }
    return static_cast<int>(*number);
  }
  Result<std::uint64_t> Uint64(const std::string* value, const std::string& column) const {
    std::uint64_t number = 0;
    if (value == nullptr || value->empty()) return Error(column, "expected an integer");
    auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
    if (error != std::errc() || end != value->data() + value->size()) {
      return Error(column, "expected a non-negative integer");
    }
    return number;
  }
  Result<bool> Bool(const std::string* value, const std::string& column) const {
    if (value != nullptr && *value == "true") return true;
    if (value != nullptr && *value == "false") return false;
    return Error(column, "expected true or false");
  }

  template <typename Get>
  Result<SessionRecord> Read(const Get& get, std::size_t num_parties) const {
    SessionRecord record;
    PARLEY_ASSIGN_OR_RETURN(record.session, Text(get("session"), "session"));
    PARLEY_ASSIGN_OR_RETURN(record.config, Text(get("config"), "config"));
    PARLEY_ASSIGN_OR_RETURN(record.scenario, Text(get("scenario"), "scenario"));
    PARLEY_ASSIGN_OR_RETURN(record.scenario_path, Text(get("scenario_path"), "scenario_path"));
    PARLEY_ASSIGN_OR_RETURN(record.repetition, Int(get("repetition"), "repetition"));
    PARLEY_ASSIGN_OR_RETURN(record.seed, Uint64(get("seed"), "seed"));
    PARLEY_ASSIGN_OR_RETURN(record.protocol, Text(get("protocol"), "protocol"));
    PARLEY_ASSIGN_OR_RETURN(record.mediator, Text(get("mediator"), "mediator"));
    PARLEY_ASSIGN_OR_RETURN(record.agreement, Bool(get("agreement"), "agreement"));
    PARLEY_ASSIGN_OR_RETURN(record.welfare, RequiredNumber(get("welfare"), "welfare"));
    PARLEY_ASSIGN_OR_RETURN(record.distance_to_pareto,
                            OptionalNumber(get("distance_to_pareto"), "distance_to_pareto"));
    PARLEY_ASSIGN_OR_RETURN(record.distance_to_nash,
                            OptionalNumber(get("distance_to_nash"), "distance_to_nash"));
    PARLEY_ASSIGN_OR_RETURN(
        record.distance_to_kalai_smorodinsky,
        OptionalNumber(get("distance_to_kalai_smorodinsky"), "distance_to_kalai_smorodinsky"));
    PARLEY_ASSIGN_OR_RETURN(record.rounds, Int(get("rounds"), "rounds"));
    PARLEY_ASSIGN_OR_RETURN(record.end_reason, Text(get("end_reason"), "end_reason"));
    PARLEY_ASSIGN_OR_RETURN(record.illegal_actions, Int(get("illegal_actions"), "illegal_actions"));
    PARLEY_ASSIGN_OR_RETURN(record.elapsed_ms, RequiredNumber(get("elapsed_ms"), "elapsed_ms"));
    if (record.session.size() != 16 || record.config.size() != 16) {
      return Error("session", "expected 16 hex digits in session and config");
    }
    for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
      std::string suffix = std::to_string(party_idx + 1);
      const std::string* party = get("party_" + suffix);
      if (party == nullptr || party->empty()) continue;
      PartyRecord entry;
      entry.party = *party;
      PARLEY_ASSIGN_OR_RETURN(entry.strategy,
                              Text(get("strategy_" + suffix), "strategy_" + suffix));
      PARLEY_ASSIGN_OR_RETURN(entry.utility,
                              OptionalNumber(get("utility_" + suffix), "utility_" + suffix));
      PARLEY_ASSIGN_OR_RETURN(entry.advantage,
                              OptionalNumber(get("advantage_" + suffix), "advantage_" + suffix));
      if (record.parties.size() != party_idx) {
        return Error("party_" + suffix, "party columns must be filled from party_1 on");
      }
      record.parties.push_back(std::move(entry));
    }
    return record;
  }

 private:
  std::string file_;
  int line_;
};

// Number of party blocks named by a CSV header; errors when the header is not a results header.
Result<std::size_t> CheckHeader(const std::vector<std::string>& columns,
                                const std::string& file_name) {
  const std::vector<std::string>& fixed = FixedColumns();
  std::size_t blocks = columns.size() >= fixed.size() ? (columns.size() - fixed.size()) / 4 : 0;
  if (columns.size() < fixed.size() || (columns.size() - fixed.size()) % 4 != 0 ||
      columns != ResultColumns(blocks)) {
    return InvalidInput(
        "not a parley tournament results file: the header does not list the expected columns "
        "(session, config, scenario, ...)",
        Location{file_name, 1, 0, ""});
  }
  return blocks;
}

Result<ResultsTable> ParseCsv(std::string_view text, const std::string& file_name) {
  ResultsTable table;
  table.format = ResultsFormat::kCsv;
  std::size_t position = 0;
  int line_number = 0;
  std::vector<std::string> columns;
  std::map<std::string, std::size_t> index;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) {
      table.torn_last_line = true;
      break;
    }
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    ++line_number;
    std::optional<std::vector<std::string>> fields = SplitCsvLine(line);
    if (!fields) {
      return InvalidInput("unterminated quoted value", Location{file_name, line_number, 0, ""});
    }
    if (line_number == 1) {
      PARLEY_ASSIGN_OR_RETURN(table.num_parties, CheckHeader(*fields, file_name));
      columns = std::move(*fields);
      for (std::size_t column_idx = 0; column_idx < columns.size(); ++column_idx) {
        index[columns[column_idx]] = column_idx;
      }
      continue;
    }
    if (fields->size() != columns.size()) {
      return InvalidInput("expected " + std::to_string(columns.size()) + " values, got " +
                              std::to_string(fields->size()),
                          Location{file_name, line_number, 0, ""});
    }
    auto get = [&](const std::string& column) -> const std::string* {
      auto found = index.find(column);
      return found == index.end() ? nullptr : &(*fields)[found->second];
    };
    PARLEY_ASSIGN_OR_RETURN(SessionRecord record,
                            RowReader(file_name, line_number).Read(get, table.num_parties));
    table.records.push_back(std::move(record));
  }
  return table;
}

Result<ResultsTable> ParseJsonl(std::string_view text, const std::string& file_name) {
  ResultsTable table;
  table.format = ResultsFormat::kJsonl;
  std::size_t position = 0;
  int line_number = 0;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) {
      table.torn_last_line = true;
      break;
    }
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Result<Json> parsed = io::ParseJson(line, io::ResultsRowJsonLimits());
    if (!parsed.ok() || !parsed->is_object()) {
      std::string why = parsed.ok() ? "" : ": " + parsed.status().message();
      return InvalidInput("not a JSON object" + why, Location{file_name, line_number, 0, ""});
    }
    const Json& row = *parsed;
    // Values as the CSV reader sees them: text, numbers written back shortest, null as empty.
    std::map<std::string, std::string> values;
    std::size_t num_parties = 0;
    for (const auto& [key, value] : row.items()) {
      if (value.is_null()) {
        values[key] = "";
      } else if (value.is_string()) {
        values[key] = value.get<std::string>();
      } else if (value.is_boolean()) {
        values[key] = value.get<bool>() ? "true" : "false";
      } else if (value.is_number_unsigned()) {
        values[key] = std::to_string(value.get<std::uint64_t>());
      } else if (value.is_number_integer()) {
        values[key] = std::to_string(value.get<std::int64_t>());
      } else if (value.is_number_float()) {
        values[key] = Number(value.get<double>());
      } else {
        return InvalidInput("unexpected nested value", Location{file_name, line_number, 0, key});
      }
      if (key.rfind("party_", 0) == 0) {
        std::optional<std::int64_t> slot = ParseInt64(key.substr(6));
        if (slot && *slot > 0 && *slot < 100'000) {
          num_parties = std::max(num_parties, static_cast<std::size_t>(*slot));
        }
      }
    }
    auto get = [&](const std::string& column) -> const std::string* {
      auto found = values.find(column);
      return found == values.end() ? nullptr : &found->second;
    };
    PARLEY_ASSIGN_OR_RETURN(SessionRecord record,
                            RowReader(file_name, line_number).Read(get, num_parties));
    table.num_parties = std::max(table.num_parties, num_parties);
    table.records.push_back(std::move(record));
  }
  return table;
}

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Internal(what + ": " + std::strerror(errno), Location::InFile(path));
}

}  // namespace

std::vector<std::string> ResultColumns(std::size_t num_parties) {
  std::vector<std::string> columns = FixedColumns();
  for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
    for (const char* prefix : kPartyColumns) {
      columns.push_back(prefix + std::to_string(party_idx + 1));
    }
  }
  return columns;
}

std::string CsvHeader(std::size_t num_parties) { return CsvLine(ResultColumns(num_parties)); }

std::string FormatCsvRow(const SessionRecord& record, std::size_t num_parties) {
  return CsvLine(RowFields(record, num_parties));
}

std::string FormatJsonlRow(const SessionRecord& record, std::size_t num_parties) {
  auto number = [](const std::optional<double>& value) {
    return value ? Json(*value) : Json(nullptr);
  };
  Json row = Json::object();
  row["session"] = record.session;
  row["config"] = record.config;
  row["scenario"] = OneLine(record.scenario);
  row["scenario_path"] = OneLine(record.scenario_path);
  row["repetition"] = record.repetition;
  row["seed"] = record.seed;
  row["protocol"] = record.protocol;
  row["mediator"] = record.mediator;
  row["agreement"] = record.agreement;
  row["welfare"] = record.welfare;
  row["distance_to_pareto"] = number(record.distance_to_pareto);
  row["distance_to_nash"] = number(record.distance_to_nash);
  row["distance_to_kalai_smorodinsky"] = number(record.distance_to_kalai_smorodinsky);
  row["rounds"] = record.rounds;
  row["end_reason"] = record.end_reason;
  row["illegal_actions"] = record.illegal_actions;
  // Three decimals, as in CSV: parsed back from the same text.
  row["elapsed_ms"] = *ParseFiniteDouble(Milliseconds(record.elapsed_ms));
  for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
    std::string suffix = std::to_string(party_idx + 1);
    if (party_idx < record.parties.size()) {
      const PartyRecord& party = record.parties[party_idx];
      row["party_" + suffix] = party.party;
      row["strategy_" + suffix] = party.strategy;
      row["utility_" + suffix] = number(party.utility);
      row["advantage_" + suffix] = number(party.advantage);
    } else {
      for (const char* prefix : kPartyColumns) row[prefix + suffix] = nullptr;
    }
  }
  // dump() escapes control characters, so the row stays one line.
  return row.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string FormatRow(const SessionRecord& record, std::size_t num_parties, ResultsFormat format) {
  return format == ResultsFormat::kJsonl ? FormatJsonlRow(record, num_parties)
                                         : FormatCsvRow(record, num_parties);
}

Result<ResultsTable> ParseResults(const std::string& text, const std::string& file_name) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') return ParseJsonl(text, file_name);
  return ParseCsv(text, file_name);
}

Result<ResultsTable> ReadResults(const std::string& path) {
  PARLEY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, io::kMaxResultsFileBytes));
  return ParseResults(text, path);
}

std::string DefaultSummaryPath(const std::string& results_path) {
  std::filesystem::path path(results_path);
  path.replace_extension(".summary.csv");
  return path.string();
}

// ------------------------------------------------------------------ ResultsFile

ResultsFile::ResultsFile(ResultsFile&& other) noexcept { *this = std::move(other); }

ResultsFile& ResultsFile::operator=(ResultsFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    format_ = other.format_;
    fd_ = other.fd_;
    existing_ = std::move(other.existing_);
    truncated_ = other.truncated_;
    other.fd_ = -1;
  }
  return *this;
}

ResultsFile::~ResultsFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<ResultsFile> ResultsFile::Open(const std::string& path, ResultsFormat format,
                                      std::size_t num_parties, const std::string& fingerprint) {
  ResultsFile file;
  file.path_ = path;
  file.format_ = format;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidInput("is a folder, expected a results file", Location::InFile(path));
  }
  file.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (file.fd_ < 0) {
    return InvalidInput(std::string("cannot open for writing: ") + std::strerror(errno),
                        Location::InFile(path));
  }
  if (::flock(file.fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return InvalidInput("another tournament is writing this file", Location::InFile(path));
    }
    return ErrnoStatus("cannot lock", path);
  }
  std::string text;
  char buffer[1 << 16];
  off_t offset = 0;
  while (true) {
    ssize_t got = ::pread(file.fd_, buffer, sizeof buffer, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ErrnoStatus("cannot read", path);
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    offset += got;
  }
  // A row torn by a kill: everything after the last line break goes.
  std::size_t keep = text.rfind('\n');
  keep = keep == std::string::npos ? 0 : keep + 1;
  if (keep < text.size()) {
    if (::ftruncate(file.fd_, static_cast<off_t>(keep)) != 0) {
      return ErrnoStatus("cannot truncate the torn last row", path);
    }
    text.resize(keep);
    file.truncated_ = true;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    if (!text.empty() && ::ftruncate(file.fd_, 0) != 0) return ErrnoStatus("cannot truncate", path);
    if (format == ResultsFormat::kCsv) PARLEY_RETURN_IF_ERROR(file.Append(CsvHeader(num_parties)));
    return file;
  }
  PARLEY_ASSIGN_OR_RETURN(ResultsTable table, ParseResults(text, path));
  auto different = [&](const std::string& what) {
    return InvalidInput("holds the results of a different tournament (" + what +
                            "); give another -o, or delete the file to start again",
                        Location::InFile(path));
  };
  if (table.format != format) {
    return InvalidInput(
        "holds " + std::string(ResultsFormatName(table.format)) +
            " rows, but the results format is " + std::string(ResultsFormatName(format)) +
            "; give another -o or --format " + std::string(ResultsFormatName(table.format)),
        Location::InFile(path));
  }
  for (const SessionRecord& record : table.records) {
    if (record.config != fingerprint) {
      return different("config fingerprint " + record.config + ", this config's is " + fingerprint);
    }
  }
  if (format == ResultsFormat::kCsv && table.num_parties != num_parties) {
    return different("its columns are for " + std::to_string(table.num_parties) +
                     " parties, this config needs " + std::to_string(num_parties));
  }
  file.existing_ = std::move(table.records);
  return file;
}

Status ResultsFile::Append(const std::string& row) {
  const char* data = row.data();
  std::size_t left = row.size();
  while (left > 0) {
    ssize_t written = ::write(fd_, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return ErrnoStatus("cannot write", path_);
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  return Status::Ok();
}

Status ResultsFile::Sync() {
  if (::fdatasync(fd_) != 0 && errno != EINVAL) return ErrnoStatus("cannot sync", path_);
  return Status::Ok();
}

}  // namespace parley::tournament
