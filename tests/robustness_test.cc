// Damaged input never crashes parley: truncated and mutated copies of real corpus files and of the
// bundled examples either load or fail with kInvalidInput / kNotFound naming the damaged file.
// Run under AddressSanitizer and UBSan in CI (make test), which turns any memory error into a
// failure.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "parley/io/scenario_io.h"
#include "test_support.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

// Variants of `text`: truncations at spread-out positions and seeded random byte mutations
// (overwrite, delete, duplicate a span), including characters that matter to the formats.
std::vector<std::string> DamagedVariants(const std::string& text, int count, std::uint64_t seed) {
  std::vector<std::string> variants;
  std::mt19937_64 rng(seed);
  const std::string specials = "<>\"'&=:{}[],-#\n\t 0123456789.e";
  for (int variant_idx = 0; variant_idx < count; ++variant_idx) {
    std::string damaged = text;
    if (damaged.empty()) break;
    switch (variant_idx % 4) {
      case 0:  // truncate
        damaged.resize(rng() % damaged.size());
        break;
      case 1:  // overwrite a few bytes
        for (int hit = 0; hit < 1 + static_cast<int>(rng() % 4); ++hit) {
          damaged[rng() % damaged.size()] = specials[rng() % specials.size()];
        }
        break;
      case 2: {  // delete a span
        std::size_t start = rng() % damaged.size();
        damaged.erase(start, 1 + rng() % 40);
        break;
      }
      case 3: {  // duplicate a span
        std::size_t start = rng() % damaged.size();
        damaged.insert(start, damaged.substr(start, 1 + rng() % 80));
        break;
      }
    }
    variants.push_back(std::move(damaged));
  }
  return variants;
}

// Loads `folder` after replacing `victim` (a file inside it) with each damaged variant.
void ExpectNoCrashOnDamage(const fs::path& source_folder, const fs::path& victim, int count,
                           std::uint64_t seed, int& failures_seen) {
  TempDir temp;
  fs::path folder = temp.path() / source_folder.filename();
  fs::create_directories(folder);
  for (const auto& entry : fs::directory_iterator(source_folder)) {
    if (entry.is_regular_file()) fs::copy_file(entry.path(), folder / entry.path().filename());
  }
  fs::path damaged_path = folder / victim.filename();
  for (const std::string& damaged : DamagedVariants(ReadText(victim), count, seed)) {
    std::ofstream(damaged_path, std::ios::binary | std::ios::trunc) << damaged;
    Result<model::Scenario> loaded = io::LoadScenario(folder.string());
    if (loaded.ok()) continue;
    ++failures_seen;
    const Status& status = loaded.status();
    EXPECT_TRUE(status.code() == ErrorCode::kInvalidInput || status.code() == ErrorCode::kNotFound)
        << status.ToString();
    EXPECT_NE(status.ToString().find(folder.string()), std::string::npos)
        << "the message does not name the file: " << status.ToString();
  }
}

TEST(RobustnessTest, DamagedCorpusFilesNeverCrash) {
  std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent";
  std::vector<fs::path> victims;
  for (const auto& entry : fs::recursive_directory_iterator(data)) {
    std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".xml" || extension == ".json") &&
        entry.path().filename() != "pareto.xml") {
      victims.push_back(entry.path());
    }
  }
  std::sort(victims.begin(), victims.end());
  ASSERT_GT(victims.size(), 100u);
  int failures_seen = 0;
  // Every 9th file (a spread over all folders and formats) and all GeniusWeb files.
  for (std::size_t victim_idx = 0; victim_idx < victims.size(); ++victim_idx) {
    const fs::path& victim = victims[victim_idx];
    bool geniusweb = victim.string().find("/geniusweb/") != std::string::npos;
    if (!geniusweb && victim_idx % 9 != 0) continue;
    // Large non-linear profiles cost more per load; fewer variants for them.
    int count = fs::file_size(victim) > 200'000 ? 4 : 12;
    ExpectNoCrashOnDamage(victim.parent_path(), victim, count, victim_idx, failures_seen);
  }
  // Most damage must be detected; a test that sees no failures would prove nothing.
  EXPECT_GT(failures_seen, 50);
}

TEST(RobustnessTest, DamagedExamplesNeverCrashAndErrorsHaveLines) {
  int failures_seen = 0;
  for (const std::string name : {"ceasefire.yaml", "riverside.yaml"}) {
    std::string text = ReadText(SourceDir() + "/examples/" + name);
    TempDir temp;
    fs::path path = temp.path() / name;
    std::uint64_t seed = 1;
    for (const std::string& damaged : DamagedVariants(text, 400, seed++)) {
      std::ofstream(path, std::ios::binary | std::ios::trunc) << damaged;
      Result<model::Scenario> loaded = io::LoadScenario(path.string());
      if (loaded.ok()) continue;
      ++failures_seen;
      EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidInput) << loaded.status().ToString();
      EXPECT_EQ(loaded.status().location().file, path.string()) << loaded.status().ToString();
      EXPECT_GT(loaded.status().location().line, 0) << loaded.status().ToString();
    }
  }
  EXPECT_GT(failures_seen, 200);
}

}  // namespace
}  // namespace parley::testing
