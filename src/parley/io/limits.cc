#include "parley/io/limits.h"

#include <filesystem>
#include <system_error>

#include "parley/base/file.h"

namespace parley::io {

Status CheckScenarioFiles(const std::vector<std::string>& paths, const std::string& where) {
  if (paths.size() > kMaxFolderFiles) {
    return InvalidInput("the scenario would be read from " + std::to_string(paths.size()) +
                            " files; parley reads at most " + std::to_string(kMaxFolderFiles),
                        Location::InFile(where));
  }
  std::uint64_t total = 0;
  for (const std::string& path : paths) {
    std::error_code ec;
    std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) continue;  // reading it reports the problem
    total += size;
    if (total > kMaxScenarioBytes) {
      return InvalidInput("the files of the scenario hold more than " +
                              DescribeBytes(kMaxScenarioBytes) +
                              " together, the most parley reads for one scenario",
                          Location::InFile(where));
    }
  }
  return Status::Ok();
}

}  // namespace parley::io
