// Strict reading of JSON request bodies: the body must parse, be an object, name only known
// fields, and give each field the expected type. The first problem becomes a 400 whose message
// names the field.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/api/api.h"

namespace parley::server::api {

// Parses `text` as a JSON object; an empty body reads as {}.
ApiResult<Json> ParseBody(const std::string& text);

class BodyReader {
 public:
  // `allowed` lists every field the route accepts.
  BodyReader(const Json& object, std::initializer_list<std::string_view> allowed);

  std::optional<std::string> String(std::string_view field, bool required);
  std::optional<double> Number(std::string_view field, bool required);
  std::optional<std::int64_t> Integer(std::string_view field, bool required);
  std::optional<bool> Bool(std::string_view field, bool required);
  // An object or array value, returned as is.
  const Json* Object(std::string_view field, bool required);
  std::optional<std::vector<std::string>> StringList(std::string_view field, bool required);

  const std::optional<ApiError>& error() const { return error_; }
  void Fail(std::string message);

 private:
  const Json* Find(std::string_view field, bool required);
  const Json& object_;
  std::optional<ApiError> error_;
};

}  // namespace parley::server::api
