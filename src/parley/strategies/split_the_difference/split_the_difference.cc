#include "parley/strategies/split_the_difference/split_the_difference.h"

#include <algorithm>

namespace parley::strategies {

model::Outcome SplitTheDifferenceStrategy::Compromise(const std::vector<model::Issue>& issues,
                                                      const std::vector<model::Outcome>& offers,
                                                      std::size_t turn, const Request& request) {
  model::Outcome text = offers.front();
  const std::size_t num_offers = offers.size();
  for (std::size_t issue_idx = 0; issue_idx < text.size() && issue_idx < issues.size();
       ++issue_idx) {
    const model::Issue& issue = issues[issue_idx];
    if (issue.IsNumeric() || issue.ordered) {
      model::OptionIndex lowest = offers.front()[issue_idx];
      model::OptionIndex highest = lowest;
      for (const model::Outcome& offer : offers) {
        lowest = std::min(lowest, offer[issue_idx]);
        highest = std::max(highest, offer[issue_idx]);
      }
      const std::uint64_t sum = static_cast<std::uint64_t>(lowest) + highest;
      const bool round_up = (turn + issue_idx) % 2 == 1;
      text[issue_idx] = static_cast<model::OptionIndex>(sum / 2 + (round_up ? sum % 2 : 0));
    } else {
      text[issue_idx] = offers[(turn + issue_idx) % num_offers][issue_idx];
    }
  }
  return KeepFixed(std::move(text), request);
}

std::optional<model::Outcome> SplitTheDifferenceStrategy::Propose(const PartyView& view,
                                                                  const Request& request) {
  std::vector<model::Outcome> offers;
  for (const auto& [principal, offer] : latest_offers()) offers.push_back(offer);
  const bool has_standing =
      request.standing_offer.has_value() && space().Contains(*request.standing_offer);
  if (offers.size() == 1 && has_standing) offers.push_back(*request.standing_offer);
  if (!offers.empty()) {
    return Compromise(view.issues(), offers, static_cast<std::size_t>(num_proposals()), request);
  }
  if (has_standing) return Mutate(*request.standing_offer, 1, request);
  if (last_proposal()) return Mutate(*last_proposal(), 1, request);
  return RandomOutcome(request);
}

namespace {

StrategyDescriptor SplitTheDifferenceDescriptor() {
  StrategyDescriptor descriptor;
  descriptor.name = "split_the_difference";
  descriptor.summary =
      "Mediator: proposes, per issue, the midpoint of the principals' latest offers (ordered and "
      "numeric issues) or each principal's option in turn (unordered issues)";
  descriptor.roles = {model::Role::kMediator};
  descriptor.create = [](const protocols::Parameters&) -> std::unique_ptr<Strategy> {
    return std::make_unique<SplitTheDifferenceStrategy>();
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::strategies

PARLEY_REGISTER_STRATEGY(parley::strategies::SplitTheDifferenceDescriptor());
