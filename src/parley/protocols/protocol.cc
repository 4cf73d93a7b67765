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

std::optional<ActionType> ParseActionType(std::string_view name) {
  for (ActionType type : {ActionType::kOffer, ActionType::kAccept, ActionType::kReject,
                          ActionType::kEndNegotiation, ActionType::kVote, ActionType::kRelay,
                          ActionType::kFeedback, ActionType::kConfide, ActionType::kPass}) {
    if (ActionTypeName(type) == name) return type;
  }
  return std::nullopt;
}

Message& Inbox::Append() {
  if (end_ - begin_ == slots_.size()) {
    // Full: double the ring, keeping each kept message at its index modulo the new size.
    std::vector<Message> grown(slots_.empty() ? 8 : slots_.size() * 2);
    for (std::size_t index = begin_; index < end_; ++index) {
      grown[index & (grown.size() - 1)] = std::move(slots_[index & (slots_.size() - 1)]);
    }
    slots_ = std::move(grown);
  }
  return slots_[end_++ & (slots_.size() - 1)];
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

std::string_view MediationName(Mediation mediation) {
  switch (mediation) {
    case Mediation::kRequired:
      return "required";
    case Mediation::kWhenPresent:
      return "when_present";
    case Mediation::kNone:
      break;
  }
  return "none";
}

}  // namespace parley::protocols
