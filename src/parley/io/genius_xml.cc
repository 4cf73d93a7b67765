// GENIUS XML reader: a domain file and its profile files become one parley Scenario.
//
// Semantics follow GENIUS (genius.core.utility.*, the Java platform that defined the format), read
// from its public source; where NegMAS (negmas.inout / negmas.preferences) differs, it says so.
//
// Files and structure
// - A domain has root <negotiation_template> holding <utility_space>; a profile has root
//   <utility_space>. Issues may sit in nested <objective> elements; they are collected in
//   document order, which is the scenario's issue order. Files are told apart by content
//   (genius_xml.h), never by name.
// - Everything links by the numeric `index` attribute: profile weights and evaluators to domain
//   issues, and hyper-rectangle bounds to issues. Discrete options link by their `value` label, so
//   a profile may list items in any order. `number_of_issues` is ignored (often wrong).
// - Issue `type` absent means discrete (GENIUS's AdditiveUtilitySpace does the same).
// - Integer/real bounds come from `lowerbound`/`upperbound` attributes or a <range> child.
//
// Issues
// - discrete: options are the item values in domain order; a repeated value is kept once.
// - integer: model::Issue::Integer(lower, upper).
// - real: GENIUS gives no step. GENIUS's IssueReal discretises into 21 values for analysis
//   (fNumberOfDiscretizationSteps = 21); NegMAS keeps the issue continuous unless asked (its
//   discretising helpers default to 10 values). parley follows GENIUS: 21 evenly spaced values,
//   lower and upper included (one value when lower == upper).
//
// Linear (additive) profiles: u = sum_i weight_i * eval_i(option)
// - Weights are used as written: GENIUS neither normalises them on load nor multiplies objective
//   weights down the tree. A <weight> whose index names an <objective> is ignored (ANAC 2012's
//   Fitness profiles weigh their root objective). Negative or non-numeric weights are errors.
// - discrete (EvaluatorDiscrete): evaluation / (largest evaluation of the issue in this profile);
//   0 for every option when that maximum is below 1e-5. Evaluations must be >= 0 (GENIUS only
//   accepts non-negative ones); when a profile lists a value twice the later one counts (a Java
//   HashMap put), as in AMPOvsCity. Every domain option needs an evaluation.
// - integer (EvaluatorInteger): clamp(offset + slope * (x - lower), 0, 1), with `lower` the
//   profile's lower bound (the domain's when the profile gives none). NegMAS instead computes
//   slope * x + offset without clamping; the two agree only when lower = 0 and the line stays in
//   [0, 1]. Old files spell slope/offset as parameter1/parameter0 (web_service).
// - real (EvaluatorReal): `ftype` linear: clamp(parameter1 * x + parameter0, 0, 1); constant:
//   parameter0; triangular: 0 below parameter0, rising to 1 at parameter2 (the top), falling to 0
//   at parameter1, 0 beyond; triangular_variable_top: the same peaking at parameter3. An integer
//   issue with one of these non-linear ftypes is read the same way. ftype faratin is unsupported.
// - GENIUS caps an additive utility at 1 (getUtility returns min(1, sum)); the model's additive
//   utility cannot express a cap, so a profile whose weights sum above 1 can exceed 1 here. Of the
//   corpus, only QODomain's Side_B profiles do (weights sum to 1.45 and 1.9).
//
// Non-linear profiles (<utility_space type="nonlinear">, ANAC 2014, S-1NAGUNL-*, S-1NIKFRT-*)
// - <utility maxutility="M"> holds <ufun weight aggregation> elements holding <hyperRectangle
//   utility [weight]> elements with <INCLUDES|EXCLUDES index min max/> bounds. The rule is
//   GENIUS's (see model/hyper_rectangle_utility.h): INCLUDES means inside every range, EXCLUDES
//   means outside the box (any one bound missed), sum/min/max over all rectangles with 0 for
//   those that do not apply, divided by maxutility and capped at 1. A rectangle's `weight`
//   multiplies its utility. A rectangle holding both INCLUDES and EXCLUDES is rejected (GENIUS
//   would silently drop the INCLUDES). A ufun nested in a sum ufun becomes its own set with the
//   product of the weights; nesting under min/max is unsupported.
// - GENIUS evaluates only the first top-level ufun and ignores its weight; parley adds every
//   top-level ufun times its weight (as NegMAS does). Every corpus file has exactly one, weight 1.
// - NegMAS ignores maxutility (its utilities are GENIUS's times maxutility), supports only sum,
//   and reads EXCLUDES like INCLUDES; parley keeps GENIUS's values.
//
// Reservation and discount
// - <reservation value> absent -> no reservation (nullopt); GENIUS then uses 0.
// - <discount_factor value> <= 0 or > 1, or absent -> 1 (no discount), as GENIUS's
//   validateDiscount.
//
// Tolerance: when pugixml rejects a file, the text is repaired and parsed again: a '&' that
// starts no entity becomes "&amp;", and a space is inserted between a closing quote and a
// following attribute name (value="a"evaluation="3"). Error locations always refer to the
// original text. Parse errors report pugixml's byte offset as line and column.
#include "parley/io/genius_xml.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "parley/base/file.h"
#include "parley/base/numbers.h"
#include "parley/base/strings.h"
#include "parley/io/limits.h"
#include "parley/io/scenario_io.h"
#include "parley/model/hyper_rectangle_utility.h"
#include "parley/model/issue.h"
#include "parley/model/utility.h"
#include "parley/model/validate.h"

namespace parley::io {
namespace {

namespace fs = std::filesystem;

using model::Issue;
using model::IssueKind;
using model::ValueFunction;
using model::ValueFunctionForm;

// Values of a real issue, following GENIUS's IssueReal discretisation for analysis.
constexpr int kRealIssueValues = 21;
// A numeric issue evaluated through a table holds at most this many values (8 MB per table).
constexpr std::uint64_t kMaxTabulatedOptions = 1'000'000;
// GENIUS's EvaluatorDiscrete treats a maximum evaluation below this as "all zero".
constexpr double kDiscreteMaxEpsilon = 1e-5;

// ---------------------------------------------------------------------------------------------
// Classification by content

bool IsNameStart(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalpha(u) || c == '_' || c == ':' || u >= 0x80;
}

bool IsNameChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return IsNameStart(c) || std::isdigit(u) || c == '-' || c == '.';
}

// Name of the first element, skipping a byte-order mark, white space, the XML declaration,
// processing instructions, comments and a DOCTYPE. Empty when the text opens with anything else.
std::string FirstElementName(std::string_view text) {
  std::size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++pos;
      continue;
    }
    if (c != '<') return "";
    std::string_view rest = text.substr(pos);
    std::size_t end = std::string_view::npos;
    if (rest.substr(0, 4) == "<!--") {
      end = rest.find("-->");
      if (end != std::string_view::npos) end += 3;
    } else if (rest.substr(0, 2) == "<?") {
      end = rest.find("?>");
      if (end != std::string_view::npos) end += 2;
    } else if (rest.substr(0, 2) == "<!") {
      end = rest.find('>');
      if (end != std::string_view::npos) end += 1;
    } else {
      std::size_t name_end = 1;
      if (name_end >= rest.size() || !IsNameStart(rest[name_end])) return "";
      while (name_end < rest.size() && IsNameChar(rest[name_end])) ++name_end;
      return std::string(rest.substr(1, name_end - 1));
    }
    if (end == std::string_view::npos) return "";
    pos += end;
  }
  return "";
}

// True when `text` holds "<utility" as a whole element name (not "<utility_space").
bool HasUtilityElement(std::string_view text) {
  std::size_t pos = 0;
  while ((pos = text.find("<utility", pos)) != std::string_view::npos) {
    std::size_t after = pos + 8;
    if (after >= text.size() || !IsNameChar(text[after])) return true;
    pos = after;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Text repair for defects found in official GENIUS files

struct RepairedText {
  std::string text;
  // (position in the repaired text, length) of every inserted run, in increasing order.
  std::vector<std::pair<std::size_t, std::size_t>> insertions;
};

// True when text[amp] == '&' opens an entity or character reference ("&amp;", "&#38;", "&#x26;").
bool StartsReference(std::string_view text, std::size_t amp) {
  std::size_t pos = amp + 1;
  if (pos < text.size() && text[pos] == '#') {
    ++pos;
    bool hex = pos < text.size() && (text[pos] == 'x' || text[pos] == 'X');
    if (hex) ++pos;
    std::size_t digits_start = pos;
    while (pos < text.size() && (hex ? std::isxdigit(static_cast<unsigned char>(text[pos]))
                                     : std::isdigit(static_cast<unsigned char>(text[pos])))) {
      ++pos;
    }
    return pos > digits_start && pos < text.size() && text[pos] == ';';
  }
  if (pos >= text.size() || !IsNameStart(text[pos])) return false;
  while (pos < text.size() && IsNameChar(text[pos]) && pos - amp <= 32) ++pos;
  return pos < text.size() && text[pos] == ';';
}

// Copies a text, escaping each '&' that opens no reference and separating attributes written
// without a space between them, and notes where it inserted text.
class XmlRepairer {
 public:
  explicit XmlRepairer(std::string_view text) : text_(text) { out_.text.reserve(text.size() + 64); }

  RepairedText Repair() && {
    while (pos_ < text_.size()) {
      std::string_view rest = text_.substr(pos_);
      if (rest.substr(0, 4) == "<!--") {
        CopyUntil("-->");
      } else if (rest.substr(0, 9) == "<![CDATA[") {
        CopyUntil("]]>");
      } else if (rest.substr(0, 2) == "<?") {
        CopyUntil("?>");
      } else if (rest.substr(0, 2) == "<!") {
        CopyUntil(">");
      } else if (rest.size() > 1 && rest[0] == '<' && IsNameStart(rest[1])) {
        CopyStartTag();
      } else {
        CopyChar();
      }
    }
    return std::move(out_);
  }

 private:
  void Insert(std::string_view run) {
    out_.insertions.emplace_back(out_.text.size(), run.size());
    out_.text.append(run);
  }

  // Copies up to and including `terminator` (or to the end) unchanged.
  void CopyUntil(std::string_view terminator) {
    std::size_t end = text_.find(terminator, pos_);
    end = end == std::string_view::npos ? text_.size() : end + terminator.size();
    out_.text.append(text_.substr(pos_, end - pos_));
    pos_ = end;
  }

  void CopyChar() {
    out_.text.push_back(text_[pos_]);
    if (text_[pos_] == '&' && !StartsReference(text_, pos_)) Insert("amp;");
    ++pos_;
  }

  // A start tag: copy it, repairing attribute values and the gaps between attributes.
  void CopyStartTag() {
    while (pos_ < text_.size() && text_[pos_] != '>') {
      char c = text_[pos_];
      if (c == '"' || c == '\'') {
        CopyQuoted(c);
      } else {
        CopyChar();
      }
    }
    if (pos_ < text_.size()) CopyChar();
  }

  // An attribute value in `quote`s; a space is inserted when the next attribute follows at once.
  void CopyQuoted(char quote) {
    out_.text.push_back(quote);
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) CopyChar();
    if (pos_ < text_.size()) {
      out_.text.push_back(quote);
      ++pos_;
      if (pos_ < text_.size() && IsNameStart(text_[pos_])) Insert(" ");
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  RepairedText out_;
};

RepairedText RepairXml(std::string_view text) { return XmlRepairer(text).Repair(); }

// ---------------------------------------------------------------------------------------------
// Parsed files and error locations

struct XmlFile {
  std::string path;
  std::string original;
  RepairedText repaired;  // insertions empty when the original text parsed as is
  pugi::xml_document doc;

  // Offset in the original text of an offset in the text pugixml parsed.
  std::size_t OriginalOffset(std::size_t parsed_offset) const {
    std::size_t offset = parsed_offset;
    for (const auto& [position, length] : repaired.insertions) {
      if (position >= parsed_offset) break;
      offset -= std::min(length, parsed_offset - position);
    }
    return offset;
  }

  Location AtOffset(std::size_t original_offset, std::string field = "") const {
    Location location;
    location.file = path;
    location.field = std::move(field);
    std::size_t end = std::min(original_offset, original.size());
    location.line = 1;
    std::size_t line_start = 0;
    for (std::size_t pos = 0; pos < end; ++pos) {
      if (original[pos] == '\n') {
        ++location.line;
        line_start = pos + 1;
      }
    }
    location.column = static_cast<int>(end - line_start) + 1;
    return location;
  }

  // Location of an element (its name, just after '<').
  Location At(const pugi::xml_node& node, std::string field = "") const {
    std::ptrdiff_t offset = node.offset_debug();
    if (offset < 0) return Location{path, 0, 0, std::move(field)};
    std::size_t original_offset = OriginalOffset(static_cast<std::size_t>(offset));
    // Point at the '<' that opens the element.
    if (original_offset > 0) --original_offset;
    return AtOffset(original_offset, std::move(field));
  }
};

// Refuses a document whose elements nest deeper than kMaxNestingDepth. pugixml parses and frees
// without recursion; this walk (by parent and sibling links) bounds every later one.
Status CheckXmlDepth(const XmlFile& file) {
  const pugi::xml_node root = file.doc;
  pugi::xml_node node = root.first_child();
  int depth = 1;
  while (node) {
    if (node.type() == pugi::node_element && depth > kMaxNestingDepth) {
      return InvalidInput(
          "the XML nests elements more than " + std::to_string(kMaxNestingDepth) + " levels deep",
          file.At(node));
    }
    if (node.first_child()) {
      node = node.first_child();
      ++depth;
      continue;
    }
    while (node != root && !node.next_sibling()) {
      node = node.parent();
      --depth;
    }
    if (node == root) break;
    node = node.next_sibling();
  }
  return Status::Ok();
}

Result<std::unique_ptr<XmlFile>> ParseXml(const std::string& path, std::string text) {
  auto file = std::make_unique<XmlFile>();
  file->path = path;
  file->original = std::move(text);
  // Every element, comment or declaration opens with '<': counting them bounds what pugixml
  // allocates before it allocates it.
  if (static_cast<std::uint64_t>(std::count(file->original.begin(), file->original.end(), '<')) >
      kMaxDocumentValues) {
    return InvalidInput("the XML holds more than " + std::to_string(kMaxDocumentValues) +
                            " elements; parley reads at most that many",
                        Location::InFile(path));
  }
  const unsigned int options = pugi::parse_default;
  pugi::xml_parse_result first =
      file->doc.load_buffer(file->original.data(), file->original.size(), options);
  if (first) {
    PARLEY_RETURN_IF_ERROR(CheckXmlDepth(*file));
    return file;
  }
  file->repaired = RepairXml(file->original);
  if (!file->repaired.insertions.empty()) {
    pugi::xml_parse_result second =
        file->doc.load_buffer(file->repaired.text.data(), file->repaired.text.size(), options);
    if (second) {
      PARLEY_RETURN_IF_ERROR(CheckXmlDepth(*file));
      return file;
    }
  }
  file->repaired = RepairedText{};
  std::size_t offset = first.offset < 0 ? 0 : static_cast<std::size_t>(first.offset);
  return InvalidInput(std::string("not well-formed XML: ") + first.description(),
                      file->AtOffset(offset));
}

// ---------------------------------------------------------------------------------------------
// Attribute parsing

std::optional<double> ParseDouble(std::string_view text) {
  text = Trim(text);
  // Java's Double.valueOf also accepts a trailing type suffix ("1.0d", "0.5f").
  if (!text.empty() &&
      (text.back() == 'd' || text.back() == 'D' || text.back() == 'f' || text.back() == 'F')) {
    text.remove_suffix(1);
  }
  return ParseFiniteDouble(text);
}

std::optional<std::int64_t> ParseInteger(std::string_view text) { return ParseInt64(Trim(text)); }

std::string Quote(std::string_view text) { return "'" + std::string(text) + "'"; }

// Reads a required numeric attribute of `node`.
Result<double> NumberAttribute(const XmlFile& file, const pugi::xml_node& node, const char* name,
                               const std::string& field) {
  pugi::xml_attribute attribute = node.attribute(name);
  if (!attribute) {
    return InvalidInput(std::string("<") + node.name() + "> has no " + name + " attribute",
                        file.At(node, field));
  }
  std::optional<double> value = ParseDouble(attribute.value());
  if (!value) {
    return InvalidInput(std::string(name) + " must be a number, got " + Quote(attribute.value()),
                        file.At(node, field + "." + name));
  }
  return *value;
}

// Reads an optional numeric attribute; `fallback` when absent.
Result<double> OptionalNumberAttribute(const XmlFile& file, const pugi::xml_node& node,
                                       const char* name, const std::string& field,
                                       double fallback) {
  if (!node.attribute(name)) return fallback;
  return NumberAttribute(file, node, name, field);
}

Result<std::int64_t> IndexAttribute(const XmlFile& file, const pugi::xml_node& node,
                                    const std::string& field) {
  pugi::xml_attribute attribute = node.attribute("index");
  if (!attribute) {
    return InvalidInput(std::string("<") + node.name() + "> has no index attribute",
                        file.At(node, field));
  }
  std::optional<std::int64_t> value = ParseInteger(attribute.value());
  if (!value) {
    return InvalidInput("index must be an integer, got " + Quote(attribute.value()),
                        file.At(node, field + ".index"));
  }
  return *value;
}

// The first child element named `name` holding attribute `attribute`, else `node` itself when it
// has the attribute; used for bounds given either on <issue> or on its <range> child.
pugi::xml_attribute BoundAttribute(const pugi::xml_node& issue, const char* name) {
  pugi::xml_attribute result = issue.attribute(name);
  for (pugi::xml_node range = issue.child("range"); range; range = range.next_sibling("range")) {
    if (range.attribute(name)) result = range.attribute(name);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Walking the tree

bool IsContainer(std::string_view name) { return name == "objective" || name == "utility_space"; }

// Calls `visit` for every element named `name` whose parent is an <objective> or <utility_space>,
// descending only through those containers (and the root), in document order. Walks by parent and
// sibling links, without recursion, so nesting costs no stack.
template <typename Visit>
void ForEachInContainers(const pugi::xml_node& root, std::string_view name, Visit&& visit) {
  pugi::xml_node node = root.first_child();
  while (node) {
    bool descend = false;
    if (node.type() == pugi::node_element) {
      std::string_view node_name = node.name();
      if (node_name == name) visit(node);
      descend = IsContainer(node_name) && node.first_child();
    }
    if (descend) {
      node = node.first_child();
      continue;
    }
    while (node != root && !node.next_sibling()) node = node.parent();
    if (node == root) return;
    node = node.next_sibling();
  }
}

template <typename Visit>
Status ForEachInContainersOrError(const pugi::xml_node& node, std::string_view name,
                                  Visit&& visit) {
  Status status;
  ForEachInContainers(node, name, [&](const pugi::xml_node& element) {
    if (status.ok()) status = visit(element);
  });
  return status;
}

// ---------------------------------------------------------------------------------------------
// Domain

struct Domain {
  std::vector<Issue> issues;
  std::vector<std::int64_t> genius_index;        // parallel to issues
  std::map<std::int64_t, std::size_t> by_index;  // GENIUS index -> position in issues
  std::set<std::int64_t> objective_indices;
};

std::string IssueField(std::int64_t index) { return "issue[index=" + std::to_string(index) + "]"; }

Result<Issue> ReadDiscreteIssue(const XmlFile& file, const pugi::xml_node& node,
                                const std::string& name, const std::string& field,
                                ScenarioBudget& budget) {
  std::vector<std::string> options;
  std::vector<std::string> descriptions;
  std::set<std::string> seen;
  bool any_description = false;
  for (pugi::xml_node item = node.child("item"); item; item = item.next_sibling("item")) {
    pugi::xml_attribute value = item.attribute("value");
    if (!value) {
      return InvalidInput("<item> of issue " + Quote(name) + " has no value attribute",
                          file.At(item, field + ".item"));
    }
    std::string label = value.value();
    if (label.empty()) {
      return InvalidInput("<item> of issue " + Quote(name) + " has an empty value",
                          file.At(item, field + ".item"));
    }
    if (!seen.insert(label).second) continue;  // a repeated value is one option
    PARLEY_RETURN_IF_ERROR(budget.listed_options.Charge(1, file.At(item, field + ".item")));
    options.push_back(label);
    std::string description = item.attribute("description").value();
    any_description = any_description || !description.empty();
    descriptions.push_back(std::move(description));
  }
  if (options.empty()) {
    return InvalidInput("discrete issue " + Quote(name) + " has no <item> options",
                        file.At(node, field));
  }
  Issue issue = Issue::Discrete(name, std::move(options));
  if (any_description) issue.option_descriptions = std::move(descriptions);
  return issue;
}

Result<Issue> ReadIntegerIssue(const XmlFile& file, const pugi::xml_node& node,
                               const std::string& name, const std::string& field,
                               const pugi::xml_attribute& lower_attribute,
                               const pugi::xml_attribute& upper_attribute) {
  std::optional<std::int64_t> lower = ParseInteger(lower_attribute.value());
  std::optional<std::int64_t> upper = ParseInteger(upper_attribute.value());
  if (!lower || !upper) {
    return InvalidInput("integer issue " + Quote(name) + " has bounds " +
                            Quote(lower_attribute.value()) + " and " +
                            Quote(upper_attribute.value()) + ", expected integers",
                        file.At(node, field));
  }
  if (*lower > *upper) {
    return InvalidInput("integer issue " + Quote(name) + " has lowerbound " +
                            std::to_string(*lower) + " above upperbound " + std::to_string(*upper),
                        file.At(node, field));
  }
  // Checked in floating point so extreme bounds cannot overflow.
  if (static_cast<long double>(*upper) - static_cast<long double>(*lower) >= 4294967296.0L) {
    return InvalidInput("integer issue " + Quote(name) + " holds more than 2^32 values",
                        file.At(node, field));
  }
  return Issue::Integer(name, *lower, *upper);
}

Result<Issue> ReadRealIssue(const XmlFile& file, const pugi::xml_node& node,
                            const std::string& name, const std::string& field,
                            const pugi::xml_attribute& lower_attribute,
                            const pugi::xml_attribute& upper_attribute) {
  std::optional<double> lower = ParseDouble(lower_attribute.value());
  std::optional<double> upper = ParseDouble(upper_attribute.value());
  if (!lower || !upper) {
    return InvalidInput("real issue " + Quote(name) + " has bounds " +
                            Quote(lower_attribute.value()) + " and " +
                            Quote(upper_attribute.value()) + ", expected numbers",
                        file.At(node, field));
  }
  if (*lower > *upper) {
    return InvalidInput("real issue " + Quote(name) + " has lowerbound above upperbound",
                        file.At(node, field));
  }
  if (!std::isfinite(*upper - *lower)) {
    return InvalidInput("real issue " + Quote(name) + " has a range too wide to represent",
                        file.At(node, field));
  }
  double step = (*upper - *lower) / (kRealIssueValues - 1);
  if (!(step > 0)) step = 1.0;  // lower == upper (or a difference too small to divide)
  return Issue::Real(name, *lower, *upper, step);
}

Result<Issue> ReadDomainIssue(const XmlFile& file, const pugi::xml_node& node, std::int64_t index,
                              ScenarioBudget& budget) {
  const std::string field = IssueField(index);
  std::string name = Trim(node.attribute("name").value()).empty()
                         ? "issue" + std::to_string(index)
                         : std::string(node.attribute("name").value());
  std::string type = node.attribute("type") ? node.attribute("type").value() : "discrete";
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  Issue issue;
  if (type == "discrete") {
    PARLEY_ASSIGN_OR_RETURN(issue, ReadDiscreteIssue(file, node, name, field, budget));
  } else if (type == "integer" || type == "real") {
    pugi::xml_attribute lower_attribute = BoundAttribute(node, "lowerbound");
    pugi::xml_attribute upper_attribute = BoundAttribute(node, "upperbound");
    if (!lower_attribute || !upper_attribute) {
      return InvalidInput(type + " issue " + Quote(name) + " needs lowerbound and upperbound",
                          file.At(node, field));
    }
    if (type == "integer") {
      PARLEY_ASSIGN_OR_RETURN(
          issue, ReadIntegerIssue(file, node, name, field, lower_attribute, upper_attribute));
    } else {
      PARLEY_ASSIGN_OR_RETURN(
          issue, ReadRealIssue(file, node, name, field, lower_attribute, upper_attribute));
    }
  } else {
    return InvalidInput("issue " + Quote(name) + " has unknown type " + Quote(type) +
                            " (expected discrete, integer or real)",
                        file.At(node, field + ".type"));
  }
  issue.description = node.attribute("description").value();
  return issue;
}

Result<Domain> ReadDomain(const XmlFile& file, ScenarioBudget& budget) {
  pugi::xml_node root = file.doc.document_element();
  std::string_view root_name = root.name();
  if (root_name != "negotiation_template" && root_name != "utility_space") {
    return InvalidInput("not a GENIUS domain: the root element is <" + std::string(root_name) +
                            ">, expected <negotiation_template>",
                        file.At(root));
  }
  Domain domain;
  ForEachInContainers(root, "objective", [&](const pugi::xml_node& objective) {
    if (std::optional<std::int64_t> index = ParseInteger(objective.attribute("index").value())) {
      domain.objective_indices.insert(*index);
    }
  });
  std::set<std::string> ids;
  auto read_issue = [&](const pugi::xml_node& node) -> Status {
    Result<std::int64_t> index = IndexAttribute(file, node, "issue");
    if (!index.ok()) return index.status();
    if (domain.by_index.count(*index)) {
      return InvalidInput("two issues have index " + std::to_string(*index),
                          file.At(node, IssueField(*index)));
    }
    PARLEY_RETURN_IF_ERROR(budget.issues.Charge(1, file.At(node, IssueField(*index))));
    Result<Issue> issue = ReadDomainIssue(file, node, *index, budget);
    if (!issue.ok()) return issue.status();
    // Issue ids are GENIUS names, made unique with the index when two issues share a name.
    std::string id = issue->id;
    if (ids.count(id)) id += "_" + std::to_string(*index);
    for (int suffix = 2; ids.count(id); ++suffix) id = issue->id + "_" + std::to_string(suffix);
    ids.insert(id);
    issue->id = id;
    domain.by_index[*index] = domain.issues.size();
    domain.issues.push_back(std::move(*issue));
    domain.genius_index.push_back(*index);
    return Status::Ok();
  };
  PARLEY_RETURN_IF_ERROR(ForEachInContainersOrError(root, "issue", read_issue));
  if (domain.issues.empty()) {
    return InvalidInput("the GENIUS domain defines no <issue>", file.At(root));
  }
  return domain;
}

// ---------------------------------------------------------------------------------------------
// Linear profiles

double Clamp01(double value) { return std::min(1.0, std::max(0.0, value)); }

// Picks the form a person would write for `direct` (the GENIUS values per option), keeping it only
// when tabulating it reproduces those values; otherwise the values are kept as a table.
ValueFunction ChooseForm(const Issue& issue, ValueFunctionForm form,
                         std::vector<std::pair<double, double>> points,
                         std::vector<double> direct) {
  ValueFunction candidate;
  candidate.form = form;
  candidate.points = std::move(points);
  if (form != ValueFunctionForm::kTable && !candidate.points.empty()) {
    candidate.Tabulate(issue);
    bool same = candidate.table.size() == direct.size();
    for (std::size_t option = 0; same && option < direct.size(); ++option) {
      same = std::fabs(candidate.table[option] - direct[option]) <= 1e-9;
    }
    if (same) return candidate;
  }
  ValueFunction table;
  table.form = ValueFunctionForm::kTable;
  table.table = std::move(direct);
  return table;
}

// A clamped line a + b * x over [lower, upper]: linear when it stays in [0, 1], else piecewise
// linear with a kink where it meets 0 or 1.
ValueFunction ClampedLine(const Issue& issue, double intercept, double slope, double lower,
                          double upper, std::vector<double> direct) {
  auto raw = [&](double x) { return intercept + slope * x; };
  if (upper <= lower) {
    return ChooseForm(issue, ValueFunctionForm::kConstant, {{0.0, Clamp01(raw(lower))}},
                      std::move(direct));
  }
  double at_lower = raw(lower);
  double at_upper = raw(upper);
  if (at_lower >= 0 && at_lower <= 1 && at_upper >= 0 && at_upper <= 1) {
    return ChooseForm(issue, ValueFunctionForm::kLinear, {{lower, at_lower}, {upper, at_upper}},
                      std::move(direct));
  }
  std::vector<std::pair<double, double>> points = {{lower, Clamp01(at_lower)}};
  if (slope != 0) {
    std::vector<double> kinks;
    for (double level : {0.0, 1.0}) {
      double x = (level - intercept) / slope;
      if (x > lower && x < upper) kinks.push_back(x);
    }
    std::sort(kinks.begin(), kinks.end());
    for (double x : kinks) points.emplace_back(x, Clamp01(raw(x)));
  }
  points.emplace_back(upper, Clamp01(at_upper));
  return ChooseForm(issue, ValueFunctionForm::kPiecewiseLinear, std::move(points),
                    std::move(direct));
}

Result<ValueFunction> ReadDiscreteEvaluator(const XmlFile& file, const pugi::xml_node& node,
                                            const Issue& issue, const std::string& field) {
  std::vector<double> evaluations(issue.options.size(), 0.0);
  std::vector<bool> given(issue.options.size(), false);
  std::map<std::string_view, std::size_t> option_of_label;
  for (std::size_t option = 0; option < issue.options.size(); ++option) {
    option_of_label.emplace(issue.options[option], option);
  }
  for (pugi::xml_node item = node.child("item"); item; item = item.next_sibling("item")) {
    pugi::xml_attribute value = item.attribute("value");
    if (!value) {
      return InvalidInput("<item> of issue " + Quote(issue.id) + " has no value attribute",
                          file.At(item, field + ".item"));
    }
    const std::string item_field = field + ".item[value=" + value.value() + "]";
    auto option = option_of_label.find(value.value());
    if (option == option_of_label.end()) {
      return InvalidInput("the profile evaluates " + Quote(value.value()) +
                              ", which is not an option of issue " + Quote(issue.id) +
                              " in the domain",
                          file.At(item, item_field));
    }
    if (!item.attribute("evaluation")) {
      return InvalidInput("option " + Quote(value.value()) + " of issue " + Quote(issue.id) +
                              " has no evaluation attribute",
                          file.At(item, item_field));
    }
    PARLEY_ASSIGN_OR_RETURN(double evaluation,
                            NumberAttribute(file, item, "evaluation", item_field));
    if (evaluation < 0) {
      return InvalidInput("evaluation of option " + Quote(value.value()) + " of issue " +
                              Quote(issue.id) + " is negative (" + model::FormatNumber(evaluation) +
                              "); GENIUS evaluations are >= 0",
                          file.At(item, item_field + ".evaluation"));
    }
    evaluations[option->second] = evaluation;  // a later duplicate replaces an earlier one (GENIUS)
    given[option->second] = true;
  }
  for (std::size_t option = 0; option < given.size(); ++option) {
    if (!given[option]) {
      return InvalidInput("the profile gives no evaluation for option " +
                              Quote(issue.options[option]) + " of issue " + Quote(issue.id),
                          file.At(node, field));
    }
  }
  double max = *std::max_element(evaluations.begin(), evaluations.end());
  ValueFunction function;
  function.form = ValueFunctionForm::kTable;
  function.table.assign(evaluations.size(), 0.0);
  if (max >= kDiscreteMaxEpsilon) {
    for (std::size_t option = 0; option < evaluations.size(); ++option) {
      function.table[option] = evaluations[option] / max;
    }
  }
  return function;
}

// GENIUS's triangular evaluators: 0 below `lower`, rising to `top_value` at `top`, falling to 0
// at `upper`, 0 from there on.
double Triangular(double x, double lower, double upper, double top, double top_value) {
  if (x < lower) return 0;
  if (x < top) return top_value * (x - lower) / (top - lower);
  if (x < upper) return top_value * (1 - (x - top) / (upper - top));
  return 0;
}

// The value of each option of a numeric issue.
std::vector<double> NumericValues(const Issue& issue, std::uint64_t num_options) {
  std::vector<double> xs(num_options);
  for (std::uint64_t option = 0; option < num_options; ++option) {
    xs[option] = issue.NumericValue(option);
  }
  return xs;
}

Result<ValueFunction> ReadLinearEvaluator(const XmlFile& file, const pugi::xml_node& node,
                                          const pugi::xml_node& evaluator, const Issue& issue,
                                          const std::string& field, const std::vector<double>& xs) {
  const std::string evaluator_field = field + ".evaluator";
  double domain_lower = xs.empty() ? 0 : xs.front();
  double domain_upper = xs.empty() ? 0 : xs.back();
  // slope/offset (EvaluatorInteger) or parameter1/parameter0 (EvaluatorReal and old files).
  const char* slope_name = evaluator.attribute("slope") ? "slope" : "parameter1";
  const char* offset_name = evaluator.attribute("offset") ? "offset" : "parameter0";
  PARLEY_ASSIGN_OR_RETURN(double slope,
                          NumberAttribute(file, evaluator, slope_name, evaluator_field));
  PARLEY_ASSIGN_OR_RETURN(double offset,
                          NumberAttribute(file, evaluator, offset_name, evaluator_field));
  // Integer issues measure x from the profile's lower bound (EvaluatorInteger); real issues
  // use x itself (EvaluatorReal).
  double origin = 0;
  if (issue.kind == IssueKind::kInteger) {
    origin = domain_lower;
    if (pugi::xml_attribute lower = BoundAttribute(node, "lowerbound")) {
      std::optional<double> value = ParseDouble(lower.value());
      if (!value) {
        return InvalidInput("lowerbound must be a number, got " + Quote(lower.value()),
                            file.At(node, field + ".lowerbound"));
      }
      origin = *value;
    }
  }
  std::vector<double> direct(xs.size());
  for (std::size_t option = 0; option < xs.size(); ++option) {
    direct[option] = Clamp01(offset + slope * (xs[option] - origin));
  }
  return ClampedLine(issue, offset - slope * origin, slope, domain_lower, domain_upper,
                     std::move(direct));
}

// `ftype` "triangular" (top value 1) or "triangular_variable_top".
Result<ValueFunction> ReadTriangularEvaluator(const XmlFile& file, const pugi::xml_node& evaluator,
                                              const std::string& ftype, const Issue& issue,
                                              const std::string& field,
                                              const std::vector<double>& xs) {
  const std::string evaluator_field = field + ".evaluator";
  PARLEY_ASSIGN_OR_RETURN(double lower,
                          NumberAttribute(file, evaluator, "parameter0", evaluator_field));
  PARLEY_ASSIGN_OR_RETURN(double upper,
                          NumberAttribute(file, evaluator, "parameter1", evaluator_field));
  PARLEY_ASSIGN_OR_RETURN(double top,
                          NumberAttribute(file, evaluator, "parameter2", evaluator_field));
  double top_value = 1;
  if (ftype == "triangular_variable_top") {
    PARLEY_ASSIGN_OR_RETURN(top_value,
                            NumberAttribute(file, evaluator, "parameter3", evaluator_field));
  }
  std::vector<double> direct(xs.size());
  for (std::size_t option = 0; option < xs.size(); ++option) {
    direct[option] = Triangular(xs[option], lower, upper, top, top_value);
  }
  if (!(lower < top && top < upper)) {
    return ChooseForm(issue, ValueFunctionForm::kTable, {}, std::move(direct));
  }
  if (ftype == "triangular") {
    return ChooseForm(issue, ValueFunctionForm::kTriangular, {{lower, 0}, {top, 1}, {upper, 0}},
                      std::move(direct));
  }
  return ChooseForm(issue, ValueFunctionForm::kPiecewiseLinear,
                    {{lower, 0}, {top, top_value}, {upper, 0}}, std::move(direct));
}

Result<ValueFunction> ReadNumericEvaluator(const XmlFile& file, const pugi::xml_node& node,
                                           const Issue& issue, const std::string& field) {
  std::uint64_t num_options = issue.NumOptions();
  if (num_options > kMaxTabulatedOptions) {
    return InvalidInput("issue " + Quote(issue.id) + " has " + std::to_string(num_options) +
                            " values; parley evaluates at most " +
                            std::to_string(kMaxTabulatedOptions) + " values per numeric issue",
                        file.At(node, field));
  }
  pugi::xml_node evaluator = node.child("evaluator");
  if (!evaluator) {
    return InvalidInput("numeric issue " + Quote(issue.id) + " has no <evaluator> in the profile",
                        file.At(node, field));
  }
  const std::string evaluator_field = field + ".evaluator";
  std::string ftype =
      evaluator.attribute("ftype") ? evaluator.attribute("ftype").value() : "linear";
  std::transform(ftype.begin(), ftype.end(), ftype.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::vector<double> xs = NumericValues(issue, num_options);
  if (ftype == "linear") return ReadLinearEvaluator(file, node, evaluator, issue, field, xs);
  if (ftype == "constant") {
    PARLEY_ASSIGN_OR_RETURN(double value,
                            NumberAttribute(file, evaluator, "parameter0", evaluator_field));
    return ChooseForm(issue, ValueFunctionForm::kConstant, {{0.0, value}},
                      std::vector<double>(num_options, value));
  }
  if (ftype == "triangular" || ftype == "triangular_variable_top") {
    return ReadTriangularEvaluator(file, evaluator, ftype, issue, field, xs);
  }
  if (ftype == "faratin") {
    return Unsupported("the faratin evaluator of issue " + Quote(issue.id) + " is not supported",
                       file.At(evaluator, evaluator_field + ".ftype"));
  }
  return InvalidInput("unknown evaluator ftype " + Quote(ftype) + " for issue " + Quote(issue.id) +
                          " (expected linear, constant, triangular or triangular_variable_top)",
                      file.At(evaluator, evaluator_field + ".ftype"));
}

// The weight of each issue of the domain (absent: not given); weights of objectives are
// skipped.
Result<std::vector<std::optional<double>>> ReadWeights(const XmlFile& file,
                                                       const pugi::xml_node& root,
                                                       const Domain& domain) {
  std::set<std::int64_t> objective_indices = domain.objective_indices;
  ForEachInContainers(root, "objective", [&](const pugi::xml_node& objective) {
    if (std::optional<std::int64_t> index = ParseInteger(objective.attribute("index").value())) {
      objective_indices.insert(*index);
    }
  });
  std::vector<std::optional<double>> weights(domain.issues.size());
  auto read_weight = [&](const pugi::xml_node& node) -> Status {
    Result<std::int64_t> index = IndexAttribute(file, node, "weight");
    if (!index.ok()) return index.status();
    const std::string field = "weight[index=" + std::to_string(*index) + "]";
    Result<double> value = NumberAttribute(file, node, "value", field);
    if (!value.ok()) return value.status();
    auto issue = domain.by_index.find(*index);
    if (issue == domain.by_index.end()) {
      if (objective_indices.count(*index)) return Status::Ok();  // an objective's weight
      return InvalidInput(
          "weight index " + std::to_string(*index) + " names no issue or objective of the domain",
          file.At(node, field + ".index"));
    }
    if (*value < 0) {
      return InvalidInput("weight of issue " + Quote(domain.issues[issue->second].id) +
                              " is negative (" + model::FormatNumber(*value) + ")",
                          file.At(node, field + ".value"));
    }
    weights[issue->second] = *value;
    return Status::Ok();
  };
  PARLEY_RETURN_IF_ERROR(ForEachInContainersOrError(root, "weight", read_weight));
  return weights;
}

// The profile's <issue> element of each issue of the domain (empty: none).
Result<std::vector<pugi::xml_node>> FindIssueNodes(const XmlFile& file, const pugi::xml_node& root,
                                                   const Domain& domain) {
  std::vector<pugi::xml_node> issue_nodes(domain.issues.size());
  auto find_issue = [&](const pugi::xml_node& node) -> Status {
    Result<std::int64_t> index = IndexAttribute(file, node, "issue");
    if (!index.ok()) return index.status();
    auto issue = domain.by_index.find(*index);
    if (issue == domain.by_index.end()) {
      return InvalidInput("the profile has issue index " + std::to_string(*index) + " (" +
                              Quote(node.attribute("name").value()) +
                              "), which the domain does not define",
                          file.At(node, IssueField(*index)));
    }
    if (issue_nodes[issue->second]) {
      return InvalidInput("the profile gives issue index " + std::to_string(*index) + " twice",
                          file.At(node, IssueField(*index)));
    }
    issue_nodes[issue->second] = node;
    return Status::Ok();
  };
  PARLEY_RETURN_IF_ERROR(ForEachInContainersOrError(root, "issue", find_issue));
  return issue_nodes;
}

// The value function the profile's <issue> element `node` gives the domain's issue.
Result<ValueFunction> ReadIssueEvaluator(const XmlFile& file, const pugi::xml_node& node,
                                         const Issue& issue, const std::string& field,
                                         ScenarioBudget& budget) {
  PARLEY_RETURN_IF_ERROR(budget.tabulated.Charge(issue.NumOptions(), file.At(node, field)));
  if (pugi::xml_attribute type = node.attribute("type")) {
    std::string profile_type = type.value();
    std::transform(profile_type.begin(), profile_type.end(), profile_type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (profile_type != model::IssueKindName(issue.kind)) {
      return InvalidInput("issue " + Quote(issue.id) + " is " +
                              std::string(model::IssueKindName(issue.kind)) +
                              " in the domain but " + Quote(type.value()) + " in the profile",
                          file.At(node, field + ".type"));
    }
  }
  return issue.kind == IssueKind::kDiscrete ? ReadDiscreteEvaluator(file, node, issue, field)
                                            : ReadNumericEvaluator(file, node, issue, field);
}

Result<std::shared_ptr<const model::UtilityFunction>> ReadLinearProfile(const XmlFile& file,
                                                                        const Domain& domain,
                                                                        ScenarioBudget& budget) {
  pugi::xml_node root = file.doc.document_element();
  PARLEY_ASSIGN_OR_RETURN(std::vector<std::optional<double>> weights,
                          ReadWeights(file, root, domain));
  PARLEY_ASSIGN_OR_RETURN(std::vector<pugi::xml_node> issue_nodes,
                          FindIssueNodes(file, root, domain));
  std::vector<double> weight_values(domain.issues.size());
  std::vector<ValueFunction> values(domain.issues.size());
  for (std::size_t issue_idx = 0; issue_idx < domain.issues.size(); ++issue_idx) {
    const Issue& issue = domain.issues[issue_idx];
    const std::string field = IssueField(domain.genius_index[issue_idx]);
    const pugi::xml_node& node = issue_nodes[issue_idx];
    if (!weights[issue_idx]) {
      return InvalidInput("the profile gives no <weight> for issue " + Quote(issue.id) +
                              " (index " + std::to_string(domain.genius_index[issue_idx]) + ")",
                          node ? file.At(node, field) : file.At(root, field));
    }
    if (!node) {
      return InvalidInput("the profile does not evaluate issue " + Quote(issue.id) + " (index " +
                              std::to_string(domain.genius_index[issue_idx]) + ")",
                          file.At(root, field));
    }
    weight_values[issue_idx] = *weights[issue_idx];
    PARLEY_ASSIGN_OR_RETURN(values[issue_idx],
                            ReadIssueEvaluator(file, node, issue, field, budget));
  }
  return std::shared_ptr<const model::UtilityFunction>(
      std::make_shared<model::AdditiveUtility>(std::move(weight_values), std::move(values)));
}

// ---------------------------------------------------------------------------------------------
// Non-linear profiles

// A <ufun> still to read: its element, the product of the weights of the ufuns it is nested in,
// and its field path.
struct PendingUfun {
  pugi::xml_node ufun;
  double scale = 1;
  std::string field;
};

// Reads one <ufun> into `sets` and appends the ufuns nested in it to `nested`, in document order.
Status ReadOneUfun(const XmlFile& file, const Domain& domain, const PendingUfun& pending,
                   ScenarioBudget& budget, std::vector<model::RectangleSet>& sets,
                   std::vector<PendingUfun>& nested) {
  const pugi::xml_node& ufun = pending.ufun;
  const std::string& field = pending.field;
  const double scale = pending.scale;
  PARLEY_ASSIGN_OR_RETURN(double weight, OptionalNumberAttribute(file, ufun, "weight", field, 1.0));
  if (weight < 0) {
    return InvalidInput("ufun weight is negative (" + model::FormatNumber(weight) + ")",
                        file.At(ufun, field + ".weight"));
  }
  model::RectangleSet set;
  set.weight = scale * weight;
  if (pugi::xml_attribute aggregation = ufun.attribute("aggregation")) {
    std::optional<model::Aggregation> parsed = model::ParseAggregation(Trim(aggregation.value()));
    if (!parsed) {
      return InvalidInput(
          "unknown aggregation " + Quote(aggregation.value()) + " (expected sum, min or max)",
          file.At(ufun, field + ".aggregation"));
    }
    set.aggregation = *parsed;
  }
  int rectangle_number = 0;
  for (pugi::xml_node node = ufun.child("hyperRectangle"); node;
       node = node.next_sibling("hyperRectangle")) {
    const std::string rectangle_field =
        field + ".hyperRectangle[" + std::to_string(rectangle_number++) + "]";
    PARLEY_RETURN_IF_ERROR(budget.rectangles.Charge(1, file.At(node, rectangle_field)));
    model::HyperRectangle rectangle;
    PARLEY_ASSIGN_OR_RETURN(double utility,
                            NumberAttribute(file, node, "utility", rectangle_field));
    PARLEY_ASSIGN_OR_RETURN(double rectangle_weight,
                            OptionalNumberAttribute(file, node, "weight", rectangle_field, 1.0));
    rectangle.utility = utility * rectangle_weight;
    bool has_includes = static_cast<bool>(node.child("INCLUDES"));
    bool has_excludes = static_cast<bool>(node.child("EXCLUDES"));
    if (has_includes && has_excludes) {
      return InvalidInput(
          "a hyperRectangle holds both INCLUDES and EXCLUDES; GENIUS would ignore the INCLUDES, "
          "so state the rectangle with one kind of bound",
          file.At(node, rectangle_field));
    }
    for (pugi::xml_node bound = node.first_child(); bound; bound = bound.next_sibling()) {
      std::string_view kind = bound.name();
      if (kind != "INCLUDES" && kind != "EXCLUDES") continue;
      const std::string bound_field = rectangle_field + "." + std::string(kind);
      PARLEY_ASSIGN_OR_RETURN(std::int64_t index, IndexAttribute(file, bound, bound_field));
      auto issue = domain.by_index.find(index);
      if (issue == domain.by_index.end()) {
        return InvalidInput(
            "bound index " + std::to_string(index) + " names no issue of the domain",
            file.At(bound, bound_field + ".index"));
      }
      PARLEY_ASSIGN_OR_RETURN(double min, NumberAttribute(file, bound, "min", bound_field));
      PARLEY_ASSIGN_OR_RETURN(double max, NumberAttribute(file, bound, "max", bound_field));
      model::RectangleBound parsed{issue->second, min, max};
      (kind == "INCLUDES" ? rectangle.includes : rectangle.excludes).push_back(parsed);
    }
    set.rectangles.push_back(std::move(rectangle));
  }
  model::Aggregation aggregation = set.aggregation;
  sets.push_back(std::move(set));
  int nested_number = 0;
  for (pugi::xml_node child = ufun.child("ufun"); child; child = child.next_sibling("ufun")) {
    const std::string nested_field = field + ".ufun[" + std::to_string(nested_number++) + "]";
    if (aggregation != model::Aggregation::kSum) {
      return Unsupported("a ufun nested in a " + std::string(model::AggregationName(aggregation)) +
                             " ufun is not supported (only in a sum ufun)",
                         file.At(child, nested_field));
    }
    nested.push_back(PendingUfun{child, scale * weight, nested_field});
  }
  return Status::Ok();
}

// Reads a top-level <ufun> and every ufun nested in it, in document order (depth first), with a
// stack of pending ufuns instead of recursion.
Status ReadUfun(const XmlFile& file, const Domain& domain, const pugi::xml_node& ufun,
                const std::string& field, ScenarioBudget& budget,
                std::vector<model::RectangleSet>& sets) {
  std::vector<PendingUfun> stack = {PendingUfun{ufun, 1.0, field}};
  std::vector<PendingUfun> nested;
  while (!stack.empty()) {
    PendingUfun pending = std::move(stack.back());
    stack.pop_back();
    nested.clear();
    PARLEY_RETURN_IF_ERROR(ReadOneUfun(file, domain, pending, budget, sets, nested));
    for (auto it = nested.rbegin(); it != nested.rend(); ++it) stack.push_back(std::move(*it));
  }
  return Status::Ok();
}

Result<std::shared_ptr<const model::UtilityFunction>> ReadNonlinearProfile(const XmlFile& file,
                                                                           const Domain& domain,
                                                                           ScenarioBudget& budget) {
  pugi::xml_node root = file.doc.document_element();
  std::vector<pugi::xml_node> utilities;
  ForEachInContainers(root, "utility",
                      [&](const pugi::xml_node& node) { utilities.push_back(node); });
  if (utilities.empty()) {
    return InvalidInput("the non-linear profile has no <utility> element", file.At(root));
  }
  if (utilities.size() > 1) {
    return InvalidInput("the non-linear profile has more than one <utility> element",
                        file.At(utilities[1], "utility"));
  }
  const pugi::xml_node& utility = utilities.front();
  PARLEY_ASSIGN_OR_RETURN(double max_utility,
                          NumberAttribute(file, utility, "maxutility", "utility"));
  if (!(max_utility > 0)) {
    return InvalidInput("maxutility must be positive, got " + model::FormatNumber(max_utility),
                        file.At(utility, "utility.maxutility"));
  }
  std::vector<model::RectangleSet> sets;
  int ufun_number = 0;
  for (pugi::xml_node ufun = utility.child("ufun"); ufun; ufun = ufun.next_sibling("ufun")) {
    PARLEY_RETURN_IF_ERROR(ReadUfun(
        file, domain, ufun, "utility.ufun[" + std::to_string(ufun_number++) + "]", budget, sets));
  }
  if (sets.empty()) {
    return InvalidInput("the <utility> element holds no <ufun>", file.At(utility, "utility"));
  }
  return std::shared_ptr<const model::UtilityFunction>(
      std::make_shared<model::HyperRectangleUtility>(domain.issues, std::move(sets), max_utility));
}

// ---------------------------------------------------------------------------------------------
// Profiles and scenarios

// The first element named `name` in the containers, if any.
pugi::xml_node FindInContainers(const pugi::xml_node& root, std::string_view name) {
  pugi::xml_node found;
  ForEachInContainers(root, name, [&](const pugi::xml_node& node) {
    if (!found) found = node;
  });
  return found;
}

bool IsNonlinearProfile(const pugi::xml_node& root) {
  std::string type = root.attribute("type").value();
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (type == "nonlinear") return true;
  return FindInContainers(root, "utility") && !FindInContainers(root, "weight");
}

Result<model::Preferences> ReadProfile(const XmlFile& file, const Domain& domain,
                                       ScenarioBudget& budget) {
  pugi::xml_node root = file.doc.document_element();
  if (std::string_view(root.name()) != "utility_space") {
    return InvalidInput("not a GENIUS profile: the root element is <" + std::string(root.name()) +
                            ">, expected <utility_space>",
                        file.At(root));
  }
  model::Preferences preferences;
  if (IsNonlinearProfile(root)) {
    PARLEY_ASSIGN_OR_RETURN(preferences.utility, ReadNonlinearProfile(file, domain, budget));
  } else {
    PARLEY_ASSIGN_OR_RETURN(preferences.utility, ReadLinearProfile(file, domain, budget));
  }
  if (pugi::xml_node reservation = FindInContainers(root, "reservation")) {
    PARLEY_ASSIGN_OR_RETURN(preferences.reservation_value,
                            NumberAttribute(file, reservation, "value", "reservation"));
  }
  if (pugi::xml_node discount = FindInContainers(root, "discount_factor")) {
    PARLEY_ASSIGN_OR_RETURN(double factor,
                            NumberAttribute(file, discount, "value", "discount_factor"));
    preferences.discount = factor > 0 && factor <= 1 ? factor : 1.0;
  }
  return preferences;
}

std::string Stem(const std::string& path) { return fs::path(path).stem().string(); }

// Builds the scenario from a domain and its profiles (already read), then validates it.
Result<model::Scenario> BuildScenario(std::string name, NamedText domain_source,
                                      std::vector<NamedText> profile_sources,
                                      std::vector<std::string> other_files) {
  model::Scenario scenario;
  scenario.name = std::move(name);
  scenario.source_format = model::SourceFormat::kGenius;
  scenario.source_files.push_back(domain_source.path);

  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<XmlFile> domain_file,
                          ParseXml(domain_source.path, std::move(domain_source.text)));
  ScenarioBudget budget;
  PARLEY_ASSIGN_OR_RETURN(Domain domain, ReadDomain(*domain_file, budget));
  if (profile_sources.size() > kMaxParties) {
    return InvalidInput("the scenario has " + std::to_string(profile_sources.size()) +
                            " profiles; parley reads at most " + std::to_string(kMaxParties) +
                            " parties",
                        Location::InFile(profile_sources[kMaxParties].path));
  }
  scenario.issues = domain.issues;

  std::set<std::string> party_ids;
  for (NamedText& profile_source : profile_sources) {
    scenario.source_files.push_back(profile_source.path);
    PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<XmlFile> profile_file,
                            ParseXml(profile_source.path, std::move(profile_source.text)));
    PARLEY_ASSIGN_OR_RETURN(model::Preferences preferences,
                            ReadProfile(*profile_file, domain, budget));
    model::Party party;
    party.name = Stem(profile_source.path);
    party.id = party.name.empty() ? "party" : party.name;
    for (int suffix = 2; party_ids.count(party.id); ++suffix) {
      party.id = party.name + "_" + std::to_string(suffix);
    }
    party_ids.insert(party.id);
    party.role = model::Role::kPrincipal;
    party.preferences = std::move(preferences);
    party.source_file = profile_source.path;
    scenario.parties.push_back(std::move(party));
  }
  for (std::string& other : other_files) scenario.source_files.push_back(std::move(other));

  Status valid = model::ValidateScenario(scenario);
  if (!valid.ok()) {
    // Point at the file the offending value came from.
    std::string file = scenario.source_files.front();
    for (const model::Party& party : scenario.parties) {
      if (valid.location().field.rfind("parties." + party.id + ".", 0) == 0) {
        file = party.source_file;
      }
    }
    valid.WithFile(file);
    return valid;
  }
  return scenario;
}

Result<NamedText> ReadSource(const std::string& path) {
  PARLEY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, kMaxScenarioFileBytes));
  return NamedText{path, std::move(text)};
}

std::string LowerExtension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

std::string FolderName(const std::string& folder) {
  std::string trimmed = folder;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  std::string name = fs::path(trimmed).filename().string();
  if (name.empty() || name == "." || name == "..") {
    std::error_code ec;
    fs::path absolute = fs::weakly_canonical(fs::path(trimmed), ec);
    if (!ec) name = absolute.filename().string();
  }
  return name.empty() ? "genius" : name;
}

Result<model::Scenario> ReadGeniusTextsImpl(NamedText domain, std::vector<NamedText> profiles) {
  if (profiles.empty()) {
    return InvalidInput("a GENIUS scenario needs at least one profile file",
                        Location::InFile(domain.path));
  }
  if (ClassifyGeniusXml(domain.text) == GeniusFileKind::kProfile) {
    return InvalidInput("this is a GENIUS profile, not a domain", Location::InFile(domain.path));
  }
  for (const NamedText& profile : profiles) {
    if (ClassifyGeniusXml(profile.text) == GeniusFileKind::kDomain) {
      return InvalidInput("this is a GENIUS domain, not a profile", Location::InFile(profile.path));
    }
  }
  std::string name = Stem(domain.path);
  return BuildScenario(std::move(name), std::move(domain), std::move(profiles), {});
}

Result<model::Scenario> ReadGeniusFilesImpl(const std::string& domain_path,
                                            const std::vector<std::string>& profile_paths) {
  if (profile_paths.empty()) {
    return InvalidInput("a GENIUS scenario needs at least one profile file",
                        Location::InFile(domain_path));
  }
  std::vector<std::string> paths = {domain_path};
  paths.insert(paths.end(), profile_paths.begin(), profile_paths.end());
  PARLEY_RETURN_IF_ERROR(CheckScenarioFiles(paths, domain_path));
  PARLEY_ASSIGN_OR_RETURN(NamedText domain, ReadSource(domain_path));
  std::vector<NamedText> profiles;
  for (const std::string& path : profile_paths) {
    PARLEY_ASSIGN_OR_RETURN(NamedText profile, ReadSource(path));
    profiles.push_back(std::move(profile));
  }
  return ReadGeniusTextsImpl(std::move(domain), std::move(profiles));
}

Result<model::Scenario> ReadGeniusFolderImpl(const std::string& folder) {
  std::error_code ec;
  if (!fs::exists(folder, ec)) return NotFound("no such folder", Location::InFile(folder));
  if (!fs::is_directory(folder, ec)) {
    return InvalidInput("is a file, expected a folder", Location::InFile(folder));
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && LowerExtension(it->path()) == ".xml") {
      files.push_back(it->path());
    }
  }
  if (ec) return NotFound("cannot list folder: " + ec.message(), Location::InFile(folder));
  std::sort(files.begin(), files.end(), [](const fs::path& left, const fs::path& right) {
    return left.filename().string() < right.filename().string();
  });
  std::vector<std::string> paths;
  for (const fs::path& file : files) paths.push_back(file.string());
  PARLEY_RETURN_IF_ERROR(CheckScenarioFiles(paths, folder));

  std::vector<NamedText> domains;
  std::vector<NamedText> profiles;
  std::vector<std::string> others;
  for (const fs::path& file : files) {
    PARLEY_ASSIGN_OR_RETURN(NamedText source, ReadSource(file.string()));
    switch (ClassifyGeniusXml(source.text)) {
      case GeniusFileKind::kDomain:
        domains.push_back(std::move(source));
        break;
      case GeniusFileKind::kProfile:
        profiles.push_back(std::move(source));
        break;
      case GeniusFileKind::kOther:
        others.push_back(source.path);
        break;
    }
  }
  if (domains.empty()) {
    return InvalidInput("no GENIUS domain file (root <negotiation_template>) in the folder",
                        Location::InFile(folder));
  }
  if (domains.size() > 1) {
    std::string names;
    for (const NamedText& domain : domains) {
      names += (names.empty() ? "" : ", ") + fs::path(domain.path).filename().string();
    }
    return InvalidInput("the folder holds more than one GENIUS domain (" + names +
                            "); name the files with --domain and --profile",
                        Location::InFile(folder));
  }
  if (profiles.empty()) {
    return InvalidInput("the folder holds a GENIUS domain but no profile",
                        Location::InFile(folder));
  }
  return BuildScenario(FolderName(folder), std::move(domains.front()), std::move(profiles),
                       std::move(others));
}

}  // namespace

bool LooksLikeGeniusXml(const std::string& text) {
  std::string root = FirstElementName(text);
  return root == "negotiation_template" || root == "utility_space";
}

GeniusFileKind ClassifyGeniusXml(const std::string& text) {
  std::string root = FirstElementName(text);
  if (root == "negotiation_template") return GeniusFileKind::kDomain;
  if (root != "utility_space") return GeniusFileKind::kOther;
  std::string_view view(text);
  bool profile = view.find("<weight") != std::string_view::npos ||
                 view.find("evaluation=") != std::string_view::npos ||
                 view.find("<evaluator") != std::string_view::npos ||
                 view.find("<ufun") != std::string_view::npos || HasUtilityElement(view);
  return profile ? GeniusFileKind::kProfile : GeniusFileKind::kDomain;
}

Result<model::Scenario> ReadGeniusFiles(const std::string& domain_path,
                                        const std::vector<std::string>& profile_paths) {
  try {
    return ReadGeniusFilesImpl(domain_path, profile_paths);
  } catch (const std::exception& error) {
    return Internal(std::string("reading GENIUS files failed: ") + error.what(),
                    Location::InFile(domain_path));
  }
}

Result<model::Scenario> ReadGeniusTexts(const NamedText& domain,
                                        const std::vector<NamedText>& profiles) {
  try {
    return ReadGeniusTextsImpl(domain, profiles);
  } catch (const std::exception& error) {
    return Internal(std::string("reading GENIUS files failed: ") + error.what(),
                    Location::InFile(domain.path));
  }
}

Result<model::Scenario> ReadGeniusFolder(const std::string& folder) {
  try {
    return ReadGeniusFolderImpl(folder);
  } catch (const std::exception& error) {
    return Internal(std::string("reading a GENIUS folder failed: ") + error.what(),
                    Location::InFile(folder));
  }
}

}  // namespace parley::io
