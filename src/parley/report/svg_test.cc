#include "parley/report/svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <pugixml.hpp>
#include <sstream>

namespace parley::report::svg {
namespace {

// The text an XML parser reads back from an escaped string.
std::string ParseBack(const std::string& escaped) {
  pugi::xml_document document;
  std::string xml = "<a b=\"" + escaped + "\">" + escaped + "</a>";
  pugi::xml_parse_result parsed = document.load_string(xml.c_str());
  EXPECT_TRUE(parsed) << parsed.description() << " in " << xml;
  std::string text = document.child("a").child_value();
  EXPECT_EQ(text, document.child("a").attribute("b").value());
  return text;
}

TEST(SvgEscapeTest, MarkupCharactersReadBackAsWritten) {
  std::string text = "Tom & Jerry <b>\"quoted\"</b> 'single' > end";
  std::string escaped = Escape(text);
  EXPECT_EQ(escaped.find('<'), std::string::npos);
  EXPECT_EQ(escaped.find('"'), std::string::npos);
  EXPECT_EQ(escaped.find('\''), std::string::npos);
  EXPECT_EQ(ParseBack(escaped), text);
}

TEST(SvgEscapeTest, KeepsUtf8AndReplacesWhatIsNotUtf8) {
  EXPECT_EQ(ParseBack(Escape("Qu\xC3\xA9"
                             "bec \xE2\x80\x94 \xF0\x9F\x98\x80")),
            "Qu\xC3\xA9"
            "bec \xE2\x80\x94 \xF0\x9F\x98\x80");
  // A lone continuation byte, a truncated sequence, an overlong form and a surrogate.
  EXPECT_EQ(Escape("a\x80"
                   "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Escape("a\xE2\x80"), "a\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Escape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Escape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(SvgEscapeTest, DropsControlCharactersXmlForbids) {
  std::string text = std::string("a\x01") + "b\x1F" + "c\td\ne";
  EXPECT_EQ(Escape(text), "abc\td\ne");
  pugi::xml_document document;
  ASSERT_TRUE(document.load_string(("<a>" + Escape(text) + "</a>").c_str()));
  EXPECT_STREQ(document.child("a").child_value(), "abc\td\ne");
}

TEST(SvgNumberTest, ShortestWithAtMostTheDecimalsAsked) {
  EXPECT_EQ(Number(12.5), "12.5");
  EXPECT_EQ(Number(3.0), "3");
  EXPECT_EQ(Number(-0.0001), "0");
  EXPECT_EQ(Number(0.126, 2), "0.13");
  EXPECT_EQ(Number(1.23456789, 6), "1.234568");
  EXPECT_EQ(Number(std::nan("")), "0");
}

TEST(SvgTicksTest, RoundValuesCoveringTheDomain) {
  std::vector<double> ticks = NiceTicks(Domain{0, 1}, 6);
  ASSERT_EQ(ticks.size(), 6u);
  for (std::size_t tick_idx = 0; tick_idx < ticks.size(); ++tick_idx) {
    EXPECT_NEAR(ticks[tick_idx], 0.2 * static_cast<double>(tick_idx), 1e-12);
  }
  for (Domain domain : {Domain{0, 7}, Domain{-3.3, 12.1}, Domain{1, 200}, Domain{0.41, 0.43}}) {
    std::vector<double> found = NiceTicks(domain, 6);
    ASSERT_GE(found.size(), 2u) << domain.low << " " << domain.high;
    EXPECT_LE(found.size(), 13u);
    double step = found[1] - found[0];
    for (std::size_t tick_idx = 0; tick_idx < found.size(); ++tick_idx) {
      EXPECT_GE(found[tick_idx], domain.low - 1e-9);
      EXPECT_LE(found[tick_idx], domain.high + 1e-9);
      if (tick_idx > 0) {
        EXPECT_NEAR(found[tick_idx] - found[tick_idx - 1], step, step * 1e-6);
      }
    }
    // The step is 1, 2 or 5 times a power of ten.
    double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 ||
                std::abs(mantissa - 5) < 1e-6)
        << step;
    Domain nice = NiceDomain(domain, 6);
    EXPECT_LE(nice.low, domain.low);
    EXPECT_GE(nice.high, domain.high);
  }
  // A point domain is widened rather than dividing by zero.
  EXPECT_GE(NiceTicks(Domain{2, 2}).size(), 2u);
  EXPECT_EQ(TickLabel(0.4, Domain{0, 1}), "0.4");
  EXPECT_EQ(TickLabel(150, Domain{0, 200}), "150");
}

TEST(SvgBoxStatsTest, TukeyQuartilesWhiskersAndOutliers) {
  BoxStats stats = ComputeBoxStats({4, 1, 3, 2, 100, std::nan("")});
  EXPECT_EQ(stats.count, 5u);
  EXPECT_DOUBLE_EQ(stats.q1, 2);
  EXPECT_DOUBLE_EQ(stats.median, 3);
  EXPECT_DOUBLE_EQ(stats.q3, 4);
  EXPECT_DOUBLE_EQ(stats.low_whisker, 1);
  EXPECT_DOUBLE_EQ(stats.high_whisker, 4);
  ASSERT_EQ(stats.outliers.size(), 1u);
  EXPECT_DOUBLE_EQ(stats.outliers[0], 100);
  EXPECT_DOUBLE_EQ(stats.mean, 22);
  BoxStats even = ComputeBoxStats({1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(even.median, 2.5);
  EXPECT_DOUBLE_EQ(even.q1, 1.75);
  EXPECT_EQ(ComputeBoxStats({}).count, 0u);
}

TEST(SvgWrapTest, LinesFitTheWidthAndKeepEveryWord) {
  std::string text = "the zone where both parties do at least as well as without agreement";
  std::vector<std::string> lines = WrapText(text, 120, 12);
  EXPECT_GT(lines.size(), 1u);
  std::string joined;
  for (const std::string& line : lines) {
    EXPECT_LE(EstimateTextWidth(line, 12), 120) << line;
    joined += (joined.empty() ? "" : " ") + line;
  }
  EXPECT_EQ(joined, text);
}

std::vector<std::pair<double, double>> PathVertices(const std::string& d) {
  std::vector<std::pair<double, double>> vertices;
  std::istringstream in(d);
  std::string command;
  double x = 0;
  double y = 0;
  while (in >> command) {
    if (command.size() > 1) {  // "M12.5" form: the command letter glued to the number
      x = std::stod(command.substr(1));
    } else {
      in >> x;
    }
    in >> y;
    vertices.emplace_back(x, y);
  }
  return vertices;
}

TEST(SvgChartTest, RendersWellFormedSvgWithTitleAxesLegendAndMarksInDataCoordinates) {
  ChartOptions options;
  options.id = "test-chart";
  options.title = "Gains & losses <\"quoted\">";
  options.x_label = "Round";
  options.y_label = "Utility of A&B";
  options.legend_width = 200;
  Chart chart(options, Domain{0, 10}, Domain{0, 1});
  std::vector<Point> points = {{0, 0}, {2.5, 0.5}, {10, 1}};
  chart.Path(points, Style("#0072B2", 2), Tag("series", {{"party", "a&b"}}, "tip <3"));
  chart.Marker({5, 0.25}, Shape::kDiamond, 12, Style("#000000", 1, "", "#ffffff"), Tag("nash"));
  chart.AddLegend(LegendEntry(LegendEntry::Kind::kLine, "series & more", Style("#0072B2", 2)));
  std::string text = chart.Render();

  pugi::xml_document document;
  ASSERT_TRUE(document.load_string(text.c_str())) << text;
  pugi::xml_node svg = document.child("svg");
  ASSERT_TRUE(svg);
  EXPECT_STREQ(svg.attribute("xmlns").value(), "http://www.w3.org/2000/svg");
  EXPECT_EQ(std::string(svg.child("title").child_value()), options.title);
  auto axis_label = [&](const char* axis) {
    return std::string(svg.find_node([&](pugi::xml_node node) {
                            return std::string(node.attribute("class").value()) ==
                                   std::string("axis ") + axis;
                          })
                           .find_child_by_attribute("text", "class", "axis-label")
                           .child_value());
  };
  EXPECT_EQ(axis_label("x-axis"), "Round");
  EXPECT_EQ(axis_label("y-axis"), "Utility of A&B");
  pugi::xml_node legend = svg.find_child_by_attribute("g", "class", "legend");
  ASSERT_TRUE(legend);
  EXPECT_NE(std::string(legend.first_child().last_child().child_value()).find("series & more"),
            std::string::npos);

  pugi::xml_node plot = svg.find_child_by_attribute("g", "class", "plot");
  ASSERT_TRUE(plot);
  EXPECT_STREQ(plot.attribute("data-x-domain").value(), "0 10");
  pugi::xml_node area = plot.find_child_by_attribute("rect", "class", "plot-area");
  double left = area.attribute("x").as_double();
  double top = area.attribute("y").as_double();
  double width = area.attribute("width").as_double();
  double height = area.attribute("height").as_double();
  pugi::xml_node series = plot.find_child_by_attribute("path", "class", "series");
  ASSERT_TRUE(series);
  EXPECT_STREQ(series.attribute("data-party").value(), "a&b");
  EXPECT_STREQ(series.child("title").child_value(), "tip <3");
  auto vertices = PathVertices(series.attribute("d").value());
  ASSERT_EQ(vertices.size(), points.size());
  for (std::size_t point_idx = 0; point_idx < points.size(); ++point_idx) {
    EXPECT_NEAR(vertices[point_idx].first, left + points[point_idx].x / 10 * width, 0.02);
    EXPECT_NEAR(vertices[point_idx].second, top + height - points[point_idx].y * height, 0.02);
  }
  EXPECT_TRUE(plot.find_child_by_attribute("path", "class", "nash"));
}

TEST(SvgChartTest, CellsAndBoxesAreWellFormed) {
  ChartOptions options;
  options.id = "cells";
  options.title = "Density";
  Chart chart(options, Domain{0, 1}, Domain{0, 1});
  chart.Cells({{0, 0, 0.5, 0.5, 1.0}, {0.5, 0.5, 1, 1, 0.1}, {0, 0.5, 0.5, 1, 0}}, "#333333", 0.8,
              Tag("density", {{"count", "3"}}));
  chart.HorizontalBox(0.5, 0.2, ComputeBoxStats({0.1, 0.2, 0.3, 0.9}), "#0072B2", Tag("box"));
  pugi::xml_document document;
  std::string text = chart.Render();
  ASSERT_TRUE(document.load_string(text.c_str())) << text;
  pugi::xml_node density = document.find_node([](pugi::xml_node node) {
    return std::string(node.attribute("class").value()) == "density";
  });
  ASSERT_TRUE(density);
  // Two cells with positive intensity, at different levels: two paths.
  EXPECT_EQ(std::distance(density.children("path").begin(), density.children("path").end()), 2);
  pugi::xml_node box = document.find_node(
      [](pugi::xml_node node) { return std::string(node.attribute("class").value()) == "box"; });
  ASSERT_TRUE(box);
  EXPECT_TRUE(box.find_child_by_attribute("line", "class", "median"));
}

}  // namespace
}  // namespace parley::report::svg
