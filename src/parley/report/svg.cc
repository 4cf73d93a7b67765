#include "parley/report/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace parley::report::svg {
namespace {

constexpr double kTitleFontSize = 15;
constexpr double kTitleLineHeight = 19;
constexpr double kFontSize = 12;
constexpr double kTickFontSize = 11;
constexpr double kLegendLineHeight = 15;
constexpr double kSubtitleLineHeight = 16;

// Length of a valid UTF-8 sequence starting at text[pos], or 0 when the bytes there are not one.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t pos) {
  auto byte = [&](std::size_t offset) -> unsigned {
    return pos + offset < text.size() ? static_cast<unsigned char>(text[pos + offset]) : 0u;
  };
  unsigned lead = byte(0);
  auto continuation = [&](std::size_t offset) { return (byte(offset) & 0xC0u) == 0x80u; };
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    unsigned second = byte(1);
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0 && second < 0xA0) return 0;   // overlong
    if (lead == 0xED && second >= 0xA0) return 0;  // surrogate
    if (lead == 0xEF && second == 0xBF && (byte(2) == 0xBE || byte(2) == 0xBF)) return 0;
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    unsigned second = byte(1);
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0 && second < 0x90) return 0;
    if (lead == 0xF4 && second >= 0x90) return 0;
    return 4;
  }
  return 0;
}

double NiceStep(Domain domain, int max_ticks) {
  double span = domain.high - domain.low;
  double raw = span / std::max(1, max_ticks);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double residual = raw / magnitude;
  double nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
  return nice * magnitude;
}

Domain Sanitize(Domain domain) {
  if (!std::isfinite(domain.low) || !std::isfinite(domain.high)) return Domain{0, 1};
  if (domain.high < domain.low) std::swap(domain.low, domain.high);
  double span = domain.high - domain.low;
  if (span < 1e-12 * std::max(1.0, std::abs(domain.high))) {
    double pad = std::max(0.5, std::abs(domain.high) * 0.1);
    domain.low -= pad;
    domain.high += pad;
  }
  return domain;
}

std::string Coordinates(double x, double y) { return Number(x) + " " + Number(y); }

std::string Attribute(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + Escape(value) + "\"";
}

std::string NumberAttribute(std::string_view name, double value) {
  return " " + std::string(name) + "=\"" + Number(value) + "\"";
}

std::string TextElement(double x, double y, std::string_view text, std::string_view anchor,
                        double font_size, std::string_view extra = {}) {
  std::string out = "<text" + NumberAttribute("x", x) + NumberAttribute("y", y);
  if (anchor != "start") out += Attribute("text-anchor", anchor);
  if (font_size != kFontSize) out += NumberAttribute("font-size", font_size);
  out += std::string(extra) + ">" + Escape(text) + "</text>";
  return out;
}

// Shortens a text to fit `width` pixels, ending it with an ellipsis.
std::string Truncate(std::string_view text, double width, double font_size) {
  if (EstimateTextWidth(text, font_size) <= width) return std::string(text);
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t length = Utf8SequenceLength(text, pos);
    if (length == 0) length = 1;
    std::string next = out + std::string(text.substr(pos, length));
    if (EstimateTextWidth(next + "\u2026", font_size) > width) break;
    out = next;
    pos += length;
  }
  return out + "\u2026";
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&#39;";
          break;
        default:
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += static_cast<char>(c);
      }
      ++pos;
      continue;
    }
    std::size_t length = Utf8SequenceLength(text, pos);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++pos;
      continue;
    }
    out.append(text.substr(pos, length));
    pos += length;
  }
  return out;
}

std::string Number(double value, int decimals) {
  if (!std::isfinite(value)) return "0";
  std::string out = fmt::format("{:.{}f}", value, decimals);
  if (out.find('.') != std::string::npos) {
    while (!out.empty() && out.back() == '0') out.pop_back();
    if (!out.empty() && out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

const char* SeriesColor(std::size_t series_idx) { return kPalette[series_idx % 6]; }

std::string SeriesDash(std::size_t series_idx) {
  static const std::array<const char*, 4> kDashes = {"", "6 3", "2 3", "8 3 2 3"};
  return kDashes[(series_idx / 6) % kDashes.size()];
}

std::vector<double> NiceTicks(Domain domain, int max_ticks) {
  domain = Sanitize(domain);
  double step = NiceStep(domain, max_ticks);
  double first = std::ceil(domain.low / step - 1e-9) * step;
  std::vector<double> ticks;
  for (int tick_idx = 0; tick_idx < 1000; ++tick_idx) {
    double value = first + tick_idx * step;
    if (value > domain.high + step * 1e-9) break;
    if (std::abs(value) < step * 1e-9) value = 0;
    ticks.push_back(value);
  }
  return ticks;
}

std::vector<double> NiceIntegerTicks(Domain domain, int max_ticks) {
  domain = Sanitize(domain);
  const double step = std::max(1.0, NiceStep(domain, max_ticks));
  std::vector<double> ticks;
  for (double value = std::ceil(domain.low / step - 1e-9) * step;
       value <= domain.high + 1e-9 && ticks.size() < 1000; value += step) {
    ticks.push_back(std::round(value));
  }
  return ticks;
}

Domain NiceDomain(Domain domain, int max_ticks) {
  domain = Sanitize(domain);
  double step = NiceStep(domain, max_ticks);
  // Rounding may land a hair inside the domain; the domain's own ends then stay.
  return Domain{std::min(domain.low, std::floor(domain.low / step + 1e-9) * step),
                std::max(domain.high, std::ceil(domain.high / step - 1e-9) * step)};
}

std::string TickLabel(double value, Domain domain, int max_ticks) {
  double step = NiceStep(Sanitize(domain), max_ticks);
  int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
  return Number(value, decimals);
}

double EstimateTextWidth(std::string_view text, double font_size) {
  // Advance widths (in em) close to DejaVu Sans, the widest common fallback, so text laid out
  // with them fits in any usual sans-serif font.
  double width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    std::size_t length = c < 0x80 ? 1 : std::max<std::size_t>(1, Utf8SequenceLength(text, pos));
    double em = 0.62;
    if (c < 0x80) {
      if (std::string_view("iljtfr.,;:'|!()[] ").find(static_cast<char>(c)) !=
          std::string_view::npos) {
        em = 0.36;
      } else if (std::string_view("mwMW@").find(static_cast<char>(c)) != std::string_view::npos) {
        em = 0.96;
      } else if (std::isupper(c)) {
        em = 0.72;
      }
    }
    width += em * font_size;
    pos += length;
  }
  return width;
}

std::vector<std::string> WrapText(std::string_view text, double width, double font_size) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t space = text.find(' ', pos);
    if (space == std::string_view::npos) space = text.size();
    std::string word(text.substr(pos, space - pos));
    pos = space + 1;
    if (word.empty()) continue;
    std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && EstimateTextWidth(candidate, font_size) > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (!line.empty()) lines.push_back(line);
  if (lines.empty()) lines.emplace_back();
  return lines;
}

BoxStats ComputeBoxStats(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(),
                              [](double value) { return !std::isfinite(value); }),
               values.end());
  BoxStats stats;
  stats.count = values.size();
  if (values.empty()) return stats;
  std::sort(values.begin(), values.end());
  auto quantile = [&](double fraction) {
    double position = fraction * static_cast<double>(values.size() - 1);
    std::size_t below = static_cast<std::size_t>(std::floor(position));
    std::size_t above = std::min(below + 1, values.size() - 1);
    double weight = position - static_cast<double>(below);
    return values[below] + weight * (values[above] - values[below]);
  };
  stats.minimum = values.front();
  stats.maximum = values.back();
  stats.q1 = quantile(0.25);
  stats.median = quantile(0.5);
  stats.q3 = quantile(0.75);
  stats.mean =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double reach = 1.5 * (stats.q3 - stats.q1);
  stats.low_whisker = stats.q1;
  stats.high_whisker = stats.q3;
  for (double value : values) {
    if (value < stats.q1 - reach || value > stats.q3 + reach) {
      stats.outliers.push_back(value);
    } else {
      stats.low_whisker = std::min(stats.low_whisker, value);
      stats.high_whisker = std::max(stats.high_whisker, value);
    }
  }
  return stats;
}

std::string StyleAttributes(const Style& style) {
  std::string out = Attribute("fill", style.fill);
  if (style.stroke != "none") {
    out += Attribute("stroke", style.stroke) + NumberAttribute("stroke-width", style.stroke_width);
    if (!style.dash.empty()) out += Attribute("stroke-dasharray", style.dash);
  }
  if (style.opacity < 1) out += NumberAttribute("opacity", style.opacity);
  return out;
}

std::string Element(std::string_view name, const Tag& tag, std::string_view attributes) {
  std::string out = "<" + std::string(name);
  if (!tag.css_class.empty()) out += Attribute("class", tag.css_class);
  for (const auto& [key, value] : tag.data) out += Attribute("data-" + key, value);
  out += attributes;
  if (tag.tooltip.empty()) return out + "/>";
  return out + "><title>" + Escape(tag.tooltip) + "</title></" + std::string(name) + ">";
}

std::string ShapeElement(Shape shape, double cx, double cy, double size, const Style& style,
                         const Tag& tag) {
  double r = size / 2;
  std::string attributes = StyleAttributes(style);
  auto path = [&](const std::vector<Point>& points) {
    std::string d;
    for (const Point& point : points) {
      d += (d.empty() ? "M" : " L") + Coordinates(cx + point.x, cy + point.y);
    }
    return Element("path", tag, Attribute("d", d + " Z") + attributes);
  };
  switch (shape) {
    case Shape::kCircle:
      return Element("circle", tag,
                     NumberAttribute("cx", cx) + NumberAttribute("cy", cy) +
                         NumberAttribute("r", r) + attributes);
    case Shape::kSquare: {
      double half = r * 0.85;
      return path({{-half, -half}, {half, -half}, {half, half}, {-half, half}});
    }
    case Shape::kDiamond:
      return path({{0, -r * 1.15}, {r, 0}, {0, r * 1.15}, {-r, 0}});
    case Shape::kTriangle:
      return path({{0, -r * 1.1}, {r, r * 0.75}, {-r, r * 0.75}});
    case Shape::kStar: {
      std::vector<Point> points;
      for (int vertex = 0; vertex < 10; ++vertex) {
        double radius = vertex % 2 == 0 ? r * 1.2 : r * 0.5;
        double angle = -M_PI / 2 + vertex * M_PI / 5;
        points.push_back({radius * std::cos(angle), radius * std::sin(angle)});
      }
      return path(points);
    }
    case Shape::kCross: {
      double a = r * 0.35;
      return path({{-r, -r + a},
                   {-r + a, -r},
                   {0, -a},
                   {r - a, -r},
                   {r, -r + a},
                   {a, 0},
                   {r, r - a},
                   {r - a, r},
                   {0, a},
                   {-r + a, r},
                   {-r, r - a},
                   {-a, 0}});
    }
  }
  return "";
}

Chart::Chart(ChartOptions options, Domain x, Domain y)
    : options_(std::move(options)), x_(Sanitize(x)), y_(Sanitize(y)) {
  double title_width = options_.width - options_.margin_left - 12;
  title_lines_ = WrapText(options_.title, title_width, kTitleFontSize);
  if (!options_.subtitle.empty()) {
    subtitle_lines_ = WrapText(options_.subtitle, title_width, kFontSize);
  }
}

double Chart::PlotTop() const {
  return options_.margin_top + (static_cast<double>(title_lines_.size()) - 1) * kTitleLineHeight +
         static_cast<double>(subtitle_lines_.size()) * kSubtitleLineHeight;
}

double Chart::X(double x) const {
  return PlotLeft() + (x - x_.low) / (x_.high - x_.low) * (PlotRight() - PlotLeft());
}

double Chart::Y(double y) const {
  return PlotBottom() - (y - y_.low) / (y_.high - y_.low) * (PlotBottom() - PlotTop());
}

void Chart::SetXTickLabels(std::vector<std::pair<double, std::string>> labels) {
  x_tick_labels_ = std::move(labels);
  x_categories_ = true;
}

void Chart::SetYTickLabels(std::vector<std::pair<double, std::string>> labels) {
  y_tick_labels_ = std::move(labels);
  y_categories_ = true;
}

void Chart::Path(const std::vector<Point>& points, const Style& style, const Tag& tag) {
  if (points.empty()) return;
  std::string d;
  d.reserve(points.size() * 14);
  for (const Point& point : points) {
    d += d.empty() ? "M" : " L";
    d += Coordinates(X(point.x), Y(point.y));
  }
  std::string attributes = Attribute("d", d) + StyleAttributes(style);
  attributes += Attribute("stroke-linejoin", "round");
  marks_.push_back(Element("path", tag, attributes));
}

void Chart::Dots(const std::vector<Point>& points, double radius, const std::string& color,
                 double opacity, const Tag& tag) {
  if (points.empty()) return;
  std::string d;
  d.reserve(points.size() * 16);
  for (const Point& point : points) {
    d += (d.empty() ? "M" : " M") + Coordinates(X(point.x), Y(point.y)) + "h0";
  }
  std::string attributes =
      Attribute("d", d) + Attribute("fill", "none") + Attribute("stroke", color) +
      NumberAttribute("stroke-width", 2 * radius) + Attribute("stroke-linecap", "round");
  if (opacity < 1) attributes += NumberAttribute("stroke-opacity", opacity);
  marks_.push_back(Element("path", tag, attributes));
}

void Chart::Marker(Point at, Shape shape, double size, const Style& style, const Tag& tag) {
  marks_.push_back(ShapeElement(shape, X(at.x), Y(at.y), size, style, tag));
}

void Chart::Rect(Point corner, Point opposite, const Style& style, const Tag& tag) {
  double x0 = std::min(X(corner.x), X(opposite.x));
  double x1 = std::max(X(corner.x), X(opposite.x));
  double y0 = std::min(Y(corner.y), Y(opposite.y));
  double y1 = std::max(Y(corner.y), Y(opposite.y));
  marks_.push_back(Element("rect", tag,
                           NumberAttribute("x", x0) + NumberAttribute("y", y0) +
                               NumberAttribute("width", x1 - x0) +
                               NumberAttribute("height", y1 - y0) + StyleAttributes(style)));
}

void Chart::HorizontalLine(double y, const Style& style, const Tag& tag) {
  marks_.push_back(Element("line", tag,
                           NumberAttribute("x1", PlotLeft()) + NumberAttribute("x2", PlotRight()) +
                               NumberAttribute("y1", Y(y)) + NumberAttribute("y2", Y(y)) +
                               StyleAttributes(style)));
}

void Chart::VerticalLine(double x, const Style& style, const Tag& tag) {
  marks_.push_back(Element("line", tag,
                           NumberAttribute("x1", X(x)) + NumberAttribute("x2", X(x)) +
                               NumberAttribute("y1", PlotTop()) +
                               NumberAttribute("y2", PlotBottom()) + StyleAttributes(style)));
}

void Chart::Label(Point at, std::string_view text, double dx, double dy, std::string_view anchor,
                  const Tag& tag, double font_size, const std::string& color) {
  std::string out = "<text";
  if (!tag.css_class.empty()) out += Attribute("class", tag.css_class);
  for (const auto& [key, value] : tag.data) out += Attribute("data-" + key, value);
  out += NumberAttribute("x", X(at.x) + dx) + NumberAttribute("y", Y(at.y) + dy);
  if (anchor != "start") out += Attribute("text-anchor", anchor);
  out += NumberAttribute("font-size", font_size) + Attribute("fill", color);
  // A white halo keeps labels readable over dots and lines.
  out += Attribute("stroke", "#ffffff") + NumberAttribute("stroke-width", 3) +
         Attribute("paint-order", "stroke") + Attribute("stroke-linejoin", "round");
  out += ">" + Escape(text) + "</text>";
  labels_.push_back(std::move(out));
}

void Chart::Cells(const std::vector<Cell>& cells, const std::string& color, double max_opacity,
                  const Tag& tag, int levels) {
  std::vector<std::string> paths(static_cast<std::size_t>(levels));
  for (const Cell& cell : cells) {
    if (!(cell.intensity > 0)) continue;
    int level = std::clamp(static_cast<int>(std::ceil(cell.intensity * levels)), 1, levels);
    std::string& d = paths[static_cast<std::size_t>(level - 1)];
    double x0 = X(cell.x0);
    double x1 = X(cell.x1);
    double y0 = Y(cell.y0);
    double y1 = Y(cell.y1);
    d += (d.empty() ? "M" : " M") + Coordinates(x0, y0) + "H" + Number(x1) + "V" + Number(y1) +
         "H" + Number(x0) + "Z";
  }
  std::string out = "<g";
  if (!tag.css_class.empty()) out += Attribute("class", tag.css_class);
  for (const auto& [key, value] : tag.data) out += Attribute("data-" + key, value);
  out += Attribute("fill", color) + Attribute("shape-rendering", "crispEdges") + ">";
  if (!tag.tooltip.empty()) out += "<title>" + Escape(tag.tooltip) + "</title>";
  for (int level = 1; level <= levels; ++level) {
    const std::string& d = paths[static_cast<std::size_t>(level - 1)];
    if (d.empty()) continue;
    double opacity = max_opacity * (0.15 + 0.85 * level / levels);
    out += "<path" + Attribute("d", d) + NumberAttribute("fill-opacity", opacity) + "/>";
  }
  out += "</g>";
  marks_.push_back(std::move(out));
}

void Chart::HorizontalBox(double at, double thickness, const BoxStats& stats,
                          const std::string& color, const Tag& tag) {
  if (stats.count == 0) return;
  double y = Y(at);
  double half = std::abs(Y(at + thickness / 2) - y);
  std::string out = "<g";
  if (!tag.css_class.empty()) out += Attribute("class", tag.css_class);
  for (const auto& [key, value] : tag.data) out += Attribute("data-" + key, value);
  out += ">";
  if (!tag.tooltip.empty()) out += "<title>" + Escape(tag.tooltip) + "</title>";
  Style whisker(color, 1.5);
  auto line = [&](std::string_view css_class, double x1, double y1, double x2, double y2,
                  const Style& style) {
    out +=
        Element("line", Tag(std::string(css_class)),
                NumberAttribute("x1", x1) + NumberAttribute("y1", y1) + NumberAttribute("x2", x2) +
                    NumberAttribute("y2", y2) + StyleAttributes(style));
  };
  line("whisker", X(stats.low_whisker), y, X(stats.q1), y, whisker);
  line("whisker", X(stats.q3), y, X(stats.high_whisker), y, whisker);
  line("whisker-cap", X(stats.low_whisker), y - half / 2, X(stats.low_whisker), y + half / 2,
       whisker);
  line("whisker-cap", X(stats.high_whisker), y - half / 2, X(stats.high_whisker), y + half / 2,
       whisker);
  double box_width = std::max(1.0, X(stats.q3) - X(stats.q1));
  out += Element("rect", Tag("box"),
                 NumberAttribute("x", X(stats.q1)) + NumberAttribute("y", y - half) +
                     NumberAttribute("width", box_width) + NumberAttribute("height", 2 * half) +
                     Attribute("fill", color) + NumberAttribute("fill-opacity", 0.28) +
                     Attribute("stroke", color) + NumberAttribute("stroke-width", 1.5));
  line("median", X(stats.median), y - half, X(stats.median), y + half, Style(kInk, 2.5));
  out += ShapeElement(Shape::kDiamond, X(stats.mean), y, 7, Style(kInk, 1, "", "#ffffff"),
                      Tag("mean"));
  for (double outlier : stats.outliers) {
    out +=
        ShapeElement(Shape::kCircle, X(outlier), y, 5, Style(color, 1, "", "none"), Tag("outlier"));
  }
  out += "</g>";
  marks_.push_back(std::move(out));
}

void Chart::AddLegend(LegendEntry entry) { legend_.push_back(std::move(entry)); }

void Chart::Raw(std::string svg) { marks_.push_back(std::move(svg)); }

std::vector<std::pair<double, std::string>> Chart::XTicks() const {
  std::vector<std::pair<double, std::string>> ticks = x_tick_labels_;
  if (!x_categories_ && options_.integer_x) {
    for (double tick : NiceIntegerTicks(x_, options_.max_ticks)) {
      ticks.emplace_back(tick, Number(tick, 0));
    }
  } else if (!x_categories_) {
    for (double tick : NiceTicks(x_, options_.max_ticks)) {
      ticks.emplace_back(tick, TickLabel(tick, x_, options_.max_ticks));
    }
  }
  return ticks;
}

std::vector<std::pair<double, std::string>> Chart::YTicks() const {
  std::vector<std::pair<double, std::string>> ticks = y_tick_labels_;
  if (!y_categories_) {
    for (double tick : NiceTicks(y_, options_.max_ticks)) {
      ticks.emplace_back(tick, TickLabel(tick, y_, options_.max_ticks));
    }
  }
  return ticks;
}

std::string Chart::RenderGrid(const std::vector<std::pair<double, std::string>>& x_ticks,
                              const std::vector<std::pair<double, std::string>>& y_ticks) const {
  const double left = PlotLeft();
  const double right = PlotRight();
  const double top = PlotTop();
  const double bottom = PlotBottom();
  std::string out;
  out += "<g class=\"grid\"" + Attribute("stroke", kGridColor) +
         NumberAttribute("stroke-width", 1) + ">";
  if (!x_categories_) {
    for (const auto& [tick, label] : x_ticks) {
      out += "<line" + NumberAttribute("x1", X(tick)) + NumberAttribute("x2", X(tick)) +
             NumberAttribute("y1", top) + NumberAttribute("y2", bottom) + "/>";
    }
  }
  if (!y_categories_) {
    for (const auto& [tick, label] : y_ticks) {
      out += "<line" + NumberAttribute("x1", left) + NumberAttribute("x2", right) +
             NumberAttribute("y1", Y(tick)) + NumberAttribute("y2", Y(tick)) + "/>";
    }
  }
  out += "</g>";
  return out;
}

// X axis: line, ticks, labels, title.
std::string Chart::RenderXAxis(const std::vector<std::pair<double, std::string>>& x_ticks) const {
  const double left = PlotLeft();
  const double right = PlotRight();
  const double bottom = PlotBottom();
  std::string out;
  out += "<g class=\"axis x-axis\"" + Attribute("fill", kInk) + ">";
  out += "<line" + NumberAttribute("x1", left) + NumberAttribute("x2", right) +
         NumberAttribute("y1", bottom) + NumberAttribute("y2", bottom) + Attribute("stroke", kInk) +
         "/>";
  for (const auto& [tick, label] : x_ticks) {
    double x = X(tick);
    out += "<line" + NumberAttribute("x1", x) + NumberAttribute("x2", x) +
           NumberAttribute("y1", bottom) + NumberAttribute("y2", bottom + 5) +
           Attribute("stroke", kInk) + "/>";
    out += TextElement(x, bottom + 18, label, "middle", kTickFontSize,
                       Attribute("class", "tick-label"));
  }
  if (!options_.x_label.empty()) {
    out += TextElement((left + right) / 2, bottom + 40, options_.x_label, "middle", kFontSize,
                       Attribute("class", "axis-label") + Attribute("font-weight", "600"));
  }
  out += "</g>";
  return out;
}

std::string Chart::RenderYAxis(const std::vector<std::pair<double, std::string>>& y_ticks) const {
  const double left = PlotLeft();
  const double top = PlotTop();
  const double bottom = PlotBottom();
  std::string out;
  out += "<g class=\"axis y-axis\"" + Attribute("fill", kInk) + ">";
  out += "<line" + NumberAttribute("x1", left) + NumberAttribute("x2", left) +
         NumberAttribute("y1", top) + NumberAttribute("y2", bottom) + Attribute("stroke", kInk) +
         "/>";
  for (const auto& [tick, label] : y_ticks) {
    double y = Y(tick);
    out += "<line" + NumberAttribute("x1", left - 5) + NumberAttribute("x2", left) +
           NumberAttribute("y1", y) + NumberAttribute("y2", y) + Attribute("stroke", kInk) + "/>";
    std::string shown = y_categories_ ? Truncate(label, left - 14, kFontSize) : label;
    std::string extra = Attribute("class", "tick-label") + Attribute("dominant-baseline", "middle");
    if (shown != label) {
      out += "<text" + NumberAttribute("x", left - 9) + NumberAttribute("y", y) +
             Attribute("text-anchor", "end") + extra + "><title>" + Escape(label) + "</title>" +
             Escape(shown) + "</text>";
    } else {
      out +=
          TextElement(left - 9, y, shown, "end", y_categories_ ? kFontSize : kTickFontSize, extra);
    }
  }
  if (!options_.y_label.empty()) {
    double x = 16;
    double y = (top + bottom) / 2;
    out += TextElement(x, y, options_.y_label, "middle", kFontSize,
                       Attribute("class", "axis-label") + Attribute("font-weight", "600") +
                           Attribute("transform", "rotate(-90 " + Coordinates(x, y) + ")"));
  }
  out += "</g>";
  return out;
}

std::string Chart::RenderAxes() const {
  const std::vector<std::pair<double, std::string>> x_ticks = XTicks();
  const std::vector<std::pair<double, std::string>> y_ticks = YTicks();
  std::string out;
  if (options_.grid) out += RenderGrid(x_ticks, y_ticks);
  out += RenderXAxis(x_ticks);
  out += RenderYAxis(y_ticks);
  return out;
}

std::string Chart::RenderLegend() const {
  if (legend_.empty()) return "";
  double x = options_.width - options_.legend_width + 4;
  double label_width = std::max(40.0, options_.legend_width - 46);
  double y = PlotTop() + 6;
  std::string out = "<g class=\"legend\"" + Attribute("fill", kInk) + ">";
  for (const LegendEntry& entry : legend_) {
    std::vector<std::string> lines = WrapText(entry.label, label_width, kFontSize);
    out += "<g class=\"legend-entry\">";
    double cy = y;
    Style style = entry.style;
    if (entry.kind == LegendEntry::Kind::kLine || entry.kind == LegendEntry::Kind::kLineAndMarker) {
      Style line = style;
      line.fill = "none";
      out += "<line" + NumberAttribute("x1", x) + NumberAttribute("x2", x + 26) +
             NumberAttribute("y1", cy) + NumberAttribute("y2", cy) + StyleAttributes(line) + "/>";
    }
    if (entry.kind == LegendEntry::Kind::kMarker ||
        entry.kind == LegendEntry::Kind::kLineAndMarker) {
      Style marker = style;
      marker.dash.clear();
      if (entry.kind == LegendEntry::Kind::kLineAndMarker && marker.fill == "none") {
        marker.fill = marker.stroke;
      }
      out += ShapeElement(entry.shape, x + 13, cy, entry.size, marker, Tag{});
    }
    if (entry.kind == LegendEntry::Kind::kSwatch) {
      out += "<rect" + NumberAttribute("x", x + 4) + NumberAttribute("y", cy - 6) +
             NumberAttribute("width", 18) + NumberAttribute("height", 12) + StyleAttributes(style) +
             "/>";
    }
    for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
      out += TextElement(x + 34, cy + 4 + static_cast<double>(line_idx) * kLegendLineHeight,
                         lines[line_idx], "start", kFontSize);
    }
    out += "</g>";
    y += static_cast<double>(lines.size()) * kLegendLineHeight + 7;
  }
  out += "</g>";
  return out;
}

std::string Chart::Render() const {
  const std::string& id = options_.id;
  double width = options_.width;
  double height = options_.height;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\"" +
                    Attribute("viewBox", "0 0 " + Number(width) + " " + Number(height)) +
                    NumberAttribute("width", width) + NumberAttribute("height", height) +
                    Attribute("role", "img") + Attribute("class", "chart") + Attribute("id", id) +
                    Attribute("aria-labelledby", id + "-title " + id + "-desc") +
                    Attribute("font-family", kFontFamily) +
                    NumberAttribute("font-size", kFontSize) + ">";
  out += "<title" + Attribute("id", id + "-title") + ">" + Escape(options_.title) + "</title>";
  out += "<desc" + Attribute("id", id + "-desc") + ">" + Escape(options_.description) + "</desc>";
  out += "<rect class=\"background\"" + NumberAttribute("width", width) +
         NumberAttribute("height", height) + Attribute("fill", "#ffffff") + "/>";
  out += "<text class=\"chart-title\"" + NumberAttribute("x", options_.margin_left) +
         NumberAttribute("y", 22) + NumberAttribute("font-size", kTitleFontSize) +
         Attribute("font-weight", "600") + Attribute("fill", kInk) + ">";
  for (std::size_t line_idx = 0; line_idx < title_lines_.size(); ++line_idx) {
    out += "<tspan" + NumberAttribute("x", options_.margin_left) +
           NumberAttribute("dy", line_idx == 0 ? 0 : kTitleLineHeight) + ">" +
           Escape(title_lines_[line_idx]) + "</tspan>";
  }
  out += "</text>";
  if (!subtitle_lines_.empty()) {
    double y = 22 + (static_cast<double>(title_lines_.size()) - 1) * kTitleLineHeight + 18;
    out += "<text class=\"chart-subtitle\"" + NumberAttribute("x", options_.margin_left) +
           NumberAttribute("y", y) + Attribute("fill", kMuted) + ">";
    for (std::size_t line_idx = 0; line_idx < subtitle_lines_.size(); ++line_idx) {
      out += "<tspan" + NumberAttribute("x", options_.margin_left) +
             NumberAttribute("dy", line_idx == 0 ? 0 : kSubtitleLineHeight) + ">" +
             Escape(subtitle_lines_[line_idx]) + "</tspan>";
    }
    out += "</text>";
  }
  double left = PlotLeft();
  double top = PlotTop();
  double plot_width = PlotRight() - left;
  double plot_height = PlotBottom() - top;
  constexpr double kClipPad = 7;
  out += "<defs><clipPath" + Attribute("id", id + "-clip") + "><rect" +
         NumberAttribute("x", left - kClipPad) + NumberAttribute("y", top - kClipPad) +
         NumberAttribute("width", plot_width + 2 * kClipPad) +
         NumberAttribute("height", plot_height + 2 * kClipPad) + "/></clipPath></defs>";
  out += RenderAxes();
  out += "<g class=\"plot\"" +
         Attribute("data-x-domain", Number(x_.low, 6) + " " + Number(x_.high, 6)) +
         Attribute("data-y-domain", Number(y_.low, 6) + " " + Number(y_.high, 6)) +
         Attribute("clip-path", "url(#" + id + "-clip)") + ">";
  out += "<rect class=\"plot-area\"" + NumberAttribute("x", left) + NumberAttribute("y", top) +
         NumberAttribute("width", plot_width) + NumberAttribute("height", plot_height) +
         Attribute("fill", "none") + "/>";
  for (const std::string& mark : marks_) out += mark;
  out += "</g>";
  if (!labels_.empty()) {
    out += "<g class=\"labels\">";
    for (const std::string& label : labels_) out += label;
    out += "</g>";
  }
  out += RenderLegend();
  out += "</svg>";
  return out;
}

}  // namespace parley::report::svg
