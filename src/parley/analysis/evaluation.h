// Evaluation of a text: what one outcome (a mediator's draft, a relayed text, a proposal, an
// agreement) is worth to each principal, and whether any of them could accept it.
//
// For each evaluated party: its utility, its reservation value (0 when none is stated) and whether
// the text meets it (within the zone of agreement's tolerance, 1e-12, zopa.h), and which of its
// own red lines the text crosses. Summaries list every red line crossed and every party left
// below its reservation value, so "can this text be agreed?" is one check. Given proposals (each
// party's latest offer, say), the gap from the text to each of them, issue by issue (gaps.h).
#pragma once

#include <string>
#include <vector>

#include "parley/analysis/gaps.h"
#include "parley/model/scenario.h"

namespace parley::analysis {

struct RedLineCrossing {
  std::size_t party_idx = 0;     // index into Scenario::parties
  std::size_t red_line_idx = 0;  // index into the party's red lines
  // The red line in words: its description, or its expression when it has none.
  std::string description;
};

struct PartyEvaluation {
  std::size_t party_idx = 0;
  double utility = 0;
  double reservation = 0;  // 0 when none is stated
  bool meets_reservation = true;
  std::vector<std::size_t> red_lines_crossed;  // indices into the party's red lines
};

struct Proposal {
  std::size_t party_idx = 0;  // who proposed it
  model::Outcome outcome;
};

struct ProposalGap {
  std::size_t party_idx = 0;  // the proposal's author
  Gaps gaps;                  // between the text and the proposal, over the evaluated parties
};

struct TextEvaluation {
  std::vector<PartyEvaluation> parties;  // in the order evaluated
  std::vector<RedLineCrossing> red_lines_crossed;
  std::vector<std::size_t> below_reservation;  // party indices
  std::vector<ProposalGap> gaps;               // one per proposal, in the order given

  // True when every evaluated party meets its reservation value and no red line is crossed.
  bool AcceptableToAll() const { return red_lines_crossed.empty() && below_reservation.empty(); }
};

// `parties`: indices into Scenario::parties, each with preferences (empty: every enabled principal
// with preferences). `text` and each proposal's outcome must be valid outcomes of the scenario.
TextEvaluation EvaluateText(const model::Scenario& scenario,
                            const std::vector<std::size_t>& parties, const model::Outcome& text,
                            const std::vector<Proposal>& proposals = {});

// A red line in words, as RedLineCrossing::description.
std::string RedLineInWords(const model::RedLine& red_line);

}  // namespace parley::analysis
