#include "parley/strategies/tit_for_tat/tit_for_tat.h"

#include <algorithm>
#include <optional>
#include <string>

namespace parley::strategies {

double TitForTatStrategy::Pmax() const {
  return config_.max >= 0 ? config_.max : bids().MaxUtility();
}

double TitForTatStrategy::Pmin() const {
  double pmin = config_.min >= 0 ? config_.min : reservation();
  if (!config_.below_reservation) pmin = std::max(pmin, reservation());
  return std::min(pmin, Pmax());
}

void TitForTatStrategy::OnInitialize(const PartyView& view) {
  (void)view;
  histories_.clear();
  target_ = Pmax();
  offers_made_ = 0;
  opened_ = false;
}

void TitForTatStrategy::OnOffered(const model::Outcome& offer) {
  (void)offer;
  ++offers_made_;
}

void TitForTatStrategy::OnConstraintsChanged() { target_ = std::clamp(target_, Pmin(), Pmax()); }

void TitForTatStrategy::OnReceived(const PartyView& view, const ReceivedOffer& offer) {
  (void)view;
  histories_[offer.sender].utilities.push_back(offer.utility);
}

void TitForTatStrategy::Reciprocate() {
  const std::size_t delta = static_cast<std::size_t>(std::max(config_.delta, 1));
  std::optional<double> next_target;
  for (auto& [sender, history] : histories_) {
    const std::vector<double>& utilities = history.utilities;
    if (history.applied >= utilities.size()) continue;
    double moved = target_;
    for (std::size_t offer_idx = std::max(history.applied, delta); offer_idx < utilities.size();
         ++offer_idx) {
      const double before = utilities[offer_idx - delta];
      const double latest = utilities[offer_idx];
      if (config_.mode == TitForTatMode::kRelative && before > 0 && latest > 0) {
        moved *= before / latest;
      } else {
        moved -= latest - before;
      }
    }
    history.applied = utilities.size();
    // The least generous opponent sets the pace: the highest resulting target.
    if (!next_target || moved > *next_target) next_target = moved;
  }
  if (next_target) target_ = std::clamp(*next_target, Pmin(), Pmax());
}

model::Outcome TitForTatStrategy::NextOffer(const PartyView& view, const Request& request) {
  (void)view;
  (void)request;
  Reciprocate();
  if (config_.opening > 0 && !opened_ && offers_made_ >= 1) {
    opened_ = true;
    target_ = std::clamp(target_ - config_.opening * (Pmax() - Pmin()), Pmin(), Pmax());
  }
  return bids().Find(target_, rng());
}

bool TitForTatStrategy::AcceptsOffer(const PartyView& view, double offer_utility,
                                     double next_utility) {
  (void)view;
  return offer_utility >= next_utility;
}

namespace {

StrategyDescriptor TitForTatDescriptor(std::string name, std::string summary, std::string opening) {
  using protocols::ParameterType;
  StrategyDescriptor descriptor;
  descriptor.name = std::move(name);
  descriptor.summary = std::move(summary);
  descriptor.parameters = {
      {"mode",
       ParameterType::kString,
       "relative",
       "relative: scale the target by the opponent's ratio of utilities; absolute: move it by "
       "the same utility difference",
       {"relative", "absolute"}},
      {"delta", ParameterType::kInt, "1",
       "compare an opponent's latest offer with the one this "
       "many offers back"},
      {"min", ParameterType::kDouble, "-1",
       "lowest target utility; negative: the reservation value (0 when none)"},
      {"max", ParameterType::kDouble, "-1", "opening target; negative: the best utility"},
      {"below_reservation", ParameterType::kBool, "false",
       "let min go below the reservation value (offers worth less than walking away); it never "
       "accepts one"},
      {"opening", ParameterType::kDouble, opening,
       "one unilateral concession at the second offer, as a fraction of Pmax - Pmin (0: never "
       "concede first)"},
  };
  descriptor.roles = {model::Role::kPrincipal};
  descriptor.create = [](const protocols::Parameters& parameters) -> std::unique_ptr<Strategy> {
    TitForTatConfig config;
    config.mode = parameters.GetString("mode") == "absolute" ? TitForTatMode::kAbsolute
                                                             : TitForTatMode::kRelative;
    config.delta = static_cast<int>(std::clamp<std::int64_t>(parameters.GetInt("delta"), 1, 1000));
    config.min = parameters.GetDouble("min");
    config.max = parameters.GetDouble("max");
    config.below_reservation = parameters.GetBool("below_reservation");
    config.opening = std::clamp(parameters.GetDouble("opening"), 0.0, 1.0);
    return std::make_unique<TitForTatStrategy>(config);
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::TitForTatDescriptor(
    "tit_for_tat",
    "Reciprocates the opponent's concessions measured in its own utility (Faratin et al. 1998 "
    "relative or absolute tit for tat); never concedes first; accepts by AC_next",
    "0"));
PARLEY_REGISTER_STRATEGY(parley::strategies::TitForTatDescriptor(
    "opening_tit_for_tat",
    "Tit for tat that makes one opening concession (10% of its range) at its second offer, so "
    "two reciprocating parties do not deadlock; accepts by AC_next",
    "0.1"));
