#include "parley/strategies/time_based/time_based.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

namespace parley::strategies {

double TimeBasedTarget(double time, double e, double pmin, double pmax) {
  const double t = std::clamp(time, 0.0, 1.0);
  // e <= 0 is the limit e -> 0+: t^(1/e) is 0 before the deadline and 1 at it.
  const double conceded = e > 0 ? std::pow(t, 1.0 / e) : (t >= 1.0 ? 1.0 : 0.0);
  return pmin + (pmax - pmin) * (1.0 - conceded);
}

double TimeBasedStrategy::Pmax() const {
  return config_.max >= 0 ? config_.max : bids().MaxUtility();
}

double TimeBasedStrategy::Pmin() const {
  double pmin = config_.min >= 0 ? config_.min : reservation();
  if (!config_.below_reservation) pmin = std::max(pmin, reservation());
  return std::min(pmin, Pmax());
}

void TimeBasedStrategy::OnInitialize(const PartyView& view) {
  (void)view;
  models_.clear();
}

void TimeBasedStrategy::OnReceived(const PartyView& view, const ReceivedOffer& offer) {
  if (config_.model == OpponentModelKind::kNone) return;
  std::unique_ptr<OpponentModel>& opponent = models_[offer.sender];
  if (opponent == nullptr) opponent = MakeOpponentModel(config_.model, view.issues());
  opponent->Observe(offer.outcome, offer.time);
}

model::Outcome TimeBasedStrategy::NextOffer(const PartyView& view, const Request& request) {
  (void)view;
  (void)request;
  const double target = Target(time());
  if (models_.empty() || config_.candidates <= 1) return bids().Find(target, rng());
  const std::size_t count = static_cast<std::size_t>(config_.candidates);
  std::vector<model::Outcome> candidates = bids().FindMany(target, config_.window, count, rng());
  // The closest outcome (first) may lie above the window; then the window is widened to reach it,
  // so the outcomes tied with it are candidates too and the model, not an index, chooses.
  const double closest = bids().Utility(candidates.front());
  if (closest - target > config_.window) {
    // (A hair more than the difference, so rounding in target + width cannot leave it out.)
    const double width = closest - target + 1e-12 * std::max(1.0, std::fabs(closest));
    candidates = bids().FindMany(target, width, count, rng());
  }
  std::size_t chosen = 0;
  double chosen_score = -std::numeric_limits<double>::infinity();
  for (std::size_t candidate_idx = 0; candidate_idx < candidates.size(); ++candidate_idx) {
    double score = std::numeric_limits<double>::infinity();
    for (const auto& [sender, opponent] : models_) {
      score = std::min(score, opponent->Estimate(candidates[candidate_idx]));
    }
    if (score > chosen_score) {
      chosen = candidate_idx;
      chosen_score = score;
    }
  }
  return candidates[chosen];
}

bool TimeBasedStrategy::AcceptsOffer(const PartyView& view, double offer_utility,
                                     double next_utility) {
  AcceptanceInput input;
  input.offer_utility = offer_utility;
  input.next_utility = next_utility;
  input.time = time();
  if (config_.acceptance.rule == AcceptanceRule::kCombi) {
    // Received offers carry the session's time: the window is measured on that clock.
    input.best_in_window = BestReceivedSince(2 * view.clock().relative_time - 1);
  }
  return Accepts(config_.acceptance, input);
}

namespace {

std::vector<protocols::ParameterSpec> TimeBasedParameters(const std::string& e,
                                                          const std::string& model) {
  using protocols::ParameterType;
  return {
      {"e", ParameterType::kDouble, e,
       "concession exponent: < 1 concedes late (Boulware), 1 linearly, > 1 early (Conceder)"},
      {"min", ParameterType::kDouble, "-1",
       "Pmin, the lowest target utility; negative: the reservation value (0 when none)"},
      {"max", ParameterType::kDouble, "-1", "Pmax, the opening target; negative: the best utility"},
      {"below_reservation", ParameterType::kBool, "false",
       "let min go below the reservation value, so the party may offer (and be held to) outcomes "
       "worth less than walking away; it never accepts one"},
      {"model",
       ParameterType::kString,
       model,
       "opponent model used to choose among near-equal offers: none, frequency, bayesian",
       {"none", "frequency", "bayesian"}},
      {"window", ParameterType::kDouble, "0.02",
       "with a model: utility window above the target the candidates come from"},
      {"candidates", ParameterType::kInt, "16", "with a model: how many offers to compare"},
      {"accept", ParameterType::kString, "next",
       "acceptance condition: next, const, time, combi, next_or_const, next_or_time",
       AcceptanceRuleNames()},
      {"accept_alpha", ParameterType::kDouble, "1",
       "AC_next: accept when alpha*u(x)+beta >= "
       "u(next offer)"},
      {"accept_beta", ParameterType::kDouble, "0", "AC_next: see accept_alpha"},
      {"accept_constant", ParameterType::kDouble, "0.9", "AC_const: accept when u(x) >= this"},
      {"accept_time", ParameterType::kDouble, "0.98",
       "AC_time / AC_combi: accept (combi: the best of the recent window) from this time on"},
  };
}

TimeBasedConfig ConfigFromParameters(const protocols::Parameters& parameters) {
  TimeBasedConfig config;
  config.e = parameters.GetDouble("e");
  config.min = parameters.GetDouble("min");
  config.max = parameters.GetDouble("max");
  config.below_reservation = parameters.GetBool("below_reservation");
  config.model =
      ParseOpponentModelKind(parameters.GetString("model")).value_or(OpponentModelKind::kNone);
  config.window = parameters.GetDouble("window");
  config.candidates =
      static_cast<int>(std::clamp<std::int64_t>(parameters.GetInt("candidates"), 1, 1024));
  config.acceptance.rule =
      ParseAcceptanceRule(parameters.GetString("accept")).value_or(AcceptanceRule::kNext);
  config.acceptance.alpha = parameters.GetDouble("accept_alpha");
  config.acceptance.beta = parameters.GetDouble("accept_beta");
  config.acceptance.constant = parameters.GetDouble("accept_constant");
  config.acceptance.time = parameters.GetDouble("accept_time");
  return config;
}

// ConfigFromParameters once per resolved spec rather than once per strategy: a tournament creates
// two strategies a session from the same few resolved specs (Registry::ResolveShared), and
// reading twelve parameters by name with strtod cost more than the rest of creating one. Keyed by
// the parameters' address, checked against their values (so an address reused by other
// parameters is simply a miss).
class ConfigCache {
 public:
  TimeBasedConfig Get(const protocols::Parameters& parameters) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Slot& slot : slots_) {
      if (slot.parameters == &parameters && slot.values == parameters.values()) return slot.config;
    }
    constexpr std::size_t kSlots = 16;
    if (slots_.size() == kSlots) slots_.erase(slots_.begin());
    slots_.push_back(Slot{&parameters, parameters.values(), ConfigFromParameters(parameters)});
    return slots_.back().config;
  }

 private:
  struct Slot {
    const protocols::Parameters* parameters;
    std::map<std::string, std::string> values;
    TimeBasedConfig config;
  };
  std::mutex mutex_;
  std::vector<Slot> slots_;
};

StrategyDescriptor TimeBasedDescriptor(std::string name, std::string summary, std::string e,
                                       std::string model) {
  StrategyDescriptor descriptor;
  descriptor.name = std::move(name);
  descriptor.summary = std::move(summary);
  descriptor.parameters = TimeBasedParameters(e, model);
  descriptor.roles = {model::Role::kPrincipal};
  descriptor.create = [cache = std::make_shared<ConfigCache>()](
                          const protocols::Parameters& parameters) -> std::unique_ptr<Strategy> {
    return std::make_unique<TimeBasedStrategy>(cache->Get(parameters));
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::TimeBasedDescriptor(
    "time_based",
    "Time-dependent concession (Faratin et al. 1998): target Pmin + (Pmax - Pmin)(1 - t^(1/e)), "
    "accepts by AC_next",
    "0.2", "none"));
PARLEY_REGISTER_STRATEGY(parley::strategies::TimeBasedDescriptor(
    "boulware", "Time-dependent concession with e=0.2: holds firm, concedes near the deadline",
    "0.2", "none"));
PARLEY_REGISTER_STRATEGY(parley::strategies::TimeBasedDescriptor(
    "linear", "Time-dependent concession with e=1: concedes at a constant rate", "1", "none"));
PARLEY_REGISTER_STRATEGY(parley::strategies::TimeBasedDescriptor(
    "conceder", "Time-dependent concession with e=2: concedes early", "2", "none"));
PARLEY_REGISTER_STRATEGY(parley::strategies::TimeBasedDescriptor(
    "frequency_boulware",
    "Boulware concession; among near-equal offers picks the best for the opponent by a "
    "HardHeaded-style frequency model",
    "0.2", "frequency"));
PARLEY_REGISTER_STRATEGY(parley::strategies::TimeBasedDescriptor(
    "bayesian_boulware",
    "Boulware concession; among near-equal offers picks the best for the opponent by a "
    "Bayesian model (Hindriks & Tykhonov 2008, simplified)",
    "0.2", "bayesian"));
