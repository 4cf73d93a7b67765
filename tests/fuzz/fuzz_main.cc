// libFuzzer's entry point for one target, named at build time (PARLEY_FUZZ_TARGET).
#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const parley::fuzz::Target* target = [] {
    const parley::fuzz::Target* found = parley::fuzz::FindTarget(PARLEY_FUZZ_TARGET);
    if (found == nullptr) {
      std::fprintf(stderr, "no fuzz target '%s'\n", PARLEY_FUZZ_TARGET);
      std::abort();
    }
    return found;
  }();
  return target->run(data, size);
}
