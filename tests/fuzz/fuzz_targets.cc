#include "fuzz/fuzz_targets.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "parley/base/file.h"

namespace parley::fuzz {

const std::vector<Target>& AllTargets() {
  static const std::vector<Target> kTargets = {
      {"parley_yaml", &FuzzParleyYaml, &ParleyYamlSeeds},
      {"parley_json", &FuzzParleyJson, &ParleyJsonSeeds},
      {"genius_xml", &FuzzGeniusXml, &GeniusXmlSeeds},
      {"geniusweb_json", &FuzzGeniusWebJson, &GeniusWebJsonSeeds},
      {"trace_json", &FuzzTraceJson, &TraceJsonSeeds},
      {"tournament_config", &FuzzTournamentConfig, &TournamentConfigSeeds},
      {"results", &FuzzResults, &ResultsSeeds},
      {"http_body", &FuzzHttpBody, &HttpBodySeeds},
  };
  return kTargets;
}

const Target* FindTarget(std::string_view name) {
  for (const Target& target : AllTargets()) {
    if (name == target.name) return &target;
  }
  return nullptr;
}

std::vector<std::string> SplitFiles(std::string_view text) {
  std::vector<std::string> files;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(kFileSeparator, start);
    if (end == std::string_view::npos) {
      files.emplace_back(text.substr(start));
      return files;
    }
    files.emplace_back(text.substr(start, end - start));
    start = end + kFileSeparator.size();
  }
}

std::string JoinFiles(const std::vector<std::string>& files) {
  std::string joined;
  for (std::size_t file_idx = 0; file_idx < files.size(); ++file_idx) {
    if (file_idx > 0) joined += kFileSeparator;
    joined += files[file_idx];
  }
  return joined;
}

std::string SourceDir() { return PARLEY_SOURCE_DIR; }
std::string SharedDataDir() { return PARLEY_SHARED_DATA_DIR; }

std::vector<std::string> FilesIn(const std::string& folder,
                                 const std::vector<std::string>& extensions) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::string extension = it->path().extension().string();
    if (it->is_regular_file(ec) &&
        std::find(extensions.begin(), extensions.end(), extension) != extensions.end()) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> FoldersWith(const std::string& root, const std::string& extension) {
  namespace fs = std::filesystem;
  std::vector<std::string> folders;
  std::error_code ec;
  if (!FilesIn(root, {extension}).empty()) folders.push_back(root);
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !FilesIn(it->path().string(), {extension}).empty()) {
      folders.push_back(it->path().string());
    }
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

std::string ReadSeedFile(const std::string& path) {
  Result<std::string> text = ReadFileToString(path, kMaxSeedBytes);
  return text.ok() ? std::move(text).value() : std::string();
}

void Fail(const std::string& message) {
  std::fprintf(stderr, "parley fuzz: %s\n", message.c_str());
  std::abort();
}

void CheckInputStatus(const Status& status, const char* reader) {
  if (status.code() != ErrorCode::kInternal && status.code() != ErrorCode::kCancelled) return;
  Fail(std::string(reader) + " answered input with " + std::string(ErrorCodeName(status.code())) +
       ": " + status.ToString());
}

}  // namespace parley::fuzz
