// Fuzz targets for the scenario readers: parley YAML and JSON, GENIUS XML and GeniusWeb JSON, as
// `parley info` and every other scenario command load them. A scenario that reads must also
// summarise (what `parley info` prints) and survive being written as parley YAML and JSON and read
// back.
#include <string>
#include <utility>
#include <vector>

#include "fuzz/fuzz_targets.h"
#include "parley/io/genius_xml.h"
#include "parley/io/geniusweb_json.h"
#include "parley/io/scenario_io.h"
#include "parley/report/scenario_summary.h"

namespace parley::fuzz {
namespace {

std::string Text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// What a command does with a scenario it has read, and what must then hold.
void UseScenario(const Result<model::Scenario>& scenario, const char* reader) {
  CheckInputStatus(scenario.status(), reader);
  if (!scenario.ok()) return;
  (void)report::SummarizeScenario(*scenario);
  Result<model::Scenario> from_yaml = io::ReadParleyYaml(io::WriteParleyYaml(*scenario), "w.yaml");
  if (!from_yaml.ok()) {
    Fail(std::string(reader) +
         " read a scenario whose parley YAML does not read back: " + from_yaml.status().ToString());
  }
  Result<model::Scenario> from_json = io::ReadParleyJson(io::WriteParleyJson(*scenario), "w.json");
  if (!from_json.ok()) {
    Fail(std::string(reader) +
         " read a scenario whose parley JSON does not read back: " + from_json.status().ToString());
  }
}

// The first file is the domain, the others its profiles (named as a folder would hold them).
Result<model::Scenario> ReadFiles(
    const std::vector<std::string>& files, const char* extension,
    Result<model::Scenario> (*read)(const io::NamedText&, const std::vector<io::NamedText>&)) {
  std::vector<io::NamedText> profiles;
  for (std::size_t file_idx = 1; file_idx < files.size(); ++file_idx) {
    profiles.push_back(
        io::NamedText{"profile" + std::to_string(file_idx) + extension, files[file_idx]});
  }
  return read(io::NamedText{std::string("domain") + extension, files[0]}, profiles);
}

// Scenarios to seed the parley readers with: the examples, and the corpus's GENIUS and GeniusWeb
// scenarios as parley would write them.
std::vector<model::Scenario> SeedScenarios() {
  std::vector<std::string> sources = FilesIn(SourceDir() + "/examples", {".yaml", ".json"});
  for (auto [format, extension] :
       {std::pair{"/genius", ".xml"}, std::pair{"/geniusweb", ".json"}}) {
    for (const std::string& folder : FoldersWith(SharedDataDir() + format, extension)) {
      sources.push_back(folder);
    }
  }
  std::vector<model::Scenario> scenarios;
  for (const std::string& source : sources) {
    Result<model::Scenario> scenario = io::LoadScenario(source);
    if (scenario.ok()) scenarios.push_back(std::move(scenario).value());
  }
  return scenarios;
}

std::vector<std::string> WrittenSeeds(std::string (*write)(const model::Scenario&)) {
  std::vector<std::string> seeds;
  for (const model::Scenario& scenario : SeedScenarios()) {
    std::string text = write(scenario);
    if (text.size() <= kMaxSeedBytes) seeds.push_back(std::move(text));
  }
  return seeds;
}

// Each corpus folder of the format as one input: the domain, then up to two profiles.
template <typename Classify, typename Kind>
std::vector<std::string> FolderSeeds(const std::string& root, const std::string& extension,
                                     Classify classify, Kind domain_kind, Kind profile_kind) {
  std::vector<std::string> seeds;
  for (const std::string& folder : FoldersWith(root, extension)) {
    std::vector<std::string> domains;
    std::vector<std::string> profiles;
    for (const std::string& file : FilesIn(folder, {extension})) {
      std::string text = ReadSeedFile(file);
      if (text.empty()) continue;
      Kind kind = classify(text);
      if (kind == domain_kind) domains.push_back(std::move(text));
      if (kind == profile_kind && profiles.size() < 2) profiles.push_back(std::move(text));
    }
    if (domains.size() != 1 || profiles.empty()) continue;
    std::vector<std::string> files = {domains.front()};
    files.insert(files.end(), profiles.begin(), profiles.end());
    std::string seed = JoinFiles(files);
    if (seed.size() <= kMaxSeedBytes) seeds.push_back(std::move(seed));
  }
  return seeds;
}

}  // namespace

int FuzzParleyYaml(const std::uint8_t* data, std::size_t size) {
  UseScenario(io::ReadParleyYaml(Text(data, size), "fuzz.yaml"), "io::ReadParleyYaml");
  return 0;
}

int FuzzParleyJson(const std::uint8_t* data, std::size_t size) {
  UseScenario(io::ReadParleyJson(Text(data, size), "fuzz.json"), "io::ReadParleyJson");
  return 0;
}

int FuzzGeniusXml(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> files = SplitFiles(Text(data, size));
  for (const std::string& file : files) (void)io::ClassifyGeniusXml(file);
  UseScenario(ReadFiles(files, ".xml", &io::ReadGeniusTexts), "io::ReadGeniusTexts");
  return 0;
}

int FuzzGeniusWebJson(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> files = SplitFiles(Text(data, size));
  for (const std::string& file : files) (void)io::ClassifyGeniusWebJson(file);
  UseScenario(ReadFiles(files, ".json", &io::ReadGeniusWebTexts), "io::ReadGeniusWebTexts");
  return 0;
}

std::vector<std::string> ParleyYamlSeeds() { return WrittenSeeds(&io::WriteParleyYaml); }

std::vector<std::string> ParleyJsonSeeds() { return WrittenSeeds(&io::WriteParleyJson); }

std::vector<std::string> GeniusXmlSeeds() {
  return FolderSeeds(SharedDataDir() + "/genius", ".xml", &io::ClassifyGeniusXml,
                     io::GeniusFileKind::kDomain, io::GeniusFileKind::kProfile);
}

std::vector<std::string> GeniusWebJsonSeeds() {
  return FolderSeeds(SharedDataDir() + "/geniusweb", ".json", &io::ClassifyGeniusWebJson,
                     io::GeniusWebFileKind::kDomain, io::GeniusWebFileKind::kProfile);
}

}  // namespace parley::fuzz
