// MediatorStrategy: the skeleton mediator strategies share.
//
// A mediator knows the public structure (issues, parties and roles) and only what was addressed
// to it: its inbox. It never sees a principal's preferences, so everything it knows about the
// principals comes from their messages. This class reads the inbox once, message by message, and
// maps the strategy's decisions onto the Request the protocol sends:
// - kOffer allowed: propose a text (Propose) to every party in `may_address`; kPass when the
//   strategy has nothing to propose and passing is allowed;
// - kRelay allowed (and not kOffer), with a standing offer: pass it on (Relay; verbatim by default)
//   to `may_address` except its author;
// - kAccept / kReject allowed with a standing text (an adoption decision, e.g. single_text with
//   adoption=mediator): Adopt; by default adopt when every principal that answered since the text
//   was proposed accepted it;
// - otherwise kPass, or the request's fallback.
// Texts keep the request's fixed issues (phased protocols).
//
// What the base keeps from the inbox, per principal: its latest offer (kOffer with an outcome)
// and its answers (kAccept, kReject, kVote) to this mediator's latest proposal.
#pragma once

#include <map>
#include <optional>
#include <random>
#include <vector>

#include "parley/strategies/strategy.h"

namespace parley::strategies {

class MediatorStrategy : public Strategy {
 public:
  void Initialize(const PartyView& view, std::mt19937_64& rng) override;
  Action Act(const PartyView& view, const Request& request) final;

 protected:
  // Called for each new inbox message, in order, after the base recorded it.
  virtual void OnMessage(const PartyView& view, const protocols::Message& message) {
    (void)view;
    (void)message;
  }
  // The text to propose now; nullopt to pass.
  virtual std::optional<model::Outcome> Propose(const PartyView& view, const Request& request) = 0;
  // The text to pass on when asked to relay; by default the standing offer, verbatim.
  virtual std::optional<model::Outcome> Relay(const PartyView& view, const Request& request) {
    (void)view;
    return request.standing_offer;
  }
  // Whether to adopt the standing text; nullopt to pass.
  virtual std::optional<bool> Adopt(const PartyView& view, const Request& request);

  std::mt19937_64& rng() { return rng_; }
  const std::vector<model::Issue>& issues() const { return issues_; }
  const model::OutcomeSpace& space() const { return space_; }
  // Principals other than this party, in scenario order.
  const std::vector<std::size_t>& principals() const { return principals_; }
  // The latest offer of each principal that made one.
  const std::map<std::size_t, model::Outcome>& latest_offers() const { return latest_offers_; }
  // Answers to the latest proposal: principal -> accepted.
  const std::map<std::size_t, bool>& answers() const { return answers_; }
  const std::optional<model::Outcome>& last_proposal() const { return last_proposal_; }
  int num_proposals() const { return num_proposals_; }

  // `outcome` with the request's fixed issues applied.
  static model::Outcome KeepFixed(model::Outcome outcome, const Request& request);
  // Issues a text may change under the request: open issues (all when none are listed) that are
  // not fixed.
  std::vector<std::size_t> FreeIssues(const Request& request) const;
  // A uniformly random outcome keeping the request's fixed issues.
  model::Outcome RandomOutcome(const Request& request);
  // `base` with `count` distinct free issues set to a different random option (fewer when fewer
  // issues can change).
  model::Outcome Mutate(const model::Outcome& base, int count, const Request& request);

 private:
  void Digest(const PartyView& view);

  bool initialized_ = false;
  std::mt19937_64 rng_;
  std::vector<model::Issue> issues_;
  model::OutcomeSpace space_;
  std::vector<std::size_t> principals_;
  std::size_t inbox_seen_ = 0;
  std::map<std::size_t, model::Outcome> latest_offers_;
  std::map<std::size_t, bool> answers_;
  std::optional<model::Outcome> last_proposal_;
  int num_proposals_ = 0;
};

}  // namespace parley::strategies
