// The additive merge.
//
// Exactness. Partial utilities are accumulated exactly as AdditiveUtility::Evaluate does: from the
// offset, adding weight * value issue by issue in issue order, so a frontier point's utilities
// equal Evaluate bit for bit. Dropping a partial point p because another partial point q with the
// same future is at least as good is sound because floating-point addition is monotone: adding the
// same contributions keeps q >= p. It is not enough for ties, though: a strict advantage smaller
// than the rounding error of the remaining additions can vanish (0.1 + 0.2 > 0.3 as doubles, yet
// both become equal once 0.7 is added), and the dominated point would then tie with q on the
// frontier. Each remaining addition moves a gap by at most 2u|S| (u = 2^-53 the unit roundoff, |S|
// bounded by R = |offset| + sum of the largest |contribution| per issue), so a point is dropped
// only when q beats it by more than (2r + 4)uR in some utility, r being the additions still to
// come. The last merge uses r = 0, i.e. exact Pareto dominance. Near-ties are thus carried until
// they are decided exactly; for ordinary data that costs nothing.
//
// Red lines. A red line mentioning one issue removes that issue's forbidden options. Red lines
// mentioning several issues join them (union-find) into a group whose allowed combinations are
// enumerated (up to options.max_composite_size). Merging still adds one issue at a time in issue
// order (for exactness); while a group is partly merged, a partial point carries the group's state:
// the node of a minimised automaton (a DAWG) of the allowed combinations, whose transitions are the
// options still allowed. Points are compared only with points in the same state (the same set of
// allowed completions), so every red line is honoured exactly.
//
// Reservations. When they are respected, a partial point whose best completion cannot reach some
// party's reservation value (with the same rounding margin) is dropped early; anything dominating
// an acceptable point is acceptable, so the result is the acceptable part of the frontier.
#include "parley/analysis/internal/pareto_additive.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <unordered_map>

#include "parley/analysis/internal/non_dominated.h"
#include "parley/base/check.h"

namespace parley::analysis::internal {
namespace {

using model::OptionIndex;
using model::Outcome;

constexpr double kUnitRoundoff = 0x1p-53;
// Candidates are filtered in batches of at least this many (bounds memory for wide issues).
constexpr std::size_t kMinBatch = std::size_t{1} << 21;
// Partial frontiers are indexed with 32 bits.
constexpr std::size_t kLargestFrontier = std::size_t{1} << 30;

class UnionFind {
 public:
  explicit UnionFind(std::size_t size) : parent_(size) {
    std::iota(parent_.begin(), parent_.end(), std::size_t{0});
  }
  std::size_t Find(std::size_t item) {
    while (parent_[item] != item) {
      parent_[item] = parent_[parent_[item]];
      item = parent_[item];
    }
    return item;
  }
  void Join(std::size_t a, std::size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<std::size_t> parent_;
};

// Issues joined by red lines, with the minimised automaton of their allowed combinations.
struct Group {
  std::vector<std::size_t> members;  // issue indices, ascending
  std::vector<const model::RedLine*> red_lines;
  // Node 0 accepts the empty rest (all members chosen); transitions[node] lists (option, next).
  std::vector<std::vector<std::pair<OptionIndex, std::uint32_t>>> transitions;
  std::uint32_t root = 0;
};

// Builds the minimised automaton of `combos` (rows of members.size() options, lexicographically
// sorted): equal suffix sets share a node, so prefixes with the same allowed completions compare.
class AutomatonBuilder {
 public:
  AutomatonBuilder(Group& group, const std::vector<OptionIndex>& combos)
      : group_(group), combos_(combos), width_(group.members.size()) {
    group_.transitions.assign(1, {});
    ids_.emplace(std::vector<std::pair<OptionIndex, std::uint32_t>>{}, 0);
  }
  std::uint32_t Build(std::size_t first, std::size_t last, std::size_t depth) {
    if (depth == width_) return 0;
    std::vector<std::pair<OptionIndex, std::uint32_t>> signature;
    std::size_t run_start = first;
    while (run_start < last) {
      OptionIndex option = combos_[run_start * width_ + depth];
      std::size_t run_end = run_start;
      while (run_end < last && combos_[run_end * width_ + depth] == option) ++run_end;
      signature.emplace_back(option, Build(run_start, run_end, depth + 1));
      run_start = run_end;
    }
    auto [found, inserted] =
        ids_.emplace(signature, static_cast<std::uint32_t>(group_.transitions.size()));
    if (inserted) group_.transitions.push_back(std::move(signature));
    return found->second;
  }

 private:
  Group& group_;
  const std::vector<OptionIndex>& combos_;
  std::size_t width_;
  std::map<std::vector<std::pair<OptionIndex, std::uint32_t>>, std::uint32_t> ids_;
};

std::string DescribeIssues(const model::Scenario& scenario, const std::vector<std::size_t>& list) {
  std::string text;
  for (std::size_t issue_idx : list) {
    if (!text.empty()) text += ", ";
    text += scenario.issues[issue_idx].id;
  }
  return text;
}

// Interns the tuple of group states (one automaton node per group) as a small key.
class KeyTable {
 public:
  std::uint32_t Intern(const std::vector<std::uint32_t>& tuple) {
    auto [found, inserted] = ids_.emplace(tuple, static_cast<std::uint32_t>(tuples_.size()));
    if (inserted) tuples_.push_back(tuple);
    return found->second;
  }
  const std::vector<std::uint32_t>& Tuple(std::uint32_t key) const { return tuples_[key]; }

 private:
  std::map<std::vector<std::uint32_t>, std::uint32_t> ids_;
  std::vector<std::vector<std::uint32_t>> tuples_;
};

struct Level {
  std::vector<std::uint32_t> parent;
  std::vector<OptionIndex> option;
};

class Merger {
 public:
  Merger(const FrontierProblem& problem, const ParetoOptions& options)
      : problem_(problem),
        options_(options),
        num_issues_(problem.NumIssues()),
        dims_(problem.NumParties()),
        max_frontier_(std::min(options.max_frontier_size, kLargestFrontier)) {}

  Result<AdditiveMergeOutput> Run() {
    PARLEY_RETURN_IF_ERROR(ApplyRedLines());
    if (!result_.completed && result_.reason.empty()) {
      ComputeBounds();
      PARLEY_RETURN_IF_ERROR(Merge());
    }
    return std::move(result_);
  }

 private:
  double Contribution(std::size_t party_idx, std::size_t issue_idx, OptionIndex option) const {
    return problem_.additive[party_idx]->Contribution(issue_idx, option);
  }
  void FinishEmpty(std::string note) {
    result_.completed = true;
    result_.output.note = std::move(note);
  }
  bool StopRequested() const { return options_.stop.stop_requested(); }

  // Single-issue red lines remove options; the others join issues into groups.
  Status ApplyRedLines() {
    const model::Scenario& scenario = *problem_.scenario;
    allowed_.resize(num_issues_);
    for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
      allowed_[issue_idx].resize(problem_.space.Cardinality(issue_idx));
      std::iota(allowed_[issue_idx].begin(), allowed_[issue_idx].end(), OptionIndex{0});
    }
    Outcome probe(num_issues_, 0);
    UnionFind joined(num_issues_);
    std::vector<std::pair<const model::RedLine*, std::vector<std::size_t>>> multi_issue;
    for (const model::RedLine* red_line : problem_.red_lines) {
      std::vector<std::size_t> mentioned = red_line->expression.MentionedIssues();
      if (mentioned.empty()) {
        if (!red_line->Allows(probe)) {
          FinishEmpty("the red line '" + red_line->text + "' forbids every outcome");
          return Status::Ok();
        }
      } else if (mentioned.size() == 1) {
        std::size_t issue_idx = mentioned[0];
        std::vector<OptionIndex>& options = allowed_[issue_idx];
        options.erase(std::remove_if(options.begin(), options.end(),
                                     [&](OptionIndex option) {
                                       probe[issue_idx] = option;
                                       return !red_line->Allows(probe);
                                     }),
                      options.end());
        probe[issue_idx] = 0;
      } else {
        for (std::size_t issue_idx : mentioned) joined.Join(mentioned[0], issue_idx);
        multi_issue.emplace_back(red_line, std::move(mentioned));
      }
    }
    for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
      if (allowed_[issue_idx].empty()) {
        FinishEmpty("red lines forbid every option of issue '" + scenario.issues[issue_idx].id +
                    "'");
        return Status::Ok();
      }
    }
    // Groups, numbered by their first member.
    group_of_.assign(num_issues_, -1);
    std::map<std::size_t, std::size_t> group_of_root;
    for (const auto& [red_line, mentioned] : multi_issue) {
      std::size_t root = joined.Find(mentioned[0]);
      if (!group_of_root.count(root)) {
        group_of_root[root] = groups_.size();
        groups_.emplace_back();
      }
      groups_[group_of_root[root]].red_lines.push_back(red_line);
    }
    for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
      auto found = group_of_root.find(joined.Find(issue_idx));
      if (found == group_of_root.end()) continue;
      group_of_[issue_idx] = static_cast<int>(found->second);
      groups_[found->second].members.push_back(issue_idx);
    }
    for (Group& group : groups_) {
      PARLEY_RETURN_IF_ERROR(BuildGroup(group, probe));
      if (result_.completed || !result_.reason.empty()) return Status::Ok();
    }
    return Status::Ok();
  }

  Status BuildGroup(Group& group, Outcome& probe) {
    const model::Scenario& scenario = *problem_.scenario;
    double size = 1;
    for (std::size_t issue_idx : group.members) {
      size *= static_cast<double>(allowed_[issue_idx].size());
    }
    if (size > static_cast<double>(options_.max_composite_size)) {
      result_.reason = "red lines join issues " + DescribeIssues(scenario, group.members) +
                       " into " + BigCount(static_cast<std::uint64_t>(size)).ToDisplayString() +
                       " combinations, more than max_composite_size (" +
                       std::to_string(options_.max_composite_size) + ")";
      return Status::Ok();
    }
    std::size_t width = group.members.size();
    std::vector<std::size_t> position(width, 0);
    std::vector<OptionIndex> combos;
    bool done = false;
    for (std::uint64_t counter = 0; !done; ++counter) {
      if ((counter & 0xffff) == 0 && StopRequested()) return CancelledStatus();
      for (std::size_t member = 0; member < width; ++member) {
        probe[group.members[member]] = allowed_[group.members[member]][position[member]];
      }
      bool allowed =
          std::all_of(group.red_lines.begin(), group.red_lines.end(),
                      [&](const model::RedLine* red_line) { return red_line->Allows(probe); });
      if (allowed) {
        for (std::size_t member = 0; member < width; ++member) {
          combos.push_back(probe[group.members[member]]);
        }
      }
      // Odometer step, last member fastest, so combinations come in lexicographic order.
      done = true;
      for (std::size_t member = width; member-- > 0;) {
        if (++position[member] < allowed_[group.members[member]].size()) {
          done = false;
          break;
        }
        position[member] = 0;
      }
    }
    for (std::size_t issue_idx : group.members) probe[issue_idx] = 0;
    if (combos.empty()) {
      FinishEmpty("red lines forbid every combination of issues " +
                  DescribeIssues(scenario, group.members));
      return Status::Ok();
    }
    AutomatonBuilder builder(group, combos);
    group.root = builder.Build(0, combos.size() / width, 0);
    // Options no allowed combination uses are dropped (they tighten the bounds below).
    for (std::size_t member = 0; member < width; ++member) {
      std::vector<OptionIndex> used;
      for (std::size_t row = 0; row * width < combos.size(); ++row) {
        used.push_back(combos[row * width + member]);
      }
      std::sort(used.begin(), used.end());
      used.erase(std::unique(used.begin(), used.end()), used.end());
      allowed_[group.members[member]] = std::move(used);
    }
    return Status::Ok();
  }

  // Rounding bounds, reservation bounds and contribution tables.
  void ComputeBounds() {
    magnitude_.assign(dims_, 0.0);
    best_rest_.assign((num_issues_ + 1) * dims_, 0.0);
    rows_.resize(num_issues_);
    row_of_option_.resize(num_issues_);
    for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
      magnitude_[party_idx] = std::fabs(problem_.additive[party_idx]->offset());
    }
    for (std::size_t issue_idx = num_issues_; issue_idx-- > 0;) {
      const std::vector<OptionIndex>& options = allowed_[issue_idx];
      std::vector<double>& rows = rows_[issue_idx];
      rows.resize(options.size() * dims_);
      for (std::size_t position = 0; position < options.size(); ++position) {
        for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
          rows[position * dims_ + party_idx] =
              Contribution(party_idx, issue_idx, options[position]);
        }
      }
      for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
        double largest = -std::numeric_limits<double>::infinity();
        double largest_magnitude = 0;
        for (std::size_t position = 0; position < options.size(); ++position) {
          double contribution = rows[position * dims_ + party_idx];
          largest = std::max(largest, contribution);
          largest_magnitude = std::max(largest_magnitude, std::fabs(contribution));
        }
        magnitude_[party_idx] += largest_magnitude;
        // best_rest_[i]: the most issues i.. can still add.
        best_rest_[issue_idx * dims_ + party_idx] =
            best_rest_[(issue_idx + 1) * dims_ + party_idx] + largest;
      }
      if (group_of_[issue_idx] >= 0) {
        // Grouped issues keep every allowed option (the automaton decides); map option -> row.
        std::vector<std::uint32_t>& row_of = row_of_option_[issue_idx];
        row_of.assign(problem_.space.Cardinality(issue_idx), 0);
        for (std::size_t position = 0; position < options.size(); ++position) {
          row_of[options[position]] = static_cast<std::uint32_t>(position);
        }
      }
    }
    // Options dominated within an ungrouped issue (by more than the rounding margin of the
    // additions from this issue on) never reach the frontier.
    for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
      if (group_of_[issue_idx] >= 0) continue;
      std::vector<double> tolerance = Tolerance(num_issues_ - issue_idx);
      std::vector<std::uint32_t> kept = FilterNonDominated(rows_[issue_idx], dims_, tolerance);
      std::sort(kept.begin(), kept.end());
      std::vector<OptionIndex> options;
      std::vector<double> rows;
      for (std::uint32_t position : kept) {
        options.push_back(allowed_[issue_idx][position]);
        rows.insert(rows.end(), rows_[issue_idx].begin() + position * dims_,
                    rows_[issue_idx].begin() + (position + 1) * dims_);
      }
      allowed_[issue_idx] = std::move(options);
      rows_[issue_idx] = std::move(rows);
    }
  }

  std::vector<double> Tolerance(std::size_t additions_left) const {
    std::vector<double> tolerance(dims_, 0.0);
    if (additions_left == 0) return tolerance;
    for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
      tolerance[party_idx] =
          (2.0 * static_cast<double>(additions_left) + 4.0) * kUnitRoundoff * magnitude_[party_idx];
    }
    return tolerance;
  }

  // Candidates of the issue being merged; the first `filtered` are already non-dominated.
  struct Candidates {
    std::vector<double> values;
    std::vector<std::uint32_t> parent;
    std::vector<OptionIndex> option;
    std::vector<std::uint32_t> key;
    std::size_t filtered = 0;
    std::size_t Size() const { return parent.size(); }
  };

  void Filter(Candidates& candidates, const std::vector<double>& tolerance) const {
    std::span<const std::uint32_t> keys;
    if (!groups_.empty()) keys = candidates.key;
    std::vector<std::uint32_t> kept = FilterNonDominated(candidates.values, dims_, tolerance, keys);
    Candidates compact;
    compact.values.reserve(kept.size() * dims_);
    compact.parent.reserve(kept.size());
    compact.option.reserve(kept.size());
    compact.key.reserve(kept.size());
    for (std::uint32_t index : kept) {
      compact.values.insert(compact.values.end(), candidates.values.begin() + index * dims_,
                            candidates.values.begin() + (index + 1) * dims_);
      compact.parent.push_back(candidates.parent[index]);
      compact.option.push_back(candidates.option[index]);
      compact.key.push_back(candidates.key[index]);
    }
    compact.filtered = kept.size();
    candidates = std::move(compact);
  }

  Status Merge() {
    bool reservations = !problem_.reservations.empty();
    KeyTable keys;
    std::vector<std::uint32_t> root_tuple;
    for (const Group& group : groups_) root_tuple.push_back(group.root);
    // The partial frontier before any issue: the offsets.
    std::vector<double> sums(dims_);
    for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
      sums[party_idx] = problem_.additive[party_idx]->offset();
    }
    std::vector<std::uint32_t> point_keys{keys.Intern(root_tuple)};
    std::vector<Level> levels(num_issues_);
    std::uint64_t kept_points = 0;  // in `levels`, against options_.max_merge_points
    std::vector<double> row(dims_);
    std::vector<double> reservation_margin(dims_);

    for (std::size_t issue_idx = 0; issue_idx < num_issues_; ++issue_idx) {
      if (StopRequested()) return CancelledStatus();
      std::size_t additions_left = num_issues_ - 1 - issue_idx;
      std::vector<double> tolerance = Tolerance(additions_left);
      for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
        reservation_margin[party_idx] = additions_left == 0
                                            ? 0.0
                                            : (2.0 * static_cast<double>(additions_left) + 8.0) *
                                                  kUnitRoundoff * magnitude_[party_idx];
      }
      const double* best_rest = &best_rest_[(issue_idx + 1) * dims_];
      int group_idx = group_of_[issue_idx];
      // For a grouped issue: (option, next key) per parent key, built on first use.
      std::unordered_map<std::uint32_t, std::vector<std::pair<OptionIndex, std::uint32_t>>> moves;
      const std::vector<double>& rows = rows_[issue_idx];
      const std::vector<OptionIndex>& options = allowed_[issue_idx];

      Candidates candidates;
      std::size_t num_parents = point_keys.size();
      auto add = [&](std::uint32_t parent, OptionIndex option, const double* contribution,
                     std::uint32_t key) -> Status {
        const double* base = &sums[parent * dims_];
        for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
          row[party_idx] = base[party_idx] + contribution[party_idx];
        }
        if (reservations) {
          for (std::size_t party_idx = 0; party_idx < dims_; ++party_idx) {
            if (row[party_idx] + best_rest[party_idx] + reservation_margin[party_idx] <
                problem_.reservations[party_idx]) {
              return Status::Ok();
            }
          }
        }
        candidates.values.insert(candidates.values.end(), row.begin(), row.end());
        candidates.parent.push_back(parent);
        candidates.option.push_back(option);
        candidates.key.push_back(key);
        if (candidates.Size() - candidates.filtered >= std::max(kMinBatch, candidates.filtered)) {
          if (StopRequested()) return CancelledStatus();
          Filter(candidates, tolerance);
          if (candidates.Size() > max_frontier_) TooLarge(issue_idx, candidates.Size());
        }
        return Status::Ok();
      };

      for (std::uint32_t parent = 0; parent < num_parents; ++parent) {
        std::uint32_t key = point_keys[parent];
        if (group_idx < 0) {
          for (std::size_t position = 0; position < options.size(); ++position) {
            PARLEY_RETURN_IF_ERROR(add(parent, options[position], &rows[position * dims_], key));
            if (!result_.reason.empty()) return Status::Ok();
          }
          continue;
        }
        auto found = moves.find(key);
        if (found == moves.end()) {
          const Group& group = groups_[group_idx];
          std::vector<std::uint32_t> tuple = keys.Tuple(key);
          std::vector<std::pair<OptionIndex, std::uint32_t>> list;
          for (const auto& [option, next] : group.transitions[tuple[group_idx]]) {
            tuple[group_idx] = next;
            list.emplace_back(option, keys.Intern(tuple));
          }
          found = moves.emplace(key, std::move(list)).first;
        }
        for (const auto& [option, next_key] : found->second) {
          const double* contribution = &rows[row_of_option_[issue_idx][option] * dims_];
          PARLEY_RETURN_IF_ERROR(add(parent, option, contribution, next_key));
          if (!result_.reason.empty()) return Status::Ok();
        }
      }
      if (StopRequested()) return CancelledStatus();
      Filter(candidates, tolerance);
      if (candidates.Size() > max_frontier_) {
        TooLarge(issue_idx, candidates.Size());
        return Status::Ok();
      }
      result_.largest_partial_frontier =
          std::max(result_.largest_partial_frontier, candidates.Size());
      kept_points += candidates.Size();
      if (kept_points > options_.max_merge_points) {
        result_.reason = "the partial frontiers up to issue '" +
                         problem_.scenario->issues[issue_idx].id + "' (" +
                         std::to_string(issue_idx + 1) + " of " + std::to_string(num_issues_) +
                         ") hold " + std::to_string(kept_points) +
                         " points together, more than max_merge_points (" +
                         std::to_string(options_.max_merge_points) + ")";
        return Status::Ok();
      }
      levels[issue_idx].parent = std::move(candidates.parent);
      levels[issue_idx].option = std::move(candidates.option);
      sums = std::move(candidates.values);
      point_keys = std::move(candidates.key);
      if (point_keys.empty()) {
        FinishEmpty(
            "no outcome reaches every analysed party's reservation value within the red lines");
        return Status::Ok();
      }
    }

    // Rebuild the outcomes through the back-pointers.
    std::size_t num_points = point_keys.size();
    std::vector<ParetoPoint>& points = result_.output.points;
    points.resize(num_points);
    for (std::size_t point_idx = 0; point_idx < num_points; ++point_idx) {
      ParetoPoint& point = points[point_idx];
      point.utilities.assign(sums.begin() + point_idx * dims_,
                             sums.begin() + (point_idx + 1) * dims_);
      point.outcome.assign(num_issues_, 0);
      std::uint32_t index = static_cast<std::uint32_t>(point_idx);
      for (std::size_t issue_idx = num_issues_; issue_idx-- > 0;) {
        point.outcome[issue_idx] = levels[issue_idx].option[index];
        index = levels[issue_idx].parent[index];
      }
    }
    result_.completed = true;
    std::string groups_text;
    if (!groups_.empty()) {
      groups_text = "; red lines joining issues were merged as " + std::to_string(groups_.size()) +
                    " composite issue(s)";
    }
    result_.output.note = "exact additive merge over " + std::to_string(num_issues_) +
                          " issues (largest partial frontier " +
                          std::to_string(result_.largest_partial_frontier) + ")" + groups_text;
    return Status::Ok();
  }

  // Gives up: records why.
  void TooLarge(std::size_t issue_idx, std::size_t size) {
    result_.reason = "the partial frontier after merging issue '" +
                     problem_.scenario->issues[issue_idx].id + "' (" +
                     std::to_string(issue_idx + 1) + " of " + std::to_string(num_issues_) +
                     ") has " + std::to_string(size) + " points, more than max_frontier_size (" +
                     std::to_string(options_.max_frontier_size) + ")";
  }

  const FrontierProblem& problem_;
  const ParetoOptions& options_;
  std::size_t num_issues_;
  std::size_t dims_;
  std::size_t max_frontier_;

  std::vector<std::vector<OptionIndex>> allowed_;  // options still possible, per issue
  std::vector<int> group_of_;                      // group index per issue, -1 when ungrouped
  std::vector<Group> groups_;
  std::vector<std::vector<double>> rows_;  // contributions of allowed_ options, rows of dims_
  std::vector<std::vector<std::uint32_t>> row_of_option_;  // grouped issues: option -> row
  std::vector<double> magnitude_;                          // per party: bound on |partial sum|
  std::vector<double> best_rest_;  // (issue, party): most the issues from this one on can add
  AdditiveMergeOutput result_;
};

}  // namespace

Result<AdditiveMergeOutput> ComputeFrontierByAdditiveMerge(const FrontierProblem& problem,
                                                           const ParetoOptions& options) {
  PARLEY_CHECK(problem.AllAdditive());
  Merger merger(problem, options);
  return merger.Run();
}

}  // namespace parley::analysis::internal
