#include "parley/analysis/obstacles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "parley/analysis/internal/minimal_sets.h"
#include "parley/analysis/solutions.h"

namespace parley::analysis {
namespace {

std::string PartyName(const model::Party& party) {
  return party.name.empty() ? party.id : party.name;
}

std::string Possessive(const std::string& name) { return name + "'s"; }

// In words: the red line's description when it has one (the expression, with its ids, is in the
// constraint's JSON), else what it forbids or requires.
std::string DescribeRedLine(const model::Party& party, const model::RedLine& red_line) {
  if (!red_line.description.empty()) {
    return fmt::format("{} red line '{}'", Possessive(PartyName(party)), red_line.description);
  }
  std::string verb = red_line.kind == model::RedLine::Kind::kForbid ? "forbids" : "requires";
  return fmt::format("{} red line ({} {})", Possessive(PartyName(party)), verb, red_line.text);
}

// A copy of the scenario with the given constraints relaxed: red lines removed, reservation
// values lowered to minus infinity.
model::Scenario Relax(const model::Scenario& scenario, const std::vector<Constraint>& constraints) {
  model::Scenario relaxed = scenario;
  // Remove red lines from the back so indices stay valid.
  std::vector<Constraint> sorted = constraints;
  std::sort(sorted.begin(), sorted.end(), [](const Constraint& a, const Constraint& b) {
    return std::tie(a.party_idx, a.red_line_idx) > std::tie(b.party_idx, b.red_line_idx);
  });
  for (const Constraint& constraint : sorted) {
    model::Preferences& preferences = *relaxed.parties[constraint.party_idx].preferences;
    if (constraint.kind == Constraint::Kind::kRedLine) {
      preferences.red_lines.erase(preferences.red_lines.begin() +
                                  static_cast<std::ptrdiff_t>(constraint.red_line_idx));
    } else {
      preferences.reservation_value = -std::numeric_limits<double>::infinity();
    }
  }
  return relaxed;
}

std::string JoinDescriptions(const std::vector<Constraint>& constraints, const char* joiner) {
  std::string out;
  for (std::size_t position = 0; position < constraints.size(); ++position) {
    if (position > 0) out += position + 1 == constraints.size() ? joiner : ", ";
    out += constraints[position].description;
  }
  return out;
}

std::string DescribeOpened(const Zopa& zopa) {
  if (zopa.exact) {
    return fmt::format("{} outcome{} ({:.3g}% of all outcomes)", zopa.count.ToDisplayString(),
                       zopa.count == BigCount(1) ? "" : "s", 100.0 * zopa.fraction);
  }
  return fmt::format("about {:.3g}% of all outcomes (sampled)", 100.0 * zopa.fraction);
}

// True when no outcome satisfies both red lines; checked on the issues they mention.
bool RedLinesExclude(const model::Scenario& scenario, const model::RedLine& a,
                     const model::RedLine& b) {
  std::vector<std::size_t> issues = a.expression.MentionedIssues();
  std::vector<std::size_t> more = b.expression.MentionedIssues();
  issues.insert(issues.end(), more.begin(), more.end());
  std::sort(issues.begin(), issues.end());
  issues.erase(std::unique(issues.begin(), issues.end()), issues.end());
  std::uint64_t combinations = 1;
  for (std::size_t issue_idx : issues) {
    combinations *= scenario.issues[issue_idx].NumOptions();
    if (combinations > 1'000'000) return false;  // too many to check: not reported
  }
  model::Outcome outcome(scenario.issues.size(), 0);
  for (std::uint64_t index = 0; index < combinations; ++index) {
    if (a.Allows(outcome) && b.Allows(outcome)) return false;
    for (std::size_t position = issues.size(); position-- > 0;) {
      std::size_t issue_idx = issues[position];
      if (++outcome[issue_idx] < scenario.issues[issue_idx].NumOptions()) break;
      outcome[issue_idx] = 0;
    }
  }
  return true;
}

// Nash point utilities of `scenario` with the given disagreement point (the original scenario's
// reservation values, so relaxing a red line is compared like for like). Empty when undefined.
Result<std::vector<double>> NashUtilities(const model::Scenario& scenario,
                                          const std::vector<std::size_t>& parties,
                                          const std::vector<double>& disagreement,
                                          const std::stop_token& stop) {
  ParetoOptions options;
  options.parties = parties;
  options.stop = stop;
  PARLEY_ASSIGN_OR_RETURN(ParetoFrontier frontier, ComputeParetoFrontier(scenario, options));
  BargainingSolutions solutions = ComputeBargainingSolutions(frontier, disagreement);
  if (!solutions.nash.defined) return std::vector<double>{};
  return solutions.nash.points.front().utilities;
}

// Pairs of red lines of different parties that exclude each other, whatever else happens.
std::vector<RedLineConflict> FindConflicts(const model::Scenario& scenario,
                                           const std::vector<Constraint>& constraints) {
  std::vector<RedLineConflict> conflicts;
  for (std::size_t a = 0; a < constraints.size(); ++a) {
    for (std::size_t b = a + 1; b < constraints.size(); ++b) {
      const Constraint& first = constraints[a];
      const Constraint& second = constraints[b];
      if (first.kind != Constraint::Kind::kRedLine || second.kind != Constraint::Kind::kRedLine ||
          first.party_idx == second.party_idx) {
        continue;
      }
      const auto& first_line =
          scenario.parties[first.party_idx].preferences->red_lines[first.red_line_idx];
      const auto& second_line =
          scenario.parties[second.party_idx].preferences->red_lines[second.red_line_idx];
      if (RedLinesExclude(scenario, first_line, second_line)) {
        conflicts.push_back(
            RedLineConflict{first, second,
                            fmt::format("{} and {} cannot both hold: no outcome satisfies both.",
                                        first.description, second.description)});
      }
    }
  }
  return conflicts;
}

// With a zone: the red lines whose relaxation would move the Nash point, and the summary. Only
// red lines can bind: the Nash point already requires every party to gain over its reservation
// value, so dropping a reservation as a constraint (with the same disagreement point) never
// moves it.
Status FindBindingAtNash(const model::Scenario& scenario,
                         const std::vector<Constraint>& constraints, const std::stop_token& stop,
                         ObstacleReport& report) {
  const std::vector<std::size_t>& parties = report.parties;
  std::vector<double> disagreement = ReservationValues(scenario, parties);
  PARLEY_ASSIGN_OR_RETURN(std::vector<double> nash,
                          NashUtilities(scenario, parties, disagreement, stop));
  for (const Constraint& constraint : constraints) {
    if (constraint.kind != Constraint::Kind::kRedLine) continue;
    PARLEY_ASSIGN_OR_RETURN(
        std::vector<double> relaxed_nash,
        NashUtilities(Relax(scenario, {constraint}), parties, disagreement, stop));
    bool moved = relaxed_nash.size() != nash.size();
    for (std::size_t position = 0; !moved && position < nash.size(); ++position) {
      moved = std::fabs(relaxed_nash[position] - nash[position]) > 1e-12;
    }
    if (moved) report.binding_at_nash.push_back(constraint);
  }
  report.summary =
      report.binding_at_nash.empty()
          ? "A zone of possible agreement exists, and no single red line shapes its Nash point."
          : "A zone of possible agreement exists. The Nash point would move if any of these were "
            "relaxed: " +
                JoinDescriptions(report.binding_at_nash, " and ") + ".";
  return Status::Ok();
}

// Without a zone: the minimal sets of constraints whose relaxation opens one, by increasing
// size (the largest zones first among sets of one size).
Status FindRelaxations(const model::Scenario& scenario, const std::vector<Constraint>& constraints,
                       const ObstacleOptions& options, ObstacleReport& report) {
  const std::vector<std::size_t>& parties = report.parties;
  const std::size_t n = constraints.size();
  std::size_t max_size = n;
  if (n > options.max_exhaustive_constraints) {
    max_size = 2;
    report.search_limited = true;
  }
  PARLEY_ASSIGN_OR_RETURN(
      std::vector<std::vector<std::size_t>> opening_sets,
      internal::FindMinimalSets(n, max_size, [&](const std::vector<std::size_t>& subset) {
        std::vector<Constraint> relaxed;
        for (std::size_t index : subset) relaxed.push_back(constraints[index]);
        return ZopaExists(Relax(scenario, relaxed), parties, options.zopa.stop);
      }));
  for (const auto& opening : opening_sets) {
    Relaxation relaxation;
    for (std::size_t index : opening) relaxation.constraints.push_back(constraints[index]);
    PARLEY_ASSIGN_OR_RETURN(relaxation.opened, ComputeZopa(Relax(scenario, relaxation.constraints),
                                                           parties, options.zopa));
    relaxation.explanation =
        fmt::format("Relaxing {} opens {}.", JoinDescriptions(relaxation.constraints, " and "),
                    DescribeOpened(relaxation.opened));
    report.relaxations.push_back(std::move(relaxation));
  }
  std::stable_sort(report.relaxations.begin(), report.relaxations.end(),
                   [](const Relaxation& a, const Relaxation& b) {
                     if (a.constraints.size() != b.constraints.size()) {
                       return a.constraints.size() < b.constraints.size();
                     }
                     return a.opened.fraction > b.opened.fraction;
                   });
  return Status::Ok();
}

std::string NoZoneSummary(const ObstacleReport& report) {
  std::string summary =
      "No outcome meets every party's red lines and reservation values: there is "
      "no zone of possible agreement.";
  for (const RedLineConflict& conflict : report.conflicts) summary += " " + conflict.explanation;
  if (report.relaxations.empty()) {
    summary += report.search_limited ? " No relaxation of one or two constraints opens it."
                                     : " Even relaxing every constraint does not open it.";
  } else {
    for (const Relaxation& relaxation : report.relaxations) summary += " " + relaxation.explanation;
  }
  return summary;
}

}  // namespace

std::vector<Constraint> ListConstraints(const model::Scenario& scenario,
                                        const std::vector<std::size_t>& parties) {
  std::vector<Constraint> constraints;
  for (std::size_t party_idx : parties) {
    const model::Party& party = scenario.parties[party_idx];
    const model::Preferences& preferences = *party.preferences;
    for (std::size_t line_idx = 0; line_idx < preferences.red_lines.size(); ++line_idx) {
      constraints.push_back(Constraint{Constraint::Kind::kRedLine, party_idx, line_idx,
                                       DescribeRedLine(party, preferences.red_lines[line_idx])});
    }
    constraints.push_back(
        Constraint{Constraint::Kind::kReservation, party_idx, 0,
                   fmt::format("{} reservation value ({:.4g})", Possessive(PartyName(party)),
                               preferences.ReservationOrZero())});
  }
  return constraints;
}

Result<ObstacleReport> AnalyzeObstacles(const model::Scenario& scenario,
                                        const std::vector<std::size_t>& parties,
                                        const ObstacleOptions& options) {
  ObstacleReport report;
  report.parties = parties;
  const std::vector<Constraint> constraints = ListConstraints(scenario, parties);
  report.conflicts = FindConflicts(scenario, constraints);
  PARLEY_ASSIGN_OR_RETURN(bool open, ZopaExists(scenario, parties, options.zopa.stop));
  report.zopa_empty = !open;
  if (!report.zopa_empty) {
    PARLEY_RETURN_IF_ERROR(FindBindingAtNash(scenario, constraints, options.zopa.stop, report));
    return report;
  }
  PARLEY_RETURN_IF_ERROR(FindRelaxations(scenario, constraints, options, report));
  report.summary = NoZoneSummary(report);
  return report;
}

}  // namespace parley::analysis
