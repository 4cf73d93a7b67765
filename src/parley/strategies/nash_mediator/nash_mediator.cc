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
constexpr double kUninformed = 0.5;  // estimate for a principal that made no offer yet
constexpr int kFitPasses = 30;
constexpr double kLearningRate = 0.5;
constexpr double kRidge = 0.01;
constexpr std::size_t kRememberedRejections = 8;

}  // namespace

NashMediatorStrategy::Knowledge& NashMediatorStrategy::About(std::size_t principal) {
  Knowledge& knowledge = knowledge_[principal];
  if (knowledge.model == nullptr) {
    knowledge.model = std::make_unique<FrequencyModel>(issues(), 0.2, /*smooth_ordered=*/true);
  }
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
  if (!text && message.type == ActionType::kReject) return;
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
    case ActionType::kReject:
      Reject(message.sender, *text);
      break;
    case ActionType::kVote:
      if (message.accept.value_or(false)) {
        About(message.sender).model->AddEvidence(*text, 0.5);
        seen_.insert(*text);
      } else {
        Reject(message.sender, *text);
      }
      break;
    case ActionType::kConfide:
      if (message.value && std::isfinite(*message.value)) {
        About(message.sender).confided[*text] = *message.value;
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

void NashMediatorStrategy::Reject(std::size_t principal, const model::Outcome& text) {
  std::vector<model::Outcome>& rejected = About(principal).rejected;
  std::erase(rejected, text);
  rejected.push_back(text);
  if (rejected.size() > kRememberedRejections) rejected.erase(rejected.begin());
}

double NashMediatorStrategy::Modelled(const Knowledge& knowledge,
                                      const model::Outcome& outcome) const {
  double estimate =
      knowledge.model->num_observed() > 0 ? knowledge.model->Estimate(outcome) : kUninformed;
  for (std::size_t issue_idx = 0; issue_idx < knowledge.corrections.size(); ++issue_idx) {
    const std::vector<double>& correction = knowledge.corrections[issue_idx];
    if (outcome[issue_idx] < correction.size()) estimate += correction[outcome[issue_idx]];
  }
  return estimate;
}

void NashMediatorStrategy::PrepareEstimates() {
  for (auto& [principal, knowledge] : knowledge_) {
    knowledge.corrections.clear();
    if (knowledge.confided.empty()) continue;
    // Fit an additive correction (one value per issue and option) to the residuals of the
    // confided texts, by a few deterministic passes of gradient descent with a small ridge
    // penalty. Issues with more options than kMaxModelledOptions are left uncorrected.
    const std::size_t num_issues = issues().size();
    knowledge.corrections.resize(num_issues);
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      const std::uint64_t cardinality = space().Cardinality(issue_idx);
      if (cardinality <= kMaxModelledOptions) {
        knowledge.corrections[issue_idx].assign(static_cast<std::size_t>(cardinality), 0.0);
      }
    }
    std::vector<std::pair<const model::Outcome*, double>> residuals;
    for (const auto& [text, value] : knowledge.confided) {
      residuals.emplace_back(&text, value);
    }
    const double step = 1.0 / static_cast<double>(std::max<std::size_t>(num_issues, 1));
    for (int pass = 0; pass < kFitPasses; ++pass) {
      for (const auto& [text, value] : residuals) {
        const double error = Modelled(knowledge, *text) - value;
        for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
          std::vector<double>& correction = knowledge.corrections[issue_idx];
          if ((*text)[issue_idx] >= correction.size()) continue;
          double& delta = correction[(*text)[issue_idx]];
          delta -= kLearningRate * (error * step + kRidge * delta);
        }
      }
    }
  }
}

double NashMediatorStrategy::Estimate(std::size_t principal, const model::Outcome& outcome) const {
  auto it = knowledge_.find(principal);
  if (it == knowledge_.end()) return 0.0;
  const Knowledge& knowledge = it->second;
  auto confided = knowledge.confided.find(outcome);
  if (confided != knowledge.confided.end()) return confided->second;
  return Modelled(knowledge, outcome);
}

double NashMediatorStrategy::Score(const model::Outcome& outcome) const {
  double score = 0;
  const double num_issues = static_cast<double>(std::max<std::size_t>(outcome.size(), 1));
  for (const auto& [principal, knowledge] : knowledge_) {
    double gain = Estimate(principal, outcome);
    // Texts like those it rejected are discounted: by 1 - exp(-4 x share of issues that differ)
    // per rejected text, so a rejected text itself scores as no gain.
    for (const model::Outcome& rejected : knowledge.rejected) {
      std::size_t differing = 0;
      for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
        differing += rejected[issue_idx] != outcome[issue_idx] ? 1 : 0;
      }
      gain *= 1.0 - std::exp(-4.0 * static_cast<double>(differing) / num_issues);
    }
    score += std::log(std::max(gain, kFloor));
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
  PrepareEstimates();
  const std::vector<std::size_t> free = FreeIssues(request);
  double best_score = -std::numeric_limits<double>::infinity();
  model::Outcome best;
  for (auto& [start_score, start] : RankedStarts(request)) {
    auto [current, current_score] = Climb(start, start_score, free);
    if (current_score > best_score) {
      best_score = current_score;
      best = current;
    }
  }
  return best;
}

// The best-scoring (at most kStarts) of the outcomes seen, the standing offer and the last
// proposal, with the fixed issues kept, best first.
std::vector<std::pair<double, model::Outcome>> NashMediatorStrategy::RankedStarts(
    const Request& request) const {
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
  return ranked;
}

// Coordinate ascent of the score over the free issues (kOptionsPerIssue options tried per
// issue, at random beyond that), from `start`: the outcome reached and its score.
std::pair<model::Outcome, double> NashMediatorStrategy::Climb(
    model::Outcome current, double current_score, const std::vector<std::size_t>& free) {
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
  return {std::move(current), current_score};
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
