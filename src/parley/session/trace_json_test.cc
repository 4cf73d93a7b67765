#include "parley/session/trace_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "parley/session/record.h"
#include "parley/session/testing/scenarios.h"

namespace parley::session {
namespace {

using io::Json;

// Random offers from both parties (test strategies registered in session_test.cc).
Trace RandomTrace(const model::Scenario& scenario, int rounds, std::uint64_t seed) {
  SessionConfig config;
  config.strategies = {{0, "session_test_random"}, {1, "session_test_random"}};
  config.rounds = rounds;
  config.seed = seed;
  Result<Trace> trace = RunSession(scenario, config);
  PARLEY_CHECK(trace.ok());
  trace->scenario_files = {"somewhere/random.yaml"};
  return std::move(trace).value();
}

TEST(TraceJsonTest, WriteReadWriteGivesTheSameBytes) {
  for (std::uint64_t seed : {1, 2, 3, 4}) {
    model::Scenario scenario = testing::RandomScenario(2, seed);
    Trace trace = RandomTrace(scenario, 40, seed);
    std::string written = WriteTraceJson(scenario, trace);
    Result<Trace> read = ReadTraceJson(written, scenario, "trace.json");
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_EQ(WriteTraceJson(scenario, *read), written);
    ASSERT_EQ(read->events.size(), trace.events.size());
    for (std::size_t event_idx = 0; event_idx < trace.events.size(); ++event_idx) {
      EXPECT_EQ(read->events[event_idx].message.outcome, trace.events[event_idx].message.outcome);
      EXPECT_EQ(read->events[event_idx].message.recipients,
                trace.events[event_idx].message.recipients);
      EXPECT_EQ(read->events[event_idx].utilities, trace.events[event_idx].utilities);
    }
    EXPECT_EQ(read->result.outcome, trace.result.outcome);
    EXPECT_EQ(read->result.utilities, trace.result.utilities);
    EXPECT_EQ(read->strategies, trace.strategies);
    EXPECT_EQ(read->seed, trace.seed);
  }
}

// A session still running has no result: written as null, read back as unfinished, and the
// events (with their analyst utilities) survive; a record of it lists every offer.
TEST(TraceJsonTest, TraceOfASessionStillRunning) {
  model::Scenario scenario = testing::RandomScenario(2, 5);
  Trace trace = RandomTrace(scenario, 30, 5);
  trace.finished = false;
  std::string written = WriteTraceJson(scenario, trace);
  EXPECT_NE(written.find("\"result\": null"), std::string::npos);
  Result<Trace> read = ReadTraceJson(written, scenario, "running.json");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_FALSE(read->finished);
  EXPECT_EQ(read->events.size(), trace.events.size());
  EXPECT_EQ(WriteTraceJson(scenario, *read), written);
  // Without the key at all it reads the same.
  std::string without = written.substr(0, written.find(",\n  \"result\"")) + "\n}\n";
  Result<Trace> bare = ReadTraceJson(without, scenario, "running.json");
  ASSERT_TRUE(bare.ok()) << bare.status().ToString();
  EXPECT_FALSE(bare->finished);
  model::Record record = RecordFromTrace(scenario, *read);
  std::size_t offers = 0;
  for (const TraceEvent& event : trace.events) {
    if (event.message.type == protocols::ActionType::kOffer && event.message.outcome) ++offers;
  }
  std::size_t offer_observations = 0;
  for (const model::Observation& observation : record.observations) {
    if (observation.kind == model::Observation::Kind::kOffer) ++offer_observations;
    EXPECT_EQ(observation.time, static_cast<double>(observation.round) / 30);
  }
  EXPECT_EQ(offer_observations, offers);
  EXPECT_EQ(record.deadline_round, 30);
  EXPECT_FALSE(record.agreement.has_value());
}

TEST(TraceJsonTest, DocumentedShapeWithPartiesByIdAndOutcomesByLabelOrNumber) {
  model::Scenario scenario = testing::RandomScenario(2, 8);
  Trace trace = RandomTrace(scenario, 10, 8);
  std::string written = WriteTraceJson(scenario, trace);
  Json root = Json::parse(written);
  EXPECT_EQ(root["parley_trace"], 1);
  EXPECT_EQ(root["scenario"]["name"], "random");
  EXPECT_EQ(root["scenario"]["files"], Json::array({"somewhere/random.yaml"}));
  EXPECT_EQ(root["config"]["protocol"], "alternating_offers(first=0)");
  EXPECT_EQ(root["config"]["strategies"]["p0"], "session_test_random");
  EXPECT_EQ(root["config"]["rounds"], 10);
  EXPECT_EQ(root["config"]["seed"], 8);
  EXPECT_TRUE(root["config"]["time_limit_seconds"].is_null());
  ASSERT_EQ(root["parties"].size(), scenario.parties.size());
  EXPECT_EQ(root["parties"][2]["role"], "mediator");
  const Json& first = root["events"][0];
  EXPECT_EQ(first["from"], "p0");
  EXPECT_EQ(first["to"], Json::array({"p0", "p1"}));
  EXPECT_EQ(first["type"], "offer");
  const model::Outcome& outcome = *trace.events[0].message.outcome;
  // x is discrete (a label), n integer from 0 (the number), r real on a 0.5 grid.
  EXPECT_EQ(first["outcome"]["x"], "x" + std::to_string(outcome[0]));
  EXPECT_EQ(first["outcome"]["n"], static_cast<int>(outcome[1]));
  EXPECT_DOUBLE_EQ(first["outcome"]["r"].get<double>(), 0.5 * outcome[2]);
  // Utilities for every party with preferences, the enabled mediator included.
  EXPECT_EQ(first["utilities"].size(), 3u);
  EXPECT_DOUBLE_EQ(first["utilities"]["p1"].get<double>(),
                   scenario.parties[1].preferences->utility->Evaluate(outcome));
  const Json& result = root["result"];
  for (const char* field :
       {"agreement", "outcome", "utilities", "rounds", "welfare", "distance_to_nash", "gaps",
        "end_reason", "blocked_by", "illegal_actions", "elapsed_ms"}) {
    EXPECT_TRUE(result.contains(field)) << field;
  }
  // One line per event.
  std::istringstream lines(written);
  std::string line;
  std::size_t event_lines = 0;
  while (std::getline(lines, line)) {
    if (line.find("{\"sequence\":") != std::string::npos) ++event_lines;
  }
  EXPECT_EQ(event_lines, trace.events.size());
}

TEST(TraceJsonTest, ReadingErrorsNameLineColumnOrField) {
  model::Scenario scenario = testing::RandomScenario(2, 6);
  Trace trace = RandomTrace(scenario, 5, 6);
  std::string written = WriteTraceJson(scenario, trace);

  Result<Trace> syntax = ReadTraceJson("{\n  \"parley_trace\": 1,\n  oops\n}", scenario, "t.json");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(syntax.status().location().file, "t.json");
  EXPECT_EQ(syntax.status().location().line, 3);
  EXPECT_GT(syntax.status().location().column, 0);

  Json root = Json::parse(written);
  auto read_changed = [&](const std::function<void(Json&)>& change) {
    Json copy = root;
    change(copy);
    return ReadTraceJson(copy.dump(), scenario, "t.json");
  };
  Result<Trace> version = read_changed([](Json& j) { j["parley_trace"] = 99; });
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), ErrorCode::kUnsupported);

  Result<Trace> sender = read_changed([](Json& j) { j["events"][0]["from"] = "nobody"; });
  ASSERT_FALSE(sender.ok());
  EXPECT_EQ(sender.status().location().field, "events[0].from");
  EXPECT_THAT(sender.status().message(), ::testing::HasSubstr("nobody"));

  Result<Trace> label = read_changed([](Json& j) { j["events"][0]["outcome"]["x"] = "x9"; });
  ASSERT_FALSE(label.ok());
  EXPECT_EQ(label.status().location().field, "events[0].outcome.x");
  EXPECT_EQ(label.status().location().file, "t.json");

  Result<Trace> type = read_changed([](Json& j) { j["events"][0]["type"] = "shout"; });
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.status().location().field, "events[0].type");

  Result<Trace> missing = read_changed([](Json& j) { j["result"].erase("welfare"); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().location().field, "result.welfare");

  Result<Trace> other = read_changed([](Json& j) { j["parties"][1]["id"] = "stranger"; });
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.status().message(), ::testing::HasSubstr("does not match"));

  Result<TraceHeader> not_trace = ReadTraceHeader("{\"parley\": 1}", "s.json");
  ASSERT_FALSE(not_trace.ok());
  EXPECT_THAT(not_trace.status().message(), ::testing::HasSubstr("not a parley trace"));
}

TEST(TraceJsonTest, TextIsEscapedAndInvalidUtf8Replaced) {
  model::Scenario scenario = testing::RandomScenario(2, 6);
  Trace trace = RandomTrace(scenario, 3, 6);
  trace.events[0].message.text = "tab\there \"quoted\" back\\slash \x01 caf\xC3\xA9";
  std::string written = WriteTraceJson(scenario, trace);
  Result<Trace> read = ReadTraceJson(written, scenario, "t.json");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->events[0].message.text, trace.events[0].message.text);
  EXPECT_EQ(WriteTraceJson(scenario, *read), written);
  // A stray byte that is not UTF-8 becomes U+FFFD, so the file stays valid JSON.
  trace.events[0].message.text = "bad \xFF byte";
  Result<Trace> replaced = ReadTraceJson(WriteTraceJson(scenario, trace), scenario, "t.json");
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_EQ(replaced->events[0].message.text, "bad \xEF\xBF\xBD byte");
}

// Splits one CSV line into fields, honouring quotes.
std::vector<std::string> ParseCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t position = 0; position < line.size(); ++position) {
    char c = line[position];
    if (quoted) {
      if (c == '"' && position + 1 < line.size() && line[position + 1] == '"') {
        fields.back() += '"';
        ++position;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

TEST(TraceJsonTest, CsvRowsMatchTheirHeaders) {
  model::Scenario scenario = testing::RandomScenario(2, 9);
  Trace trace = RandomTrace(scenario, 12, 9);
  trace.events[0].message.text = "a, \"quoted\" word";
  std::vector<std::string> header =
      ParseCsvLine(ResultsCsvHeader().substr(0, ResultsCsvHeader().size() - 1));
  std::string row_text = ResultsCsvRow(scenario, trace);
  ASSERT_EQ(row_text.back(), '\n');
  std::vector<std::string> row = ParseCsvLine(row_text.substr(0, row_text.size() - 1));
  ASSERT_EQ(row.size(), header.size());
  auto column = [&](const std::string& name) {
    return row[std::find(header.begin(), header.end(), name) - header.begin()];
  };
  EXPECT_EQ(column("scenario"), "random");
  EXPECT_EQ(column("seed"), "9");
  EXPECT_EQ(column("agreement"), trace.result.agreement ? "true" : "false");
  EXPECT_EQ(column("messages"), std::to_string(trace.events.size()));
  EXPECT_EQ(column("strategies"),
            "p0=session_test_random;p1=session_test_random;m=" + trace.strategies.at(2));

  std::string events = EventsCsv(scenario, trace);
  std::istringstream lines(events);
  std::string line;
  std::getline(lines, line);
  std::vector<std::string> event_header = ParseCsvLine(line);
  std::size_t rows = 0;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields = ParseCsvLine(line);
    ASSERT_EQ(fields.size(), event_header.size()) << line;
    if (rows == 0) {
      EXPECT_EQ(fields[9], "a, \"quoted\" word");
      EXPECT_EQ(fields[3], "p0");
      EXPECT_EQ(fields[4], "p0;p1");
    }
    ++rows;
  }
  EXPECT_EQ(rows, trace.events.size());
}

}  // namespace
}  // namespace parley::session
