// The fuzz targets: each feeds arbitrary bytes to one reader through the function the CLI or the
// server calls, and checks what must hold for any input: no crash, no hang, bounded memory, and a
// refusal that is an input error, never an internal one. libFuzzer runs them (one executable per
// target, built by the `fuzz` preset; `make fuzz`); parley_fuzz_regression_test replays the inputs
// kept under tests/fuzz/regressions/<target>/ through the same functions in every build.
//
// Inputs that hold several files (a GENIUS or GeniusWeb domain and its profiles) separate them
// with kFileSeparator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parley/base/status.h"

namespace parley::fuzz {

struct Target {
  const char* name;  // as in parley_fuzz_<name> and tests/fuzz/regressions/<name>/
  int (*run)(const std::uint8_t* data, std::size_t size);
  // Inputs to start from, made at fuzz time from examples/ and ../shared/data (when present).
  std::vector<std::string> (*seeds)();
};

// Every target, in a fixed order.
const std::vector<Target>& AllTargets();
// The target called `name`, or nullptr.
const Target* FindTarget(std::string_view name);

inline constexpr std::string_view kFileSeparator = "\n--- parley fuzz: next file ---\n";

// `text` split at kFileSeparator (one part when it holds none).
std::vector<std::string> SplitFiles(std::string_view text);
// The parts joined with kFileSeparator.
std::string JoinFiles(const std::vector<std::string>& files);

// Where seeds come from: the project's source folder and the shared corpus (may be absent).
std::string SourceDir();
std::string SharedDataDir();
// Seeds are kept small so that libFuzzer mutates them quickly.
inline constexpr std::size_t kMaxSeedBytes = 64 * 1024;
// The regular files of `folder` with one of `extensions` (".yaml"), sorted; none when absent.
std::vector<std::string> FilesIn(const std::string& folder,
                                 const std::vector<std::string>& extensions);
// The folders under `root` (itself included) that directly hold a file with `extension`, sorted.
std::vector<std::string> FoldersWith(const std::string& root, const std::string& extension);
// The file's text, or "" when it cannot be read or is larger than kMaxSeedBytes.
std::string ReadSeedFile(const std::string& path);

// Aborts (a crash libFuzzer records) unless `status` is OK or an input error: readers answer bad
// input with kInvalidInput, kNotFound or kUnsupported, never with kInternal or kCancelled.
void CheckInputStatus(const Status& status, const char* reader);
// Aborts with `message` (a broken property of the reader).
[[noreturn]] void Fail(const std::string& message);

// The targets, one per reader (scenario_targets.cc, trace_target.cc, tournament_targets.cc,
// http_body_target.cc), and their seeds.
int FuzzParleyYaml(const std::uint8_t* data, std::size_t size);
int FuzzParleyJson(const std::uint8_t* data, std::size_t size);
int FuzzGeniusXml(const std::uint8_t* data, std::size_t size);
int FuzzGeniusWebJson(const std::uint8_t* data, std::size_t size);
int FuzzTraceJson(const std::uint8_t* data, std::size_t size);
int FuzzTournamentConfig(const std::uint8_t* data, std::size_t size);
int FuzzResults(const std::uint8_t* data, std::size_t size);
int FuzzHttpBody(const std::uint8_t* data, std::size_t size);
std::vector<std::string> ParleyYamlSeeds();
std::vector<std::string> ParleyJsonSeeds();
std::vector<std::string> GeniusXmlSeeds();
std::vector<std::string> GeniusWebJsonSeeds();
std::vector<std::string> TraceJsonSeeds();
std::vector<std::string> TournamentConfigSeeds();
std::vector<std::string> ResultsSeeds();
std::vector<std::string> HttpBodySeeds();

}  // namespace parley::fuzz
