#include "parley/strategies/common/bid_space.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <limits>
#include <list>
#include <mutex>
#include <numeric>
#include <set>

#include "parley/base/check.h"

namespace parley::strategies {

using model::OptionIndex;
using model::Outcome;

BidConstraints BidConstraints::FromRequest(const protocols::Request& request) {
  BidConstraints constraints;
  if (std::find(request.fixed_issues.begin(), request.fixed_issues.end(), true) !=
      request.fixed_issues.end()) {
    constraints.fixed_issues = request.fixed_issues;
    constraints.fixed_outcome = request.fixed_outcome;
  }
  constraints.open_issues = request.open_issues;
  std::sort(constraints.open_issues.begin(), constraints.open_issues.end());
  return constraints;
}

// One searchable subspace: the free issues, the options every other issue keeps, and the index
// of the method chosen for it. Immutable once built.
struct BidSpace::Subspace {
  BidSearchMethod method = BidSearchMethod::kSorted;
  std::vector<std::size_t> free_issues;
  Outcome base;  // every issue's option outside the free issues (free ones hold the best)
  bool red_lines_active = false;
  Outcome best;
  double max_utility = 0;
  double min_utility = 0;

  // kSorted: outcomes of the subspace by ascending utility; `index` is mixed-radix over the free
  // issues (first free issue most significant).
  struct Entry {
    double utility;
    std::uint64_t index;
  };
  std::vector<Entry> entries;

  // kAdditiveSearch: groups of issues (one issue, or the composite of the issues red lines name)
  // with their choices by ascending contribution.
  struct Group {
    std::vector<std::size_t> issues;
    std::vector<double> contributions;   // ascending
    std::vector<std::uint32_t> choices;  // option index (one issue) or assignment index
    std::vector<std::vector<OptionIndex>> assignments;  // composite: options on `issues`
  };
  std::vector<Group> groups;
  double constant = 0;  // offset plus the contributions of issues outside the groups
  double max_sum = 0;   // sum of the groups' best contributions
  // Red lines too wide to merge: allowed assignments of the groups they name (red_line_groups),
  // found by sampling, with their contribution sums, best first.
  bool repair_red_lines = false;
  std::vector<std::size_t> red_line_groups;
  std::vector<std::pair<double, std::vector<std::size_t>>> allowed_samples;

  Outcome Decode(std::uint64_t index) const {
    Outcome outcome = base;
    for (std::size_t position = free_issues.size(); position-- > 0;) {
      std::size_t issue_idx = free_issues[position];
      std::uint64_t radix = cardinalities[position];
      outcome[issue_idx] = static_cast<OptionIndex>(index % radix);
      index /= radix;
    }
    return outcome;
  }
  void Apply(const Group& group, std::size_t position, Outcome& outcome) const {
    std::uint32_t choice = group.choices[position];
    if (group.assignments.empty()) {
      outcome[group.issues[0]] = choice;
    } else {
      for (std::size_t k = 0; k < group.issues.size(); ++k) {
        outcome[group.issues[k]] = group.assignments[choice][k];
      }
    }
  }
  Outcome Compose(const std::vector<std::size_t>& positions) const {
    Outcome outcome = base;
    for (std::size_t group_idx = 0; group_idx < groups.size(); ++group_idx) {
      Apply(groups[group_idx], positions[group_idx], outcome);
    }
    return outcome;
  }
  std::vector<std::uint64_t> cardinalities;  // of the free issues
};

namespace {

// Product of the cardinalities, or nullopt when it exceeds `limit`.
std::optional<std::uint64_t> BoundedProduct(const std::vector<std::uint64_t>& cardinalities,
                                            std::uint64_t limit) {
  std::uint64_t product = 1;
  for (std::uint64_t cardinality : cardinalities) {
    if (cardinality == 0) return 0;
    if (product > limit / cardinality) return std::nullopt;
    product *= cardinality;
  }
  return product;
}

// Advances a mixed-radix counter over `cardinalities`, writing the digits into `outcome` at
// `issues`; false after the last combination.
bool Advance(const std::vector<std::size_t>& issues,
             const std::vector<std::uint64_t>& cardinalities, Outcome& outcome) {
  for (std::size_t position = issues.size(); position-- > 0;) {
    std::size_t issue_idx = issues[position];
    if (outcome[issue_idx] + 1 < cardinalities[position]) {
      ++outcome[issue_idx];
      return true;
    }
    outcome[issue_idx] = 0;
  }
  return false;
}

std::size_t UniformIndex(std::mt19937_64& rng, std::size_t size) {
  return std::uniform_int_distribution<std::size_t>(0, size - 1)(rng);
}

// Everything Build() reads besides the utility function's identity.
struct SubspaceKey {
  std::vector<std::uint64_t> cardinalities;
  std::vector<model::RedLine> red_lines;
  std::uint64_t sorted_limit = 0;
  int search_iterations = 0;
  std::uint64_t red_line_combinations_limit = 0;
  BidConstraints constraints;
  bool operator==(const SubspaceKey& other) const = default;
};

// Process-wide cache of built values by (utility function identity, key). A value is built once
// even when several threads ask for it at the same time (the others wait for the first).
template <typename Value>
class SharedSubspaces {
 public:
  static constexpr std::size_t kMaxBytes = std::size_t{512} << 20;

  static SharedSubspaces& Global() {
    static SharedSubspaces* cache = new SharedSubspaces();  // never destroyed: used at exit
    return *cache;
  }

  template <typename BuildFn, typename SizeFn>
  std::shared_ptr<Value> GetOrBuild(const std::shared_ptr<const model::UtilityFunction>& utility,
                                    SubspaceKey key, BuildFn build, SizeFn size) {
    std::promise<std::shared_ptr<Value>> promise;
    std::shared_future<std::shared_ptr<Value>> pending;
    typename std::list<Entry>::iterator mine;
    bool building = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = entries_.begin(); it != entries_.end();) {
        std::shared_ptr<const model::UtilityFunction> owner = it->utility.lock();
        if (owner == nullptr) {  // the function is gone: so is every use of this entry
          bytes_ -= it->bytes;
          it = entries_.erase(it);
          continue;
        }
        if (owner == utility && it->key == key) {
          entries_.splice(entries_.end(), entries_, it);  // most recently used last
          pending = it->value;
          break;
        }
        ++it;
      }
      if (!pending.valid()) {
        pending = promise.get_future().share();
        entries_.push_back(Entry{utility, std::move(key), pending, 0});
        mine = std::prev(entries_.end());
        building = true;
      }
    }
    if (!building) return pending.get();
    std::shared_ptr<Value> value = build();
    promise.set_value(value);
    std::lock_guard<std::mutex> lock(mutex_);
    mine->bytes = size(*value);
    bytes_ += mine->bytes;
    // Drop the least recently used finished entries until under the budget (never the new one).
    for (auto it = entries_.begin(); bytes_ > kMaxBytes && it != entries_.end();) {
      if (it == mine || it->bytes == 0) {
        ++it;
        continue;
      }
      bytes_ -= it->bytes;
      it = entries_.erase(it);
    }
    return value;
  }

 private:
  struct Entry {
    std::weak_ptr<const model::UtilityFunction> utility;
    SubspaceKey key;
    std::shared_future<std::shared_ptr<Value>> value;
    std::size_t bytes = 0;  // 0 while being built
  };
  std::mutex mutex_;
  std::list<Entry> entries_;
  std::size_t bytes_ = 0;
};

}  // namespace

BidSpace::BidSpace(std::shared_ptr<const model::UtilityFunction> utility, model::OutcomeSpace space,
                   std::vector<model::RedLine> red_lines, Options options)
    : utility_(std::move(utility)),
      space_(std::move(space)),
      red_lines_(std::move(red_lines)),
      options_(options) {
  has_utility_ = utility_ != nullptr;
  shareable_ = has_utility_;
  if (!has_utility_) {
    // No preferences: every outcome is worth 0, so the searches below stay uniform.
    std::vector<double> weights(space_.NumIssues(), 0.0);
    std::vector<model::ValueFunction> values(space_.NumIssues());
    for (std::size_t issue_idx = 0; issue_idx < space_.NumIssues(); ++issue_idx) {
      values[issue_idx].table.assign(space_.Cardinality(issue_idx), 0.0);
    }
    utility_ = std::make_shared<model::AdditiveUtility>(std::move(weights), std::move(values));
  }
  additive_ = dynamic_cast<const model::AdditiveUtility*>(utility_.get());
  unconstrained_best_ = model::ComputeUtilityRange(*utility_, space_, options_.sorted_limit).argmax;
  if (unconstrained_best_.size() != space_.NumIssues()) {
    unconstrained_best_.assign(space_.NumIssues(), 0);
  }
  SetConstraints(BidConstraints());
}

BidSpace::BidSpace() : BidSpace(nullptr, model::OutcomeSpace(), {}) {}

double BidSpace::Utility(const Outcome& outcome) const { return utility_->Evaluate(outcome); }

bool BidSpace::Allowed(const Outcome& outcome) const {
  for (const model::RedLine& red_line : red_lines_) {
    if (!red_line.Allows(outcome)) return false;
  }
  return true;
}

bool BidSpace::KeepsConstraints(const Outcome& outcome) const {
  if (outcome.size() != space_.NumIssues()) return false;
  for (std::size_t issue_idx = 0; issue_idx < constraints_.fixed_issues.size(); ++issue_idx) {
    if (constraints_.fixed_issues[issue_idx] && issue_idx < constraints_.fixed_outcome.size() &&
        outcome[issue_idx] != constraints_.fixed_outcome[issue_idx]) {
      return false;
    }
  }
  return true;
}

void BidSpace::SetConstraints(const BidConstraints& constraints) {
  if (current_ != nullptr && constraints == constraints_) return;
  constraints_ = constraints;
  for (auto it = cache_.begin(); it != cache_.end(); ++it) {
    if (it->first == constraints) {
      current_ = it->second;
      auto entry = *it;
      cache_.erase(it);
      cache_.push_back(std::move(entry));
      return;
    }
  }
  current_ = shareable_ ? BuildShared(constraints) : Build(constraints);
  cache_.emplace_back(constraints, current_);
  constexpr std::size_t kMaxCached = 4;
  if (cache_.size() > kMaxCached) cache_.erase(cache_.begin());
}

const BidSpace::Subspace& BidSpace::Current() const {
  PARLEY_CHECK(current_ != nullptr);
  return *current_;
}

BidSearchMethod BidSpace::method() const { return Current().method; }
bool BidSpace::red_lines_satisfiable() const {
  return red_lines_.empty() || Current().red_lines_active;
}
const Outcome& BidSpace::Best() const { return Current().best; }
double BidSpace::MaxUtility() const { return Current().max_utility; }
double BidSpace::MinUtility() const { return Current().min_utility; }

std::shared_ptr<BidSpace::Subspace> BidSpace::BuildShared(const BidConstraints& constraints) const {
  SubspaceKey key;
  key.cardinalities.reserve(space_.NumIssues());
  for (std::size_t issue_idx = 0; issue_idx < space_.NumIssues(); ++issue_idx) {
    key.cardinalities.push_back(space_.Cardinality(issue_idx));
  }
  key.red_lines = red_lines_;
  key.sorted_limit = options_.sorted_limit;
  key.search_iterations = options_.search_iterations;
  key.red_line_combinations_limit = options_.red_line_combinations_limit;
  key.constraints = constraints;
  return SharedSubspaces<Subspace>::Global().GetOrBuild(
      utility_, std::move(key), [&] { return Build(constraints); },
      [](const Subspace& s) {
        std::size_t bytes = sizeof(Subspace) + s.entries.size() * sizeof(Subspace::Entry);
        for (const Subspace::Group& group : s.groups) {
          bytes += group.contributions.size() * (sizeof(double) + sizeof(std::uint32_t));
          bytes += group.assignments.size() * (sizeof(OptionIndex) * group.issues.size() + 24);
        }
        for (const auto& sample : s.allowed_samples) {
          bytes += sizeof(sample) + sample.second.size() * sizeof(std::size_t);
        }
        return bytes;
      });
}

// Builds one subspace phase by phase: the free issues and the base outcome, then the structure
// of the method that the subspace's size and the utility's form choose.
class BidSpace::SubspaceBuilder {
 public:
  SubspaceBuilder(const BidSpace& bids, Subspace& s)
      : bids_(bids), s_(s), function_(*bids.utility_), has_red_lines_(!bids.red_lines_.empty()) {}

  void ChooseFreeIssues(const BidConstraints& constraints);
  // Sorted: enumerate the `count` outcomes of the subspace once.
  void BuildSorted(std::uint64_t count);
  void BuildAdditive();
  // Local search for non-additive utilities: coordinate ascent (and descent) over free issues.
  void BuildLocalSearch();

 private:
  std::vector<std::size_t> FreeRedLineIssues() const;
  void AddRedLineComposite(const std::vector<std::size_t>& red_line_issues,
                           std::vector<bool>& in_composite);
  void AddIssueGroups(const std::vector<bool>& in_composite);
  // The constant, the sums and the best and worst outcomes; returns every group at its best.
  std::vector<std::size_t> ComputeBounds();
  void SampleAllowedRedLines(const std::vector<std::size_t>& red_line_issues,
                             const std::vector<std::size_t>& top);
  std::pair<Outcome, double> Climb(const Outcome& start, int direction, std::mt19937_64& rng);

  const BidSpace& bids_;
  Subspace& s_;
  const model::UtilityFunction& function_;
  const bool has_red_lines_;
  std::vector<bool> is_free_;
};

void BidSpace::SubspaceBuilder::ChooseFreeIssues(const BidConstraints& constraints) {
  const std::size_t num_issues = bids_.space_.NumIssues();
  s_.base = bids_.unconstrained_best_;
  is_free_.assign(num_issues, constraints.open_issues.empty());
  for (std::size_t issue_idx : constraints.open_issues) {
    if (issue_idx < num_issues) is_free_[issue_idx] = true;
  }
  for (std::size_t issue_idx = 0; issue_idx < constraints.fixed_issues.size(); ++issue_idx) {
    if (issue_idx < num_issues && constraints.fixed_issues[issue_idx] &&
        issue_idx < constraints.fixed_outcome.size()) {
      is_free_[issue_idx] = false;
      s_.base[issue_idx] = constraints.fixed_outcome[issue_idx];
    }
  }
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    if (is_free_[issue_idx]) {
      s_.free_issues.push_back(issue_idx);
      s_.cardinalities.push_back(bids_.space_.Cardinality(issue_idx));
    }
  }
}

void BidSpace::SubspaceBuilder::BuildSorted(std::uint64_t count) {
  s_.method = BidSearchMethod::kSorted;
  std::vector<Subspace::Entry> allowed;
  std::vector<Subspace::Entry> all;
  all.reserve(count);
  Outcome outcome = s_.base;
  for (std::size_t issue_idx : s_.free_issues) outcome[issue_idx] = 0;
  for (std::uint64_t index = 0; index < count; ++index) {
    Subspace::Entry entry{function_.Evaluate(outcome), index};
    all.push_back(entry);
    if (has_red_lines_ && bids_.Allowed(outcome)) allowed.push_back(entry);
    Advance(s_.free_issues, s_.cardinalities, outcome);
  }
  s_.red_lines_active = has_red_lines_ && !allowed.empty();
  s_.entries = s_.red_lines_active ? std::move(allowed) : std::move(all);
  std::sort(s_.entries.begin(), s_.entries.end(), [](const auto& a, const auto& b) {
    return a.utility < b.utility || (a.utility == b.utility && a.index < b.index);
  });
  if (s_.entries.empty()) {
    s_.best = s_.base;
    s_.max_utility = s_.min_utility = function_.Evaluate(s_.base);
  } else {
    s_.best = s_.Decode(s_.entries.back().index);
    s_.max_utility = s_.entries.back().utility;
    s_.min_utility = s_.entries.front().utility;
  }
}

void BidSpace::SubspaceBuilder::BuildAdditive() {
  s_.method = BidSearchMethod::kAdditiveSearch;
  const std::vector<std::size_t> red_line_issues = FreeRedLineIssues();
  std::vector<bool> in_composite(bids_.space_.NumIssues(), false);
  if (has_red_lines_) {
    if (red_line_issues.empty()) {
      // The red lines only name fixed issues: the whole subspace is allowed or none of it.
      s_.red_lines_active = bids_.Allowed(s_.base);
    } else {
      AddRedLineComposite(red_line_issues, in_composite);
    }
  }
  AddIssueGroups(in_composite);
  const std::vector<std::size_t> top = ComputeBounds();
  if (s_.repair_red_lines) SampleAllowedRedLines(red_line_issues, top);
}

// Issues named by red lines, among the free ones, ascending.
std::vector<std::size_t> BidSpace::SubspaceBuilder::FreeRedLineIssues() const {
  std::vector<std::size_t> red_line_issues;
  for (const model::RedLine& red_line : bids_.red_lines_) {
    for (std::size_t issue_idx : red_line.expression.MentionedIssues()) {
      if (is_free_[issue_idx]) red_line_issues.push_back(issue_idx);
    }
  }
  std::sort(red_line_issues.begin(), red_line_issues.end());
  red_line_issues.erase(std::unique(red_line_issues.begin(), red_line_issues.end()),
                        red_line_issues.end());
  return red_line_issues;
}

// One group of the allowed assignments of the issues red lines name, when they are few enough
// to enumerate; otherwise the red lines are repaired by sampling (SampleAllowedRedLines).
void BidSpace::SubspaceBuilder::AddRedLineComposite(const std::vector<std::size_t>& red_line_issues,
                                                    std::vector<bool>& in_composite) {
  std::vector<std::uint64_t> cardinalities;
  for (std::size_t issue_idx : red_line_issues) {
    cardinalities.push_back(bids_.space_.Cardinality(issue_idx));
  }
  std::optional<std::uint64_t> combinations =
      BoundedProduct(cardinalities, bids_.options_.red_line_combinations_limit);
  if (!combinations.has_value()) {
    s_.red_lines_active = true;
    s_.repair_red_lines = true;
    return;
  }
  Subspace::Group composite;
  composite.issues = red_line_issues;
  std::vector<std::pair<double, std::uint32_t>> ranked;
  Outcome outcome = s_.base;
  for (std::size_t issue_idx : red_line_issues) outcome[issue_idx] = 0;
  for (std::uint64_t index = 0; index < *combinations; ++index) {
    if (bids_.Allowed(outcome)) {
      double contribution = 0;
      std::vector<OptionIndex> assignment;
      for (std::size_t issue_idx : red_line_issues) {
        contribution += bids_.additive_->Contribution(issue_idx, outcome[issue_idx]);
        assignment.push_back(outcome[issue_idx]);
      }
      ranked.emplace_back(contribution, static_cast<std::uint32_t>(composite.assignments.size()));
      composite.assignments.push_back(std::move(assignment));
    }
    Advance(red_line_issues, cardinalities, outcome);
  }
  if (ranked.empty()) return;
  s_.red_lines_active = true;
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [contribution, choice] : ranked) {
    composite.contributions.push_back(contribution);
    composite.choices.push_back(choice);
  }
  for (std::size_t issue_idx : red_line_issues) in_composite[issue_idx] = true;
  s_.groups.push_back(std::move(composite));
}

// One group per free issue outside the composite, its options by ascending contribution.
void BidSpace::SubspaceBuilder::AddIssueGroups(const std::vector<bool>& in_composite) {
  for (std::size_t issue_idx : s_.free_issues) {
    if (in_composite[issue_idx]) continue;
    Subspace::Group group;
    group.issues = {issue_idx};
    std::vector<std::pair<double, std::uint32_t>> ranked;
    for (std::uint64_t option = 0; option < bids_.space_.Cardinality(issue_idx); ++option) {
      ranked.emplace_back(
          bids_.additive_->Contribution(issue_idx, static_cast<OptionIndex>(option)),
          static_cast<std::uint32_t>(option));
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [contribution, choice] : ranked) {
      group.contributions.push_back(contribution);
      group.choices.push_back(choice);
    }
    s_.groups.push_back(std::move(group));
  }
}

std::vector<std::size_t> BidSpace::SubspaceBuilder::ComputeBounds() {
  s_.constant = bids_.additive_->offset();
  for (std::size_t issue_idx = 0; issue_idx < bids_.space_.NumIssues(); ++issue_idx) {
    if (!is_free_[issue_idx]) {
      s_.constant += bids_.additive_->Contribution(issue_idx, s_.base[issue_idx]);
    }
  }
  std::vector<std::size_t> top(s_.groups.size());
  std::vector<std::size_t> bottom(s_.groups.size(), 0);
  for (std::size_t group_idx = 0; group_idx < s_.groups.size(); ++group_idx) {
    top[group_idx] = s_.groups[group_idx].contributions.size() - 1;
    s_.max_sum += s_.groups[group_idx].contributions.back();
  }
  s_.best = s_.Compose(top);
  s_.max_utility = function_.Evaluate(s_.best);
  s_.min_utility = function_.Evaluate(s_.Compose(bottom));
  return top;
}

// Red lines over too many issues to merge into one composite: sample assignments of the issues
// they name, keep the allowed ones (red lines depend on nothing else), and let queries search
// the other issues around each. Without any, the red lines are ignored.
void BidSpace::SubspaceBuilder::SampleAllowedRedLines(
    const std::vector<std::size_t>& red_line_issues, const std::vector<std::size_t>& top) {
  std::vector<std::size_t> named_groups;
  for (std::size_t group_idx = 0; group_idx < s_.groups.size(); ++group_idx) {
    if (std::binary_search(red_line_issues.begin(), red_line_issues.end(),
                           s_.groups[group_idx].issues[0])) {
      named_groups.push_back(group_idx);
    }
  }
  s_.red_line_groups = named_groups;
  std::mt19937_64 rng(0x5eed);
  std::set<std::vector<std::size_t>> samples;
  std::vector<std::size_t> positions = top;
  if (bids_.Allowed(s_.Compose(positions))) samples.insert(top);
  constexpr int kSampleAttempts = 4096;
  constexpr std::size_t kMaxSamples = 256;
  for (int attempt = 0; attempt < kSampleAttempts && samples.size() < kMaxSamples; ++attempt) {
    for (std::size_t group_idx : named_groups) {
      positions[group_idx] = UniformIndex(rng, s_.groups[group_idx].contributions.size());
    }
    if (bids_.Allowed(s_.Compose(positions))) samples.insert(positions);
  }
  for (const std::vector<std::size_t>& sample : samples) {
    double sum = 0;
    std::vector<std::size_t> named;
    for (std::size_t group_idx : named_groups) {
      sum += s_.groups[group_idx].contributions[sample[group_idx]];
      named.push_back(sample[group_idx]);
    }
    s_.allowed_samples.emplace_back(sum, std::move(named));
  }
  // Best first: the first sample with the other issues at their best is the best outcome.
  std::stable_sort(s_.allowed_samples.begin(), s_.allowed_samples.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (s_.allowed_samples.empty()) {
    s_.red_lines_active = false;
    s_.repair_red_lines = false;
    s_.red_line_groups.clear();
    return;
  }
  std::vector<std::size_t> best_positions = top;
  for (std::size_t k = 0; k < named_groups.size(); ++k) {
    best_positions[named_groups[k]] = s_.allowed_samples.front().second[k];
  }
  s_.best = s_.Compose(best_positions);
  s_.max_utility = function_.Evaluate(s_.best);
}

void BidSpace::SubspaceBuilder::BuildLocalSearch() {
  s_.method = BidSearchMethod::kLocalSearch;
  std::mt19937_64 rng(0x5eed);
  Outcome start = s_.base;
  s_.red_lines_active = has_red_lines_ && bids_.Allowed(start);
  for (int attempt = 0; has_red_lines_ && !s_.red_lines_active && attempt < 4096; ++attempt) {
    for (std::size_t issue_idx : s_.free_issues) {
      start[issue_idx] =
          static_cast<OptionIndex>(UniformIndex(rng, bids_.space_.Cardinality(issue_idx)));
    }
    s_.red_lines_active = bids_.Allowed(start);
  }
  if (!s_.red_lines_active) start = s_.base;
  auto [best, max_utility] = Climb(start, 1, rng);
  s_.best = std::move(best);
  s_.max_utility = max_utility;
  s_.min_utility = Climb(start, -1, rng).second;
}

// Coordinate ascent from `start` (descent when direction is -1): the outcome reached and its
// utility.
std::pair<Outcome, double> BidSpace::SubspaceBuilder::Climb(const Outcome& start, int direction,
                                                            std::mt19937_64& rng) {
  Outcome current = start;
  double value = direction * function_.Evaluate(current);
  constexpr std::uint64_t kMaxOptionsTried = 1024;
  for (int pass = 0; pass < 50; ++pass) {
    bool improved = false;
    for (std::size_t issue_idx : s_.free_issues) {
      std::uint64_t cardinality = bids_.space_.Cardinality(issue_idx);
      std::uint64_t tries = std::min(cardinality, kMaxOptionsTried);
      for (std::uint64_t k = 0; k < tries; ++k) {
        OptionIndex option = static_cast<OptionIndex>(
            cardinality <= kMaxOptionsTried ? k : UniformIndex(rng, cardinality));
        if (option == current[issue_idx]) continue;
        OptionIndex previous = current[issue_idx];
        current[issue_idx] = option;
        double candidate = direction * function_.Evaluate(current);
        if (candidate > value && (!s_.red_lines_active || bids_.Allowed(current))) {
          value = candidate;
          improved = true;
        } else {
          current[issue_idx] = previous;
        }
      }
    }
    if (!improved) break;
  }
  return std::make_pair(current, direction * value);
}

std::shared_ptr<BidSpace::Subspace> BidSpace::Build(const BidConstraints& constraints) const {
  auto subspace = std::make_shared<Subspace>();
  SubspaceBuilder builder(*this, *subspace);
  builder.ChooseFreeIssues(constraints);
  std::optional<std::uint64_t> count =
      BoundedProduct(subspace->cardinalities, options_.sorted_limit);
  if (count.has_value()) {
    builder.BuildSorted(*count);
  } else if (additive_ != nullptr) {
    builder.BuildAdditive();
  } else {
    builder.BuildLocalSearch();
  }
  return subspace;
}

// One Find() of the additive method: a choice (position) per group whose contributions sum to at
// least what the target needs, with as little slack above it as the search finds. Groups named
// by red lines too wide to merge are locked at an allowed sample; the others are unlocked.
class BidSpace::AdditiveQuery {
 public:
  AdditiveQuery(const BidSpace& bids, const Subspace& s, std::mt19937_64& rng)
      : bids_(bids), s_(s), rng_(rng) {}

  Outcome Find(double target);

 private:
  struct Partial {
    double sum;
    std::uint32_t code;  // mixed-radix positions within the half
  };
  // Re-chooses the options of several random groups together, exactly, by meeting in the
  // middle: the groups split into two halves of at most kHalfCombinations combinations each.
  static constexpr std::size_t kHalfCombinations = 256;
  static constexpr int kSubsetRefits = 2;

  const std::vector<double>& Contributions(std::size_t group_idx) const {
    return s_.groups[group_idx].contributions;
  }
  void GreedyLower(std::vector<std::size_t>& positions, double& slack, std::size_t skip);
  void RefitPair(std::vector<std::size_t>& positions, double& slack, std::size_t first,
                 std::size_t second) const;
  void EnumerateHalf(const std::vector<std::size_t>& half, std::vector<Partial>& out) const;
  void DecodeHalf(const std::vector<std::size_t>& half, std::uint32_t code,
                  std::vector<std::size_t>& positions) const;
  void RefitSubset(std::vector<std::size_t>& positions, double& slack);
  void BalancedStart(std::vector<std::size_t>& positions, double& slack);
  double Search(std::vector<std::size_t>& positions, double slack);
  Outcome SearchAroundSamples(const std::vector<std::size_t>& top, double unlocked_max, double need,
                              double target);

  const BidSpace& bids_;
  const Subspace& s_;
  std::mt19937_64& rng_;
  std::vector<std::size_t> unlocked_;
  std::vector<std::size_t> order_;  // unlocked groups, shuffled by each move that needs an order
  std::vector<Partial> sums_a_;
  std::vector<Partial> sums_b_;
};

Outcome BidSpace::AdditiveQuery::Find(double target) {
  // Sums here run in another order than Evaluate(), so aim a hair above the target.
  const double margin = 1e-12 * (1.0 + std::abs(target));
  const double need = target - s_.constant + margin;
  const std::size_t num_groups = s_.groups.size();
  if (s_.max_sum < need || num_groups == 0) return s_.best;
  std::vector<bool> locked(num_groups, false);
  for (std::size_t group_idx : s_.red_line_groups) locked[group_idx] = true;
  for (std::size_t group_idx = 0; group_idx < num_groups; ++group_idx) {
    if (!locked[group_idx]) unlocked_.push_back(group_idx);
  }
  order_ = unlocked_;
  std::vector<std::size_t> top(num_groups);
  double unlocked_max = 0;
  for (std::size_t group_idx = 0; group_idx < num_groups; ++group_idx) {
    top[group_idx] = Contributions(group_idx).size() - 1;
    if (!locked[group_idx]) unlocked_max += Contributions(group_idx).back();
  }
  if (s_.repair_red_lines) return SearchAroundSamples(top, unlocked_max, need, target);
  // Rounding could still leave Evaluate() a hair below the target: widen the margin.
  for (double widen : {1.0, 1e3, 1e6}) {
    std::vector<std::size_t> positions = top;
    Search(positions, s_.max_sum - need - margin * (widen - 1));
    Outcome outcome = s_.Compose(positions);
    if (bids_.utility_->Evaluate(outcome) >= target) return outcome;
  }
  return s_.best;
}

// Lowers the unlocked groups other than `skip`, in a random order, each as far as the slack
// allows.
void BidSpace::AdditiveQuery::GreedyLower(std::vector<std::size_t>& positions, double& slack,
                                          std::size_t skip) {
  std::shuffle(order_.begin(), order_.end(), rng_);
  for (std::size_t group_idx : order_) {
    if (group_idx == skip) continue;
    const std::vector<double>& contributions = Contributions(group_idx);
    std::size_t position = positions[group_idx];
    double current = contributions[position];
    auto lowest = std::lower_bound(contributions.begin(), contributions.begin() + position + 1,
                                   current - slack);
    std::size_t chosen = static_cast<std::size_t>(lowest - contributions.begin());
    slack -= current - contributions[chosen];
    positions[group_idx] = chosen;
  }
}

// Re-chooses the options of two groups together, exactly: the pair whose sum is the least at or
// above what the two must contribute. Never increases the slack.
void BidSpace::AdditiveQuery::RefitPair(std::vector<std::size_t>& positions, double& slack,
                                        std::size_t first, std::size_t second) const {
  const std::vector<double>& a = Contributions(first);
  const std::vector<double>& b = Contributions(second);
  const double pair_need = a[positions[first]] + b[positions[second]] - slack;
  double best_sum = a[positions[first]] + b[positions[second]];
  for (std::size_t position_a = 0; position_a < a.size(); ++position_a) {
    auto fit = std::lower_bound(b.begin(), b.end(), pair_need - a[position_a]);
    if (fit == b.end()) continue;
    const double sum = a[position_a] + *fit;
    if (sum >= pair_need && sum < best_sum) {
      best_sum = sum;
      positions[first] = position_a;
      positions[second] = static_cast<std::size_t>(fit - b.begin());
    }
  }
  slack = best_sum - pair_need;
}

// Every combination of the half's groups with its contribution sum.
void BidSpace::AdditiveQuery::EnumerateHalf(const std::vector<std::size_t>& half,
                                            std::vector<Partial>& out) const {
  out.assign(1, Partial{0.0, 0});
  std::uint32_t radix = 1;
  for (std::size_t group_idx : half) {
    const std::vector<double>& contributions = Contributions(group_idx);
    const std::size_t previous = out.size();
    out.resize(previous * contributions.size());
    for (std::size_t position = contributions.size(); position-- > 0;) {
      for (std::size_t k = 0; k < previous; ++k) {
        out[position * previous + k] =
            Partial{out[k].sum + contributions[position],
                    out[k].code + static_cast<std::uint32_t>(position) * radix};
      }
    }
    radix *= static_cast<std::uint32_t>(contributions.size());
  }
}

void BidSpace::AdditiveQuery::DecodeHalf(const std::vector<std::size_t>& half, std::uint32_t code,
                                         std::vector<std::size_t>& positions) const {
  for (std::size_t group_idx : half) {
    const std::uint32_t size = static_cast<std::uint32_t>(Contributions(group_idx).size());
    positions[group_idx] = code % size;
    code /= size;
  }
}

// For every combination of one half, a binary search in the sorted sums of the other finds the
// least total at or above what the groups must contribute. Never increases the slack.
void BidSpace::AdditiveQuery::RefitSubset(std::vector<std::size_t>& positions, double& slack) {
  std::shuffle(order_.begin(), order_.end(), rng_);
  std::vector<std::size_t> half_a;
  std::vector<std::size_t> half_b;
  std::size_t product_a = 1;
  std::size_t product_b = 1;
  for (std::size_t group_idx : order_) {
    const std::size_t size = Contributions(group_idx).size();
    if (size < 2) continue;
    if (product_a * size <= kHalfCombinations) {
      half_a.push_back(group_idx);
      product_a *= size;
    } else if (product_b * size <= kHalfCombinations) {
      half_b.push_back(group_idx);
      product_b *= size;
    }
  }
  if (half_a.empty() || half_b.empty()) return;
  double current = 0;
  for (std::size_t group_idx : half_a) current += Contributions(group_idx)[positions[group_idx]];
  for (std::size_t group_idx : half_b) current += Contributions(group_idx)[positions[group_idx]];
  const double subset_need = current - slack;
  EnumerateHalf(half_a, sums_a_);
  EnumerateHalf(half_b, sums_b_);
  std::sort(sums_b_.begin(), sums_b_.end(),
            [](const Partial& x, const Partial& y) { return x.sum < y.sum; });
  double best_total = current;
  std::optional<std::pair<std::uint32_t, std::uint32_t>> best_codes;
  for (const Partial& a : sums_a_) {
    auto fit =
        std::lower_bound(sums_b_.begin(), sums_b_.end(), subset_need - a.sum,
                         [](const Partial& partial, double value) { return partial.sum < value; });
    if (fit == sums_b_.end()) continue;
    const double total = a.sum + fit->sum;
    if (total >= subset_need && total < best_total) {
      best_total = total;
      best_codes = std::make_pair(a.code, fit->code);
    }
  }
  if (!best_codes) return;
  DecodeHalf(half_a, best_codes->first, positions);
  DecodeHalf(half_b, best_codes->second, positions);
  slack = best_total - subset_need;
}

// Moves every unlocked group to the same quantile of its options, the lowest quantile that keeps
// the slack non-negative (found by bisection; sums grow with the quantile). Starting mid-range
// rather than from the best outcome leaves later refits room on both sides.
void BidSpace::AdditiveQuery::BalancedStart(std::vector<std::size_t>& positions, double& slack) {
  auto at = [&](double quantile, std::size_t group_idx) {
    const std::size_t size = Contributions(group_idx).size();
    return static_cast<std::size_t>(std::ceil(quantile * static_cast<double>(size - 1)));
  };
  double unlocked_sum = 0;
  for (std::size_t group_idx : unlocked_) {
    unlocked_sum += Contributions(group_idx)[positions[group_idx]];
  }
  const double unlocked_need = unlocked_sum - slack;
  double low = 0;
  double high = 1;
  for (int step = 0; step < 20; ++step) {
    const double middle = 0.5 * (low + high);
    double sum = 0;
    for (std::size_t group_idx : unlocked_) sum += Contributions(group_idx)[at(middle, group_idx)];
    (sum >= unlocked_need ? high : low) = middle;
  }
  // Every group one step below that quantile, then, in a random order, back up one at a time
  // until the slack is non-negative again: a fine-grained start even where the quantile moves
  // every group at once (near the worst outcome).
  std::vector<std::size_t> start = positions;
  double sum = 0;
  for (std::size_t group_idx : unlocked_) {
    const std::size_t upper = at(high, group_idx);
    const std::size_t lower = static_cast<std::size_t>(
        std::floor(high * static_cast<double>(Contributions(group_idx).size() - 1)));
    start[group_idx] = std::min(lower, upper);
    sum += Contributions(group_idx)[start[group_idx]];
  }
  std::shuffle(order_.begin(), order_.end(), rng_);
  for (std::size_t group_idx : order_) {
    if (sum >= unlocked_need) break;
    const std::vector<double>& contributions = Contributions(group_idx);
    const std::size_t upper = at(high, group_idx);
    sum += contributions[upper] - contributions[start[group_idx]];
    start[group_idx] = upper;
  }
  if (sum < unlocked_need) return;  // rounding: keep the start as it is
  positions = std::move(start);
  slack = sum - unlocked_need;
}

// From `positions` (unlocked groups at their best, slack >= 0): a balanced start, greedy descent,
// exact refits of random subsets of groups, then moves kept when they shrink the slack,
// alternately (a) raise one random group and lower the others greedily (escapes the greedy's
// choices), (b) refit two random groups exactly. Returns the slack left.
double BidSpace::AdditiveQuery::Search(std::vector<std::size_t>& positions, double slack) {
  BalancedStart(positions, slack);
  GreedyLower(positions, slack, s_.groups.size());
  for (int refit = 0; refit < kSubsetRefits && slack > 0; ++refit) {
    RefitSubset(positions, slack);
  }
  std::vector<std::size_t> trial;
  for (int iteration = 0;
       iteration < bids_.options_.search_iterations && slack > 0 && !unlocked_.empty();
       ++iteration) {
    std::size_t moved = unlocked_[UniformIndex(rng_, unlocked_.size())];
    if (iteration % 2 == 1) {
      if (unlocked_.size() < 2) continue;
      std::size_t other = unlocked_[UniformIndex(rng_, unlocked_.size() - 1)];
      if (other == moved) other = unlocked_.back();
      RefitPair(positions, slack, moved, other);
      continue;
    }
    const std::vector<double>& contributions = Contributions(moved);
    std::size_t position = positions[moved];
    if (position + 1 >= contributions.size()) continue;
    std::size_t higher = position + 1 + UniformIndex(rng_, contributions.size() - position - 1);
    trial = positions;
    trial[moved] = higher;
    double trial_slack = slack + contributions[higher] - contributions[position];
    GreedyLower(trial, trial_slack, moved);
    if (trial_slack < slack) {
      positions.swap(trial);
      slack = trial_slack;
    }
  }
  return slack;
}

// Red lines checked by sampling: search around the allowed samples of the named issues that can
// still reach the target, keeping the closest result.
Outcome BidSpace::AdditiveQuery::SearchAroundSamples(const std::vector<std::size_t>& top,
                                                     double unlocked_max, double need,
                                                     double target) {
  constexpr std::size_t kSamplesPerQuery = 8;
  std::optional<Outcome> closest;
  double closest_slack = std::numeric_limits<double>::infinity();
  std::size_t tried = 0;
  for (const auto& [named_sum, named] : s_.allowed_samples) {
    if (named_sum + unlocked_max < need) break;  // sorted by named_sum, best first
    if (tried++ == kSamplesPerQuery) break;
    std::vector<std::size_t> positions = top;
    for (std::size_t k = 0; k < s_.red_line_groups.size(); ++k) {
      positions[s_.red_line_groups[k]] = named[k];
    }
    double slack = Search(positions, named_sum + unlocked_max - need);
    if (slack < closest_slack) {
      Outcome outcome = s_.Compose(positions);
      if (bids_.utility_->Evaluate(outcome) >= target) {
        closest = std::move(outcome);
        closest_slack = slack;
      }
    }
  }
  return closest.has_value() ? *closest : s_.best;
}

// Local search for non-additive utilities: random single-issue moves from the best outcome,
// kept when they come closer to the target from above.
Outcome BidSpace::FindByLocalSearch(const Subspace& s, double target, std::mt19937_64& rng) const {
  Outcome current = s.best;
  double value = s.max_utility;
  if (s.free_issues.empty()) return current;
  const int budget = options_.search_iterations * 8 + 4 * static_cast<int>(s.free_issues.size());
  for (int evaluation = 0; evaluation < budget; ++evaluation) {
    std::size_t issue_idx = s.free_issues[UniformIndex(rng, s.free_issues.size())];
    OptionIndex option = static_cast<OptionIndex>(UniformIndex(rng, space_.Cardinality(issue_idx)));
    if (option == current[issue_idx]) continue;
    OptionIndex previous = current[issue_idx];
    current[issue_idx] = option;
    double candidate = utility_->Evaluate(current);
    if (candidate >= target && candidate < value && (!s.red_lines_active || Allowed(current))) {
      value = candidate;
    } else {
      current[issue_idx] = previous;
    }
  }
  return current;
}

Outcome BidSpace::Find(double target, std::mt19937_64& rng) const {
  const Subspace& s = Current();
  if (target > s.max_utility) return s.best;
  switch (s.method) {
    case BidSearchMethod::kSorted: {
      auto it = std::lower_bound(
          s.entries.begin(), s.entries.end(), target,
          [](const Subspace::Entry& entry, double value) { return entry.utility < value; });
      if (it == s.entries.end()) return s.best;
      return s.Decode(it->index);
    }
    case BidSearchMethod::kAdditiveSearch:
      return AdditiveQuery(*this, s, rng).Find(target);
    case BidSearchMethod::kLocalSearch:
      return FindByLocalSearch(s, target, rng);
  }
  return s.best;
}

std::vector<Outcome> BidSpace::FindMany(double target, double tolerance, std::size_t count,
                                        std::mt19937_64& rng) const {
  const Subspace& s = Current();
  std::vector<Outcome> found;
  found.push_back(Find(target, rng));
  if (count <= 1 || target > s.max_utility) return found;
  tolerance = std::max(tolerance, 0.0);

  if (s.method == BidSearchMethod::kSorted) {
    auto by_utility = [](const Subspace::Entry& entry, double value) {
      return entry.utility < value;
    };
    auto first = std::lower_bound(s.entries.begin(), s.entries.end(), target, by_utility);
    auto last = std::upper_bound(
        first, s.entries.end(), target + tolerance,
        [](double value, const Subspace::Entry& entry) { return value < entry.utility; });
    std::size_t window = static_cast<std::size_t>(last - first);
    if (window <= 1) return found;
    if (window <= count) {
      for (auto it = first + 1; it != last; ++it) found.push_back(s.Decode(it->index));
      return found;
    }
    // Floyd's sampling of count - 1 distinct positions among window - 1.
    std::set<std::size_t> picked;
    for (std::size_t j = window - count; j < window - 1; ++j) {
      std::size_t k = std::uniform_int_distribution<std::size_t>(0, j)(rng);
      if (!picked.insert(k).second) picked.insert(j);
    }
    for (std::size_t offset : picked) found.push_back(s.Decode((first + 1 + offset)->index));
    return found;
  }

  std::set<Outcome> seen(found.begin(), found.end());
  std::uniform_real_distribution<double> within(0.0, tolerance / 2);
  for (std::size_t attempt = 0; attempt < 4 * count && found.size() < count; ++attempt) {
    Outcome candidate = Find(target + within(rng), rng);
    double value = Utility(candidate);
    if (value >= target && value <= target + tolerance && seen.insert(candidate).second) {
      found.push_back(std::move(candidate));
    }
  }
  return found;
}

std::optional<Outcome> BidSpace::FindBelow(double utility, std::mt19937_64& rng) const {
  const Subspace& s = Current();
  if (s.method == BidSearchMethod::kSorted) {
    auto it = std::lower_bound(
        s.entries.begin(), s.entries.end(), utility,
        [](const Subspace::Entry& entry, double value) { return entry.utility < value; });
    if (it == s.entries.begin()) return std::nullopt;
    return s.Decode(std::prev(it)->index);
  }
  const double range = s.max_utility - s.min_utility;
  if (!(range > 0) || utility <= s.min_utility) return std::nullopt;
  double step = 1e-3 * range;
  for (int attempt = 0; attempt < 64; ++attempt, step *= 2) {
    double target = std::max(utility - step, s.min_utility);
    Outcome candidate = Find(target, rng);
    if (Utility(candidate) < utility) return candidate;
    if (target <= s.min_utility) break;
  }
  return std::nullopt;
}

Outcome BidSpace::Random(std::mt19937_64& rng) const {
  const Subspace& s = Current();
  switch (s.method) {
    case BidSearchMethod::kSorted:
      if (s.entries.empty()) return s.best;
      return s.Decode(s.entries[UniformIndex(rng, s.entries.size())].index);
    case BidSearchMethod::kAdditiveSearch: {
      for (int attempt = 0; attempt < 64; ++attempt) {
        std::vector<std::size_t> positions(s.groups.size());
        for (std::size_t group_idx = 0; group_idx < s.groups.size(); ++group_idx) {
          positions[group_idx] = UniformIndex(rng, s.groups[group_idx].contributions.size());
        }
        if (s.repair_red_lines) {
          const auto& named = s.allowed_samples[UniformIndex(rng, s.allowed_samples.size())].second;
          for (std::size_t k = 0; k < s.red_line_groups.size(); ++k) {
            positions[s.red_line_groups[k]] = named[k];
          }
        }
        return s.Compose(positions);
      }
      return s.best;
    }
    case BidSearchMethod::kLocalSearch: {
      for (int attempt = 0; attempt < 64; ++attempt) {
        Outcome outcome = s.base;
        for (std::size_t issue_idx : s.free_issues) {
          outcome[issue_idx] =
              static_cast<OptionIndex>(UniformIndex(rng, space_.Cardinality(issue_idx)));
        }
        if (!s.red_lines_active || Allowed(outcome)) return outcome;
      }
      return s.best;
    }
  }
  return s.best;
}

std::size_t BidSpace::NumRanked() const {
  const Subspace& s = Current();
  return s.method == BidSearchMethod::kSorted ? s.entries.size() : 0;
}

Outcome BidSpace::Ranked(std::size_t rank) const {
  const Subspace& s = Current();
  PARLEY_CHECK(s.method == BidSearchMethod::kSorted && rank < s.entries.size());
  return s.Decode(s.entries[s.entries.size() - 1 - rank].index);
}

double BidSpace::RankedUtility(std::size_t rank) const {
  const Subspace& s = Current();
  PARLEY_CHECK(s.method == BidSearchMethod::kSorted && rank < s.entries.size());
  return s.entries[s.entries.size() - 1 - rank].utility;
}

}  // namespace parley::strategies
