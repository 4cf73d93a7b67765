// HTML reports that mediators and analysts read at a glance: one self-contained page (inline CSS
// and SVG; no script, font or image from the network) built from a scenario or a session trace.
//
// A scenario report shows the banner first, then whether a deal is possible and what blocks it,
// the utility space of two parties (outcomes or their density, the Pareto frontier, the Nash,
// Kalai-Smorodinsky and utilitarian points, reservation values and the zone of agreement), the
// fair points issue by issue, the gaps between ideal positions, the parties and issues, and the
// assumptions the results depend on (method choices and every value tagged `assumption`).
// A trace report adds how the session ended, each party's offers over time as paths in the
// utility space with the agreement marked, the gap per issue over rounds and each party's utility
// of the offers over time. Pages are deterministic (no dates), so reports diff well.
#pragma once

#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/model/scenario.h"
#include "parley/report/utility_space.h"
#include "parley/session/session.h"

namespace parley::report {

struct HtmlReportOptions {
  // The two parties of the utility space, "A,B" by id; empty means the first two enabled
  // principals.
  std::string parties;
  UtilitySpaceOptions space;
  // Where the input came from (scenario files, trace file), named in the page's footer.
  std::vector<std::string> source_files;
  // Sections (HTML) placed after "Is a deal possible?", e.g. the robust analysis.
  std::vector<std::string> extra_sections;
};

// Errors (kInvalidInput): parties that do not name two parties with preferences, or a scenario
// with fewer than two principals when none are named.
Result<std::string> ScenarioReportHtml(const model::Scenario& scenario,
                                       const HtmlReportOptions& options = {});
Result<std::string> TraceReportHtml(const model::Scenario& scenario, const session::Trace& trace,
                                    const HtmlReportOptions& options = {});

}  // namespace parley::report
