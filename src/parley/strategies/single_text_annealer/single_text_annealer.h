// Single-text annealing mediator (Klein, Faratin, Sayama & Bar-Yam 2003, "Protocols for
// negotiating complex contracts"). The mediator knows nothing of the principals' preferences; it
// searches the outcome space by mutation, guided only by their votes.
// - It starts from a random text; each proposal is the current text with `mutations` issues (among
//   those the request leaves free) switched to a different random option.
// - A proposal every principal accepts becomes the current text (Klein et al.'s rule). One that d
//   principals rejected is still adopted with probability exp(-d / T), T = temperature * (1 - t)
//   cooling linearly to 0 at the deadline: annealing at the mediator, so early on the text can
//   cross valleys that would trap unanimous hill climbing.
// - When the protocol reports the standing text (single_text's request.standing_offer), that is
//   the current text; otherwise (e.g. shuttle talks) the mediator keeps its own by the rule above.
//   Asked to decide adoption itself (single_text with adoption=mediator), it answers by the same
//   rule. Votes are the principals' kAccept / kReject / kVote messages since its last proposal.
//
// Parameters (defaults): temperature=1 (in rejecting votes; 0 = unanimity only); mutations=1.
#pragma once

#include <optional>

#include "parley/strategies/common/mediator.h"

namespace parley::strategies {

class SingleTextAnnealerStrategy : public MediatorStrategy {
 public:
  SingleTextAnnealerStrategy(double temperature, int mutations)
      : temperature_(temperature), mutations_(mutations) {}
  // Probability of adopting a text `dissent` principals rejected, at relative time `time`.
  static double AdoptionProbability(int dissent, double temperature, double time);

 protected:
  std::optional<model::Outcome> Propose(const PartyView& view, const Request& request) override;
  std::optional<bool> Adopt(const PartyView& view, const Request& request) override;

 private:
  // Adoption of the last proposal by the votes seen; nullopt when nobody voted.
  std::optional<bool> DecideByVotes(double time);

  double temperature_;
  int mutations_;
  std::optional<model::Outcome> current_;
};

}  // namespace parley::strategies
