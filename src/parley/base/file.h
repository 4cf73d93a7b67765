// Reading and writing whole files. Writes are atomic: the content goes to a temporary file in the
// same folder that is renamed over the target, so a failure or a kill never leaves half a file.
#pragma once

#include <cstdint>
#include <string>

#include "parley/base/status.h"

namespace parley {

// Reads at most `max_bytes`: a larger file (or a device or pipe that never ends) is refused with
// kInvalidInput "the file is larger than ..." after reading at most 64 KiB beyond max_bytes.
Result<std::string> ReadFileToString(const std::string& path, std::uint64_t max_bytes);
// "32 MiB", "1.5 MiB", "512 bytes": a size for messages.
std::string DescribeBytes(std::uint64_t bytes);

Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace parley
