#include "parley/strategies/common/opponent_model.h"

#include <algorithm>
#include <cmath>

namespace parley::strategies {
namespace {

constexpr int kWeightLevels = 5;  // 0.2, 0.4, ..., 1.0
constexpr std::size_t kMaxPeaks = 11;
constexpr double kSigma = 0.25;

double WeightLevel(int level) { return 0.2 * (level + 1); }

// The opponent's assumed own utility for an offer made at relative time `time`.
double AssumedConcession(double time) { return 1.0 - 0.5 * std::clamp(time, 0.0, 1.0); }

}  // namespace

std::string_view OpponentModelKindName(OpponentModelKind kind) {
  switch (kind) {
    case OpponentModelKind::kNone:
      return "none";
    case OpponentModelKind::kFrequency:
      return "frequency";
    case OpponentModelKind::kBayesian:
      return "bayesian";
  }
  return "none";
}

std::optional<OpponentModelKind> ParseOpponentModelKind(std::string_view text) {
  if (text == "none") return OpponentModelKind::kNone;
  if (text == "frequency") return OpponentModelKind::kFrequency;
  if (text == "bayesian") return OpponentModelKind::kBayesian;
  return std::nullopt;
}

std::unique_ptr<OpponentModel> MakeOpponentModel(OpponentModelKind kind,
                                                 const std::vector<model::Issue>& issues) {
  switch (kind) {
    case OpponentModelKind::kNone:
      return nullptr;
    case OpponentModelKind::kFrequency:
      return std::make_unique<FrequencyModel>(issues);
    case OpponentModelKind::kBayesian:
      return std::make_unique<BayesianModel>(issues);
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// FrequencyModel

FrequencyModel::FrequencyModel(const std::vector<model::Issue>& issues, double learning_rate,
                               bool smooth_ordered)
    : learning_rate_(learning_rate) {
  const std::size_t num_issues = issues.size();
  weights_.assign(num_issues, num_issues == 0 ? 0.0 : 1.0 / static_cast<double>(num_issues));
  for (const model::Issue& issue : issues) {
    std::uint64_t cardinality = std::max<std::uint64_t>(issue.NumOptions(), 1);
    cardinalities_.push_back(cardinality);
    const std::size_t buckets =
        static_cast<std::size_t>(std::min(cardinality, kMaxModelledOptions));
    counts_.emplace_back(buckets, 1.0);
    max_counts_.push_back(1.0);
    const bool positional = issue.IsNumeric() || issue.ordered;
    spread_.push_back(smooth_ordered && positional ? buckets / 4 : 0);
  }
}

std::size_t FrequencyModel::Bucket(std::size_t issue_idx, model::OptionIndex option) const {
  std::uint64_t cardinality = cardinalities_[issue_idx];
  if (cardinality <= kMaxModelledOptions) return option;
  return static_cast<std::size_t>((static_cast<double>(option) / static_cast<double>(cardinality)) *
                                  static_cast<double>(kMaxModelledOptions));
}

void FrequencyModel::Observe(const model::Outcome& offer, double time) {
  (void)time;
  const std::size_t num_issues = weights_.size();
  if (offer.size() != num_issues) return;
  if (num_observed_ > 0 && num_issues > 0) {
    const double bonus = learning_rate_ / static_cast<double>(num_issues);
    double total = 0;
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      if (offer[issue_idx] == previous_[issue_idx]) weights_[issue_idx] += bonus;
      total += weights_[issue_idx];
    }
    for (double& weight : weights_) weight /= total;
  }
  AddEvidence(offer, 1.0);
  previous_ = offer;
  ++num_observed_;
}

void FrequencyModel::AddEvidence(const model::Outcome& outcome, double amount) {
  if (outcome.size() != weights_.size() || !(amount > 0)) return;
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    std::vector<double>& counts = counts_[issue_idx];
    const std::size_t center = Bucket(issue_idx, outcome[issue_idx]);
    const std::size_t spread = spread_[issue_idx];
    // Triangular kernel: the option itself gains `amount`, neighbours within `spread` positions
    // gain linearly less.
    const std::size_t first = center >= spread ? center - spread : 0;
    const std::size_t last = std::min(counts.size() - 1, center + spread);
    for (std::size_t bucket = first; bucket <= last; ++bucket) {
      const double distance =
          static_cast<double>(bucket > center ? bucket - center : center - bucket);
      counts[bucket] += amount * (1.0 - distance / static_cast<double>(spread + 1));
      max_counts_[issue_idx] = std::max(max_counts_[issue_idx], counts[bucket]);
    }
  }
}

double FrequencyModel::Value(std::size_t issue_idx, model::OptionIndex option) const {
  return counts_[issue_idx][Bucket(issue_idx, option)] / max_counts_[issue_idx];
}

double FrequencyModel::Estimate(const model::Outcome& outcome) const {
  double total = 0;
  for (std::size_t issue_idx = 0; issue_idx < outcome.size() && issue_idx < weights_.size();
       ++issue_idx) {
    total += weights_[issue_idx] * Value(issue_idx, outcome[issue_idx]);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// BayesianModel

BayesianModel::BayesianModel(const std::vector<model::Issue>& issues) {
  for (const model::Issue& issue : issues) {
    IssueHypotheses hypotheses;
    hypotheses.cardinality = std::max<std::uint64_t>(issue.NumOptions(), 1);
    hypotheses.positional =
        issue.IsNumeric() || issue.ordered || hypotheses.cardinality > kMaxModelledOptions;
    if (hypotheses.positional) {
      const double last = static_cast<double>(hypotheses.cardinality - 1);
      std::size_t num_peaks = std::min<std::uint64_t>(hypotheses.cardinality, kMaxPeaks);
      for (std::size_t peak = 0; peak < num_peaks; ++peak) {
        hypotheses.peaks.push_back(num_peaks == 1 ? 0.0
                                                  : std::round(last * static_cast<double>(peak) /
                                                               static_cast<double>(num_peaks - 1)));
      }
    } else {
      for (std::uint64_t option = 0; option < hypotheses.cardinality; ++option) {
        hypotheses.peaks.push_back(static_cast<double>(option));
      }
    }
    std::size_t num_hypotheses = kWeightLevels * hypotheses.peaks.size();
    hypotheses.posterior.assign(num_hypotheses, 1.0 / static_cast<double>(num_hypotheses));
    issues_.push_back(std::move(hypotheses));
  }
  RefreshExpectations();
}

double BayesianModel::ShapeValue(const IssueHypotheses& issue, std::size_t shape,
                                 model::OptionIndex option) const {
  const double position = static_cast<double>(option);
  const double peak = issue.peaks[shape];
  if (!issue.positional) return position == peak ? 1.0 : 0.0;
  const double last = static_cast<double>(issue.cardinality - 1);
  if (last <= 0) return 1.0;
  if (position <= peak) return peak <= 0 ? 1.0 : position / peak;
  return peak >= last ? 1.0 : (last - position) / (last - peak);
}

double BayesianModel::PosteriorWeight(std::size_t issue_idx) const {
  const IssueHypotheses& issue = issues_[issue_idx];
  const std::size_t num_shapes = issue.peaks.size();
  double expected = 0;
  for (int level = 0; level < kWeightLevels; ++level) {
    double mass = 0;
    for (std::size_t shape = 0; shape < num_shapes; ++shape) {
      mass += issue.posterior[level * num_shapes + shape];
    }
    expected += WeightLevel(level) * mass;
  }
  return expected;
}

double BayesianModel::PosteriorValue(std::size_t issue_idx, model::OptionIndex option) const {
  const IssueHypotheses& issue = issues_[issue_idx];
  const std::size_t num_shapes = issue.peaks.size();
  double expected = 0;
  for (std::size_t shape = 0; shape < num_shapes; ++shape) {
    double mass = 0;
    for (int level = 0; level < kWeightLevels; ++level) {
      mass += issue.posterior[level * num_shapes + shape];
    }
    expected += mass * ShapeValue(issue, shape, option);
  }
  return expected;
}

void BayesianModel::RefreshExpectations() {
  expected_weights_.resize(issues_.size());
  expected_values_.resize(issues_.size());
  for (std::size_t issue_idx = 0; issue_idx < issues_.size(); ++issue_idx) {
    expected_weights_[issue_idx] = PosteriorWeight(issue_idx);
    std::vector<double>& values = expected_values_[issue_idx];
    values.clear();
    if (issues_[issue_idx].cardinality > kMaxModelledOptions) continue;  // computed when asked
    for (std::uint64_t option = 0; option < issues_[issue_idx].cardinality; ++option) {
      values.push_back(PosteriorValue(issue_idx, static_cast<model::OptionIndex>(option)));
    }
  }
}

double BayesianModel::ExpectedValue(std::size_t issue_idx, model::OptionIndex option) const {
  const std::vector<double>& values = expected_values_[issue_idx];
  return option < values.size() ? values[option] : PosteriorValue(issue_idx, option);
}

std::vector<double> BayesianModel::Weights() const {
  std::vector<double> weights = expected_weights_;
  double total = 0;
  for (double weight : weights) total += weight;
  if (total > 0) {
    for (double& weight : weights) weight /= total;
  }
  return weights;
}

void BayesianModel::Observe(const model::Outcome& offer, double time) {
  const std::size_t num_issues = issues_.size();
  if (offer.size() != num_issues) return;
  // Expectations before this offer, for the issues held at their expectation.
  std::vector<double> weight(num_issues);
  std::vector<double> weighted_value(num_issues);
  double weight_sum = 0;
  double weighted_sum = 0;
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    weight[issue_idx] = expected_weights_[issue_idx];
    weighted_value[issue_idx] = weight[issue_idx] * ExpectedValue(issue_idx, offer[issue_idx]);
    weight_sum += weight[issue_idx];
    weighted_sum += weighted_value[issue_idx];
  }
  const double expected_utility = AssumedConcession(time);
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    IssueHypotheses& issue = issues_[issue_idx];
    const std::size_t num_shapes = issue.peaks.size();
    const double other_weights = weight_sum - weight[issue_idx];
    const double other_values = weighted_sum - weighted_value[issue_idx];
    double total = 0;
    for (int level = 0; level < kWeightLevels; ++level) {
      const double w = WeightLevel(level);
      for (std::size_t shape = 0; shape < num_shapes; ++shape) {
        double predicted =
            (w * ShapeValue(issue, shape, offer[issue_idx]) + other_values) / (w + other_weights);
        double error = predicted - expected_utility;
        double& probability = issue.posterior[level * num_shapes + shape];
        probability *= std::exp(-error * error / (2 * kSigma * kSigma));
        total += probability;
      }
    }
    if (total > 0 && std::isfinite(total)) {
      for (double& probability : issue.posterior) probability /= total;
    } else {
      std::fill(issue.posterior.begin(), issue.posterior.end(),
                1.0 / static_cast<double>(issue.posterior.size()));
    }
  }
  ++num_observed_;
  RefreshExpectations();
}

double BayesianModel::Estimate(const model::Outcome& outcome) const {
  double total_weight = 0;
  double total = 0;
  for (std::size_t issue_idx = 0; issue_idx < issues_.size() && issue_idx < outcome.size();
       ++issue_idx) {
    double weight = expected_weights_[issue_idx];
    total_weight += weight;
    total += weight * ExpectedValue(issue_idx, outcome[issue_idx]);
  }
  return total_weight > 0 ? total / total_weight : 0.0;
}

}  // namespace parley::strategies
