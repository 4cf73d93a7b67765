// Replays every input kept under tests/fuzz/regressions/<target>/ (each once crashed, hung or
// exhausted memory in that target) through the same function libFuzzer drives, so that a fixed
// defect that returns fails the suite in every build; and runs each target on its seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_targets.h"

namespace parley::fuzz {
namespace {

namespace fs = std::filesystem;

struct Input {
  std::string target;
  fs::path path;
};

std::vector<Input> RegressionInputs() {
  std::vector<Input> inputs;
  const fs::path root = fs::path(PARLEY_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
  std::error_code ec;
  for (const fs::directory_entry& folder : fs::directory_iterator(root, ec)) {
    if (!folder.is_directory()) continue;
    for (const fs::directory_entry& file : fs::directory_iterator(folder.path(), ec)) {
      if (file.is_regular_file() && file.path().filename() != "README.md") {
        inputs.push_back(Input{folder.path().filename().string(), file.path()});
      }
    }
  }
  std::sort(inputs.begin(), inputs.end(),
            [](const Input& a, const Input& b) { return a.path < b.path; });
  return inputs;
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class RegressionTest : public ::testing::TestWithParam<Input> {};

TEST_P(RegressionTest, ReplaysWithoutFailing) {
  const Input& input = GetParam();
  const Target* target = FindTarget(input.target);
  ASSERT_NE(target, nullptr) << "tests/fuzz/regressions/" << input.target
                             << " names no fuzz target";
  std::string bytes = ReadBytes(input.path);
  // A defect that returns aborts or overflows the stack here, failing the test.
  EXPECT_EQ(target->run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
}

// The seeds are what every fuzzing run starts from: each target has some (the GENIUS and
// GeniusWeb ones come from the shared corpus) and runs its first few without failing.
class SeedsTest : public ::testing::TestWithParam<Target> {};

TEST_P(SeedsTest, TargetRunsItsSeeds) {
  const Target& target = GetParam();
  std::vector<std::string> seeds = target.seeds();
  const std::string name = target.name;
  if (seeds.empty() && (name == "genius_xml" || name == "geniusweb_json") &&
      !fs::exists(SharedDataDir())) {
    GTEST_SKIP() << "the corpus is not at " << SharedDataDir();
  }
  ASSERT_FALSE(seeds.empty()) << target.name << " has no seeds";
  for (std::size_t seed_idx = 0; seed_idx < seeds.size() && seed_idx < 3; ++seed_idx) {
    const std::string& seed = seeds[seed_idx];
    EXPECT_LE(seed.size(), kMaxSeedBytes);
    EXPECT_EQ(target.run(reinterpret_cast<const std::uint8_t*>(seed.data()), seed.size()), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Fuzz, SeedsTest, ::testing::ValuesIn(AllTargets()),
                         [](const ::testing::TestParamInfo<Target>& param_info) {
                           return std::string(param_info.param.name);
                         });

INSTANTIATE_TEST_SUITE_P(Fuzz, RegressionTest, ::testing::ValuesIn(RegressionInputs()),
                         [](const ::testing::TestParamInfo<Input>& param_info) {
                           std::string name = param_info.param.target + "_" +
                                              param_info.param.path.filename().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RegressionTest);

}  // namespace
}  // namespace parley::fuzz
