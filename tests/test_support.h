// Helpers shared by the cross-module tests: running the CLI as a user would, finding the corpus,
// temporary folders, and comparing utilities of two scenarios outcome by outcome.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "parley/model/scenario.h"

namespace parley::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the parley executable with `args` (no shell interpretation of the arguments).
CommandResult RunParley(const std::vector<std::string>& args);

// Path of the scenario corpus, or empty when it is absent (tests then GTEST_SKIP).
std::string SharedDataDir();
std::string SourceDir();
// examples/<name> in the source tree.
std::string Example(const std::string& name);

// A whole file as bytes (empty when it cannot be read), and a file written with `text`.
std::string ReadText(const std::filesystem::path& path);
void WriteText(const std::filesystem::path& path, const std::string& text);

// Folders under `root` (recursively) that directly hold at least one file with `extension`.
std::vector<std::string> FoldersWithFiles(const std::string& root, const std::string& extension);

// A fresh empty folder removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Outcomes to compare on: all of them up to `max_all`, otherwise `samples` seeded random ones plus
// each party's best and worst.
std::vector<model::Outcome> SampleOutcomes(const model::Scenario& scenario, std::uint64_t max_all,
                                           int samples, std::uint64_t seed);

// Expects both scenarios to have the same issues (ids, option counts) and the same parties with
// preferences, giving every sampled outcome the same utility within `tolerance`, and the same
// reservation values. Returns the number of (outcome, party) pairs compared.
std::int64_t ExpectSameUtilities(const model::Scenario& expected, const model::Scenario& actual,
                                 double tolerance, std::uint64_t max_all = 20'000,
                                 int samples = 2'000);

}  // namespace parley::testing
