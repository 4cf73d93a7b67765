#include "parley/model/outcome_space.h"

#include "parley/base/check.h"

namespace parley::model {

OutcomeSpace::OutcomeSpace(std::vector<std::uint64_t> cardinalities)
    : cardinalities_(std::move(cardinalities)) {
  count_ = BigCount(1);
  for (std::uint64_t cardinality : cardinalities_) count_ *= BigCount(cardinality);
  count64_ = count_.ToUint64();
}

OutcomeSpace OutcomeSpace::FromIssues(const std::vector<Issue>& issues) {
  std::vector<std::uint64_t> cardinalities;
  cardinalities.reserve(issues.size());
  for (const Issue& issue : issues) cardinalities.push_back(issue.NumOptions());
  return OutcomeSpace(std::move(cardinalities));
}

bool OutcomeSpace::Contains(const Outcome& outcome) const {
  if (outcome.size() != cardinalities_.size()) return false;
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    if (outcome[issue_idx] >= cardinalities_[issue_idx]) return false;
  }
  return true;
}

std::uint64_t OutcomeSpace::Index(const Outcome& outcome) const {
  PARLEY_CHECK(count64_.has_value());
  PARLEY_CHECK(Contains(outcome));
  std::uint64_t index = 0;
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    index = index * cardinalities_[issue_idx] + outcome[issue_idx];
  }
  return index;
}

BigCount OutcomeSpace::BigIndex(const Outcome& outcome) const {
  PARLEY_CHECK(Contains(outcome));
  BigCount index(0);
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    index *= BigCount(cardinalities_[issue_idx]);
    index += BigCount(outcome[issue_idx]);
  }
  return index;
}

Outcome OutcomeSpace::OutcomeAt(std::uint64_t index) const {
  PARLEY_CHECK(count64_.has_value() && index < *count64_);
  Outcome outcome(cardinalities_.size());
  for (std::size_t issue_idx = cardinalities_.size(); issue_idx-- > 0;) {
    outcome[issue_idx] = static_cast<OptionIndex>(index % cardinalities_[issue_idx]);
    index /= cardinalities_[issue_idx];
  }
  return outcome;
}

Outcome OutcomeSpace::OutcomeAt(BigCount index) const {
  PARLEY_CHECK(index < count_);
  Outcome outcome(cardinalities_.size());
  for (std::size_t issue_idx = cardinalities_.size(); issue_idx-- > 0;) {
    outcome[issue_idx] = static_cast<OptionIndex>(index.DivideInPlace(cardinalities_[issue_idx]));
  }
  return outcome;
}

Status OutcomeSpace::ForEach(std::uint64_t limit,
                             const std::function<void(const Outcome&)>& visit) const {
  if (!IsEnumerable(limit)) {
    return Unsupported("the outcome space has " + count_.ToDisplayString() +
                       " outcomes, more than the enumeration limit of " + std::to_string(limit));
  }
  if (*count64_ == 0) return Status::Ok();
  Outcome outcome(cardinalities_.size(), 0);
  for (std::uint64_t index = 0; index < *count64_; ++index) {
    visit(outcome);
    // Odometer increment, last issue fastest, matching Index().
    for (std::size_t issue_idx = outcome.size(); issue_idx-- > 0;) {
      if (++outcome[issue_idx] < cardinalities_[issue_idx]) break;
      outcome[issue_idx] = 0;
    }
  }
  return Status::Ok();
}

}  // namespace parley::model
