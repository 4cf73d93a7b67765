// parley_fuzz_seeds OUT: writes each fuzz target's seeds to OUT/<target>/seed-<n> (made from
// examples/ and ../shared/data when present; nothing is copied into the repository). With
// TARGET after OUT, only that target's.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "fuzz/fuzz_targets.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: parley_fuzz_seeds OUT_FOLDER [TARGET]\n");
    return 2;
  }
  const fs::path out = argv[1];
  int written_targets = 0;
  for (const parley::fuzz::Target& target : parley::fuzz::AllTargets()) {
    if (argc == 3 && std::string(argv[2]) != target.name) continue;
    ++written_targets;
    const fs::path folder = out / target.name;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
      std::fprintf(stderr, "cannot create %s: %s\n", folder.c_str(), ec.message().c_str());
      return 1;
    }
    std::vector<std::string> seeds = target.seeds();
    for (std::size_t seed_idx = 0; seed_idx < seeds.size(); ++seed_idx) {
      std::ofstream file(folder / ("seed-" + std::to_string(seed_idx)), std::ios::binary);
      file << seeds[seed_idx];
      if (!file) {
        std::fprintf(stderr, "cannot write a seed to %s\n", folder.c_str());
        return 1;
      }
    }
    std::printf("%s: %zu seeds\n", target.name, seeds.size());
  }
  if (written_targets == 0) {
    std::fprintf(stderr, "no fuzz target '%s'\n", argv[2]);
    return 2;
  }
  return 0;
}
