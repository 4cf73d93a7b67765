#include "parley/protocols/phased/phased.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "parley/base/check.h"

namespace parley::protocols {
namespace {

// The session as one phase's inner protocol sees it: requests carry the fixed and open issues,
// Agree and Fail end the phase (not the session), and the phase may have fewer rounds than the
// session.
class PhaseContext final : public SessionContext {
 public:
  PhaseContext(SessionContext& outer, std::vector<bool> fixed, model::Outcome fixed_outcome,
               std::vector<std::size_t> open_issues, std::optional<int> last_round)
      : outer_(outer),
        fixed_(std::move(fixed)),
        fixed_outcome_(std::move(fixed_outcome)),
        open_issues_(std::move(open_issues)),
        last_round_(last_round),
        first_round_(outer.clock().round),
        start_time_(outer.clock().relative_time) {}

  const model::Scenario& scenario() const override { return outer_.scenario(); }
  const model::OutcomeSpace& space() const override { return outer_.space(); }
  const std::vector<std::size_t>& principals() const override { return outer_.principals(); }
  const std::vector<std::size_t>& mediators() const override { return outer_.mediators(); }
  const Clock& clock() const override { return outer_.clock(); }
  std::mt19937_64& rng() override { return outer_.rng(); }

  bool NextRound() override {
    if (last_round_ && outer_.clock().round >= *last_round_) {
      out_of_rounds_ = true;
      return false;
    }
    return outer_.NextRound();
  }
  bool Expired() const override { return out_of_rounds_ || outer_.Expired(); }

  // Every request carries the settled issues, so the session refuses (records as illegal and
  // replaces by the fallback) any answer that changes one.
  AskId Open(std::size_t party, const Request& request) override {
    phased_ = request;
    phased_.fixed_issues = fixed_;
    phased_.fixed_outcome = fixed_outcome_;
    phased_.open_issues = open_issues_;
    phased_.stage_clock = StageClock();
    const AskId ask = outer_.Open(party, phased_);
    fallbacks_.emplace_back(ask, request.fallback);
    return ask;
  }

  void Post(std::size_t sender, const std::vector<std::size_t>& recipients,
            const Action& action) override {
    outer_.Post(sender, recipients, action);
  }

  void Agree(const model::Outcome& outcome, const std::vector<std::size_t>& parties) override {
    if (Finished()) return;
    agreement_ = outcome;
    (void)parties;
  }
  void Fail(const std::string& reason, std::optional<std::size_t> blocked_by) override {
    if (Finished()) return;
    failed_ = true;
    failure_ = reason;
    blocked_by_ = blocked_by;
  }
  bool Finished() const override { return agreement_ || failed_ || outer_.Finished(); }

 protected:
  bool TryTake(AskId ask, Action& action) override {
    if (!TryTakeFrom(outer_, ask, action)) return false;
    action = KeepingFixed(ask, std::move(action));
    return true;
  }
  void Park(AskId ask, std::coroutine_handle<> waiting) override { ParkIn(outer_, ask, waiting); }
  Action Taken(AskId ask) override { return KeepingFixed(ask, TakenFrom(outer_, ask)); }

 public:
  const std::optional<model::Outcome>& agreement() const { return agreement_; }
  const std::string& failure() const { return failure_; }
  std::optional<std::size_t> blocked_by() const { return blocked_by_; }
  bool out_of_rounds() const { return out_of_rounds_; }

 private:
  SessionContext& outer_;
  const std::vector<bool> fixed_;
  const model::Outcome fixed_outcome_;
  const std::vector<std::size_t> open_issues_;
  // The session records an answer that changes a settled issue as illegal; should one get
  // through, it is never passed on: it becomes the request's fallback.
  Action KeepingFixed(AskId ask, Action action) {
    auto it = std::find_if(fallbacks_.begin(), fallbacks_.end(),
                           [&](const auto& entry) { return entry.first == ask; });
    PARLEY_CHECK(it != fallbacks_.end());
    const ActionType fallback = it->second;
    fallbacks_.erase(it);
    if (action.outcome && !KeepsFixedIssues(*action.outcome)) {
      Action replaced;
      replaced.type = fallback;
      return replaced;
    }
    return action;
  }
  bool KeepsFixedIssues(const model::Outcome& outcome) const {
    if (outcome.size() != fixed_.size()) return false;
    for (std::size_t issue_idx = 0; issue_idx < fixed_.size(); ++issue_idx) {
      if (fixed_[issue_idx] && outcome[issue_idx] != fixed_outcome_[issue_idx]) return false;
    }
    return true;
  }

  Request phased_;  // the request being opened, with the phase's constraints added
  std::vector<std::pair<AskId, ActionType>> fallbacks_;  // of the asks open in this phase
  // The phase's own clock: from its first round to its last (with a share of the rounds), else
  // to the session's deadline.
  Clock StageClock() const {
    const Clock& session = outer_.clock();
    Clock stage;
    stage.round = session.round - first_round_;
    if (last_round_) {
      stage.max_rounds = *last_round_ - first_round_ + 1;
      stage.relative_time = static_cast<double>(stage.round) / stage.max_rounds;
    } else {
      stage.max_rounds = session.max_rounds - first_round_;
      stage.relative_time =
          start_time_ < 1 ? (session.relative_time - start_time_) / (1 - start_time_) : 1.0;
    }
    stage.relative_time = std::clamp(stage.relative_time, 0.0, 1.0);
    return stage;
  }

  const std::optional<int> last_round_;  // the last round this phase may use; none: the deadline
  const int first_round_;
  const double start_time_;  // the session's relative time when the phase began
  bool out_of_rounds_ = false;
  std::optional<model::Outcome> agreement_;
  bool failed_ = false;
  std::string failure_;
  std::optional<std::size_t> blocked_by_;
};

// Stacked alternating offers among the principals, for one phase (see phased.h).
class AlternatingOffersPhase {
 public:
  AlternatingOffersPhase(SessionContext& context, std::size_t first_turn)
      : context_(context), principals_(context.principals()), turn_(first_turn) {}

  Task<> Run() {
    const int limit = context_.clock().max_rounds;
    while (!context_.Finished() && !context_.Expired() && context_.clock().round < limit) {
      for (std::size_t step = 0; step < principals_.size(); ++step) {
        co_await TakeTurn(principals_[turn_ % principals_.size()]);
        ++turn_;
        if (context_.Finished() || context_.Expired()) break;
      }
      if (context_.Finished()) co_return;
      if (context_.clock().round + 1 >= limit || !context_.NextRound()) break;
    }
    if (!context_.Finished()) {
      context_.Fail("deadline: no offer was accepted by every principal", std::nullopt);
    }
  }

 private:
  std::vector<std::size_t> Others(std::size_t party) const {
    std::vector<std::size_t> others;
    for (std::size_t other : principals_) {
      if (other != party) others.push_back(other);
    }
    return others;
  }

  void Send(std::size_t sender, Action action) {
    action.recipients = Others(sender);
    context_.Post(sender, action.recipients, action);
  }

  Task<> TakeTurn(std::size_t party) {
    Request request;
    request.may_address = Others(party);
    // A party never answers its own offer: on its turn it renews or changes it.
    if (standing_ && standing_from_ != party) {
      request.allowed = {ActionType::kAccept, ActionType::kReject, ActionType::kOffer,
                         ActionType::kEndNegotiation};
      request.standing_offer = standing_;
      request.standing_offer_from = standing_from_;
      request.fallback = ActionType::kReject;
    } else {
      request.allowed = {ActionType::kOffer, ActionType::kPass, ActionType::kEndNegotiation};
      request.fallback = ActionType::kPass;
    }
    Action action = co_await context_.Ask(party, request);
    switch (action.type) {
      case ActionType::kEndNegotiation:
        Send(party, action);
        context_.Fail(context_.scenario().parties[party].id + " walked away", party);
        co_return;
      case ActionType::kAccept:
        if (!standing_ || standing_from_ == party) co_return;
        action.outcome = standing_;
        Send(party, action);
        if (++acceptances_ + 1 == principals_.size()) context_.Agree(*standing_, principals_);
        co_return;
      case ActionType::kOffer:
      case ActionType::kReject:
        if (action.outcome) {
          standing_ = action.outcome;
          standing_from_ = party;
        }
        acceptances_ = 0;
        Send(party, action);
        co_return;
      default:
        co_return;
    }
  }

  SessionContext& context_;
  const std::vector<std::size_t> principals_;
  std::size_t turn_;
  std::optional<model::Outcome> standing_;
  std::optional<std::size_t> standing_from_;
  std::size_t acceptances_ = 0;
};

// One session of phased talks.
class PhasedTalks {
 public:
  PhasedTalks(SessionContext& context, const PhasedOptions& options)
      : context_(context),
        options_(options),
        principals_(context.principals()),
        mediators_(context.mediators()),
        phases_(PhaseIssues(context.scenario())) {}

  Status Check() {
    if (principals_.size() < 2) {
      return InvalidInput("protocol 'phased' needs at least two principals; scenario '" +
                              context_.scenario().name + "' has " +
                              std::to_string(principals_.size()),
                          Location::InField("parties"));
    }
    inner_ = options_.inner;
    if (inner_ == PhaseInner::kAuto) {
      inner_ = mediators_.empty() ? PhaseInner::kAlternatingOffers : PhaseInner::kShuttle;
    }
    if (inner_ == PhaseInner::kShuttle) {
      const ProtocolDescriptor* shuttle = ProtocolRegistry::Global().Find("shuttle");
      if (shuttle == nullptr || !shuttle->nestable) {
        return InvalidInput("phased: inner protocol 'shuttle' is not registered as nestable",
                            Location::InField("phased.inner"));
      }
    }
    if (inner_ == PhaseInner::kShuttle && mediators_.empty()) {
      return InvalidInput(
          "phased: inner protocol 'shuttle' needs an enabled mediator, and "
          "scenario '" +
              context_.scenario().name + "' has none (enable one, or use inner=alternating_offers)",
          Location::InField("phased.inner"));
    }
    return Status::Ok();
  }

  Task<> Run() {
    const std::size_t num_issues = context_.scenario().issues.size();
    std::vector<bool> fixed(num_issues, false);
    model::Outcome fixed_outcome(num_issues, 0);
    std::string settled;  // "issue=option, ..." for what earlier phases agreed
    for (std::size_t phase_idx = 0; phase_idx < phases_.size(); ++phase_idx) {
      if (phase_idx > 0) {
        const bool more_rounds = !context_.Expired() &&
                                 context_.clock().round + 1 < context_.clock().max_rounds &&
                                 context_.NextRound();
        if (!more_rounds) {
          Conclude(phase_idx, "the session deadline passed before it began", std::nullopt, fixed,
                   fixed_outcome, settled);
          co_return;
        }
      }
      const int first_round = context_.clock().round;
      std::optional<int> last_round;
      if (!(options_.pause_continues && phase_idx > 0)) {
        int share = static_cast<int>(options_.phase_rounds);
        if (share <= 0) {
          const int rounds_left = context_.clock().max_rounds - first_round;
          share = std::max(1, rounds_left / static_cast<int>(phases_.size() - phase_idx));
        }
        last_round = first_round + share - 1;
      }
      PhaseContext phase(context_, fixed, fixed_outcome, phases_[phase_idx], last_round);
      if (inner_ == PhaseInner::kShuttle) {
        // The inner protocol comes from the registry like any other, flagged nestable.
        std::unique_ptr<Protocol> inner = NestedShuttle();
        inner->BindIssues(phases_[phase_idx]);
        PARLEY_CHECK(inner->Prepare(phase).ok());  // Check made sure a mediator takes part
        co_await inner->Run(phase);
      } else {
        AlternatingOffersPhase inner(phase, phase_idx);
        co_await inner.Run();
      }
      if (context_.Finished()) co_return;
      if (!phase.agreement()) {
        std::string why =
            phase.out_of_rounds()
                ? "its " + std::to_string(*last_round - first_round + 1) + " rounds ran out"
                : phase.failure();
        Conclude(phase_idx, why, phase.blocked_by(), fixed, fixed_outcome, settled);
        co_return;
      }
      std::string agreed;
      for (std::size_t issue_idx : phases_[phase_idx]) {
        fixed[issue_idx] = true;
        fixed_outcome[issue_idx] = (*phase.agreement())[issue_idx];
        agreed += (agreed.empty() ? "" : ", ") + Describe(issue_idx, fixed_outcome[issue_idx]);
      }
      settled += (settled.empty() ? "" : ", ") + agreed;
      Announce(PhaseName(phase_idx) + " agreed: " + agreed);
    }
    context_.Agree(fixed_outcome, principals_);
  }

 private:
  std::unique_ptr<Protocol> NestedShuttle() const {
    const std::string spec =
        std::string("shuttle(assignment=") +
        (options_.assignment == ShuttleAssignment::kPerPrincipal ? "per_principal"
                                                                 : "round_robin") +
        ")";
    Result<ResolvedSpec<ProtocolDescriptor>> resolved = ProtocolRegistry::Global().Resolve(spec);
    PARLEY_CHECK(resolved.ok() && resolved->descriptor->nestable);
    Result<std::unique_ptr<Protocol>> created = resolved->descriptor->create(resolved->parameters);
    PARLEY_CHECK(created.ok());
    return std::move(created).value();
  }

  std::string PhaseName(std::size_t phase_idx) const {
    const std::vector<model::Phase>& phases = context_.scenario().phases;
    std::string id = phases.empty() ? "all issues" : phases[phase_idx].id;
    return "phase " + std::to_string(phase_idx + 1) + " of " + std::to_string(phases_.size()) +
           " '" + id + "'";
  }

  std::string Describe(std::size_t issue_idx, model::OptionIndex option) const {
    const model::Issue& issue = context_.scenario().issues[issue_idx];
    return issue.id + "=" + issue.OptionLabel(option);
  }

  // A kPass notice from the first mediator (else the first principal) to everyone else.
  void Announce(const std::string& text) {
    const std::size_t announcer = mediators_.empty() ? principals_.front() : mediators_.front();
    std::vector<std::size_t> recipients;
    for (std::size_t party : principals_) {
      if (party != announcer) recipients.push_back(party);
    }
    for (std::size_t party : mediators_) {
      if (party != announcer) recipients.push_back(party);
    }
    Action notice;
    notice.type = ActionType::kPass;
    notice.recipients = recipients;
    notice.text = text;
    context_.Post(announcer, recipients, notice);
  }

  // Phase `phase_idx` failed: the session fails, or (status_quo after an agreed phase) ends with
  // the earlier agreement and status-quo options elsewhere.
  void Conclude(std::size_t phase_idx, const std::string& why,
                std::optional<std::size_t> blocked_by, const std::vector<bool>& fixed,
                const model::Outcome& fixed_outcome, const std::string& settled) {
    const std::string failure = PhaseName(phase_idx) + " failed: " + why;
    if (phase_idx == 0) {
      Announce(failure);
      context_.Fail(failure, blocked_by);
      return;
    }
    if (options_.fallback == PhaseDefault::kReservation) {
      Announce(failure + "; the earlier agreement lapses (default=reservation)");
      context_.Fail(failure + "; the partial agreement on earlier phases lapsed (" + settled + ")",
                    blocked_by);
      return;
    }
    model::Outcome outcome = fixed_outcome;
    std::string defaults;
    for (std::size_t issue_idx = 0; issue_idx < fixed.size(); ++issue_idx) {
      if (fixed[issue_idx]) continue;
      outcome[issue_idx] = 0;
      defaults += (defaults.empty() ? "" : ", ") + Describe(issue_idx, 0);
    }
    Announce(failure + "; the earlier agreement stands (" + settled +
             ") and the unsettled issues take their status quo (" + defaults + ")");
    context_.Agree(outcome, principals_);
  }

  SessionContext& context_;
  const PhasedOptions& options_;
  const std::vector<std::size_t> principals_;
  const std::vector<std::size_t> mediators_;
  const std::vector<std::vector<std::size_t>> phases_;
  PhaseInner inner_ = PhaseInner::kAuto;
};

}  // namespace

std::vector<std::vector<std::size_t>> PhaseIssues(const model::Scenario& scenario) {
  return scenario.PhaseIssueGroups();
}

Result<PhasedOptions> PhasedProtocol::OptionsFromParameters(const Parameters& parameters) {
  PhasedOptions options;
  // Parameters::Parse has checked 'inner' and 'default' against the descriptor's choices.
  const std::string& inner = parameters.GetString("inner");
  if (inner == "auto") {
    options.inner = PhaseInner::kAuto;
  } else if (inner == "shuttle") {
    options.inner = PhaseInner::kShuttle;
  } else {
    PARLEY_CHECK(inner == "alternating_offers");
    options.inner = PhaseInner::kAlternatingOffers;
  }
  const std::string& fallback = parameters.GetString("default");
  if (fallback == "reservation") {
    options.fallback = PhaseDefault::kReservation;
  } else {
    PARLEY_CHECK(fallback == "status_quo");
    options.fallback = PhaseDefault::kStatusQuo;
  }
  options.phase_rounds = parameters.GetInt("phase_rounds");
  if (options.phase_rounds < 0) {
    return InvalidInput("phased: parameter 'phase_rounds' must be 0 or more, got " +
                            std::to_string(options.phase_rounds),
                        Location::InField("phased.phase_rounds"));
  }
  options.pause_continues = parameters.GetBool("pause_continues");
  Result<ShuttleAssignment> assignment = ParseShuttleAssignment(parameters.GetString("assignment"));
  if (!assignment.ok()) {
    return InvalidInput("phased: " + assignment.status().message(),
                        Location::InField("phased.assignment"));
  }
  options.assignment = *assignment;
  return options;
}

Status PhasedProtocol::Prepare(SessionContext& context) {
  return PhasedTalks(context, options_).Check();
}

Task<> PhasedProtocol::Run(SessionContext& context) {
  PhasedTalks talks(context, options_);
  PARLEY_CHECK(talks.Check().ok());  // Prepare said so
  co_await talks.Run();
}

namespace {

ProtocolDescriptor PhasedDescriptor() {
  ProtocolDescriptor descriptor;
  descriptor.name = "phased";
  descriptor.summary =
      "Agreement phase by phase (the scenario's phases); agreed issues stay fixed; each phase "
      "runs shuttle or alternating offers; a failed later phase falls back to a default";
  descriptor.parameters = {
      {"inner",
       ParameterType::kString,
       "auto",
       "each phase's protocol: shuttle, alternating_offers, or auto (shuttle when a mediator "
       "takes part)",
       {"auto", "shuttle", "alternating_offers"}},
      {"phase_rounds", ParameterType::kInt, "0",
       "rounds each phase may use (0: the rounds left shared equally among the phases left)"},
      {"pause_continues", ParameterType::kBool, "true",
       "once a phase is agreed, later phases may talk up to the session deadline while it holds"},
      {"default",
       ParameterType::kString,
       "reservation",
       "when a later phase fails: reservation (nothing agreed) or status_quo (earlier phases "
       "stand, the rest take their first option)",
       {"reservation", "status_quo"}},
      {"assignment",
       ParameterType::kString,
       "round_robin",
       "inner shuttle: how mediators share the work (round_robin or per_principal)",
       {"round_robin", "per_principal"}},
  };
  descriptor.min_principals = 2;
  descriptor.mediation = Mediation::kWhenPresent;
  descriptor.create = [](const Parameters& parameters) -> Result<std::unique_ptr<Protocol>> {
    PARLEY_ASSIGN_OR_RETURN(PhasedOptions options,
                            PhasedProtocol::OptionsFromParameters(parameters));
    return std::unique_ptr<Protocol>(new PhasedProtocol(options));
  };
  return descriptor;
}

}  // namespace

PARLEY_REGISTER_PROTOCOL(PhasedDescriptor());

}  // namespace parley::protocols
