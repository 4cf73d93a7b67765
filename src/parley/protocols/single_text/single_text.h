// Single negotiating text: a mediator drafts one text, the principals vote on it, the mediator
// amends it, until the deadline.
//
// Models the single-text procedure (Fisher's one-text approach, used at Camp David 1978) in the
// form Klein, Faratin, Sayama and Bar-Yam (2003, "Protocols for negotiating complex contracts")
// simulate it: a mediator proposes a text, each principal votes to accept or reject it against the
// text currently standing, an accepted amendment becomes the new standing text, and the mediator
// proposes the next amendment from there. With hill-climbing voters (accept only improvements) and
// a mediator that mutates the standing text this is Klein et al.'s hill climber; with annealing
// voters or an annealing mediator (who may adopt a text some principals rejected, with a
// probability falling over time) it is their simulated-annealing protocol. The mediator strategy
// (e.g. single_text_annealer) decides the amendments; the voters (hill_climber, annealer) decide
// the votes; this protocol only carries the messages and applies the adoption rule.
//
//   round r, drafting mediator m = mediators[r mod M]:
//   1. m proposes a text (kOffer with an outcome; request.standing_offer is the standing text,
//      absent until a first text is adopted). A pass leaves the round without a text.
//   2. the text goes to every principal and to the other mediators.
//   3. each principal votes (kAccept / kReject, or kVote with accept; `value` may grade the vote,
//      as in Klein et al.'s annealing mediator), to m only; kEndNegotiation ends the session.
//   4. adoption: adoption=unanimity adopts the text when every principal accepted it (Klein et
//      al.'s rule); adoption=mediator asks m (kAccept adopts, kReject discards, kPass applies
//      unanimity).
//   5. m announces the result to everyone who received the text: kAccept with the text when it
//      was adopted (it is now the standing text), kReject with the text when it was not.
//
// The agreement: by default (final_vote=false) Klein et al.'s rule: the last text every principal
// accepted is the agreement (each principal consented to it when it voted). With final_vote=true
// the last round is a ratification instead: the standing text goes to every principal once more
// (kOffer with the text "final text, for ratification"), and it is agreed only when all accept it.
// (A voter that accepts only strict improvements would reject it, so ratification is opt-in.)
// Without a text every principal accepted, the session fails at the deadline. Under a wall-time
// deadline there is no known last round, and Klein et al.'s rule applies.
//
// Who sees what: texts and announcements go to all principals and mediators; each vote goes only
// to the drafting mediator.
//
// Parameters (defaults): adoption=unanimity; final_vote=false; max_rounds=0 (0: the session's
// deadline; otherwise the smaller). Errors: kInvalidInput without an enabled mediator, with fewer
// than two principals, or with an unknown adoption rule.
#pragma once

#include <cstdint>
#include <string>

#include "parley/protocols/protocol.h"

namespace parley::protocols {

enum class TextAdoption { kUnanimity, kMediator };

struct SingleTextOptions {
  TextAdoption adoption = TextAdoption::kUnanimity;
  bool final_vote = false;
  std::int64_t max_rounds = 0;
};

class SingleTextProtocol final : public Protocol {
 public:
  explicit SingleTextProtocol(SingleTextOptions options) : options_(options) {}
  static Result<SingleTextOptions> OptionsFromParameters(const Parameters& parameters);

  Status Prepare(SessionContext& context) override;
  Task<> Run(SessionContext& context) override;

 private:
  SingleTextOptions options_;
};

}  // namespace parley::protocols
