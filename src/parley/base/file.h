// Reading and writing whole files. Writes are atomic: the content goes to a temporary file in the
// same folder that is renamed over the target, so a failure or a kill never leaves half a file.
#pragma once

#include <string>

#include "parley/base/status.h"

namespace parley {

Result<std::string> ReadFileToString(const std::string& path);
Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace parley
