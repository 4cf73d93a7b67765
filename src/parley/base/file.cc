#include "parley/base/file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace parley {

Result<std::string> ReadFileToString(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidInput("is a folder, expected a file", Location::InFile(path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return NotFound(std::string("cannot open: ") + std::strerror(errno), Location::InFile(path));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Internal("read failed", Location::InFile(path));
  return buffer.str();
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return NotFound("output folder does not exist: " + folder.string(), Location::InFile(path));
  }
  std::random_device random;
  std::string temp_name = ".";  // built by appending: see status.cc on GCC 12's -Wrestrict
  temp_name.append(target.filename().string());
  temp_name.append(".tmp");
  temp_name.append(std::to_string(random()));
  fs::path temp = folder / temp_name;
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return Status(ErrorCode::kInvalidInput, std::string("cannot write: ") + std::strerror(errno),
                    Location::InFile(path));
    }
    out << content;
    out.flush();
    if (!out) {
      out.close();
      fs::remove(temp, ec);
      return Internal("write failed (disk full?)", Location::InFile(path));
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    return Internal("cannot move the finished file into place: " + ec.message(),
                    Location::InFile(path));
  }
  return Status::Ok();
}

}  // namespace parley
