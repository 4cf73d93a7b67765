// Archives that keep the non-dominated set of a stream of utility vectors without storing the
// stream: what enumeration and search use so that memory follows the frontier, not the space.
//
// - Staircase2: two parties. The frontier's distinct vectors sorted by the first utility (the
//   second then strictly decreases), each with the payloads of its tied outcomes; an offered point
//   costs one binary search, O(log F).
// - BufferedArchive: any number of parties. A point is first checked against a small move-to-front
//   cache of recent dominators (any point seen can serve: dominance is transitive); survivors are
//   buffered and the buffer is merged into the frontier by FilterNonDominated when it grows as
//   large as the frontier (amortised O(log F) per buffered point for 3 parties).
// Both keep ties: distinct payloads with equal vectors are all kept.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "parley/analysis/internal/non_dominated.h"

namespace parley::analysis::internal {

template <typename Payload>
class Staircase2 {
 public:
  void Offer(double u1, double u2, const Payload& payload) {
    std::size_t size = first_.size();
    // Binary search for the first vector whose first utility is >= u1.
    std::size_t low = 0;
    std::size_t high = size;
    while (low < high) {
      std::size_t middle = (low + high) / 2;
      if (first_[middle] < u1) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    if (low < size && second_[low] >= u2) {
      if (second_[low] == u2 && first_[low] == u1) {
        payloads_[low].push_back(payload);
        ++num_payloads_;
      }
      return;  // dominated or tied
    }
    // (u1, u2) is new and non-dominated; it covers an equal-u1 vector at `low` and the vectors
    // left of `low` whose second utility is <= u2.
    std::size_t end = (low < size && first_[low] == u1) ? low + 1 : low;
    std::size_t begin = low;
    while (begin > 0 && second_[begin - 1] <= u2) --begin;
    for (std::size_t position = begin; position < end; ++position) {
      num_payloads_ -= payloads_[position].size();
    }
    if (begin < end) {
      first_[begin] = u1;
      second_[begin] = u2;
      payloads_[begin].assign(1, payload);
      first_.erase(first_.begin() + begin + 1, first_.begin() + end);
      second_.erase(second_.begin() + begin + 1, second_.begin() + end);
      payloads_.erase(payloads_.begin() + begin + 1, payloads_.begin() + end);
    } else {
      first_.insert(first_.begin() + begin, u1);
      second_.insert(second_.begin() + begin, u2);
      payloads_.insert(payloads_.begin() + begin, std::vector<Payload>{payload});
    }
    ++num_payloads_;
  }

  std::size_t NumPayloads() const { return num_payloads_; }

  // Appends every (vector, payload) pair, ties expanded.
  void AppendTo(std::vector<double>& values, std::vector<Payload>& payloads) const {
    for (std::size_t position = 0; position < first_.size(); ++position) {
      for (const Payload& payload : payloads_[position]) {
        values.push_back(first_[position]);
        values.push_back(second_[position]);
        payloads.push_back(payload);
      }
    }
  }

 private:
  std::vector<double> first_;   // ascending
  std::vector<double> second_;  // strictly descending
  std::vector<std::vector<Payload>> payloads_;
  std::size_t num_payloads_ = 0;
};

template <typename Payload>
class BufferedArchive {
 public:
  // `unique_payloads`: an offered payload may repeat (search revisits outcomes); keep one copy.
  explicit BufferedArchive(std::size_t dims, bool unique_payloads = false)
      : dims_(dims), unique_payloads_(unique_payloads), zero_tolerance_(dims, 0.0) {}

  void Offer(const double* row, const Payload& payload) {
    for (std::size_t slot = 0; slot < cache_size_; ++slot) {
      if (DominatesRow(&cache_[slot * dims_], row, dims_)) {
        if (slot > 0) {
          std::rotate(cache_.begin(), cache_.begin() + slot * dims_,
                      cache_.begin() + (slot + 1) * dims_);
        }
        return;
      }
    }
    // Not dominated by the cache: remember it as a likely dominator of what comes next.
    if (cache_size_ < kCacheSize) ++cache_size_;
    std::copy_backward(cache_.begin(), cache_.begin() + (cache_size_ - 1) * dims_,
                       cache_.begin() + cache_size_ * dims_);
    std::copy(row, row + dims_, cache_.begin());
    values_.insert(values_.end(), row, row + dims_);
    payloads_.push_back(payload);
    if (payloads_.size() - num_filtered_ >= std::max(kMinBatch, num_filtered_)) Flush();
  }

  // Merges the buffer into the frontier.
  void Flush() {
    if (payloads_.size() == num_filtered_) return;
    std::vector<std::uint32_t> kept = FilterNonDominated(values_, dims_, zero_tolerance_);
    if (unique_payloads_) {
      std::sort(kept.begin(), kept.end(), [&](std::uint32_t a, std::uint32_t b) {
        return payloads_[a] < payloads_[b] || (payloads_[a] == payloads_[b] && a < b);
      });
      kept.erase(std::unique(kept.begin(), kept.end(),
                             [&](std::uint32_t a, std::uint32_t b) {
                               return payloads_[a] == payloads_[b];
                             }),
                 kept.end());
    }
    std::vector<double> values;
    std::vector<Payload> payloads;
    values.reserve(kept.size() * dims_);
    payloads.reserve(kept.size());
    for (std::uint32_t index : kept) {
      values.insert(values.end(), values_.begin() + index * dims_,
                    values_.begin() + (index + 1) * dims_);
      payloads.push_back(std::move(payloads_[index]));
    }
    values_ = std::move(values);
    payloads_ = std::move(payloads);
    num_filtered_ = payloads_.size();
  }

  // Frontier size after the last Flush (a lower bound on what Flush would leave).
  std::size_t NumFiltered() const { return num_filtered_; }

  // Flushes, then appends every (vector, payload) pair.
  void AppendTo(std::vector<double>& values, std::vector<Payload>& payloads) {
    Flush();
    values.insert(values.end(), values_.begin(), values_.end());
    payloads.insert(payloads.end(), payloads_.begin(), payloads_.end());
  }

 private:
  static constexpr std::size_t kCacheSize = 8;
  static constexpr std::size_t kMinBatch = 4096;

  std::size_t dims_;
  bool unique_payloads_;
  std::vector<double> zero_tolerance_;
  std::vector<double> values_;  // rows; the first num_filtered_ are mutually non-dominated
  std::vector<Payload> payloads_;
  std::size_t num_filtered_ = 0;
  std::vector<double> cache_ = std::vector<double>(kCacheSize * dims_);
  std::size_t cache_size_ = 0;
};

}  // namespace parley::analysis::internal
