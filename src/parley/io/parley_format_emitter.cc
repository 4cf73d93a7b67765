// Block-style YAML from the writer's tree for parley's format, with yaml-cpp's Emitter: short
// collections in flow style, and strings other YAML readers would take for something else
// quoted.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "parley/io/internal/parley_format.h"
#include "parley/model/issue.h"

namespace parley::io::internal {
namespace {

// Strings that YAML 1.1/1.2 readers (not yaml-cpp, which parley reads everything with as text)
// would take for numbers, booleans or null are quoted, so other tools read them as text too.
bool LooksLikeNonString(const std::string& text) {
  static const std::set<std::string> kWords = {"true", "false", "yes", "no",   "on",    "off", "y",
                                               "n",    "null",  "~",   ".inf", "-.inf", ".nan"};
  if (kWords.count(LowerCase(text)) > 0) return true;
  if (text.empty()) return false;
  // Dates (YAML 1.1 timestamps) such as 2024-05-06 or 2024-05.
  if (text.size() >= 7 && text.size() <= 10 && std::isdigit(static_cast<unsigned char>(text[0])) &&
      text[4] == '-' && std::all_of(text.begin(), text.end(), [](char c) {
        return c == '-' || std::isdigit(static_cast<unsigned char>(c));
      })) {
    return true;
  }
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && !std::isspace(static_cast<unsigned char>(text[0]));
}

std::string ScalarText(const Json& value) {
  switch (value.type()) {
    case Json::value_t::number_integer:
      return std::to_string(value.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return std::to_string(value.get<std::uint64_t>());
    case Json::value_t::number_float:
      return model::FormatNumber(value.get<double>());
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::string:
      return value.get<std::string>();
    default:
      return "";
  }
}

// Collections of scalars (and lists of short lists, such as points) that fit on a line are
// written in flow style: `range: [0, 40]`, `{value: 0.3, source: assumption}`.
bool FitsFlow(const Json& value, std::size_t& width, int depth) {
  constexpr std::size_t kMaxWidth = 72;
  if (value.is_primitive()) {
    if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      if (text.find('\n') != std::string::npos) return false;
      width += text.size() + 2;
    } else {
      width += ScalarText(value).size();
    }
    return width <= kMaxWidth;
  }
  // Empty collections at the top are left to the emitter, which writes them as [] or {}.
  if (depth >= 2 || (depth == 0 && value.empty())) return false;
  width += 2;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (value.is_object()) {
      // Map values are scalars or lists ({c1-i9: [7, 9]}), never maps.
      if (it.value().is_object()) return false;
      width += it.key().size() + 2;
    }
    if (!FitsFlow(it.value(), width, depth + 1)) return false;
    width += 2;
  }
  return width <= kMaxWidth;
}

void EmitString(YAML::Emitter& out, const std::string& text) {
  if (LooksLikeNonString(text)) out << YAML::DoubleQuoted;
  out << text;
}

enum class Style { kAuto, kBlock, kFlow };

// `depth` counts collections from the document; the document, its top-level lists and their
// items (issues, parties...) stay in block style however short. The maps of one list are either
// all in flow style or all in block style, so options read alike.
void EmitYaml(YAML::Emitter& out, const Json& value, Style style, int depth) {
  if (value.is_primitive()) {
    if (value.is_string()) {
      EmitString(out, value.get_ref<const std::string&>());
    } else {
      out << ScalarText(value);
    }
    return;
  }
  std::size_t width = 0;
  bool flow =
      style == Style::kFlow || (style == Style::kAuto && depth > 2 && FitsFlow(value, width, 0));
  if (flow) out << YAML::Flow;
  if (value.is_object()) {
    out << YAML::BeginMap;
    for (auto it = value.begin(); it != value.end(); ++it) {
      out << YAML::Key;
      EmitString(out, it.key());
      out << YAML::Value;
      EmitYaml(out, it.value(), flow ? Style::kFlow : Style::kAuto, depth + 1);
    }
    out << YAML::EndMap;
    return;
  }
  Style item_style = flow ? Style::kFlow : Style::kAuto;
  if (!flow) {
    for (const Json& item : value) {
      std::size_t item_width = 0;
      if (item.is_object() && !(depth + 1 > 2 && FitsFlow(item, item_width, 0))) {
        item_style = Style::kBlock;
      }
    }
  }
  out << YAML::BeginSeq;
  for (const Json& item : value) {
    EmitYaml(out, item, item.is_object() ? item_style : (flow ? Style::kFlow : Style::kAuto),
             depth + 1);
  }
  out << YAML::EndSeq;
}

}  // namespace

std::string EmitYamlDocument(const Json& document) {
  YAML::Emitter out;
  out.SetIndent(2);
  out.SetOutputCharset(YAML::EmitNonAscii);
  EmitYaml(out, document, Style::kAuto, 0);
  return std::string(out.c_str()) + "\n";
}

}  // namespace parley::io::internal
