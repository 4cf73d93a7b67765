// Helpers for this module's tests only (header only; not part of the library): temporary
// folders, config files, the example scenarios and comparing results without their timings.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "parley/tournament/results.h"

namespace parley::tournament::testing {

namespace fs = std::filesystem;

inline std::string Example(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/examples/" + name;
}

// A small bilateral scenario without a mediator (2 x 11 x 3 outcomes).
constexpr const char* kOrchardYaml = R"(parley: 1
name: orchard
issues:
  - id: price
    type: integer
    range: [0, 10]
  - id: delivery
    options: [fast, normal, slow]
parties:
  - id: buyer
    role: principal
    preferences:
      weights: {price: 2, delivery: 1}
      values:
        price: {type: linear, at_lower: 1, at_upper: 0}
        delivery: {fast: 1, normal: 0.6, slow: 0}
      reservation: 0.2
  - id: seller
    role: principal
    preferences:
      weights: {price: 1, delivery: 1}
      values:
        price: {type: linear, at_lower: 0, at_upper: 1}
        delivery: {fast: 0, normal: 0.5, slow: 1}
      reservation: 0.1
)";

class TempFolder {
 public:
  TempFolder() {
    static int counter = 0;
    std::random_device random;
    path_ =
        fs::temp_directory_path() / ("parley-tournament-test-" + std::to_string(::getpid()) + "-" +
                                     std::to_string(counter++) + "-" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Rows without their timings, sorted by session key: what must not depend on threads or ranks.
inline std::vector<std::string> RowsWithoutTime(std::vector<SessionRecord> records,
                                                std::size_t num_parties, bool sort = true) {
  std::vector<std::string> rows;
  for (SessionRecord& record : records) {
    record.elapsed_ms = 0;
    rows.push_back(FormatCsvRow(record, num_parties));
  }
  if (sort) std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace parley::tournament::testing
