#include "parley/strategies/common/principal.h"

#include <algorithm>

namespace parley::strategies {
namespace {

bool Allows(const Request& request, ActionType type) {
  return std::find(request.allowed.begin(), request.allowed.end(), type) != request.allowed.end();
}

}  // namespace

void PrincipalStrategy::Initialize(const PartyView& view, std::mt19937_64& rng) {
  rng_.emplace(rng);
  const model::Preferences* preferences = view.preferences();
  if (preferences != nullptr) {
    bids_ = BidSpace(preferences->utility, view.space(), preferences->red_lines);
    reservation_ = preferences->ReservationOrZero();
  } else {
    bids_ = BidSpace(nullptr, view.space(), {});
    reservation_ = 0;
  }
  received_.clear();
  for (std::optional<model::Outcome>& latest : latest_received_) latest.reset();
  window_best_.clear();
  window_kept_ = false;
  window_start_ = 0;
  inbox_seen_ = 0;
  current_text_.reset();
  previous_text_.reset();
  adopted_text_.reset();
  initialized_ = true;
  OnInitialize(view);
}

model::Outcome PrincipalStrategy::Judged(const model::Outcome& outcome) const {
  const BidConstraints& constraints = bids_.constraints();
  if (constraints.open_issues.empty() || outcome.size() != bids_.space().NumIssues()) {
    return outcome;
  }
  model::Outcome judged = bids_.Best();
  for (std::size_t issue_idx : constraints.open_issues) {
    if (issue_idx < judged.size()) judged[issue_idx] = outcome[issue_idx];
  }
  for (std::size_t issue_idx = 0; issue_idx < constraints.fixed_issues.size(); ++issue_idx) {
    if (constraints.fixed_issues[issue_idx] && issue_idx < judged.size()) {
      judged[issue_idx] = outcome[issue_idx];
    }
  }
  return judged;
}

bool PrincipalStrategy::Rational(const model::Outcome& outcome) const {
  return bids_.Utility(outcome) >= reservation_ && bids_.Allowed(outcome);
}

std::optional<double> PrincipalStrategy::BestReceivedSince(double time) {
  if (!window_kept_ || time < window_start_) {
    window_kept_ = true;
    // The window moved back: rebuild the queue over the offers received since `time`.
    window_best_.clear();
    window_start_ = time;
    auto first = std::find_if(received_.rbegin(), received_.rend(),
                              [&](const ReceivedRecord& offer) { return offer.time < time; });
    for (std::size_t offer_idx = received_.size() - (first - received_.rbegin());
         offer_idx < received_.size(); ++offer_idx) {
      while (!window_best_.empty() &&
             received_[window_best_.back()].utility <= received_[offer_idx].utility) {
        window_best_.pop_back();
      }
      window_best_.push_back(offer_idx);
    }
  }
  window_start_ = time;
  while (!window_best_.empty() && received_[window_best_.front()].time < time) {
    window_best_.pop_front();
  }
  if (window_best_.empty()) return std::nullopt;
  return received_[window_best_.front()].utility;
}

void PrincipalStrategy::Record(const PartyView& view, std::size_t sender,
                               const model::Outcome& outcome, double time, int round) {
  if (!LearnsFromOffers() || !view.space().Contains(outcome)) return;
  // Without open issues an outcome is judged as it is: no copy (this runs for every offer).
  const double utility = bids_.constraints().open_issues.empty() ? bids_.Utility(outcome)
                                                                 : bids_.Utility(Judged(outcome));
  received_.push_back(ReceivedRecord{sender, utility, time, round});
  if (sender >= latest_received_.size()) {
    latest_received_.resize(sender + 1);
    latest_record_.resize(sender + 1);
  }
  latest_received_[sender] = outcome;  // reuses the buffer once the sender has one
  latest_record_[sender] = received_.size() - 1;
  if (window_kept_ && time >= window_start_) {
    while (!window_best_.empty() && received_[window_best_.back()].utility <= utility) {
      window_best_.pop_back();
    }
    window_best_.push_back(received_.size() - 1);
  }
  OnReceived(view, ReceivedOffer{sender, outcome, utility, time, round});
}

void PrincipalStrategy::Digest(const PartyView& view, const Request& request) {
  const std::size_t first_record = received_.size();
  standing_utility_.reset();
  const protocols::Inbox& inbox = view.inbox();
  if (inbox.size() < inbox_seen_) inbox_seen_ = 0;  // a new view: read it from the start
  for (; inbox_seen_ < inbox.size(); ++inbox_seen_) {
    const protocols::Message& message = inbox[inbox_seen_];
    if (message.sender == view.self() || !message.outcome) continue;
    const bool from_mediator = message.sender < view.parties().size() &&
                               view.parties()[message.sender].role == model::Role::kMediator;
    if (message.type == ActionType::kOffer || message.type == ActionType::kRelay) {
      Record(view, message.sender, *message.outcome, message.time, message.round);
    } else if (message.type == ActionType::kAccept && from_mediator &&
               view.space().Contains(*message.outcome)) {
      adopted_text_ = *message.outcome;
    }
  }
  if (request.standing_offer && request.standing_offer_from != view.self()) {
    const model::Outcome& standing = *request.standing_offer;
    std::size_t sender = request.standing_offer_from.value_or(view.parties().size());
    // Record the standing offer unless the inbox already delivered it.
    const bool known = sender < latest_received_.size() && latest_received_[sender] &&
                       *latest_received_[sender] == standing;
    if (!known) {
      Record(view, sender, standing, view.clock().relative_time, view.clock().round);
    }
    // Recorded in this turn (so under its constraints): its utility is known.
    if (sender < latest_received_.size() && latest_received_[sender] &&
        latest_record_[sender] >= first_record &&
        (known || *latest_received_[sender] == standing)) {
      standing_utility_ = received_[latest_record_[sender]].utility;
    }
    if (!current_text_ || *current_text_ != standing) {
      previous_text_.swap(current_text_);  // the buffer of the text before it is reused
      current_text_ = standing;
    }
  }
}

// One call of Act: the view, the request, and the offer this party plans, computed at most once
// (NextOffer may draw random numbers, so it runs only when an answer needs it).
struct PrincipalStrategy::Turn {
  const PartyView& view;
  const Request& request;
  bool has_standing;  // a standing offer from another party, inside the outcome space
  std::optional<model::Outcome> next;
};

const model::Outcome& PrincipalStrategy::PlannedOffer(Turn& turn) {
  if (!turn.next) turn.next = NextOffer(turn.view, turn.request);
  return *turn.next;
}

void PrincipalStrategy::PrepareTurn(const PartyView& view, const Request& request) {
  if (!initialized_) {
    std::mt19937_64 seeded(0);
    Initialize(view, seeded);
  }
  pacing_clock_ = protocols::PacingClock(view, request);
  // Most requests constrain nothing, and most turns keep the constraints of the previous one.
  const BidConstraints& current = bids_.constraints();
  const bool unconstrained = request.open_issues.empty() &&
                             std::find(request.fixed_issues.begin(), request.fixed_issues.end(),
                                       true) == request.fixed_issues.end();
  const bool was_unconstrained =
      current.open_issues.empty() && current.fixed_issues.empty() && current.fixed_outcome.empty();
  if (!(unconstrained && was_unconstrained)) {
    BidConstraints constraints = BidConstraints::FromRequest(request);
    if (!(constraints == current)) {
      bids_.SetConstraints(constraints);
      OnConstraintsChanged();
    }
  }
  Digest(view, request);  // after the constraints: received texts are judged under them
}

// A vote on the standing offer, or its acceptance; nothing when this party neither votes nor
// accepts it.
std::optional<Action> PrincipalStrategy::AnswerStandingOffer(Turn& turn) {
  const Request& request = turn.request;
  const model::Outcome& standing = *request.standing_offer;
  std::optional<model::Outcome> judged_copy;
  if (!bids_.constraints().open_issues.empty()) judged_copy = Judged(standing);
  const model::Outcome& judged = judged_copy ? *judged_copy : standing;
  const double standing_utility = standing_utility_ ? *standing_utility_ : bids_.Utility(judged);
  // Rational(judged), without evaluating the utility again.
  auto rational = [&] { return standing_utility >= reservation_ && bids_.Allowed(judged); };
  const bool is_vote =
      Allows(request, ActionType::kVote) ||
      (Allows(request, ActionType::kAccept) && Allows(request, ActionType::kReject) &&
       !Allows(request, ActionType::kOffer));
  Action action;
  if (is_vote) {
    const model::Outcome& planned = PlannedOffer(turn);
    const bool yes =
        rational() && VotesFor(turn.view, standing, standing_utility, bids_.Utility(planned));
    if (Allows(request, ActionType::kVote)) {
      // No `value`: protocols give it different meanings (MOPAC reads it as a minimum power).
      action.type = ActionType::kVote;
      action.accept = yes;
      return action;
    }
    action.type = yes ? ActionType::kAccept : ActionType::kReject;
    if (yes) action.outcome = standing;
    return action;
  }
  if (Allows(request, ActionType::kAccept) && rational()) {
    const model::Outcome& planned = PlannedOffer(turn);
    if (AcceptsOffer(turn.view, standing_utility, bids_.Utility(planned))) {
      action.type = ActionType::kAccept;
      action.outcome = standing;
      return action;
    }
  }
  return std::nullopt;
}

// The utility feedback is measured from: the reference text's, else the reservation value.
double PrincipalStrategy::ReferenceUtility(const Request& request) const {
  const std::optional<model::Outcome>& reference = reference_text();
  if (reference && reference != request.standing_offer) return bids_.Utility(Judged(*reference));
  return reservation_;
}

// Without a vote or an acceptance: an offer (or ending talks that cannot reach the reservation
// value), else a rejection, a confidence, feedback, or the first neutral action allowed.
Action PrincipalStrategy::ActOnRequest(Turn& turn) {
  const Request& request = turn.request;
  Action action;
  if (Allows(request, ActionType::kOffer)) {
    if (has_preferences() && bids_.MaxUtility() < reservation_ &&
        Allows(request, ActionType::kEndNegotiation)) {
      action.type = ActionType::kEndNegotiation;
      return action;
    }
    action.type = ActionType::kOffer;
    PlannedOffer(turn);
    action.outcome = std::move(turn.next);  // computed above or just now; not needed after this
    action.recipients = request.may_address;
    OnOffered(*action.outcome);
    return action;
  }
  if (Allows(request, ActionType::kReject) && turn.has_standing) {
    action.type = ActionType::kReject;
    return action;
  }
  if (Allows(request, ActionType::kConfide)) {
    action.type = ActionType::kConfide;
    action.outcome = turn.has_standing ? *request.standing_offer : PlannedOffer(turn);
    action.value = bids_.Utility(Judged(*action.outcome));
    action.recipients = request.may_address;
    return action;
  }
  if (Allows(request, ActionType::kFeedback) && turn.has_standing) {
    action.type = ActionType::kFeedback;
    action.outcome = *request.standing_offer;
    action.value = bids_.Utility(Judged(*request.standing_offer)) - ReferenceUtility(request);
    action.recipients = request.may_address;
    return action;
  }
  for (ActionType type : {ActionType::kPass, ActionType::kReject, ActionType::kEndNegotiation}) {
    if (Allows(request, type)) {
      action.type = type;
      return action;
    }
  }
  action.type = request.fallback;
  return action;
}

Action PrincipalStrategy::Act(const PartyView& view, const Request& request) {
  PrepareTurn(view, request);
  Turn turn{view, request,
            request.standing_offer.has_value() && request.standing_offer_from != view.self() &&
                view.space().Contains(*request.standing_offer),
            std::nullopt};
  if (turn.has_standing) {
    if (std::optional<Action> answer = AnswerStandingOffer(turn)) return *answer;
  }
  return ActOnRequest(turn);
}

}  // namespace parley::strategies
