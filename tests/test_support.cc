#include "test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

namespace parley::testing {
namespace fs = std::filesystem;

namespace {
std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}
}  // namespace

CommandResult RunParley(const std::vector<std::string>& args) {
  TempDir temp;
  fs::path out_path = temp.path() / "stdout";
  fs::path err_path = temp.path() / "stderr";
  CommandResult result;
  pid_t pid = fork();
  if (pid == 0) {
    FILE* out = std::freopen(out_path.c_str(), "w", stdout);
    FILE* err = std::freopen(err_path.c_str(), "w", stderr);
    if (out == nullptr || err == nullptr) _exit(127);
    std::vector<char*> argv;
    std::string program = PARLEY_CLI_PATH;
    argv.push_back(program.data());
    std::vector<std::string> copies = args;
    for (std::string& arg : copies) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadAll(out_path);
  result.err = ReadAll(err_path);
  return result;
}

std::string SharedDataDir() {
  std::error_code ec;
  fs::path path(PARLEY_SHARED_DATA_DIR);
  if (!fs::is_directory(path, ec)) return "";
  return fs::canonical(path, ec).string();
}

std::string SourceDir() { return PARLEY_SOURCE_DIR; }

std::string Example(const std::string& name) { return SourceDir() + "/examples/" + name; }

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> FoldersWithFiles(const std::string& root, const std::string& extension) {
  std::set<std::string> folders;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == extension) {
      folders.insert(entry.path().parent_path().string());
    }
  }
  return {folders.begin(), folders.end()};
}

TempDir::TempDir() {
  static int counter = 0;
  std::random_device random;
  path_ = fs::temp_directory_path() / ("parley-test-" + std::to_string(getpid()) + "-" +
                                       std::to_string(counter++) + "-" + std::to_string(random()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::vector<model::Outcome> SampleOutcomes(const model::Scenario& scenario, std::uint64_t max_all,
                                           int samples, std::uint64_t seed) {
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  std::vector<model::Outcome> outcomes;
  if (space.IsEnumerable(max_all)) {
    Status status =
        space.ForEach(max_all, [&](const model::Outcome& outcome) { outcomes.push_back(outcome); });
    EXPECT_TRUE(status.ok());
    return outcomes;
  }
  std::mt19937_64 rng(seed);
  for (int sample_idx = 0; sample_idx < samples; ++sample_idx) {
    model::Outcome outcome(space.NumIssues());
    for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
      outcome[issue_idx] = static_cast<model::OptionIndex>(rng() % space.Cardinality(issue_idx));
    }
    outcomes.push_back(std::move(outcome));
  }
  for (std::size_t party_idx : scenario.PartiesWithPreferences()) {
    model::UtilityRange range = model::ComputeUtilityRange(
        *scenario.parties[party_idx].preferences->utility, space, /*enumeration_limit=*/0);
    outcomes.push_back(range.argmax);
    outcomes.push_back(range.argmin);
  }
  return outcomes;
}

std::int64_t ExpectSameUtilities(const model::Scenario& expected, const model::Scenario& actual,
                                 double tolerance, std::uint64_t max_all, int samples) {
  EXPECT_EQ(expected.issues.size(), actual.issues.size());
  if (expected.issues.size() != actual.issues.size()) return 0;
  for (std::size_t issue_idx = 0; issue_idx < expected.issues.size(); ++issue_idx) {
    EXPECT_EQ(expected.issues[issue_idx].id, actual.issues[issue_idx].id);
    EXPECT_EQ(expected.issues[issue_idx].NumOptions(), actual.issues[issue_idx].NumOptions());
    for (std::uint64_t option = 0; option < expected.issues[issue_idx].NumOptions() && option < 64;
         ++option) {
      EXPECT_EQ(expected.issues[issue_idx].OptionLabel(option),
                actual.issues[issue_idx].OptionLabel(option));
    }
  }
  std::vector<std::size_t> expected_parties = expected.PartiesWithPreferences();
  std::vector<std::size_t> actual_parties = actual.PartiesWithPreferences();
  EXPECT_EQ(expected_parties.size(), actual_parties.size());
  if (expected_parties.size() != actual_parties.size()) return 0;
  std::vector<model::Outcome> outcomes = SampleOutcomes(expected, max_all, samples, 42);
  std::int64_t compared = 0;
  for (std::size_t pair_idx = 0; pair_idx < expected_parties.size(); ++pair_idx) {
    const model::Party& want = expected.parties[expected_parties[pair_idx]];
    // Parties are matched by id: a format may list them in another order, and GeniusWeb names
    // keep letters and digits only ("carrier-1" comes back as "carrier1").
    std::optional<std::size_t> match = actual.FindParty(want.id);
    auto alphanumeric = [](const std::string& id) {
      std::string kept;
      for (char c : id) {
        if (std::isalnum(static_cast<unsigned char>(c))) kept += c;
      }
      return kept;
    };
    for (std::size_t candidate = 0; !match && candidate < actual.parties.size(); ++candidate) {
      if (alphanumeric(actual.parties[candidate].id) == alphanumeric(want.id)) match = candidate;
    }
    EXPECT_TRUE(match.has_value()) << "party " << want.id << " is missing";
    if (!match || !actual.parties[*match].preferences) continue;
    const model::Party& got = actual.parties[*match];
    // A stated reservation of 0 and none stated mean the same to every analysis; GeniusWeb
    // cannot tell them apart.
    EXPECT_NEAR(want.preferences->ReservationOrZero(), got.preferences->ReservationOrZero(),
                tolerance)
        << want.id;
    int failures = 0;
    for (const model::Outcome& outcome : outcomes) {
      double want_utility = want.preferences->utility->Evaluate(outcome);
      double got_utility = got.preferences->utility->Evaluate(outcome);
      ++compared;
      if (std::abs(want_utility - got_utility) > tolerance && ++failures <= 3) {
        ADD_FAILURE() << "party " << want.id << " outcome " << expected.DescribeOutcome(outcome)
                      << ": " << want_utility << " became " << got_utility;
      }
    }
  }
  return compared;
}

}  // namespace parley::testing
