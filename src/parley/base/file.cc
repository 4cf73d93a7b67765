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

std::string DescribeBytes(std::uint64_t bytes) {
  constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
  if (bytes < kMiB) return std::to_string(bytes) + " bytes";
  char text[32];
  std::snprintf(text, sizeof text, bytes % kMiB == 0 ? "%.0f MiB" : "%.1f MiB",
                static_cast<double>(bytes) / static_cast<double>(kMiB));
  return text;
}

Result<std::string> ReadFileToString(const std::string& path, std::uint64_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidInput("is a folder, expected a file", Location::InFile(path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return NotFound(std::string("cannot open: ") + std::strerror(errno), Location::InFile(path));
  }
  auto too_large = [&] {
    return InvalidInput("the file is larger than " + DescribeBytes(max_bytes) +
                            ", the most parley reads here (see the limits in docs/)",
                        Location::InFile(path));
  };
  // A regular file's size is known up front; devices and pipes are read until the limit.
  std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) return too_large();
  std::string content;
  if (!ec) content.reserve(static_cast<std::size_t>(size));
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes) return too_large();
  }
  if (in.bad()) return Internal("read failed", Location::InFile(path));
  return content;
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
