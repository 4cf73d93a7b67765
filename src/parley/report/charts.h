// The pictures reports show, as SVG built with svg.h:
// - the utility space of two parties: outcomes (dots, or a density), the zone of agreement,
//   reservation values, the Pareto frontier (and the one red lines would allow if ignored), the
//   Nash, Kalai-Smorodinsky and utilitarian points, and, for a session, each party's offers over
//   time as a path with the agreement marked;
// - the gap per issue over rounds ("are gaps narrowing?");
// - a party's utility of the offers made over time;
// - box plots of values by category (tournament distributions).
// Parties keep one colour in every chart (the palette in scenario order).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parley/base/big_count.h"
#include "parley/model/scenario.h"
#include "parley/report/svg.h"
#include "parley/report/utility_space.h"
#include "parley/session/session.h"

namespace parley::report {

// A party as people know it: its name, or its id when the name is empty.
std::string PartyLabel(const model::Scenario& scenario, std::size_t party_idx);
// A party's colour in every chart.
std::string PartyColor(std::size_t party_idx);

// "503,808"; counts beyond 15 digits in scientific form ("1e+30").
std::string DescribeCount(const BigCount& count);

// Offers in a trace, by sender in scenario order: messages of type offer carrying an outcome.
struct PartyOffers {
  std::size_t party_idx = 0;
  std::vector<const session::TraceEvent*> offers;
};
std::vector<PartyOffers> OffersByParty(const session::Trace& trace);

// A party's utility of an event's outcome: the trace's analyst utility when recorded, else
// evaluated from the scenario.
double EventUtility(const model::Scenario& scenario, const session::Trace& trace,
                    const session::TraceEvent& event, std::size_t party_idx);

// What the outcome cloud shows, for subtitles and captions: "all 503,808 outcomes (density)" or
// "density of 100,000 sampled outcomes (of 1e+30, too many to enumerate)".
std::string DescribeCloud(const OutcomeCloud& cloud);

// `trace` adds each party's offers as a path and the agreement; null for a scenario alone.
std::string UtilitySpaceSvg(const model::Scenario& scenario, const UtilitySpace& space,
                            const session::Trace* trace, const std::string& id);

// The gap per issue between the principals' latest offers, by round, and the overall gap. At most
// 8 issues are drawn (those with the largest first gap) and the subtitle says so. Empty when the
// trace has no gap sample. Long sessions (more than kLongSessionGapSamples samples) would be
// spaghetti: their issue lines are drawn faint and the overall gap as a centred moving average
// (GapSmoothingWindow samples) over the faint round-by-round line, and GapSmallMultiplesSvg
// draws each issue in its own small chart.
inline constexpr std::size_t kLongSessionGapSamples = 40;
std::string GapsSvg(const model::Scenario& scenario, const session::Trace& trace,
                    const std::string& id);
// One small chart per issue (at most 12, those with the largest first gap): its gap round by
// round (faint) and its moving average. Empty unless the session is long.
std::vector<std::string> GapSmallMultiplesSvg(const model::Scenario& scenario,
                                              const session::Trace& trace,
                                              const std::string& id_prefix);
// Samples averaged by the moving average: 1 up to kLongSessionGapSamples samples, then an odd
// number near a twentieth of them (at least 3).
std::size_t GapSmoothingWindow(std::size_t samples);
// Centred moving average of the y values over `window` points (fewer at the ends).
std::vector<svg::Point> MovingAverage(const std::vector<svg::Point>& points, std::size_t window);

// How one party values the offers made over time: one line per party that made offers, its
// reservation value, and the agreement.
std::string UtilityOverTimeSvg(const model::Scenario& scenario, const session::Trace& trace,
                               std::size_t party_idx, const std::string& id);

// Horizontal box plots, one per group (label, values), in the order given; values along x over
// `domain` (by default the values' range widened to round ticks).
struct BoxGroup {
  std::string label;
  std::vector<double> values;
};
std::string BoxPlotSvg(const std::string& title, const std::string& subtitle,
                       const std::string& x_label, const std::vector<BoxGroup>& groups,
                       const std::string& id, std::optional<svg::Domain> domain = std::nullopt);

// Horizontal bars, one per (label, value), in the order given, values along x over `domain`.
struct Bar {
  std::string label;
  double value = 0;
  std::string tooltip;
};
std::string BarChartSvg(const std::string& title, const std::string& subtitle,
                        const std::string& x_label, const std::vector<Bar>& bars,
                        const std::string& id, svg::Domain domain);

}  // namespace parley::report
