#include "parley/analysis/deferrals.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>

#include "parley/analysis/internal/minimal_sets.h"
#include "parley/model/utility.h"

namespace parley::analysis {
namespace {

constexpr std::uint64_t kMaxCompletionWork = 20'000'000;  // combinations evaluated per party

// A settled-issue utility plus a best-completion term that depends on several settled issues
// (red lines tying them to open issues): base(x) + completion[index of x on `issues`].
class CompletionUtility final : public model::UtilityFunction {
 public:
  CompletionUtility(model::AdditiveUtility base, std::vector<std::size_t> issues,
                    std::vector<std::uint64_t> radices, std::vector<double> completion)
      : base_(std::move(base)),
        issues_(std::move(issues)),
        radices_(std::move(radices)),
        completion_(std::move(completion)) {}

  double Evaluate(const model::Outcome& outcome) const override {
    std::uint64_t index = 0;
    for (std::size_t position = 0; position < issues_.size(); ++position) {
      index = index * radices_[position] + outcome[issues_[position]];
    }
    return base_.Evaluate(outcome) + completion_[index];
  }
  std::string_view Kind() const override { return "best_completion"; }
  std::unique_ptr<model::UtilityFunction> Clone() const override {
    return std::make_unique<CompletionUtility>(*this);
  }

 private:
  model::AdditiveUtility base_;
  std::vector<std::size_t> issues_;  // settled issues (reduced indices), most significant first
  std::vector<std::uint64_t> radices_;
  std::vector<double> completion_;
};

// Advances `outcome` on `issues` as a mixed-radix counter (last issue fastest); false at the end.
bool Advance(const model::Scenario& scenario, const std::vector<std::size_t>& issues,
             model::Outcome& outcome) {
  for (std::size_t position = issues.size(); position-- > 0;) {
    std::size_t issue_idx = issues[position];
    if (++outcome[issue_idx] < scenario.issues[issue_idx].NumOptions()) return true;
    outcome[issue_idx] = 0;
  }
  return false;
}

std::optional<std::uint64_t> Combinations(const model::Scenario& scenario,
                                          const std::vector<std::size_t>& issues,
                                          std::uint64_t limit) {
  std::uint64_t product = 1;
  for (std::size_t issue_idx : issues) {
    std::uint64_t options = scenario.issues[issue_idx].NumOptions();
    if (options == 0) return 0;
    if (product > limit / options) return std::nullopt;
    product *= options;
  }
  return product;
}

void RemapIssues(model::Expression& expression, const std::vector<std::size_t>& reduced_index) {
  if (expression.kind == model::Expression::Kind::kAtom) {
    expression.issue_idx = reduced_index[expression.issue_idx];
  }
  for (model::Expression& child : expression.children) RemapIssues(child, reduced_index);
}

model::Expression Atom(std::size_t issue_idx, std::uint64_t num_options,
                       model::OptionIndex option) {
  model::Expression atom;
  atom.kind = model::Expression::Kind::kAtom;
  atom.issue_idx = issue_idx;
  atom.allowed.assign(num_options, false);
  atom.allowed[option] = true;
  return atom;
}

struct UnionFind {
  explicit UnionFind(std::size_t size) : parent(size) {
    std::iota(parent.begin(), parent.end(), std::size_t{0});
  }
  std::size_t Find(std::size_t item) {
    while (parent[item] != item) item = parent[item] = parent[parent[item]];
    return item;
  }
  void Join(std::size_t a, std::size_t b) { parent[Find(a)] = Find(b); }
  std::vector<std::size_t> parent;
};

std::string IssueNames(const model::Scenario& scenario, const std::vector<std::size_t>& issues) {
  std::string out;
  for (std::size_t position = 0; position < issues.size(); ++position) {
    if (position > 0) out += position + 1 == issues.size() ? " and " : ", ";
    out += scenario.issues[issues[position]].DisplayName();
  }
  return out;
}

std::string PhaseName(const model::Scenario& scenario, std::size_t phase_idx) {
  if (phase_idx >= scenario.phases.size()) return "phase " + std::to_string(phase_idx + 1);
  const model::Phase& phase = scenario.phases[phase_idx];
  return phase.label.empty() ? model::IdentifierInWords(phase.id) : phase.label;
}

std::string DescribeZone(const Zopa& zone) {
  std::string count =
      zone.exact ? zone.count.ToDisplayString() : "about " + zone.count.ToDisplayString();
  return fmt::format("{} partial text{} ({:.3g}% of them)", count,
                     zone.count == BigCount(1) ? "" : "s", 100.0 * zone.fraction);
}

std::vector<std::size_t> Without(const std::vector<std::size_t>& issues,
                                 const std::vector<std::size_t>& removed) {
  std::vector<std::size_t> out;
  for (std::size_t issue_idx : issues) {
    if (std::find(removed.begin(), removed.end(), issue_idx) == removed.end()) {
      out.push_back(issue_idx);
    }
  }
  return out;
}

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// Which issues are settled now (and their index in the reduced scenario) and which stay open.
struct Reduction {
  std::vector<std::size_t> reduced_index;  // per issue: its reduced index, kNone when open
  std::vector<std::size_t> open;

  bool IsSettled(std::size_t issue_idx) const { return reduced_index[issue_idx] != kNone; }
};

// A party's red lines on settled issues alone (kept, on reduced indices), the others (which
// constrain the completion of the open issues) and the settled issues those name (the tied
// issues, in issue order).
struct RedLineSplit {
  std::vector<model::RedLine> kept;
  std::vector<const model::RedLine*> completion_lines;
  std::vector<std::size_t> tied;
};

RedLineSplit SplitRedLines(const Reduction& reduction, const model::Preferences& preferences) {
  RedLineSplit split;
  for (const model::RedLine& red_line : preferences.red_lines) {
    std::vector<std::size_t> mentioned = red_line.expression.MentionedIssues();
    bool settled_only = std::all_of(mentioned.begin(), mentioned.end(),
                                    [&](std::size_t issue) { return reduction.IsSettled(issue); });
    if (settled_only) {
      model::RedLine kept = red_line;
      RemapIssues(kept.expression, reduction.reduced_index);
      split.kept.push_back(std::move(kept));
      continue;
    }
    split.completion_lines.push_back(&red_line);
    for (std::size_t issue_idx : mentioned) {
      if (reduction.IsSettled(issue_idx)) split.tied.push_back(issue_idx);
    }
  }
  std::sort(split.tied.begin(), split.tied.end());
  split.tied.erase(std::unique(split.tied.begin(), split.tied.end()), split.tied.end());
  return split;
}

// Open issues joined by completion red lines, searched together, with those red lines.
struct Component {
  std::vector<std::size_t> issues;
  std::vector<const model::RedLine*> red_lines;
};

// The open issues: the components, and the sum of the best contributions of the issues no
// completion red line names.
struct OpenIssues {
  std::vector<Component> groups;
  double free_best = 0;
};

double BestContribution(const model::Scenario& scenario, const model::AdditiveUtility& additive,
                        std::size_t issue_idx) {
  double best = -std::numeric_limits<double>::infinity();
  for (std::uint64_t option = 0; option < scenario.issues[issue_idx].NumOptions(); ++option) {
    best =
        std::max(best, additive.Contribution(issue_idx, static_cast<model::OptionIndex>(option)));
  }
  return best;
}

OpenIssues GroupOpenIssues(const model::Scenario& scenario, const Reduction& reduction,
                           const model::AdditiveUtility& additive,
                           const std::vector<const model::RedLine*>& completion_lines) {
  const std::size_t num_issues = scenario.issues.size();
  UnionFind components(num_issues);
  std::vector<bool> constrained(num_issues, false);
  for (const model::RedLine* red_line : completion_lines) {
    std::size_t first = kNone;
    for (std::size_t issue_idx : red_line->expression.MentionedIssues()) {
      if (reduction.IsSettled(issue_idx)) continue;
      constrained[issue_idx] = true;
      if (first == kNone) {
        first = issue_idx;
      } else {
        components.Join(first, issue_idx);
      }
    }
  }
  OpenIssues open;
  std::vector<std::size_t> group_of(num_issues, kNone);
  for (std::size_t issue_idx : reduction.open) {
    if (!constrained[issue_idx]) {
      open.free_best += BestContribution(scenario, additive, issue_idx);
      continue;
    }
    std::size_t root = components.Find(issue_idx);
    if (group_of[root] == kNone) {
      group_of[root] = open.groups.size();
      open.groups.emplace_back();
    }
    open.groups[group_of[root]].issues.push_back(issue_idx);
  }
  // Each completion red line goes with the component of the first open issue it names.
  for (const model::RedLine* red_line : completion_lines) {
    for (std::size_t issue_idx : red_line->expression.MentionedIssues()) {
      if (!reduction.IsSettled(issue_idx)) {
        open.groups[group_of[components.Find(issue_idx)]].red_lines.push_back(red_line);
        break;
      }
    }
  }
  return open;
}

// Errors: kUnsupported when the completion would evaluate too many combinations.
Status CheckCompletionWork(const model::Scenario& scenario, const model::Party& party,
                           const std::vector<std::size_t>& tied, const OpenIssues& open,
                           std::uint64_t completion_limit) {
  std::optional<std::uint64_t> tied_combinations = Combinations(scenario, tied, completion_limit);
  std::uint64_t work = 0;
  for (const Component& group : open.groups) {
    std::optional<std::uint64_t> combinations =
        Combinations(scenario, group.issues, completion_limit);
    if (!combinations) {
      return Status(ErrorCode::kUnsupported,
                    "deferrals: " + party.id + "'s red lines tie open issues with more than " +
                        std::to_string(completion_limit) + " option combinations");
    }
    work += *combinations;
  }
  if (!tied_combinations ||
      (*tied_combinations > 0 && work > kMaxCompletionWork / *tied_combinations)) {
    return Status(ErrorCode::kUnsupported,
                  "deferrals: " + party.id +
                      "'s red lines tie settled and open issues with too many combinations");
  }
  return Status();
}

// The best sum of contributions of a component's issues within its red lines, the rest of
// `outcome` (the tied settled issues) given; -infinity when no combination meets them.
double BestInComponent(const model::Scenario& scenario, const model::AdditiveUtility& additive,
                       const Component& group, model::Outcome& outcome) {
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t issue_idx : group.issues) outcome[issue_idx] = 0;
  do {
    bool allowed = std::all_of(group.red_lines.begin(), group.red_lines.end(),
                               [&](const model::RedLine* line) { return line->Allows(outcome); });
    if (!allowed) continue;
    double sum = 0;
    for (std::size_t issue_idx : group.issues) {
      sum += additive.Contribution(issue_idx, outcome[issue_idx]);
    }
    best = std::max(best, sum);
  } while (Advance(scenario, group.issues, outcome));
  return best;
}

// The best completion for each combination of the tied settled issues (mixed-radix order, last
// fastest; 0 where none is feasible), and whether one is feasible.
struct Completions {
  std::vector<double> best;
  std::vector<bool> feasible;
};

Completions BestCompletions(const model::Scenario& scenario, const model::AdditiveUtility& additive,
                            const std::vector<std::size_t>& tied, const OpenIssues& open) {
  Completions completions;
  model::Outcome outcome(scenario.issues.size(), 0);
  do {
    double total = open.free_best;
    bool any = true;
    for (const Component& group : open.groups) {
      double best = BestInComponent(scenario, additive, group, outcome);
      if (best == -std::numeric_limits<double>::infinity()) {
        any = false;
        break;
      }
      total += best;
    }
    completions.best.push_back(any ? total : 0.0);
    completions.feasible.push_back(any);
  } while (Advance(scenario, tied, outcome));
  return completions;
}

// The settled issues' utility plus the best completion: a constant without tied issues, folded
// into the table of a single tied issue, a CompletionUtility over several.
std::shared_ptr<const model::UtilityFunction> PartialUtility(
    const model::Scenario& scenario, const std::vector<std::size_t>& settled,
    const Reduction& reduction, const model::AdditiveUtility& additive,
    const std::vector<std::size_t>& tied, std::vector<double> completion) {
  std::vector<double> weights;
  std::vector<model::ValueFunction> values;
  for (std::size_t issue_idx : settled) {
    weights.push_back(additive.weights()[issue_idx]);
    values.push_back(additive.values()[issue_idx]);
  }
  if (tied.empty()) {
    return std::make_shared<model::AdditiveUtility>(std::move(weights), std::move(values),
                                                    additive.offset() + completion[0]);
  }
  if (tied.size() == 1) {
    // Folded into the tied issue's table: weight 1, values weight * value + completion.
    std::size_t position = reduction.reduced_index[tied[0]];
    model::ValueFunction folded;
    folded.form = model::ValueFunctionForm::kTable;
    for (std::size_t option = 0; option < completion.size(); ++option) {
      folded.table.push_back(weights[position] * values[position].table[option] +
                             completion[option]);
    }
    weights[position] = 1.0;
    values[position] = std::move(folded);
    return std::make_shared<model::AdditiveUtility>(std::move(weights), std::move(values),
                                                    additive.offset());
  }
  std::vector<std::size_t> tied_reduced;
  std::vector<std::uint64_t> radices;
  for (std::size_t issue_idx : tied) {
    tied_reduced.push_back(reduction.reduced_index[issue_idx]);
    radices.push_back(scenario.issues[issue_idx].NumOptions());
  }
  return std::make_shared<CompletionUtility>(
      model::AdditiveUtility(std::move(weights), std::move(values), additive.offset()),
      std::move(tied_reduced), std::move(radices), std::move(completion));
}

// The red line forbidding the combinations of tied settled issues that leave no completion
// within the party's red lines.
model::RedLine ForbidInfeasible(const model::Scenario& scenario, const Reduction& reduction,
                                const std::vector<model::Issue>& reduced_issues,
                                const std::vector<std::size_t>& tied,
                                const std::vector<bool>& feasible) {
  model::Expression forbidden;
  forbidden.kind = model::Expression::Kind::kOr;
  model::Outcome outcome(scenario.issues.size(), 0);
  std::size_t index = 0;
  do {
    if (!feasible[index++]) {
      model::Expression combination;
      combination.kind = model::Expression::Kind::kAnd;
      for (std::size_t issue_idx : tied) {
        combination.children.push_back(Atom(reduction.reduced_index[issue_idx],
                                            scenario.issues[issue_idx].NumOptions(),
                                            outcome[issue_idx]));
      }
      forbidden.children.push_back(std::move(combination));
    }
  } while (Advance(scenario, tied, outcome));
  model::RedLine red_line;
  red_line.kind = model::RedLine::Kind::kForbid;
  red_line.expression = std::move(forbidden);
  red_line.text = model::FormatExpression(red_line.expression, reduced_issues);
  red_line.description = "no completion of the open issues meets this party's red lines";
  return red_line;
}

// One party of the partial-text scenario. Errors: as PartialTextScenario.
Result<model::Party> PartialParty(const model::Scenario& scenario, const model::Party& party,
                                  const std::vector<std::size_t>& settled,
                                  const Reduction& reduction,
                                  const std::vector<model::Issue>& reduced_issues,
                                  std::uint64_t completion_limit) {
  const model::Preferences& preferences = *party.preferences;
  const auto* additive = dynamic_cast<const model::AdditiveUtility*>(preferences.utility.get());
  if (additive == nullptr) {
    return Status(ErrorCode::kUnsupported,
                  "deferrals need additive utilities; " + party.id + "'s is not");
  }
  model::Preferences partial;
  partial.reservation_value = preferences.reservation_value;
  partial.discount = preferences.discount;

  RedLineSplit split = SplitRedLines(reduction, preferences);
  partial.red_lines = std::move(split.kept);
  const std::vector<std::size_t>& tied = split.tied;
  const OpenIssues open = GroupOpenIssues(scenario, reduction, *additive, split.completion_lines);
  PARLEY_RETURN_IF_ERROR(CheckCompletionWork(scenario, party, tied, open, completion_limit));
  Completions completions = BestCompletions(scenario, *additive, tied, open);
  if (tied.empty() && !completions.feasible[0]) {
    // No completion meets the party's red lines: no partial text is acceptable to it.
    partial.reservation_value = std::numeric_limits<double>::infinity();
  }
  partial.utility =
      PartialUtility(scenario, settled, reduction, *additive, tied, std::move(completions.best));
  // Settled options that leave no completion within the party's red lines are forbidden.
  const std::vector<bool>& feasible = completions.feasible;
  if (!tied.empty() && std::find(feasible.begin(), feasible.end(), false) != feasible.end()) {
    partial.red_lines.push_back(
        ForbidInfeasible(scenario, reduction, reduced_issues, tied, feasible));
  }

  model::Party reduced_party;
  reduced_party.id = party.id;
  reduced_party.name = party.name;
  reduced_party.role = party.role;
  reduced_party.preferences = std::move(partial);
  return reduced_party;
}

// Zone checks on the settled issues of the search for deferrals: false, with `unsupported`
// set, once a reduced scenario is unsupported (the search then ends without further checks and
// the report says why).
struct ZoneCheck {
  const model::Scenario& scenario;
  const std::vector<std::size_t>& parties;
  const std::vector<std::size_t>& reduced_parties;
  const DeferralOptions& options;
  std::string unsupported;

  Result<bool> Opens(const std::vector<std::size_t>& settled) {
    if (!unsupported.empty()) return false;
    Result<model::Scenario> reduced =
        PartialTextScenario(scenario, parties, settled, options.completion_limit);
    if (!reduced.ok()) {
      if (reduced.status().code() != ErrorCode::kUnsupported) return reduced.status();
      unsupported = reduced.status().message();
      return false;
    }
    return ZopaExists(*reduced, reduced_parties, options.zopa.stop);
  }
};

// The deferral that settles `settled` in phase `phase_idx` (`deferred`: the planned issues
// moved later), with its zone and explanation.
Result<Deferral> MakeDeferral(const ZoneCheck& check, std::size_t phase_idx,
                              std::vector<std::size_t> settled, std::vector<std::size_t> deferred) {
  const model::Scenario& scenario = check.scenario;
  Deferral deferral;
  deferral.phase_idx = phase_idx;
  PARLEY_ASSIGN_OR_RETURN(
      model::Scenario reduced,
      PartialTextScenario(scenario, check.parties, settled, check.options.completion_limit));
  PARLEY_ASSIGN_OR_RETURN(deferral.opened,
                          ComputeZopa(reduced, check.reduced_parties, check.options.zopa));
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    if (std::find(settled.begin(), settled.end(), issue_idx) == settled.end()) {
      deferral.open.push_back(issue_idx);
    }
  }
  const std::string phase = PhaseName(scenario, phase_idx);
  const std::string counting =
      ": " + DescribeZone(deferral.opened) +
      " meet every principal's reservation value and red lines, each counting on its best "
      "terms for what is left open.";
  if (deferred.empty()) {
    deferral.explanation = "Agree " + phase + " now (" + IssueNames(scenario, settled) +
                           ") and settle " + IssueNames(scenario, deferral.open) + " later" +
                           counting;
  } else {
    deferral.explanation = "Settle " + IssueNames(scenario, deferred) +
                           " in a later phase and agree the rest of " + phase + " now (" +
                           IssueNames(scenario, settled) + ")" + counting;
  }
  deferral.settled = std::move(settled);
  deferral.deferred = std::move(deferred);
  return deferral;
}

// The minimal sets of `planned` issues whose deferral opens a zone for phase `phase_idx`, by
// increasing size (at least one issue stays settled), the fewest deferred and largest zones
// first.
Result<std::vector<Deferral>> MinimalDeferrals(ZoneCheck& check, std::size_t phase_idx,
                                               const std::vector<std::size_t>& planned,
                                               DeferralReport& report) {
  const DeferralOptions& options = check.options;
  const std::size_t n = planned.size();
  std::size_t max_size = n - 1;
  if (n > options.max_exhaustive_issues) {
    max_size = std::min<std::size_t>(2, max_size);
    report.search_limited = true;
  }
  auto deferred_of = [&](const std::vector<std::size_t>& positions) {
    std::vector<std::size_t> deferred;
    for (std::size_t position : positions) deferred.push_back(planned[position]);
    return deferred;
  };
  PARLEY_ASSIGN_OR_RETURN(
      std::vector<std::vector<std::size_t>> openers,  // positions into `planned`
      internal::FindMinimalSets(n, max_size, [&](const std::vector<std::size_t>& subset) {
        return check.Opens(Without(planned, deferred_of(subset)));
      }));
  std::vector<Deferral> found;
  if (!check.unsupported.empty()) return found;
  for (const auto& opener : openers) {
    std::vector<std::size_t> deferred = deferred_of(opener);
    PARLEY_ASSIGN_OR_RETURN(Deferral deferral,
                            MakeDeferral(check, phase_idx, Without(planned, deferred), deferred));
    found.push_back(std::move(deferral));
  }
  std::stable_sort(found.begin(), found.end(), [](const Deferral& a, const Deferral& b) {
    if (a.deferred.size() != b.deferred.size()) return a.deferred.size() < b.deferred.size();
    return a.opened.fraction > b.opened.fraction;
  });
  if (found.size() > options.max_listed) found.resize(options.max_listed);
  return found;
}

}  // namespace

Result<model::Scenario> PartialTextScenario(const model::Scenario& scenario,
                                            const std::vector<std::size_t>& parties,
                                            const std::vector<std::size_t>& settled,
                                            std::uint64_t completion_limit) {
  const std::size_t num_issues = scenario.issues.size();
  Reduction reduction;
  reduction.reduced_index.assign(num_issues, kNone);
  model::Scenario reduced;
  reduced.name = scenario.name;
  reduced.meta = scenario.meta;
  reduced.source_format = scenario.source_format;
  for (std::size_t issue_idx : settled) {
    reduction.reduced_index[issue_idx] = reduced.issues.size();
    reduced.issues.push_back(scenario.issues[issue_idx]);
    reduced.issues.back().phase.clear();
  }
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    if (!reduction.IsSettled(issue_idx)) reduction.open.push_back(issue_idx);
  }
  for (std::size_t party_idx : parties) {
    PARLEY_ASSIGN_OR_RETURN(model::Party party,
                            PartialParty(scenario, scenario.parties[party_idx], settled, reduction,
                                         reduced.issues, completion_limit));
    reduced.parties.push_back(std::move(party));
  }
  return reduced;
}

Result<DeferralReport> ComputeDeferrals(const model::Scenario& scenario,
                                        const std::vector<std::size_t>& parties,
                                        const DeferralOptions& options) {
  DeferralReport report;
  const std::vector<std::vector<std::size_t>> groups = scenario.PhaseIssueGroups();
  if (groups.size() < 2) return report;
  report.phased = true;
  std::vector<std::size_t> reduced_parties(parties.size());
  std::iota(reduced_parties.begin(), reduced_parties.end(), std::size_t{0});
  ZoneCheck check{scenario, parties, reduced_parties, options, {}};

  std::vector<std::size_t> planned;
  for (std::size_t phase_idx = 0; phase_idx + 1 < groups.size(); ++phase_idx) {
    planned.insert(planned.end(), groups[phase_idx].begin(), groups[phase_idx].end());
    std::sort(planned.begin(), planned.end());
    if (options.zopa.stop.stop_requested()) {
      return Status(ErrorCode::kCancelled, "deferrals cancelled");
    }
    PARLEY_ASSIGN_OR_RETURN(bool planned_opens, check.Opens(planned));
    if (!check.unsupported.empty()) break;
    if (planned_opens) {
      PARLEY_ASSIGN_OR_RETURN(Deferral deferral, MakeDeferral(check, phase_idx, planned, {}));
      report.deferrals.push_back(std::move(deferral));
      continue;
    }
    PARLEY_ASSIGN_OR_RETURN(std::vector<Deferral> found,
                            MinimalDeferrals(check, phase_idx, planned, report));
    if (!check.unsupported.empty()) break;
    for (Deferral& deferral : found) report.deferrals.push_back(std::move(deferral));
  }
  if (!check.unsupported.empty()) {
    report.deferrals.clear();
    report.note = check.unsupported;
  }
  return report;
}

}  // namespace parley::analysis
