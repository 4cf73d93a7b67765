// How `parley analyze` (and later the server) presents an analysis: one JSON object for programs
// (documented in docs/cli.md) and a plain-words text for people that says first whether a deal is
// possible and, if not, what blocks it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "parley/analysis/analyze.h"
#include "parley/report/outcome_json.h"

namespace parley::report {

struct AnalysisReportOptions {
  // Most frontier points written to JSON; 0 means all.
  std::size_t max_points = 0;
  // Load time, measured by the caller, reported under timings_ms.load.
  double load_ms = 0;
};

nlohmann::ordered_json AnalysisToJson(const model::Scenario& scenario,
                                      const analysis::ScenarioAnalysis& analysis,
                                      const AnalysisReportOptions& options = {});

std::string RenderAnalysisText(const model::Scenario& scenario,
                               const analysis::ScenarioAnalysis& analysis);

}  // namespace parley::report
