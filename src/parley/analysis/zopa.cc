#include "parley/analysis/zopa.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>
#include <random>

#include "parley/model/utility.h"

namespace parley::analysis {
namespace {

constexpr double kTolerance = 1e-12;

std::vector<const model::RedLine*> CollectRedLines(const model::Scenario& scenario,
                                                   const std::vector<std::size_t>& parties) {
  std::vector<const model::RedLine*> red_lines;
  for (std::size_t party_idx : parties) {
    for (const model::RedLine& red_line : scenario.parties[party_idx].preferences->red_lines) {
      red_lines.push_back(&red_line);
    }
  }
  return red_lines;
}

std::vector<double> Thresholds(const model::Scenario& scenario,
                               const std::vector<std::size_t>& parties) {
  std::vector<double> thresholds;
  for (std::size_t party_idx : parties) {
    thresholds.push_back(scenario.parties[party_idx].preferences->ReservationOrZero() - kTolerance);
  }
  return thresholds;
}

std::vector<const model::AdditiveUtility*> AdditiveUtilities(
    const model::Scenario& scenario, const std::vector<std::size_t>& parties) {
  std::vector<const model::AdditiveUtility*> utilities;
  for (std::size_t party_idx : parties) {
    const auto* additive = dynamic_cast<const model::AdditiveUtility*>(
        scenario.parties[party_idx].preferences->utility.get());
    if (additive == nullptr) return {};
    utilities.push_back(additive);
  }
  return utilities;
}

bool AllowedByAll(const std::vector<const model::RedLine*>& red_lines,
                  const model::Outcome& outcome) {
  for (const model::RedLine* red_line : red_lines) {
    if (!red_line->Allows(outcome)) return false;
  }
  return true;
}

// Counts by walking every outcome. Additive utilities are summed incrementally in issue order
// from the offset, so each sum equals Evaluate() bit for bit.
Result<std::uint64_t> CountByEnumeration(const model::Scenario& scenario,
                                         const std::vector<std::size_t>& parties,
                                         const model::OutcomeSpace& space,
                                         const std::stop_token& stop) {
  const std::vector<double> thresholds = Thresholds(scenario, parties);
  const std::vector<const model::RedLine*> red_lines = CollectRedLines(scenario, parties);
  const std::vector<const model::AdditiveUtility*> additive = AdditiveUtilities(scenario, parties);
  const std::size_t num_issues = space.NumIssues();
  const std::size_t num_parties = parties.size();
  const std::uint64_t total = *space.Count64();
  std::uint64_t count = 0;
  model::Outcome outcome(num_issues, 0);
  // prefix[party][level]: utility of the issues before `level`, from the offset.
  std::vector<std::vector<double>> prefix(num_parties, std::vector<double>(num_issues + 1, 0.0));
  auto refresh_prefix = [&](std::size_t from_level) {
    for (std::size_t party = 0; party < num_parties; ++party) {
      if (from_level == 0) prefix[party][0] = additive[party]->offset();
      for (std::size_t level = std::max<std::size_t>(from_level, 1); level <= num_issues; ++level) {
        prefix[party][level] =
            prefix[party][level - 1] + additive[party]->Contribution(level - 1, outcome[level - 1]);
      }
    }
  };
  if (!additive.empty()) refresh_prefix(0);
  for (std::uint64_t index = 0; index < total; ++index) {
    if ((index & 0xFFFFF) == 0 && stop.stop_requested()) {
      return Status(ErrorCode::kCancelled, "zone of agreement count cancelled");
    }
    bool acceptable = true;
    for (std::size_t party = 0; party < num_parties && acceptable; ++party) {
      double utility =
          additive.empty()
              ? scenario.parties[parties[party]].preferences->utility->Evaluate(outcome)
              : prefix[party][num_issues];
      acceptable = utility >= thresholds[party];
    }
    if (acceptable && AllowedByAll(red_lines, outcome)) ++count;
    // Advance the odometer (last issue fastest) and refresh the sums from the first change.
    std::size_t level = num_issues;
    while (level-- > 0) {
      if (++outcome[level] < space.Cardinality(level)) break;
      outcome[level] = 0;
    }
    if (!additive.empty() && index + 1 < total) refresh_prefix(level + 1);
  }
  return count;
}

struct Half {
  std::vector<std::size_t> issues;
  std::uint64_t size = 1;
};

// Splits issues into two halves keeping each red line's issues together, balancing the product
// of option counts. Returns false when a half would exceed `half_limit`.
bool SplitIssues(const model::Scenario& scenario,
                 const std::vector<const model::RedLine*>& red_lines,
                 const model::OutcomeSpace& space, std::uint64_t half_limit, Half& first,
                 Half& second) {
  const std::size_t num_issues = space.NumIssues();
  std::vector<std::size_t> group(num_issues);
  std::iota(group.begin(), group.end(), 0);
  std::function<std::size_t(std::size_t)> find = [&](std::size_t issue) {
    return group[issue] == issue ? issue : group[issue] = find(group[issue]);
  };
  for (const model::RedLine* red_line : red_lines) {
    std::vector<std::size_t> mentioned = red_line->expression.MentionedIssues();
    for (std::size_t position = 1; position < mentioned.size(); ++position) {
      group[find(mentioned[position])] = find(mentioned[0]);
    }
  }
  std::vector<std::vector<std::size_t>> groups(num_issues);
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    groups[find(issue_idx)].push_back(issue_idx);
  }
  struct Group {
    std::vector<std::size_t> issues;
    double log_size = 0;
  };
  std::vector<Group> sized;
  for (auto& members : groups) {
    if (members.empty()) continue;
    Group entry{members, 0.0};
    for (std::size_t issue_idx : members) {
      entry.log_size += std::log2(static_cast<double>(space.Cardinality(issue_idx)));
    }
    sized.push_back(entry);
  }
  std::sort(sized.begin(), sized.end(),
            [](const Group& a, const Group& b) { return a.log_size > b.log_size; });
  double log_first = 0;
  double log_second = 0;
  for (const Group& entry : sized) {
    Half& target = log_first <= log_second ? first : second;
    (log_first <= log_second ? log_first : log_second) += entry.log_size;
    target.issues.insert(target.issues.end(), entry.issues.begin(), entry.issues.end());
  }
  (void)scenario;
  for (Half* half : {&first, &second}) {
    std::sort(half->issues.begin(), half->issues.end());
    BigCount size(1);
    for (std::size_t issue_idx : half->issues) size *= BigCount(space.Cardinality(issue_idx));
    if (!size.FitsUint64() || *size.ToUint64() > half_limit) return false;
    half->size = *size.ToUint64();
  }
  return true;
}

// Partial utilities (one vector per party) of every allowed assignment of a half's issues.
std::vector<std::vector<double>> EnumerateHalf(
    const Half& half, const model::OutcomeSpace& space,
    const std::vector<const model::AdditiveUtility*>& additive,
    const std::vector<const model::RedLine*>& red_lines) {
  std::vector<const model::RedLine*> inside;
  for (const model::RedLine* red_line : red_lines) {
    std::vector<std::size_t> mentioned = red_line->expression.MentionedIssues();
    if (!mentioned.empty() &&
        std::binary_search(half.issues.begin(), half.issues.end(), mentioned.front())) {
      inside.push_back(red_line);
    }
  }
  const std::size_t num_parties = additive.size();
  std::vector<std::vector<double>> sums(num_parties);
  model::Outcome outcome(space.NumIssues(), 0);
  for (std::uint64_t index = 0; index < half.size; ++index) {
    if (AllowedByAll(inside, outcome)) {
      for (std::size_t party = 0; party < num_parties; ++party) {
        double sum = 0;
        for (std::size_t issue_idx : half.issues) {
          sum += additive[party]->Contribution(issue_idx, outcome[issue_idx]);
        }
        sums[party].push_back(sum);
      }
    }
    for (std::size_t position = half.issues.size(); position-- > 0;) {
      std::size_t issue_idx = half.issues[position];
      if (++outcome[issue_idx] < space.Cardinality(issue_idx)) break;
      outcome[issue_idx] = 0;
    }
  }
  return sums;
}

// Counts pairs (a in first, b in second) with a_p + b_p >= threshold_p for every party (1 or 2).
std::uint64_t CountPairs(const std::vector<std::vector<double>>& first,
                         const std::vector<std::vector<double>>& second,
                         const std::vector<double>& thresholds) {
  if (thresholds.size() == 1) {
    std::vector<double> b = second[0];
    std::sort(b.begin(), b.end());
    std::uint64_t count = 0;
    for (double a : first[0]) {
      count += static_cast<std::uint64_t>(b.end() -
                                          std::lower_bound(b.begin(), b.end(), thresholds[0] - a));
    }
    return count;
  }
  // Two parties: queries need b0 >= t0 - a0 and b1 >= t1 - a1. Sweep by the first coordinate
  // (descending), inserting b points into a Fenwick tree over the rank of their second coordinate.
  const std::size_t num_b = second[0].size();
  std::vector<std::size_t> order_b(num_b);
  std::iota(order_b.begin(), order_b.end(), 0);
  std::sort(order_b.begin(), order_b.end(),
            [&](std::size_t x, std::size_t y) { return second[0][x] > second[0][y]; });
  std::vector<double> ranks = second[1];
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  std::vector<std::uint64_t> tree(ranks.size() + 1, 0);
  auto add = [&](std::size_t rank) {
    for (std::size_t i = rank + 1; i < tree.size(); i += i & (~i + 1)) ++tree[i];
  };
  auto prefix_count = [&](std::size_t rank) {  // points with rank < `rank`
    std::uint64_t total = 0;
    for (std::size_t i = rank; i > 0; i -= i & (~i + 1)) total += tree[i];
    return total;
  };
  const std::size_t num_a = first[0].size();
  std::vector<std::size_t> order_a(num_a);
  std::iota(order_a.begin(), order_a.end(), 0);
  // Ascending need on the first coordinate = descending a0.
  std::sort(order_a.begin(), order_a.end(),
            [&](std::size_t x, std::size_t y) { return first[0][x] < first[0][y]; });
  std::uint64_t count = 0;
  std::uint64_t inserted = 0;
  std::size_t next_b = 0;
  for (std::size_t a : order_a) {
    double need0 = thresholds[0] - first[0][a];
    while (next_b < num_b && second[0][order_b[next_b]] >= need0) {
      std::size_t b = order_b[next_b++];
      add(static_cast<std::size_t>(std::lower_bound(ranks.begin(), ranks.end(), second[1][b]) -
                                   ranks.begin()));
      ++inserted;
    }
    double need1 = thresholds[1] - first[1][a];
    std::size_t below = static_cast<std::size_t>(
        std::lower_bound(ranks.begin(), ranks.end(), need1) - ranks.begin());
    count += inserted - prefix_count(below);
  }
  return count;
}

BigCount EstimateCount(const BigCount& total, double fraction) {
  if (auto total64 = total.ToUint64()) {
    return BigCount(
        static_cast<std::uint64_t>(std::llround(static_cast<double>(*total64) * fraction)));
  }
  // total x fraction in exact arithmetic, the fraction to 2^-32 (far finer than any sample gives):
  // a double cannot hold totals beyond 1e308 (a 1,000-issue space has 10^1000 outcomes).
  constexpr double kScale = 4294967296.0;
  BigCount count =
      total *
      BigCount(static_cast<std::uint64_t>(std::llround(std::clamp(fraction, 0.0, 1.0) * kScale)));
  count.DivideInPlace(static_cast<std::uint64_t>(kScale));
  return count;
}

}  // namespace

std::string_view ZopaMethodName(ZopaMethod method) {
  switch (method) {
    case ZopaMethod::kFrontier:
      return "frontier";
    case ZopaMethod::kEnumeration:
      return "enumeration";
    case ZopaMethod::kMeetInTheMiddle:
      return "meet_in_the_middle";
    case ZopaMethod::kSampling:
      return "sampling";
  }
  return "enumeration";
}

Result<bool> ZopaExists(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                        const std::stop_token& stop) {
  ParetoOptions options;
  options.parties = parties;
  options.respect_red_lines = true;
  options.stop = stop;
  PARLEY_ASSIGN_OR_RETURN(ParetoFrontier frontier, ComputeParetoFrontier(scenario, options));
  const std::vector<double> thresholds = Thresholds(scenario, parties);
  for (const ParetoPoint& point : frontier.points) {
    bool acceptable = true;
    for (std::size_t position = 0; position < thresholds.size(); ++position) {
      if (point.utilities[position] < thresholds[position]) acceptable = false;
    }
    if (acceptable) return true;
  }
  return false;
}

bool InZopa(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
            const model::Outcome& outcome) {
  for (std::size_t party_idx : parties) {
    const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
    if (preferences.utility->Evaluate(outcome) < preferences.ReservationOrZero() - kTolerance) {
      return false;
    }
    if (!preferences.AllowedByRedLines(outcome)) return false;
  }
  return true;
}

namespace {

// Whether an exact Pareto frontier, when a cheap one exists, shows that no outcome is acceptable
// to every party (false when it shows one is, or there is no cheap exact frontier).
Result<bool> FrontierRulesOutZone(const model::Scenario& scenario,
                                  const std::vector<std::size_t>& parties,
                                  const ZopaOptions& options) {
  // An acceptable outcome exists exactly when an acceptable frontier point does. Acceptability is
  // checked here, within the tolerance, rather than by the frontier's own reservation filter,
  // which compares exactly and would miss an outcome a rounding step below a reservation.
  ParetoOptions frontier_options;
  frontier_options.parties = parties;
  frontier_options.respect_red_lines = true;
  frontier_options.stop = options.stop;
  // Only a cheap exact answer helps here; anything else falls through to counting.
  frontier_options.max_frontier_size = 200'000;
  frontier_options.enumeration_limit = 0;
  frontier_options.search_budget = 0;
  Result<ParetoFrontier> frontier = ComputeParetoFrontier(scenario, frontier_options);
  if (frontier.ok() && frontier->exact) {
    const std::vector<double> thresholds = Thresholds(scenario, parties);
    bool any_acceptable = false;
    for (const ParetoPoint& point : frontier->points) {
      bool acceptable = true;
      for (std::size_t position = 0; position < thresholds.size(); ++position) {
        if (point.utilities[position] < thresholds[position]) acceptable = false;
      }
      if (acceptable) {
        any_acceptable = true;
        break;
      }
    }
    if (!any_acceptable) return true;
  }
  if (!frontier.ok() && frontier.status().code() == ErrorCode::kCancelled) {
    return frontier.status();
  }
  return false;
}

// The exact count by meeting in the middle (two parties with additive utilities whose issues
// split into halves the red lines do not straddle), or nothing when that does not apply.
std::optional<std::uint64_t> CountByMeetingInTheMiddle(const model::Scenario& scenario,
                                                       const std::vector<std::size_t>& parties,
                                                       const model::OutcomeSpace& space,
                                                       const ZopaOptions& options,
                                                       std::uint64_t& outcomes_examined) {
  std::vector<const model::AdditiveUtility*> additive = AdditiveUtilities(scenario, parties);
  std::vector<const model::RedLine*> red_lines = CollectRedLines(scenario, parties);
  Half first;
  Half second;
  if (!additive.empty() && parties.size() <= 2 &&
      SplitIssues(scenario, red_lines, space, options.half_limit, first, second)) {
    std::vector<std::vector<double>> first_sums = EnumerateHalf(first, space, additive, red_lines);
    std::vector<std::vector<double>> second_sums =
        EnumerateHalf(second, space, additive, red_lines);
    // Offsets go to the first half's sums.
    for (std::size_t party = 0; party < additive.size(); ++party) {
      for (double& sum : first_sums[party]) sum += additive[party]->offset();
    }
    std::uint64_t count = CountPairs(first_sums, second_sums, Thresholds(scenario, parties));
    outcomes_examined = first.size + second.size;
    return count;
  }
  return std::nullopt;
}

// An estimate from uniform samples, with a Wilson score interval at 95%.
Status EstimateBySampling(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                          const model::OutcomeSpace& space, const ZopaOptions& options,
                          Zopa& zopa) {
  const BigCount& total = space.Count();
  std::mt19937_64 rng(options.seed);
  std::uint64_t hits = 0;
  model::Outcome outcome(space.NumIssues());
  for (std::uint64_t sample = 0; sample < options.samples; ++sample) {
    if ((sample & 0xFFFF) == 0 && options.stop.stop_requested()) {
      return Status(ErrorCode::kCancelled, "zone of agreement sampling cancelled");
    }
    for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
      outcome[issue_idx] = static_cast<model::OptionIndex>(rng() % space.Cardinality(issue_idx));
    }
    if (InZopa(scenario, parties, outcome)) ++hits;
  }
  double n = static_cast<double>(options.samples);
  double p = static_cast<double>(hits) / n;
  const double z = 1.96;
  double center = (p + z * z / (2 * n)) / (1 + z * z / n);
  double half_width = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  zopa.method = ZopaMethod::kSampling;
  zopa.exact = false;
  zopa.fraction = p;
  zopa.fraction_low = std::max(0.0, center - half_width);
  zopa.fraction_high = std::min(1.0, center + half_width);
  zopa.outcomes_examined = options.samples;
  zopa.count = EstimateCount(total, p);
  return Status::Ok();
}

}  // namespace

Result<Zopa> ComputeZopa(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                         const ZopaOptions& options) {
  for (std::size_t party_idx : parties) {
    if (party_idx >= scenario.parties.size() || !scenario.parties[party_idx].preferences) {
      return InvalidInput("zone of agreement: every analysed party needs preferences");
    }
  }
  Zopa zopa;
  zopa.parties = parties;
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  const BigCount& total = space.Count();
  auto finish_exact = [&](BigCount count, ZopaMethod method) {
    zopa.method = method;
    zopa.exact = true;
    zopa.fraction = total == BigCount(0) ? 0.0 : count.ToDouble() / total.ToDouble();
    if (total.FitsUint64() && count.FitsUint64() && total > BigCount(0)) {
      zopa.fraction =
          static_cast<double>(*count.ToUint64()) / static_cast<double>(*total.ToUint64());
    }
    zopa.fraction_low = zopa.fraction_high = zopa.fraction;
    zopa.count = std::move(count);
    return zopa;
  };
  if (total == BigCount(0)) return finish_exact(BigCount(0), ZopaMethod::kEnumeration);

  PARLEY_ASSIGN_OR_RETURN(bool ruled_out, FrontierRulesOutZone(scenario, parties, options));
  if (ruled_out) return finish_exact(BigCount(0), ZopaMethod::kFrontier);

  if (space.IsEnumerable(options.enumeration_limit)) {
    PARLEY_ASSIGN_OR_RETURN(std::uint64_t count,
                            CountByEnumeration(scenario, parties, space, options.stop));
    zopa.outcomes_examined = *space.Count64();
    return finish_exact(BigCount(count), ZopaMethod::kEnumeration);
  }

  std::uint64_t examined = 0;
  if (std::optional<std::uint64_t> count =
          CountByMeetingInTheMiddle(scenario, parties, space, options, examined)) {
    zopa.outcomes_examined = examined;
    return finish_exact(BigCount(*count), ZopaMethod::kMeetInTheMiddle);
  }
  PARLEY_RETURN_IF_ERROR(EstimateBySampling(scenario, parties, space, options, zopa));
  return zopa;
}

}  // namespace parley::analysis
