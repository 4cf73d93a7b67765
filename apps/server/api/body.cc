#include "server/api/body.h"

#include <cmath>

#include "parley/io/json_limits.h"
#include "parley/io/outcome_json.h"

namespace parley::server::api {

ApiResult<model::Outcome> ReadOutcome(const model::Scenario& scenario, const Json& json,
                                      const std::string& field) {
  Result<model::Outcome> outcome = io::OutcomeFromJson(scenario, json, field);
  if (!outcome.ok()) return ErrorFromStatus(outcome.status());
  return std::move(outcome).value();
}

ApiResult<Json> ParseBody(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Json::object();
  io::JsonLimits limits;
  limits.max_depth = kMaxBodyDepth;
  Result<Json> result = io::ParseJson(text, limits);
  if (!result.ok()) {
    const Location& where = result.status().location();
    return ApiError{ErrorKind::kBadRequest, "malformed JSON at line " + std::to_string(where.line) +
                                                ", column " + std::to_string(where.column) + ": " +
                                                result.status().message()};
  }
  Json parsed = std::move(result).value();
  if (!parsed.is_object()) {
    return ApiError{ErrorKind::kBadRequest,
                    std::string("the body must be a JSON object, not ") + parsed.type_name()};
  }
  return parsed;
}

BodyReader::BodyReader(const Json& object, std::initializer_list<std::string_view> allowed)
    : object_(object) {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    bool known = false;
    for (std::string_view name : allowed) known = known || name == it.key();
    if (!known) {
      std::string list;
      for (std::string_view name : allowed) {
        list += (list.empty() ? "" : ", ") + std::string(name);
      }
      Fail("unknown field '" + Excerpt(it.key()) + "'" +
           (list.empty() ? std::string(" (this route takes no fields)")
                         : " (expected: " + list + ")"));
      return;
    }
  }
}

void BodyReader::Fail(std::string message) {
  if (!error_) error_ = ApiError{ErrorKind::kBadRequest, std::move(message)};
}

const Json* BodyReader::Find(std::string_view field, bool required) {
  if (error_) return nullptr;
  auto it = object_.find(std::string(field));
  if (it == object_.end() || it->is_null()) {
    if (required) Fail("missing field '" + std::string(field) + "'");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> BodyReader::String(std::string_view field, bool required) {
  const Json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    Fail("field '" + std::string(field) + "' must be a string, not " + value->type_name());
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<double> BodyReader::Number(std::string_view field, bool required) {
  const Json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number() || !std::isfinite(value->get<double>())) {
    Fail("field '" + std::string(field) + "' must be a finite number, not " + value->type_name());
    return std::nullopt;
  }
  return value->get<double>();
}

std::optional<std::int64_t> BodyReader::Integer(std::string_view field, bool required) {
  const Json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) {
    Fail("field '" + std::string(field) + "' must be an integer, not " + value->type_name());
    return std::nullopt;
  }
  return value->get<std::int64_t>();
}

std::optional<bool> BodyReader::Bool(std::string_view field, bool required) {
  const Json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    Fail("field '" + std::string(field) + "' must be true or false, not " + value->type_name());
    return std::nullopt;
  }
  return value->get<bool>();
}

const Json* BodyReader::Object(std::string_view field, bool required) {
  const Json* value = Find(field, required);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) {
    Fail("field '" + std::string(field) + "' must be an object, not " + value->type_name());
    return nullptr;
  }
  return value;
}

std::optional<std::vector<std::string>> BodyReader::StringList(std::string_view field,
                                                               bool required) {
  const Json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_array()) {
    Fail("field '" + std::string(field) + "' must be an array of strings, not " +
         value->type_name());
    return std::nullopt;
  }
  std::vector<std::string> list;
  for (const Json& item : *value) {
    if (!item.is_string()) {
      Fail("field '" + std::string(field) + "' must be an array of strings");
      return std::nullopt;
    }
    list.push_back(item.get<std::string>());
  }
  return list;
}

}  // namespace parley::server::api
