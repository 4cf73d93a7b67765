#include "server/api/api.h"

#include <charconv>

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
    case ErrorKind::kTimeout:
      return 408;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kTooLarge:
      return 413;
    case ErrorKind::kUriTooLong:
      return 414;
    case ErrorKind::kUnprocessable:
      return 422;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kHeadersTooLarge:
      return 431;
    case ErrorKind::kInternal:
      return 500;
    case ErrorKind::kUnavailable:
      return 503;
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
    case ErrorKind::kTimeout:
      return "request_timeout";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kTooLarge:
      return "payload_too_large";
    case ErrorKind::kUriTooLong:
      return "uri_too_long";
    case ErrorKind::kUnprocessable:
      return "unprocessable";
    case ErrorKind::kRateLimited:
      return "rate_limited";
    case ErrorKind::kHeadersTooLarge:
      return "headers_too_large";
    case ErrorKind::kInternal:
      return "internal";
    case ErrorKind::kUnavailable:
      return "unavailable";
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
  response.body = Json{{"error", ErrorKindName(error.kind)},
                       {"message", Excerpt(error.message, kMaxErrorMessageBytes)}};
  return response;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t char_idx = 0; char_idx < text.size(); ++char_idx) {
    char c = text[char_idx];
    if (c == '%') {
      if (char_idx + 2 >= text.size()) return std::nullopt;
      int value = 0;
      auto [end, error] =
          std::from_chars(text.data() + char_idx + 1, text.data() + char_idx + 3, value, 16);
      if (error != std::errc() || end != text.data() + char_idx + 3) return std::nullopt;
      out.push_back(static_cast<char>(value));
      char_idx += 2;
    } else {
      out.push_back(c == '+' && plus_is_space ? ' ' : c);
    }
  }
  return out;
}

std::string Excerpt(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back up to the start of a UTF-8 character (continuation bytes are 10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "... (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace parley::server::api
