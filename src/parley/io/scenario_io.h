// Reading and writing scenarios in every format parley speaks. The only module that parses files.
//
// A scenario may be given as:
// - a parley YAML (.yaml/.yml) or JSON (.json) file;
// - a GENIUS folder: one domain XML and its profile XMLs, told apart by content, not by name;
// - a GeniusWeb folder: one domain JSON and its profile JSONs (LinearAdditiveUtilitySpace);
// - explicit files: a domain and one or more profiles (GENIUS XML or GeniusWeb JSON).
// Every reader validates fully (model::ValidateScenario plus format rules) and reports errors with
// file, line, column and field; third-party exceptions never escape.
#pragma once

#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/model/scenario.h"

namespace parley::io {

// A scenario reference as given on a command line or in a config file.
struct ScenarioSource {
  std::string path;                   // file or folder; empty when domain/profiles are used
  std::string domain;                 // explicit domain file
  std::vector<std::string> profiles;  // explicit profile files
};

// Loads any supported form (see above), choosing the reader by extension and content.
Result<model::Scenario> LoadScenario(const ScenarioSource& source);
Result<model::Scenario> LoadScenario(const std::string& path);

// --- parley's own format (parley_format_reader.cc, parley_format_writer.cc) ---
// `file_name` is used in error locations only.
Result<model::Scenario> ReadParleyYaml(const std::string& text, const std::string& file_name);
Result<model::Scenario> ReadParleyJson(const std::string& text, const std::string& file_name);
std::string WriteParleyYaml(const model::Scenario& scenario);
std::string WriteParleyJson(const model::Scenario& scenario);

// A file's path (used in error locations only) and its text.
struct NamedText {
  std::string path;
  std::string text;
};

// --- GENIUS XML (genius_xml.cc) ---
Result<model::Scenario> ReadGeniusFiles(const std::string& domain_path,
                                        const std::vector<std::string>& profile_paths);
Result<model::Scenario> ReadGeniusFolder(const std::string& folder);
// The same from texts already read (the files above read them, then call this).
Result<model::Scenario> ReadGeniusTexts(const NamedText& domain,
                                        const std::vector<NamedText>& profiles);

// --- GeniusWeb JSON (geniusweb_json.cc) ---
Result<model::Scenario> ReadGeniusWebFiles(const std::string& domain_path,
                                           const std::vector<std::string>& profile_paths);
Result<model::Scenario> ReadGeniusWebFolder(const std::string& folder);
Result<model::Scenario> ReadGeniusWebTexts(const NamedText& domain,
                                           const std::vector<NamedText>& profiles);
// Checks that GeniusWeb can express the scenario (linear additive utilities with values in [0, 1],
// weights summing to 1, no red lines ...); kUnsupported naming what cannot be expressed.
Status CheckGeniusWebExpressible(const model::Scenario& scenario);
// Writes `folder`/<name>.json (domain) and `folder`/<name>_<party>.json per party with preferences.
// Creates the folder if needed; writes nothing unless the whole scenario is expressible.
Status WriteGeniusWebFolder(const model::Scenario& scenario, const std::string& folder);

// Output formats for `parley convert`.
enum class OutputFormat { kParleyYaml, kParleyJson, kGeniusWeb };
// Chooses by `to` ("yaml", "json", "geniusweb") when given, else by the output path's extension
// (.yaml/.yml, .json; a path without extension or ending in '/' means a GeniusWeb folder).
Result<OutputFormat> ChooseOutputFormat(const std::string& output_path, const std::string& to);
// Writes the scenario atomically: a failure leaves no file (or folder content) behind.
Status WriteScenario(const model::Scenario& scenario, const std::string& output_path,
                     OutputFormat format);

}  // namespace parley::io
