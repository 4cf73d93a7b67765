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
    PartyModel party_model;
    party_model.utility = additive;
    for (double weight : additive->weights()) party_model.weight_sum += weight;
    party_model.form_sampled.assign(scenario.issues.size(), false);
    const std::string base = "parties." + party.id + ".preferences.";
    auto add = [&](ParameterKind kind, const std::string& path, const model::ValueRange& range,
                   double nominal, bool from_spread) -> Parameter& {
      Parameter parameter;
      parameter.name = model::ParameterNameOfPath(party.id, path);
      parameter.kind = kind;
      parameter.party = position;
      parameter.range = range;
      parameter.nominal = nominal;
      parameter.from_spread = from_spread;
      set.parameters_.push_back(parameter);
      return set.parameters_.back();
    };

    // Weights: ranged as written, or the spread rule on the weights as used.
    bool ranged_weights = false;
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const std::string path = base + "weights." + scenario.issues[issue_idx].id;
      if (const model::ValueRange* range = uncertainty.Find(path)) {
        add(ParameterKind::kWeight, path, *range, additive->weights()[issue_idx], false).issue_idx =
            issue_idx;
        ranged_weights = true;
      }
    }
    if (ranged_weights) {
      auto scale = uncertainty.weight_scales.find(party.id);
      if (scale != uncertainty.weight_scales.end()) {
        party_model.divisor = scale->second.divisor;
        party_model.rescale_weights = scale->second.normalized;
      }
    } else if (spread > 0) {
      for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
        const double weight = additive->weights()[issue_idx];
        add(ParameterKind::kWeight, base + "weights." + scenario.issues[issue_idx].id,
            SpreadRange(weight, std::max(0.0, weight - spread), weight + spread), weight, true)
            .issue_idx = issue_idx;
      }
      party_model.rescale_weights = true;
    }

    // Values: table entries and form numbers with ranges, or the spread rule per option.
    for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
      const model::Issue& issue = scenario.issues[issue_idx];
      const model::ValueFunction& function = additive->values()[issue_idx];
      const std::string prefix = base + "values." + issue.id + ".";
      bool ranged = false;
      for (auto it = uncertainty.ranges.lower_bound(prefix);
           it != uncertainty.ranges.end() && StartsWith(it->first, prefix); ++it) {
        ranged = true;
      }
      if (ranged) {
        if (function.form == model::ValueFunctionForm::kLinear ||
            function.form == model::ValueFunctionForm::kConstant) {
          const char* keys[] = {"at_lower", "at_upper"};
          for (std::size_t point = 0; point < function.points.size() && point < 2; ++point) {
            const std::string key =
                function.form == model::ValueFunctionForm::kConstant ? "value" : keys[point];
            if (const model::ValueRange* range = uncertainty.Find(prefix + key)) {
              Parameter& parameter = add(ParameterKind::kFormValue, prefix + key, *range,
                                         function.points[point].second, false);
              parameter.issue_idx = issue_idx;
              parameter.form_point = point;
              party_model.form_sampled[issue_idx] = true;
            }
          }
        } else {
          for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
            const std::string path = prefix + issue.OptionLabel(option);
            if (const model::ValueRange* range = uncertainty.Find(path)) {
              Parameter& parameter =
                  add(ParameterKind::kValue, path, *range, function.table[option], false);
              parameter.issue_idx = issue_idx;
              parameter.option = static_cast<model::OptionIndex>(option);
            }
          }
        }
      } else if (spread > 0) {
        for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
          const double value = function.table[option];
          Parameter& parameter =
              add(ParameterKind::kValue, prefix + issue.OptionLabel(option),
                  SpreadRange(value, std::max(0.0, value - spread), std::min(1.0, value + spread)),
                  value, true);
          parameter.issue_idx = issue_idx;
          parameter.option = static_cast<model::OptionIndex>(option);
        }
      }
    }

    // Reservation, offset, discount.
    const std::string reservation_path = base + "reservation";
    if (const model::ValueRange* range = uncertainty.Find(reservation_path)) {
      add(ParameterKind::kReservation, reservation_path, *range, range->value, false);
    } else if (spread > 0 && !preferences.reservation_outcome) {
      const double reservation = preferences.ReservationOrZero();
      add(ParameterKind::kReservation, reservation_path,
          SpreadRange(reservation, std::max(0.0, reservation - spread),
                      std::min(1.0, reservation + spread)),
          reservation, true);
    }
    if (const model::ValueRange* range = uncertainty.Find(base + "offset")) {
      add(ParameterKind::kOffset, base + "offset", *range, range->value, false);
    }
    if (const model::ValueRange* range = uncertainty.Find(base + "discount")) {
      add(ParameterKind::kDiscount, base + "discount", *range, range->value, false);
    }

    // Red lines that may not be firm.
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
      set.parameters_.push_back(parameter);
    }
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
    bool reservation_sampled = false;
    for (std::size_t idx = 0; idx < parameters_.size(); ++idx) {
      const Parameter& parameter = parameters_[idx];
      if (parameter.party != position) continue;
      switch (parameter.kind) {
        case ParameterKind::kWeight:
          weights[parameter.issue_idx] =
              parameter.from_spread ? sample[idx] : sample[idx] / party_model.divisor;
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
      out.reported[idx] = sample[idx];
    }
    if (party_model.rescale_weights) {
      double sum = 0;
      for (double weight : weights) sum += weight;
      if (sum > 0) {
        for (double& weight : weights) weight *= party_model.weight_sum / sum;
      } else {
        for (double& weight : weights) weight = party_model.weight_sum / num_issues;
      }
    }
    // Contributions from the (possibly retabulated) value functions.
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      const model::ValueFunction& function = party_model.utility->values()[issue_idx];
      double* row = party.contribution.data() + offsets_[issue_idx];
      if (party_model.form_sampled[issue_idx]) {
        model::ValueFunction copy = function;
        for (std::size_t idx = 0; idx < parameters_.size(); ++idx) {
          const Parameter& parameter = parameters_[idx];
          if (parameter.party == position && parameter.kind == ParameterKind::kFormValue &&
              parameter.issue_idx == issue_idx) {
            copy.points[parameter.form_point].second = sample[idx];
          }
        }
        copy.Tabulate(scenario.issues[issue_idx]);
        for (std::size_t option = 0; option < copy.table.size(); ++option) {
          row[option] = weights[issue_idx] * copy.table[option];
        }
      } else {
        for (std::size_t option = 0; option < function.table.size(); ++option) {
          row[option] = weights[issue_idx] * function.table[option];
        }
      }
    }
    for (std::size_t idx = 0; idx < parameters_.size(); ++idx) {
      const Parameter& parameter = parameters_[idx];
      if (parameter.party != position) continue;
      if (parameter.kind == ParameterKind::kValue) {
        party.contribution[offsets_[parameter.issue_idx] + parameter.option] =
            weights[parameter.issue_idx] * sample[idx];
      } else if (parameter.kind == ParameterKind::kWeight) {
        out.reported[idx] = weights[parameter.issue_idx];
      }
    }
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
