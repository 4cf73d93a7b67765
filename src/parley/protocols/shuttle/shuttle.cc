#include "parley/protocols/shuttle/shuttle.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace parley::protocols {
namespace {

bool Contains(const std::vector<std::size_t>& parties, std::size_t party) {
  return std::find(parties.begin(), parties.end(), party) != parties.end();
}

// A text a party received from a mediator: what it may accept or reject.
struct ReceivedText {
  model::Outcome outcome;
  std::size_t from = 0;
};

// One session of shuttle talks; the protocol object itself stays stateless between sessions.
class ShuttleTalks {
 public:
  ShuttleTalks(SessionContext& context, const ShuttleOptions& options)
      : context_(context),
        options_(options),
        principals_(context.principals()),
        mediators_(context.mediators()) {}

  Status Check() const {
    if (mediators_.empty()) {
      return InvalidInput(
          "protocol 'shuttle' needs at least one enabled mediator, and scenario '" +
              context_.scenario().name +
              "' has none: principals may only talk through a mediator (enable a mediator or "
              "choose a protocol without one)",
          Location::InField("parties"));
    }
    if (principals_.size() < 2) {
      return InvalidInput("protocol 'shuttle' needs at least two principals; scenario '" +
                              context_.scenario().name + "' has " +
                              std::to_string(principals_.size()),
                          Location::InField("parties"));
    }
    return Status::Ok();
  }

  Task<> Run() {
    const int limit = RoundLimit();
    while (!context_.Finished() && !context_.Expired() && context_.clock().round < limit) {
      co_await PlayRound();
      if (context_.Finished()) co_return;
      if (context_.clock().round + 1 >= limit || !context_.NextRound()) break;
    }
    if (!context_.Finished()) {
      context_.Fail("deadline: no text was accepted by every principal", std::nullopt);
    }
  }

 private:
  int RoundLimit() const {
    int limit = context_.clock().max_rounds;
    if (options_.max_rounds > 0 && options_.max_rounds < limit) {
      limit = static_cast<int>(options_.max_rounds);
    }
    return limit;
  }

  std::size_t Lead() const {
    return mediators_[static_cast<std::size_t>(context_.clock().round) % mediators_.size()];
  }

  // The mediator that hears a principal's proposals this round.
  std::size_t Handler(std::size_t principal) const {
    if (options_.assignment == ShuttleAssignment::kRoundRobin) return Lead();
    std::size_t position = static_cast<std::size_t>(
        std::find(principals_.begin(), principals_.end(), principal) - principals_.begin());
    return mediators_[position % mediators_.size()];
  }

  std::vector<std::size_t> PrincipalsOf(std::size_t mediator) const {
    std::vector<std::size_t> handled;
    for (std::size_t principal : principals_) {
      if (Handler(principal) == mediator) handled.push_back(principal);
    }
    return handled;
  }

  const std::string& Id(std::size_t party) const { return context_.scenario().parties[party].id; }

  void Send(std::size_t sender, std::vector<std::size_t> recipients, Action action) {
    action.recipients = recipients;
    context_.Post(sender, recipients, action);
  }

  Task<> PlayRound() {
    received_this_round_.clear();
    mediator_drafts_.clear();
    co_await CollectProposals();
    if (context_.Finished() || CheckAgreement()) co_return;
    const std::size_t lead = Lead();
    const bool split = options_.assignment == ShuttleAssignment::kPerPrincipal;
    if (split) co_await Brief(lead);
    if (context_.Finished() || context_.Expired()) co_return;

    std::vector<std::size_t> lead_targets;
    if (split) {
      lead_targets = PrincipalsOf(lead);
      for (std::size_t mediator : mediators_) {
        if (mediator != lead) lead_targets.push_back(mediator);
      }
    } else {
      lead_targets = principals_;
    }
    co_await Draft(lead, lead_targets, std::nullopt);
    if (split) {
      for (std::size_t mediator : mediators_) {
        if (mediator == lead || context_.Expired()) continue;
        std::optional<ReceivedText> from_lead;
        auto draft = mediator_drafts_.find(mediator);
        if (draft != mediator_drafts_.end()) from_lead = draft->second;
        const std::vector<std::size_t> handled = PrincipalsOf(mediator);
        co_await Draft(mediator, handled, from_lead);
      }
    }
    if (context_.Finished() || context_.Expired()) co_return;
    co_await CollectResponses();
    if (!context_.Finished()) CheckAgreement();
  }

  // Step 1: each principal proposes (to its handler) or accepts the text it last received (to
  // that text's sender). Everyone is asked at once: a proposal reaches only a mediator.
  Task<> CollectProposals() {
    if (context_.Expired()) co_return;
    std::vector<AskId> asks;
    for (std::size_t principal : principals_) {
      const std::size_t handler = Handler(principal);
      Request request;
      request.allowed = {ActionType::kOffer, ActionType::kPass, ActionType::kEndNegotiation};
      request.may_address = {handler};
      request.fallback = ActionType::kPass;
      const auto last = last_text_.find(principal);
      if (last != last_text_.end()) {
        request.allowed.push_back(ActionType::kAccept);
        request.standing_offer = last->second.outcome;
        request.standing_offer_from = last->second.from;
        if (!Contains(request.may_address, last->second.from)) {
          request.may_address.push_back(last->second.from);
        }
      }
      asks.push_back(context_.Open(principal, request));
    }
    for (std::size_t position = 0; position < principals_.size(); ++position) {
      if (position > 0 && context_.Expired()) co_return;
      const std::size_t principal = principals_[position];
      const std::size_t handler = Handler(principal);
      const auto last = last_text_.find(principal);
      Action action = co_await context_.Take(asks[position]);
      switch (action.type) {
        case ActionType::kEndNegotiation:
          Send(principal, {handler}, action);
          context_.Fail(Id(principal) + " ended the talks", principal);
          co_return;
        case ActionType::kOffer:
          if (!action.outcome) break;
          if (standing_acceptance_.count(principal) &&
              !SameText(standing_acceptance_[principal], *action.outcome)) {
            standing_acceptance_.erase(principal);
          }
          Send(principal, {handler}, action);
          break;
        case ActionType::kAccept:
          if (last == last_text_.end()) break;
          action.outcome = last->second.outcome;
          standing_acceptance_[principal] = last->second.outcome;
          Send(principal, {last->second.from}, action);
          break;
        default:
          break;
      }
    }
  }

  // Step 2 (per_principal): the other mediators may pass the lead what their principals said.
  Task<> Brief(std::size_t lead) {
    for (std::size_t mediator : mediators_) {
      if (mediator == lead || context_.Expired()) continue;
      Request request;
      request.allowed = {ActionType::kRelay, ActionType::kOffer, ActionType::kConfide,
                         ActionType::kFeedback, ActionType::kPass};
      request.may_address = {lead};
      request.fallback = ActionType::kPass;
      Action action = co_await context_.Ask(mediator, request);
      if (action.type == ActionType::kPass) continue;
      Send(mediator, {lead}, action);
    }
  }

  // Steps 3 and 4: `mediator` sends texts to `targets` until each got one or it passes.
  Task<> Draft(std::size_t mediator, std::vector<std::size_t> targets,
               std::optional<ReceivedText> standing) {
    std::vector<std::size_t> remaining = targets;
    for (std::size_t attempt = 0; attempt < targets.size() && !remaining.empty(); ++attempt) {
      if (context_.Expired()) co_return;
      Request request;
      request.allowed = {ActionType::kOffer, ActionType::kRelay, ActionType::kPass};
      request.may_address = remaining;
      request.fallback = ActionType::kPass;
      if (standing) {
        request.standing_offer = standing->outcome;
        request.standing_offer_from = standing->from;
      }
      Action action = co_await context_.Ask(mediator, request);
      if (action.type == ActionType::kPass) co_return;
      std::vector<std::size_t> recipients;
      for (std::size_t party : remaining) {
        if (action.recipients.empty() || Contains(action.recipients, party)) {
          recipients.push_back(party);
        }
      }
      if (recipients.empty()) continue;  // it named only parties it may not address
      Send(mediator, recipients, action);
      for (std::size_t party : recipients) {
        if (action.outcome) {
          if (Contains(principals_, party)) {
            last_text_[party] = ReceivedText{*action.outcome, mediator};
            received_this_round_.push_back(party);
          } else {
            mediator_drafts_[party] = ReceivedText{*action.outcome, mediator};
          }
        }
      }
      std::erase_if(remaining, [&](std::size_t party) { return Contains(recipients, party); });
    }
  }

  // Step 5: principals answer the text they received this round, to the mediator that sent it.
  // Everyone is asked at once (answers reach only mediators); a follow-up is asked after its
  // principal's answer.
  Task<> CollectResponses() {
    std::vector<std::size_t> responding;
    for (std::size_t principal : principals_) {
      if (Contains(received_this_round_, principal)) responding.push_back(principal);
    }
    if (responding.empty() || context_.Expired()) co_return;
    std::vector<AskId> asks;
    for (std::size_t principal : responding) {
      const ReceivedText& text = last_text_.at(principal);
      Request request;
      request.allowed = {ActionType::kAccept, ActionType::kReject, ActionType::kEndNegotiation};
      request.standing_offer = text.outcome;
      request.standing_offer_from = text.from;
      request.may_address = {text.from};
      request.fallback = ActionType::kReject;
      asks.push_back(context_.Open(principal, request));
    }
    for (std::size_t position = 0; position < responding.size(); ++position) {
      const std::size_t principal = responding[position];
      if (position > 0 && context_.Expired()) co_return;
      const ReceivedText text = last_text_.at(principal);
      Action action = co_await context_.Take(asks[position]);
      if (action.type == ActionType::kEndNegotiation) {
        Send(principal, {text.from}, action);
        context_.Fail(Id(principal) + " ended the talks", principal);
        co_return;
      }
      if (action.type == ActionType::kAccept) {
        action.outcome = text.outcome;
        standing_acceptance_[principal] = text.outcome;
      } else {
        standing_acceptance_.erase(principal);
      }
      Send(principal, {text.from}, action);

      if (!options_.confide) continue;
      Request follow_up;
      follow_up.allowed = {ActionType::kFeedback, ActionType::kConfide, ActionType::kPass};
      follow_up.standing_offer = text.outcome;
      follow_up.standing_offer_from = text.from;
      follow_up.may_address = {text.from};
      follow_up.fallback = ActionType::kPass;
      Action confidence = co_await context_.Ask(principal, follow_up);
      if (confidence.type != ActionType::kPass) Send(principal, {text.from}, confidence);
    }
  }

  // Whether two texts say the same on the issues an agreement binds.
  bool SameText(const model::Outcome& first, const model::Outcome& second) const {
    if (options_.binding_issues.empty()) return first == second;
    for (std::size_t issue_idx : options_.binding_issues) {
      if (first[issue_idx] != second[issue_idx]) return false;
    }
    return true;
  }

  // Step 6: every principal's latest response accepts the same text.
  bool CheckAgreement() {
    if (context_.Finished()) return false;
    std::optional<model::Outcome> common;
    for (std::size_t principal : principals_) {
      auto accepted = standing_acceptance_.find(principal);
      if (accepted == standing_acceptance_.end()) return false;
      if (common && !SameText(*common, accepted->second)) return false;
      if (!common) common = accepted->second;
    }
    context_.Agree(*common, principals_);
    return true;
  }

  SessionContext& context_;
  const ShuttleOptions& options_;
  const std::vector<std::size_t> principals_;
  const std::vector<std::size_t> mediators_;
  std::map<std::size_t, ReceivedText> last_text_;              // per principal
  std::map<std::size_t, model::Outcome> standing_acceptance_;  // per principal
  std::vector<std::size_t> received_this_round_;               // principals, in order
  std::map<std::size_t, ReceivedText> mediator_drafts_;        // lead's text per co-mediator
};

}  // namespace

Result<ShuttleAssignment> ParseShuttleAssignment(const std::string& text) {
  if (text == "round_robin") return ShuttleAssignment::kRoundRobin;
  if (text == "per_principal") return ShuttleAssignment::kPerPrincipal;
  return InvalidInput(
      "shuttle: parameter 'assignment' must be round_robin or per_principal, got '" + text + "'",
      Location::InField("shuttle.assignment"));
}

Result<ShuttleOptions> ShuttleProtocol::OptionsFromParameters(const Parameters& parameters) {
  ShuttleOptions options;
  PARLEY_ASSIGN_OR_RETURN(options.assignment,
                          ParseShuttleAssignment(parameters.GetString("assignment")));
  options.confide = parameters.GetBool("confide");
  options.max_rounds = parameters.GetInt("max_rounds");
  if (options.max_rounds < 0) {
    return InvalidInput("shuttle: parameter 'max_rounds' must be 0 or more, got " +
                            std::to_string(options.max_rounds),
                        Location::InField("shuttle.max_rounds"));
  }
  return options;
}

Status ShuttleProtocol::Prepare(SessionContext& context) {
  return ShuttleTalks(context, options_).Check();
}

Task<> ShuttleProtocol::Run(SessionContext& context) {
  ShuttleTalks talks(context, options_);
  co_await talks.Run();
}

namespace {

ProtocolDescriptor ShuttleDescriptor() {
  ProtocolDescriptor descriptor;
  descriptor.name = "shuttle";
  descriptor.summary =
      "Indirect talks: principals speak only to mediators, who decide what to relay to whom; "
      "agreement when every principal accepts the same relayed text";
  descriptor.parameters = {
      {"assignment",
       ParameterType::kString,
       "round_robin",
       "how mediators share the work: round_robin (one mediator per round handles everyone) or "
       "per_principal (principal i keeps mediator i mod M; the round's lead drafts)",
       {"round_robin", "per_principal"}},
      {"confide", ParameterType::kBool, "true",
       "principals may follow each response with feedback or a confidence to their mediator"},
      {"max_rounds", ParameterType::kInt, "0",
       "stop after this many rounds (0: the session's deadline)"},
  };
  descriptor.min_principals = 2;
  descriptor.mediation = Mediation::kRequired;
  descriptor.nestable = true;
  descriptor.create = [](const Parameters& parameters) -> Result<std::unique_ptr<Protocol>> {
    PARLEY_ASSIGN_OR_RETURN(ShuttleOptions options,
                            ShuttleProtocol::OptionsFromParameters(parameters));
    return std::unique_ptr<Protocol>(new ShuttleProtocol(options));
  };
  return descriptor;
}

}  // namespace

PARLEY_REGISTER_PROTOCOL(ShuttleDescriptor());

}  // namespace parley::protocols
