// The one JSON type of parley's library and applications: nlohmann's ordered_json, whose objects
// keep their members in the order they were written or read. Outputs list keys in a documented
// order (not sorted), and a value read (a request body, a trace) passes to any function that
// takes JSON without a conversion.
#pragma once

#include <nlohmann/json.hpp>

namespace parley::io {

using Json = nlohmann::ordered_json;

}  // namespace parley::io
