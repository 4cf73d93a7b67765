// The page every HTML report shares: one self-contained file (inline CSS and SVG, no script, no
// font or image from the network) that is also well-formed XML, so it can be checked with an XML
// parser. Helpers for the pieces reports repeat: escaped text, tables, provenance tags.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parley/model/scenario.h"

namespace parley::report::html {

// Escaped text for HTML content and attribute values.
std::string Text(std::string_view text);

// A file path in <code> that may wrap anywhere, so a long checkout path never widens a table or
// the page.
std::string Path(std::string_view path);

// The footer every report ends with: which files it was made from and that it is self-contained.
std::string Footer(const std::vector<std::string>& source_files);

// <!DOCTYPE html> and the whole page around `body` (already HTML).
std::string Page(std::string_view title, std::string_view body);

// A table: header cells and rows of cells, each cell already HTML. Columns listed in
// `numeric_columns` are right-aligned.
std::string Table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows,
                  const std::vector<std::size_t>& numeric_columns = {},
                  std::string_view css_class = {});

// A figure with an inline SVG and a caption (text, escaped here).
std::string Figure(std::string_view svg, std::string_view caption);

// "report", "assumption", "derived" as a small coloured tag; empty for unspecified.
std::string SourceTag(model::Source source);

// The scenario's provenance entry for a path, if any.
const model::Provenance* FindProvenance(const model::Scenario& scenario, const std::string& path);

// A number with `decimals` decimals.
std::string Fixed(double value, int decimals = 3);

}  // namespace parley::report::html
