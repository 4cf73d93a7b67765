// JSON text parsed within limits, for every reader of untrusted JSON (HTTP bodies, scenario,
// trace and results files): a text beyond `max_bytes`, nesting deeper than `max_depth`, more than
// `max_values` values and numbers that do not fit a finite double are refused while parsing, so
// nothing downstream (dump, comparison, copy, which recurse on depth) ever sees a document deeper
// than the limit. Parsing itself never recurses on input depth (nlohmann's SAX parser keeps an
// explicit stack), so a 100,000-deep document costs one pass and fails early.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parley/base/status.h"
#include "parley/io/json.h"

namespace parley::io {

struct JsonLimits {
  // Nesting of objects and arrays: `{}` is depth 1, `{"a": []}` depth 2.
  int max_depth = 64;
  // Size of the whole text in bytes.
  std::uint64_t max_bytes = std::uint64_t{64} << 20;
  // Values of any kind (objects, arrays, strings, numbers, true/false/null), keys included: bounds
  // the tree's memory (nlohmann keeps about 50 bytes a value) whatever the text's shape.
  std::uint64_t max_values = 4'000'000;
  // Refuse an object that names a key twice (nlohmann would keep one silently), located at the
  // second occurrence.
  bool refuse_duplicate_keys = false;
};

// Errors (kInvalidInput) name the line and column (the file is left for the caller:
// Status::WithFile): malformed JSON, nesting or values beyond the limits, a number beyond the range
// of a double (1e400), a duplicate key when refused, a text beyond max_bytes.
// Object members keep the order of the text.
Result<Json> ParseJson(std::string_view text, const JsonLimits& limits);

// Line and column (1-based) of a byte offset in `text`, as a Location without file or field.
Location LocationOfOffset(std::string_view text, std::size_t offset);

}  // namespace parley::io
