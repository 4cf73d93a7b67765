// Provenance: where a number or a choice in a scenario comes from. Analysts must be able to tell a
// figure taken from a public report from a modelling assumption, so every value in a parley file
// may carry `source: report | assumption | derived` and a note.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace parley::model {

enum class Source { kUnspecified, kReport, kAssumption, kDerived };

struct Provenance {
  Source source = Source::kUnspecified;
  std::string note;
};

std::string_view SourceName(Source source);  // "report", "assumption", "derived", ""
std::optional<Source> ParseSource(std::string_view text);

// Provenance of values keyed by their field path in the parley schema, e.g.
// "parties.israel.preferences.weights.ceasefire" or "issues.withdrawal.options.full".
// Paths use ids, not positions, so they survive reordering; docs/scenario-format.md lists them.
using ProvenanceMap = std::map<std::string, Provenance>;

}  // namespace parley::model
