#include "parley/analysis/gaps.h"

#include <algorithm>
#include <cmath>

#include "parley/model/utility.h"

namespace parley::analysis {
namespace {

const model::AdditiveUtility* AsAdditive(const model::Party& party) {
  return dynamic_cast<const model::AdditiveUtility*>(party.preferences->utility.get());
}

bool AllAdditive(const model::Scenario& scenario, const std::vector<std::size_t>& parties) {
  for (std::size_t party_idx : parties) {
    if (AsAdditive(scenario.parties[party_idx]) == nullptr) return false;
  }
  return true;
}

// Gap between options x and y of one issue, as documented in gaps.h.
double OptionGap(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                 bool additive, std::size_t issue_idx, model::OptionIndex x, model::OptionIndex y) {
  if (x == y) return 0.0;
  const model::Issue& issue = scenario.issues[issue_idx];
  if (!additive) {
    if (issue.IsNumeric() || issue.ordered) {
      double steps = static_cast<double>(issue.NumOptions() - 1);
      return steps > 0 ? std::fabs(static_cast<double>(x) - static_cast<double>(y)) / steps : 0.0;
    }
    return 1.0;
  }
  double total = 0;
  for (std::size_t party_idx : parties) {
    const auto& table = AsAdditive(scenario.parties[party_idx])->values()[issue_idx].table;
    auto [low, high] = std::minmax_element(table.begin(), table.end());
    double spread = *high - *low;
    if (spread > 0) total += std::fabs(table[x] - table[y]) / spread;
  }
  return total / static_cast<double>(parties.size());
}

std::vector<double> IssueWeights(const model::Scenario& scenario,
                                 const std::vector<std::size_t>& parties, bool additive) {
  std::vector<double> weights(scenario.issues.size(), 1.0);
  if (additive) {
    std::fill(weights.begin(), weights.end(), 0.0);
    for (std::size_t party_idx : parties) {
      const auto* utility = AsAdditive(scenario.parties[party_idx]);
      double sum = 0;
      for (double weight : utility->weights()) sum += weight;
      for (std::size_t issue_idx = 0; issue_idx < weights.size(); ++issue_idx) {
        if (sum > 0) weights[issue_idx] += utility->weights()[issue_idx] / sum;
      }
    }
  }
  double sum = 0;
  for (double weight : weights) sum += weight;
  for (double& weight : weights) weight = sum > 0 ? weight / sum : 0.0;
  return weights;
}

model::OptionIndex IdealOption(const model::Scenario& scenario, std::size_t party_idx,
                               std::size_t issue_idx, const model::Outcome& best_outcome) {
  const auto* utility = AsAdditive(scenario.parties[party_idx]);
  if (utility == nullptr) return best_outcome[issue_idx];
  const auto& table = utility->values()[issue_idx].table;
  return static_cast<model::OptionIndex>(std::max_element(table.begin(), table.end()) -
                                         table.begin());
}

void FinishOverall(Gaps& gaps) {
  gaps.overall = 0;
  for (const IssueGap& issue_gap : gaps.issues) gaps.overall += issue_gap.weight * issue_gap.gap;
  // Normalised weights sum to 1 only up to rounding; keep the documented range.
  gaps.overall = std::clamp(gaps.overall, 0.0, 1.0);
}

}  // namespace

Gaps ComputeIdealGaps(const model::Scenario& scenario, const std::vector<std::size_t>& parties) {
  Gaps gaps;
  gaps.parties = parties;
  bool additive = AllAdditive(scenario, parties);
  std::vector<double> weights = IssueWeights(scenario, parties, additive);
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  std::vector<model::Outcome> best_outcomes;
  for (std::size_t party_idx : parties) {
    best_outcomes.push_back(
        model::ComputeUtilityRange(*scenario.parties[party_idx].preferences->utility, space)
            .argmax);
  }
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    IssueGap issue_gap;
    issue_gap.issue_idx = issue_idx;
    issue_gap.weight = weights[issue_idx];
    for (std::size_t position = 0; position < parties.size(); ++position) {
      issue_gap.ideal_options.push_back(
          IdealOption(scenario, parties[position], issue_idx, best_outcomes[position]));
    }
    double total = 0;
    int pairs = 0;
    for (std::size_t a = 0; a < parties.size(); ++a) {
      for (std::size_t b = a + 1; b < parties.size(); ++b) {
        total += OptionGap(scenario, parties, additive, issue_idx, issue_gap.ideal_options[a],
                           issue_gap.ideal_options[b]);
        ++pairs;
      }
    }
    issue_gap.gap = pairs > 0 ? total / pairs : 0.0;
    gaps.issues.push_back(issue_gap);
  }
  FinishOverall(gaps);
  return gaps;
}

Gaps ComputeOfferGaps(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                      const model::Outcome& first, const model::Outcome& second) {
  Gaps gaps;
  gaps.parties = parties;
  bool additive = AllAdditive(scenario, parties);
  std::vector<double> weights = IssueWeights(scenario, parties, additive);
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    IssueGap issue_gap;
    issue_gap.issue_idx = issue_idx;
    issue_gap.weight = weights[issue_idx];
    issue_gap.gap =
        OptionGap(scenario, parties, additive, issue_idx, first[issue_idx], second[issue_idx]);
    gaps.issues.push_back(issue_gap);
  }
  FinishOverall(gaps);
  return gaps;
}

std::vector<std::vector<double>> ComputeGapTables(const model::Scenario& scenario,
                                                  const std::vector<std::size_t>& parties,
                                                  const model::Outcome& reference) {
  bool additive = AllAdditive(scenario, parties);
  std::vector<double> weights = IssueWeights(scenario, parties, additive);
  std::vector<std::vector<double>> tables(scenario.issues.size());
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    const std::uint64_t num_options = scenario.issues[issue_idx].NumOptions();
    std::vector<double>& table = tables[issue_idx];
    table.assign(num_options, 0.0);
    const model::OptionIndex at = reference[issue_idx];
    if (!additive) {
      for (std::uint64_t option = 0; option < num_options; ++option) {
        table[option] = weights[issue_idx] * OptionGap(scenario, parties, false, issue_idx,
                                                       static_cast<model::OptionIndex>(option), at);
      }
      continue;
    }
    // OptionGap's sum, with each party's spread computed once per issue.
    for (std::size_t party_idx : parties) {
      const auto& values = AsAdditive(scenario.parties[party_idx])->values()[issue_idx].table;
      auto [low, high] = std::minmax_element(values.begin(), values.end());
      double spread = *high - *low;
      if (!(spread > 0)) continue;
      for (std::uint64_t option = 0; option < num_options; ++option) {
        if (option != at) table[option] += std::fabs(values[option] - values[at]) / spread;
      }
    }
    for (double& gap : table)
      gap = weights[issue_idx] * (gap / static_cast<double>(parties.size()));
  }
  return tables;
}

}  // namespace parley::analysis
