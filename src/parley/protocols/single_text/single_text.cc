#include "parley/protocols/single_text/single_text.h"

#include <optional>
#include <utility>
#include <vector>

namespace parley::protocols {
namespace {

bool IsAcceptance(const Action& action) {
  return action.type == ActionType::kAccept ||
         (action.type == ActionType::kVote && action.accept.value_or(false));
}

// One session of single-text talks.
class SingleTextTalks {
 public:
  SingleTextTalks(SessionContext& context, const SingleTextOptions& options)
      : context_(context),
        options_(options),
        principals_(context.principals()),
        mediators_(context.mediators()) {}

  Status Check() const {
    if (mediators_.empty()) {
      return InvalidInput(
          "protocol 'single_text' needs an enabled mediator to draft the text, and scenario '" +
              context_.scenario().name + "' has none (enable a mediator)",
          Location::InField("parties"));
    }
    if (principals_.size() < 2) {
      return InvalidInput("protocol 'single_text' needs at least two principals; scenario '" +
                              context_.scenario().name + "' has " +
                              std::to_string(principals_.size()),
                          Location::InField("parties"));
    }
    return Status::Ok();
  }

  Task<> Run() {
    const int limit = RoundLimit();
    while (!context_.Finished() && !context_.Expired() && context_.clock().round < limit) {
      const bool last_round = context_.clock().round + 1 >= limit;
      if (options_.final_vote && last_round && standing_) {
        co_await Ratify();
        co_return;
      }
      co_await PlayRound();
      if (context_.Finished()) co_return;
      if (last_round || !context_.NextRound()) break;
    }
    if (context_.Finished()) co_return;
    // No ratification round was reached (a wall-time deadline, or no standing text before the
    // last round): Klein et al.'s rule, the last text every principal accepted.
    if (last_unanimous_) {
      context_.Agree(*last_unanimous_, principals_);
    } else {
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

  std::size_t DraftingMediator() const {
    return mediators_[static_cast<std::size_t>(context_.clock().round) % mediators_.size()];
  }

  // Principals, then the mediators other than `mediator`.
  std::vector<std::size_t> Audience(std::size_t mediator) const {
    std::vector<std::size_t> audience = principals_;
    for (std::size_t other : mediators_) {
      if (other != mediator) audience.push_back(other);
    }
    return audience;
  }

  const std::string& Id(std::size_t party) const { return context_.scenario().parties[party].id; }

  void Send(std::size_t sender, std::vector<std::size_t> recipients, Action action) {
    action.recipients = recipients;
    context_.Post(sender, recipients, action);
  }

  // Asks every principal to vote on `text`, all at once; each vote goes to `mediator` only.
  // Returns the principals who did not accept (empty: unanimous), or nullopt when one ended the
  // session.
  Task<std::optional<std::vector<std::size_t>>> CollectVotes(std::size_t mediator,
                                                             model::Outcome text) {
    Request request;
    request.allowed = {ActionType::kAccept, ActionType::kReject, ActionType::kVote,
                       ActionType::kEndNegotiation};
    request.standing_offer = text;
    request.standing_offer_from = mediator;
    request.may_address = {mediator};
    request.fallback = ActionType::kReject;
    std::vector<AskId> asks;
    for (std::size_t principal : principals_) asks.push_back(context_.Open(principal, request));
    std::vector<std::size_t> dissenters;
    for (std::size_t position = 0; position < principals_.size(); ++position) {
      const std::size_t principal = principals_[position];
      Action vote = co_await context_.Take(asks[position]);
      Send(principal, {mediator}, vote);
      if (vote.type == ActionType::kEndNegotiation) {
        context_.Fail(Id(principal) + " ended the talks", principal);
        co_return std::nullopt;
      }
      if (!IsAcceptance(vote)) dissenters.push_back(principal);
    }
    co_return dissenters;
  }

  Task<> PlayRound() {
    const std::size_t mediator = DraftingMediator();
    Request draft_request;
    draft_request.allowed = {ActionType::kOffer, ActionType::kPass};
    draft_request.standing_offer = standing_;
    draft_request.standing_offer_from = standing_from_;
    draft_request.may_address = principals_;
    draft_request.fallback = ActionType::kPass;
    Action draft = co_await context_.Ask(mediator, draft_request);
    if (draft.type != ActionType::kOffer || !draft.outcome) co_return;
    const model::Outcome text = *draft.outcome;
    const std::vector<std::size_t> audience = Audience(mediator);
    Send(mediator, audience, draft);

    std::optional<std::vector<std::size_t>> dissenters = co_await CollectVotes(mediator, text);
    if (!dissenters) co_return;
    const bool unanimous = dissenters->empty();
    bool adopted = unanimous;
    if (options_.adoption == TextAdoption::kMediator) {
      Request decision;
      decision.allowed = {ActionType::kAccept, ActionType::kReject, ActionType::kPass};
      decision.standing_offer = text;
      decision.standing_offer_from = mediator;
      decision.may_address = audience;
      decision.fallback = ActionType::kPass;
      Action answer = co_await context_.Ask(mediator, decision);
      if (answer.type == ActionType::kAccept) adopted = true;
      if (answer.type == ActionType::kReject) adopted = false;
    }
    if (unanimous) last_unanimous_ = text;
    if (adopted) {
      standing_ = text;
      standing_from_ = mediator;
    }
    Action announcement;
    announcement.type = adopted ? ActionType::kAccept : ActionType::kReject;
    announcement.outcome = text;
    announcement.text = adopted ? "adopted: this is now the standing text"
                                : "not adopted: the standing text remains";
    Send(mediator, audience, announcement);
  }

  // The last round: the standing text is put to every principal; all must accept it.
  Task<> Ratify() {
    const std::size_t mediator = DraftingMediator();
    const model::Outcome text = *standing_;
    Action final_text;
    final_text.type = ActionType::kOffer;
    final_text.outcome = text;
    final_text.text = "final text, for ratification";
    Send(mediator, Audience(mediator), final_text);
    std::optional<std::vector<std::size_t>> dissenters = co_await CollectVotes(mediator, text);
    if (!dissenters) co_return;
    if (dissenters->empty()) {
      context_.Agree(text, principals_);
      co_return;
    }
    std::string names;
    for (std::size_t principal : *dissenters) names += (names.empty() ? "" : ", ") + Id(principal);
    context_.Fail("the final text was not ratified: rejected by " + names, dissenters->front());
  }

  SessionContext& context_;
  const SingleTextOptions& options_;
  const std::vector<std::size_t> principals_;
  const std::vector<std::size_t> mediators_;
  std::optional<model::Outcome> standing_;
  std::optional<std::size_t> standing_from_;
  std::optional<model::Outcome> last_unanimous_;
};

}  // namespace

Result<SingleTextOptions> SingleTextProtocol::OptionsFromParameters(const Parameters& parameters) {
  SingleTextOptions options;
  const std::string& adoption = parameters.GetString("adoption");
  if (adoption == "unanimity") {
    options.adoption = TextAdoption::kUnanimity;
  } else if (adoption == "mediator") {
    options.adoption = TextAdoption::kMediator;
  } else {
    return InvalidInput(
        "single_text: parameter 'adoption' must be unanimity or mediator, got '" + adoption + "'",
        Location::InField("single_text.adoption"));
  }
  options.final_vote = parameters.GetBool("final_vote");
  options.max_rounds = parameters.GetInt("max_rounds");
  if (options.max_rounds < 0) {
    return InvalidInput("single_text: parameter 'max_rounds' must be 0 or more, got " +
                            std::to_string(options.max_rounds),
                        Location::InField("single_text.max_rounds"));
  }
  return options;
}

Status SingleTextProtocol::Prepare(SessionContext& context) {
  return SingleTextTalks(context, options_).Check();
}

Task<> SingleTextProtocol::Run(SessionContext& context) {
  SingleTextTalks talks(context, options_);
  co_await talks.Run();
}

namespace {

ProtocolDescriptor SingleTextDescriptor() {
  ProtocolDescriptor descriptor;
  descriptor.name = "single_text";
  descriptor.summary =
      "A mediator drafts one text, principals vote, the mediator amends it (Klein et al. 2003 "
      "hill-climbing and annealing mediation); the last text all accepted is the agreement";
  descriptor.parameters = {
      {"adoption",
       ParameterType::kString,
       "unanimity",
       "when an amendment replaces the standing text: unanimity (every principal accepted it) or "
       "mediator (the drafting mediator decides, e.g. annealing)",
       {"unanimity", "mediator"}},
      {"final_vote", ParameterType::kBool, "false",
       "the last round puts the standing text to a ratification vote (false: the last text every "
       "principal accepted is the agreement, as in Klein et al.)"},
      {"max_rounds", ParameterType::kInt, "0",
       "stop after this many rounds (0: the session's deadline)"},
  };
  descriptor.min_principals = 2;
  descriptor.mediation = Mediation::kRequired;
  descriptor.create = [](const Parameters& parameters) -> Result<std::unique_ptr<Protocol>> {
    PARLEY_ASSIGN_OR_RETURN(SingleTextOptions options,
                            SingleTextProtocol::OptionsFromParameters(parameters));
    return std::unique_ptr<Protocol>(new SingleTextProtocol(options));
  };
  return descriptor;
}

}  // namespace

PARLEY_REGISTER_PROTOCOL(SingleTextDescriptor());

}  // namespace parley::protocols
