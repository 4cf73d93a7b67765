#include "parley/protocols/protocol.h"

namespace parley::protocols {

std::string_view ActionTypeName(ActionType type) {
  switch (type) {
    case ActionType::kOffer:
      return "offer";
    case ActionType::kAccept:
      return "accept";
    case ActionType::kReject:
      return "reject";
    case ActionType::kEndNegotiation:
      return "end";
    case ActionType::kVote:
      return "vote";
    case ActionType::kRelay:
      return "relay";
    case ActionType::kFeedback:
      return "feedback";
    case ActionType::kConfide:
      return "confide";
    case ActionType::kPass:
      return "pass";
  }
  return "pass";
}

PartyView::PartyView(std::size_t self, const model::Scenario& scenario,
                     const model::OutcomeSpace& space, const std::vector<PublicParty>& parties,
                     std::string protocol)
    : self_(self),
      issues_(&scenario.issues),
      phases_(&scenario.phases),
      space_(&space),
      preferences_(scenario.parties[self].preferences ? &*scenario.parties[self].preferences
                                                      : nullptr),
      parties_(parties),
      protocol_(std::move(protocol)) {}

}  // namespace parley::protocols
