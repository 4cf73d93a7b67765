// Sessions: one run of a protocol with one strategy per party on a scenario.
//
// Deadlines are in rounds (default, reproducible) or in wall time. A session is deterministic:
// the same scenario, configuration and seed give a byte-identical trace on any machine (each
// party's strategy gets its own rng seeded from the session seed and its party index; the
// protocol gets another). The trace records every message with round, time, sender, recipients,
// and the utility of its outcome for every party (for the analyst only); the result adds the
// agreement, utilities, welfare, distances to the Pareto frontier and Nash / Kalai-Smorodinsky
// points, the per-issue gap between the principals' latest offers at each round, and who blocked.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "parley/analysis/solutions.h"
#include "parley/model/scenario.h"
#include "parley/protocols/protocol.h"

namespace parley::session {

inline constexpr int kTraceFormatVersion = 1;

// The principals' Pareto frontier and bargaining solutions: the reference points a session's
// outcome is measured against. Computed once per scenario and shared by every session on it (a
// tournament runs thousands). `frontier` is absent when no exact frontier is affordable (then the
// result's distances are absent too) and `note` says why.
struct ScenarioReference {
  std::optional<analysis::ParetoFrontier> frontier;
  analysis::BargainingSolutions solutions;
  std::string note;
};

// Never enumerates more than a few million outcomes and never runs the approximate search.
std::shared_ptr<const ScenarioReference> ComputeScenarioReference(const model::Scenario& scenario,
                                                                  std::stop_token stop = {});

struct SessionConfig {
  std::string protocol = "alternating_offers";  // spec, e.g. "single_text(max_rounds=50)"
  // Strategy spec per party index (principals and mediators that take part). Parties without an
  // entry get the protocol's default for their role: "time_based" principals,
  // "split_the_difference" mediators.
  std::map<std::size_t, std::string> strategies;
  int rounds = 200;
  std::optional<double> time_limit_seconds;  // wall-time deadline instead of rounds
  std::uint64_t seed = 1;
  bool use_discount = true;  // apply each party's discount per round to its final utility
  std::stop_token stop;
  // Precomputed reference points (ComputeScenarioReference); computed by the session when null.
  std::shared_ptr<const ScenarioReference> reference;
  // Called at the end of the session with each taking part party's view, in scenario order (for
  // tests and `parley negotiate --views`): exactly what that party was shown.
  std::function<void(const protocols::PartyView& view)> on_view;
};

// A message as the trace records it: the message and the analyst-only utilities.
struct TraceEvent {
  protocols::Message message;
  std::vector<double>
      utilities;  // one per party with preferences (Scenario order); empty if no outcome
};

struct IllegalAction {
  int round = 0;
  std::size_t party = 0;
  std::string reason;
};

struct GapSample {
  int round = 0;
  std::vector<double> issue_gaps;  // one per issue, between the principals' latest offers
  double overall = 0;
};

struct SessionResult {
  bool agreement = false;
  std::optional<model::Outcome> outcome;
  std::vector<std::size_t> agreeing_parties;
  std::vector<std::size_t> scored_parties;  // parties with preferences, in scenario order
  std::vector<double> utilities;            // per scored party: agreement utility (discounted)
                                            // or its reservation value
  std::vector<double> raw_utilities;        // undiscounted
  int rounds = 0;
  double welfare = 0;
  std::optional<double> distance_to_pareto;
  std::optional<double> distance_to_nash;
  std::optional<double> distance_to_kalai_smorodinsky;
  std::vector<GapSample> gaps;  // the curve: one sample per round with offers from 2+ principals
  std::string end_reason;       // "agreement", "deadline", "ended by <party>", ...
  std::optional<std::size_t> blocked_by;
  std::vector<IllegalAction> illegal_actions;
  double elapsed_ms = 0;  // not part of the deterministic trace bytes
};

struct Trace {
  int version = kTraceFormatVersion;
  std::string scenario_name;
  // How to load the scenario again (replay): one path (a file or folder), or a domain file
  // followed by its profile files. Filled by the caller, who knows where the scenario came from.
  std::vector<std::string> scenario_files;
  std::string protocol;                           // canonical spec
  std::map<std::size_t, std::string> strategies;  // canonical specs, one per taking part party
  int rounds = 0;
  std::optional<double> time_limit_seconds;
  std::uint64_t seed = 0;
  bool use_discount = true;
  std::vector<protocols::PublicParty> parties;  // every scenario party; message parties index it
  std::vector<TraceEvent> events;
  SessionResult result;
};

// Errors: kInvalidInput for unknown protocol or strategy names, bad parameters, a strategy that
// cannot play a party's role, too few principals, or a protocol that needs a mediator without one.
Result<Trace> RunSession(const model::Scenario& scenario, const SessionConfig& config);

}  // namespace parley::session
