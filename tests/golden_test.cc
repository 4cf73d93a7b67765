// Golden outputs: what `parley info` prints for the bundled examples, reviewed by a person and
// stored in tests/golden/. Set PARLEY_UPDATE_GOLDEN=1 to rewrite them after an intended change,
// then review the diff before committing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "test_support.h"

namespace parley::testing {
namespace {

void ExpectGolden(const std::vector<std::string>& args, const std::string& golden_name) {
  CommandResult result = RunParley(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string path = SourceDir() + "/tests/golden/" + golden_name;
  const char* update = std::getenv("PARLEY_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << result.out;
    GTEST_SKIP() << "rewrote " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path;
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(result.out, expected.str()) << "output of parley differs from " << path;
}

TEST(GoldenTest, CeasefireInfo) {
  ExpectGolden({"info", SourceDir() + "/examples/ceasefire.yaml"}, "ceasefire_info.txt");
}

TEST(GoldenTest, RiversideInfo) {
  ExpectGolden({"info", SourceDir() + "/examples/riverside.yaml"}, "riverside_info.txt");
}

// What `parley analyze` tells a person about the ceasefire example: no zone of agreement, the
// conflicting red lines, the relaxations that would open one, and the gaps (no timings).
TEST(GoldenTest, CeasefireAnalyze) {
  ExpectGolden({"analyze", SourceDir() + "/examples/ceasefire.yaml"}, "ceasefire_analyze.txt");
}

}  // namespace
}  // namespace parley::testing
