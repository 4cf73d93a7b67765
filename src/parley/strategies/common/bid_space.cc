#include "parley/strategies/common/bid_space.h"

#include <algorithm>
#include <bit>
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

namespace {
__extension__ using Uint128 = unsigned __int128;  // GCC and Clang; -Wpedantic needs the marker
}  // namespace

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

  // kSorted: outcomes of the subspace by ascending utility, ties by ascending index; the index is
  // mixed-radix over the free issues (first free issue most significant). 8 bytes an outcome
  // (AMPOvsCity's 1.94 M outcomes: 15.5 MB a party): the index and a 32-bit key, the utility
  // rounded to float and mapped to an unsigned integer in the same order (see SortKey). Rounding
  // keeps the order, so a search compares keys and evaluates the exact utility only among the
  // entries whose key equals the target's (Bound).
  struct Entry {
    std::uint64_t bits;  // key << 32 | index: sorting the bits sorts by key, then index
    std::uint32_t key() const { return static_cast<std::uint32_t>(bits >> 32); }
    std::uint32_t index() const { return static_cast<std::uint32_t>(bits); }
  };
  static Entry MakeEntry(double utility, std::uint64_t index);
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

  Outcome Decode(std::uint32_t index) const {
    Outcome outcome = base;
    DecodeInto(index, outcome);
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

  // kSorted: writes the outcome at `index` into `outcome`, which holds `base` on the other
  // issues. A sorted subspace has fewer than 2^32 outcomes, so divisions by the cardinalities
  // are multiplications by `reciprocals` (Lemire, Kaser & Kurz 2019: exact for 32-bit values).
  std::vector<std::uint64_t> reciprocals;  // of the free issues' cardinalities; 0 for 1
  void IndexReciprocals() {
    reciprocals.clear();
    for (std::uint64_t cardinality : cardinalities) {
      reciprocals.push_back(cardinality < 2 ? 0 : UINT64_MAX / cardinality + 1);
    }
  }
  void DecodeInto(std::uint32_t index, Outcome& outcome) const {
    for (std::size_t position = free_issues.size(); position-- > 0;) {
      const auto radix = static_cast<std::uint32_t>(cardinalities[position]);
      const std::uint32_t quotient =
          radix < 2 ? index
                    : static_cast<std::uint32_t>((Uint128{reciprocals[position]} * index) >> 64);
      outcome[free_issues[position]] = static_cast<OptionIndex>(index - quotient * radix);
      index = quotient;
    }
  }
  // kSorted: the exact utility of an entry (as Build evaluated it).
  double EntryUtility(const model::UtilityFunction& function, const Entry& entry,
                      Outcome& scratch) const {
    DecodeInto(entry.index(), scratch);
    return function.Evaluate(scratch);
  }
  // kSorted: the first entry whose utility is >= `value` (`strict`: > `value`). Keys below the
  // value's key belong to lower utilities and keys above it to higher ones, so only the entries
  // with the value's own key (usually none or a few) are evaluated. Keys are found in
  // `block_keys` first (small enough to stay in cache), then within one block of entries.
  std::vector<Entry>::const_iterator Bound(const model::UtilityFunction& function, double value,
                                           bool strict) const;
  // The key of every kBlock-th entry: entries[block * kBlock].key() (1/16 of the entries' size).
  static constexpr std::size_t kBlock = 32;
  std::vector<std::uint32_t> block_keys;
  void IndexBlocks() {
    block_keys.clear();
    for (std::size_t entry_idx = 0; entry_idx < entries.size(); entry_idx += kBlock) {
      block_keys.push_back(entries[entry_idx].key());
    }
  }
  // The first entry whose key is >= `key` (a 33-bit value, so that key + 1 is valid).
  std::vector<Entry>::const_iterator FirstWithKey(std::uint64_t key) const {
    const auto block = static_cast<std::size_t>(
        std::partition_point(block_keys.begin(), block_keys.end(),
                             [key](std::uint32_t block_key) { return block_key < key; }) -
        block_keys.begin());
    if (block == 0) return entries.begin();
    // Block `block - 1` starts below the key and block `block` (if any) at or above it.
    const auto first = entries.begin() + static_cast<std::ptrdiff_t>((block - 1) * kBlock);
    const auto last =
        entries.begin() + static_cast<std::ptrdiff_t>(std::min(block * kBlock, entries.size()));
    return std::partition_point(first, last,
                                [key](const Entry& entry) { return entry.key() < key; });
  }
};

namespace {

// The key of a utility: rounded to float (clamped, so huge values stay finite; zero without its
// sign, as -0.0 == 0.0), its bits mapped so that unsigned order is numeric order.
std::uint32_t SortKey(double utility) {
  constexpr double kMax = std::numeric_limits<float>::max();
  const float rounded = static_cast<float>(std::clamp(utility, -kMax, kMax)) + 0.0f;
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(rounded);
  return (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
}

}  // namespace

BidSpace::Subspace::Entry BidSpace::Subspace::MakeEntry(double utility, std::uint64_t index) {
  return {std::uint64_t{SortKey(utility)} << 32 | index};
}

std::vector<BidSpace::Subspace::Entry>::const_iterator BidSpace::Subspace::Bound(
    const model::UtilityFunction& function, double value, bool strict) const {
  // As std::lower_bound (std::upper_bound when strict) over exact utilities would answer.
  if (std::isnan(value)) return strict ? entries.end() : entries.begin();
  const std::uint64_t key = SortKey(value);
  auto first = FirstWithKey(key);
  auto last = first == entries.end() || first->key() != key ? first : FirstWithKey(key + 1);
  if (first != last) {
    Outcome scratch = base;
    first = std::partition_point(first, last, [&](const Entry& entry) {
      const double utility = EntryUtility(function, entry, scratch);
      return strict ? !(value < utility) : utility < value;
    });
  }
  return first;
}

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

namespace {

// The placeholder every default-constructed BidSpace copies: built once, not once per strategy
// (a tournament creates two strategies a session, each replacing it in Initialize).
const BidSpace& EmptyBidSpace() {
  static const BidSpace* empty = new BidSpace(nullptr, model::OutcomeSpace(), {});  // never freed
  return *empty;
}

}  // namespace

BidSpace::BidSpace() : BidSpace(EmptyBidSpace()) {}

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
        std::size_t bytes = sizeof(Subspace) + s.entries.size() * sizeof(Subspace::Entry) +
                            s.block_keys.size() * sizeof(std::uint32_t);
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

std::shared_ptr<BidSpace::Subspace> BidSpace::Build(const BidConstraints& constraints) const {
  auto subspace = std::make_shared<Subspace>();
  Subspace& s = *subspace;
  const model::UtilityFunction& function = *utility_;
  const std::size_t num_issues = space_.NumIssues();

  // Free issues and the base outcome.
  s.base = unconstrained_best_;
  std::vector<bool> is_free(num_issues, constraints.open_issues.empty());
  for (std::size_t issue_idx : constraints.open_issues) {
    if (issue_idx < num_issues) is_free[issue_idx] = true;
  }
  for (std::size_t issue_idx = 0; issue_idx < constraints.fixed_issues.size(); ++issue_idx) {
    if (issue_idx < num_issues && constraints.fixed_issues[issue_idx] &&
        issue_idx < constraints.fixed_outcome.size()) {
      is_free[issue_idx] = false;
      s.base[issue_idx] = constraints.fixed_outcome[issue_idx];
    }
  }
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    if (is_free[issue_idx]) {
      s.free_issues.push_back(issue_idx);
      s.cardinalities.push_back(space_.Cardinality(issue_idx));
    }
  }
  const bool has_red_lines = !red_lines_.empty();

  // Sorted: enumerate the subspace once.
  // (Entries hold 32-bit indices: fewer than 2^32 outcomes, 32 GB of entries, are sorted.)
  std::optional<std::uint64_t> count = BoundedProduct(
      s.cardinalities,
      std::min<std::uint64_t>(options_.sorted_limit, std::numeric_limits<std::uint32_t>::max()));
  if (count.has_value()) {
    s.method = BidSearchMethod::kSorted;
    // The outcomes the red lines allow; every outcome when there are none or none is allowed.
    auto enumerate = [&](bool allowed_only) {
      s.entries.clear();
      if (!allowed_only) s.entries.reserve(*count);
      Outcome outcome = s.base;
      for (std::size_t issue_idx : s.free_issues) outcome[issue_idx] = 0;
      for (std::uint64_t index = 0; index < *count; ++index) {
        if (!allowed_only || Allowed(outcome)) {
          s.entries.push_back(Subspace::MakeEntry(function.Evaluate(outcome), index));
        }
        Advance(s.free_issues, s.cardinalities, outcome);
      }
    };
    if (has_red_lines) enumerate(true);
    s.red_lines_active = has_red_lines && !s.entries.empty();
    if (!s.red_lines_active) enumerate(false);
    s.entries.shrink_to_fit();
    // By key, then by exact utility and index within each run of equal keys: the order of exact
    // utilities, ties by index.
    std::sort(s.entries.begin(), s.entries.end(),
              [](const auto& a, const auto& b) { return a.bits < b.bits; });
    s.IndexReciprocals();
    std::vector<std::pair<double, std::uint32_t>> run;
    Outcome scratch = s.base;
    for (auto first = s.entries.begin(); first != s.entries.end();) {
      auto last = first + 1;
      while (last != s.entries.end() && last->key() == first->key()) ++last;
      if (last - first > 1) {
        run.clear();
        for (auto it = first; it != last; ++it) {
          run.emplace_back(s.EntryUtility(function, *it, scratch), it->index());
        }
        // Already ordered by index: a stable sort by utility orders ties by index.
        std::stable_sort(run.begin(), run.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t k = 0; k < run.size(); ++k) {
          first[k].bits = (first[k].bits & ~std::uint64_t{0xffffffff}) | run[k].second;
        }
      }
      first = last;
    }
    s.IndexBlocks();
    if (s.entries.empty()) {
      s.best = s.base;
      s.max_utility = s.min_utility = function.Evaluate(s.base);
    } else {
      s.best = s.Decode(s.entries.back().index());
      s.max_utility = s.EntryUtility(function, s.entries.back(), scratch);
      s.min_utility = s.EntryUtility(function, s.entries.front(), scratch);
    }
    return subspace;
  }

  if (additive_ != nullptr) {
    s.method = BidSearchMethod::kAdditiveSearch;
    // Issues named by red lines, among the free ones.
    std::vector<std::size_t> red_line_issues;
    for (const model::RedLine& red_line : red_lines_) {
      for (std::size_t issue_idx : red_line.expression.MentionedIssues()) {
        if (is_free[issue_idx]) red_line_issues.push_back(issue_idx);
      }
    }
    std::sort(red_line_issues.begin(), red_line_issues.end());
    red_line_issues.erase(std::unique(red_line_issues.begin(), red_line_issues.end()),
                          red_line_issues.end());
    std::vector<bool> in_composite(num_issues, false);
    if (has_red_lines) {
      if (red_line_issues.empty()) {
        // The red lines only name fixed issues: the whole subspace is allowed or none of it.
        s.red_lines_active = Allowed(s.base);
      } else {
        std::vector<std::uint64_t> cardinalities;
        for (std::size_t issue_idx : red_line_issues) {
          cardinalities.push_back(space_.Cardinality(issue_idx));
        }
        std::optional<std::uint64_t> combinations =
            BoundedProduct(cardinalities, options_.red_line_combinations_limit);
        if (combinations.has_value()) {
          Subspace::Group composite;
          composite.issues = red_line_issues;
          std::vector<std::pair<double, std::uint32_t>> ranked;
          Outcome outcome = s.base;
          for (std::size_t issue_idx : red_line_issues) outcome[issue_idx] = 0;
          for (std::uint64_t index = 0; index < *combinations; ++index) {
            if (Allowed(outcome)) {
              double contribution = 0;
              std::vector<OptionIndex> assignment;
              for (std::size_t issue_idx : red_line_issues) {
                contribution += additive_->Contribution(issue_idx, outcome[issue_idx]);
                assignment.push_back(outcome[issue_idx]);
              }
              ranked.emplace_back(contribution,
                                  static_cast<std::uint32_t>(composite.assignments.size()));
              composite.assignments.push_back(std::move(assignment));
            }
            Advance(red_line_issues, cardinalities, outcome);
          }
          if (!ranked.empty()) {
            s.red_lines_active = true;
            std::stable_sort(ranked.begin(), ranked.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            for (const auto& [contribution, choice] : ranked) {
              composite.contributions.push_back(contribution);
              composite.choices.push_back(choice);
            }
            for (std::size_t issue_idx : red_line_issues) in_composite[issue_idx] = true;
            s.groups.push_back(std::move(composite));
          }
        } else {
          s.red_lines_active = true;
          s.repair_red_lines = true;
        }
      }
    }
    for (std::size_t issue_idx : s.free_issues) {
      if (in_composite[issue_idx]) continue;
      Subspace::Group group;
      group.issues = {issue_idx};
      std::vector<std::pair<double, std::uint32_t>> ranked;
      for (std::uint64_t option = 0; option < space_.Cardinality(issue_idx); ++option) {
        ranked.emplace_back(additive_->Contribution(issue_idx, static_cast<OptionIndex>(option)),
                            static_cast<std::uint32_t>(option));
      }
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [contribution, choice] : ranked) {
        group.contributions.push_back(contribution);
        group.choices.push_back(choice);
      }
      s.groups.push_back(std::move(group));
    }
    s.constant = additive_->offset();
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      if (!is_free[issue_idx]) s.constant += additive_->Contribution(issue_idx, s.base[issue_idx]);
    }
    std::vector<std::size_t> top(s.groups.size());
    std::vector<std::size_t> bottom(s.groups.size(), 0);
    for (std::size_t group_idx = 0; group_idx < s.groups.size(); ++group_idx) {
      top[group_idx] = s.groups[group_idx].contributions.size() - 1;
      s.max_sum += s.groups[group_idx].contributions.back();
    }
    s.best = s.Compose(top);
    s.max_utility = function.Evaluate(s.best);
    s.min_utility = function.Evaluate(s.Compose(bottom));
    if (s.repair_red_lines) {
      // Red lines over too many issues to merge into one composite: sample assignments of the
      // issues they name, keep the allowed ones (red lines depend on nothing else), and let
      // queries search the other issues around each. Without any, the red lines are ignored.
      std::vector<std::size_t> named_groups;
      for (std::size_t group_idx = 0; group_idx < s.groups.size(); ++group_idx) {
        if (std::binary_search(red_line_issues.begin(), red_line_issues.end(),
                               s.groups[group_idx].issues[0])) {
          named_groups.push_back(group_idx);
        }
      }
      s.red_line_groups = named_groups;
      std::mt19937_64 rng(0x5eed);
      std::set<std::vector<std::size_t>> samples;
      std::vector<std::size_t> positions = top;
      if (Allowed(s.Compose(positions))) samples.insert(top);
      constexpr int kSampleAttempts = 4096;
      constexpr std::size_t kMaxSamples = 256;
      for (int attempt = 0; attempt < kSampleAttempts && samples.size() < kMaxSamples; ++attempt) {
        for (std::size_t group_idx : named_groups) {
          positions[group_idx] = UniformIndex(rng, s.groups[group_idx].contributions.size());
        }
        if (Allowed(s.Compose(positions))) samples.insert(positions);
      }
      for (const std::vector<std::size_t>& sample : samples) {
        double sum = 0;
        std::vector<std::size_t> named;
        for (std::size_t group_idx : named_groups) {
          sum += s.groups[group_idx].contributions[sample[group_idx]];
          named.push_back(sample[group_idx]);
        }
        s.allowed_samples.emplace_back(sum, std::move(named));
      }
      // Best first: the first sample with the other issues at their best is the best outcome.
      std::stable_sort(s.allowed_samples.begin(), s.allowed_samples.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      if (s.allowed_samples.empty()) {
        s.red_lines_active = false;
        s.repair_red_lines = false;
        s.red_line_groups.clear();
      } else {
        std::vector<std::size_t> best_positions = top;
        for (std::size_t k = 0; k < named_groups.size(); ++k) {
          best_positions[named_groups[k]] = s.allowed_samples.front().second[k];
        }
        s.best = s.Compose(best_positions);
        s.max_utility = function.Evaluate(s.best);
      }
    }
    return subspace;
  }

  // Local search for non-additive utilities: coordinate ascent (and descent) over free issues.
  s.method = BidSearchMethod::kLocalSearch;
  std::mt19937_64 rng(0x5eed);
  Outcome start = s.base;
  s.red_lines_active = has_red_lines && Allowed(start);
  for (int attempt = 0; has_red_lines && !s.red_lines_active && attempt < 4096; ++attempt) {
    for (std::size_t issue_idx : s.free_issues) {
      start[issue_idx] = static_cast<OptionIndex>(UniformIndex(rng, space_.Cardinality(issue_idx)));
    }
    s.red_lines_active = Allowed(start);
  }
  if (!s.red_lines_active) start = s.base;
  auto climb = [&](int direction) {
    Outcome current = start;
    double value = direction * function.Evaluate(current);
    constexpr std::uint64_t kMaxOptionsTried = 1024;
    for (int pass = 0; pass < 50; ++pass) {
      bool improved = false;
      for (std::size_t issue_idx : s.free_issues) {
        std::uint64_t cardinality = space_.Cardinality(issue_idx);
        std::uint64_t tries = std::min(cardinality, kMaxOptionsTried);
        for (std::uint64_t k = 0; k < tries; ++k) {
          OptionIndex option = static_cast<OptionIndex>(
              cardinality <= kMaxOptionsTried ? k : UniformIndex(rng, cardinality));
          if (option == current[issue_idx]) continue;
          OptionIndex previous = current[issue_idx];
          current[issue_idx] = option;
          double candidate = direction * function.Evaluate(current);
          if (candidate > value && (!s.red_lines_active || Allowed(current))) {
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
  };
  auto [best, max_utility] = climb(1);
  s.best = std::move(best);
  s.max_utility = max_utility;
  s.min_utility = climb(-1).second;
  return subspace;
}

Outcome BidSpace::Find(double target, std::mt19937_64& rng) const {
  const Subspace& s = Current();
  const model::UtilityFunction& function = *utility_;
  if (target > s.max_utility) return s.best;

  switch (s.method) {
    case BidSearchMethod::kSorted: {
      auto it = s.Bound(function, target, /*strict=*/false);
      if (it == s.entries.end()) return s.best;
      return s.Decode(it->index());
    }
    case BidSearchMethod::kAdditiveSearch: {
      // Sums here run in another order than Evaluate(), so aim a hair above the target.
      const double margin = 1e-12 * (1.0 + std::abs(target));
      const double need = target - s.constant + margin;
      const std::size_t num_groups = s.groups.size();
      if (s.max_sum < need || num_groups == 0) return s.best;
      std::vector<bool> locked(num_groups, false);
      for (std::size_t group_idx : s.red_line_groups) locked[group_idx] = true;
      std::vector<std::size_t> unlocked;
      for (std::size_t group_idx = 0; group_idx < num_groups; ++group_idx) {
        if (!locked[group_idx]) unlocked.push_back(group_idx);
      }
      std::vector<std::size_t> order = unlocked;

      // Lowers the unlocked groups other than `skip`, in a random order, each as far as the slack
      // allows.
      auto greedy_lower = [&](std::vector<std::size_t>& positions, double& slack,
                              std::size_t skip) {
        std::shuffle(order.begin(), order.end(), rng);
        for (std::size_t group_idx : order) {
          if (group_idx == skip) continue;
          const std::vector<double>& contributions = s.groups[group_idx].contributions;
          std::size_t position = positions[group_idx];
          double current = contributions[position];
          auto lowest = std::lower_bound(contributions.begin(),
                                         contributions.begin() + position + 1, current - slack);
          std::size_t chosen = static_cast<std::size_t>(lowest - contributions.begin());
          slack -= current - contributions[chosen];
          positions[group_idx] = chosen;
        }
      };
      // Re-chooses the options of two groups together, exactly: the pair whose sum is the least
      // at or above what the two must contribute. Never increases the slack.
      auto refit_pair = [&](std::vector<std::size_t>& positions, double& slack, std::size_t first,
                            std::size_t second) {
        const std::vector<double>& a = s.groups[first].contributions;
        const std::vector<double>& b = s.groups[second].contributions;
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
      };
      // Re-chooses the options of several random groups together, exactly, by meeting in the
      // middle: the groups split into two halves of at most kHalfCombinations combinations
      // each; for every combination of one half, a binary search in the sorted sums of the other
      // finds the least total at or above what the groups must contribute. Never increases the
      // slack.
      constexpr std::size_t kHalfCombinations = 256;
      constexpr int kSubsetRefits = 2;
      struct Partial {
        double sum;
        std::uint32_t code;  // mixed-radix positions within the half
      };
      std::vector<Partial> sums_a;
      std::vector<Partial> sums_b;
      auto enumerate_half = [&](const std::vector<std::size_t>& half, std::vector<Partial>& out) {
        out.assign(1, Partial{0.0, 0});
        std::uint32_t radix = 1;
        for (std::size_t group_idx : half) {
          const std::vector<double>& contributions = s.groups[group_idx].contributions;
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
      };
      auto decode_half = [&](const std::vector<std::size_t>& half, std::uint32_t code,
                             std::vector<std::size_t>& positions) {
        for (std::size_t group_idx : half) {
          const std::uint32_t size =
              static_cast<std::uint32_t>(s.groups[group_idx].contributions.size());
          positions[group_idx] = code % size;
          code /= size;
        }
      };
      auto refit_subset = [&](std::vector<std::size_t>& positions, double& slack) {
        std::shuffle(order.begin(), order.end(), rng);
        std::vector<std::size_t> half_a;
        std::vector<std::size_t> half_b;
        std::size_t product_a = 1;
        std::size_t product_b = 1;
        for (std::size_t group_idx : order) {
          const std::size_t size = s.groups[group_idx].contributions.size();
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
        for (std::size_t group_idx : half_a) {
          current += s.groups[group_idx].contributions[positions[group_idx]];
        }
        for (std::size_t group_idx : half_b) {
          current += s.groups[group_idx].contributions[positions[group_idx]];
        }
        const double subset_need = current - slack;
        enumerate_half(half_a, sums_a);
        enumerate_half(half_b, sums_b);
        std::sort(sums_b.begin(), sums_b.end(),
                  [](const Partial& x, const Partial& y) { return x.sum < y.sum; });
        double best_total = current;
        std::optional<std::pair<std::uint32_t, std::uint32_t>> best_codes;
        for (const Partial& a : sums_a) {
          auto fit = std::lower_bound(
              sums_b.begin(), sums_b.end(), subset_need - a.sum,
              [](const Partial& partial, double value) { return partial.sum < value; });
          if (fit == sums_b.end()) continue;
          const double total = a.sum + fit->sum;
          if (total >= subset_need && total < best_total) {
            best_total = total;
            best_codes = std::make_pair(a.code, fit->code);
          }
        }
        if (!best_codes) return;
        decode_half(half_a, best_codes->first, positions);
        decode_half(half_b, best_codes->second, positions);
        slack = best_total - subset_need;
      };
      // Moves every unlocked group to the same quantile of its options, the lowest quantile that
      // keeps the slack non-negative (found by bisection; sums grow with the quantile). Starting
      // mid-range rather than from the best outcome leaves later refits room on both sides.
      auto balanced_start = [&](std::vector<std::size_t>& positions, double& slack) {
        auto at = [&](double quantile, std::size_t group_idx) {
          const std::size_t size = s.groups[group_idx].contributions.size();
          return static_cast<std::size_t>(std::ceil(quantile * static_cast<double>(size - 1)));
        };
        double unlocked_sum = 0;
        for (std::size_t group_idx : unlocked) {
          unlocked_sum += s.groups[group_idx].contributions[positions[group_idx]];
        }
        const double unlocked_need = unlocked_sum - slack;
        double low = 0;
        double high = 1;
        for (int step = 0; step < 20; ++step) {
          const double middle = 0.5 * (low + high);
          double sum = 0;
          for (std::size_t group_idx : unlocked) {
            sum += s.groups[group_idx].contributions[at(middle, group_idx)];
          }
          (sum >= unlocked_need ? high : low) = middle;
        }
        // Every group one step below that quantile, then, in a random order, back up one at a
        // time until the slack is non-negative again: a fine-grained start even where the
        // quantile moves every group at once (near the worst outcome).
        std::vector<std::size_t> start = positions;
        double sum = 0;
        for (std::size_t group_idx : unlocked) {
          const std::size_t upper = at(high, group_idx);
          const std::size_t lower = static_cast<std::size_t>(
              std::floor(high * static_cast<double>(s.groups[group_idx].contributions.size() - 1)));
          start[group_idx] = std::min(lower, upper);
          sum += s.groups[group_idx].contributions[start[group_idx]];
        }
        std::shuffle(order.begin(), order.end(), rng);
        for (std::size_t group_idx : order) {
          if (sum >= unlocked_need) break;
          const std::vector<double>& contributions = s.groups[group_idx].contributions;
          const std::size_t upper = at(high, group_idx);
          sum += contributions[upper] - contributions[start[group_idx]];
          start[group_idx] = upper;
        }
        if (sum < unlocked_need) return;  // rounding: keep the start as it is
        positions = std::move(start);
        slack = sum - unlocked_need;
      };
      // From `positions` (unlocked groups at their best, slack >= 0): a balanced start, greedy
      // descent, one exact refit of a random subset of groups, then moves kept when they shrink the
      // slack, alternately (a) raise one random group and lower the others greedily (escapes the
      // greedy's choices), (b) refit two random groups exactly.
      auto search = [&](std::vector<std::size_t>& positions, double slack) {
        balanced_start(positions, slack);
        greedy_lower(positions, slack, num_groups);
        for (int refit = 0; refit < kSubsetRefits && slack > 0; ++refit) {
          refit_subset(positions, slack);
        }
        std::vector<std::size_t> trial;
        for (int iteration = 0;
             iteration < options_.search_iterations && slack > 0 && !unlocked.empty();
             ++iteration) {
          std::size_t moved = unlocked[UniformIndex(rng, unlocked.size())];
          if (iteration % 2 == 1) {
            if (unlocked.size() < 2) continue;
            std::size_t other = unlocked[UniformIndex(rng, unlocked.size() - 1)];
            if (other == moved) other = unlocked.back();
            refit_pair(positions, slack, moved, other);
            continue;
          }
          const std::vector<double>& contributions = s.groups[moved].contributions;
          std::size_t position = positions[moved];
          if (position + 1 >= contributions.size()) continue;
          std::size_t higher =
              position + 1 + UniformIndex(rng, contributions.size() - position - 1);
          trial = positions;
          trial[moved] = higher;
          double trial_slack = slack + contributions[higher] - contributions[position];
          greedy_lower(trial, trial_slack, moved);
          if (trial_slack < slack) {
            positions.swap(trial);
            slack = trial_slack;
          }
        }
        return slack;
      };
      std::vector<std::size_t> top(num_groups);
      double unlocked_max = 0;
      for (std::size_t group_idx = 0; group_idx < num_groups; ++group_idx) {
        top[group_idx] = s.groups[group_idx].contributions.size() - 1;
        if (!locked[group_idx]) unlocked_max += s.groups[group_idx].contributions.back();
      }
      if (!s.repair_red_lines) {
        // Rounding could still leave Evaluate() a hair below the target: widen the margin.
        for (double widen : {1.0, 1e3, 1e6}) {
          std::vector<std::size_t> positions = top;
          search(positions, s.max_sum - need - margin * (widen - 1));
          Outcome outcome = s.Compose(positions);
          if (function.Evaluate(outcome) >= target) return outcome;
        }
        return s.best;
      }
      // Red lines checked by sampling: search around the allowed samples of the named issues
      // that can still reach the target, keeping the closest result.
      constexpr std::size_t kSamplesPerQuery = 8;
      std::optional<Outcome> closest;
      double closest_slack = std::numeric_limits<double>::infinity();
      std::size_t tried = 0;
      for (const auto& [named_sum, named] : s.allowed_samples) {
        if (named_sum + unlocked_max < need) break;  // sorted by named_sum, best first
        if (tried++ == kSamplesPerQuery) break;
        std::vector<std::size_t> positions = top;
        for (std::size_t k = 0; k < s.red_line_groups.size(); ++k) {
          positions[s.red_line_groups[k]] = named[k];
        }
        double slack = search(positions, named_sum + unlocked_max - need);
        if (slack < closest_slack) {
          Outcome outcome = s.Compose(positions);
          if (function.Evaluate(outcome) >= target) {
            closest = std::move(outcome);
            closest_slack = slack;
          }
        }
      }
      return closest.has_value() ? *closest : s.best;
    }
    case BidSearchMethod::kLocalSearch: {
      Outcome current = s.best;
      double value = s.max_utility;
      if (s.free_issues.empty()) return current;
      const int budget =
          options_.search_iterations * 8 + 4 * static_cast<int>(s.free_issues.size());
      for (int evaluation = 0; evaluation < budget; ++evaluation) {
        std::size_t issue_idx = s.free_issues[UniformIndex(rng, s.free_issues.size())];
        OptionIndex option =
            static_cast<OptionIndex>(UniformIndex(rng, space_.Cardinality(issue_idx)));
        if (option == current[issue_idx]) continue;
        OptionIndex previous = current[issue_idx];
        current[issue_idx] = option;
        double candidate = function.Evaluate(current);
        if (candidate >= target && candidate < value && (!s.red_lines_active || Allowed(current))) {
          value = candidate;
        } else {
          current[issue_idx] = previous;
        }
      }
      return current;
    }
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
    auto first = s.Bound(*utility_, target, /*strict=*/false);
    auto last = s.Bound(*utility_, target + tolerance, /*strict=*/true);
    std::size_t window = static_cast<std::size_t>(last - first);
    if (window <= 1) return found;
    if (window <= count) {
      for (auto it = first + 1; it != last; ++it) found.push_back(s.Decode(it->index()));
      return found;
    }
    // Floyd's sampling of count - 1 distinct positions among window - 1.
    std::set<std::size_t> picked;
    for (std::size_t j = window - count; j < window - 1; ++j) {
      std::size_t k = std::uniform_int_distribution<std::size_t>(0, j)(rng);
      if (!picked.insert(k).second) picked.insert(j);
    }
    for (std::size_t offset : picked) found.push_back(s.Decode((first + 1 + offset)->index()));
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
    auto it = s.Bound(*utility_, utility, /*strict=*/false);
    if (it == s.entries.begin()) return std::nullopt;
    return s.Decode(std::prev(it)->index());
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
      return s.Decode(s.entries[UniformIndex(rng, s.entries.size())].index());
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
  return s.Decode(s.entries[s.entries.size() - 1 - rank].index());
}

double BidSpace::RankedUtility(std::size_t rank) const {
  const Subspace& s = Current();
  PARLEY_CHECK(s.method == BidSearchMethod::kSorted && rank < s.entries.size());
  Outcome scratch = s.base;
  return s.EntryUtility(*utility_, s.entries[s.entries.size() - 1 - rank], scratch);
}

}  // namespace parley::strategies
