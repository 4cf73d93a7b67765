#include "parley/report/charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "parley/base/strings.h"

namespace parley::report {
namespace {

using svg::Chart;
using svg::ChartOptions;
using svg::Domain;
using svg::LegendEntry;
using svg::Point;
using svg::Shape;
using svg::Style;
using svg::Tag;

constexpr const char* kForbiddenColor = "#a6a6a6";
constexpr const char* kAllowedColor = "#3d3d3d";
constexpr const char* kIgnoringColor = "#5c5c5c";
constexpr std::size_t kMaxVertexDots = 3000;

std::string Fixed(double value, int decimals = 2) {
  return fmt::format("{:.{}f}", value, decimals);
}

std::string Pair(double x, double y) { return "(" + Fixed(x) + ", " + Fixed(y) + ")"; }

// Grows a domain to include a value (non-finite values are ignored).
void Include(Domain& domain, double value) {
  if (!std::isfinite(value)) return;
  domain.low = std::min(domain.low, value);
  domain.high = std::max(domain.high, value);
}

bool IsPrincipal(const model::Scenario& scenario, std::size_t party_idx) {
  return scenario.parties[party_idx].role == model::Role::kPrincipal;
}

// Height a legend column needs.
double LegendHeight(const std::vector<std::string>& labels, double legend_width) {
  double height = 0;
  for (const std::string& label : labels) {
    height += static_cast<double>(svg::WrapText(label, legend_width - 46, 12).size()) * 15 + 7;
  }
  return height;
}

struct SolutionMark {
  std::string key;    // CSS class: nash, kalai-smorodinsky, utilitarian
  std::string label;  // on the chart
  std::string name;   // in legends and tooltips
  Shape shape = Shape::kDiamond;
  double size = 12;
  const analysis::SolutionPoint* point = nullptr;
  bool ignoring_red_lines = false;
};

}  // namespace

std::string PartyLabel(const model::Scenario& scenario, std::size_t party_idx) {
  const model::Party& party = scenario.parties[party_idx];
  return party.name.empty() ? party.id : party.name;
}

std::string PartyColor(std::size_t party_idx) { return svg::SeriesColor(party_idx); }

std::string DescribeCount(const BigCount& count) {
  std::string digits = count.ToString();
  if (digits.size() > 15) return count.ToScientific(3);
  return GroupThousands(std::stoull(digits));
}

std::vector<PartyOffers> OffersByParty(const session::Trace& trace) {
  std::vector<PartyOffers> out;
  std::map<std::size_t, std::size_t> position;
  for (const session::TraceEvent& event : trace.events) {
    const protocols::Message& message = event.message;
    if (message.type != protocols::ActionType::kOffer || !message.outcome) continue;
    auto [it, inserted] = position.emplace(message.sender, out.size());
    if (inserted) out.push_back(PartyOffers{message.sender, {}});
    out[it->second].offers.push_back(&event);
  }
  std::sort(out.begin(), out.end(),
            [](const PartyOffers& a, const PartyOffers& b) { return a.party_idx < b.party_idx; });
  return out;
}

double EventUtility(const model::Scenario& scenario, const session::Trace& trace,
                    const session::TraceEvent& event, std::size_t party_idx) {
  const std::vector<std::size_t>& scored = trace.result.scored_parties;
  auto it = std::find(scored.begin(), scored.end(), party_idx);
  if (it != scored.end()) {
    std::size_t position = static_cast<std::size_t>(it - scored.begin());
    if (position < event.utilities.size()) return event.utilities[position];
  }
  return scenario.parties[party_idx].preferences->utility->Evaluate(*event.message.outcome);
}

std::string DescribeCloud(const OutcomeCloud& cloud) {
  if (cloud.sampled) {
    return "density of " + GroupThousands(cloud.placed) + " sampled outcomes (of " +
           DescribeCount(cloud.total) + ", too many to enumerate)";
  }
  return "all " + GroupThousands(cloud.placed) + " outcomes" + (cloud.dots ? "" : " (density)");
}

namespace {

// The two parties whose utilities are the axes.
struct Axes {
  std::size_t x_party;
  std::size_t y_party;
  std::string x_name;
  std::string y_name;
};

// A session's offers (and agreement) placed at their utilities for the two parties.
struct PlacedOffers {
  std::vector<PartyOffers> offers;
  std::vector<std::vector<Point>> points;  // per entry of `offers`
  std::optional<Point> agreement;
};

PlacedOffers PlaceOffers(const model::Scenario& scenario, const session::Trace* trace,
                         const Axes& axes) {
  PlacedOffers placed;
  if (trace == nullptr) return placed;
  placed.offers = OffersByParty(*trace);
  for (const PartyOffers& party_offers : placed.offers) {
    std::vector<Point> points;
    points.reserve(party_offers.offers.size());
    for (const session::TraceEvent* event : party_offers.offers) {
      points.push_back({EventUtility(scenario, *trace, *event, axes.x_party),
                        EventUtility(scenario, *trace, *event, axes.y_party)});
    }
    placed.points.push_back(std::move(points));
  }
  if (trace->result.agreement && trace->result.outcome) {
    const model::Outcome& outcome = *trace->result.outcome;
    placed.agreement =
        Point{scenario.parties[axes.x_party].preferences->utility->Evaluate(outcome),
              scenario.parties[axes.y_party].preferences->utility->Evaluate(outcome)};
  }
  return placed;
}

// The domains hold every outcome placed, [0, 1], reservations, frontiers and offers.
std::pair<Domain, Domain> UtilityDomains(const UtilitySpace& space, const PlacedOffers& placed) {
  Domain x{0, 1};
  Domain y{0, 1};
  auto include = [&](double x_value, double y_value) {
    Include(x, x_value);
    Include(y, y_value);
  };
  include(space.cloud.x.low, space.cloud.y.low);
  include(space.cloud.x.high, space.cloud.y.high);
  const std::vector<double>& reservations = space.analysis.solutions.disagreement;
  if (reservations.size() == 2) include(reservations[0], reservations[1]);
  for (const analysis::ParetoPoint& point : space.analysis.pareto.points) {
    include(point.utilities[0], point.utilities[1]);
  }
  if (space.frontier_ignoring_red_lines) {
    for (const analysis::ParetoPoint& point : space.frontier_ignoring_red_lines->points) {
      include(point.utilities[0], point.utilities[1]);
    }
  }
  for (const std::vector<Point>& points : placed.points) {
    for (const Point& point : points) include(point.x, point.y);
  }
  if (placed.agreement) include(placed.agreement->x, placed.agreement->y);
  return {x, y};
}

ChartOptions UtilitySpaceChartOptions(const UtilitySpace& space, const Axes& axes, bool has_trace,
                                      const std::string& id) {
  const OutcomeCloud& cloud = space.cloud;
  ChartOptions options;
  options.id = id;
  options.title = "Utility space: " + axes.x_name + " and " + axes.y_name;
  std::string subtitle = DescribeCloud(cloud);
  subtitle[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(subtitle[0])));
  if (cloud.placed > 0 && cloud.allowed == 0) subtitle += "; a red line forbids every one";
  if (has_trace) subtitle += "; offers made in the session";
  options.subtitle = subtitle;
  options.description =
      "Each outcome placed by its utility for " + axes.x_name + " (across) and " + axes.y_name +
      " (up), with the Pareto frontier, the fair points and the zone of agreement.";
  options.x_label = "Utility of " + axes.x_name;
  options.y_label = "Utility of " + axes.y_name;
  options.width = 800;
  options.legend_width = 262;
  options.height = 610;
  return options;
}

// Zone of agreement: both parties at or above their reservation values.
void DrawZone(Chart& chart, const analysis::ScenarioAnalysis& analysis, const Axes& axes) {
  const std::vector<double>& reservations = analysis.solutions.disagreement;
  const Domain& shown_x = chart.x_domain();
  const Domain& shown_y = chart.y_domain();
  if (reservations.size() != 2 || reservations[0] >= shown_x.high ||
      reservations[1] >= shown_y.high) {
    return;
  }
  std::string tooltip = "Zone of agreement: " + axes.x_name + " and " + axes.y_name +
                        " both at or above their reservation values (" +
                        Pair(reservations[0], reservations[1]) + "); " +
                        (analysis.zopa.exact ? "" : "about ") + DescribeCount(analysis.zopa.count) +
                        " outcomes in it that no red line forbids";
  chart.Rect({reservations[0], reservations[1]}, {shown_x.high, shown_y.high},
             Style("none", 1, "", svg::kZoneColor, 0.28), Tag("zone", {}, tooltip));
  chart.AddLegend(LegendEntry(LegendEntry::Kind::kSwatch,
                              "zone of agreement (both above their reservation value)",
                              Style("#b8a800", 1, "", svg::kZoneColor, 0.6)));
}

// The cloud's outcomes as a density: cells of a bins x bins grid, darker with more outcomes.
void DrawDensity(Chart& chart, const OutcomeCloud& cloud, const Tag& forbidden_tag,
                 const Tag& allowed_tag) {
  double x_low = cloud.x.low;
  double x_span = cloud.x.high - cloud.x.low;
  double y_low = cloud.y.low;
  double y_span = cloud.y.high - cloud.y.low;
  if (x_span < 1e-9) {
    x_low -= 0.005;
    x_span = 0.01;
  }
  if (y_span < 1e-9) {
    y_low -= 0.005;
    y_span = 0.01;
  }
  double cell_width = x_span / cloud.bins;
  double cell_height = y_span / cloud.bins;
  std::uint32_t most = 1;
  for (std::uint32_t count : cloud.allowed_counts) most = std::max(most, count);
  for (std::uint32_t count : cloud.forbidden_counts) most = std::max(most, count);
  auto cells = [&](const std::vector<std::uint32_t>& counts) {
    std::vector<svg::Cell> out;
    for (int row = 0; row < cloud.bins; ++row) {
      for (int column = 0; column < cloud.bins; ++column) {
        std::uint32_t count =
            counts[static_cast<std::size_t>(row) * static_cast<std::size_t>(cloud.bins) +
                   static_cast<std::size_t>(column)];
        if (count == 0) continue;
        out.push_back(svg::Cell{x_low + column * cell_width, y_low + row * cell_height,
                                x_low + (column + 1) * cell_width, y_low + (row + 1) * cell_height,
                                std::log1p(count) / std::log1p(most)});
      }
    }
    return out;
  };
  chart.Cells(cells(cloud.forbidden_counts), kForbiddenColor, 0.75, forbidden_tag);
  chart.Cells(cells(cloud.allowed_counts), kAllowedColor, 0.85, allowed_tag);
}

// The outcomes: one dot each, or a density.
void DrawCloud(Chart& chart, const OutcomeCloud& cloud, const Axes& axes) {
  std::string count_text = DescribeCloud(cloud);
  std::uint64_t forbidden = cloud.placed - cloud.allowed;
  Tag forbidden_tag("outcomes forbidden",
                    {{"count", std::to_string(forbidden)},
                     {"placed", std::to_string(cloud.placed)},
                     {"sampled", cloud.sampled ? "true" : "false"}},
                    GroupThousands(forbidden) + " of " + count_text +
                        " are forbidden by a red line of " + axes.x_name + " or " + axes.y_name);
  Tag allowed_tag("outcomes allowed",
                  {{"count", std::to_string(cloud.allowed)},
                   {"placed", std::to_string(cloud.placed)},
                   {"sampled", cloud.sampled ? "true" : "false"}},
                  GroupThousands(cloud.allowed) + " of " + count_text +
                      " are allowed by every red line of the two parties");
  if (cloud.dots) {
    chart.Dots(cloud.forbidden_points, 2.4, kForbiddenColor, 1, forbidden_tag);
    chart.Dots(cloud.allowed_points, 2.4, kAllowedColor, 0.9, allowed_tag);
  } else if (cloud.bins > 0) {
    DrawDensity(chart, cloud, forbidden_tag, allowed_tag);
  }
  std::string shape_word = cloud.dots ? "" : " (darker: more outcomes)";
  LegendEntry::Kind cloud_kind =
      cloud.dots ? LegendEntry::Kind::kMarker : LegendEntry::Kind::kSwatch;
  if (cloud.allowed > 0) {
    chart.AddLegend(LegendEntry(cloud_kind, "outcomes no red line forbids" + shape_word,
                                Style("none", 1, "", kAllowedColor), Shape::kCircle,
                                cloud.dots ? 5 : 9));
  }
  if (forbidden > 0) {
    chart.AddLegend(LegendEntry(cloud_kind, "outcomes a red line forbids" + shape_word,
                                Style("none", 1, "", kForbiddenColor), Shape::kCircle,
                                cloud.dots ? 5 : 9));
  }
}

void DrawReservations(Chart& chart, const model::Scenario& scenario,
                      const std::vector<double>& reservations, const Axes& axes) {
  if (reservations.size() != 2) return;
  Style dashed(svg::kInk, 1.2, "5 4");
  chart.VerticalLine(reservations[0], dashed,
                     Tag("reservation", {{"party", scenario.parties[axes.x_party].id}},
                         axes.x_name + "'s reservation value: " + Fixed(reservations[0])));
  chart.HorizontalLine(reservations[1], dashed,
                       Tag("reservation", {{"party", scenario.parties[axes.y_party].id}},
                           axes.y_name + "'s reservation value: " + Fixed(reservations[1])));
  chart.AddLegend(LegendEntry(
      LegendEntry::Kind::kLine,
      "reservation values (" + Fixed(reservations[0]) + ", " + Fixed(reservations[1]) + ")",
      dashed));
}

// A frontier's vertices: its distinct utility pairs, in frontier order.
std::vector<Point> FrontierVertices(const analysis::ParetoFrontier& frontier) {
  std::vector<Point> points;
  for (const analysis::ParetoPoint& point : frontier.points) {
    Point next{point.utilities[0], point.utilities[1]};
    if (!points.empty() && points.back().x == next.x && points.back().y == next.y) continue;
    points.push_back(next);
  }
  return points;
}

// The Pareto frontier, and the one with red lines ignored when the space has it.
void DrawFrontiers(Chart& chart, const UtilitySpace& space) {
  if (space.frontier_ignoring_red_lines) {
    std::vector<Point> points = FrontierVertices(*space.frontier_ignoring_red_lines);
    Style style(kIgnoringColor, 1.8, "7 4");
    chart.Path(points, style,
               Tag("frontier-ignoring-red-lines", {{"points", std::to_string(points.size())}},
                   "Pareto frontier with red lines ignored: " + std::to_string(points.size()) +
                       " points"));
    chart.AddLegend(
        LegendEntry(LegendEntry::Kind::kLine, "Pareto frontier if red lines were ignored", style));
  }
  const analysis::ParetoFrontier& frontier = space.analysis.pareto;
  std::vector<Point> frontier_vertices = FrontierVertices(frontier);
  if (frontier_vertices.empty()) return;
  Style style("#000000", 2.4);
  std::string approximate = frontier.exact ? "" : " (approximate: found by search)";
  chart.Path(frontier_vertices, style,
             Tag("frontier",
                 {{"points", std::to_string(frontier_vertices.size())},
                  {"exact", frontier.exact ? "true" : "false"}},
                 "Pareto frontier" + approximate + ": " + std::to_string(frontier_vertices.size()) +
                     " points"));
  if (frontier_vertices.size() <= 400) {
    chart.Dots(frontier_vertices, 2.8, "#000000", 1, Tag("frontier-points"));
  }
  chart.AddLegend(
      LegendEntry(LegendEntry::Kind::kLineAndMarker, "Pareto frontier" + approximate, style));
}

// One party's offers over time, as a path from its first offer (open circle) to its last
// (filled).
void DrawPartyOffers(Chart& chart, const model::Scenario& scenario, const PartyOffers& party_offers,
                     const std::vector<Point>& points) {
  const std::string name = PartyLabel(scenario, party_offers.party_idx);
  const std::string party_id = scenario.parties[party_offers.party_idx].id;
  const std::string color = PartyColor(party_offers.party_idx);
  bool principal = IsPrincipal(scenario, party_offers.party_idx);
  Style style(color, principal ? 1.9 : 1.3, principal ? "" : "4 3", "none", 0.85);
  int first_round = party_offers.offers.front()->message.round + 1;
  int last_round = party_offers.offers.back()->message.round + 1;
  chart.Path(points, style,
             Tag("offers", {{"party", party_id}, {"offers", std::to_string(points.size())}},
                 std::to_string(points.size()) + " offers by " + name + ", rounds " +
                     std::to_string(first_round) + " to " + std::to_string(last_round)));
  if (points.size() <= kMaxVertexDots) {
    chart.Dots(points, 2.1, color, 0.9, Tag("offer-points", {{"party", party_id}}));
  }
  const session::TraceEvent& first = *party_offers.offers.front();
  const session::TraceEvent& last = *party_offers.offers.back();
  chart.Marker(points.front(), Shape::kCircle, 11, Style(color, 2.2, "", "#ffffff"),
               Tag("offers-start", {{"party", party_id}},
                   "First offer by " + name + " (round " + std::to_string(first_round) +
                       "): " + scenario.DescribeOutcomeInWords(*first.message.outcome) + " " +
                       Pair(points.front().x, points.front().y)));
  chart.Marker(points.back(), Shape::kCircle, 11, Style("#ffffff", 1.5, "", color),
               Tag("offers-end", {{"party", party_id}},
                   "Last offer by " + name + " (round " + std::to_string(last_round) +
                       "): " + scenario.DescribeOutcomeInWords(*last.message.outcome) + " " +
                       Pair(points.back().x, points.back().y)));
  chart.AddLegend(LegendEntry(
      LegendEntry::Kind::kLineAndMarker,
      "offers by " + name + " (" + std::to_string(points.size()) +
          (principal ? ""
                     : ", " + std::string(
                                  model::RoleName(scenario.parties[party_offers.party_idx].role))) +
          ")",
      Style(color, style.stroke_width, style.dash)));
}

void DrawOffers(Chart& chart, const model::Scenario& scenario, const PlacedOffers& placed) {
  for (std::size_t series_idx = 0; series_idx < placed.offers.size(); ++series_idx) {
    DrawPartyOffers(chart, scenario, placed.offers[series_idx], placed.points[series_idx]);
  }
  if (placed.offers.empty()) return;
  chart.AddLegend(LegendEntry(LegendEntry::Kind::kMarker, "first offer",
                              Style(svg::kMuted, 2, "", "#ffffff"), Shape::kCircle));
  chart.AddLegend(LegendEntry(LegendEntry::Kind::kMarker, "last offer",
                              Style("#ffffff", 1, "", svg::kMuted), Shape::kCircle));
}

// Fair points: red lines respected, or (when no outcome allows them) with red lines ignored.
std::vector<SolutionMark> FairPointMarks(const UtilitySpace& space) {
  const analysis::BargainingSolutions& solutions = space.analysis.solutions;
  std::vector<SolutionMark> marks = {
      {"utilitarian", "utilitarian", "utilitarian point (largest sum)", Shape::kSquare, 12,
       &solutions.utilitarian, false},
      {"kalai-smorodinsky", "KS", "Kalai-Smorodinsky point", Shape::kTriangle, 13,
       &solutions.kalai_smorodinsky, false},
      {"nash", "Nash", "Nash bargaining point", Shape::kDiamond, 13, &solutions.nash, false}};
  if (!space.solutions_ignoring_red_lines) return marks;
  const analysis::BargainingSolutions& ignoring = *space.solutions_ignoring_red_lines;
  const analysis::SolutionPoint* alternatives[] = {&ignoring.utilitarian,
                                                   &ignoring.kalai_smorodinsky, &ignoring.nash};
  for (std::size_t mark_idx = 0; mark_idx < marks.size(); ++mark_idx) {
    if (!marks[mark_idx].point->defined && alternatives[mark_idx]->defined) {
      marks[mark_idx].point = alternatives[mark_idx];
      marks[mark_idx].ignoring_red_lines = true;
    }
  }
  return marks;
}

// Draws the fair points' markers and legend entries; returns their labels, one per distinct
// point (points at the same place share a label: "KS = Nash").
std::vector<std::pair<Point, std::string>> DrawFairPoints(Chart& chart,
                                                          const model::Scenario& scenario,
                                                          const UtilitySpace& space) {
  std::vector<std::pair<Point, std::string>> labels;
  for (const SolutionMark& mark : FairPointMarks(space)) {
    if (!mark.point->defined) continue;
    const analysis::ParetoPoint& point = mark.point->points.front();
    Point at{point.utilities[0], point.utilities[1]};
    Style style = mark.ignoring_red_lines ? Style(kIgnoringColor, 1.6, "2 2", "#ffffff")
                                          : Style("#000000", 1.8, "", "#ffffff");
    std::string suffix = mark.ignoring_red_lines ? " with red lines ignored" : "";
    chart.Marker(
        at, mark.shape, mark.size, style,
        Tag("solution " + mark.key + (mark.ignoring_red_lines ? " ignoring-red-lines" : ""),
            {{"utility-x", svg::Number(at.x, 6)}, {"utility-y", svg::Number(at.y, 6)}},
            mark.name + suffix + " " + Pair(at.x, at.y) + ": " +
                scenario.DescribeOutcomeInWords(point.outcome)));
    chart.AddLegend(LegendEntry(LegendEntry::Kind::kMarker, mark.name + suffix, style, mark.shape));
    std::string label = mark.label + (mark.ignoring_red_lines ? "*" : "");
    auto same = std::find_if(labels.begin(), labels.end(), [&](const auto& entry) {
      return std::abs(entry.first.x - at.x) < 1e-9 && std::abs(entry.first.y - at.y) < 1e-9;
    });
    if (same != labels.end()) {
      same->second = label + " = " + same->second;
    } else {
      labels.emplace_back(at, label);
    }
  }
  return labels;
}

// Each label goes to the first corner of its point where it overlaps no label placed before and
// stays inside the chart.
void PlaceFairPointLabels(Chart& chart, const ChartOptions& options,
                          const std::vector<std::pair<Point, std::string>>& labels) {
  struct Box {
    double x0, y0, x1, y1;
  };
  struct Corner {
    double dx, dy;
    bool end;
  };
  const double plot_width = options.width - options.legend_width;
  std::vector<Box> placed;
  for (const auto& [at, text] : labels) {
    double width = svg::EstimateTextWidth(text, 12);
    double px = chart.X(at.x);
    double py = chart.Y(at.y);
    const Corner corners[] = {{10, -9, false}, {10, 18, false}, {-10, -9, true}, {-10, 18, true}};
    auto box_at = [&](const Corner& corner) {
      double x0 = corner.end ? px + corner.dx - width : px + corner.dx;
      return Box{x0, py + corner.dy - 12, x0 + width, py + corner.dy + 3};
    };
    Corner chosen = corners[px + 10 + width > plot_width ? 2 : 0];
    for (const Corner& corner : corners) {
      Box box = box_at(corner);
      bool inside = box.x0 >= 0 && box.x1 <= plot_width && box.y0 >= 0;
      bool overlaps = std::any_of(placed.begin(), placed.end(), [&](const Box& other) {
        return box.x0 < other.x1 && other.x0 < box.x1 && box.y0 < other.y1 && other.y0 < box.y1;
      });
      if (inside && !overlaps) {
        chosen = corner;
        break;
      }
    }
    placed.push_back(box_at(chosen));
    chart.Label(at, text, chosen.dx, chosen.dy, chosen.end ? "end" : "start", Tag("solution-label"),
                12);
  }
}

void DrawAgreement(Chart& chart, const model::Scenario& scenario, const session::Trace& trace,
                   const Point& agreement) {
  int round = trace.result.rounds;
  chart.Marker(
      agreement, Shape::kStar, 22, Style("#ffffff", 1.2, "", "#000000"),
      Tag("agreement",
          {{"utility-x", svg::Number(agreement.x, 6)}, {"utility-y", svg::Number(agreement.y, 6)}},
          "Agreement in round " + std::to_string(round) + " " + Pair(agreement.x, agreement.y) +
              ": " + scenario.DescribeOutcomeInWords(*trace.result.outcome)));
  chart.Label(agreement, "agreement", 0, 22, "middle", Tag("agreement-label"), 12);
  chart.AddLegend(LegendEntry(LegendEntry::Kind::kMarker,
                              "agreement (round " + std::to_string(round) + ")",
                              Style("none", 1, "", "#000000"), Shape::kStar));
}

}  // namespace

std::string UtilitySpaceSvg(const model::Scenario& scenario, const UtilitySpace& space,
                            const session::Trace* trace, const std::string& id) {
  const Axes axes{space.parties[0], space.parties[1], PartyLabel(scenario, space.parties[0]),
                  PartyLabel(scenario, space.parties[1])};
  const PlacedOffers placed = PlaceOffers(scenario, trace, axes);
  const auto [x, y] = UtilityDomains(space, placed);
  const ChartOptions options = UtilitySpaceChartOptions(space, axes, trace != nullptr, id);
  Chart chart(options, svg::NiceDomain(x), svg::NiceDomain(y));
  DrawZone(chart, space.analysis, axes);
  DrawCloud(chart, space.cloud, axes);
  DrawReservations(chart, scenario, space.analysis.solutions.disagreement, axes);
  DrawFrontiers(chart, space);
  DrawOffers(chart, scenario, placed);
  PlaceFairPointLabels(chart, options, DrawFairPoints(chart, scenario, space));
  if (placed.agreement) DrawAgreement(chart, scenario, *trace, *placed.agreement);
  return chart.Render();
}

namespace {

// Issues drawn in gap charts: all of them, or the `limit` with the largest first gap, in issue
// order.
std::vector<std::size_t> GapIssuesShown(const model::Scenario& scenario,
                                        const std::vector<session::GapSample>& gaps,
                                        std::size_t limit) {
  std::vector<std::size_t> shown(scenario.issues.size());
  std::iota(shown.begin(), shown.end(), 0);
  if (shown.size() > limit) {
    std::stable_sort(shown.begin(), shown.end(), [&](std::size_t a, std::size_t b) {
      return gaps.front().issue_gaps[a] > gaps.front().issue_gaps[b];
    });
    shown.resize(limit);
    std::sort(shown.begin(), shown.end());
  }
  return shown;
}

std::vector<Point> GapCurve(const std::vector<session::GapSample>& gaps,
                            const std::function<double(const session::GapSample&)>& value) {
  std::vector<Point> points;
  for (const session::GapSample& sample : gaps)
    points.push_back({sample.round + 1.0, value(sample)});
  return points;
}

}  // namespace

std::size_t GapSmoothingWindow(std::size_t samples) {
  if (samples <= kLongSessionGapSamples) return 1;
  return (std::max<std::size_t>(3, samples / 20) / 2) * 2 + 1;
}

std::vector<Point> MovingAverage(const std::vector<Point>& points, std::size_t window) {
  if (window <= 1 || points.size() < 3) return points;
  const std::size_t half = window / 2;
  std::vector<double> prefix(points.size() + 1, 0.0);
  for (std::size_t idx = 0; idx < points.size(); ++idx)
    prefix[idx + 1] = prefix[idx] + points[idx].y;
  std::vector<Point> smoothed;
  for (std::size_t idx = 0; idx < points.size(); ++idx) {
    std::size_t first = idx >= half ? idx - half : 0;
    std::size_t last = std::min(points.size() - 1, idx + half);
    smoothed.push_back({points[idx].x, (prefix[last + 1] - prefix[first]) /
                                           static_cast<double>(last - first + 1)});
  }
  return smoothed;
}

std::string GapsSvg(const model::Scenario& scenario, const session::Trace& trace,
                    const std::string& id) {
  const std::vector<session::GapSample>& gaps = trace.result.gaps;
  if (gaps.empty()) return "";
  constexpr std::size_t kMaxIssues = 8;
  const std::vector<std::size_t> shown = GapIssuesShown(scenario, gaps, kMaxIssues);
  const std::size_t window = GapSmoothingWindow(gaps.size());
  const bool long_session = window > 1;
  ChartOptions options;
  options.id = id;
  options.title = "Are the gaps narrowing? Gap per issue between the principals' latest offers";
  options.subtitle = "0 = same option, 1 = each party's best against its worst";
  if (shown.size() < scenario.issues.size()) {
    options.subtitle += "; the " + std::to_string(shown.size()) + " of " +
                        std::to_string(scenario.issues.size()) +
                        " issues with the largest first gap are drawn, the overall gap covers all";
  }
  if (long_session) {
    options.subtitle += "; " + std::to_string(gaps.size()) +
                        " rounds with offers: issues faint, the overall gap as a moving average "
                        "over " +
                        std::to_string(window) + " of them";
  }
  options.description = "The gap on each issue and overall, by round, from the session's trace.";
  options.x_label = "Round";
  options.integer_x = true;
  options.y_label = "Gap";
  options.width = 800;
  options.legend_width = 262;
  std::vector<std::string> legend_labels = {long_session ? "overall, moving average of " +
                                                               std::to_string(window) + " rounds"
                                                         : "overall (weighted by issue weights)"};
  if (long_session) legend_labels.push_back("overall, round by round");
  for (std::size_t issue_idx : shown)
    legend_labels.push_back(scenario.issues[issue_idx].DisplayName());
  options.height = std::max(380.0, LegendHeight(legend_labels, options.legend_width) + 130);
  double first_round = gaps.front().round + 1;
  double last_round = std::max<double>(gaps.back().round + 1, first_round + 1);
  Chart chart(options, Domain{first_round, last_round}, Domain{0, 1});

  for (std::size_t issue_idx : shown) {
    const model::Issue& issue = scenario.issues[issue_idx];
    Style style(svg::SeriesColor(issue_idx), long_session ? 1 : 1.5, svg::SeriesDash(issue_idx),
                "none", long_session ? 0.3 : 0.8);
    std::vector<Point> points = GapCurve(
        gaps, [&](const session::GapSample& sample) { return sample.issue_gaps[issue_idx]; });
    chart.Path(points, style,
               Tag("gap", {{"issue", issue.id}},
                   issue.DisplayName() + ": " + Fixed(points.front().y) + " in round " +
                       svg::Number(points.front().x) + ", " + Fixed(points.back().y) +
                       " in round " + svg::Number(points.back().x)));
    if (points.size() == 1) chart.Dots(points, 3, style.stroke, 1, Tag{});
  }
  Style overall("#000000", 3.4);
  Style overall_raw("#000000", 1.2, "", "none", 0.45);
  std::vector<Point> points =
      GapCurve(gaps, [](const session::GapSample& sample) { return sample.overall; });
  const std::string overall_tip = "Overall gap: " + Fixed(points.front().y) + " in round " +
                                  svg::Number(points.front().x) + ", " + Fixed(points.back().y) +
                                  " in round " + svg::Number(points.back().x);
  if (long_session) {
    chart.Path(points, overall_raw, Tag("gap overall-raw", {}, overall_tip));
    chart.Path(MovingAverage(points, window), overall,
               Tag("gap overall", {{"window", std::to_string(window)}},
                   "Overall gap, moving average over " + std::to_string(window) + " rounds"));
  } else {
    chart.Path(points, overall, Tag("gap overall", {}, overall_tip));
  }
  if (points.size() == 1) chart.Dots(points, 4, "#000000", 1, Tag{});
  chart.AddLegend(LegendEntry(LegendEntry::Kind::kLine, legend_labels.front(), overall));
  if (long_session)
    chart.AddLegend(LegendEntry(LegendEntry::Kind::kLine, legend_labels[1], overall_raw));
  for (std::size_t issue_idx : shown) {
    chart.AddLegend(
        LegendEntry(LegendEntry::Kind::kLine, scenario.issues[issue_idx].DisplayName(),
                    Style(svg::SeriesColor(issue_idx), 1.9, svg::SeriesDash(issue_idx))));
  }
  return chart.Render();
}

std::vector<std::string> GapSmallMultiplesSvg(const model::Scenario& scenario,
                                              const session::Trace& trace,
                                              const std::string& id_prefix) {
  const std::vector<session::GapSample>& gaps = trace.result.gaps;
  const std::size_t window = GapSmoothingWindow(gaps.size());
  if (window <= 1) return {};
  constexpr std::size_t kMaxIssues = 12;
  std::vector<std::string> charts;
  double first_round = gaps.front().round + 1;
  double last_round = std::max<double>(gaps.back().round + 1, first_round + 1);
  for (std::size_t issue_idx : GapIssuesShown(scenario, gaps, kMaxIssues)) {
    const model::Issue& issue = scenario.issues[issue_idx];
    ChartOptions options;
    options.id = id_prefix + std::to_string(issue_idx);
    options.title = issue.DisplayName();
    options.description =
        "The gap on " + issue.DisplayName() + " by round, and its moving average.";
    options.x_label = "Round";
    options.integer_x = true;
    options.width = 310;
    options.height = 190;
    options.margin_left = 40;
    options.margin_top = 34;
    options.margin_bottom = 40;
    options.max_ticks = 4;
    Chart chart(options, Domain{first_round, last_round}, Domain{0, 1});
    std::vector<Point> points = GapCurve(
        gaps, [&](const session::GapSample& sample) { return sample.issue_gaps[issue_idx]; });
    const std::string color = svg::SeriesColor(issue_idx);
    chart.Path(points, Style(color, 1, "", "none", 0.35),
               Tag("gap-issue-raw", {{"issue", issue.id}}));
    chart.Path(MovingAverage(points, window), Style(color, 2.4),
               Tag("gap-issue", {{"issue", issue.id}},
                   issue.DisplayName() + ": " + Fixed(points.front().y) + " in round " +
                       svg::Number(points.front().x) + ", " + Fixed(points.back().y) +
                       " in round " + svg::Number(points.back().x)));
    charts.push_back(chart.Render());
  }
  return charts;
}

std::string UtilityOverTimeSvg(const model::Scenario& scenario, const session::Trace& trace,
                               std::size_t party_idx, const std::string& id) {
  const std::string name = PartyLabel(scenario, party_idx);
  std::vector<PartyOffers> offers = OffersByParty(trace);
  double reservation = scenario.parties[party_idx].preferences->ReservationOrZero();
  Domain x{1, 2};
  Domain y{0, 1};
  Include(y, reservation);
  std::vector<std::vector<Point>> lines;
  for (const PartyOffers& party_offers : offers) {
    std::vector<Point> points;
    for (const session::TraceEvent* event : party_offers.offers) {
      points.push_back(
          {event->message.round + 1.0, EventUtility(scenario, trace, *event, party_idx)});
      Include(x, points.back().x);
      Include(y, points.back().y);
    }
    lines.push_back(std::move(points));
  }
  std::optional<Point> agreement;
  if (trace.result.agreement && trace.result.outcome) {
    agreement =
        Point{static_cast<double>(trace.result.rounds),
              scenario.parties[party_idx].preferences->utility->Evaluate(*trace.result.outcome)};
    Include(x, agreement->x);
    Include(y, agreement->y);
  }

  ChartOptions options;
  options.id = id;
  options.title = "How " + name + " values the offers made";
  options.subtitle = "Utility for " + name + " of each offer when it was made (undiscounted)";
  options.description = options.subtitle + ", one line per party making offers.";
  options.x_label = "Round";
  options.integer_x = true;
  options.y_label = "Utility of " + name;
  options.width = 800;
  options.legend_width = 262;
  options.height = 360;
  Chart chart(options, x, svg::NiceDomain(y));
  Style dashed(svg::kInk, 1.2, "5 4");
  chart.HorizontalLine(reservation, dashed,
                       Tag("reservation", {{"party", scenario.parties[party_idx].id}},
                           name + "'s reservation value: " + Fixed(reservation)));
  for (std::size_t series_idx = 0; series_idx < offers.size(); ++series_idx) {
    std::size_t sender = offers[series_idx].party_idx;
    const std::vector<Point>& points = lines[series_idx];
    bool principal = IsPrincipal(scenario, sender);
    Style style(PartyColor(sender), principal ? 2 : 1.4, principal ? "" : "4 3", "none", 0.9);
    chart.Path(
        points, style,
        Tag("utility-over-time",
            {{"party", scenario.parties[party_idx].id}, {"offerer", scenario.parties[sender].id}},
            name + "'s utility of the " + std::to_string(points.size()) + " offers by " +
                PartyLabel(scenario, sender) + ": " + Fixed(points.front().y) + " first, " +
                Fixed(points.back().y) + " last"));
    if (points.size() <= 400) chart.Dots(points, 2, style.stroke, 0.9, Tag{});
    chart.AddLegend(
        LegendEntry(LegendEntry::Kind::kLine, "offers by " + PartyLabel(scenario, sender), style));
  }
  chart.AddLegend(LegendEntry(LegendEntry::Kind::kLine,
                              "reservation value (" + Fixed(reservation) + ")", dashed));
  if (agreement) {
    chart.Marker(*agreement, Shape::kStar, 20, Style("#ffffff", 1.2, "", "#000000"),
                 Tag("agreement", {},
                     "Agreement in round " + std::to_string(trace.result.rounds) + ": " +
                         Fixed(agreement->y) + " for " + name));
    chart.AddLegend(LegendEntry(LegendEntry::Kind::kMarker, "agreement",
                                Style("none", 1, "", "#000000"), Shape::kStar));
  }
  return chart.Render();
}

std::string BoxPlotSvg(const std::string& title, const std::string& subtitle,
                       const std::string& x_label, const std::vector<BoxGroup>& groups,
                       const std::string& id, std::optional<Domain> domain) {
  Domain x{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  double widest_label = 60;
  for (const BoxGroup& group : groups) {
    for (double value : group.values) Include(x, value);
    widest_label = std::max(widest_label, svg::EstimateTextWidth(group.label, 12));
  }
  if (!std::isfinite(x.low)) x = Domain{0, 1};
  ChartOptions options;
  options.id = id;
  options.title = title;
  options.subtitle = subtitle;
  options.description = title + ": one box per row; " + subtitle;
  options.x_label = x_label;
  options.width = 800;
  options.margin_left = std::min(280.0, widest_label + 20);
  options.margin_right = 24;
  double rows = static_cast<double>(std::max<std::size_t>(1, groups.size()));
  options.height = 44 + 20 + 52 + rows * 34 + 10;
  Chart chart(options, domain ? *domain : svg::NiceDomain(x), Domain{0.4, rows + 0.6});
  std::vector<std::pair<double, std::string>> labels;
  for (std::size_t group_idx = 0; group_idx < groups.size(); ++group_idx) {
    const BoxGroup& group = groups[group_idx];
    double at = rows - static_cast<double>(group_idx);
    labels.emplace_back(at, group.label);
    if (group.values.empty()) continue;
    svg::BoxStats stats = svg::ComputeBoxStats(group.values);
    std::string tooltip = fmt::format(
        "{}: {} values; median {:.3f}, middle half {:.3f} to {:.3f}, mean {:.3f}, range {:.3f} "
        "to {:.3f}",
        group.label, stats.count, stats.median, stats.q1, stats.q3, stats.mean, stats.minimum,
        stats.maximum);
    chart.HorizontalBox(at, 0.55, stats, svg::SeriesColor(group_idx),
                        Tag("boxplot",
                            {{"group", group.label},
                             {"median", svg::Number(stats.median, 6)},
                             {"count", std::to_string(stats.count)}},
                            tooltip));
  }
  chart.SetYTickLabels(std::move(labels));
  return chart.Render();
}

std::string BarChartSvg(const std::string& title, const std::string& subtitle,
                        const std::string& x_label, const std::vector<Bar>& bars,
                        const std::string& id, Domain domain) {
  double widest_label = 60;
  for (const Bar& bar : bars) {
    widest_label = std::max(widest_label, svg::EstimateTextWidth(bar.label, 12));
  }
  ChartOptions options;
  options.id = id;
  options.title = title;
  options.subtitle = subtitle;
  options.description = title + ": one bar per row; " + subtitle;
  options.x_label = x_label;
  options.width = 800;
  options.margin_left = std::min(280.0, widest_label + 20);
  options.margin_right = 60;
  double rows = static_cast<double>(std::max<std::size_t>(1, bars.size()));
  options.height = 44 + 20 + 52 + rows * 30 + 10;
  Chart chart(options, domain, Domain{0.4, rows + 0.6});
  std::vector<std::pair<double, std::string>> labels;
  for (std::size_t bar_idx = 0; bar_idx < bars.size(); ++bar_idx) {
    const Bar& bar = bars[bar_idx];
    double at = rows - static_cast<double>(bar_idx);
    labels.emplace_back(at, bar.label);
    chart.Rect({domain.low, at - 0.3}, {bar.value, at + 0.3},
               Style(svg::SeriesColor(bar_idx), 1, "", svg::SeriesColor(bar_idx), 0.85),
               Tag("bar", {{"label", bar.label}, {"value", svg::Number(bar.value, 6)}},
                   bar.tooltip.empty() ? bar.label + ": " + Fixed(bar.value) : bar.tooltip));
    chart.Label({bar.value, at}, Fixed(bar.value), 6, 4, "start", Tag("bar-label"), 11);
  }
  chart.SetYTickLabels(std::move(labels));
  return chart.Render();
}

}  // namespace parley::report
