// Sessions: one run of a protocol with one strategy per party on a scenario.
//
// Two ways to drive one: RunSession runs a session to its end at once (every party an engine: a
// strategy in the process); Session (below) runs it step by step, with some parties answered
// from outside (persons in a live room, or a test playing the strategies itself). Both drive the
// same protocol code (protocols/task.h) and give the same trace for the same answers.
//
// Deadlines are in rounds (default, reproducible) or in wall time. A session is deterministic:
// the same scenario, configuration and seed give a byte-identical trace on any machine (each
// party's strategy gets its own rng seeded from the session seed and its party index; the
// protocol gets another). The trace records every message with round, time, sender, recipients,
// and the utility of its outcome for every party (for the analyst only); the result adds the
// agreement, utilities, welfare, distances to the Pareto frontier and Nash / Kalai-Smorodinsky
// points, the per-issue gap between the principals' latest offers at each round, and who blocked.
#pragma once

#include <algorithm>
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
#include "parley/strategies/strategy.h"

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
  // Red lines leave no outcome the principals' red lines all allow, so `frontier` and the
  // solutions ignore red lines (reports must say distances are to that frontier).
  bool red_lines_ignored = false;
};

// Never enumerates more than a few million outcomes and never runs the approximate search.
std::shared_ptr<const ScenarioReference> ComputeScenarioReference(const model::Scenario& scenario,
                                                                  std::stop_token stop = {});

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

// An ask: who is asked, and with which request (Session::Awaiting lists those open for persons).
struct PendingAsk {
  protocols::AskId ask = 0;
  std::size_t party = 0;
  protocols::Request request;
};

// A person's answer as the session took it in: what restart recovery feeds back (RebuildSession).
struct RecordedAnswer {
  protocols::AskId ask = 0;
  std::size_t party = 0;
  protocols::Action action;
  bool record_illegal = false;  // submitted with IllegalAnswer::kRecord
};

struct Trace;

struct SessionConfig {
  std::string protocol = "alternating_offers";  // spec, e.g. "single_text(max_rounds=50)"
  // Strategy spec per party index (principals and mediators that take part). Parties without an
  // entry get the protocol's default for their role: "time_based" principals,
  // "split_the_difference" mediators.
  std::map<std::size_t, std::string> strategies;
  // Where strategy specs are looked up; null: StrategyRegistry::Global(). A caller with
  // strategies of its own (the Python package's, written in Python) passes a copy of the global
  // registry with them added; it must outlive the session.
  const strategies::StrategyRegistry* strategy_registry = nullptr;
  int rounds = 200;
  std::optional<double> time_limit_seconds;  // wall-time deadline instead of rounds
  std::uint64_t seed = 1;
  bool use_discount = true;  // apply each party's discount per round to its final utility
  std::stop_token stop;
  // Precomputed reference points (ComputeScenarioReference); computed by the session when null.
  std::shared_ptr<const ScenarioReference> reference;
  // Called at the end of the session with each taking part party's view, in scenario order (for
  // tests): exactly what that party was shown (all of it only with keep_inboxes).
  std::function<void(const protocols::PartyView& view)> on_view;

  // Parties answered from outside through Session::Submit (persons), with the label the trace
  // records as their strategy (e.g. "person"). Not allowed with RunSession.
  std::map<std::size_t, std::string> persons;

  // Streaming, so that memory need not grow with rounds. When the session starts (after its
  // configuration was checked, before anything is posted), with the trace's head filled
  // (scenario name, canonical protocol and strategies, rounds, seed, parties):
  std::function<void(const Trace& head)> on_start;
  // Each message as it is posted, with its recipients (for per-party views) and the analyst-only
  // utilities:
  std::function<void(const TraceEvent& event)> on_event;
  // Each sample of the gap curve as it is taken (the full curve, whatever gap_points says):
  std::function<void(const GapSample& sample)> on_gap;
  // Each answer as the protocol takes it (a person's or an engine's, after validation: an
  // illegal one is already its fallback), with the request it answers, before the messages the
  // answer leads to are posted. A live room uses it to tie those messages to the person's answer.
  std::function<void(const PendingAsk& asked, const protocols::Action& action)> on_answer;
  bool keep_events = true;     // false: the trace's events stay empty (see on_event)
  std::size_t gap_points = 0;  // 0: the result's gap curve is complete; n: at most about n
                               // samples evenly spaced over the session, plus the last
  bool keep_inboxes = true;    // false: a view keeps the messages since its party's last turn
  bool track_gaps = true;      // false: no gap curve at all (a tournament records none)
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
                                // (downsampled when SessionConfig::gap_points is set)
  std::string end_reason;       // "agreement", "deadline", "ended by <party>", ...
  std::optional<std::size_t> blocked_by;
  std::vector<IllegalAction> illegal_actions;
  double elapsed_ms = 0;       // not part of the deterministic trace bytes
  std::uint64_t messages = 0;  // messages posted (also when the trace keeps no events)
};

// What a trace of a live room adds (docs/trace-format.md, "Live traces"): the seats persons
// held, every answer they gave in order, and how the room was closed if a person closed it, so
// that `parley replay` can rebuild the session (RebuildSession) and check each answer against the
// protocol's rules.
struct LiveRecord {
  std::string room;                     // the room's id
  std::vector<std::size_t> persons;     // party indices answered by persons, in scenario order
  std::vector<RecordedAnswer> answers;  // Session::Answers()
  std::optional<std::string> closed;    // Session::Close's reason, when the session was closed
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
  std::optional<LiveRecord> live;  // traces of live rooms only
  // False for a trace of a session still running: its file has no `result` (or `null`), and
  // `result` above is empty.
  bool finished = true;
};

// Messages posted in the session: the result's count, or the events' when a trace was read back.
inline std::uint64_t MessageCount(const Trace& trace) {
  return std::max<std::uint64_t>(trace.result.messages, trace.events.size());
}

// Errors: kInvalidInput for unknown protocol or strategy names, bad parameters, a strategy that
// cannot play a party's role, too few principals, or a protocol that needs a mediator without one.
Result<Trace> RunSession(const model::Scenario& scenario, const SessionConfig& config);

// The seed of a party's strategy rng in a session with `seed` (what an engine party gets; a
// driver playing a strategy for a person seat seeds it the same way to reproduce an engine).
std::uint64_t PartySeed(std::uint64_t seed, std::size_t party_idx);

// What Submit does with an answer the request does not allow.
enum class IllegalAnswer {
  kRefuse,  // a live caller: kInvalidInput saying what is wrong; nothing changes, ask again
  kRecord,  // as for engines: recorded as illegal and replaced by the request's fallback
};

// A session driven step by step. Start runs the protocol until it awaits a person (or ends):
// engine parties answer at once, inside Start and Submit. Awaiting() lists the asks open for
// persons; Submit answers one (in any order the caller likes: answers are taken in the
// protocol's order, and asks open together are independent, so the trace does not depend on
// the order of submission). Everything posted reaches SessionConfig::on_event as it happens.
// Deterministic for a seed: the same answers give the same trace, so RebuildSession restores a
// session after a restart by starting it again and submitting the recorded answers (an engine
// party's strategy state is rebuilt by being asked again). The scenario must outlive the
// session. Not thread-safe: one caller at a time (a live room holds its lock).
class Session {
 public:
  // Errors as RunSession's, and kInvalidInput for a person seat that does not take part.
  static Result<std::unique_ptr<Session>> Start(const model::Scenario& scenario,
                                                SessionConfig config);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The protocol has ended (agreement, failure, deadline or Close).
  bool Finished() const;
  // Asks open for persons, oldest first (empty once finished).
  std::vector<PendingAsk> Awaiting() const;
  // Answers open ask `ask` for `party`. Errors (kInvalidInput): no such ask open for that party,
  // an answer already given to it, or (kRefuse) an illegal answer, with the reason.
  Status Submit(protocols::AskId ask, std::size_t party, const protocols::Action& action,
                IllegalAnswer illegal = IllegalAnswer::kRefuse);
  // What Submit with IllegalAnswer::kRefuse would answer, without submitting: a live room checks
  // an answer before it commits it to its log.
  Status Check(protocols::AskId ask, std::size_t party, const protocols::Action& action) const;
  // What `party` may see now (its preferences, inbox and clock). `party` must take part.
  const protocols::PartyView& View(std::size_t party) const;
  // Persons' answers taken in so far, in the order they were submitted.
  const std::vector<RecordedAnswer>& Answers() const;
  // Ends the session without agreement now (a room closed by its chair); `reason` is the end
  // reason. Nothing happens once finished.
  void Close(const std::string& reason);
  // The trace and result; only once Finished() (kInvalidInput before, or when called twice).
  Result<Trace> Finish();

 private:
  class Impl;
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Starts a session and submits `answers` in order: restart recovery, and a check that a record of
// persons' answers fits the protocol's rules. Errors name the first answer that does not fit
// (kInvalidInput, field "answers[i]").
Result<std::unique_ptr<Session>> RebuildSession(const model::Scenario& scenario,
                                                SessionConfig config,
                                                const std::vector<RecordedAnswer>& answers);

}  // namespace parley::session
