// Acceptance conditions: when a party accepts the offer in front of it.
//
// The conditions of Baarslag, Hindriks & Jonker 2011 ("Acceptance conditions in automated
// negotiation"), with x the offer under consideration, u the party's own utility, x_next what the
// party would offer instead, t the relative time:
// - AC_next(alpha, beta): alpha * u(x) + beta >= u(x_next) (default alpha 1, beta 0);
// - AC_const(c): u(x) >= c;
// - AC_time(T): t >= T (accept anything once the deadline is near);
// - AC_combi(T, MAX^W): AC_next or (t >= T and u(x) >= the best utility among the offers received
//   in the window W = [t - (1 - t), t], a window as long as the time left; Baarslag et al.'s
//   best-performing combination);
// - next_or_const: AC_next or AC_const(c); next_or_time: AC_next or AC_time(T).
// Whatever the condition, strategies also require u(x) >= the reservation value and that the
// party's own red lines allow x; that check lives with the strategy, not here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::strategies {

enum class AcceptanceRule { kNext, kConst, kTime, kCombi, kNextOrConst, kNextOrTime };

// "next", "const", "time", "combi", "next_or_const", "next_or_time".
std::string_view AcceptanceRuleName(AcceptanceRule rule);
std::optional<AcceptanceRule> ParseAcceptanceRule(std::string_view text);
// Every name, in declaration order (for parameter choices).
std::vector<std::string> AcceptanceRuleNames();

struct AcceptanceCondition {
  AcceptanceRule rule = AcceptanceRule::kNext;
  double alpha = 1.0;     // AC_next
  double beta = 0.0;      // AC_next
  double constant = 0.9;  // AC_const
  double time = 0.98;     // AC_time, AC_combi
};

struct AcceptanceInput {
  double offer_utility = 0;  // u(x)
  double next_utility = 0;   // u(x_next)
  double time = 0;           // relative time in [0, 1]
  // Best utility among received offers in the AC_combi window; nullopt when none.
  std::optional<double> best_in_window;
};

bool Accepts(const AcceptanceCondition& condition, const AcceptanceInput& input);

}  // namespace parley::strategies
