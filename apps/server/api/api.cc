#include "server/api/api.h"

namespace parley::server::api {

int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest:
      return 400;
    case ErrorKind::kUnauthorized:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kNotAllowed:
      return 405;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kTooLarge:
      return 413;
    case ErrorKind::kUnprocessable:
      return 422;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest:
      return "bad_request";
    case ErrorKind::kUnauthorized:
      return "unauthorized";
    case ErrorKind::kForbidden:
      return "forbidden";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kNotAllowed:
      return "method_not_allowed";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kTooLarge:
      return "payload_too_large";
    case ErrorKind::kUnprocessable:
      return "unprocessable";
    case ErrorKind::kRateLimited:
      return "rate_limited";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

ApiError ErrorFromStatus(const Status& status, ErrorKind invalid_as) {
  switch (status.code()) {
    case ErrorCode::kOk:
    case ErrorCode::kInternal:
    case ErrorCode::kCancelled:
      return ApiError{ErrorKind::kInternal, status.ToString()};
    case ErrorCode::kNotFound:
      return ApiError{ErrorKind::kNotFound, status.ToString()};
    case ErrorCode::kInvalidInput:
    case ErrorCode::kUnsupported:
      return ApiError{invalid_as, status.ToString()};
  }
  return ApiError{ErrorKind::kInternal, status.ToString()};
}

Response ErrorResponse(const ApiError& error) {
  Response response;
  response.status = HttpStatusFor(error.kind);
  response.body = Json{{"error", ErrorKindName(error.kind)}, {"message", error.message}};
  return response;
}

}  // namespace parley::server::api
