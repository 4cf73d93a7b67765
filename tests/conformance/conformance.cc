#include "conformance.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>

#include "parley/model/red_line.h"
#include "parley/model/utility.h"
#include "parley/model/validate.h"
#include "parley/session/trace_json.h"
#include "parley/strategies/strategy.h"

namespace parley::conformance {
namespace {

using protocols::Action;
using protocols::ActionType;
using protocols::PartyView;
using protocols::Request;

constexpr ActionType kAllTypes[] = {
    ActionType::kOffer,          ActionType::kAccept,  ActionType::kReject,
    ActionType::kEndNegotiation, ActionType::kVote,    ActionType::kRelay,
    ActionType::kFeedback,       ActionType::kConfide, ActionType::kPass};

bool Allowed(const Request& request, ActionType type) {
  return std::find(request.allowed.begin(), request.allowed.end(), type) != request.allowed.end();
}

// ---------------------------------------------------------------- conformance_generic

// A plain strategy that answers every request legally: it concedes linearly from its best outcome
// towards its reservation value, accepts (or votes for) a standing offer worth its target, offers
// the outcome nearest above the target that keeps the settled issues, relays the standing text,
// and gives feedback relative to its target. Parties without preferences work from the standing
// offer or a random outcome.
class Generic : public strategies::Strategy {
 public:
  void Initialize(const PartyView& view, std::mt19937_64& rng) override {
    rng_ = &rng;
    Status status = view.space().ForEach(
        100'000, [&](const model::Outcome& outcome) { ranked_.push_back(outcome); });
    PARLEY_CHECK(status.ok());
    if (view.preferences() != nullptr) {
      std::stable_sort(ranked_.begin(), ranked_.end(), [&](const auto& a, const auto& b) {
        return Utility(view, a) > Utility(view, b);
      });
    }
  }

  Action Act(const PartyView& view, const Request& request) override {
    double target = Target(view);
    std::optional<double> standing;
    if (request.standing_offer && view.preferences() != nullptr) {
      standing = Utility(view, *request.standing_offer);
    }
    bool good = standing && *standing >= target;
    Action action;
    if (good && Allowed(request, ActionType::kAccept)) {
      action.type = ActionType::kAccept;
    } else if (Allowed(request, ActionType::kVote)) {
      action.type = ActionType::kVote;
      action.accept = good || (request.standing_offer && view.preferences() == nullptr);
    } else if (Allowed(request, ActionType::kOffer)) {
      action.type = ActionType::kOffer;
      action.outcome = Choose(view, request, target);
    } else if (Allowed(request, ActionType::kRelay) && request.standing_offer) {
      action.type = ActionType::kRelay;
      action.outcome = request.standing_offer;
    } else if (Allowed(request, ActionType::kFeedback)) {
      action.type = ActionType::kFeedback;
      action.value = standing ? *standing - target : 0.0;
    } else if (Allowed(request, ActionType::kReject)) {
      action.type = ActionType::kReject;
    } else if (Allowed(request, ActionType::kPass)) {
      action.type = ActionType::kPass;
    } else if (Allowed(request, ActionType::kConfide)) {
      action.type = ActionType::kConfide;
      action.value = target;
    } else if (Allowed(request, ActionType::kAccept)) {
      action.type = ActionType::kAccept;
    } else if (!request.allowed.empty()) {
      action.type = request.allowed.front();
      if (action.type == ActionType::kRelay) action.outcome = Choose(view, request, target);
    }
    return action;
  }

 private:
  static double Utility(const PartyView& view, const model::Outcome& outcome) {
    return view.preferences()->utility->Evaluate(outcome);
  }

  double Target(const PartyView& view) const {
    if (view.preferences() == nullptr) return 0;
    double best = Utility(view, ranked_.front());
    double floor = std::min(best, view.preferences()->ReservationOrZero());
    return best - (best - floor) * view.clock().relative_time;
  }

  bool KeepsFixed(const Request& request, const model::Outcome& outcome) const {
    for (std::size_t issue_idx = 0; issue_idx < request.fixed_issues.size(); ++issue_idx) {
      if (request.fixed_issues[issue_idx] &&
          outcome[issue_idx] != request.fixed_outcome[issue_idx]) {
        return false;
      }
    }
    return true;
  }

  model::Outcome Choose(const PartyView& view, const Request& request, double target) {
    if (view.preferences() == nullptr) {
      if (request.standing_offer) return *request.standing_offer;
      const model::Outcome& pick = ranked_[(*rng_)() % ranked_.size()];
      return Fix(request, pick);
    }
    const model::Outcome* choice = nullptr;
    for (const model::Outcome& outcome : ranked_) {
      if (!KeepsFixed(request, outcome)) continue;
      if (choice != nullptr && Utility(view, outcome) < target) break;
      choice = &outcome;
    }
    return choice != nullptr ? *choice : Fix(request, ranked_.front());
  }

  static model::Outcome Fix(const Request& request, model::Outcome outcome) {
    for (std::size_t issue_idx = 0; issue_idx < request.fixed_issues.size(); ++issue_idx) {
      if (request.fixed_issues[issue_idx]) outcome[issue_idx] = request.fixed_outcome[issue_idx];
    }
    return outcome;
  }

  std::mt19937_64* rng_ = nullptr;
  std::vector<model::Outcome> ranked_;
};

// ---------------------------------------------------------------- conformance_illegal

// Never answers legally; cycles through the ways to break the rules.
class Illegal : public strategies::Strategy {
 public:
  Action Act(const PartyView& view, const Request& request) override {
    Action action;
    switch (calls_++ % 5) {
      case 0:  // a type the request does not allow
        for (ActionType type : kAllTypes) {
          if (!Allowed(request, type)) {
            action.type = type;
            break;
          }
        }
        // Every type allowed cannot happen for a well-defined request; still break a rule.
        if (Allowed(request, action.type)) action.outcome = OutsideSpace(view);
        return action;
      case 1:  // an outcome outside the space, on an allowed type
        action.type = request.allowed.empty() ? ActionType::kOffer : request.allowed.front();
        action.outcome = OutsideSpace(view);
        action.accept = true;
        action.value = 0;
        return action;
      case 2:  // an outcome of the wrong length
        action.type = Allowed(request, ActionType::kOffer) || request.allowed.empty()
                          ? ActionType::kOffer
                          : request.allowed.front();
        action.outcome = model::Outcome(view.space().NumIssues() + 1, 0);
        action.accept = true;
        action.value = 0;
        return action;
      case 3:  // addressing a party outside may_address
        action.type = request.allowed.empty() ? ActionType::kPass : request.allowed.front();
        if (action.type == ActionType::kOffer || action.type == ActionType::kRelay) {
          action.outcome = model::Outcome(view.space().NumIssues(), 0);
        }
        action.accept = true;
        action.value = 0;
        action.recipients = {view.parties().size() + 7};
        return action;
      default:  // a non-finite value
        action.type = request.allowed.empty() ? ActionType::kFeedback : request.allowed.front();
        if (action.type == ActionType::kOffer || action.type == ActionType::kRelay) {
          action.outcome = model::Outcome(view.space().NumIssues(), 0);
        }
        action.accept = true;
        action.value = std::nan("");
        return action;
    }
  }

 private:
  static model::Outcome OutsideSpace(const PartyView& view) {
    model::Outcome outcome(view.space().NumIssues(), 0);
    outcome.back() = static_cast<model::OptionIndex>(view.space().Cardinality(outcome.size() - 1));
    return outcome;
  }

  std::uint64_t calls_ = 0;
};

bool IsTestOnly(const std::string& name) {
  return name.rfind("conformance_", 0) == 0 && name != kGenericStrategy;
}

// Protocols that ask mediators to act: those that need one, and those that use one present.
bool UsesMediators(const protocols::ProtocolDescriptor& protocol) {
  return protocol.mediation != protocols::Mediation::kNone;
}

bool PlaysRole(const strategies::StrategyDescriptor& descriptor, model::Role role) {
  return std::find(descriptor.roles.begin(), descriptor.roles.end(), role) !=
         descriptor.roles.end();
}

std::uint64_t Mix(std::uint64_t value) {
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

// FNV-1a: a fixed string hash, so case seeds are the same on every platform.
std::uint64_t HashName(const std::string& text) {
  std::uint64_t hash = 0xCBF29CE484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001B3ULL;
  }
  return hash;
}

Result<session::Trace> RunImmediate(const model::Scenario& scenario,
                                    const session::SessionConfig& config) {
  return session::RunSession(scenario, config);
}

// A person seat as this harness plays it: the registered strategy, seeded as the engine would be.
struct Seat {
  std::unique_ptr<strategies::Strategy> strategy;
  std::mt19937_64 rng;
};

// Plays `seats` on `session` until it ends or `max_submissions` answers were given: each step
// picks an awaited party at random and answers its oldest ask. False when the session awaits
// nobody but has not ended, or refuses an answer.
::testing::AssertionResult Play(session::Session& session, std::map<std::size_t, Seat>& seats,
                                std::mt19937_64& order, std::size_t max_submissions,
                                std::size_t& submitted) {
  while (!session.Finished() && submitted < max_submissions) {
    std::vector<session::PendingAsk> pending = session.Awaiting();
    if (pending.empty()) {
      return ::testing::AssertionFailure() << "the session awaits nobody but has not ended";
    }
    std::vector<std::size_t> parties;
    for (const session::PendingAsk& ask : pending) {
      if (std::find(parties.begin(), parties.end(), ask.party) == parties.end()) {
        parties.push_back(ask.party);
      }
    }
    const std::size_t party = parties[order() % parties.size()];
    // A party's own asks oldest first: a strategy may depend on the order it is asked in.
    const session::PendingAsk& ask = *std::find_if(
        pending.begin(), pending.end(), [&](const auto& open) { return open.party == party; });
    Seat& seat = seats.at(party);
    Action action = seat.strategy->Act(session.View(party), ask.request);
    Status status = session.Submit(ask.ask, party, action, session::IllegalAnswer::kRecord);
    if (!status.ok()) {
      return ::testing::AssertionFailure()
             << "answer to ask " << ask.ask << " refused: " << status.ToString();
    }
    ++submitted;
  }
  return ::testing::AssertionSuccess();
}

// The step-by-step driver (see RunStepwise in conformance.h).
Result<session::Trace> RunStepwiseImpl(const model::Scenario& scenario,
                                       const session::SessionConfig& config,
                                       const StepwiseOptions& options, std::string* problem) {
  // Which strategy each party plays: as the immediate driver resolves them.
  session::SessionConfig probe = config;
  probe.rounds = 1;
  probe.on_view = nullptr;
  PARLEY_ASSIGN_OR_RETURN(session::Trace resolved, session::RunSession(scenario, probe));
  session::SessionConfig stepwise = config;
  stepwise.strategies.clear();
  std::map<std::size_t, Seat> seats;
  std::size_t position = 0;
  for (const auto& [party_idx, canonical] : resolved.strategies) {
    const bool engine = options.mixed && position++ % 2 == 1;
    if (engine) {
      stepwise.strategies[party_idx] = canonical;
      continue;
    }
    stepwise.persons[party_idx] = canonical;
    PARLEY_ASSIGN_OR_RETURN(auto strategy, strategies::StrategyRegistry::Global().Resolve(
                                               canonical, scenario.parties[party_idx].role));
    Seat seat;
    seat.strategy = strategy.descriptor->create(strategy.parameters);
    seat.rng.seed(session::PartySeed(config.seed, party_idx));
    seats.emplace(party_idx, std::move(seat));
  }
  session::SessionConfig first_config = stepwise;
  if (options.restart_after) first_config.on_view = nullptr;  // views come from the rebuilt one
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<session::Session> session,
                          session::Session::Start(scenario, first_config));
  for (auto& [party_idx, seat] : seats) {
    seat.strategy->Initialize(session->View(party_idx), seat.rng);
  }
  std::mt19937_64 order(Mix(options.order_seed));
  std::size_t submitted = 0;
  std::size_t limit = options.restart_after.value_or(std::numeric_limits<std::size_t>::max());
  ::testing::AssertionResult played = Play(*session, seats, order, limit, submitted);
  if (played && options.restart_after && !session->Finished()) {
    // Restart recovery: a new session from the recorded answers; the seats (persons) go on.
    std::vector<session::RecordedAnswer> answers = session->Answers();
    session.reset();
    PARLEY_ASSIGN_OR_RETURN(session, session::RebuildSession(scenario, stepwise, answers));
    played = Play(*session, seats, order, std::numeric_limits<std::size_t>::max(), submitted);
  }
  if (!played) {
    *problem = played.message();
    return Status(ErrorCode::kInternal, played.message());
  }
  return session->Finish();
}

enum class Driver { kImmediate, kStepwise };

Result<session::Trace> Run(const model::Scenario& scenario, const session::SessionConfig& config,
                           Driver driver = Driver::kImmediate) {
  if (driver == Driver::kImmediate) return RunImmediate(scenario, config);
  std::string problem;
  return RunStepwiseImpl(scenario, config, StepwiseOptions{}, &problem);
}

std::string Describe(const session::SessionConfig& config) {
  std::string out = config.protocol + " seed " + std::to_string(config.seed) + " strategies {";
  for (const auto& [party, spec] : config.strategies) {
    out += " " + std::to_string(party) + ":" + spec;
  }
  return out + " }";
}

std::string Bytes(const model::Scenario& scenario, session::Trace trace) {
  trace.result.elapsed_ms = 0;
  return session::WriteTraceJson(scenario, trace);
}

// Checks the structure of a finished trace (see "terminates" in conformance.h).
::testing::AssertionResult WellFormed(const model::Scenario& scenario,
                                      const session::SessionConfig& config,
                                      const session::Trace& trace) {
  auto fail = [&]() { return ::testing::AssertionFailure() << Describe(config) << ": "; };
  const session::SessionResult& result = trace.result;
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  std::set<std::size_t> taking_part;
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    if (scenario.parties[party_idx].enabled) taking_part.insert(party_idx);
  }
  if (result.end_reason.empty()) return fail() << "no end reason";
  if (result.rounds < 1 || result.rounds > config.rounds) {
    return fail() << "rounds " << result.rounds << " outside 1.." << config.rounds;
  }
  int last_round = 0;
  double last_time = 0;
  for (std::size_t event_idx = 0; event_idx < trace.events.size(); ++event_idx) {
    const protocols::Message& message = trace.events[event_idx].message;
    if (message.sequence != event_idx) return fail() << "sequence gap at event " << event_idx;
    if (message.round < last_round || message.round >= config.rounds) {
      return fail() << "event " << event_idx << " in round " << message.round;
    }
    if (message.time < last_time || message.time < 0 || message.time > 1) {
      return fail() << "event " << event_idx << " at time " << message.time;
    }
    last_round = message.round;
    last_time = message.time;
    if (!taking_part.count(message.sender)) {
      return fail() << "event " << event_idx << " sent by party " << message.sender
                    << ", which does not take part";
    }
    for (std::size_t recipient : message.recipients) {
      if (!taking_part.count(recipient)) {
        return fail() << "event " << event_idx << " addressed to party " << recipient
                      << ", which does not take part";
      }
    }
    if (message.outcome && !space.Contains(*message.outcome)) {
      return fail() << "event " << event_idx << " carries an outcome outside the space";
    }
    if (message.value && !std::isfinite(*message.value)) {
      return fail() << "event " << event_idx << " carries a non-finite value";
    }
  }
  if (result.agreement != result.outcome.has_value()) return fail() << "agreement without outcome";
  if (result.agreement) {
    if (!space.Contains(*result.outcome)) return fail() << "agreement outside the space";
    if (result.agreeing_parties.empty()) return fail() << "agreement without parties";
    for (std::size_t party : result.agreeing_parties) {
      if (!taking_part.count(party) || scenario.parties[party].role != model::Role::kPrincipal) {
        return fail() << "agreeing party " << party << " is not a principal taking part";
      }
    }
  }
  if (result.blocked_by && !taking_part.count(*result.blocked_by)) {
    return fail() << "blocked by party " << *result.blocked_by << ", which does not take part";
  }
  if (result.scored_parties != scenario.PartiesWithPreferences()) {
    return fail() << "scored parties differ from the parties with preferences";
  }
  for (std::size_t position = 0; position < result.scored_parties.size(); ++position) {
    const std::size_t party_idx = result.scored_parties[position];
    const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
    // Principals outside a partial coalition (MOPAC) keep their reservation value.
    bool bound = result.agreement &&
                 (scenario.parties[party_idx].role != model::Role::kPrincipal ||
                  std::find(result.agreeing_parties.begin(), result.agreeing_parties.end(),
                            party_idx) != result.agreeing_parties.end());
    double expected =
        bound ? preferences.utility->Evaluate(*result.outcome) : preferences.ReservationOrZero();
    if (result.raw_utilities[position] != expected) {
      return fail() << "raw utility of party " << result.scored_parties[position] << " is "
                    << result.raw_utilities[position] << ", expected " << expected;
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

void RegisterConformanceStrategies() {
  auto& registry = strategies::StrategyRegistry::Global();
  if (registry.Find(kGenericStrategy) == nullptr) {
    strategies::StrategyDescriptor generic;
    generic.name = kGenericStrategy;
    generic.summary = "test only: a plain legal answer to every request";
    generic.roles = {model::Role::kPrincipal, model::Role::kMediator};
    generic.create = [](const protocols::Parameters&) { return std::make_unique<Generic>(); };
    registry.Register(generic);
  }
  if (registry.Find(kIllegalStrategy) == nullptr) {
    strategies::StrategyDescriptor illegal;
    illegal.name = kIllegalStrategy;
    illegal.summary = "test only: never answers legally";
    illegal.roles = {model::Role::kPrincipal, model::Role::kMediator};
    illegal.create = [](const protocols::Parameters&) { return std::make_unique<Illegal>(); };
    registry.Register(illegal);
  }
}

model::Scenario MakeScenario(int principals, int mediators, std::uint64_t seed, bool red_lines) {
  std::mt19937_64 rng(Mix(seed));
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  model::Scenario scenario;
  scenario.name = "conformance";
  scenario.issues = {model::Issue::Discrete("colour", {"red", "green", "blue"}),
                     model::Issue::Integer("count", 1, 5), model::Issue::Real("share", 0, 1, 0.25),
                     model::Issue::Discrete("level", {"low", "high"}, true)};
  scenario.phases = {model::Phase{"first", "First", "", {0, 1}},
                     model::Phase{"second", "Second", "", {2, 3}}};
  scenario.issues[0].phase = "first";
  scenario.issues[1].phase = "first";
  scenario.issues[2].phase = "second";
  scenario.issues[3].phase = "second";
  auto make_party = [&](std::string id, model::Role role) {
    model::Party party;
    party.id = id;
    party.name = "Party " + id;
    party.role = role;
    std::vector<double> weights;
    std::vector<model::ValueFunction> values;
    double weight_sum = 0;
    for (const model::Issue& issue : scenario.issues) {
      weights.push_back(0.1 + uniform(rng));
      weight_sum += weights.back();
      model::ValueFunction value;
      for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
        value.table.push_back(uniform(rng));
      }
      values.push_back(value);
    }
    for (double& weight : weights) weight /= weight_sum;
    model::Preferences preferences;
    preferences.utility = std::make_shared<model::AdditiveUtility>(weights, values);
    preferences.reservation_value = 0.3 * uniform(rng);
    preferences.discount = 0.95 + 0.05 * uniform(rng);
    party.preferences = std::move(preferences);
    return party;
  };
  for (int principal = 0; principal < principals; ++principal) {
    scenario.parties.push_back(
        make_party("p" + std::to_string(principal), model::Role::kPrincipal));
    if (red_lines) {
      // Forbids one colour-level pair: most outcomes stay open.
      std::string text = "colour == " + scenario.issues[0].options[rng() % 3] +
                         " and level == " + scenario.issues[3].options[rng() % 2];
      Result<model::Expression> expression = model::ParseExpression(text, scenario.issues);
      PARLEY_CHECK(expression.ok());
      model::RedLine red_line;
      red_line.kind = model::RedLine::Kind::kForbid;
      red_line.text = text;
      red_line.expression = std::move(expression).value();
      scenario.parties.back().preferences->red_lines.push_back(std::move(red_line));
    }
  }
  for (int mediator = 0; mediator < mediators; ++mediator) {
    scenario.parties.push_back(make_party("m" + std::to_string(mediator), model::Role::kMediator));
  }
  scenario.parties.push_back(make_party("disabled", model::Role::kMediator));
  scenario.parties.back().enabled = false;
  Status valid = model::ValidateScenario(scenario);
  PARLEY_CHECK(valid.ok());
  return scenario;
}

void PrintTo(const Case& test_case, std::ostream* out) { *out << test_case.Name(); }

std::string Case::Name() const {
  std::string name = protocol + "__" + strategy + "__" + std::string(model::RoleName(role)) + "__" +
                     std::to_string(principals) + "p" + std::to_string(mediators) + "m";
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  return name;
}

model::Scenario Case::Scenario() const { return MakeScenario(principals, mediators, seed); }

session::SessionConfig Case::Config(int rounds) const {
  session::SessionConfig config;
  config.protocol = protocol;
  config.rounds = rounds;
  config.seed = seed;
  model::Scenario scenario = Scenario();
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    const model::Party& party = scenario.parties[party_idx];
    if (party.enabled && party.role == role) config.strategies[party_idx] = strategy;
  }
  return config;
}

bool PrincipalsHearOnlyMediators(const std::string& protocol, int mediators) {
  const protocols::ProtocolDescriptor* descriptor =
      protocols::ProtocolRegistry::Global().Find(protocol);
  return descriptor != nullptr && descriptor->PrincipalsHearOnlyMediators(mediators);
}

Result<session::Trace> RunStepwise(const model::Scenario& scenario,
                                   const session::SessionConfig& config,
                                   const StepwiseOptions& options) {
  std::string problem;
  return RunStepwiseImpl(scenario, config, options, &problem);
}

::testing::AssertionResult DriversAgree(const model::Scenario& scenario,
                                        const session::SessionConfig& config,
                                        const StepwiseOptions& options) {
  Result<session::Trace> immediate = RunImmediate(scenario, config);
  if (!immediate.ok()) {
    return ::testing::AssertionFailure()
           << Describe(config) << ": session failed: " << immediate.status().ToString();
  }
  Result<session::Trace> stepwise = RunStepwise(scenario, config, options);
  if (!stepwise.ok()) {
    return ::testing::AssertionFailure()
           << Describe(config) << ": step by step (" << (options.mixed ? "mixed" : "all persons")
           << "): " << stepwise.status().ToString();
  }
  // The seats' labels are the strategies' canonical specs, so the traces compare whole.
  std::string first_bytes = Bytes(scenario, *immediate);
  std::string second_bytes = Bytes(scenario, *stepwise);
  if (first_bytes == second_bytes) return ::testing::AssertionSuccess();
  std::size_t position = 0;
  while (position < first_bytes.size() && position < second_bytes.size() &&
         first_bytes[position] == second_bytes[position]) {
    ++position;
  }
  std::size_t start = first_bytes.rfind('\n', position);
  start = start == std::string::npos ? 0 : start + 1;
  return ::testing::AssertionFailure()
         << Describe(config) << ": the step-by-step driver ("
         << (options.mixed ? "mixed" : "all persons")
         << (options.restart_after ? ", restarted" : "") << ") differs at byte " << position
         << ":\n  immediate: "
         << first_bytes.substr(start, first_bytes.find('\n', position) - start) << "\n  stepwise:  "
         << second_bytes.substr(start, second_bytes.find('\n', position) - start);
}

std::vector<Case> AllCases(std::uint64_t seed) {
  std::vector<Case> cases;
  for (const auto* protocol : protocols::ProtocolRegistry::Global().All()) {
    for (const auto* strategy : strategies::StrategyRegistry::Global().All()) {
      if (IsTestOnly(strategy->name)) continue;
      for (model::Role role : {model::Role::kPrincipal, model::Role::kMediator}) {
        if (!PlaysRole(*strategy, role)) continue;
        if (role == model::Role::kMediator && !UsesMediators(*protocol)) continue;
        for (int principals : {2, 3}) {
          if (principals < protocol->min_principals || principals > protocol->max_principals) {
            continue;
          }
          // Mediators take part when the protocol needs one or the strategy plays one; the
          // 3-principal case has them anyway (protocols that do not use them must leave them
          // out of every message).
          bool with_mediators =
              protocol->needs_mediator() || role == model::Role::kMediator || principals == 3;
          Case test_case{protocol->name, strategy->name,         role,
                         principals,     with_mediators ? 2 : 0, 0};
          test_case.seed = Mix(seed ^ HashName(test_case.Name()));
          cases.push_back(test_case);
        }
      }
    }
  }
  return cases;
}

std::vector<Case> IllegalCases(std::uint64_t seed) {
  std::vector<Case> cases;
  for (const auto* protocol : protocols::ProtocolRegistry::Global().All()) {
    for (model::Role role : {model::Role::kPrincipal, model::Role::kMediator}) {
      if (role == model::Role::kMediator && !UsesMediators(*protocol)) continue;
      for (int principals : {2, 3}) {
        if (principals < protocol->min_principals || principals > protocol->max_principals) {
          continue;
        }
        // A mediator always takes part when it is the rule breaker or the protocol needs one.
        int mediators = role == model::Role::kMediator || protocol->needs_mediator() ? 2 : 0;
        Case test_case{protocol->name, kIllegalStrategy, role, principals, mediators, 0};
        test_case.seed = Mix(seed ^ HashName(test_case.Name()));
        cases.push_back(test_case);
      }
    }
  }
  return cases;
}

::testing::AssertionResult Terminates(const model::Scenario& scenario,
                                      const session::SessionConfig& config) {
  Result<session::Trace> trace = Run(scenario, config);
  if (!trace.ok()) {
    return ::testing::AssertionFailure()
           << Describe(config) << ": session failed: " << trace.status().ToString();
  }
  return WellFormed(scenario, config, *trace);
}

::testing::AssertionResult RejectsIllegalActions(const model::Scenario& scenario,
                                                 const session::SessionConfig& config,
                                                 model::Role illegal_role) {
  Result<session::Trace> trace = Run(scenario, config);
  if (!trace.ok()) {
    return ::testing::AssertionFailure()
           << Describe(config) << ": session failed: " << trace.status().ToString();
  }
  ::testing::AssertionResult well_formed = WellFormed(scenario, config, *trace);
  if (!well_formed) return well_formed;
  std::set<std::size_t> offenders;
  for (const auto& [party, spec] : config.strategies) {
    if (spec == kIllegalStrategy) offenders.insert(party);
  }
  const auto& illegal = trace->result.illegal_actions;
  if (illegal.empty()) {
    return ::testing::AssertionFailure()
           << Describe(config) << ": no illegal action recorded for the "
           << model::RoleName(illegal_role) << "s, which only answer illegally";
  }
  for (const session::IllegalAction& action : illegal) {
    if (!offenders.count(action.party)) {
      return ::testing::AssertionFailure()
             << Describe(config) << ": illegal action recorded for party " << action.party
             << ", which plays a legal strategy: " << action.reason;
    }
    if (action.reason.empty()) {
      return ::testing::AssertionFailure() << Describe(config) << ": illegal action without reason";
    }
  }
  // Nothing an offender says reaches the trace as it said it: its messages carry no outcome
  // outside the space (checked by WellFormed) and no recipients it chose outside the session.
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsDeterministic(const model::Scenario& scenario,
                                           const session::SessionConfig& config) {
  Result<session::Trace> first = Run(scenario, config);
  Result<session::Trace> second = Run(scenario, config);
  if (!first.ok() || !second.ok()) {
    return ::testing::AssertionFailure() << Describe(config) << ": session failed";
  }
  std::string first_bytes = Bytes(scenario, *first);
  std::string second_bytes = Bytes(scenario, *second);
  if (first_bytes == second_bytes) return ::testing::AssertionSuccess();
  std::size_t position = 0;
  while (position < first_bytes.size() && position < second_bytes.size() &&
         first_bytes[position] == second_bytes[position]) {
    ++position;
  }
  std::size_t start = first_bytes.rfind('\n', position);
  start = start == std::string::npos ? 0 : start + 1;
  return ::testing::AssertionFailure()
         << Describe(config) << ": two runs differ at byte " << position << ":\n  "
         << first_bytes.substr(start, first_bytes.find('\n', position) - start) << "\n  "
         << second_bytes.substr(start, second_bytes.find('\n', position) - start);
}

::testing::AssertionResult RespectsViews(const model::Scenario& scenario,
                                         session::SessionConfig config,
                                         bool principals_hear_only_mediators, bool stepwise) {
  struct Seen {
    const model::Preferences* preferences = nullptr;
    std::vector<protocols::Message> inbox;
    std::string protocol;
    std::size_t parties = 0;
  };
  std::map<std::size_t, Seen> views;
  config.on_view = [&](const PartyView& view) {
    Seen& seen = views[view.self()];
    seen.preferences = view.preferences();
    seen.inbox = view.inbox().Kept();
    seen.protocol = view.protocol();
    seen.parties = view.parties().size();
  };
  Result<session::Trace> trace =
      Run(scenario, config, stepwise ? Driver::kStepwise : Driver::kImmediate);
  if (!trace.ok()) {
    return ::testing::AssertionFailure()
           << Describe(config) << ": session failed: " << trace.status().ToString();
  }
  auto fail = [&]() { return ::testing::AssertionFailure() << Describe(config) << ": "; };
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    const model::Party& party = scenario.parties[party_idx];
    if (!party.enabled) {
      if (views.count(party_idx)) return fail() << "disabled party " << party.id << " has a view";
      continue;
    }
    if (!views.count(party_idx)) return fail() << party.id << " has no view";
    const Seen& seen = views[party_idx];
    const model::Preferences* own = party.preferences ? &*party.preferences : nullptr;
    if (seen.preferences != own) return fail() << party.id << " sees preferences not its own";
    if (seen.protocol != trace->protocol) return fail() << party.id << " sees another protocol";
    if (seen.parties != scenario.parties.size()) return fail() << party.id << " sees other parties";
    std::vector<const protocols::Message*> addressed;
    for (const session::TraceEvent& event : trace->events) {
      const auto& recipients = event.message.recipients;
      if (std::find(recipients.begin(), recipients.end(), party_idx) != recipients.end()) {
        addressed.push_back(&event.message);
      }
    }
    if (seen.inbox.size() != addressed.size()) {
      return fail() << party.id << " received " << seen.inbox.size() << " messages; "
                    << addressed.size() << " were addressed to it";
    }
    for (std::size_t message_idx = 0; message_idx < addressed.size(); ++message_idx) {
      const protocols::Message& got = seen.inbox[message_idx];
      const protocols::Message& sent = *addressed[message_idx];
      if (got.sequence != sent.sequence || got.sender != sent.sender ||
          got.recipients != sent.recipients || got.type != sent.type ||
          got.outcome != sent.outcome || got.accept != sent.accept || got.value != sent.value ||
          got.text != sent.text || got.round != sent.round) {
        return fail() << party.id << "'s message " << message_idx << " differs from message "
                      << sent.sequence << " of the trace";
      }
      if (principals_hear_only_mediators && party.role == model::Role::kPrincipal &&
          scenario.parties[got.sender].role == model::Role::kPrincipal) {
        return fail() << "principal " << party.id << " received message " << got.sequence
                      << " from principal " << scenario.parties[got.sender].id;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult TraceRoundTrips(const model::Scenario& scenario,
                                           const session::SessionConfig& config) {
  Result<session::Trace> trace = Run(scenario, config);
  if (!trace.ok()) {
    return ::testing::AssertionFailure()
           << Describe(config) << ": session failed: " << trace.status().ToString();
  }
  trace->scenario_files = {"conformance.yaml"};
  std::string written = session::WriteTraceJson(scenario, *trace);
  Result<session::Trace> read = session::ReadTraceJson(written, scenario, "trace.json");
  if (!read.ok()) {
    return ::testing::AssertionFailure()
           << Describe(config) << ": cannot read its own trace: " << read.status().ToString();
  }
  if (session::WriteTraceJson(scenario, *read) != written) {
    return ::testing::AssertionFailure() << Describe(config) << ": JSON -> read -> JSON differs";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult ActsLegally(const model::Scenario& scenario,
                                       const session::SessionConfig& config) {
  Result<session::Trace> trace = Run(scenario, config);
  if (!trace.ok()) {
    return ::testing::AssertionFailure()
           << Describe(config) << ": session failed: " << trace.status().ToString();
  }
  if (trace->result.illegal_actions.empty()) return ::testing::AssertionSuccess();
  const session::IllegalAction& first = trace->result.illegal_actions.front();
  return ::testing::AssertionFailure()
         << Describe(config) << ": " << trace->result.illegal_actions.size()
         << " illegal actions; the first by " << scenario.parties[first.party].id << " ("
         << trace->strategies[first.party] << ") in round " << first.round << ": " << first.reason;
}

std::uint64_t BaseSeed() {
  const char* text = std::getenv("PARLEY_CONFORMANCE_SEED");
  if (text == nullptr || *text == '\0') return 1;
  return std::strtoull(text, nullptr, 10);
}

}  // namespace parley::conformance
