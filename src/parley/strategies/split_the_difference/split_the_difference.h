// Split the difference: a mediator that proposes, issue by issue, the option between the
// principals' latest offers (the classic "meet halfway" compromise; Raiffa 1982 on the focal
// midpoint).
// - Numeric and ordered issues: the option halfway, by position, between the lowest and highest
//   option the principals asked for (for numeric issues, position is value on the grid). When the
//   midpoint falls between two options, rounding alternates down and up with the proposal count
//   and the issue index, so neither side is favoured twice in a row.
// - Unordered issues: no midpoint exists, so the principals take turns: on issue i of proposal k
//   the option of principal (i + k) mod n, among the n principals that made offers.
// With only one principal's offer, the standing text (if any) stands in for the other side. With no
// offers at all (e.g. single-text talks, where principals only vote) it mutates the standing text
// in one issue, or proposes a random text, so talks keep moving. Relays verbatim. Fixed issues keep
// their settled options. No parameters.
#pragma once

#include "parley/strategies/common/mediator.h"

namespace parley::strategies {

class SplitTheDifferenceStrategy : public MediatorStrategy {
 public:
  // The compromise of `offers` (at least one), keeping the request's fixed issues. `turn` (the
  // proposal count) decides the rounding and which offer each unordered issue follows.
  static model::Outcome Compromise(const std::vector<model::Issue>& issues,
                                   const std::vector<model::Outcome>& offers, std::size_t turn,
                                   const Request& request);

 protected:
  std::optional<model::Outcome> Propose(const PartyView& view, const Request& request) override;
};

}  // namespace parley::strategies
