// The server's API as plain values: a request in, a response out, no sockets. http/ translates
// HTTP to these structs and back; tests call Service::Handle directly.
//
// Errors map to HTTP statuses in one place (HttpStatusFor): a malformed body, an unknown field or
// a wrong type is 400, a missing or unknown token 401, a token that does not grant the route 403,
// an unknown room or object 404, an action out of turn or on a finished room 409, an oversized
// body 413, an outcome or value that does not fit the scenario (or a computation beyond its
// budget) 422, too many requests or connections 429, a server busy with other work 503. The HTTP
// layer adds 408 (a request that did not arrive in time), 414 (a target too long) and 431
// (headers too large) while reading.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "parley/base/status.h"
#include "parley/io/json.h"

namespace parley::server::api {

using io::Json;

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
  kBadRequest,       // 400
  kUnauthorized,     // 401
  kForbidden,        // 403
  kNotFound,         // 404
  kNotAllowed,       // 405
  kTimeout,          // 408
  kConflict,         // 409
  kTooLarge,         // 413
  kUriTooLong,       // 414
  kUnprocessable,    // 422
  kRateLimited,      // 429
  kHeadersTooLarge,  // 431
  kInternal,         // 500
  kUnavailable,      // 503
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

// The answer for `error`; its message is cut to kMaxErrorMessageBytes.
Response ErrorResponse(const ApiError& error);
inline constexpr std::size_t kMaxErrorMessageBytes = 1000;

// "%2F" -> "/" (and "+" -> " " when `plus_is_space`, as in a query); nullopt for a malformed
// escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);

// Input quoted back in a message, cut to `max_bytes` (on a UTF-8 character boundary) with the
// full length said: "abc... (2000000 bytes)". Messages never echo unbounded input.
std::string Excerpt(std::string_view text, std::size_t max_bytes = 100);

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
