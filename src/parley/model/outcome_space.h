// Outcome and OutcomeSpace.
//
// An outcome assigns one option to every issue: a vector of option indices, in issue order. The
// outcome space is the product of the issues' option lists; it maps outcomes to a mixed-radix index
// (first issue most significant, so index order is lexicographic order) and back. Sizes beyond
// 2^64 are exact (BigCount); enumeration is explicit and refuses spaces above a caller's limit, so
// a 10^50-outcome space is never walked by accident.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "parley/base/big_count.h"
#include "parley/base/status.h"
#include "parley/model/issue.h"

namespace parley::model {

using Outcome = std::vector<OptionIndex>;

class OutcomeSpace {
 public:
  OutcomeSpace() = default;
  explicit OutcomeSpace(std::vector<std::uint64_t> cardinalities);
  static OutcomeSpace FromIssues(const std::vector<Issue>& issues);

  std::size_t NumIssues() const { return cardinalities_.size(); }
  std::uint64_t Cardinality(std::size_t issue_idx) const { return cardinalities_[issue_idx]; }
  const std::vector<std::uint64_t>& Cardinalities() const { return cardinalities_; }

  // Exact number of outcomes (1 for a space with no issues, 0 if an issue has no options).
  const BigCount& Count() const { return count_; }
  // The count when it fits in 64 bits.
  std::optional<std::uint64_t> Count64() const { return count64_; }
  // True when the space has at most `limit` outcomes.
  bool IsEnumerable(std::uint64_t limit) const { return count64_ && *count64_ <= limit; }

  // True when the outcome has one valid option index per issue.
  bool Contains(const Outcome& outcome) const;

  // Mixed-radix index of an outcome. The 64-bit form requires Count64().
  std::uint64_t Index(const Outcome& outcome) const;
  BigCount BigIndex(const Outcome& outcome) const;
  // Inverse of Index / BigIndex; the index must be below Count().
  Outcome OutcomeAt(std::uint64_t index) const;
  Outcome OutcomeAt(BigCount index) const;

  // Calls `visit` for every outcome in index order. Refuses (kUnsupported, nothing visited) when
  // the space has more than `limit` outcomes.
  Status ForEach(std::uint64_t limit, const std::function<void(const Outcome&)>& visit) const;

 private:
  std::vector<std::uint64_t> cardinalities_;
  BigCount count_ = BigCount(1);
  std::optional<std::uint64_t> count64_ = 1;
};

}  // namespace parley::model
