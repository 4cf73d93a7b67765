// Test-only: a small scenario and simple policies shared by the protocol tests.
//
// Scenario "bargain": ordered issues a (a0 < a1 < a2), b (b0 < b1 < b2), c (c0, c1) and d (d0,
// d1); alice wants a high, b low and c1, bob the opposite, carol the middle; alice and bob both
// prefer d1 (a joint gain). The midpoint (a1, b1, c0, d1) is worth more than 0.5 to alice and bob.
// Phases: first settles a, second settles b (c and d join the last phase). Mediators med1 and med2
// take part; med3 is disabled.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parley/io/scenario_io.h"
#include "parley/protocols/testing/fake_session.h"
#include "parley/session/session.h"
#include "parley/session/trace_json.h"
#include "parley/strategies/strategy.h"

namespace parley::protocols::testing {

inline constexpr char kBargainYaml[] = R"(parley: 1
name: bargain
phases:
  - {id: first, issues: [a]}
  - {id: second, issues: [b]}
issues:
  - {id: a, ordered: true, options: [a0, a1, a2]}
  - {id: b, ordered: true, options: [b0, b1, b2]}
  - {id: c, ordered: true, options: [c0, c1]}
  - {id: d, ordered: true, options: [d0, d1]}
parties:
  - id: alice
    preferences:
      weights: {a: 0.4, b: 0.4, c: 0.1, d: 0.1}
      values:
        a: {a0: 0, a1: 0.5, a2: 1}
        b: {b0: 1, b1: 0.7, b2: 0}
        c: {c0: 0, c1: 1}
        d: {d0: 0, d1: 1}
      reservation: 0.3
  - id: bob
    preferences:
      weights: {a: 0.4, b: 0.4, c: 0.1, d: 0.1}
      values:
        a: {a0: 1, a1: 0.6, a2: 0}
        b: {b0: 0, b1: 0.5, b2: 1}
        c: {c0: 1, c1: 0}
        d: {d0: 0, d1: 1}
      reservation: 0.3
  - id: carol
    enabled: false
    preferences:
      weights: {a: 0.5, b: 0.5, c: 0, d: 0}
      values:
        a: {a0: 0, a1: 1, a2: 0}
        b: {b0: 0, b1: 1, b2: 0}
        c: {type: constant, value: 0}
        d: {type: constant, value: 0}
  - {id: med1, role: mediator}
  - {id: med2, role: mediator}
  - {id: med3, role: mediator, enabled: false}
)";

// The bargain scenario; `carol` enables the third principal, `mediators` keeps med1/med2 enabled.
inline model::Scenario Bargain(bool carol = false, bool mediators = true) {
  Result<model::Scenario> scenario = io::ReadParleyYaml(kBargainYaml, "bargain.yaml");
  PARLEY_CHECK(scenario.ok());
  for (model::Party& party : scenario->parties) {
    if (party.id == "carol") party.enabled = carol;
    if (party.role == model::Role::kMediator && !mediators) party.enabled = false;
  }
  return *scenario;
}

inline std::size_t PartyIndex(const model::Scenario& scenario, const std::string& id) {
  return *scenario.FindParty(id);
}

inline double UtilityOf(const PartyView& view, const model::Outcome& outcome) {
  return view.preferences()->utility->Evaluate(outcome);
}

inline bool Allows(const Request& request, ActionType type) {
  return std::find(request.allowed.begin(), request.allowed.end(), type) != request.allowed.end();
}

inline bool KeepsFixed(const Request& request, const model::Outcome& outcome) {
  for (std::size_t issue_idx = 0; issue_idx < request.fixed_issues.size(); ++issue_idx) {
    if (request.fixed_issues[issue_idx] && outcome[issue_idx] != request.fixed_outcome[issue_idx]) {
      return false;
    }
  }
  return true;
}

// The party's best outcome that keeps the request's fixed issues (ties: the first in index order).
inline model::Outcome BestOutcome(const PartyView& view, const Request& request) {
  std::optional<model::Outcome> best;
  double best_utility = -1;
  Status status = view.space().ForEach(100000, [&](const model::Outcome& outcome) {
    if (!KeepsFixed(request, outcome)) return;
    double utility = UtilityOf(view, outcome);
    if (utility > best_utility) {
      best_utility = utility;
      best = outcome;
    }
  });
  PARLEY_CHECK(status.ok() && best);
  return *best;
}

inline Action Make(ActionType type, std::optional<model::Outcome> outcome = std::nullopt) {
  Action action;
  action.type = type;
  action.outcome = std::move(outcome);
  return action;
}

// A principal that accepts (or votes for) any text worth at least `threshold` to it, proposes its
// best outcome when asked to offer, rejects otherwise, and passes when nothing else is allowed.
inline Policy AcceptAbove(double threshold) {
  return [threshold](const PartyView& view, const Request& request) {
    if (request.standing_offer) {
      const bool good = UtilityOf(view, *request.standing_offer) >= threshold;
      if (good && Allows(request, ActionType::kAccept)) return Make(ActionType::kAccept);
      if (Allows(request, ActionType::kVote)) {
        Action vote = Make(ActionType::kVote);
        vote.accept = good;
        return vote;
      }
    }
    if (Allows(request, ActionType::kOffer)) {
      return Make(ActionType::kOffer, BestOutcome(view, request));
    }
    if (Allows(request, ActionType::kReject)) return Make(ActionType::kReject);
    return Make(ActionType::kPass);
  };
}

// A principal that never accepts anything.
inline Policy AlwaysReject() {
  return [](const PartyView& view, const Request& request) {
    if (Allows(request, ActionType::kOffer)) {
      return Make(ActionType::kOffer, BestOutcome(view, request));
    }
    if (Allows(request, ActionType::kVote)) {
      Action vote = Make(ActionType::kVote);
      vote.accept = false;
      return vote;
    }
    if (Allows(request, ActionType::kReject)) return Make(ActionType::kReject);
    return Make(ActionType::kPass);
  };
}

// The latest outcome each other party offered or relayed to this party, in scenario order of the
// senders.
inline std::vector<model::Outcome> LatestOffers(const PartyView& view) {
  std::vector<std::optional<model::Outcome>> latest(view.parties().size());
  for (const Message& message : view.inbox()) {
    if (message.sender == view.self() || !message.outcome) continue;
    if (message.type == ActionType::kOffer || message.type == ActionType::kRelay) {
      latest[message.sender] = message.outcome;
    }
  }
  std::vector<model::Outcome> offers;
  for (const std::optional<model::Outcome>& offer : latest) {
    if (offer) offers.push_back(*offer);
  }
  return offers;
}

// A mediator that proposes, issue by issue, the midpoint (rounded down) of the latest offers it
// has heard (from principals, or relayed by co-mediators), keeping fixed issues; it passes before
// it has heard anything.
inline Policy MidpointMediator() {
  return [](const PartyView& view, const Request& request) {
    std::vector<model::Outcome> offers = LatestOffers(view);
    const bool can_offer = Allows(request, ActionType::kOffer);
    if (offers.empty() || !can_offer) {
      if (!can_offer && request.standing_offer && Allows(request, ActionType::kRelay)) {
        return Make(ActionType::kRelay, request.standing_offer);
      }
      return Make(ActionType::kPass);
    }
    model::Outcome text(offers.front().size());
    for (std::size_t issue_idx = 0; issue_idx < text.size(); ++issue_idx) {
      std::uint64_t sum = 0;
      for (const model::Outcome& offer : offers) sum += offer[issue_idx];
      text[issue_idx] = static_cast<model::OptionIndex>(sum / offers.size());
      if (issue_idx < request.fixed_issues.size() && request.fixed_issues[issue_idx]) {
        text[issue_idx] = request.fixed_outcome[issue_idx];
      }
    }
    return Make(ActionType::kOffer, text);
  };
}

// A policy that always passes (or gives the fallback when passing is not allowed).
inline Policy Silent() {
  return [](const PartyView&, const Request& request) { return Make(request.fallback); };
}

// A strategy playing a policy: lets the policies above run through RunSession.
class PolicyStrategy final : public strategies::Strategy {
 public:
  explicit PolicyStrategy(Policy policy) : policy_(std::move(policy)) {}
  Action Act(const PartyView& view, const Request& request) override {
    return policy_(view, request);
  }

 private:
  Policy policy_;
};

inline strategies::StrategyDescriptor DescribePolicy(std::string name,
                                                     std::vector<model::Role> roles,
                                                     std::function<Policy(const Parameters&)> make,
                                                     std::vector<ParameterSpec> parameters = {}) {
  strategies::StrategyDescriptor descriptor;
  descriptor.name = std::move(name);
  descriptor.summary = "protocol tests only";
  descriptor.roles = std::move(roles);
  descriptor.parameters = std::move(parameters);
  descriptor.create = [make](const Parameters& values) -> std::unique_ptr<strategies::Strategy> {
    return std::make_unique<PolicyStrategy>(make(values));
  };
  return descriptor;
}

// Registers the policies above as strategies (once; later calls do nothing):
// protocols_test_accept_above(threshold=0.5), protocols_test_always_reject,
// protocols_test_midpoint_mediator, protocols_test_silent (any role).
inline void RegisterTestStrategies() {
  auto& registry = strategies::StrategyRegistry::Global();
  const std::vector<model::Role> principal = {model::Role::kPrincipal};
  registry.Register(DescribePolicy(
      "protocols_test_accept_above", principal,
      [](const Parameters& values) { return AcceptAbove(values.GetDouble("threshold")); },
      {{"threshold", ParameterType::kDouble, "0.5", "accepts texts worth at least this"}}));
  registry.Register(DescribePolicy("protocols_test_always_reject", principal,
                                   [](const Parameters&) { return AlwaysReject(); }));
  registry.Register(DescribePolicy("protocols_test_midpoint_mediator", {model::Role::kMediator},
                                   [](const Parameters&) { return MidpointMediator(); }));
  registry.Register(DescribePolicy("protocols_test_silent",
                                   {model::Role::kPrincipal, model::Role::kMediator},
                                   [](const Parameters&) { return Silent(); }));
}

// What one RunSession call gave: the trace and every taking-part party's final view.
struct SessionRun {
  Result<session::Trace> trace = Status(ErrorCode::kInternal, "not run");
  std::map<std::size_t, std::vector<Message>> inboxes;
};

// Runs `protocol` on `scenario` with strategies by party id.
// `reference`: the scenario's reference points when already computed (they cost the most).
inline SessionRun RunThroughSession(
    const model::Scenario& scenario, const std::string& protocol,
    const std::map<std::string, std::string>& strategies, int rounds, std::uint64_t seed = 1,
    std::shared_ptr<const session::ScenarioReference> reference = nullptr) {
  RegisterTestStrategies();
  session::SessionConfig config;
  config.reference = std::move(reference);
  config.protocol = protocol;
  for (const auto& [id, spec] : strategies) config.strategies[*scenario.FindParty(id)] = spec;
  config.rounds = rounds;
  config.seed = seed;
  SessionRun run;
  config.on_view = [&run](const PartyView& view) {
    run.inboxes[view.self()] = view.inbox().Kept();
  };
  run.trace = session::RunSession(scenario, config);
  return run;
}

// The trace as JSON bytes, without the wall time.
inline std::string TraceBytes(const model::Scenario& scenario, session::Trace trace) {
  trace.result.elapsed_ms = 0;
  return session::WriteTraceJson(scenario, trace);
}

// Checks that each party's inbox holds exactly the trace's messages addressed to it, in order;
// returns what differs (empty when nothing does).
inline std::string CompareInboxesWithTrace(const SessionRun& run) {
  std::string problems;
  for (const auto& [party, inbox] : run.inboxes) {
    std::vector<std::uint64_t> expected;
    for (const session::TraceEvent& event : run.trace->events) {
      const std::vector<std::size_t>& recipients = event.message.recipients;
      if (std::find(recipients.begin(), recipients.end(), party) != recipients.end()) {
        expected.push_back(event.message.sequence);
      }
    }
    std::vector<std::uint64_t> delivered;
    for (const Message& message : inbox) delivered.push_back(message.sequence);
    if (delivered != expected) problems += "party #" + std::to_string(party) + " ";
  }
  return problems;
}

}  // namespace parley::protocols::testing
