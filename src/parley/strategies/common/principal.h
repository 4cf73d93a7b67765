// PrincipalStrategy: the skeleton every principal strategy shares.
//
// A concrete strategy makes two decisions: what it would offer now (NextOffer) and whether the
// offer in front of it beats that (AcceptsOffer, and VotesFor for a mediator's text). This class
// keeps the party's bid space and the offers it received, and maps the two decisions onto
// whatever the protocol's Request allows, so one strategy plays every protocol:
// - a request that allows kVote, or kAccept and kReject but not kOffer, is a vote on the standing
//   text: kVote (accept = the decision; no value, which protocols read differently) or kAccept /
//   kReject;
// - otherwise kAccept when the standing offer is acceptable, else kOffer with NextOffer();
//   kEndNegotiation instead when no outcome is worth the reservation value (nothing to gain);
// - kReject, kConfide (the standing text, or the next offer, and its own utility for it),
//   kFeedback (utility gained over the reference text), kPass, kEndNegotiation, in that order,
//   for requests that allow nothing better.
// A standing offer is acceptable only when it is worth at least the reservation value and the
// party's own red lines allow it; strategies decide beyond that.
//
// Phases: when a request names open issues (a phased protocol's current phase), only the fixed
// and open issues of a text bind; what it says about later phases' issues is provisional. Texts
// are then judged (utility, reservation value, red lines, acceptance, votes, received offers) on
// their fixed and open issues, with every later issue at this party's own best option, the same
// completion its own offers use. So a party can agree to an initial exchange while it still
// rejects the other side's end-state terms, which are negotiated in their own phase.
//
// Offers received: inbox messages from other parties of type kOffer or kRelay with an outcome,
// plus the request's standing offer when it is not in the inbox yet. The reference text for votes
// and feedback is the last text a mediator announced as adopted (kAccept from a mediator), else
// the previous text this party was shown, else nothing (then the reservation value counts).
//
// Without Initialize (strategies driven directly), the first Act initialises with seed 0.
#pragma once

#include <deque>
#include <optional>
#include <random>
#include <vector>

#include "parley/strategies/common/bid_space.h"
#include "parley/strategies/strategy.h"

namespace parley::strategies {

class PrincipalStrategy : public Strategy {
 public:
  void Initialize(const PartyView& view, std::mt19937_64& rng) override;
  Action Act(const PartyView& view, const Request& request) final;

  // An offer as OnReceived sees it (the outcome is the message's, valid during the call).
  struct ReceivedOffer {
    std::size_t sender = 0;
    const model::Outcome& outcome;
    double utility = 0;  // for this party
    double time = 0;
    int round = 0;
  };
  // What the history keeps of each received offer: no outcome, so recording one allocates
  // nothing (a strategy that needs outcomes keeps them in OnReceived).
  struct ReceivedRecord {
    std::size_t sender = 0;
    double utility = 0;
    double time = 0;
    int round = 0;
  };

 protected:
  // Called once, after the bid space is built.
  virtual void OnInitialize(const PartyView& view) { (void)view; }
  // Called for each received offer, in order, before a decision.
  virtual void OnReceived(const PartyView& view, const ReceivedOffer& offer) {
    (void)view;
    (void)offer;
  }
  // Called when a request changes the constraints on offers (a new phase).
  virtual void OnConstraintsChanged() {}
  // The outcome this party would offer now. Must keep the request's fixed issues (the bid space
  // already does).
  virtual model::Outcome NextOffer(const PartyView& view, const Request& request) = 0;
  // Whether to accept an offer worth `offer_utility` rather than offer what is worth
  // `next_utility`. Reservation value and red lines were checked before.
  virtual bool AcceptsOffer(const PartyView& view, double offer_utility, double next_utility) = 0;
  // A vote on a mediator's text; by default the same rule as AcceptsOffer.
  virtual bool VotesFor(const PartyView& view, const model::Outcome& text, double text_utility,
                        double next_utility) {
    (void)text;
    return AcceptsOffer(view, text_utility, next_utility);
  }
  // Called when NextOffer's result was actually sent.
  virtual void OnOffered(const model::Outcome& offer) { (void)offer; }
  // False for a strategy whose decisions never look at the offers it received (hardliner): they
  // are then not recorded (received() stays empty, OnReceived is not called), so its memory
  // does not grow with the length of the session.
  virtual bool LearnsFromOffers() const { return true; }

  BidSpace& bids() { return bids_; }
  const BidSpace& bids() const { return bids_; }
  std::mt19937_64& rng() { return *rng_; }
  // The clock this party paces itself by in the current request (protocols::PacingClock: a
  // phase's own clock in phased talks, else the session's), and its relative time.
  const protocols::Clock& pacing_clock() const { return pacing_clock_; }
  double time() const { return pacing_clock_.relative_time; }
  // The reservation value, or 0 when none is stated (or the party has no preferences).
  double reservation() const { return reservation_; }
  bool has_preferences() const { return bids_.has_utility(); }
  const std::vector<ReceivedRecord>& received() const { return received_; }
  // Best utility among offers received at or after `time`; nullopt when none. Amortised O(1)
  // when successive calls never move `time` back (a sliding window, as AC_combi's), a scan
  // otherwise.
  std::optional<double> BestReceivedSince(double time);
  // The text votes and feedback compare against (see above), if any.
  const std::optional<model::Outcome>& reference_text() const {
    return adopted_text_ ? adopted_text_ : previous_text_;
  }
  // Whether the party may agree to `outcome` at all: reservation value and red lines.
  bool Rational(const model::Outcome& outcome) const;
  // `outcome` as this party judges it under the current constraints: itself without open
  // issues; otherwise its fixed and open issues, and the party's own best option elsewhere.
  model::Outcome Judged(const model::Outcome& outcome) const;

 private:
  struct Turn;  // one call of Act (principal.cc)
  void PrepareTurn(const PartyView& view, const Request& request);
  const model::Outcome& PlannedOffer(Turn& turn);
  std::optional<Action> AnswerStandingOffer(Turn& turn);
  Action ActOnRequest(Turn& turn);
  double ReferenceUtility(const Request& request) const;
  void Digest(const PartyView& view, const Request& request);
  void Record(const PartyView& view, std::size_t sender, const model::Outcome& outcome, double time,
              int round);

  bool initialized_ = false;
  protocols::Clock pacing_clock_;
  BidSpace bids_;
  std::optional<std::mt19937_64> rng_;  // set by Initialize (a copy, not seeded twice)
  double reservation_ = 0;
  std::vector<ReceivedRecord> received_;
  // The latest recorded outcome of each sender (index: sender, or the number of parties for a
  // standing offer of unknown origin).
  std::vector<std::optional<model::Outcome>> latest_received_;
  std::vector<std::size_t> latest_record_;  // index into received_ of each sender's latest
  // The standing offer's utility when Digest recorded it in this turn.
  std::optional<double> standing_utility_;
  // Indices into received_ at or after window_start_ whose utility beats every later one's, so
  // the front is the window's best (a monotonic queue).
  std::deque<std::size_t> window_best_;
  // Whether window_best_ is kept up to date: only once BestReceivedSince was asked (AC_combi).
  bool window_kept_ = false;
  double window_start_ = 0;
  std::size_t inbox_seen_ = 0;
  std::optional<model::Outcome> current_text_;   // the latest standing text shown
  std::optional<model::Outcome> previous_text_;  // the one before it
  std::optional<model::Outcome> adopted_text_;   // announced by a mediator
};

}  // namespace parley::strategies
