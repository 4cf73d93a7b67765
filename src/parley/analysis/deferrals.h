// Deferrals: which issues, left to a later phase, would leave a zone of agreement for an earlier
// one ("agree the exchange now, settle the end state in phase two"), which is how staged talks are
// in fact bridged when the whole package has no zone.
//
// Phases come from the scenario (Scenario::PhaseIssueGroups: issues in no phase join the last).
// For each phase k but the last, the texts settled now are the issues of phases 1..k; everything
// later is open. A principal judges such a partial text as the built-in principals do in phased
// talks (strategies/common/principal.h): on the settled issues, counting on its own best terms for
// the open ones, i.e. its utility is the best any completion allowed by its own red lines gives,
// and the text is unacceptable when no completion satisfies them. The zone for phase k is the set
// of partial texts every analysed principal then accepts, and no settled-only red line forbids.
// Such a zone means each side can accept the earlier phase while it still expects to win the open
// issues; it does not promise a zone for the later phase.
//
// When phases 1..k as planned leave a zone, it is reported with nothing deferred. Otherwise the
// minimal sets of their issues whose deferral opens one (no proper subset does) are searched by
// increasing size: all subsets when there are at most `max_exhaustive_issues` issues, else sets of
// one and two (`search_limited`). Each test is an exact zone check (zopa.h) on a reduced scenario
// over the settled issues whose utilities include the best completion (exact, from the additive
// tables; a red line tying settled and open issues makes the completion depend on the settled
// options it names, tabulated when they have at most `completion_limit` combinations).
// Non-additive utilities are not supported (`note` says so); phased scenarios are parley files.
#pragma once

#include <stop_token>
#include <string>
#include <vector>

#include "parley/analysis/zopa.h"

namespace parley::analysis {

struct Deferral {
  std::size_t phase_idx = 0;          // the earlier phase a zone is found for
  std::vector<std::size_t> settled;   // issues agreed now, in issue order
  std::vector<std::size_t> deferred;  // issues of phases 1..k moved later (empty: as planned)
  std::vector<std::size_t> open;      // every issue left for later, in issue order
  Zopa opened;                        // the zone over the settled issues (partial texts)
  std::string explanation;            // for people
};

struct DeferralReport {
  bool phased = false;  // the scenario has two phases or more
  std::vector<Deferral> deferrals;
  bool search_limited = false;
  std::string note;  // why nothing was computed, when so
};

struct DeferralOptions {
  std::size_t max_exhaustive_issues = 12;
  std::uint64_t completion_limit = 100'000;
  std::size_t max_listed = 10;  // per phase, the most opening first
  ZopaOptions zopa;
};

// `parties`: indices into Scenario::parties, each with preferences.
Result<DeferralReport> ComputeDeferrals(const model::Scenario& scenario,
                                        const std::vector<std::size_t>& parties,
                                        const DeferralOptions& options = {});

// The scenario a phase's partial texts are judged in: `settled` issues only (in the given
// order), one party per analysed party (in order) whose utility is its best completion and whose
// red lines are those on settled issues alone, plus one forbidding settled options no completion
// can satisfy. Errors: kUnsupported for non-additive utilities or completions beyond the limit.
Result<model::Scenario> PartialTextScenario(const model::Scenario& scenario,
                                            const std::vector<std::size_t>& parties,
                                            const std::vector<std::size_t>& settled,
                                            std::uint64_t completion_limit = 100'000);

}  // namespace parley::analysis
