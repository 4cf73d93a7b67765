#include "parley/strategies/micro/micro.h"

#include <algorithm>
#include <limits>

namespace parley::strategies {

void MicroStrategy::Reset() {
  proposed_.clear();
  proposed_order_.clear();
  worst_proposed_.reset();
  next_rank_ = 0;
  conceding_ = false;
  received_distinct_.clear();
}

void MicroStrategy::OnInitialize(const PartyView& view) {
  (void)view;
  Reset();
}

void MicroStrategy::OnConstraintsChanged() { Reset(); }

void MicroStrategy::OnReceived(const PartyView& view, const ReceivedOffer& offer) {
  (void)view;
  received_distinct_[offer.sender].insert(offer.outcome);
}

std::size_t MicroStrategy::OpponentDistinct() const {
  if (received_distinct_.empty()) return 0;
  std::size_t fewest = std::numeric_limits<std::size_t>::max();
  for (const auto& [sender, distinct] : received_distinct_) {
    fewest = std::min(fewest, distinct.size());
  }
  return fewest;
}

model::Outcome MicroStrategy::NextOffer(const PartyView& view, const Request& request) {
  (void)view;
  (void)request;
  conceding_ = false;
  if (proposed_.size() <= OpponentDistinct()) {
    std::optional<model::Outcome> candidate;
    if (bids().method() == BidSearchMethod::kSorted) {
      while (next_rank_ < bids().NumRanked()) {
        model::Outcome ranked = bids().Ranked(next_rank_);
        if (!proposed_.count(ranked)) {
          candidate = std::move(ranked);
          break;
        }
        ++next_rank_;
      }
    } else if (!worst_proposed_) {
      candidate = bids().Best();
    } else {
      candidate = bids().FindBelow(*worst_proposed_, rng());
    }
    if (candidate && bids().Utility(*candidate) >= reservation() && bids().Allowed(*candidate)) {
      conceding_ = true;
      return *candidate;
    }
  }
  if (proposed_order_.empty()) return bids().Best();
  std::uniform_int_distribution<std::size_t> pick(0, proposed_order_.size() - 1);
  return proposed_order_[pick(rng())];
}

bool MicroStrategy::AcceptsOffer(const PartyView& view, double offer_utility, double next_utility) {
  (void)view;
  const double threshold = conceding_ || !worst_proposed_ ? next_utility : *worst_proposed_;
  return offer_utility >= threshold;
}

void MicroStrategy::OnOffered(const model::Outcome& offer) {
  if (!proposed_.insert(offer).second) return;
  proposed_order_.push_back(offer);
  const double utility = bids().Utility(offer);
  if (!worst_proposed_ || utility < *worst_proposed_) worst_proposed_ = utility;
  if (bids().method() == BidSearchMethod::kSorted && next_rank_ < bids().NumRanked() &&
      bids().Ranked(next_rank_) == offer) {
    ++next_rank_;
  }
}

namespace {

StrategyDescriptor MicroDescriptor() {
  StrategyDescriptor descriptor;
  descriptor.name = "micro";
  descriptor.summary =
      "MiCRO (de Jonge 2022): proposes its outcomes best first, conceding to the next one only "
      "when the opponent has made at least as many distinct offers; accepts what it would offer";
  descriptor.roles = {model::Role::kPrincipal};
  descriptor.create = [](const protocols::Parameters&) -> std::unique_ptr<Strategy> {
    return std::make_unique<MicroStrategy>();
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::MicroDescriptor());
