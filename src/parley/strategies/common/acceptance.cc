#include "parley/strategies/common/acceptance.h"

namespace parley::strategies {

namespace {

constexpr AcceptanceRule kRules[] = {AcceptanceRule::kNext,        AcceptanceRule::kConst,
                                     AcceptanceRule::kTime,        AcceptanceRule::kCombi,
                                     AcceptanceRule::kNextOrConst, AcceptanceRule::kNextOrTime};

}  // namespace

std::string_view AcceptanceRuleName(AcceptanceRule rule) {
  switch (rule) {
    case AcceptanceRule::kNext:
      return "next";
    case AcceptanceRule::kConst:
      return "const";
    case AcceptanceRule::kTime:
      return "time";
    case AcceptanceRule::kCombi:
      return "combi";
    case AcceptanceRule::kNextOrConst:
      return "next_or_const";
    case AcceptanceRule::kNextOrTime:
      return "next_or_time";
  }
  return "next";
}

std::optional<AcceptanceRule> ParseAcceptanceRule(std::string_view text) {
  for (AcceptanceRule rule : kRules) {
    if (AcceptanceRuleName(rule) == text) return rule;
  }
  return std::nullopt;
}

std::vector<std::string> AcceptanceRuleNames() {
  std::vector<std::string> names;
  for (AcceptanceRule rule : kRules) names.emplace_back(AcceptanceRuleName(rule));
  return names;
}

bool Accepts(const AcceptanceCondition& condition, const AcceptanceInput& input) {
  const bool next = condition.alpha * input.offer_utility + condition.beta >= input.next_utility;
  const bool constant = input.offer_utility >= condition.constant;
  const bool late = input.time >= condition.time;
  switch (condition.rule) {
    case AcceptanceRule::kNext:
      return next;
    case AcceptanceRule::kConst:
      return constant;
    case AcceptanceRule::kTime:
      return late;
    case AcceptanceRule::kCombi:
      return next || (late && input.best_in_window.has_value() &&
                      input.offer_utility >= *input.best_in_window);
    case AcceptanceRule::kNextOrConst:
      return next || constant;
    case AcceptanceRule::kNextOrTime:
      return next || late;
  }
  return next;
}

}  // namespace parley::strategies
