#include "parley/protocols/alternating_offers/alternating_offers.h"

#include <string>

namespace parley::protocols {

Status AlternatingOffers::Prepare(SessionContext& context) {
  std::size_t num_principals = context.principals().size();
  if (num_principals < 2) {
    return InvalidInput("alternating offers needs at least 2 principals",
                        Location::InField("protocol"));
  }
  if (first_ < 0 || first_ >= static_cast<std::int64_t>(num_principals)) {
    return InvalidInput("alternating_offers: 'first' must be between 0 and " +
                            std::to_string(num_principals - 1) + ", got " + std::to_string(first_),
                        Location::InField("protocol.first"));
  }
  return Status::Ok();
}

Task<> AlternatingOffers::Run(SessionContext& context) {
  const std::vector<std::size_t>& principals = context.principals();
  const std::size_t num_principals = principals.size();
  const model::Scenario& scenario = context.scenario();
  std::optional<model::Outcome> standing;
  std::size_t standing_from = 0;
  std::size_t acceptances = 0;  // consecutive acceptances of the standing offer
  std::size_t position = static_cast<std::size_t>(first_);
  // Built once and updated in place: a long session asks millions of times.
  Request opening;
  opening.allowed = {ActionType::kOffer, ActionType::kEndNegotiation};
  opening.fallback = ActionType::kEndNegotiation;
  Request answering;
  answering.allowed = {ActionType::kAccept, ActionType::kOffer, ActionType::kEndNegotiation};
  answering.fallback = ActionType::kEndNegotiation;
  Action message;
  while (true) {
    for (std::size_t turn = 0; turn < num_principals; ++turn) {
      if (context.Expired()) {
        context.Fail("deadline", std::nullopt);
        co_return;
      }
      std::size_t party = principals[position];
      position = (position + 1) % num_principals;
      const Request* request = &opening;
      if (standing) {
        answering.standing_offer = standing;
        answering.standing_offer_from = standing_from;
        request = &answering;
      }
      Action action = co_await context.Ask(party, *request);
      // Only what SAOP makes public: the action and its outcome.
      message.type = action.type;
      switch (action.type) {
        case ActionType::kOffer:
          message.outcome = std::move(action.outcome);
          context.Post(party, principals, message);
          standing = message.outcome;
          standing_from = party;
          acceptances = 0;
          break;
        case ActionType::kAccept:
          message.outcome = standing;
          context.Post(party, principals, message);
          if (++acceptances == num_principals - 1) {
            context.Agree(*standing, principals);
            co_return;
          }
          break;
        default:
          message.type = ActionType::kEndNegotiation;
          message.outcome.reset();
          context.Post(party, principals, message);
          context.Fail("ended by " + scenario.parties[party].id, party);
          co_return;
      }
    }
    if (!context.NextRound()) {
      context.Fail("deadline", std::nullopt);
      co_return;
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
  descriptor.mediation = Mediation::kNone;
  descriptor.create = [](const Parameters& parameters) -> Result<std::unique_ptr<Protocol>> {
    return std::unique_ptr<Protocol>(new AlternatingOffers(parameters.GetInt("first")));
  };
  return descriptor;
}

}  // namespace
}  // namespace parley::protocols

PARLEY_REGISTER_PROTOCOL(parley::protocols::MakeDescriptor());
