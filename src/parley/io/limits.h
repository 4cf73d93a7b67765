// What parley reads at most. Every reader refuses input beyond these limits with a kInvalidInput
// naming the limit, after work and memory bounded by the limits themselves: nothing a file says
// can make a reader run for minutes, take gigabytes or recurse deeper than kMaxNestingDepth.
//
// The limits sit far above anything a person or a published corpus writes (the largest file of
// the GENIUS/GeniusWeb corpus is 2 MB with 5 levels of nesting; ANAC's largest domains have 10
// to 50 issues and a few hundred options), and well below what would strain a laptop.
// docs/scenario-format.md ("Limits") lists them for users; change both together.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/io/json_limits.h"

namespace parley::io {

// --- files ---
// One scenario file: parley YAML/JSON, a GENIUS XML or a GeniusWeb JSON file.
inline constexpr std::uint64_t kMaxScenarioFileBytes = std::uint64_t{32} << 20;
// A tournament config (YAML).
inline constexpr std::uint64_t kMaxConfigFileBytes = std::uint64_t{4} << 20;
// A trace JSON (parley negotiate --trace, parley export).
inline constexpr std::uint64_t kMaxTraceFileBytes = std::uint64_t{256} << 20;
// A tournament results file (CSV or JSON lines), read row by row.
inline constexpr std::uint64_t kMaxResultsFileBytes = std::uint64_t{1} << 30;
// All files of one scenario together (a domain and its profiles, or a folder's candidates).
inline constexpr std::uint64_t kMaxScenarioBytes = std::uint64_t{64} << 20;
// Files of a scenario folder the loader looks into (those with a scenario extension).
inline constexpr std::size_t kMaxFolderFiles = 1'000;

// --- documents (YAML, JSON, XML) ---
// Collections (YAML sequences and maps, JSON arrays and objects) or XML elements inside each
// other. parley's own schema needs 8 levels, GENIUS files 5.
inline constexpr int kMaxNestingDepth = 64;
// Values of a YAML/JSON document (scalars and collections, keys included; a YAML alias counts
// as the whole value it repeats) or elements of an XML file. yaml-cpp keeps about 500 bytes per
// value, so a document at the limit takes about half a gigabyte and a few seconds to read; the
// largest scenario of the corpus, written as parley YAML, has about 10,000.
inline constexpr std::uint64_t kMaxDocumentValues = 1'000'000;
// Values of a trace (a long session has many events): about 1 GB of JSON tree at most.
inline constexpr std::uint64_t kMaxTraceValues = 16'000'000;
// One row of a results file as JSON (a row is flat: a value per column).
inline constexpr std::uint64_t kMaxResultsRowBytes = std::uint64_t{1} << 20;

// --- scenarios ---
inline constexpr std::size_t kMaxIssues = 10'000;
inline constexpr std::size_t kMaxParties = 1'000;
// Options listed by name (discrete issues), over all issues together.
inline constexpr std::uint64_t kMaxListedOptions = 1'000'000;
// Utility values stored in tables (a value per option of an issue, per party), over all parties
// and issues together: 20 million doubles are 160 MB.
inline constexpr std::uint64_t kMaxTabulatedValues = 20'000'000;
// Red lines of one party, phases of a scenario, hyper-rectangles of one profile.
inline constexpr std::size_t kMaxRedLinesPerParty = 10'000;
inline constexpr std::size_t kMaxPhases = 1'000;
inline constexpr std::size_t kMaxRectangles = 1'000'000;
// Options covered by the comparisons of all red lines together (each comparison keeps a bit, and
// evaluates a condition, per option of its issue): 100 million bits are 12.5 MB.
inline constexpr std::uint64_t kMaxRedLineOptions = 100'000'000;

// The JSON limits every scenario reader uses.
inline JsonLimits ScenarioJsonLimits(std::uint64_t max_bytes = kMaxScenarioFileBytes) {
  JsonLimits limits;
  limits.max_bytes = max_bytes;
  limits.max_depth = kMaxNestingDepth;
  limits.max_values = kMaxDocumentValues;
  return limits;
}

// The JSON limits of a trace.
inline JsonLimits TraceJsonLimits() {
  JsonLimits limits;
  limits.max_bytes = kMaxTraceFileBytes;
  limits.max_depth = kMaxNestingDepth;
  limits.max_values = kMaxTraceValues;
  return limits;
}

// The JSON limits of one row of a results file.
inline JsonLimits ResultsRowJsonLimits() {
  JsonLimits limits;
  limits.max_bytes = kMaxResultsRowBytes;
  limits.max_depth = kMaxNestingDepth;
  limits.max_values = kMaxDocumentValues;
  return limits;
}

// Counts what a reader builds against one of the limits above, e.g. tabulated values over every
// party of a scenario. Charge() fails, naming the limit, once the total passes it.
class Tally {
 public:
  // `what` names the counted things in the plural: "tabulated utility values".
  Tally(std::uint64_t limit, std::string what) : limit_(limit), what_(std::move(what)) {}

  Status Charge(std::uint64_t amount, Location where) {
    total_ = amount > limit_ - std::min(total_, limit_) ? limit_ + 1 : total_ + amount;
    if (total_ <= limit_) return Status::Ok();
    return InvalidInput("the scenario holds more than " + std::to_string(limit_) + " " + what_ +
                            "; parley reads at most that many (docs/scenario-format.md, Limits)",
                        std::move(where));
  }

 private:
  std::uint64_t limit_;
  std::string what_;
  std::uint64_t total_ = 0;
};

// The tallies every scenario reader keeps while it builds one scenario.
struct ScenarioBudget {
  Tally issues{kMaxIssues, "issues"};
  Tally listed_options{kMaxListedOptions, "options listed by name"};
  Tally tabulated{kMaxTabulatedValues,
                  "tabulated utility values (one per option of an issue, per party)"};
  Tally rectangles{kMaxRectangles, "hyper-rectangles"};
};

// The files one scenario is read from: at most kMaxFolderFiles, together at most
// kMaxScenarioBytes as the file system reports their sizes (each file is then read with at most
// kMaxScenarioFileBytes). `where` names the folder or the first file in the error.
Status CheckScenarioFiles(const std::vector<std::string>& paths, const std::string& where);

}  // namespace parley::io
