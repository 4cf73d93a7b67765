// Writing parley's own scenario format (docs/scenario-format.md) as JSON or YAML.
//
// The scenario becomes one nlohmann::ordered_json tree in the documented key order, dumped as
// JSON or emitted as block-style YAML (parley_format_emitter.cc). Numbers are written in their
// shortest round-trip form, so reading the output back gives the same utilities.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "parley/io/internal/parley_format.h"
#include "parley/io/scenario_io.h"
#include "parley/model/hyper_rectangle_utility.h"

namespace parley::io {
namespace {

using internal::Child;
using internal::Element;
using internal::IssuePath;
using internal::PartyPath;
using internal::PhasePath;
using internal::PreferencesPath;
using internal::RedLinePath;
using model::AdditiveUtility;
using model::HyperRectangleUtility;
using model::Issue;
using model::IssueKind;
using model::Party;
using model::Phase;
using model::Preferences;
using model::RedLine;
using model::Scenario;
using model::ValueFunction;
using model::ValueFunctionForm;

// Integral numbers are written without a fraction ("3", not "3.0").
Json Number(double value) {
  if (std::trunc(value) == value && std::fabs(value) < 1e15) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

// Reading divides weights by their sum unless told not to. Finds weights to write such that the
// reader's division gives back exactly `weights`, as a person would have written them:
// - the weights themselves, or rounded to fewer digits (0.24999999999999994, normalised from a
//   file's 0.25 and siblings, is written as 0.25 again; weights summing to exactly 1 as they are);
// - when `look_for_integers` (scenarios written in parley's format), small integers proportional
//   to the weights (weights read as 4, 1, 2, 2, 1 are written so again).
// Returns false (write normalize_weights: false and the weights as they are) when none works;
// imported scenarios then keep their source's figures.
bool NormalizableWeights(std::vector<double>& weights, bool look_for_integers) {
  auto reproduces = [&](const std::vector<double>& candidate) {
    double sum = 0;
    for (double weight : candidate) sum += weight;
    if (!(sum > 0) || !std::isfinite(sum)) return false;
    for (std::size_t idx = 0; idx < candidate.size(); ++idx) {
      if (candidate[idx] / sum != weights[idx]) return false;
    }
    return true;
  };
  for (int digits : {6, 10, 15, 17}) {
    std::vector<double> rounded;
    for (double weight : weights) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.*g", digits, weight);
      rounded.push_back(std::strtod(buffer, nullptr));
    }
    if (reproduces(rounded)) {
      weights = std::move(rounded);
      return true;
    }
  }
  if (!look_for_integers) return false;
  constexpr int kMaxInteger = 100;
  for (int total = 1; total <= kMaxInteger; ++total) {
    // Integers proportional to the weights, for a largest weight of `total`.
    double largest = *std::max_element(weights.begin(), weights.end());
    if (!(largest > 0)) return false;
    std::vector<double> integers;
    bool integral = true;
    for (double weight : weights) {
      double scaled = weight / largest * total;
      double nearest = std::round(scaled);
      if (std::fabs(scaled - nearest) > 1e-9 * total) integral = false;
      integers.push_back(nearest);
    }
    if (integral && reproduces(integers)) {
      weights = std::move(integers);
      return true;
    }
  }
  return false;
}

// weight * divisor in the fewest digits that divide back to `weight`.
double ShortestScaled(double weight, double divisor) {
  const double scaled = weight * divisor;
  for (int digits : {6, 10, 15}) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, scaled);
    double candidate = std::strtod(buffer, nullptr);
    if (candidate / divisor == weight) return candidate;
  }
  return scaled;
}

class ParleyWriter {
 public:
  explicit ParleyWriter(const Scenario& scenario) : scenario_(scenario) {}
  Json Write() const;

 private:
  // The value, or {value, source, note} when provenance is recorded at `path`.
  // Also {value, range, distribution, ...} when the value carries a range.
  Json Scalar(const std::string& path, Json value) const {
    auto found = scenario_.provenance.find(path);
    const model::ValueRange* range = scenario_.uncertainty.Find(path);
    if (found == scenario_.provenance.end() && range == nullptr) return value;
    Json wrapped = Json::object();
    wrapped["value"] = std::move(value);
    if (range != nullptr) {
      wrapped["range"] = {Number(range->low), Number(range->high)};
      if (range->distribution != model::Distribution::kUniform) {
        wrapped["distribution"] = std::string(model::DistributionName(range->distribution));
      }
    }
    if (found != scenario_.provenance.end()) AddProvenance(wrapped, found->second);
    return wrapped;
  }
  void AddProvenance(Json& object, const model::Provenance& provenance) const {
    if (provenance.source != model::Source::kUnspecified) {
      object["source"] = std::string(model::SourceName(provenance.source));
    }
    if (!provenance.note.empty()) object["note"] = provenance.note;
  }
  // Adds `source` / `note` keys for the entity at `path`.
  void AddEntityProvenance(Json& object, const std::string& path) const {
    auto found = scenario_.provenance.find(path);
    if (found != scenario_.provenance.end()) AddProvenance(object, found->second);
  }
  bool HasProvenance(const std::string& path) const { return scenario_.provenance.count(path) > 0; }
  void AddText(Json& object, const std::string& path, const char* key,
               const std::string& text) const {
    const std::string field = Child(path, key);
    if (!text.empty() || HasProvenance(field)) object[key] = Scalar(field, text);
  }

  Json WriteMeta() const;
  Json WriteIssue(const Issue& issue) const;
  Json WritePhase(const Phase& phase) const;
  Json WriteParty(const Party& party) const;
  Json WritePreferences(const Party& party) const;
  void WriteAdditive(const AdditiveUtility& utility, const std::string& party_id, Json& out) const;
  void WriteHyperRectangles(const HyperRectangleUtility& utility, const std::string& path,
                            Json& out) const;
  Json WriteValueFunction(const ValueFunction& function, const Issue& issue,
                          const std::string& path) const;
  Json WriteRedLine(const RedLine& red_line, const std::string& path) const;

  const Scenario& scenario_;
};

Json ParleyWriter::Write() const {
  Json out = Json::object();
  out["parley"] = 1;
  if (!scenario_.name.empty() || HasProvenance("name")) {
    out["name"] = Scalar("name", scenario_.name);
  }
  if (scenario_.source_format != model::SourceFormat::kParley || !scenario_.source_files.empty()) {
    Json imported = Json::object();
    imported["format"] = std::string(model::SourceFormatName(scenario_.source_format));
    if (!scenario_.source_files.empty()) imported["files"] = scenario_.source_files;
    out["imported_from"] = std::move(imported);
  }
  Json meta = WriteMeta();
  if (!meta.empty()) out["meta"] = std::move(meta);
  if (!scenario_.phases.empty()) {
    Json phases = Json::array();
    for (const Phase& phase : scenario_.phases) phases.push_back(WritePhase(phase));
    out["phases"] = std::move(phases);
  }
  Json issues = Json::array();
  for (const Issue& issue : scenario_.issues) issues.push_back(WriteIssue(issue));
  out["issues"] = std::move(issues);
  Json parties = Json::array();
  for (const Party& party : scenario_.parties) parties.push_back(WriteParty(party));
  out["parties"] = std::move(parties);
  return out;
}

Json ParleyWriter::WriteMeta() const {
  const model::Meta& meta = scenario_.meta;
  Json out = Json::object();
  AddText(out, "meta", "title", meta.title);
  AddText(out, "meta", "description", meta.description);
  AddText(out, "meta", "as_of", meta.as_of);
  AddText(out, "meta", "banner", meta.banner);
  if (!meta.references.empty()) {
    Json references = Json::array();
    for (std::size_t reference_idx = 0; reference_idx < meta.references.size(); ++reference_idx) {
      references.push_back(
          Scalar(Element("meta.references", reference_idx), meta.references[reference_idx]));
    }
    out["references"] = std::move(references);
  }
  AddEntityProvenance(out, "meta");
  return out;
}

Json ParleyWriter::WritePhase(const Phase& phase) const {
  const std::string path = PhasePath(phase.id);
  Json out = Json::object();
  out["id"] = phase.id;
  AddText(out, path, "label", phase.label);
  AddText(out, path, "description", phase.description);
  Json issues = Json::array();
  for (std::size_t issue_idx : phase.issue_indices) {
    if (issue_idx < scenario_.issues.size()) issues.push_back(scenario_.issues[issue_idx].id);
  }
  out["issues"] = std::move(issues);
  AddEntityProvenance(out, path);
  return out;
}

Json ParleyWriter::WriteIssue(const Issue& issue) const {
  const std::string path = IssuePath(issue.id);
  Json out = Json::object();
  out["id"] = issue.id;
  if (issue.name != issue.id) out["name"] = Scalar(Child(path, "name"), issue.name);
  AddText(out, path, "description", issue.description);
  switch (issue.kind) {
    case IssueKind::kDiscrete: {
      if (issue.ordered) out["ordered"] = Scalar(Child(path, "ordered"), true);
      Json options = Json::array();
      for (std::size_t option_idx = 0; option_idx < issue.options.size(); ++option_idx) {
        const std::string& label = issue.options[option_idx];
        const std::string option_path = Child(path, "options." + label);
        std::string description = option_idx < issue.option_descriptions.size()
                                      ? issue.option_descriptions[option_idx]
                                      : std::string();
        if (description.empty() && !HasProvenance(option_path) &&
            !HasProvenance(Child(option_path, "description"))) {
          options.push_back(label);
          continue;
        }
        Json option = Json::object();
        option["id"] = label;
        AddText(option, option_path, "description", description);
        AddEntityProvenance(option, option_path);
        options.push_back(std::move(option));
      }
      out["options"] = std::move(options);
      break;
    }
    case IssueKind::kInteger:
      out["type"] = "integer";
      out["range"] = {issue.integer_lower, issue.integer_upper};
      break;
    case IssueKind::kReal:
      out["type"] = "real";
      out["range"] = {Number(issue.real_lower), Number(issue.real_upper)};
      out["step"] = Scalar(Child(path, "step"), Number(issue.real_step));
      break;
  }
  // Phases list their issues; an issue names its phase only when the phase does not list it.
  if (!issue.phase.empty()) {
    std::optional<std::size_t> phase_idx = scenario_.FindPhase(issue.phase);
    std::optional<std::size_t> issue_idx = scenario_.FindIssue(issue.id);
    bool listed = phase_idx && issue_idx &&
                  std::count(scenario_.phases[*phase_idx].issue_indices.begin(),
                             scenario_.phases[*phase_idx].issue_indices.end(), *issue_idx) > 0;
    if (!listed) out["phase"] = issue.phase;
  }
  AddText(out, path, "unit", issue.unit);
  AddEntityProvenance(out, path);
  return out;
}

Json ParleyWriter::WriteParty(const Party& party) const {
  const std::string path = PartyPath(party.id);
  Json out = Json::object();
  out["id"] = party.id;
  if (party.name != party.id) out["name"] = Scalar(Child(path, "name"), party.name);
  out["role"] = std::string(model::RoleName(party.role));
  if (!party.enabled || HasProvenance(Child(path, "enabled"))) {
    out["enabled"] = Scalar(Child(path, "enabled"), party.enabled);
  }
  AddText(out, path, "description", party.description);
  if (!party.source_file.empty()) out["source_file"] = party.source_file;
  AddEntityProvenance(out, path);
  if (party.preferences) out["preferences"] = WritePreferences(party);
  return out;
}

Json ParleyWriter::WritePreferences(const Party& party) const {
  const Preferences& preferences = *party.preferences;
  const std::string path = PreferencesPath(party.id);
  Json out = Json::object();
  if (const auto* additive = dynamic_cast<const AdditiveUtility*>(preferences.utility.get())) {
    WriteAdditive(*additive, party.id, out);
  } else if (const auto* rectangles =
                 dynamic_cast<const HyperRectangleUtility*>(preferences.utility.get())) {
    WriteHyperRectangles(*rectangles, path, out);
  }
  const std::string reservation_path = Child(path, "reservation");
  if (preferences.reservation_outcome &&
      preferences.reservation_outcome->size() == scenario_.issues.size()) {
    Json outcome = Json::object();
    for (std::size_t issue_idx = 0; issue_idx < scenario_.issues.size(); ++issue_idx) {
      const Issue& issue = scenario_.issues[issue_idx];
      std::uint64_t option = (*preferences.reservation_outcome)[issue_idx];
      if (option >= issue.NumOptions()) continue;
      if (issue.kind == IssueKind::kDiscrete) {
        outcome[issue.id] = issue.options[option];
      } else if (issue.kind == IssueKind::kInteger) {
        outcome[issue.id] = issue.integer_lower + static_cast<std::int64_t>(option);
      } else {
        outcome[issue.id] = Number(issue.NumericValue(option));
      }
    }
    Json reservation = Json::object();
    reservation["outcome"] = std::move(outcome);
    AddEntityProvenance(reservation, reservation_path);
    out["reservation"] = std::move(reservation);
  } else if (preferences.reservation_value) {
    out["reservation"] = Scalar(reservation_path, Number(*preferences.reservation_value));
  }
  const std::string discount_path = Child(path, "discount");
  if (preferences.discount != 1 || HasProvenance(discount_path)) {
    out["discount"] = Scalar(discount_path, Number(preferences.discount));
  }
  if (!preferences.red_lines.empty()) {
    Json red_lines = Json::array();
    for (std::size_t line_idx = 0; line_idx < preferences.red_lines.size(); ++line_idx) {
      red_lines.push_back(
          WriteRedLine(preferences.red_lines[line_idx], RedLinePath(party.id, line_idx)));
    }
    out["red_lines"] = std::move(red_lines);
  }
  AddEntityProvenance(out, path);
  return out;
}

void ParleyWriter::WriteAdditive(const AdditiveUtility& utility, const std::string& party_id,
                                 Json& out) const {
  const std::string path = PreferencesPath(party_id);
  const std::size_t num_issues = std::min(utility.NumIssues(), scenario_.issues.size());
  std::vector<double> written(utility.weights().begin(),
                              utility.weights().begin() + static_cast<std::ptrdiff_t>(num_issues));
  bool normalize;
  auto scale = scenario_.uncertainty.weight_scales.find(party_id);
  if (scale != scenario_.uncertainty.weight_scales.end()) {
    // Ranges are on the scale the file wrote its weights in: write the weights on it again.
    normalize = scale->second.normalized;
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      const model::ValueRange* range =
          scenario_.uncertainty.Find(Child(path, "weights." + scenario_.issues[issue_idx].id));
      written[issue_idx] = range != nullptr
                               ? range->value
                               : ShortestScaled(written[issue_idx], scale->second.divisor);
    }
  } else {
    normalize =
        NormalizableWeights(written, scenario_.source_format == model::SourceFormat::kParley);
  }
  Json weights = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    const std::string& id = scenario_.issues[issue_idx].id;
    weights[id] = Scalar(Child(path, "weights." + id), Number(written[issue_idx]));
  }
  out["weights"] = std::move(weights);
  const std::string normalize_path = Child(path, "normalize_weights");
  if (!normalize || HasProvenance(normalize_path)) {
    out["normalize_weights"] = Scalar(normalize_path, normalize);
  }
  const std::string offset_path = Child(path, "offset");
  if (utility.offset() != 0 || HasProvenance(offset_path)) {
    out["offset"] = Scalar(offset_path, Number(utility.offset()));
  }
  Json values = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    const Issue& issue = scenario_.issues[issue_idx];
    values[issue.id] =
        WriteValueFunction(utility.values()[issue_idx], issue, Child(path, "values." + issue.id));
  }
  out["values"] = std::move(values);
}

// True when tabulating `candidate` for the issue reproduces `table` (to 1e-12).
bool Reproduces(ValueFunction candidate, const Issue& issue, const std::vector<double>& table) {
  candidate.Tabulate(issue);
  if (candidate.table.size() != table.size()) return false;
  for (std::size_t option = 0; option < table.size(); ++option) {
    if (!(std::fabs(candidate.table[option] - table[option]) <= 1e-12)) return false;
  }
  return true;
}

Json ParleyWriter::WriteValueFunction(const ValueFunction& function, const Issue& issue,
                                      const std::string& path) const {
  Json out = Json::object();
  const std::uint64_t num_options = issue.NumOptions();
  const auto& points = function.points;
  // A form is written only when re-reading it gives the same table; otherwise the table itself.
  if (issue.IsNumeric() && num_options > 0 && function.form != ValueFunctionForm::kTable) {
    const double lower = issue.NumericValue(0);
    const double upper = issue.NumericValue(num_options - 1);
    if (function.form == ValueFunctionForm::kLinear && points.size() == 2 &&
        points[0].first == lower && points[1].first == upper) {
      ValueFunction candidate{ValueFunctionForm::kLinear, points, {}};
      if (Reproduces(candidate, issue, function.table)) {
        out["type"] = "linear";
        out["at_lower"] = Scalar(Child(path, "at_lower"), Number(points[0].second));
        out["at_upper"] = Scalar(Child(path, "at_upper"), Number(points[1].second));
      }
    } else if (function.form == ValueFunctionForm::kTriangular && points.size() == 3 &&
               points[0].second == 0 && points[1].second == 1 && points[2].second == 0 &&
               points[0].first < points[1].first && points[1].first < points[2].first) {
      ValueFunction candidate{ValueFunctionForm::kTriangular, points, {}};
      if (Reproduces(candidate, issue, function.table)) {
        out["type"] = "triangular";
        out["lower"] = Scalar(Child(path, "lower"), Number(points[0].first));
        out["peak"] = Scalar(Child(path, "peak"), Number(points[1].first));
        out["upper"] = Scalar(Child(path, "upper"), Number(points[2].first));
      }
    }
    if (out.empty() && function.form != ValueFunctionForm::kConstant && !points.empty() &&
        std::is_sorted(points.begin(), points.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; })) {
      // Linear functions whose points are not the bounds read as piecewise-linear ones.
      ValueFunction candidate{ValueFunctionForm::kPiecewiseLinear, points, {}};
      if (Reproduces(candidate, issue, function.table)) {
        out["type"] = "piecewise_linear";
        Json list = Json::array();
        for (const auto& [x, value] : points) list.push_back({Number(x), Number(value)});
        out["points"] = std::move(list);
      }
    }
  }
  if (out.empty() && function.form == ValueFunctionForm::kConstant && points.size() == 1) {
    ValueFunction candidate{ValueFunctionForm::kConstant, points, {}};
    if (Reproduces(candidate, issue, function.table)) {
      out["type"] = "constant";
      out["value"] = Scalar(Child(path, "value"), Number(points[0].second));
    }
  }
  if (out.empty()) {
    Json table = Json::object();
    for (std::uint64_t option = 0; option < num_options && option < function.table.size();
         ++option) {
      const std::string label = issue.OptionLabel(option);
      table[label] = Scalar(Child(path, label), Number(function.table[option]));
    }
    // The short form needs option labels that cannot be taken for the form's own keys.
    bool short_form = issue.kind == IssueKind::kDiscrete;
    for (const std::string& label : issue.options) {
      if (label == "type" || label == "source" || label == "note") short_form = false;
    }
    if (short_form) {
      out = std::move(table);
    } else {
      out["type"] = "table";
      out["values"] = std::move(table);
    }
  }
  AddEntityProvenance(out, path);
  return out;
}

void ParleyWriter::WriteHyperRectangles(const HyperRectangleUtility& utility,
                                        const std::string& path, Json& out) const {
  out["type"] = "hyper_rectangle";
  out["max_utility"] = Scalar(Child(path, "max_utility"), Number(utility.max_utility()));
  Json sets = Json::array();
  for (std::size_t set_idx = 0; set_idx < utility.sets().size(); ++set_idx) {
    const model::RectangleSet& set = utility.sets()[set_idx];
    const std::string set_path = Element(Child(path, "sets"), set_idx);
    Json set_out = Json::object();
    set_out["weight"] = Scalar(Child(set_path, "weight"), Number(set.weight));
    set_out["aggregation"] = std::string(model::AggregationName(set.aggregation));
    Json rectangles = Json::array();
    for (std::size_t rectangle_idx = 0; rectangle_idx < set.rectangles.size(); ++rectangle_idx) {
      const model::HyperRectangle& rectangle = set.rectangles[rectangle_idx];
      const std::string rectangle_path = Element(Child(set_path, "rectangles"), rectangle_idx);
      Json rectangle_out = Json::object();
      rectangle_out["utility"] =
          Scalar(Child(rectangle_path, "utility"), Number(rectangle.utility));
      for (const auto& [key, bounds] : {std::pair{"includes", &rectangle.includes},
                                        std::pair{"excludes", &rectangle.excludes}}) {
        if (bounds->empty()) continue;
        Json bounds_out = Json::object();
        for (const model::RectangleBound& bound : *bounds) {
          if (bound.issue_idx >= scenario_.issues.size()) continue;
          const std::string& id = scenario_.issues[bound.issue_idx].id;
          if (bounds_out.contains(id)) {
            // Two ranges on one issue of a box: the box's side is their intersection.
            double min = std::max(bounds_out[id][0].get<double>(), bound.min);
            double max = std::min(bounds_out[id][1].get<double>(), bound.max);
            bounds_out[id] = {Number(min), Number(max)};
          } else {
            bounds_out[id] = {Number(bound.min), Number(bound.max)};
          }
        }
        rectangle_out[key] = std::move(bounds_out);
      }
      rectangles.push_back(std::move(rectangle_out));
    }
    set_out["rectangles"] = std::move(rectangles);
    sets.push_back(std::move(set_out));
  }
  out["sets"] = std::move(sets);
}

Json ParleyWriter::WriteRedLine(const RedLine& red_line, const std::string& path) const {
  Json out = Json::object();
  // The text as written, unless it no longer reads against the issues (then a rewrite).
  std::string text = red_line.text;
  if (text.empty() || !model::ParseExpression(text, scenario_.issues).ok()) {
    text = model::FormatExpression(red_line.expression, scenario_.issues);
  }
  if (!red_line.id.empty()) out["id"] = red_line.id;
  out[red_line.kind == RedLine::Kind::kForbid ? "forbid" : "require"] = text;
  const std::string holds_path = Child(path, "holds");
  if (red_line.holds != 1 || HasProvenance(holds_path)) {
    out["holds"] = Scalar(holds_path, Number(red_line.holds));
  }
  AddText(out, path, "description", red_line.description);
  AddEntityProvenance(out, path);
  return out;
}

}  // namespace

std::string WriteParleyYaml(const model::Scenario& scenario) {
  Json document = ParleyWriter(scenario).Write();
  return internal::EmitYamlDocument(document);
}

std::string WriteParleyJson(const model::Scenario& scenario) {
  Json document = ParleyWriter(scenario).Write();
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}
}  // namespace parley::io
