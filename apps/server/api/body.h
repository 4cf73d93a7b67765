// Strict reading of JSON request bodies: the body must parse within limits (at most
// kMaxBodyDepth levels of nesting, every number a finite double), be an object, name only known
// fields, and give each field the expected type. The first problem becomes a 400 whose message
// names the line and column, or the field.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/model/scenario.h"
#include "server/api/api.h"

namespace parley::server::api {

inline constexpr int kMaxBodyDepth = 32;

// Parses `text` as a JSON object; an empty body reads as {}. A pure function of the text: every
// request body of the API goes through it first (the fuzz target for bodies).
ApiResult<Json> ParseBody(std::string_view text);

// `json` ({issue: option}) as an outcome of `scenario`; 422 naming `field` when it does not fit.
ApiResult<model::Outcome> ReadOutcome(const model::Scenario& scenario, const Json& json,
                                      const std::string& field);

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
