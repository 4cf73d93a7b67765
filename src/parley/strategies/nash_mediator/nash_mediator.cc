#include "parley/strategies/nash_mediator/nash_mediator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parley::strategies {
namespace {

constexpr double kFloor = 1e-6;  // estimates below count as this in the log product
constexpr std::uint64_t kOptionsPerIssue = 64;
constexpr int kStarts = 3;
constexpr int kPasses = 10;

}  // namespace

NashMediatorStrategy::Knowledge& NashMediatorStrategy::About(std::size_t principal) {
  Knowledge& knowledge = knowledge_[principal];
  if (knowledge.model == nullptr) knowledge.model = std::make_unique<FrequencyModel>(issues());
  return knowledge;
}

void NashMediatorStrategy::OnMessage(const PartyView& view, const protocols::Message& message) {
  (void)view;
  if (std::find(principals().begin(), principals().end(), message.sender) == principals().end()) {
    return;
  }
  std::optional<model::Outcome> text = message.outcome;
  if (text && !space().Contains(*text)) return;
  if (!text && message.type != ActionType::kOffer) text = last_proposal();
  if (!text) return;
  switch (message.type) {
    case ActionType::kOffer:
      About(message.sender).model->Observe(*text, message.time);
      seen_.insert(*text);
      break;
    case ActionType::kAccept:
      About(message.sender).model->AddEvidence(*text, 0.5);
      seen_.insert(*text);
      break;
    case ActionType::kVote:
      if (message.accept.value_or(false)) {
        About(message.sender).model->AddEvidence(*text, 0.5);
        seen_.insert(*text);
      }
      break;
    case ActionType::kConfide:
      if (message.value && std::isfinite(*message.value)) {
        Knowledge& knowledge = About(message.sender);
        knowledge.confided[*text] = *message.value;
        knowledge.model->AddEvidence(*text, std::max(*message.value, 0.0));
        seen_.insert(*text);
      }
      break;
    case ActionType::kFeedback:
      if (message.value && *message.value > 0) {
        About(message.sender).model->AddEvidence(*text, std::min(*message.value, 1.0));
      }
      break;
    default:
      break;
  }
}

double NashMediatorStrategy::Estimate(std::size_t principal, const model::Outcome& outcome) const {
  auto it = knowledge_.find(principal);
  if (it == knowledge_.end()) return 0.0;
  auto confided = it->second.confided.find(outcome);
  if (confided != it->second.confided.end()) return confided->second;
  return it->second.model->Estimate(outcome);
}

double NashMediatorStrategy::Score(const model::Outcome& outcome) const {
  double score = 0;
  for (const auto& [principal, knowledge] : knowledge_) {
    score += std::log(std::max(Estimate(principal, outcome), kFloor));
  }
  return score;
}

std::optional<model::Outcome> NashMediatorStrategy::Propose(const PartyView& view,
                                                            const Request& request) {
  (void)view;
  if (knowledge_.empty()) {
    if (request.standing_offer && space().Contains(*request.standing_offer)) {
      return request.standing_offer;
    }
    return RandomOutcome(request);
  }
  std::set<model::Outcome> pool;
  for (const model::Outcome& outcome : seen_) pool.insert(KeepFixed(outcome, request));
  if (request.standing_offer && space().Contains(*request.standing_offer)) {
    pool.insert(KeepFixed(*request.standing_offer, request));
  }
  if (last_proposal()) pool.insert(KeepFixed(*last_proposal(), request));

  std::vector<std::pair<double, model::Outcome>> ranked;
  for (const model::Outcome& outcome : pool) ranked.emplace_back(Score(outcome), outcome);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (ranked.size() > kStarts) ranked.resize(kStarts);

  const std::vector<std::size_t> free = FreeIssues(request);
  double best_score = -std::numeric_limits<double>::infinity();
  model::Outcome best;
  for (auto& [start_score, start] : ranked) {
    model::Outcome current = start;
    double current_score = start_score;
    for (int pass = 0; pass < kPasses; ++pass) {
      bool improved = false;
      for (std::size_t issue_idx : free) {
        const std::uint64_t cardinality = space().Cardinality(issue_idx);
        const std::uint64_t tries = std::min(cardinality, kOptionsPerIssue);
        for (std::uint64_t k = 0; k < tries; ++k) {
          const model::OptionIndex option = static_cast<model::OptionIndex>(
              cardinality <= kOptionsPerIssue
                  ? k
                  : std::uniform_int_distribution<std::uint64_t>(0, cardinality - 1)(rng()));
          if (option == current[issue_idx]) continue;
          const model::OptionIndex previous = current[issue_idx];
          current[issue_idx] = option;
          const double score = Score(current);
          if (score > current_score + 1e-12) {
            current_score = score;
            improved = true;
          } else {
            current[issue_idx] = previous;
          }
        }
      }
      if (!improved) break;
    }
    if (current_score > best_score) {
      best_score = current_score;
      best = current;
    }
  }
  return best;
}

namespace {

StrategyDescriptor NashMediatorDescriptor() {
  StrategyDescriptor descriptor;
  descriptor.name = "nash_mediator";
  descriptor.summary =
      "Mediator: proposes the Nash point of the principals' utilities as estimated from what they "
      "told it (offers, acceptances, confided utilities, feedback)";
  descriptor.roles = {model::Role::kMediator};
  descriptor.create = [](const protocols::Parameters&) -> std::unique_ptr<Strategy> {
    return std::make_unique<NashMediatorStrategy>();
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::NashMediatorDescriptor());
