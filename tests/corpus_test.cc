// The public scenario corpus (../shared/data): every scenario loads through the same entry point
// the CLI uses, and converting it between formats preserves every outcome's utility.
#include <gtest/gtest.h>

#include <filesystem>

#include "parley/io/scenario_io.h"
#include "test_support.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> CorpusFolders() {
  std::string data = SharedDataDir();
  if (data.empty()) return {};
  std::vector<std::string> folders = FoldersWithFiles(data + "/genius", ".xml");
  std::vector<std::string> geniusweb = FoldersWithFiles(data + "/geniusweb", ".json");
  folders.insert(folders.end(), geniusweb.begin(), geniusweb.end());
  return folders;
}

class CorpusTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam().empty()) GTEST_SKIP() << "../shared/data is absent";
  }
};

// Round trips through parley YAML and JSON, and through GeniusWeb where it can express the
// scenario (a clear kUnsupported error where it cannot), keep every utility within 1e-9.
TEST_P(CorpusTest, LoadsAndRoundTripsThroughEveryFormat) {
  Result<model::Scenario> loaded = io::LoadScenario(GetParam());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::Scenario& scenario = *loaded;
  EXPECT_FALSE(scenario.PartiesWithPreferences().empty());

  Result<model::Scenario> from_yaml =
      io::ReadParleyYaml(io::WriteParleyYaml(scenario), "roundtrip.yaml");
  ASSERT_TRUE(from_yaml.ok()) << from_yaml.status().ToString();
  EXPECT_GT(ExpectSameUtilities(scenario, *from_yaml, 1e-9), 0);
  // parley -> parley is a fixed point: writing the re-read scenario gives the same text.
  EXPECT_EQ(io::WriteParleyYaml(*from_yaml), io::WriteParleyYaml(scenario));

  Result<model::Scenario> from_json =
      io::ReadParleyJson(io::WriteParleyJson(scenario), "roundtrip.json");
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString();
  EXPECT_GT(ExpectSameUtilities(scenario, *from_json, 1e-9, 2'000, 300), 0);

  Status expressible = io::CheckGeniusWebExpressible(scenario);
  TempDir temp;
  fs::path folder = temp.path() / "geniusweb";
  Status written = io::WriteGeniusWebFolder(scenario, folder.string());
  if (!expressible.ok()) {
    EXPECT_EQ(expressible.code(), ErrorCode::kUnsupported) << expressible.ToString();
    EXPECT_FALSE(expressible.message().empty());
    EXPECT_FALSE(written.ok());
    EXPECT_TRUE(!fs::exists(folder) || fs::is_empty(folder));
    return;
  }
  ASSERT_TRUE(written.ok()) << written.ToString();
  Result<model::Scenario> from_geniusweb = io::LoadScenario(folder.string());
  ASSERT_TRUE(from_geniusweb.ok()) << from_geniusweb.status().ToString();
  EXPECT_GT(ExpectSameUtilities(scenario, *from_geniusweb, 1e-9, 2'000, 300), 0);
}

std::string FolderTestName(const ::testing::TestParamInfo<std::string>& info) {
  if (info.param.empty()) return "corpus_absent";
  std::string name = info.param.substr(SharedDataDir().size() + 1);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::vector<std::string> FoldersOrPlaceholder() {
  std::vector<std::string> folders = CorpusFolders();
  if (folders.empty()) folders.push_back("");  // one skipped case says the corpus is absent
  return folders;
}

INSTANTIATE_TEST_SUITE_P(SharedData, CorpusTest, ::testing::ValuesIn(FoldersOrPlaceholder()),
                         FolderTestName);

TEST(CorpusCoverageTest, EveryCorpusFileIsReadBySomeScenario) {
  std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent";
  std::set<std::string> read;
  for (const std::string& folder : CorpusFolders()) {
    Result<model::Scenario> loaded = io::LoadScenario(folder);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    for (const std::string& file : loaded->source_files) {
      read.insert(fs::canonical(file).string());
    }
  }
  int unread = 0;
  for (const auto& entry : fs::recursive_directory_iterator(data)) {
    std::string extension = entry.path().extension().string();
    if (!entry.is_regular_file() || (extension != ".xml" && extension != ".json")) continue;
    // y2014's pareto.xml files are CSV frontiers, not scenario files.
    if (entry.path().filename() == "pareto.xml") continue;
    if (!read.count(fs::canonical(entry.path()).string())) {
      ++unread;
      ADD_FAILURE() << "not read by any scenario: " << entry.path();
    }
  }
  EXPECT_EQ(unread, 0);
}

}  // namespace
}  // namespace parley::testing
