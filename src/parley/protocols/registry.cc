#include "parley/protocols/registry.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "parley/base/check.h"
#include "parley/base/strings.h"

namespace parley::protocols {
namespace {

bool IsNameCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

Status CheckValue(const std::string& owner, const ParameterSpec& spec, const std::string& value) {
  auto bad = [&](const std::string& expected) {
    return InvalidInput(
        owner + ": parameter '" + spec.name + "' must be " + expected + ", got '" + value + "'",
        Location::InField(owner + "." + spec.name));
  };
  switch (spec.type) {
    case ParameterType::kDouble: {
      char* end = nullptr;
      double parsed = std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(parsed)) {
        return bad("a number");
      }
      break;
    }
    case ParameterType::kInt: {
      std::int64_t parsed = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) {
        return bad("an integer");
      }
      break;
    }
    case ParameterType::kBool:
      if (value != "true" && value != "false") return bad("true or false");
      break;
    case ParameterType::kString:
      break;
  }
  if (!spec.choices.empty() &&
      std::find(spec.choices.begin(), spec.choices.end(), value) == spec.choices.end()) {
    std::string listed;
    for (const std::string& choice : spec.choices) listed += (listed.empty() ? "" : ", ") + choice;
    return bad("one of " + listed);
  }
  return Status::Ok();
}

}  // namespace

std::string_view ParameterTypeName(ParameterType type) {
  switch (type) {
    case ParameterType::kDouble:
      return "number";
    case ParameterType::kInt:
      return "integer";
    case ParameterType::kBool:
      return "bool";
    case ParameterType::kString:
      return "string";
  }
  return "string";
}

double Parameters::GetDouble(const std::string& name) const {
  auto it = values_.find(name);
  PARLEY_CHECK(it != values_.end());
  return std::strtod(it->second.c_str(), nullptr);
}

std::int64_t Parameters::GetInt(const std::string& name) const {
  auto it = values_.find(name);
  PARLEY_CHECK(it != values_.end());
  std::int64_t value = 0;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  return value;
}

bool Parameters::GetBool(const std::string& name) const {
  auto it = values_.find(name);
  PARLEY_CHECK(it != values_.end());
  return it->second == "true";
}

const std::string& Parameters::GetString(const std::string& name) const {
  auto it = values_.find(name);
  PARLEY_CHECK(it != values_.end());
  return it->second;
}

std::string Parameters::Canonical(const std::string& name) const {
  if (values_.empty()) return name;
  std::string out = name + "(";
  bool first = true;
  for (const auto& [key, value] : values_) {
    if (!first) out += ", ";
    first = false;
    out += key + "=" + value;
  }
  return out + ")";
}

Result<Parameters> Parameters::Parse(const std::map<std::string, std::string>& given,
                                     const std::vector<ParameterSpec>& specs,
                                     const std::string& owner) {
  Parameters parameters;
  for (const auto& [key, value] : given) {
    const ParameterSpec* spec = nullptr;
    for (const ParameterSpec& candidate : specs) {
      if (candidate.name == key) spec = &candidate;
    }
    if (spec == nullptr) {
      std::string known;
      for (const ParameterSpec& candidate : specs) {
        known += (known.empty() ? "" : ", ") + candidate.name;
      }
      return InvalidInput(
          owner + " has no parameter '" + key + "'" +
              (known.empty() ? std::string(" (it takes none)") : "; parameters are: " + known),
          Location::InField(owner + "." + key));
    }
    PARLEY_RETURN_IF_ERROR(CheckValue(owner, *spec, value));
    parameters.values_[key] = value;
  }
  for (const ParameterSpec& spec : specs) {
    if (!parameters.values_.count(spec.name)) parameters.values_[spec.name] = spec.default_value;
  }
  return parameters;
}

Result<Spec> ParseSpec(const std::string& text) {
  Spec spec;
  std::size_t position = 0;
  auto error = [&](const std::string& message) {
    return InvalidInput(message + " in '" + text + "'",
                        Location{"", 0, static_cast<int>(position) + 1, "spec"});
  };
  while (position < text.size() && std::isspace(static_cast<unsigned char>(text[position]))) {
    ++position;
  }
  std::size_t name_start = position;
  while (position < text.size() && IsNameCharacter(text[position])) ++position;
  spec.name = text.substr(name_start, position - name_start);
  if (spec.name.empty()) return error("expected a name");
  while (position < text.size() && std::isspace(static_cast<unsigned char>(text[position]))) {
    ++position;
  }
  if (position == text.size()) return spec;
  if (text[position] != '(') return error("expected '(' after the name");
  std::size_t close = text.rfind(')');
  if (close == std::string::npos || close < position) return error("missing ')'");
  if (!Trim(text.substr(close + 1)).empty()) {
    position = close + 1;
    return error("unexpected text after ')'");
  }
  std::string inside = text.substr(position + 1, close - position - 1);
  std::size_t offset = position + 1;
  std::size_t start = 0;
  while (start <= inside.size() && !Trim(inside).empty()) {
    std::size_t comma = inside.find(',', start);
    std::string item =
        inside.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    position = offset + start;
    std::size_t equals = item.find('=');
    if (equals == std::string::npos) return error("expected key=value");
    std::string key(Trim(item.substr(0, equals)));
    std::string value(Trim(item.substr(equals + 1)));
    if (key.empty()) return error("empty parameter name");
    if (spec.arguments.count(key)) return error("parameter '" + key + "' given twice");
    spec.arguments[key] = value;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return spec;
}

}  // namespace parley::protocols
