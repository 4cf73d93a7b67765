// Chooses the reader for a scenario reference and the writer for an output path.
#include "parley/io/scenario_io.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "parley/base/file.h"
#include "parley/io/genius_xml.h"
#include "parley/io/geniusweb_json.h"
#include "parley/io/limits.h"

namespace parley::io {
namespace {

namespace fs = std::filesystem;

std::string LowerExtension(const std::string& path) {
  std::string extension = fs::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// Lists the regular files of a folder, sorted by name, without descending into subfolders.
Result<std::vector<std::string>> ListFiles(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::error_code type_ec;
    if (entry.is_regular_file(type_ec)) files.push_back(entry.path().string());
  }
  if (ec) return NotFound("cannot list folder: " + ec.message(), Location::InFile(folder));
  std::sort(files.begin(), files.end());
  return files;
}

Result<model::Scenario> LoadFolder(const std::string& folder) {
  PARLEY_ASSIGN_OR_RETURN(std::vector<std::string> all_files, ListFiles(folder));
  std::vector<std::string> files;
  for (std::string& file : all_files) {
    std::string extension = LowerExtension(file);
    if (extension == ".xml" || extension == ".json" || extension == ".yaml" ||
        extension == ".yml") {
      files.push_back(std::move(file));
    }
  }
  PARLEY_RETURN_IF_ERROR(CheckScenarioFiles(files, folder));
  int xml_domains = 0;
  int json_domains = 0;
  std::vector<std::string> parley_files;
  for (const std::string& file : files) {
    std::string extension = LowerExtension(file);
    if (extension == ".xml") {
      Result<std::string> text = ReadFileToString(file, kMaxScenarioFileBytes);
      if (text.ok() && ClassifyGeniusXml(*text) == GeniusFileKind::kDomain) ++xml_domains;
    } else if (extension == ".json") {
      Result<std::string> text = ReadFileToString(file, kMaxScenarioFileBytes);
      GeniusWebFileKind kind = text.ok() ? ClassifyGeniusWebJson(*text) : GeniusWebFileKind::kOther;
      if (kind == GeniusWebFileKind::kDomain) {
        ++json_domains;
      } else if (kind == GeniusWebFileKind::kOther) {
        parley_files.push_back(file);
      }
    } else if (extension == ".yaml" || extension == ".yml") {
      parley_files.push_back(file);
    }
  }
  if (xml_domains > 0 && json_domains > 0) {
    return InvalidInput(
        "folder holds both a GENIUS domain (XML) and a GeniusWeb domain (JSON); "
        "name the files with --domain and --profile",
        Location::InFile(folder));
  }
  if (xml_domains > 0) return ReadGeniusFolder(folder);
  if (json_domains > 0) return ReadGeniusWebFolder(folder);
  if (parley_files.size() == 1) return LoadScenario(parley_files.front());
  return InvalidInput(
      "no scenario found in folder: expected a GENIUS domain XML with its profiles, a GeniusWeb "
      "domain JSON with its profiles, or one parley YAML/JSON file",
      Location::InFile(folder));
}

Result<model::Scenario> LoadFile(const std::string& path) {
  std::string extension = LowerExtension(path);
  PARLEY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, kMaxScenarioFileBytes));
  if (extension == ".yaml" || extension == ".yml") return ReadParleyYaml(text, path);
  if (extension == ".json") {
    switch (ClassifyGeniusWebJson(text)) {
      case GeniusWebFileKind::kDomain:
      case GeniusWebFileKind::kProfile:
        return InvalidInput(
            "this is one GeniusWeb file; pass its folder, or the domain and profiles with "
            "--domain D --profile P1 --profile P2",
            Location::InFile(path));
      case GeniusWebFileKind::kOther:
        break;
    }
    return ReadParleyJson(text, path);
  }
  if (extension == ".xml" || ClassifyGeniusXml(text) != GeniusFileKind::kOther) {
    return InvalidInput(
        "this is one GENIUS file; pass its folder, or the domain and profiles with "
        "--domain D --profile P1 --profile P2",
        Location::InFile(path));
  }
  return InvalidInput("unknown scenario file type '" + extension +
                          "': expected .yaml, .yml or .json, a GENIUS or GeniusWeb folder",
                      Location::InFile(path));
}

}  // namespace

Result<model::Scenario> LoadScenario(const std::string& path) {
  ScenarioSource source;
  source.path = path;
  return LoadScenario(source);
}

Result<model::Scenario> LoadScenario(const ScenarioSource& source) {
  if (!source.domain.empty() || !source.profiles.empty()) {
    if (!source.path.empty()) {
      return InvalidInput("give either a scenario path or --domain/--profile, not both",
                          Location::InFile(source.path));
    }
    if (source.domain.empty()) {
      return InvalidInput("--profile needs --domain", Location::InField("--domain"));
    }
    if (source.profiles.empty()) {
      return InvalidInput("--domain needs at least one --profile",
                          Location{source.domain, 0, 0, "--profile"});
    }
    std::string extension = LowerExtension(source.domain);
    if (extension == ".json") return ReadGeniusWebFiles(source.domain, source.profiles);
    return ReadGeniusFiles(source.domain, source.profiles);
  }
  if (source.path.empty()) return InvalidInput("no scenario given", Location::InField("SCENARIO"));
  std::error_code ec;
  fs::file_status status = fs::status(source.path, ec);
  if (ec || !fs::exists(status)) {
    return NotFound("no such file or folder", Location::InFile(source.path));
  }
  if (fs::is_directory(status)) return LoadFolder(source.path);
  return LoadFile(source.path);
}

Result<OutputFormat> ChooseOutputFormat(const std::string& output_path, const std::string& to) {
  if (!to.empty()) {
    if (to == "yaml" || to == "parley-yaml") return OutputFormat::kParleyYaml;
    if (to == "json" || to == "parley-json") return OutputFormat::kParleyJson;
    if (to == "geniusweb") return OutputFormat::kGeniusWeb;
    return InvalidInput("unknown output format '" + to + "': expected yaml, json or geniusweb",
                        Location::InField("--to"));
  }
  if (output_path.empty()) return InvalidInput("no output path", Location::InField("--output"));
  std::string extension = LowerExtension(output_path);
  if (extension == ".yaml" || extension == ".yml") return OutputFormat::kParleyYaml;
  if (extension == ".json") return OutputFormat::kParleyJson;
  std::error_code ec;
  if (output_path.back() == '/' || extension.empty() || fs::is_directory(output_path, ec)) {
    return OutputFormat::kGeniusWeb;
  }
  return InvalidInput("cannot tell the output format from '" + extension +
                          "': use .yaml, .json, a folder (GeniusWeb) or --to",
                      Location::InField("--output"));
}

Status WriteScenario(const model::Scenario& scenario, const std::string& output_path,
                     OutputFormat format) {
  switch (format) {
    case OutputFormat::kParleyYaml:
      return WriteFileAtomically(output_path, WriteParleyYaml(scenario));
    case OutputFormat::kParleyJson:
      return WriteFileAtomically(output_path, WriteParleyJson(scenario));
    case OutputFormat::kGeniusWeb:
      return WriteGeniusWebFolder(scenario, output_path);
  }
  return Internal("unknown output format");
}

}  // namespace parley::io
