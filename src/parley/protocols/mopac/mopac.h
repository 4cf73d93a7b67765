// MOPAC: multiple offers, partial consensus. Subsets of the principals may close a deal.
//
// Follows GeniusWeb's MOPAC protocol (Multiple Offers Partial Consensus; geniusweb.protocol.
// session.mopac, with the LargestAgreement voting evaluator). Every principal has a power
// (GeniusWeb's `power` party parameter, default 1). Each round has three phases:
//   1. offers: every principal still negotiating may offer one outcome (kOffer), pass, or leave
//      (kEndNegotiation); offers go to every principal still negotiating.
//   2. voting: every principal votes on every distinct outcome offered this round (kVote with
//      accept; request.standing_offer is the outcome, standing_offer_from who offered it first).
//      Votes are collected from all before any is shown, then go to every principal still
//      negotiating. A vote's `value`, when given and at least 1, is the least total power the voter
//      requires of a deal on that outcome (GeniusWeb's Vote.minPower).
//   3. opt-in (opt_in=true): having seen all votes, each principal is asked again about every
//      outcome it did not vote for and may widen its votes (kVote with accept=true). Votes cannot
//      be withdrawn, as in GeniusWeb.
// Then the votes are evaluated. A coalition for an outcome is a set S of principals who voted for
// it with |S| >= min_votes (GeniusWeb: 2), min_power <= power(S), power(S) >= every member's own
// minimum, and power(S) <= max_power (when max_power > 0). For every outcome the coalition of
// largest power is found (ties: more members, then the earliest parties in scenario order); the
// outcome whose coalition has the largest power (ties: more members, then the earliest offered) is
// agreed by that coalition alone, and the session ends (LargestAgreement: stop after the first
// agreement). Otherwise the next round starts, while at least min_votes principals remain.
//
// Who sees what: all messages go to every principal still negotiating (in GeniusWeb every party
// receives all offers and all votes). Mediators and observers take no part.
//
// Parameters (defaults): powers="" (equal powers; e.g. "israel:2;hamas:1", unlisted principals 1,
// each from 1 to 1000); min_votes=2; min_power=0; max_power=0 (no maximum); opt_in=true;
// max_rounds=0 (0: the session's deadline; otherwise the smaller). Errors (kInvalidInput): a power
// for an unknown or non-principal party or outside 1-1000, min_votes below 2 or above the number
// of principals, negative bounds.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parley/protocols/protocol.h"

namespace parley::protocols {

struct MopacOptions {
  std::string powers;  // "id:power;id:power"; parsed against the scenario in Run
  std::int64_t min_votes = 2;
  std::int64_t min_power = 0;
  std::int64_t max_power = 0;
  bool opt_in = true;
  std::int64_t max_rounds = 0;
};

// One principal's vote on one outcome, as the evaluation sees it.
struct MopacVote {
  std::size_t party = 0;
  std::int64_t min_power = 0;  // the least total power this voter requires of the deal
};

// The coalition of largest power among `votes` (all for the same outcome) satisfying the bounds,
// or nullopt. `powers` is indexed by party. Exposed for tests.
std::optional<std::vector<std::size_t>> FindLargestCoalition(
    const std::vector<MopacVote>& votes, const std::map<std::size_t, std::int64_t>& powers,
    const MopacOptions& options);

class MopacProtocol final : public Protocol {
 public:
  explicit MopacProtocol(MopacOptions options) : options_(std::move(options)) {}
  static Result<MopacOptions> OptionsFromParameters(const Parameters& parameters);

  Status Prepare(SessionContext& context) override;
  Task<> Run(SessionContext& context) override;

 private:
  MopacOptions options_;
};

}  // namespace parley::protocols
