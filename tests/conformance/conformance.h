// Conformance suites every protocol and strategy goes through: each check runs sessions on small
// scenarios built here and returns a gtest AssertionResult saying what went wrong.
//
// - terminates: the session ends within its deadline, with a reason, and the trace is well formed
//   (consecutive sequence numbers, rounds and times that never go back, senders and recipients
//   that take part, outcomes inside the space, utilities that match the scenario);
// - rejects illegal actions: a strategy that only ever answers illegally has every answer recorded
//   as illegal in its name, nothing illegal reaches the trace, and the session still ends cleanly;
// - deterministic: two runs with one seed give byte-identical trace JSON;
// - views: each party's inbox holds exactly the messages whose recipients include it, in order and
//   unchanged; its preferences are its own (the scenario's object); nobody outside the session is
//   addressed; in protocols where principals talk only through mediators, no principal ever
//   receives a message from another principal;
// - round trip: trace JSON -> read -> JSON gives the same bytes;
// - drivers agree: the step-by-step driver (session::Session, every party a person seat whose
//   strategy this harness plays and submits, awaited parties answering in shuffled order; or
//   every other party an engine, with a restart from the recorded answers half way) gives the
//   same trace bytes as RunSession; views hold in both drivers.
//
// Test programs call RegisterConformanceStrategies() once (before using AllCases) to add the
// test-only strategies: `conformance_generic`, a plain, legal strategy for any role and protocol,
// and `conformance_illegal`, which never answers legally.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parley/model/scenario.h"
#include "parley/session/session.h"

namespace parley::conformance {

inline constexpr const char* kGenericStrategy = "conformance_generic";
inline constexpr const char* kIllegalStrategy = "conformance_illegal";

void RegisterConformanceStrategies();

// Four issues (discrete, integer, real grid, ordered discrete; 150 outcomes) in two phases;
// `principals` principals and `mediators` mediators with seeded random additive preferences,
// reservation values and discounts; plus a disabled mediator that must never be addressed.
// With `red_lines`, every principal gets one red line that leaves most outcomes open.
model::Scenario MakeScenario(int principals, int mediators, std::uint64_t seed,
                             bool red_lines = false);

// One protocol with one strategy under test, in one role, on one scenario shape.
struct Case {
  std::string protocol;
  std::string strategy;                        // the strategy under test
  model::Role role = model::Role::kPrincipal;  // the role it plays (every party of that role)
  int principals = 2;
  int mediators = 0;
  std::uint64_t seed = 1;

  // A gtest-safe name, e.g. "alternating_offers__time_based__principal__2p0m".
  std::string Name() const;
  model::Scenario Scenario() const;
  // The strategy under test for every party of its role; the session's defaults for the others.
  session::SessionConfig Config(int rounds = 40) const;
};

void PrintTo(const Case& test_case, std::ostream* out);

// Whether principals may hear only from mediators under `protocol` on a scenario with
// `mediators` mediators (the descriptor's `mediation` flag).
bool PrincipalsHearOnlyMediators(const std::string& protocol, int mediators);

// The step-by-step driver. Every party taking part is a person seat (its label the strategy's
// canonical spec) played by this harness: the strategy the immediate driver would use, seeded
// with session::PartySeed, answering through Session::Submit (illegal answers recorded, as for
// engines). Each step answers the oldest ask of an awaited party drawn with `order_seed`.
struct StepwiseOptions {
  std::uint64_t order_seed = 1;
  bool mixed = false;  // every other acting party (scenario order) an engine instead
  // Rebuild the session from its recorded answers after this many submissions, then go on.
  std::optional<std::size_t> restart_after;
};
Result<session::Trace> RunStepwise(const model::Scenario& scenario,
                                   const session::SessionConfig& config,
                                   const StepwiseOptions& options);

// Every registered protocol x every registered strategy that fits a role the protocol uses
// (test-only strategies other than conformance_generic left out), with 2 principals and with 3;
// two mediators take part when the protocol needs one, the strategy plays one, and in every
// 3-principal case (where protocols that do not use mediators must leave them out).
std::vector<Case> AllCases(std::uint64_t seed = 1);

// Protocol x role cases for the illegal-action check: the illegal strategy plays every party of
// the role.
std::vector<Case> IllegalCases(std::uint64_t seed = 1);

// The checks. Each runs the session(s) itself.
::testing::AssertionResult Terminates(const model::Scenario& scenario,
                                      const session::SessionConfig& config);
::testing::AssertionResult RejectsIllegalActions(const model::Scenario& scenario,
                                                 const session::SessionConfig& config,
                                                 model::Role illegal_role);
::testing::AssertionResult IsDeterministic(const model::Scenario& scenario,
                                           const session::SessionConfig& config);
::testing::AssertionResult RespectsViews(const model::Scenario& scenario,
                                         session::SessionConfig config,
                                         bool principals_hear_only_mediators,
                                         bool stepwise = false);
// RunSession and RunStepwise give byte-identical traces.
::testing::AssertionResult DriversAgree(const model::Scenario& scenario,
                                        const session::SessionConfig& config,
                                        const StepwiseOptions& options);
::testing::AssertionResult TraceRoundTrips(const model::Scenario& scenario,
                                           const session::SessionConfig& config);
// No party in the session answered illegally.
::testing::AssertionResult ActsLegally(const model::Scenario& scenario,
                                       const session::SessionConfig& config);

// Base seed for "random" seeds: PARLEY_CONFORMANCE_SEED when set, else 1 (reproducible runs).
std::uint64_t BaseSeed();

}  // namespace parley::conformance
