// What the files of parley's own scenario format (docs/scenario-format.md) share: the reader
// (parley_format_reader.cc), the bridge from JSON to yaml-cpp trees
// (parley_format_json_bridge.cc), the writer (parley_format_writer.cc) and the YAML emitter
// (parley_format_emitter.cc).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

#include "parley/io/json.h"

namespace parley::io::internal {

// Field paths, shared by the reader (provenance, positions) and the writer.
inline std::string Child(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return path + "." + std::string(key);
}
inline std::string Element(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}
inline std::string IssuePath(const std::string& id) { return "issues." + id; }
inline std::string PartyPath(const std::string& id) { return "parties." + id; }
inline std::string PhasePath(const std::string& id) { return "phases." + id; }
inline std::string PreferencesPath(const std::string& party_id) {
  return PartyPath(party_id) + ".preferences";
}
inline std::string RedLinePath(const std::string& party_id, std::size_t index) {
  return Element(PartyPath(party_id) + ".red_lines", index);
}

inline std::string LowerCase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// --- JSON to yaml-cpp (parley_format_json_bridge.cc) ---

// True when the yaml-cpp tree holds exactly the JSON value (yaml-cpp reads nearly all JSON the
// same way; this catches the rest, such as escaped surrogate pairs).
bool SameTree(const YAML::Node& yaml, const Json& json);
// Builds a yaml-cpp tree (without positions) from JSON that yaml-cpp could not read itself. The
// recursion is bounded: ParseJson refused anything nested deeper than kMaxNestingDepth.
YAML::Node JsonToYaml(const Json& json);

// --- YAML emission (parley_format_emitter.cc) ---

// The document as block-style YAML (short collections in flow style), ending in a newline.
std::string EmitYamlDocument(const Json& document);

}  // namespace parley::io::internal
