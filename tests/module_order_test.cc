// The map tells the truth: every `#include "parley/<module>/..."` in src/ follows the module order
// that docs/architecture.md draws ("base <- model <- io, analysis <- ..."), and no module reaches
// into another's internal/ folder. The order is read from the document itself, so the document
// and the code cannot drift apart unnoticed.
//
// A module may include itself and any module in an earlier tier; modules of one tier are
// independent of each other. Tests (`*_test.cc`) and test fixtures (a `testing/` folder) are
// exempt: their programs link the modules above (docs/architecture.md says so).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace parley {
namespace {

namespace fs = std::filesystem;

// Module name -> tier (0 = base). nullopt when `text` has no order line.
std::optional<std::map<std::string, int>> ParseModuleOrder(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("base ", 0) != 0 || line.find("<-") == std::string::npos) continue;
    std::map<std::string, int> tiers;
    int tier = 0;
    std::size_t start = 0;
    while (start <= line.size()) {
      std::size_t arrow = line.find("<-", start);
      std::string group = line.substr(start, arrow == std::string::npos ? arrow : arrow - start);
      std::istringstream names(group);
      std::string name;
      while (std::getline(names, name, ',')) {
        std::size_t first = name.find_first_not_of(" \t");
        std::size_t last = name.find_last_not_of(" \t");
        if (first != std::string::npos) tiers[name.substr(first, last - first + 1)] = tier;
      }
      if (arrow == std::string::npos) break;
      start = arrow + 2;
      ++tier;
    }
    return tiers;
  }
  return std::nullopt;
}

struct Include {
  int line = 0;
  std::string module;  // "session" for "parley/session/session.h"
  bool internal = false;
};

std::vector<Include> ParleyIncludes(const std::string& text) {
  std::vector<Include> out;
  std::istringstream lines(text);
  std::string line;
  int line_number = 0;
  const std::string prefix = "#include \"parley/";
  while (std::getline(lines, line)) {
    ++line_number;
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line.compare(first, prefix.size(), prefix) != 0) continue;
    std::string path = line.substr(first + prefix.size());
    std::size_t slash = path.find('/');
    if (slash == std::string::npos) continue;
    Include include;
    include.line = line_number;
    include.module = path.substr(0, slash);
    include.internal = path.compare(slash + 1, 9, "internal/") == 0;
    out.push_back(include);
  }
  return out;
}

// "" when `module` (the includer's) may include `include`; otherwise why not.
std::string Violation(const std::map<std::string, int>& tiers, const std::string& module,
                      const Include& include) {
  if (include.module == module) return "";
  if (include.internal) {
    return "includes parley/" + include.module + "/internal/, which only " + include.module +
           " may include";
  }
  auto own = tiers.find(module);
  auto other = tiers.find(include.module);
  if (own == tiers.end()) return "module '" + module + "' is not in the order";
  if (other == tiers.end()) return "includes '" + include.module + "', which is not in the order";
  if (other->second < own->second) return "";
  return module + " includes " + include.module + ", which is " +
         (other->second == own->second ? "in the same tier" : "above it");
}

bool Exempt(const fs::path& relative) {
  std::string name = relative.filename().string();
  if (name.size() > 8 && name.compare(name.size() - 8, 8, "_test.cc") == 0) return true;
  for (const fs::path& part : relative) {
    if (part == "testing") return true;
  }
  return false;
}

TEST(ModuleOrderTest, ParsesTiersFromTheOrderLine) {
  auto tiers = ParseModuleOrder("text\n```\nbase  <-  model  <-  io, analysis  <-  apps\n```\n");
  ASSERT_TRUE(tiers.has_value());
  EXPECT_EQ(*tiers, (std::map<std::string, int>{
                        {"base", 0}, {"model", 1}, {"io", 2}, {"analysis", 2}, {"apps", 3}}));
  EXPECT_FALSE(ParseModuleOrder("no order here\nbase is a word\n").has_value());
}

TEST(ModuleOrderTest, FindsIncludesWithTheirLines) {
  std::vector<Include> includes = ParleyIncludes(
      "#include <vector>\n#include \"parley/model/issue.h\"\n\n"
      "#include \"parley/analysis/internal/pareto_problem.h\"\n#include \"commands.h\"\n");
  ASSERT_EQ(includes.size(), 2u);
  EXPECT_EQ(includes[0].line, 2);
  EXPECT_EQ(includes[0].module, "model");
  EXPECT_FALSE(includes[0].internal);
  EXPECT_EQ(includes[1].line, 4);
  EXPECT_EQ(includes[1].module, "analysis");
  EXPECT_TRUE(includes[1].internal);
}

TEST(ModuleOrderTest, RefusesUpwardSameTierUnknownAndInternalIncludes) {
  std::map<std::string, int> tiers = {{"base", 0}, {"model", 1}, {"io", 2}, {"analysis", 2}};
  EXPECT_EQ(Violation(tiers, "io", {1, "model", false}), "");
  EXPECT_EQ(Violation(tiers, "io", {1, "io", true}), "");
  EXPECT_THAT(Violation(tiers, "model", {1, "io", false}), ::testing::HasSubstr("above it"));
  EXPECT_THAT(Violation(tiers, "io", {1, "analysis", false}), ::testing::HasSubstr("same tier"));
  EXPECT_THAT(Violation(tiers, "io", {1, "widgets", false}),
              ::testing::HasSubstr("not in the order"));
  EXPECT_THAT(Violation(tiers, "widgets", {1, "base", false}),
              ::testing::HasSubstr("not in the order"));
  EXPECT_THAT(Violation(tiers, "io", {1, "model", true}), ::testing::HasSubstr("internal/"));
}

TEST(ModuleOrderTest, SourcesFollowTheDocumentedOrder) {
  const fs::path root = PARLEY_SOURCE_DIR;
  std::optional<std::map<std::string, int>> tiers =
      ParseModuleOrder(testing::ReadText(root / "docs" / "architecture.md"));
  ASSERT_TRUE(tiers.has_value()) << "docs/architecture.md has no line 'base <- model <- ...'";
  const fs::path src = root / "src" / "parley";
  std::vector<std::string> violations;
  std::size_t files = 0;
  for (const fs::directory_entry& module_dir : fs::directory_iterator(src)) {
    if (!module_dir.is_directory()) continue;
    const std::string module = module_dir.path().filename().string();
    // parley::testing is test-only code, exempt like every testing/ folder; a module including
    // it is still caught below ("not in the order").
    if (module == "testing") continue;
    if (!tiers->count(module)) {
      violations.push_back("src/parley/" + module + ": module '" + module +
                           "' is not in docs/architecture.md's order");
    }
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(module_dir)) {
      const fs::path& path = entry.path();
      if (!entry.is_regular_file() || (path.extension() != ".h" && path.extension() != ".cc")) {
        continue;
      }
      fs::path relative = fs::relative(path, root);
      if (Exempt(fs::relative(path, src))) continue;
      ++files;
      for (const Include& include : ParleyIncludes(testing::ReadText(path))) {
        std::string why = Violation(*tiers, module, include);
        if (!why.empty()) {
          violations.push_back(relative.string() + ":" + std::to_string(include.line) + ": " + why);
        }
      }
    }
  }
  EXPECT_GT(files, 100u) << "too few sources found under " << src;
  std::string report;
  for (const std::string& violation : violations) report += "\n  " + violation;
  EXPECT_TRUE(violations.empty()) << "includes against docs/architecture.md's module order:"
                                  << report;
}

}  // namespace
}  // namespace parley
