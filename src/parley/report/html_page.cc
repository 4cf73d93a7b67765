#include "parley/report/html_page.h"

#include <fmt/format.h>

#include <algorithm>

#include "parley/report/svg.h"

namespace parley::report::html {
namespace {

// No '<' or '&' in the stylesheet, so the page stays well-formed XML.
constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
body { margin: 0; background: #f3f3f1; color: #1a1a1a;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 20px 32px 40px; background: #ffffff; }
h1 { font-size: 27px; line-height: 1.25; margin: 10px 0 4px; }
h2 { font-size: 20px; margin: 38px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #dddddd; }
h3 { font-size: 16px; margin: 22px 0 8px; }
p { margin: 8px 0; max-width: 800px; }
.kind { text-transform: uppercase; letter-spacing: 0.06em; font-size: 12px; color: #6b6b6b; margin: 0; }
.subtitle { color: #4a4a4a; margin: 0 0 14px; }
.banner { background: #fff4d6; border-left: 6px solid #E69F00; padding: 10px 16px; margin: 16px 0; }
.verdict { font-size: 18px; font-weight: 600; padding: 10px 14px; margin: 12px 0; }
.verdict.yes { background: #e1f3eb; border-left: 6px solid #009E73; }
.verdict.no { background: #fbe5da; border-left: 6px solid #D55E00; }
.flag { background: #fde8e0; border: 2px solid #D55E00; padding: 10px 16px; margin: 12px 0; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 6px 14px; }
.multiples svg { display: block; max-width: 100%; height: auto; }
p.caption { color: #444444; font-size: 14px; }
ul.findings li { margin: 4px 0; max-width: 820px; }
figure { margin: 18px 0 26px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #444444; font-size: 14px; max-width: 800px; margin-top: 6px; }
table { border-collapse: collapse; margin: 8px 0 18px; font-size: 14px; display: block; max-width: 100%; overflow-x: auto; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
th { background: #f2f2f0; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
td ul { margin: 0; padding-left: 18px; }
table.ranking { display: table; width: 100%; }
table.ranking th { vertical-align: bottom; }
.interval { color: #6b6b6b; font-size: 12px; }
code.spec { word-break: normal; }
code.path { overflow-wrap: anywhere; }
tr.total td { font-weight: 600; border-top: 2px solid #cccccc; }
.bar { display: inline-block; height: 10px; background: #0072B2; vertical-align: middle; margin-right: 6px; }
.party { white-space: nowrap; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 6px; }
.muted { color: #6b6b6b; }
code { font-size: 13px; background: #f2f2f0; padding: 0 3px; border-radius: 3px; }
.tag { font-size: 12px; padding: 0 6px; border-radius: 8px; white-space: nowrap; }
.tag.report { background: #d5e8f6; }
.tag.assumption { background: #fde3bd; }
.tag.derived { background: #e4dcef; }
details { margin: 8px 0 16px; }
details summary { cursor: pointer; font-weight: 600; }
footer { margin-top: 44px; padding-top: 8px; border-top: 1px solid #dddddd; color: #666666; font-size: 13px; }
@media print { body { background: #ffffff; } main { padding: 0; max-width: none; } }
)css";

}  // namespace

std::string Text(std::string_view text) { return svg::Escape(text); }

std::string Path(std::string_view path) { return "<code class=\"path\">" + Text(path) + "</code>"; }

std::string Footer(const std::vector<std::string>& source_files) {
  std::string out = "<footer>Made by parley";
  if (!source_files.empty()) {
    out += " from ";
    for (std::size_t file_idx = 0; file_idx < source_files.size(); ++file_idx) {
      out += (file_idx > 0 ? ", " : "") + Path(source_files[file_idx]);
    }
  }
  out +=
      ". This page is self-contained: it needs no network connection and no script. Hover over "
      "a mark in a chart to see its details.</footer>\n";
  return out;
}

std::string Page(std::string_view title, std::string_view body) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  out += "<meta name=\"generator\" content=\"parley\"/>\n";
  out += "<title>" + Text(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n";
  out += "</head>\n<body>\n<main>\n";
  out += body;
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string Table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows,
                  const std::vector<std::size_t>& numeric_columns, std::string_view css_class) {
  auto numeric = [&](std::size_t column) {
    return std::find(numeric_columns.begin(), numeric_columns.end(), column) !=
           numeric_columns.end();
  };
  std::string out = "<table";
  if (!css_class.empty()) out += " class=\"" + Text(css_class) + "\"";
  out += "><thead><tr>";
  for (std::size_t column = 0; column < header.size(); ++column) {
    out += numeric(column) ? "<th class=\"num\">" : "<th>";
    out += header[column] + "</th>";
  }
  out += "</tr></thead><tbody>\n";
  for (const std::vector<std::string>& row : rows) {
    out += "<tr>";
    for (std::size_t column = 0; column < row.size(); ++column) {
      out += numeric(column) ? "<td class=\"num\">" : "<td>";
      out += row[column] + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
  return out;
}

std::string Figure(std::string_view svg, std::string_view caption) {
  return "<figure>" + std::string(svg) + "<figcaption>" + Text(caption) +
         "</figcaption></figure>\n";
}

std::string SourceTag(model::Source source) {
  if (source == model::Source::kUnspecified) return "";
  std::string name(model::SourceName(source));
  return "<span class=\"tag " + name + "\">" + name + "</span>";
}

const model::Provenance* FindProvenance(const model::Scenario& scenario, const std::string& path) {
  auto it = scenario.provenance.find(path);
  return it == scenario.provenance.end() ? nullptr : &it->second;
}

std::string Fixed(double value, int decimals) { return fmt::format("{:.{}f}", value, decimals); }

}  // namespace parley::report::html
