#include "parley/uncertainty/zone.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace parley::uncertainty {
namespace {

constexpr double kTolerance = 1e-12;

const model::Preferences& PreferencesOf(const ParameterSet& set, std::size_t position) {
  return *set.scenario().parties[set.parties()[position]].preferences;
}

// Issues tied together by red lines (a union-find over issues).
struct TiedIssues {
  std::vector<std::size_t> root;

  explicit TiedIssues(std::size_t num_issues) : root(num_issues) {
    std::iota(root.begin(), root.end(), 0);
  }
  std::size_t Find(std::size_t issue) {
    while (root[issue] != issue) issue = root[issue] = root[root[issue]];
    return issue;
  }
};

// Ties together the issues each analysed party's red lines mention. Red lines that mention no
// issue are crossed by every outcome or by none: per party, the bits of those crossed.
std::vector<std::uint64_t> TieIssues(const ParameterSet& set, TiedIssues& tied) {
  const std::size_t num_parties = set.parties().size();
  std::vector<std::uint64_t> always_crossed(num_parties, 0);
  const model::Outcome zeros(set.scenario().issues.size(), 0);
  for (std::size_t position = 0; position < num_parties; ++position) {
    const auto& red_lines = PreferencesOf(set, position).red_lines;
    for (std::size_t line_idx = 0; line_idx < red_lines.size(); ++line_idx) {
      std::vector<std::size_t> mentioned = red_lines[line_idx].expression.MentionedIssues();
      if (mentioned.empty()) {
        if (!red_lines[line_idx].Allows(zeros))
          always_crossed[position] |= std::uint64_t{1} << line_idx;
        continue;
      }
      for (std::size_t issue_idx : mentioned) {
        tied.root[tied.Find(issue_idx)] = tied.Find(mentioned.front());
      }
    }
  }
  return always_crossed;
}

// The group (root issue) of each red line of each analysed party; the number of issues for a
// red line that mentions none.
std::vector<std::vector<std::size_t>> LineRoots(const ParameterSet& set, TiedIssues& tied) {
  const std::size_t num_issues = set.scenario().issues.size();
  std::vector<std::vector<std::size_t>> line_root(set.parties().size());
  for (std::size_t position = 0; position < line_root.size(); ++position) {
    for (const model::RedLine& red_line : PreferencesOf(set, position).red_lines) {
      std::vector<std::size_t> mentioned = red_line.expression.MentionedIssues();
      line_root[position].push_back(mentioned.empty() ? num_issues : tied.Find(mentioned.front()));
    }
  }
  return line_root;
}

// The number of option combinations of a group of issues. Errors: kInvalidInput above
// `max_group_size`.
Result<std::size_t> CountCombinations(const model::Scenario& scenario,
                                      const std::vector<std::size_t>& issues,
                                      std::uint64_t max_group_size) {
  std::uint64_t combinations = 1;
  for (std::size_t issue_idx : issues) {
    std::uint64_t options = scenario.issues[issue_idx].NumOptions();
    if (options > max_group_size || combinations > max_group_size / options) {
      std::string names;
      for (std::size_t member : issues) {
        names += (names.empty() ? "" : ", ") + scenario.issues[member].id;
      }
      return InvalidInput("red lines tie together issues " + names + " with more than " +
                          std::to_string(max_group_size) +
                          " combinations; uncertainty analysis cannot enumerate them");
    }
    combinations *= options;
  }
  return static_cast<std::size_t>(combinations);
}

// The order that keeps the combinations no other one of the group matches or beats for every
// party (scores: parties-major per combination); with more than two parties the check stops
// once 256 are kept.
std::vector<std::size_t> Undominated(const std::vector<double>& scores, std::size_t count,
                                     std::size_t num_parties) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    for (std::size_t position = 0; position < num_parties; ++position) {
      double left = scores[a * num_parties + position];
      double right = scores[b * num_parties + position];
      if (left != right) return left > right;
    }
    return a < b;
  });
  auto covers = [&](std::size_t other, std::size_t index) {
    for (std::size_t position = 0; position < num_parties; ++position) {
      if (!(scores[other * num_parties + position] >= scores[index * num_parties + position])) {
        return false;
      }
    }
    return true;
  };
  std::vector<std::size_t> survivors;
  for (std::size_t index : order) {
    bool dominated = false;
    if (num_parties == 2) {
      dominated = !survivors.empty() && scores[survivors.back() * 2 + 1] >= scores[index * 2 + 1];
    } else if (survivors.size() <= 256) {
      dominated = std::any_of(survivors.begin(), survivors.end(),
                              [&](std::size_t other) { return covers(other, index); });
    }
    if (!dominated) survivors.push_back(index);
  }
  return survivors;
}

// rest_max[g * parties + p]: the most party p can still gain from groups g, g+1, ...
void FillRestMax(const std::vector<std::vector<double>>& group_utilities, std::size_t num_parties,
                 std::vector<double>& rest_max) {
  const std::size_t num_groups = group_utilities.size();
  rest_max.assign(num_parties * (num_groups + 1), 0.0);
  for (std::size_t group_idx = num_groups; group_idx-- > 0;) {
    const std::vector<double>& values = group_utilities[group_idx];
    for (std::size_t position = 0; position < num_parties; ++position) {
      double best = -std::numeric_limits<double>::infinity();
      for (std::size_t item = 0; item < values.size() / num_parties; ++item) {
        best = std::max(best, values[item * num_parties + position]);
      }
      rest_max[group_idx * num_parties + position] =
          rest_max[(group_idx + 1) * num_parties + position] + best;
    }
  }
}

}  // namespace

ZoneSolver::Group ZoneSolver::EnumerateGroup(
    const ParameterSet& set, std::vector<std::size_t> issues, std::size_t num_combinations,
    std::size_t group_root, const std::vector<std::vector<std::size_t>>& line_root) {
  const model::Scenario& scenario = set.scenario();
  const std::size_t num_parties = set.parties().size();
  Group group;
  group.issues = std::move(issues);
  group.num_combinations = num_combinations;
  group.options.reserve(num_combinations * group.issues.size());
  group.crossed.assign(num_combinations * num_parties, 0);
  model::Outcome outcome(scenario.issues.size(), 0);
  for (std::size_t combination = 0; combination < num_combinations; ++combination) {
    for (std::size_t issue_idx : group.issues) group.options.push_back(outcome[issue_idx]);
    for (std::size_t position = 0; position < num_parties; ++position) {
      const auto& red_lines = PreferencesOf(set, position).red_lines;
      for (std::size_t line_idx = 0; line_idx < red_lines.size(); ++line_idx) {
        if (line_root[position][line_idx] != group_root) continue;
        if (!red_lines[line_idx].Allows(outcome)) {
          group.crossed[combination * num_parties + position] |= std::uint64_t{1} << line_idx;
        }
      }
    }
    for (std::size_t position = group.issues.size(); position-- > 0;) {
      std::size_t issue_idx = group.issues[position];
      if (++outcome[issue_idx] < scenario.issues[issue_idx].NumOptions()) break;
      outcome[issue_idx] = 0;
    }
  }
  return group;
}

Result<ZoneSolver> ZoneSolver::Build(const ParameterSet& set, std::uint64_t max_group_size) {
  ZoneSolver solver;
  solver.set_ = &set;
  const model::Scenario& scenario = set.scenario();
  const std::size_t num_issues = scenario.issues.size();
  TiedIssues tied(num_issues);
  solver.always_crossed_ = TieIssues(set, tied);
  const std::vector<std::vector<std::size_t>> line_root = LineRoots(set, tied);
  std::vector<std::vector<std::size_t>> members(num_issues);
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    members[tied.Find(issue_idx)].push_back(issue_idx);
  }
  for (std::vector<std::size_t>& issues : members) {
    if (issues.empty()) continue;
    PARLEY_ASSIGN_OR_RETURN(std::size_t combinations,
                            CountCombinations(scenario, issues, max_group_size));
    const std::size_t group_root = tied.Find(issues.front());
    solver.groups_.push_back(
        EnumerateGroup(set, std::move(issues), combinations, group_root, line_root));
  }
  return solver;
}

std::vector<std::uint64_t> ZoneSolver::CrossedRedLines(const model::Outcome& outcome) const {
  std::vector<std::uint64_t> crossed(set_->parties().size(), 0);
  for (std::size_t position = 0; position < crossed.size(); ++position) {
    const auto& red_lines = PreferencesOf(*set_, position).red_lines;
    for (std::size_t line_idx = 0; line_idx < red_lines.size(); ++line_idx) {
      if (!red_lines[line_idx].Allows(outcome)) crossed[position] |= std::uint64_t{1} << line_idx;
    }
  }
  return crossed;
}

bool ZoneSolver::Accepts(const SampledUtilities& utilities, const model::Outcome& outcome) const {
  std::vector<std::uint64_t> crossed = CrossedRedLines(outcome);
  for (std::size_t position = 0; position < utilities.parties.size(); ++position) {
    const PartyUtilities& party = utilities.parties[position];
    if (crossed[position] & party.firm_red_lines) return false;
    if (set_->Utility(party, outcome) < party.reservation - kTolerance) return false;
  }
  return true;
}

void ZoneSolver::ScoreGroup(const Group& group, const SampledUtilities& utilities,
                            std::vector<std::uint32_t>& candidates,
                            std::vector<double>& scores) const {
  const std::size_t num_parties = utilities.parties.size();
  const std::vector<std::size_t>& offsets = set_->offsets();
  const std::size_t width = group.issues.size();
  candidates.clear();
  scores.clear();
  for (std::size_t combination = 0; combination < group.num_combinations; ++combination) {
    bool allowed = true;
    for (std::size_t position = 0; position < num_parties && allowed; ++position) {
      allowed = (group.crossed[combination * num_parties + position] &
                 utilities.parties[position].firm_red_lines) == 0;
    }
    if (!allowed) continue;
    candidates.push_back(static_cast<std::uint32_t>(combination));
    for (std::size_t position = 0; position < num_parties; ++position) {
      const std::vector<double>& contribution = utilities.parties[position].contribution;
      double sum = 0;
      for (std::size_t k = 0; k < width; ++k) {
        sum += contribution[offsets[group.issues[k]] + group.options[combination * width + k]];
      }
      scores.push_back(sum);
    }
  }
}

ZoneSolver::Answer ZoneSolver::Solve(const SampledUtilities& utilities,
                                     ZoneWorkspace& workspace) const {
  const std::size_t num_parties = utilities.parties.size();
  for (std::size_t position = 0; position < num_parties; ++position) {
    if (always_crossed_[position] & utilities.parties[position].firm_red_lines) return {};
  }
  workspace.combinations.resize(groups_.size());
  workspace.utilities.resize(groups_.size());
  std::vector<std::uint32_t> candidates;
  std::vector<double> scores;
  for (std::size_t group_idx = 0; group_idx < groups_.size(); ++group_idx) {
    ScoreGroup(groups_[group_idx], utilities, candidates, scores);
    if (candidates.empty()) return {};
    // Drop combinations another one of the group matches or beats for every party.
    std::vector<std::uint32_t>& kept = workspace.combinations[group_idx];
    std::vector<double>& values = workspace.utilities[group_idx];
    kept.clear();
    values.clear();
    for (std::size_t index : Undominated(scores, candidates.size(), num_parties)) {
      kept.push_back(candidates[index]);
      for (std::size_t position = 0; position < num_parties; ++position) {
        values.push_back(scores[index * num_parties + position]);
      }
    }
  }
  return num_parties == 2 ? SolveTwo(utilities, workspace) : SolveAny(utilities, workspace);
}

ZoneSolver::Answer ZoneSolver::SolveTwo(const SampledUtilities& utilities,
                                        ZoneWorkspace& workspace) const {
  const std::size_t num_groups = groups_.size();
  const double r0 = utilities.parties[0].reservation - kTolerance;
  const double r1 = utilities.parties[1].reservation - kTolerance;
  // rest_max[2k + p]: the most party p can still gain from groups k, k+1, ...
  workspace.rest_max.assign(2 * (num_groups + 1), 0.0);
  for (std::size_t group_idx = num_groups; group_idx-- > 0;) {
    const std::vector<double>& values = workspace.utilities[group_idx];
    double best0 = -std::numeric_limits<double>::infinity();
    double best1 = best0;
    for (std::size_t item = 0; item < values.size() / 2; ++item) {
      best0 = std::max(best0, values[2 * item]);
      best1 = std::max(best1, values[2 * item + 1]);
    }
    workspace.rest_max[2 * group_idx] = workspace.rest_max[2 * (group_idx + 1)] + best0;
    workspace.rest_max[2 * group_idx + 1] = workspace.rest_max[2 * (group_idx + 1) + 1] + best1;
  }
  workspace.levels.resize(num_groups + 1);
  workspace.levels[0].assign(
      1, ZoneWorkspace::Item{utilities.parties[0].offset, utilities.parties[1].offset, 0, 0});
  for (std::size_t group_idx = 0; group_idx < num_groups; ++group_idx) {
    const std::vector<ZoneWorkspace::Item>& frontier = workspace.levels[group_idx];
    const std::vector<double>& values = workspace.utilities[group_idx];
    const double rest0 = workspace.rest_max[2 * (group_idx + 1)];
    const double rest1 = workspace.rest_max[2 * (group_idx + 1) + 1];
    std::vector<ZoneWorkspace::Item>& merged = workspace.scratch;
    merged.clear();
    for (std::size_t parent = 0; parent < frontier.size(); ++parent) {
      for (std::size_t item = 0; item < values.size() / 2; ++item) {
        double u0 = frontier[parent].u0 + values[2 * item];
        double u1 = frontier[parent].u1 + values[2 * item + 1];
        if (u0 + rest0 < r0 || u1 + rest1 < r1) continue;
        merged.push_back(
            {u0, u1, static_cast<std::uint32_t>(parent), static_cast<std::uint32_t>(item)});
      }
    }
    if (merged.empty()) return {};
    std::sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) {
      return a.u0 > b.u0 || (a.u0 == b.u0 && a.u1 > b.u1);
    });
    std::vector<ZoneWorkspace::Item>& next = workspace.levels[group_idx + 1];
    next.clear();
    for (const ZoneWorkspace::Item& item : merged) {
      if (next.empty() || item.u1 > next.back().u1) next.push_back(item);
    }
  }
  const std::vector<ZoneWorkspace::Item>& last = workspace.levels[num_groups];
  Answer answer;
  std::size_t best = 0;
  double best_surplus = -std::numeric_limits<double>::infinity();
  for (std::size_t idx = 0; idx < last.size(); ++idx) {
    double surplus = std::min(last[idx].u0 - utilities.parties[0].reservation,
                              last[idx].u1 - utilities.parties[1].reservation);
    if (surplus > best_surplus) {
      best_surplus = surplus;
      best = idx;
    }
  }
  if (last.empty() || best_surplus < -kTolerance) return answer;
  answer.exists = true;
  answer.best_surplus = best_surplus;
  answer.best.assign(set_->scenario().issues.size(), 0);
  std::size_t index = best;
  for (std::size_t group_idx = num_groups; group_idx-- > 0;) {
    const ZoneWorkspace::Item& item = workspace.levels[group_idx + 1][index];
    const Group& group = groups_[group_idx];
    std::uint32_t combination = workspace.combinations[group_idx][item.combination];
    for (std::size_t k = 0; k < group.issues.size(); ++k) {
      answer.best[group.issues[k]] = group.options[combination * group.issues.size() + k];
    }
    index = item.parent;
  }
  return answer;
}

ZoneSolver::Answer ZoneSolver::SolveAny(const SampledUtilities& utilities,
                                        ZoneWorkspace& workspace) const {
  const std::size_t num_groups = groups_.size();
  const std::size_t num_parties = utilities.parties.size();
  FillRestMax(workspace.utilities, num_parties, workspace.rest_max);
  workspace.partial.assign(num_parties * (num_groups + 1), 0.0);
  for (std::size_t position = 0; position < num_parties; ++position) {
    workspace.partial[position] = utilities.parties[position].offset;
  }
  workspace.choice.assign(num_groups, 0);
  workspace.best_choice.assign(num_groups, 0);
  bool found = false;
  double best_surplus = -std::numeric_limits<double>::infinity();
  // Depth-first over groups; choice[level] is the next item to try at that level.
  std::size_t level = 0;
  auto bound = [&](std::size_t depth) {
    double surplus = std::numeric_limits<double>::infinity();
    for (std::size_t position = 0; position < num_parties; ++position) {
      surplus = std::min(surplus, workspace.partial[depth * num_parties + position] +
                                      workspace.rest_max[depth * num_parties + position] -
                                      utilities.parties[position].reservation);
    }
    return surplus;
  };
  auto promising = [&](std::size_t depth) {
    double value = bound(depth);
    return value >= -kTolerance && (!found || value > best_surplus);
  };
  if (!promising(0)) return {};
  if (num_groups == 0) {
    Answer answer;
    answer.exists = true;
    answer.best_surplus = bound(0);
    return answer;
  }
  workspace.choice[0] = 0;
  while (true) {
    const std::vector<double>& values = workspace.utilities[level];
    const std::size_t count = values.size() / num_parties;
    if (workspace.choice[level] >= count) {
      if (level == 0) break;
      --level;
      ++workspace.choice[level];
      continue;
    }
    const std::size_t item = workspace.choice[level];
    for (std::size_t position = 0; position < num_parties; ++position) {
      workspace.partial[(level + 1) * num_parties + position] =
          workspace.partial[level * num_parties + position] + values[item * num_parties + position];
    }
    if (!promising(level + 1)) {
      ++workspace.choice[level];
      continue;
    }
    if (level + 1 == num_groups) {
      best_surplus = bound(num_groups);
      found = true;
      workspace.best_choice = workspace.choice;
      ++workspace.choice[level];
      continue;
    }
    ++level;
    workspace.choice[level] = 0;
  }
  Answer answer;
  if (!found) return answer;
  answer.exists = true;
  answer.best_surplus = best_surplus;
  answer.best.assign(set_->scenario().issues.size(), 0);
  for (std::size_t group_idx = 0; group_idx < num_groups; ++group_idx) {
    const Group& group = groups_[group_idx];
    std::uint32_t combination = workspace.combinations[group_idx][workspace.best_choice[group_idx]];
    for (std::size_t k = 0; k < group.issues.size(); ++k) {
      answer.best[group.issues[k]] = group.options[combination * group.issues.size() + k];
    }
  }
  return answer;
}

}  // namespace parley::uncertainty
