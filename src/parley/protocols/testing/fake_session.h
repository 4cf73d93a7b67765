// Test-only: a small SessionContext for protocol tests, independent of session/, and RunProtocol,
// which runs a registered protocol on it.
//
// It gives each party a PartyView, asks a per-party policy (a function of the view and request)
// for actions when the protocol takes them (so the protocol never suspends), validates them as the
// session contract says (allowed types, outcomes inside the space and keeping fixed issues,
// recipients within `may_address`; an illegal answer is recorded and becomes the fallback),
// delivers posts only to their recipients, and records every request, post, agreement and failure,
// plus any use of the context after the session finished.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "parley/model/scenario.h"
#include "parley/protocols/protocol.h"

namespace parley::protocols::testing {

using Policy = std::function<Action(const PartyView& view, const Request& request)>;

class FakeSession final : public SessionContext {
 public:
  FakeSession(const model::Scenario& scenario, int max_rounds, std::uint64_t seed = 1)
      : scenario_(scenario), space_(scenario.BuildOutcomeSpace()), rng_(seed) {
    clock_.max_rounds = max_rounds;
    std::vector<PublicParty> parties;
    for (const model::Party& party : scenario.parties) {
      parties.push_back(PublicParty{party.id, party.name, party.role});
    }
    for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
      const model::Party& party = scenario.parties[party_idx];
      views_.emplace_back(party_idx, scenario_, space_, parties, "test");
      if (!party.enabled) continue;
      if (party.role == model::Role::kPrincipal && party.preferences) {
        principals_.push_back(party_idx);
      }
      if (party.role == model::Role::kMediator) mediators_.push_back(party_idx);
    }
  }

  void SetPolicy(std::size_t party, Policy policy) { policies_[party] = std::move(policy); }

  // SessionContext.
  const model::Scenario& scenario() const override { return scenario_; }
  const model::OutcomeSpace& space() const override { return space_; }
  const std::vector<std::size_t>& principals() const override { return principals_; }
  const std::vector<std::size_t>& mediators() const override { return mediators_; }
  const Clock& clock() const override { return clock_; }
  bool NextRound() override {
    if (finished_) ++uses_after_finish;
    if (clock_.round + 1 >= clock_.max_rounds) {
      expired_ = true;
      return false;
    }
    ++clock_.round;
    clock_.relative_time = static_cast<double>(clock_.round) / clock_.max_rounds;
    for (PartyView& view : views_) view.SetClock(clock_);
    return true;
  }
  bool Expired() const override { return expired_; }

  AskId Open(std::size_t party, const Request& request) override {
    if (finished_) ++uses_after_finish;
    requests.push_back({party, request, clock_.round});
    open_[next_ask_] = requests.size() - 1;
    return next_ask_++;
  }

  void Post(std::size_t sender, const std::vector<std::size_t>& recipients,
            const Action& action) override {
    if (finished_) ++uses_after_finish;
    Message message;
    message.sequence = messages.size();
    message.round = clock_.round;
    message.time = clock_.relative_time;
    message.sender = sender;
    message.recipients = recipients;
    message.type = action.type;
    message.outcome = action.outcome;
    message.accept = action.accept;
    message.value = action.value;
    message.text = action.text;
    messages.push_back(message);
    for (std::size_t recipient : recipients) views_[recipient].Deliver(message);
  }

  void Agree(const model::Outcome& outcome, const std::vector<std::size_t>& parties) override {
    if (finished_) ++uses_after_finish;
    finished_ = true;
    agreement = outcome;
    agreeing = parties;
  }
  void Fail(const std::string& reason, std::optional<std::size_t> blocked) override {
    if (finished_) ++uses_after_finish;
    finished_ = true;
    failure = reason;
    blocked_by = blocked;
  }
  bool Finished() const override { return finished_; }
  std::mt19937_64& rng() override { return rng_; }

  const PartyView& view(std::size_t party) const { return views_[party]; }

 protected:
  bool TryTake(AskId ask, Action& action) override {
    auto open = open_.find(ask);
    PARLEY_CHECK(open != open_.end());
    const AskRecord record = requests[open->second];
    open_.erase(open);
    action = Answer(record.party, record.request);
    return true;
  }
  void Park(AskId, std::coroutine_handle<>) override { PARLEY_CHECK(false && "never suspends"); }
  Action Taken(AskId) override {
    PARLEY_CHECK(false && "never suspends");
    return Action();
  }

 public:
  struct AskRecord {
    std::size_t party;
    Request request;
    int round;
  };
  struct IllegalRecord {
    int round;
    std::size_t party;
    std::string reason;
  };
  std::vector<AskRecord> requests;
  std::vector<Message> messages;
  std::vector<IllegalRecord> illegal;
  std::optional<model::Outcome> agreement;
  std::vector<std::size_t> agreeing;
  std::optional<std::string> failure;
  std::optional<std::size_t> blocked_by;
  int uses_after_finish = 0;
  // False: let outcomes that change fixed issues, or recipients outside `may_address`, through
  // (to test a protocol's own guards).
  bool validate_fixed_issues = true;
  bool validate_recipients = true;

 private:
  Action Answer(std::size_t party, const Request& request) {
    auto policy = policies_.find(party);
    Action action;
    action.type = request.fallback;
    if (policy == policies_.end()) {
      illegal.push_back({clock_.round, party, "no policy"});
      return action;
    }
    Action answer = policy->second(views_[party], request);
    std::string reason = Illegal(answer, request);
    if (!reason.empty()) {
      illegal.push_back({clock_.round, party, reason});
      return action;
    }
    return answer;
  }

  std::string Illegal(const Action& action, const Request& request) const {
    bool allowed = false;
    for (ActionType type : request.allowed) allowed = allowed || type == action.type;
    if (!allowed) return "action not allowed: " + std::string(ActionTypeName(action.type));
    if (action.type == ActionType::kOffer && !action.outcome) return "offer without outcome";
    if (action.outcome) {
      if (!space_.Contains(*action.outcome)) return "outcome outside the space";
      for (std::size_t issue_idx = 0; issue_idx < request.fixed_issues.size(); ++issue_idx) {
        if (validate_fixed_issues && request.fixed_issues[issue_idx] &&
            (*action.outcome)[issue_idx] != request.fixed_outcome[issue_idx]) {
          return "changes fixed issue " + scenario_.issues[issue_idx].id;
        }
      }
    }
    if (validate_recipients) {
      for (std::size_t recipient : action.recipients) {
        if (std::find(request.may_address.begin(), request.may_address.end(), recipient) ==
            request.may_address.end()) {
          return "may not address " + scenario_.parties[recipient].id;
        }
      }
    }
    return "";
  }

  const model::Scenario& scenario_;
  model::OutcomeSpace space_;
  std::vector<std::size_t> principals_;
  std::vector<std::size_t> mediators_;
  std::vector<PartyView> views_;
  std::map<std::size_t, Policy> policies_;
  std::map<AskId, std::size_t> open_;  // open ask -> its index in `requests`
  AskId next_ask_ = 0;
  Clock clock_;
  bool expired_ = false;
  bool finished_ = false;
  std::mt19937_64 rng_;
};

// Runs the registered protocol `name` with `arguments` on `session` to its end: the errors of
// parameters, create and Prepare, else Ok.
inline Status RunProtocol(SessionContext& session, const std::string& name,
                          const std::map<std::string, std::string>& arguments = {}) {
  const ProtocolDescriptor* descriptor = ProtocolRegistry::Global().Find(name);
  PARLEY_CHECK(descriptor != nullptr);
  PARLEY_ASSIGN_OR_RETURN(Parameters parameters,
                          Parameters::Parse(arguments, descriptor->parameters, descriptor->name));
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<Protocol> protocol, descriptor->create(parameters));
  PARLEY_RETURN_IF_ERROR(protocol->Prepare(session));
  Task<> run = protocol->Run(session);
  run.Resume();
  PARLEY_CHECK(run.Done());
  return Status::Ok();
}

}  // namespace parley::protocols::testing
