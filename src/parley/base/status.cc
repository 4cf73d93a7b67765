#include "parley/base/status.h"

#include <cstdio>
#include <cstdlib>

namespace parley {

namespace internal {
void CheckFailed(const char* expression, const char* file, int line) {
  std::fprintf(stderr, "parley: internal check failed: %s at %s:%d\n", expression, file, line);
  std::abort();
}
}  // namespace internal

std::string Location::ToString() const {
  std::string out = file;
  if (line > 0) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
    out.append(out.empty() ? "line " : ":");
    out.append(std::to_string(line));
    if (column > 0) {
      out.append(":");
      out.append(std::to_string(column));
    }
  }
  return out;
}

Status& Status::WithFile(const std::string& file) {
  if (location_.file.empty()) location_.file = file;
  return *this;
}

Status& Status::WithFieldPrefix(const std::string& prefix) {
  if (prefix.empty()) return *this;
  if (location_.field.empty()) {
    location_.field = prefix;
  } else if (location_.field.front() == '[') {
    location_.field = prefix + location_.field;
  } else {
    location_.field = prefix + "." + location_.field;
  }
  return *this;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = location_.ToString();
  if (!out.empty()) out += ": ";
  if (!location_.field.empty()) out += location_.field + ": ";
  return out + message_;
}

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kInvalidInput:
      return "invalid input";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kInternal:
      return "internal error";
  }
  return "unknown";
}

}  // namespace parley
