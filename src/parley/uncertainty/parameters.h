// The uncertain parameters of a scenario and the utilities they give, sample by sample.
//
// A ParameterSet lists, for the analysed parties (principals by default), every preference
// number that is uncertain: those with a `range` in the file (model/uncertainty.h), red lines
// with `holds` below 1, and, with a spread S > 0, every weight, option value and reservation
// value without a range, under this rule (docs/uncertainty.md states it too):
//   - each option value v ~ U[max(0, v - S), min(1, v + S)] (per option of every issue whose
//     value function carries no range; a value outside [0, 1] keeps itself inside its range);
//   - each weight w (as used in evaluation) ~ U[max(0, w - S), w + S], then the party's weights
//     are rescaled to their original sum (for parties none of whose weights has a range);
//   - each reservation value r ~ U[max(0, r - S), min(1, r + S)] (0 when none is stated; a
//     reservation given as an outcome follows that outcome's sampled utility instead).
// Ranged weights are sampled as written and divided by the sum the file divides by.
//
// Parameters are named PARTY.weights.ISSUE, PARTY.values.ISSUE.OPTION (or .at_lower, .at_upper,
// .value for a linear or constant function's numbers), PARTY.reservation, PARTY.offset,
// PARTY.discount and PARTY.red_lines.ID. A sample is one value per parameter (1 or 0 for a red
// line: firm or not); Materialize turns it into the per-issue contribution tables that additive
// evaluation needs, so each sample costs a few hundred multiply-adds whatever the outcome count.
// Only additive utilities can be sampled.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/model/scenario.h"

namespace parley::uncertainty {

enum class ParameterKind {
  kWeight,
  kValue,
  kFormValue,
  kReservation,
  kOffset,
  kDiscount,
  kRedLine
};

struct Parameter {
  std::string name;  // e.g. "israel.weights.ceasefire"
  ParameterKind kind = ParameterKind::kValue;
  std::size_t party = 0;          // position among the analysed parties
  std::size_t issue_idx = 0;      // weights, values
  model::OptionIndex option = 0;  // kValue
  std::size_t form_point = 0;     // kFormValue: index into the value function's points
  std::size_t red_line_idx = 0;   // kRedLine
  model::ValueRange range;        // the prior; red lines: value = holds, range [0, 1]
  bool from_spread = false;
  // The parameter as used in evaluation at the file's figures (weights normalised).
  double nominal = 0;

  // Prior density (uniform or triangular on the range; red lines: holds or 1 - holds).
  double PriorDensity(double value) const;
};

// What one sample gives each analysed party.
struct PartyUtilities {
  // contribution[offsets[issue] + option] = weight * value of the option.
  std::vector<double> contribution;
  double offset = 0;
  double reservation = 0;
  std::uint64_t firm_red_lines = 0;  // bit k: the party's red line k is firm in this sample
};

struct SampledUtilities {
  std::vector<PartyUtilities> parties;
  // Each parameter as used in evaluation (weights normalised), in ParameterSet order.
  std::vector<double> reported;
};

class ParameterSet {
 public:
  // Errors: kInvalidInput when an analysed party has no additive utility, has more than 64 red
  // lines, or spread is negative.
  static Result<ParameterSet> Build(const model::Scenario& scenario,
                                    const std::vector<std::size_t>& parties, double spread);

  const model::Scenario& scenario() const { return *scenario_; }
  const std::vector<std::size_t>& parties() const { return parties_; }  // scenario indices
  const std::vector<Parameter>& parameters() const { return parameters_; }
  // Start of each issue's options in a contribution table.
  const std::vector<std::size_t>& offsets() const { return offsets_; }
  std::size_t TableSize() const { return offsets_.back(); }
  double spread() const { return spread_; }

  // Draws one sample from the prior; `uniforms` supplies numbers in [0, 1), one per parameter.
  std::vector<double> SamplePrior(const std::vector<double>& uniforms) const;
  // The log prior density of a sample (-infinity outside the ranges).
  double LogPrior(const std::vector<double>& sample) const;
  // The file's figures: every parameter at its value, red lines firm.
  std::vector<double> Nominal() const;
  void Materialize(const std::vector<double>& sample, SampledUtilities& out) const;

  // Utility of an outcome for analysed party `party` under materialised utilities.
  double Utility(const PartyUtilities& utilities, const model::Outcome& outcome) const;
  // Utility where issues with no option (`kNoOption`) take the party's best option.
  double BestCompletion(const PartyUtilities& utilities,
                        const std::vector<std::int64_t>& partial) const;

  // Words for a parameter: "Hamas's red line 'full military withdrawal'", "Government of
  // Israel's reservation value", "the weight Hamas gives Military withdrawal".
  std::string Describe(const Parameter& parameter) const;

 private:
  const model::Scenario* scenario_ = nullptr;
  std::vector<std::size_t> parties_;
  std::vector<Parameter> parameters_;
  std::vector<std::size_t> offsets_;
  double spread_ = 0;
  // Per analysed party: the utility, its weights' original sum, and whether its weights are
  // rescaled to that sum after sampling.
  struct PartyModel {
    const model::AdditiveUtility* utility = nullptr;
    double weight_sum = 0;
    bool rescale_weights = false;
    double divisor = 1;  // ranged weights are divided by this (the file's sum of weights)
    std::vector<bool> form_sampled;  // per issue: a form parameter is sampled
  };
  std::vector<PartyModel> models_;
};

}  // namespace parley::uncertainty
