#include "parley/uncertainty/parameters.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parley::uncertainty {

double Parameter::PriorDensity(double value) const {
  if (kind == ParameterKind::kRedLine) return value >= 0.5 ? range.value : 1 - range.value;
  if (value < range.low || value > range.high) return 0;
  const double width = range.high - range.low;
  if (!(width > 0)) return 1;
  if (range.distribution == model::Distribution::kUniform) return 1 / width;
  const double mode = range.value;
  if (value < mode) return 2 * (value - range.low) / (width * (mode - range.low));
  if (value > mode) return 2 * (range.high - value) / (width * (range.high - mode));
  return 2 / width;
}

namespace {

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

model::ValueRange SpreadRange(double value, double low, double high) {
  model::ValueRange range;
  range.value = value;
  range.low = std::min(value, low);
  range.high = std::max(value, high);
  return range;
}

// The party's additive utility. Errors: kInvalidInput when it has no preferences, a utility
// that is not additive, or more than 64 red lines.
Result<const model::AdditiveUtility*> SampledUtility(const model::Party& party) {
  if (!party.preferences) {
    return InvalidInput("party '" + party.id + "' has no preferences to sample");
  }
  const model::Preferences& preferences = *party.preferences;
  const auto* additive = dynamic_cast<const model::AdditiveUtility*>(preferences.utility.get());
  if (additive == nullptr) {
    return InvalidInput("uncertainty analysis needs additive utilities; party '" + party.id +
                            "' has a " + std::string(preferences.utility->Kind()) + " utility",
                        Location::InField("parties." + party.id + ".preferences"));
  }
  if (preferences.red_lines.size() > 64) {
    return InvalidInput("uncertainty analysis handles at most 64 red lines per party; '" +
                            party.id + "' has " + std::to_string(preferences.red_lines.size()),
                        Location::InField("parties." + party.id + ".red_lines"));
  }
  return additive;
}

// Lists one analysed party's parameters, in the order ParameterSet keeps them: weights, values
// issue by issue, reservation, offset, discount, red lines.
struct PartyParameters {
  const model::Scenario& scenario;
  const model::Party& party;
  const model::AdditiveUtility& additive;
  std::size_t position;  // among the analysed parties
  double spread;
  std::vector<Parameter>& parameters;
  std::string base;  // "parties.PARTY.preferences."

  const model::Uncertainty& uncertainty() const { return scenario.uncertainty; }

  Parameter& Add(ParameterKind kind, const std::string& path, const model::ValueRange& range,
                 double nominal, bool from_spread) {
    Parameter parameter;
    parameter.name = model::ParameterNameOfPath(party.id, path);
    parameter.kind = kind;
    parameter.party = position;
    parameter.range = range;
    parameter.nominal = nominal;
    parameter.from_spread = from_spread;
    parameters.push_back(parameter);
    return parameters.back();
  }

  // Weights with ranges as written; false when none has one.
  bool AddRangedWeights() {
    bool ranged_weights = false;
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const std::string path = base + "weights." + scenario.issues[issue_idx].id;
      if (const model::ValueRange* range = uncertainty().Find(path)) {
        Add(ParameterKind::kWeight, path, *range, additive.weights()[issue_idx], false).issue_idx =
            issue_idx;
        ranged_weights = true;
      }
    }
    return ranged_weights;
  }

  // The spread rule on the weights as used.
  void AddSpreadWeights() {
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const double weight = additive.weights()[issue_idx];
      Add(ParameterKind::kWeight, base + "weights." + scenario.issues[issue_idx].id,
          SpreadRange(weight, std::max(0.0, weight - spread), weight + spread), weight, true)
          .issue_idx = issue_idx;
    }
  }

  // A linear or constant function's numbers with ranges; true when one has.
  bool AddRangedFormValues(std::size_t issue_idx, const std::string& prefix,
                           const model::ValueFunction& function) {
    bool sampled = false;
    const char* keys[] = {"at_lower", "at_upper"};
    for (std::size_t point = 0; point < function.points.size() && point < 2; ++point) {
      const std::string key =
          function.form == model::ValueFunctionForm::kConstant ? "value" : keys[point];
      if (const model::ValueRange* range = uncertainty().Find(prefix + key)) {
        Parameter& parameter = Add(ParameterKind::kFormValue, prefix + key, *range,
                                   function.points[point].second, false);
        parameter.issue_idx = issue_idx;
        parameter.form_point = point;
        sampled = true;
      }
    }
    return sampled;
  }

  // Option values: with ranges as written (`spread_rule` false), or by the spread rule.
  void AddOptionValues(std::size_t issue_idx, const std::string& prefix,
                       const model::ValueFunction& function, bool spread_rule) {
    const model::Issue& issue = scenario.issues[issue_idx];
    for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
      const std::string path = prefix + issue.OptionLabel(option);
      Parameter* parameter = nullptr;
      if (spread_rule) {
        const double value = function.table[option];
        parameter =
            &Add(ParameterKind::kValue, path,
                 SpreadRange(value, std::max(0.0, value - spread), std::min(1.0, value + spread)),
                 value, true);
      } else if (const model::ValueRange* range = uncertainty().Find(path)) {
        parameter = &Add(ParameterKind::kValue, path, *range, function.table[option], false);
      }
      if (parameter != nullptr) {
        parameter->issue_idx = issue_idx;
        parameter->option = static_cast<model::OptionIndex>(option);
      }
    }
  }

  // Values: table entries and form numbers with ranges, or the spread rule per option. Per
  // issue: whether a form parameter is sampled.
  std::vector<bool> AddValues() {
    std::vector<bool> form_sampled(scenario.issues.size(), false);
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const model::ValueFunction& function = additive.values()[issue_idx];
      const std::string prefix = base + "values." + scenario.issues[issue_idx].id + ".";
      auto first = uncertainty().ranges.lower_bound(prefix);
      const bool ranged = first != uncertainty().ranges.end() && StartsWith(first->first, prefix);
      if (ranged && (function.form == model::ValueFunctionForm::kLinear ||
                     function.form == model::ValueFunctionForm::kConstant)) {
        form_sampled[issue_idx] = AddRangedFormValues(issue_idx, prefix, function);
      } else if (ranged || spread > 0) {
        AddOptionValues(issue_idx, prefix, function, !ranged);
      }
    }
    return form_sampled;
  }

  void AddReservationOffsetDiscount() {
    const model::Preferences& preferences = *party.preferences;
    const std::string reservation_path = base + "reservation";
    if (const model::ValueRange* range = uncertainty().Find(reservation_path)) {
      Add(ParameterKind::kReservation, reservation_path, *range, range->value, false);
    } else if (spread > 0 && !preferences.reservation_outcome) {
      const double reservation = preferences.ReservationOrZero();
      Add(ParameterKind::kReservation, reservation_path,
          SpreadRange(reservation, std::max(0.0, reservation - spread),
                      std::min(1.0, reservation + spread)),
          reservation, true);
    }
    if (const model::ValueRange* range = uncertainty().Find(base + "offset")) {
      Add(ParameterKind::kOffset, base + "offset", *range, range->value, false);
    }
    if (const model::ValueRange* range = uncertainty().Find(base + "discount")) {
      Add(ParameterKind::kDiscount, base + "discount", *range, range->value, false);
    }
  }

  // Red lines that may not be firm.
  void AddRedLines() {
    const model::Preferences& preferences = *party.preferences;
    for (std::size_t line_idx = 0; line_idx < preferences.red_lines.size(); ++line_idx) {
      const model::RedLine& red_line = preferences.red_lines[line_idx];
      if (red_line.holds >= 1) continue;
      model::ValueRange range;
      range.value = red_line.holds;
      range.high = 1;
      Parameter parameter;
      parameter.name = party.id + ".red_lines." + model::Scenario::RedLineId(preferences, line_idx);
      parameter.kind = ParameterKind::kRedLine;
      parameter.party = position;
      parameter.red_line_idx = line_idx;
      parameter.range = range;
      parameter.nominal = 1;
      parameters.push_back(parameter);
    }
  }
};

}  // namespace

Result<ParameterSet> ParameterSet::Build(const model::Scenario& scenario,
                                         const std::vector<std::size_t>& parties, double spread) {
  if (!(spread >= 0) || !std::isfinite(spread)) {
    return InvalidInput("--spread must be a non-negative number", Location::InField("--spread"));
  }
  ParameterSet set;
  set.scenario_ = &scenario;
  set.parties_ = parties;
  set.spread_ = spread;
  set.offsets_.push_back(0);
  for (const model::Issue& issue : scenario.issues) {
    set.offsets_.push_back(set.offsets_.back() + static_cast<std::size_t>(issue.NumOptions()));
  }
  const model::Uncertainty& uncertainty = scenario.uncertainty;
  for (std::size_t position = 0; position < parties.size(); ++position) {
    const model::Party& party = scenario.parties[parties[position]];
    PARLEY_ASSIGN_OR_RETURN(const model::AdditiveUtility* additive, SampledUtility(party));
    PartyModel party_model;
    party_model.utility = additive;
    for (double weight : additive->weights()) party_model.weight_sum += weight;
    PartyParameters builder{scenario,
                            party,
                            *additive,
                            position,
                            spread,
                            set.parameters_,
                            "parties." + party.id + ".preferences."};
    // Weights: ranged as written, or the spread rule on the weights as used.
    if (builder.AddRangedWeights()) {
      auto scale = uncertainty.weight_scales.find(party.id);
      if (scale != uncertainty.weight_scales.end()) {
        party_model.divisor = scale->second.divisor;
        party_model.rescale_weights = scale->second.normalized;
      }
    } else if (spread > 0) {
      builder.AddSpreadWeights();
      party_model.rescale_weights = true;
    }
    party_model.form_sampled = builder.AddValues();
    builder.AddReservationOffsetDiscount();
    builder.AddRedLines();
    set.models_.push_back(std::move(party_model));
  }
  return set;
}

std::vector<double> ParameterSet::SamplePrior(const std::vector<double>& uniforms) const {
  std::vector<double> sample(parameters_.size());
  for (std::size_t idx = 0; idx < parameters_.size(); ++idx) {
    const Parameter& parameter = parameters_[idx];
    if (parameter.kind == ParameterKind::kRedLine) {
      sample[idx] = uniforms[idx] < parameter.range.value ? 1.0 : 0.0;
    } else {
      sample[idx] = model::QuantileOfRange(parameter.range, uniforms[idx]);
    }
  }
  return sample;
}

double ParameterSet::LogPrior(const std::vector<double>& sample) const {
  double total = 0;
  for (std::size_t idx = 0; idx < parameters_.size(); ++idx) {
    const Parameter& parameter = parameters_[idx];
    if (parameter.kind != ParameterKind::kRedLine &&
        (parameter.range.high - parameter.range.low) <= 0) {
      continue;
    }
    double density = parameter.PriorDensity(sample[idx]);
    if (!(density > 0)) return -std::numeric_limits<double>::infinity();
    total += std::log(density);
  }
  return total;
}

std::vector<double> ParameterSet::Nominal() const {
  std::vector<double> sample(parameters_.size());
  for (std::size_t idx = 0; idx < parameters_.size(); ++idx) {
    sample[idx] =
        parameters_[idx].kind == ParameterKind::kRedLine ? 1.0 : parameters_[idx].range.value;
  }
  return sample;
}

namespace {

// Applies one analysed party's sampled weights (into `weights`), reservation, offset and red
// lines' firmness, and reports each of its parameters as sampled; true when the reservation is
// sampled.
bool ApplyScalarParameters(const std::vector<Parameter>& parameters, std::size_t position,
                           const std::vector<double>& sample, double divisor,
                           std::vector<double>& weights, PartyUtilities& party,
                           std::vector<double>& reported) {
  bool reservation_sampled = false;
  for (std::size_t idx = 0; idx < parameters.size(); ++idx) {
    const Parameter& parameter = parameters[idx];
    if (parameter.party != position) continue;
    switch (parameter.kind) {
      case ParameterKind::kWeight:
        weights[parameter.issue_idx] = parameter.from_spread ? sample[idx] : sample[idx] / divisor;
        break;
      case ParameterKind::kReservation:
        party.reservation = sample[idx];
        reservation_sampled = true;
        break;
      case ParameterKind::kOffset:
        party.offset = sample[idx];
        break;
      case ParameterKind::kRedLine:
        if (sample[idx] < 0.5)
          party.firm_red_lines &= ~(std::uint64_t{1} << parameter.red_line_idx);
        break;
      default:
        break;
    }
    reported[idx] = sample[idx];
  }
  return reservation_sampled;
}

// Rescales the weights to add up to `weight_sum` (equal shares of it when they add up to 0).
void RescaleWeights(double weight_sum, std::vector<double>& weights) {
  double sum = 0;
  for (double weight : weights) sum += weight;
  if (sum > 0) {
    for (double& weight : weights) weight *= weight_sum / sum;
  } else {
    for (double& weight : weights) weight = weight_sum / weights.size();
  }
}

// One issue's row of the contribution table: weight x value, the value function retabulated
// with its sampled numbers when `form_sampled`.
void FillIssueRow(const std::vector<Parameter>& parameters, std::size_t position,
                  std::size_t issue_idx, const model::Issue& issue,
                  const model::ValueFunction& function, bool form_sampled,
                  const std::vector<double>& sample, double weight, double* row) {
  if (!form_sampled) {
    for (std::size_t option = 0; option < function.table.size(); ++option) {
      row[option] = weight * function.table[option];
    }
    return;
  }
  model::ValueFunction copy = function;
  for (std::size_t idx = 0; idx < parameters.size(); ++idx) {
    const Parameter& parameter = parameters[idx];
    if (parameter.party == position && parameter.kind == ParameterKind::kFormValue &&
        parameter.issue_idx == issue_idx) {
      copy.points[parameter.form_point].second = sample[idx];
    }
  }
  copy.Tabulate(issue);
  for (std::size_t option = 0; option < copy.table.size(); ++option) {
    row[option] = weight * copy.table[option];
  }
}

// Sampled option values over the contribution table, and the weights as used, reported.
void ApplyOptionValues(const std::vector<Parameter>& parameters, std::size_t position,
                       const std::vector<double>& sample, const std::vector<std::size_t>& offsets,
                       const std::vector<double>& weights, PartyUtilities& party,
                       std::vector<double>& reported) {
  for (std::size_t idx = 0; idx < parameters.size(); ++idx) {
    const Parameter& parameter = parameters[idx];
    if (parameter.party != position) continue;
    if (parameter.kind == ParameterKind::kValue) {
      party.contribution[offsets[parameter.issue_idx] + parameter.option] =
          weights[parameter.issue_idx] * sample[idx];
    } else if (parameter.kind == ParameterKind::kWeight) {
      reported[idx] = weights[parameter.issue_idx];
    }
  }
}

}  // namespace

void ParameterSet::Materialize(const std::vector<double>& sample, SampledUtilities& out) const {
  const model::Scenario& scenario = *scenario_;
  const std::size_t num_issues = scenario.issues.size();
  out.parties.resize(parties_.size());
  out.reported.resize(parameters_.size());
  std::vector<double> weights;
  for (std::size_t position = 0; position < parties_.size(); ++position) {
    const PartyModel& party_model = models_[position];
    const model::Preferences& preferences = *scenario.parties[parties_[position]].preferences;
    PartyUtilities& party = out.parties[position];
    party.contribution.resize(TableSize());
    party.offset = party_model.utility->offset();
    party.reservation = preferences.ReservationOrZero();
    party.firm_red_lines = 0;
    for (std::size_t line_idx = 0; line_idx < preferences.red_lines.size(); ++line_idx) {
      party.firm_red_lines |= std::uint64_t{1} << line_idx;
    }
    weights = party_model.utility->weights();
    const bool reservation_sampled = ApplyScalarParameters(
        parameters_, position, sample, party_model.divisor, weights, party, out.reported);
    if (party_model.rescale_weights) RescaleWeights(party_model.weight_sum, weights);
    // Contributions from the (possibly retabulated) value functions.
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      FillIssueRow(parameters_, position, issue_idx, scenario.issues[issue_idx],
                   party_model.utility->values()[issue_idx], party_model.form_sampled[issue_idx],
                   sample, weights[issue_idx], party.contribution.data() + offsets_[issue_idx]);
    }
    ApplyOptionValues(parameters_, position, sample, offsets_, weights, party, out.reported);
    if (!reservation_sampled && preferences.reservation_outcome) {
      party.reservation = Utility(party, *preferences.reservation_outcome);
    }
  }
}

double ParameterSet::Utility(const PartyUtilities& utilities, const model::Outcome& outcome) const {
  double total = utilities.offset;
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    total += utilities.contribution[offsets_[issue_idx] + outcome[issue_idx]];
  }
  return total;
}

double ParameterSet::BestCompletion(const PartyUtilities& utilities,
                                    const std::vector<std::int64_t>& partial) const {
  double total = utilities.offset;
  for (std::size_t issue_idx = 0; issue_idx + 1 < offsets_.size(); ++issue_idx) {
    if (partial[issue_idx] >= 0) {
      total +=
          utilities
              .contribution[offsets_[issue_idx] + static_cast<std::size_t>(partial[issue_idx])];
    } else {
      total += *std::max_element(
          utilities.contribution.begin() + static_cast<std::ptrdiff_t>(offsets_[issue_idx]),
          utilities.contribution.begin() + static_cast<std::ptrdiff_t>(offsets_[issue_idx + 1]));
    }
  }
  return total;
}

std::string ParameterSet::Describe(const Parameter& parameter) const {
  const model::Scenario& scenario = *scenario_;
  const model::Party& party = scenario.parties[parties_[parameter.party]];
  const std::string owner = party.name + "'s";
  switch (parameter.kind) {
    case ParameterKind::kRedLine: {
      const model::RedLine& red_line = party.preferences->red_lines[parameter.red_line_idx];
      return owner + " red line '" +
             (red_line.description.empty() ? red_line.text : red_line.description) + "'";
    }
    case ParameterKind::kReservation:
      return owner + " reservation value";
    case ParameterKind::kOffset:
      return owner + " value of any agreement (offset)";
    case ParameterKind::kDiscount:
      return owner + " discount";
    case ParameterKind::kWeight:
      return "the weight " + party.name + " gives " + scenario.issues[parameter.issue_idx].name;
    case ParameterKind::kValue: {
      const model::Issue& issue = scenario.issues[parameter.issue_idx];
      return "how much " + party.name + " values " + issue.OptionLabel(parameter.option) + " on " +
             issue.name;
    }
    case ParameterKind::kFormValue: {
      const model::Issue& issue = scenario.issues[parameter.issue_idx];
      const model::ValueFunction& function =
          models_[parameter.party].utility->values()[parameter.issue_idx];
      std::string where = function.form == model::ValueFunctionForm::kConstant ? "everywhere"
                          : parameter.form_point == 0                          ? "at its lowest"
                                                                               : "at its highest";
      return "how much " + party.name + " values " + issue.name + " " + where;
    }
  }
  return parameter.name;
}

}  // namespace parley::uncertainty
