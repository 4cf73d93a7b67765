// Status and Result<T>: how expected failures travel in parley.
//
// Shaped like std::expected (which clang 14 cannot parse in libstdc++): a Result<T> holds either a
// value or a non-OK Status. A Status carries an ErrorCode (mapped to exit codes, HTTP statuses and
// Python exceptions in one place per surface), a message, and the Location of the offending input:
// file, line, column and field, so a user can go straight to the mistake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "parley/base/check.h"

namespace parley {

enum class ErrorCode {
  kOk = 0,
  kInvalidInput,  // the user's file, argument or request is wrong
  kNotFound,      // a named file, party, issue ... does not exist
  kUnsupported,   // valid input that a target format or algorithm cannot express
  kCancelled,     // long work stopped on request
  kInternal,      // a bug or an environment failure (disk full, ...)
};

// Names the place in the user's input an error is about. Lines and columns count from 1; 0 means
// unknown. `field` is a path such as "parties[1].preferences.weights.ceasefire".
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  std::string field;

  static Location InFile(std::string file_name) { return Location{std::move(file_name), 0, 0, ""}; }
  static Location InField(std::string field_path) {
    return Location{"", 0, 0, std::move(field_path)};
  }

  // "file:line:column" with the unknown parts left out; empty when nothing is known.
  std::string ToString() const;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, Location location = {})
      : code_(code), message_(std::move(message)), location_(std::move(location)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const Location& location() const { return location_; }

  // Fills in the parts of the location that are still unknown (file name from an outer layer...).
  Status& WithFile(const std::string& file);
  // Prefixes the field path: "issues[2]" + "options[1]" -> "issues[2].options[1]".
  Status& WithFieldPrefix(const std::string& prefix);

  // "file:line:col: field: message" (parts that are unknown are left out).
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  Location location_;
};

std::string_view ErrorCodeName(ErrorCode code);

inline Status InvalidInput(std::string message, Location location = {}) {
  return Status(ErrorCode::kInvalidInput, std::move(message), std::move(location));
}
inline Status NotFound(std::string message, Location location = {}) {
  return Status(ErrorCode::kNotFound, std::move(message), std::move(location));
}
inline Status Unsupported(std::string message, Location location = {}) {
  return Status(ErrorCode::kUnsupported, std::move(message), std::move(location));
}
inline Status Internal(std::string message, Location location = {}) {
  return Status(ErrorCode::kInternal, std::move(message), std::move(location));
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : storage_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    PARLEY_CHECK(!std::get<Status>(storage_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(storage_); }
  explicit operator bool() const { return ok(); }

  const Status& status() const& {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(storage_);
  }
  Status status() && { return ok() ? Status() : std::move(std::get<Status>(storage_)); }

  T& value() & {
    PARLEY_CHECK(ok());
    return std::get<T>(storage_);
  }
  const T& value() const& {
    PARLEY_CHECK(ok());
    return std::get<T>(storage_);
  }
  T&& value() && {
    PARLEY_CHECK(ok());
    return std::get<T>(std::move(storage_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> storage_;
};

}  // namespace parley

// Returns the status from the enclosing function when `expr` (a Status) is not OK.
#define PARLEY_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::parley::Status parley_status_ = (expr);        \
    if (!parley_status_.ok()) return parley_status_; \
  } while (false)

#define PARLEY_CONCAT_INNER_(a, b) a##b
#define PARLEY_CONCAT_(a, b) PARLEY_CONCAT_INNER_(a, b)

// `PARLEY_ASSIGN_OR_RETURN(auto x, F());` declares x from a Result or returns its status.
#define PARLEY_ASSIGN_OR_RETURN(lhs, expr) \
  PARLEY_ASSIGN_OR_RETURN_IMPL_(PARLEY_CONCAT_(parley_result_, __LINE__), lhs, expr)
#define PARLEY_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr) \
  auto result = (expr);                                  \
  if (!result.ok()) return std::move(result).status();   \
  lhs = std::move(result).value()
