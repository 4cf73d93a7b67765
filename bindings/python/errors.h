// The one place where parley's errors become Python exceptions (docs/python.md lists them):
// ErrorCode -> exception class, with parley's file, line, column and field as attributes.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <utility>

#include "parley/base/status.h"

namespace parley::python {

// Creates ParleyError and its subclasses in `module`.
void RegisterErrors(pybind11::module_& module);

// Raises the exception for a non-OK status (as pybind11::error_already_set).
[[noreturn]] void ThrowStatus(const Status& status);

// A caller's mistake found by the binding layer's own validation: InvalidInputError naming the
// argument (`field`), e.g. "outcomes[3][1]".
[[noreturn]] void ThrowInvalid(const std::string& message, const std::string& field = "");

inline void ThrowIfError(const Status& status) {
  if (!status.ok()) ThrowStatus(status);
}

template <typename T>
T Unwrap(Result<T> result) {
  if (!result.ok()) ThrowStatus(result.status());
  return std::move(result).value();
}

}  // namespace parley::python
