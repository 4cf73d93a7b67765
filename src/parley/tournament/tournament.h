// A prepared tournament: the config with its scenarios loaded and checked, and the schedule of
// every session (scenarios x mediator strategies x strategy assignments x repetitions).
//
// Strategy assignments: with k principals and n strategies, every multiset of k strategies
// (combinations with repetition, so self-play is included) is assigned to the principals in
// scenario order and, with role swapping, in each of its k rotations (duplicates dropped). For two
// principals this is every ordered pair: n^2 assignments with role swapping, n(n+1)/2 without.
//
// Every session has a stable key, a hash of (scenario path, mediator strategy, strategy per
// principal, repetition), and a seed derived from the config seed and that key, never from its
// position in the schedule: results do not depend on the number of threads or MPI ranks, on the
// order sessions run in, or on which sessions were already done when a run resumed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

#include "parley/base/status.h"
#include "parley/model/scenario.h"
#include "parley/session/session.h"
#include "parley/tournament/config.h"
#include "parley/tournament/results.h"

namespace parley::tournament {

struct TournamentScenario {
  std::string path;  // its id: the config entry, plus the sub-path inside a folder entry
  io::ScenarioSource source;
  model::Scenario scenario;
  std::vector<std::size_t> principals;  // enabled principals, scenario order
  std::vector<std::size_t> mediators;   // enabled mediators
};

struct ScheduledSession {
  std::uint64_t key = 0;
  std::uint64_t seed = 0;
  std::uint32_t scenario_idx = 0;
  std::int32_t mediator_idx = -1;    // into config().mediators; -1: the protocol's default
  std::uint32_t assignment_idx = 0;  // into Assignments(number of principals)
  std::int32_t repetition = 1;       // 1 .. repetitions
};

// Every strategy assignment for `num_principals` principals and `num_strategies` strategies
// (indices into the strategy list, one per principal), in schedule order. Errors when there would
// be more than `limit`.
Result<std::vector<std::vector<std::uint32_t>>> StrategyAssignments(std::size_t num_principals,
                                                                    std::size_t num_strategies,
                                                                    bool role_swapping,
                                                                    std::size_t limit);

// 64-bit FNV-1a followed by splitmix64: a fixed hash, the same on every platform and run.
std::uint64_t StableHash(std::string_view text);
// Derives a session's seed from the config seed and the session key.
std::uint64_t SessionSeed(std::uint64_t config_seed, std::uint64_t key);
std::string Hex16(std::uint64_t value);

class Tournament {
 public:
  // Loads every scenario (folders that are not one scenario stand for the scenarios inside),
  // checks the protocol can run on each, and builds the schedule. Errors name the config line.
  static Result<std::unique_ptr<Tournament>> Prepare(TournamentConfig config);

  const TournamentConfig& config() const { return config_; }
  const std::vector<TournamentScenario>& scenarios() const { return scenarios_; }
  const std::vector<ScheduledSession>& sessions() const { return sessions_; }
  // The widest scenario's number of principals: the party column blocks in the results.
  std::size_t max_principals() const { return max_principals_; }
  // 16 hex digits identifying everything that decides the sessions' results (docs/tournament.md).
  const std::string& fingerprint() const { return fingerprint_; }
  const std::vector<std::uint32_t>& Assignment(const ScheduledSession& session) const;
  // The schedule index of a session key (16 hex digits), if it belongs to this tournament.
  std::optional<std::size_t> FindSession(const std::string& key) const;

  // Runs session `index` (thread-safe; the scenario's reference points are computed once, on
  // first use). kCancelled when `stop` is requested before it ends.
  Result<SessionRecord> RunSession(std::size_t index, std::stop_token stop = {}) const;

 private:
  Tournament() = default;
  // Prepare(), step by step.
  Status LoadScenarios();
  Result<std::size_t> PlanSessions();
  Status Schedule(std::size_t total);
  std::shared_ptr<const session::ScenarioReference> Reference(std::size_t scenario_idx) const;

  struct ReferenceSlot {
    std::once_flag once;
    std::shared_ptr<const session::ScenarioReference> reference;
  };

  TournamentConfig config_;
  std::vector<TournamentScenario> scenarios_;
  std::map<std::size_t, std::vector<std::vector<std::uint32_t>>> assignments_;
  std::vector<ScheduledSession> sessions_;
  std::unordered_map<std::uint64_t, std::size_t> index_by_key_;
  std::size_t max_principals_ = 0;
  std::string fingerprint_;
  std::vector<std::unique_ptr<ReferenceSlot>> references_;
};

}  // namespace parley::tournament
