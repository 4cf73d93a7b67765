#include "parley/session/replay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "parley/base/file.h"
#include "parley/io/limits.h"
#include "parley/io/scenario_io.h"
#include "parley/session/testing/scenarios.h"
#include "parley/session/trace_json.h"

namespace parley::session {
namespace {

namespace fs = std::filesystem;

class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    folder_ = fs::temp_directory_path() / ("parley_replay_test_" + std::to_string(random()));
    fs::create_directories(folder_);
    scenario_path_ = (folder_ / "random.yaml").string();
    ASSERT_TRUE(
        WriteFileAtomically(scenario_path_, io::WriteParleyYaml(testing::RandomScenario(2, 31)))
            .ok());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(folder_, ec);
  }

  // Runs a session on the scenario as loaded from its file and writes the trace beside it.
  std::string WriteTrace(const std::vector<std::string>& recorded_files) {
    Result<model::Scenario> scenario = io::LoadScenario(scenario_path_);
    EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
    SessionConfig config;
    config.strategies = {{0, "session_test_random"}, {1, "session_test_concede(floor=0.3)"}};
    config.rounds = 25;
    config.seed = 4242;
    Result<Trace> trace = RunSession(*scenario, config);
    EXPECT_TRUE(trace.ok()) << trace.status().ToString();
    trace->scenario_files = recorded_files;
    std::string path = (folder_ / "trace.json").string();
    EXPECT_TRUE(WriteFileAtomically(path, WriteTraceJson(*scenario, *trace)).ok());
    return path;
  }

  fs::path folder_;
  std::string scenario_path_;
};

TEST_F(ReplayTest, AnUntouchedTraceReplaysIdentically) {
  std::string trace_path = WriteTrace({scenario_path_});
  Result<ReplayReport> report = ReplayTraceFile(trace_path);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->identical);
  EXPECT_EQ(report->line, 0);
  EXPECT_GT(report->events, 0u);
  EXPECT_TRUE(report->note.empty());
}

TEST_F(ReplayTest, RelativeScenarioPathsResolveBesideTheTrace) {
  // "random.yaml" does not exist in the working folder, only beside the trace.
  ASSERT_FALSE(fs::exists("random.yaml"));
  std::string trace_path = WriteTrace({"random.yaml"});
  Result<ReplayReport> report = ReplayTraceFile(trace_path);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->identical);
}

TEST_F(ReplayTest, AnEditedTraceReportsTheFirstDifferentLine) {
  std::string trace_path = WriteTrace({scenario_path_});
  std::string text = *ReadFileToString(trace_path, io::kMaxTraceFileBytes);
  // Change the recorded welfare: the re-run disagrees exactly on that line.
  std::size_t welfare = text.find("\"welfare\": ");
  ASSERT_NE(welfare, std::string::npos);
  std::size_t line_end = text.find('\n', welfare);
  std::string edited = text.substr(0, welfare) + "\"welfare\": 12345," + text.substr(line_end);
  ASSERT_TRUE(WriteFileAtomically(trace_path, edited).ok());
  int expected_line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + welfare, '\n'));
  Result<ReplayReport> report = ReplayTraceFile(trace_path);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->identical);
  EXPECT_EQ(report->line, expected_line);
  EXPECT_THAT(report->recorded_line, ::testing::HasSubstr("12345"));
  EXPECT_THAT(report->replayed_line, ::testing::HasSubstr("\"welfare\": "));
  EXPECT_THAT(report->replayed_line, ::testing::Not(::testing::HasSubstr("12345")));
}

TEST_F(ReplayTest, AChangedScenarioIsNoticed) {
  std::string trace_path = WriteTrace({scenario_path_});
  // Same structure, other values: the utilities recorded in the trace no longer hold.
  ASSERT_TRUE(
      WriteFileAtomically(scenario_path_, io::WriteParleyYaml(testing::RandomScenario(2, 32)))
          .ok());
  Result<ReplayReport> report = ReplayTraceFile(trace_path);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->identical);
  EXPECT_GT(report->line, 1);
}

TEST_F(ReplayTest, BadInputIsAnErrorNotADifference) {
  Result<ReplayReport> missing = ReplayTraceFile((folder_ / "none.json").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);

  std::string not_json = (folder_ / "bad.json").string();
  ASSERT_TRUE(WriteFileAtomically(not_json, "{ nope").ok());
  Result<ReplayReport> bad = ReplayTraceFile(not_json);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);

  std::string trace_path = WriteTrace({(folder_ / "gone.yaml").string()});
  Result<ReplayReport> gone = ReplayTraceFile(trace_path);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), ErrorCode::kNotFound);

  std::string no_files = WriteTrace({});
  Result<ReplayReport> empty = ReplayTraceFile(no_files);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().location().field, "scenario.files");
}

TEST(ScenarioFilesTest, PathOrDomainThenProfiles) {
  io::ScenarioSource path;
  path.path = "examples/ceasefire.yaml";
  EXPECT_EQ(ScenarioFilesOf(path), (std::vector<std::string>{"examples/ceasefire.yaml"}));
  io::ScenarioSource files;
  files.domain = "d.xml";
  files.profiles = {"a.xml", "b.xml"};
  EXPECT_EQ(ScenarioFilesOf(files), (std::vector<std::string>{"d.xml", "a.xml", "b.xml"}));
}

}  // namespace
}  // namespace parley::session
