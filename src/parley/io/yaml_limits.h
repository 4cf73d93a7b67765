// Loading a YAML document within limits, so that any text is refused or read in bounded time,
// memory and stack.
//
// yaml-cpp builds its tree by recursion and keeps every node (a few hundred bytes each), and an
// alias repeats a whole value without copying it, so that a small text can stand for a huge tree
// ("billion laughs") or a cycle. Before the tree is built, an event pass (no tree) measures the
// nesting depth and the number of values, counting an alias as the size of the value it repeats,
// and stops at the first excess; an alias inside the value it names (a cycle) is refused.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "parley/base/status.h"
#include "parley/io/limits.h"

namespace parley::io {

struct YamlLimits {
  std::uint64_t max_bytes = std::uint64_t{32} << 20;
  // Sequences and maps inside each other; the top-level value is depth 1.
  int max_depth = 64;
  // Scalars, sequences and maps, keys included, aliases counted as what they repeat.
  std::uint64_t max_values = 2'000'000;
};

// The limits every scenario and config reader uses (parley/io/limits.h).
inline YamlLimits ScenarioYamlLimits(std::uint64_t max_bytes = kMaxScenarioFileBytes) {
  YamlLimits limits;
  limits.max_bytes = max_bytes;
  limits.max_depth = kMaxNestingDepth;
  limits.max_values = kMaxDocumentValues;
  return limits;
}

// Loads the single YAML document of `text` (no document: a Null node). A stream of several
// documents is refused. Errors, syntax included, are kInvalidInput naming `file_name`, line and
// column; yaml-cpp's exceptions do not escape.
Result<YAML::Node> LoadYaml(const std::string& text, const YamlLimits& limits,
                            const std::string& file_name);

// A yaml-cpp exception as kInvalidInput "not valid YAML: ..." at its mark in `file_name`.
Status YamlError(const YAML::Exception& error, const std::string& file_name);

}  // namespace parley::io
