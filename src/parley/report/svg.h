// A small SVG chart builder for reports, so the library draws its own pictures without a plotting
// dependency: linear scales with readable ("nice") ticks, labelled axes, a title, a legend, a
// colour-blind-safe palette (Okabe & Ito 2008, "Color universal design"), and the marks reports
// need: paths, dots, markers, rectangles, reference lines, text, density cells and box plots.
//
// Marks are given in data coordinates; pixels are written with at most two decimals. Every piece
// of text is XML-escaped (scenario names may hold &, < or quotes). Each mark carries a CSS class
// saying what it is, optional data-* attributes and an optional tooltip (an SVG <title>, which
// browsers show on hover without any script). The plot group carries data-x-domain and
// data-y-domain ("low high") and its area is the rect of class "plot-area", so tests and scripts
// can map pixels back to data. The output is well-formed XML.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::report::svg {

// XML text and attribute escaping (&, <, >, ", '). Control characters other than tab and line
// breaks are dropped and bytes that are not UTF-8 become U+FFFD, so any input gives valid XML.
std::string Escape(std::string_view text);

// A number with at most `decimals` decimals, trailing zeros removed: 12.5, 3, -0.25.
std::string Number(double value, int decimals = 2);

// The Okabe-Ito palette: blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow,
// black. Series take the first six in turn (yellow is too light for lines on white and is kept for
// area fills such as the zone of agreement; black is kept for reference marks).
inline constexpr std::array<const char*, 8> kPalette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                        "#E69F00", "#56B4E9", "#F0E442", "#000000"};
const char* SeriesColor(std::size_t series_idx);
// Dash patterns paired with colours once the six series colours run out.
std::string SeriesDash(std::size_t series_idx);
inline constexpr const char* kInk = "#1a1a1a";    // text, axes, reference marks
inline constexpr const char* kMuted = "#6b6b6b";  // secondary text
inline constexpr const char* kGridColor = "#e6e6e6";
inline constexpr const char* kZoneColor = "#F0E442";  // zone of agreement (a light fill)
inline constexpr const char* kFontFamily =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

struct Point {
  double x = 0;
  double y = 0;
};

struct Domain {
  double low = 0;
  double high = 1;
};

// About `max_ticks` round values (multiples of 1, 2 or 5 times a power of ten) within the domain.
std::vector<double> NiceTicks(Domain domain, int max_ticks = 6);
// The domain widened to the nearest tick multiples outside it (and made non-empty).
Domain NiceDomain(Domain domain, int max_ticks = 6);
// Ticks at whole numbers only (rounds, counts): the step is at least 1, so a domain of [1, 2]
// gets 1 and 2 rather than 1, 1.2, 1.4 ...
std::vector<double> NiceIntegerTicks(Domain domain, int max_ticks = 6);
// A tick's label with as many decimals as the tick step needs.
std::string TickLabel(double value, Domain domain, int max_ticks = 6);

// Rough width of a text in pixels for the default sans-serif font (for layout, not exactness).
double EstimateTextWidth(std::string_view text, double font_size);
// Splits a text into lines no wider than `width` pixels, at spaces where possible.
std::vector<std::string> WrapText(std::string_view text, double width, double font_size);

enum class Shape { kCircle, kSquare, kDiamond, kTriangle, kStar, kCross };

struct Style {
  Style() = default;
  Style(std::string stroke_color, double width, std::string dash_pattern = {},
        std::string fill_color = "none", double mark_opacity = 1)
      : stroke(std::move(stroke_color)),
        stroke_width(width),
        dash(std::move(dash_pattern)),
        fill(std::move(fill_color)),
        opacity(mark_opacity) {}

  std::string stroke = "none";
  double stroke_width = 1;
  std::string dash;  // stroke-dasharray, e.g. "6 4"
  std::string fill = "none";
  double opacity = 1;  // of the whole mark
};

// What a mark is: its CSS class, data-* attributes (names without the "data-" prefix) and a
// tooltip.
struct Tag {
  Tag() = default;
  Tag(std::string mark_class, std::vector<std::pair<std::string, std::string>> data_attributes = {},
      std::string tooltip_text = {})
      : css_class(std::move(mark_class)),
        data(std::move(data_attributes)),
        tooltip(std::move(tooltip_text)) {}

  std::string css_class;
  std::vector<std::pair<std::string, std::string>> data;
  std::string tooltip;
};

struct LegendEntry {
  enum class Kind { kLine, kMarker, kLineAndMarker, kSwatch };
  LegendEntry(Kind entry_kind, std::string text, Style entry_style, Shape marker = Shape::kCircle,
              double marker_size = 9)
      : kind(entry_kind),
        label(std::move(text)),
        style(std::move(entry_style)),
        shape(marker),
        size(marker_size) {}
  Kind kind = Kind::kLine;
  std::string label;
  Style style;
  Shape shape = Shape::kCircle;
  double size = 9;  // of the marker, in pixels
};

// Tukey box-plot figures: quartiles by linear interpolation between order statistics, whiskers
// at the most extreme values within 1.5 interquartile ranges of the box, the rest outliers.
struct BoxStats {
  std::size_t count = 0;
  double minimum = 0;
  double q1 = 0;
  double median = 0;
  double q3 = 0;
  double maximum = 0;
  double low_whisker = 0;
  double high_whisker = 0;
  double mean = 0;
  std::vector<double> outliers;
};
// Requires at least one value; non-finite values are ignored (count says how many were used).
BoxStats ComputeBoxStats(std::vector<double> values);

// A density cell in data coordinates with an intensity in [0, 1].
struct Cell {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double intensity = 0;
};

struct ChartOptions {
  std::string id;  // unique within a page: prefixes the ids of the title and clip path
  std::string title;
  std::string subtitle;     // a muted line under the title (what is drawn, how it was sampled)
  std::string description;  // read by screen readers (<desc>)
  std::string x_label;
  std::string y_label;
  double width = 640;
  double height = 420;
  double margin_left = 64;
  double margin_right = 16;
  double margin_top = 44;
  double margin_bottom = 52;
  double legend_width = 0;  // a legend column at the right, inside `width`
  int max_ticks = 6;
  bool grid = true;
  bool integer_x = false;  // x ticks at whole numbers only (NiceIntegerTicks)
};

class Chart {
 public:
  Chart(ChartOptions options, Domain x, Domain y);

  // Pixel coordinates of data values.
  double X(double x) const;
  double Y(double y) const;
  const Domain& x_domain() const { return x_; }
  const Domain& y_domain() const { return y_; }

  // Category axes: labels at the given data positions instead of numeric ticks.
  void SetXTickLabels(std::vector<std::pair<double, std::string>> labels);
  void SetYTickLabels(std::vector<std::pair<double, std::string>> labels);

  // A polyline through the points, one "L" per point after the first "M".
  void Path(const std::vector<Point>& points, const Style& style, const Tag& tag);
  // Round dots (zero-length round-capped segments in one path): compact for thousands of points.
  void Dots(const std::vector<Point>& points, double radius, const std::string& color,
            double opacity, const Tag& tag);
  void Marker(Point at, Shape shape, double size, const Style& style, const Tag& tag);
  void Rect(Point corner, Point opposite, const Style& style, const Tag& tag);
  void HorizontalLine(double y, const Style& style, const Tag& tag);
  void VerticalLine(double x, const Style& style, const Tag& tag);
  // Text at a data point, shifted by (dx, dy) pixels; anchor is start, middle or end. Labels are
  // drawn above the marks and are not clipped to the plot area.
  void Label(Point at, std::string_view text, double dx, double dy, std::string_view anchor,
             const Tag& tag, double font_size = 11, const std::string& color = kInk);
  // Density cells drawn in `levels` opacity steps of one colour (one path per step).
  void Cells(const std::vector<Cell>& cells, const std::string& color, double max_opacity,
             const Tag& tag, int levels = 8);
  // A box plot at category position `at` on the y axis (values along x) of the given thickness
  // in data units.
  void HorizontalBox(double at, double thickness, const BoxStats& stats, const std::string& color,
                     const Tag& tag);
  void AddLegend(LegendEntry entry);
  // Raw SVG placed in the plot area (already escaped; for callers composing special marks).
  void Raw(std::string svg);

  // The whole chart as an <svg> element with an xmlns, usable inline in HTML or as a file.
  std::string Render() const;

 private:
  std::string RenderAxes() const;
  std::vector<std::pair<double, std::string>> XTicks() const;
  std::vector<std::pair<double, std::string>> YTicks() const;
  std::string RenderGrid(const std::vector<std::pair<double, std::string>>& x_ticks,
                         const std::vector<std::pair<double, std::string>>& y_ticks) const;
  std::string RenderXAxis(const std::vector<std::pair<double, std::string>>& x_ticks) const;
  std::string RenderYAxis(const std::vector<std::pair<double, std::string>>& y_ticks) const;
  std::string RenderLegend() const;
  double PlotLeft() const { return options_.margin_left; }
  double PlotRight() const {
    return options_.width - options_.legend_width - options_.margin_right;
  }
  double PlotTop() const;
  double PlotBottom() const { return options_.height - options_.margin_bottom; }

  ChartOptions options_;
  Domain x_;
  Domain y_;
  std::vector<std::string> title_lines_;
  std::vector<std::string> subtitle_lines_;
  std::vector<std::pair<double, std::string>> x_tick_labels_;
  std::vector<std::pair<double, std::string>> y_tick_labels_;
  bool x_categories_ = false;
  bool y_categories_ = false;
  std::vector<std::string> marks_;
  std::vector<std::string> labels_;
  std::vector<LegendEntry> legend_;
};

// Attributes for a style: stroke, stroke-width, stroke-dasharray, fill, opacity (leading space).
std::string StyleAttributes(const Style& style);
// The SVG element drawing a marker shape centred at a pixel position, `size` pixels across.
std::string ShapeElement(Shape shape, double cx, double cy, double size, const Style& style,
                         const Tag& tag);
// An element `<name` + tag attributes + `attributes` + (`<title>` child or `/>`).
std::string Element(std::string_view name, const Tag& tag, std::string_view attributes);

}  // namespace parley::report::svg
