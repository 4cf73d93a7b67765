// Black-box tests of `parley tournament` as a user runs it: a minimal config, exit codes and
// messages for bad configs, resuming after a kill or Ctrl-C, refusing a changed config, JSON
// Lines, and the MPI run (2 ranks on localhost) giving the same rows as the threaded run.
// Expected counts come from the schedule's definition (docs/tournament.md), not from the program.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "parley/tournament/results.h"
#include "test_support.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using tournament::ReadResults;
using tournament::ResultsTable;
using tournament::SessionRecord;

// Runs `program` with `args` and extra environment variables; `on_stderr_line` sees each
// stderr line as it comes, with the child's pid (to signal it).
CommandResult Spawn(const std::string& program, const std::vector<std::string>& args,
                    const std::vector<std::string>& environment = {},
                    const std::function<void(const std::string&, pid_t)>& on_stderr_line = {}) {
  TempDir temp;
  fs::path out_path = temp.path() / "stdout";
  int err_pipe[2];
  EXPECT_EQ(pipe(err_pipe), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(err_pipe[0]);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(err_pipe[1], STDERR_FILENO) < 0) _exit(127);
    for (const std::string& variable : environment) putenv(strdup(variable.c_str()));
    std::vector<std::string> copies = args;
    std::vector<char*> argv;
    std::string program_copy = program;
    argv.push_back(program_copy.data());
    for (std::string& arg : copies) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execvp(program_copy.c_str(), argv.data());
    _exit(127);
  }
  close(err_pipe[1]);
  CommandResult result;
  std::string pending;
  char buffer[4096];
  while (true) {
    ssize_t got = read(err_pipe[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    result.err.append(buffer, static_cast<std::size_t>(got));
    pending.append(buffer, static_cast<std::size_t>(got));
    std::size_t end;
    while ((end = pending.find('\n')) != std::string::npos) {
      if (on_stderr_line) on_stderr_line(pending.substr(0, end), pid);
      pending.erase(0, end + 1);
    }
  }
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadText(out_path);
  return result;
}

CommandResult Tournament(std::vector<std::string> args,
                         const std::function<void(const std::string&, pid_t)>& on_line = {}) {
  args.insert(args.begin(), "tournament");
  return Spawn(PARLEY_CLI_PATH, args, {}, on_line);
}

// The rows without their timings, sorted by session.
std::vector<std::string> Rows(const fs::path& path) {
  Result<ResultsTable> table = ReadResults(path.string());
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  if (!table.ok()) return {};
  std::vector<std::string> rows;
  for (SessionRecord record : table->records) {
    record.elapsed_ms = 0;
    rows.push_back(tournament::FormatCsvRow(record, table->num_parties));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::size_t NumRows(const fs::path& path) {
  Result<ResultsTable> table = ReadResults(path.string());
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? table->records.size() : 0;
}

// ceasefire (2 principals) and riverside (3): with n strategies and role swapping, n^2 and
// (n + 3 * (n(n-1) + n(n-1)(n-2)/6)) assignments; for n = 2: 4 and 2 + 3 * 2 = 8.
constexpr std::size_t kTwoStrategyAssignments = 4 + 8;

std::string SixKeyConfig(int repetitions, int rounds = 30) {
  return "scenarios: [" + Example("ceasefire.yaml") + ", " + Example("riverside.yaml") +
         "]\nstrategies: [boulware, \"time_based(e=[2])\"]\nprotocol: alternating_offers\n"
         "rounds: " +
         std::to_string(rounds) + "\nrepetitions: " + std::to_string(repetitions) + "\nseed: 3\n";
}

TEST(TournamentCliTest, AMinimalSixKeyConfigRunsEverySession) {
  TempDir temp;
  WriteText(temp.path() / "t.yaml", SixKeyConfig(2));
  fs::path results = temp.path() / "results.csv";
  CommandResult run = Tournament({(temp.path() / "t.yaml").string(), "-o", results.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(NumRows(results), kTwoStrategyAssignments * 2);
  EXPECT_TRUE(fs::exists(temp.path() / "results.summary.csv"));
  EXPECT_THAT(run.out, HasSubstr("boulware"));
  EXPECT_THAT(run.out, HasSubstr("time_based(e=2)"));
  EXPECT_THAT(run.out, HasSubstr("95% CI"));
  std::string summary = ReadText(temp.path() / "results.summary.csv");
  EXPECT_EQ(summary.rfind("rank,strategy,role,observations,mean_utility", 0), 0u);
  EXPECT_EQ(std::count(summary.begin(), summary.end(), '\n'), 3);
}

TEST(TournamentCliTest, BadConfigsExitWithTwoAndNameTheLine) {
  TempDir temp;
  struct Case {
    std::string text;
    std::string where;
    std::string what;
  };
  std::string scenario = Example("ceasefire.yaml");
  for (const Case& bad : {
           Case{"scenarios: [" + scenario + "]\nstrategies: [boulware]\nrepetitons: 2\n",
                "t.yaml:3:1: repetitons", "did you mean 'repetitions'"},
           Case{"scenarios: [" + scenario + "]\nstrategies:\n  - boulware\n  - nobody\n",
                "t.yaml:4:5", "unknown strategy 'nobody'"},
           Case{"scenarios:\n  - " + scenario + "\n  - missing.yaml\nstrategies: [boulware]\n",
                "t.yaml:3:5", "missing.yaml"},
           Case{"scenarios: [" + scenario + "]\nstrategies: [boulware\n", "t.yaml:3",
                "not valid YAML"},
       }) {
    WriteText(temp.path() / "t.yaml", bad.text);
    CommandResult run = Tournament({(temp.path() / "t.yaml").string(), "-o",
                                    (temp.path() / "r.csv").string(), "--no-progress"});
    EXPECT_EQ(run.exit_code, 2) << bad.text;
    EXPECT_THAT(run.err, HasSubstr(bad.where)) << bad.text;
    EXPECT_THAT(run.err, HasSubstr(bad.what)) << bad.text;
  }
  CommandResult no_file = Tournament({(temp.path() / "none.yaml").string()});
  EXPECT_EQ(no_file.exit_code, 2);
  CommandResult bad_format = Tournament({(temp.path() / "t.yaml").string(), "--format", "xml"});
  EXPECT_EQ(bad_format.exit_code, 2);
}

TEST(TournamentCliTest, ResumingSkipsFinishedSessionsAndRepairsATornRow) {
  TempDir temp;
  fs::path config = temp.path() / "t.yaml";
  WriteText(config, SixKeyConfig(3));
  fs::path complete = temp.path() / "complete.csv";
  ASSERT_EQ(Tournament({config.string(), "-o", complete.string()}).exit_code, 0);
  // As if killed while writing: the file ends in the middle of a row.
  std::string text = ReadText(complete);
  std::size_t cut = text.size() / 2;
  while (text[cut - 1] == '\n') ++cut;
  fs::path killed = temp.path() / "killed.csv";
  WriteText(killed, text.substr(0, cut));
  CommandResult resumed = Tournament({config.string(), "-o", killed.string()});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("were already in the results"));
  EXPECT_THAT(resumed.out, HasSubstr("partial row"));
  EXPECT_EQ(Rows(killed), Rows(complete));

  // Another config for the same file is refused, and the file is left alone.
  WriteText(config, SixKeyConfig(3, 31));
  std::string before = ReadText(killed);
  CommandResult refused = Tournament({config.string(), "-o", killed.string()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("different tournament"));
  EXPECT_EQ(ReadText(killed), before);
}

TEST(TournamentCliTest, JsonLinesByExtensionOrFlag) {
  TempDir temp;
  fs::path config = temp.path() / "t.yaml";
  WriteText(config, SixKeyConfig(1));
  fs::path by_extension = temp.path() / "r.jsonl";
  ASSERT_EQ(Tournament({config.string(), "-o", by_extension.string()}).exit_code, 0);
  fs::path by_flag = temp.path() / "r.out";
  ASSERT_EQ(Tournament({config.string(), "-o", by_flag.string(), "--format", "jsonl", "--summary",
                        (temp.path() / "s.csv").string()})
                .exit_code,
            0);
  EXPECT_TRUE(fs::exists(temp.path() / "s.csv"));
  for (const fs::path& path : {by_extension, by_flag}) {
    std::string text = ReadText(path);
    EXPECT_EQ(text.front(), '{');
    EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')),
              kTwoStrategyAssignments);
  }
  fs::path csv = temp.path() / "r.csv";
  ASSERT_EQ(Tournament({config.string(), "-o", csv.string()}).exit_code, 0);
  EXPECT_EQ(Rows(by_extension), Rows(csv));
}

// Big enough that a signal sent at the start arrives long before the end.
std::string LongConfig() {
  return "scenarios: [" + Example("ceasefire.yaml") + ", " + Example("riverside.yaml") +
         "]\nstrategies: [boulware, conceder, linear, hardliner]\nrounds: 200\n"
         "repetitions: 10\nseed: 5\n";
}
// 4 strategies: ceasefire 16 ordered pairs; riverside 4 + 3 * (12 + 4) = 52 rotations.
constexpr std::size_t kLongSessions = (16 + 52) * 10;

void SendAtStart(int signal_number, const std::string& line, pid_t pid) {
  if (line.find("to run on") != std::string::npos) kill(pid, signal_number);
}

TEST(TournamentCliTest, CtrlCStopsCleanlyAndRerunningResumes) {
  TempDir temp;
  fs::path config = temp.path() / "t.yaml";
  WriteText(config, LongConfig());
  fs::path results = temp.path() / "r.csv";
  CommandResult interrupted =
      Tournament({config.string(), "-o", results.string()},
                 [](const std::string& line, pid_t pid) { SendAtStart(SIGINT, line, pid); });
  ASSERT_EQ(interrupted.exit_code, 1) << interrupted.err;
  EXPECT_THAT(interrupted.err, HasSubstr("interrupted: "));
  EXPECT_THAT(interrupted.err, HasSubstr("run the same command again to resume"));
  std::size_t kept = NumRows(results);
  EXPECT_LT(kept, kLongSessions);
  CommandResult resumed = Tournament({config.string(), "-o", results.string(), "--no-progress"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  std::vector<std::string> rows = Rows(results);
  EXPECT_EQ(rows.size(), kLongSessions);
  EXPECT_EQ(std::set<std::string>(rows.begin(), rows.end()).size(), rows.size());
}

TEST(TournamentCliTest, AKillNineLeavesAReadableFileThatResumes) {
  TempDir temp;
  fs::path config = temp.path() / "t.yaml";
  WriteText(config, LongConfig());
  fs::path results = temp.path() / "r.csv";
  CommandResult killed =
      Tournament({config.string(), "-o", results.string()},
                 [](const std::string& line, pid_t pid) { SendAtStart(SIGKILL, line, pid); });
  EXPECT_EQ(killed.exit_code, 128 + SIGKILL);
  Result<ResultsTable> table = ReadResults(results.string());  // a torn last row is ignored
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  CommandResult resumed = Tournament({config.string(), "-o", results.string(), "--no-progress"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  std::vector<std::string> rows = Rows(results);
  EXPECT_EQ(rows.size(), kLongSessions);
  EXPECT_EQ(std::set<std::string>(rows.begin(), rows.end()).size(), rows.size());
}

#ifdef PARLEY_MPIEXEC
TEST(TournamentCliTest, MpiWithTwoRanksGivesTheThreadedResults) {
  TempDir temp;
  fs::path config = temp.path() / "t.yaml";
  WriteText(config, SixKeyConfig(4));
  fs::path threaded = temp.path() / "threaded.csv";
  ASSERT_EQ(Tournament({config.string(), "-o", threaded.string()}).exit_code, 0);
  fs::path distributed = temp.path() / "mpi.csv";
  std::vector<std::string> environment = {"OMPI_MCA_btl_vader_single_copy_mechanism=none"};
#ifdef PARLEY_LSAN_SUPPRESSIONS
  // OpenMPI keeps allocations until exit, which AddressSanitizer's leak check reports. The
  // suppressions name OpenMPI's libraries; its plugins stay loaded and stacks are unwound fully
  // so that every such allocation can be traced to one of them (and a leak in parley cannot).
  environment.push_back("LSAN_OPTIONS=suppressions=" PARLEY_LSAN_SUPPRESSIONS);
  environment.push_back("ASAN_OPTIONS=fast_unwind_on_malloc=0");
  environment.push_back("OMPI_MCA_mca_base_component_disable_dlclose=1");
#endif
  CommandResult run = Spawn(PARLEY_MPIEXEC,
                            {"--oversubscribe", "--allow-run-as-root", "-np", "2", PARLEY_CLI_PATH,
                             "tournament", config.string(), "-o", distributed.string(), "--mpi"},
                            environment);
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_THAT(run.out, HasSubstr("Ran " + std::to_string(kTwoStrategyAssignments * 4)));
  EXPECT_EQ(Rows(distributed), Rows(threaded));
  EXPECT_EQ(ReadText(temp.path() / "mpi.summary.csv"),
            ReadText(temp.path() / "threaded.summary.csv"));
}
#endif

}  // namespace
}  // namespace parley::testing
