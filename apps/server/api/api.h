// The server's API as plain values: a request in, a response out, no sockets. http/ translates
// HTTP to these structs and back; tests call Service::Handle directly.
//
// Errors map to HTTP statuses in one place (HttpStatusFor): a malformed body, an unknown field or
// a wrong type is 400, a missing or unknown token 401, a token that does not grant the route 403,
// an unknown room or object 404, an action out of turn or on a finished room 409, an oversized
// body 413, an outcome or value that does not fit the scenario 422, too many requests 429.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "parley/base/status.h"

namespace parley::server::api {

using Json = nlohmann::ordered_json;

struct Request {
  std::string method;  // "GET", "POST", "PUT", ...
  std::string path;    // "/api/rooms/3f2a/proposals"
  std::map<std::string, std::string> query;
  std::string token;  // the bearer token; empty when none was given
  std::string body;
};

struct Response {
  int status = 200;
  Json body;
};

enum class ErrorKind {
  kBadRequest,     // 400
  kUnauthorized,   // 401
  kForbidden,      // 403
  kNotFound,       // 404
  kNotAllowed,     // 405
  kConflict,       // 409
  kTooLarge,       // 413
  kUnprocessable,  // 422
  kRateLimited,    // 429
  kInternal,       // 500
};
int HttpStatusFor(ErrorKind kind);
std::string_view ErrorKindName(ErrorKind kind);  // "bad_request", ...

struct ApiError {
  ErrorKind kind = ErrorKind::kBadRequest;
  std::string message;
};

// A parley Status from the library (scenario parsing, outcomes ...) as an API error: input errors
// become `invalid_as` (400 for a body that does not parse, 422 for values that do not fit).
ApiError ErrorFromStatus(const Status& status, ErrorKind invalid_as = ErrorKind::kUnprocessable);

Response ErrorResponse(const ApiError& error);

// Either a value or an ApiError, shaped like parley::Result.
template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : storage_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  ApiResult(ApiError error) : storage_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return std::holds_alternative<T>(storage_); }
  T& value() { return std::get<T>(storage_); }
  const T& value() const { return std::get<T>(storage_); }
  const ApiError& error() const { return std::get<ApiError>(storage_); }

 private:
  std::variant<T, ApiError> storage_;
};

}  // namespace parley::server::api

#define PARLEY_API_CONCAT_INNER_(a, b) a##b
#define PARLEY_API_CONCAT_(a, b) PARLEY_API_CONCAT_INNER_(a, b)
// `PARLEY_API_TRY(auto x, F());` declares x from an ApiResult or returns its error.
#define PARLEY_API_TRY(lhs, expr) \
  PARLEY_API_TRY_IMPL_(PARLEY_API_CONCAT_(parley_api_result_, __LINE__), lhs, expr)
#define PARLEY_API_TRY_IMPL_(result, lhs, expr) \
  auto result = (expr);                         \
  if (!result.ok()) return result.error();      \
  lhs = std::move(result.value())
