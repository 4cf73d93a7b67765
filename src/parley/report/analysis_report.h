// How `parley analyze` (and the Python bindings) present an analysis: one JSON object for programs
// (documented in docs/cli.md; the live server's analysis route answers it too, with its own fields
// added) and a plain-words text for people that says first whether a deal is possible and, if
// not, what blocks it.
#pragma once

#include <string>

#include "parley/analysis/analyze.h"
#include "parley/io/json.h"

namespace parley::report {

struct AnalysisReportOptions {
  // Most frontier points written to JSON; 0 means all.
  std::size_t max_points = 0;
  // Load time, measured by the caller, reported under timings_ms.load.
  double load_ms = 0;
};

io::Json AnalysisToJson(const model::Scenario& scenario, const analysis::ScenarioAnalysis& analysis,
                        const AnalysisReportOptions& options = {});

std::string RenderAnalysisText(const model::Scenario& scenario,
                               const analysis::ScenarioAnalysis& analysis);

// Pieces of the JSON above that other reports share: a zone of agreement ({count, fraction,
// exact, method, fraction_interval_95}) and a constraint ({party, kind, red_line, expression,
// description}).
io::Json ZopaJson(const analysis::Zopa& zopa);
io::Json ConstraintJson(const model::Scenario& scenario, const analysis::Constraint& constraint);

}  // namespace parley::report
