// Opponent models: estimates of another party's utility, learnt only from what that party said.
//
// Both models are additive: estimate(o) = sum_i w_i * v_i(o_i) with weights summing to 1 and
// values in [0, 1], so estimates lie in [0, 1].
//
// FrequencyModel follows HardHeaded (van Krimpen, Looije & Hajizadeh, ANAC 2011 winner), as
// described by Baarslag et al. 2013 ("Predicting the performance of opponent models"):
// - issue weights start equal; after each offer, every issue whose option did not change since the
//   opponent's previous offer gains `learning_rate / num_issues`, then weights are renormalised
//   (an opponent keeps the issues it cares about fixed);
// - every option starts with count 1 and gains 1 each time it appears in an offer; an option's
//   value is its count divided by the issue's largest count (an opponent asks often for what it
//   likes).
// `AddEvidence` adds weighted counts without touching the weights (a mediator uses it for texts a
// principal accepted). With `smooth_ordered` (our extension, off for HardHeaded), an observation
// on a numeric or ordered issue also counts for its neighbours, linearly less up to a quarter of
// the issue's range away, so nearby values share credit (a party asking for 10 probably prefers 12
// to 40).
//
// BayesianModel is a simplified, factored form of Hindriks & Tykhonov 2008 ("Opponent modelling
// in automated multi-issue negotiation using Bayesian learning"), their scalable variant that
// learns each issue separately:
// - per issue, hypotheses are pairs (weight level, value shape). Weight levels are 0.2, 0.4, ...,
//   1.0 (normalised over issues when estimating). Value shapes: for numeric and ordered issues,
//   triangles over the option positions peaking at up to 11 evenly spread positions (a peak at the
//   first or last position is a downhill or uphill line); for unordered issues, "option j is the
//   one it wants" (1 for j, 0 for the others). Uniform priors.
// - the opponent is assumed to concede linearly in time: its offer at relative time t is worth
//   about tau(t) = 1 - 0.5 t to itself (H&T assume a known concession tactic; this is ours).
// - an offer b updates each issue's posterior with the likelihood
//   exp(-(U_h(b) - tau)^2 / (2 sigma^2)), sigma = 0.25, where U_h(b) is the estimate of b with
//   this issue's hypothesis h and the other issues at their current expected weight and value.
// Estimates use the posterior expectations of weights and values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/model/issue.h"
#include "parley/model/outcome_space.h"

namespace parley::strategies {

class OpponentModel {
 public:
  virtual ~OpponentModel() = default;
  // Learns from the opponent's next offer, in the order it made them, made at relative time
  // `time`.
  virtual void Observe(const model::Outcome& offer, double time) = 0;
  // Estimated utility for the opponent, in [0, 1].
  virtual double Estimate(const model::Outcome& outcome) const = 0;
  // Estimated issue weights (sum 1).
  virtual std::vector<double> Weights() const = 0;
  virtual int num_observed() const = 0;
};

enum class OpponentModelKind { kNone, kFrequency, kBayesian };
// "none", "frequency", "bayesian".
std::string_view OpponentModelKindName(OpponentModelKind kind);
std::optional<OpponentModelKind> ParseOpponentModelKind(std::string_view text);
// nullptr for kNone. Option counts above `kMaxModelledOptions` are modelled on a coarser grid
// (options map to buckets by position), so huge numeric issues stay cheap.
std::unique_ptr<OpponentModel> MakeOpponentModel(OpponentModelKind kind,
                                                 const std::vector<model::Issue>& issues);
inline constexpr std::uint64_t kMaxModelledOptions = 4096;

class FrequencyModel final : public OpponentModel {
 public:
  explicit FrequencyModel(const std::vector<model::Issue>& issues, double learning_rate = 0.2,
                          bool smooth_ordered = false);
  void Observe(const model::Outcome& offer, double time) override;
  double Estimate(const model::Outcome& outcome) const override;
  std::vector<double> Weights() const override { return weights_; }
  int num_observed() const override { return num_observed_; }

  // Adds `amount` (>= 0) to the counts of the outcome's options; weights are unchanged.
  void AddEvidence(const model::Outcome& outcome, double amount);
  // The value of one option, in [0, 1].
  double Value(std::size_t issue_idx, model::OptionIndex option) const;

 private:
  std::size_t Bucket(std::size_t issue_idx, model::OptionIndex option) const;

  double learning_rate_;
  std::vector<std::uint64_t> cardinalities_;
  std::vector<double> weights_;
  std::vector<std::vector<double>> counts_;  // per issue, per bucket
  std::vector<double> max_counts_;
  std::vector<std::size_t> spread_;  // per issue: kernel half-width in buckets (0: none)
  model::Outcome previous_;
  int num_observed_ = 0;
};

class BayesianModel final : public OpponentModel {
 public:
  explicit BayesianModel(const std::vector<model::Issue>& issues);
  void Observe(const model::Outcome& offer, double time) override;
  double Estimate(const model::Outcome& outcome) const override;
  std::vector<double> Weights() const override;
  int num_observed() const override { return num_observed_; }

  // Posterior expected value of one option, in [0, 1].
  double ExpectedValue(std::size_t issue_idx, model::OptionIndex option) const;

 private:
  struct IssueHypotheses {
    std::uint64_t cardinality = 1;
    bool positional = false;        // numeric or ordered: triangular shapes
    std::vector<double> peaks;      // positional: peak positions; else one per option
    std::vector<double> posterior;  // [weight level][shape], row-major
  };
  double ShapeValue(const IssueHypotheses& issue, std::size_t shape,
                    model::OptionIndex option) const;
  double PosteriorWeight(std::size_t issue_idx) const;
  double PosteriorValue(std::size_t issue_idx, model::OptionIndex option) const;
  // Recomputes the expectations below from the posteriors.
  void RefreshExpectations();

  std::vector<IssueHypotheses> issues_;
  std::vector<double> expected_weights_;              // per issue
  std::vector<std::vector<double>> expected_values_;  // per issue, per option (small issues)
  int num_observed_ = 0;
};

}  // namespace parley::strategies
