#include "parley/analysis/evaluation.h"

namespace parley::analysis {
namespace {

constexpr double kReservationTolerance = 1e-12;  // as in the zone of agreement (zopa.h)

}  // namespace

std::string RedLineInWords(const model::RedLine& red_line) {
  if (!red_line.description.empty()) return red_line.description;
  return (red_line.kind == model::RedLine::Kind::kForbid ? "forbids " : "requires ") +
         red_line.text;
}

TextEvaluation EvaluateText(const model::Scenario& scenario,
                            const std::vector<std::size_t>& parties, const model::Outcome& text,
                            const std::vector<Proposal>& proposals) {
  const std::vector<std::size_t> evaluated =
      parties.empty() ? scenario.PrincipalIndices() : parties;
  TextEvaluation evaluation;
  for (std::size_t party_idx : evaluated) {
    const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
    PartyEvaluation party;
    party.party_idx = party_idx;
    party.utility = preferences.utility->Evaluate(text);
    party.reservation = preferences.ReservationOrZero();
    party.meets_reservation = party.utility >= party.reservation - kReservationTolerance;
    if (!party.meets_reservation) evaluation.below_reservation.push_back(party_idx);
    for (std::size_t line_idx = 0; line_idx < preferences.red_lines.size(); ++line_idx) {
      const model::RedLine& red_line = preferences.red_lines[line_idx];
      if (red_line.Allows(text)) continue;
      party.red_lines_crossed.push_back(line_idx);
      evaluation.red_lines_crossed.push_back(
          RedLineCrossing{party_idx, line_idx, RedLineInWords(red_line)});
    }
    evaluation.parties.push_back(std::move(party));
  }
  for (const Proposal& proposal : proposals) {
    evaluation.gaps.push_back(ProposalGap{
        proposal.party_idx, ComputeOfferGaps(scenario, evaluated, text, proposal.outcome)});
  }
  return evaluation;
}

}  // namespace parley::analysis
