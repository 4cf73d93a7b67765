#include "parley/strategies/common/mediator.h"

#include <algorithm>
#include <numeric>

namespace parley::strategies {
namespace {

bool Allows(const Request& request, ActionType type) {
  return std::find(request.allowed.begin(), request.allowed.end(), type) != request.allowed.end();
}

}  // namespace

void MediatorStrategy::Initialize(const PartyView& view, std::mt19937_64& rng) {
  rng_ = rng;
  issues_ = view.issues();
  space_ = view.space();
  principals_.clear();
  for (std::size_t party_idx = 0; party_idx < view.parties().size(); ++party_idx) {
    if (party_idx != view.self() && view.parties()[party_idx].role == model::Role::kPrincipal) {
      principals_.push_back(party_idx);
    }
  }
  inbox_seen_ = 0;
  latest_offers_.clear();
  answers_.clear();
  last_proposal_.reset();
  num_proposals_ = 0;
  initialized_ = true;
}

void MediatorStrategy::Digest(const PartyView& view) {
  const protocols::Inbox& inbox = view.inbox();
  if (inbox.size() < inbox_seen_) inbox_seen_ = 0;
  for (; inbox_seen_ < inbox.size(); ++inbox_seen_) {
    const protocols::Message& message = inbox[inbox_seen_];
    const bool from_principal =
        std::find(principals_.begin(), principals_.end(), message.sender) != principals_.end();
    if (from_principal) {
      if (message.type == ActionType::kOffer && message.outcome &&
          space_.Contains(*message.outcome)) {
        latest_offers_[message.sender] = *message.outcome;
      } else if (message.type == ActionType::kAccept) {
        answers_[message.sender] = true;
      } else if (message.type == ActionType::kReject) {
        answers_[message.sender] = false;
      } else if (message.type == ActionType::kVote && message.accept.has_value()) {
        answers_[message.sender] = *message.accept;
      }
    }
    OnMessage(view, message);
  }
}

std::optional<bool> MediatorStrategy::Adopt(const PartyView& view, const Request& request) {
  (void)view;
  (void)request;
  if (answers_.empty()) return std::nullopt;
  for (const auto& [principal, accepted] : answers_) {
    if (!accepted) return false;
  }
  return true;
}

model::Outcome MediatorStrategy::KeepFixed(model::Outcome outcome, const Request& request) {
  for (std::size_t issue_idx = 0;
       issue_idx < request.fixed_issues.size() && issue_idx < outcome.size() &&
       issue_idx < request.fixed_outcome.size();
       ++issue_idx) {
    if (request.fixed_issues[issue_idx]) outcome[issue_idx] = request.fixed_outcome[issue_idx];
  }
  return outcome;
}

std::vector<std::size_t> MediatorStrategy::FreeIssues(const Request& request) const {
  std::vector<std::size_t> free;
  std::vector<std::size_t> candidates = request.open_issues;
  if (candidates.empty()) {
    candidates.resize(space_.NumIssues());
    std::iota(candidates.begin(), candidates.end(), 0);
  }
  for (std::size_t issue_idx : candidates) {
    if (issue_idx >= space_.NumIssues()) continue;
    const bool fixed = issue_idx < request.fixed_issues.size() && request.fixed_issues[issue_idx];
    if (!fixed) free.push_back(issue_idx);
  }
  std::sort(free.begin(), free.end());
  free.erase(std::unique(free.begin(), free.end()), free.end());
  return free;
}

model::Outcome MediatorStrategy::RandomOutcome(const Request& request) {
  model::Outcome outcome(space_.NumIssues(), 0);
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    std::uint64_t cardinality = space_.Cardinality(issue_idx);
    if (cardinality == 0) continue;
    outcome[issue_idx] = static_cast<model::OptionIndex>(
        std::uniform_int_distribution<std::uint64_t>(0, cardinality - 1)(rng_));
  }
  return KeepFixed(std::move(outcome), request);
}

model::Outcome MediatorStrategy::Mutate(const model::Outcome& base, int count,
                                        const Request& request) {
  model::Outcome outcome = KeepFixed(base, request);
  std::vector<std::size_t> free = FreeIssues(request);
  std::erase_if(free, [&](std::size_t issue_idx) { return space_.Cardinality(issue_idx) < 2; });
  std::shuffle(free.begin(), free.end(), rng_);
  for (int changed = 0; changed < count && changed < static_cast<int>(free.size()); ++changed) {
    std::size_t issue_idx = free[changed];
    std::uint64_t cardinality = space_.Cardinality(issue_idx);
    // A different option, uniformly among the others.
    std::uint64_t shift = std::uniform_int_distribution<std::uint64_t>(1, cardinality - 1)(rng_);
    outcome[issue_idx] =
        static_cast<model::OptionIndex>((outcome[issue_idx] + shift) % cardinality);
  }
  return outcome;
}

Action MediatorStrategy::Act(const PartyView& view, const Request& request) {
  if (!initialized_) {
    std::mt19937_64 seeded(0);
    Initialize(view, seeded);
  }
  Digest(view);
  Action action;
  const bool has_standing =
      request.standing_offer.has_value() && space_.Contains(*request.standing_offer);

  if (Allows(request, ActionType::kOffer)) {
    std::optional<model::Outcome> text = Propose(view, request);
    if (text && space_.Contains(*text)) {
      action.type = ActionType::kOffer;
      action.outcome = KeepFixed(*text, request);
      action.recipients = request.may_address;
      last_proposal_ = action.outcome;
      answers_.clear();
      ++num_proposals_;
      return action;
    }
  }
  if (Allows(request, ActionType::kRelay) && !Allows(request, ActionType::kOffer) && has_standing) {
    std::optional<model::Outcome> text = Relay(view, request);
    if (text && space_.Contains(*text)) {
      action.type = ActionType::kRelay;
      action.outcome = KeepFixed(*text, request);
      for (std::size_t party : request.may_address) {
        if (party != request.standing_offer_from) action.recipients.push_back(party);
      }
      if (action.recipients.empty()) action.recipients = request.may_address;
      return action;
    }
  }
  if (has_standing &&
      (Allows(request, ActionType::kAccept) || Allows(request, ActionType::kReject))) {
    std::optional<bool> adopt = Adopt(view, request);
    if (adopt.has_value()) {
      ActionType wanted = *adopt ? ActionType::kAccept : ActionType::kReject;
      if (Allows(request, wanted)) {
        action.type = wanted;
        action.outcome = request.standing_offer;
        return action;
      }
    }
  }
  action.type = Allows(request, ActionType::kPass) ? ActionType::kPass : request.fallback;
  return action;
}

}  // namespace parley::strategies
