#include "parley/protocols/alternating_offers/alternating_offers.h"

#include <string>

namespace parley::protocols {

Status AlternatingOffers::Run(SessionContext& context) {
  const std::vector<std::size_t>& principals = context.principals();
  std::size_t num_principals = principals.size();
  if (num_principals < 2) {
    return InvalidInput("alternating offers needs at least 2 principals",
                        Location::InField("protocol"));
  }
  if (first_ < 0 || first_ >= static_cast<std::int64_t>(num_principals)) {
    return InvalidInput("alternating_offers: 'first' must be between 0 and " +
                            std::to_string(num_principals - 1) + ", got " + std::to_string(first_),
                        Location::InField("protocol.first"));
  }
  const model::Scenario& scenario = context.scenario();
  std::optional<model::Outcome> standing;
  std::size_t standing_from = 0;
  std::size_t acceptances = 0;  // consecutive acceptances of the standing offer
  std::size_t position = static_cast<std::size_t>(first_);
  while (true) {
    for (std::size_t turn = 0; turn < num_principals; ++turn) {
      if (context.Expired()) {
        context.Fail("deadline", std::nullopt);
        return Status::Ok();
      }
      std::size_t party = principals[position];
      position = (position + 1) % num_principals;
      Request request;
      if (standing) {
        request.allowed = {ActionType::kAccept, ActionType::kOffer, ActionType::kEndNegotiation};
        request.standing_offer = standing;
        request.standing_offer_from = standing_from;
      } else {
        request.allowed = {ActionType::kOffer, ActionType::kEndNegotiation};
      }
      request.fallback = ActionType::kEndNegotiation;
      Action action = context.Ask(party, request);
      // Only what SAOP makes public: the action and its outcome.
      Action message;
      message.type = action.type;
      switch (action.type) {
        case ActionType::kOffer:
          message.outcome = action.outcome;
          context.Post(party, principals, message);
          standing = action.outcome;
          standing_from = party;
          acceptances = 0;
          break;
        case ActionType::kAccept:
          message.outcome = standing;
          context.Post(party, principals, message);
          if (++acceptances == num_principals - 1) {
            context.Agree(*standing, principals);
            return Status::Ok();
          }
          break;
        default:
          message.type = ActionType::kEndNegotiation;
          context.Post(party, principals, message);
          context.Fail("ended by " + scenario.parties[party].id, party);
          return Status::Ok();
      }
    }
    if (!context.NextRound()) {
      context.Fail("deadline", std::nullopt);
      return Status::Ok();
    }
  }
}

namespace {

ProtocolDescriptor MakeDescriptor() {
  ProtocolDescriptor descriptor;
  descriptor.name = "alternating_offers";
  descriptor.summary =
      "Stacked alternating offers (Rubinstein; GENIUS/GeniusWeb SAOP): principals take turns to "
      "accept the standing offer, counter-offer or walk away; agreement when all others accept";
  descriptor.parameters = {
      {"first", ParameterType::kInt, "0",
       "position among the principals (scenario order) of the party that opens"}};
  descriptor.min_principals = 2;
  descriptor.max_principals = 64;
  descriptor.needs_mediator = false;
  descriptor.create = [](const Parameters& parameters) -> std::unique_ptr<Protocol> {
    return std::make_unique<AlternatingOffers>(parameters.GetInt("first"));
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::protocols

PARLEY_REGISTER_PROTOCOL(parley::protocols::MakeDescriptor());
