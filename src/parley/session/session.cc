#include "parley/session/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "parley/analysis/gaps.h"
#include "parley/analysis/metrics.h"
#include "parley/analysis/pareto.h"
#include "parley/strategies/strategy.h"

namespace parley::session {
namespace {

using protocols::Action;
using protocols::ActionType;
using protocols::Message;
using protocols::PartyView;
using protocols::PublicParty;
using protocols::Request;

// Reference points are computed exactly or not at all: spaces beyond this many outcomes are never
// enumerated, and a merge that gives up on bigger spaces leaves the distances out.
constexpr std::uint64_t kReferenceEnumerationLimit = 2'000'000;
constexpr std::size_t kReferenceMaxFrontier = 200'000;

// splitmix64 (Steele, Lea and Flood 2014): a fixed bijective mixer, the same on every platform,
// so per-party seeds never depend on the standard library.
std::uint64_t SplitMix64(std::uint64_t value) {
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

// Stream 0 is the protocol; stream party_idx + 1 is that party's strategy.
std::uint64_t StreamSeed(std::uint64_t seed, std::uint64_t stream) {
  return SplitMix64(SplitMix64(seed) ^ SplitMix64(0xA5A5A5A5ULL + stream));
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "(none)" : out;
}

std::string AllowedList(const std::vector<ActionType>& allowed) {
  std::vector<std::string> names;
  for (ActionType type : allowed) names.emplace_back(protocols::ActionTypeName(type));
  return JoinNames(names);
}

struct ResolvedProtocol {
  const protocols::ProtocolDescriptor* descriptor = nullptr;
  protocols::Parameters parameters;
  std::string canonical;
};

Result<ResolvedProtocol> ResolveProtocol(const std::string& text) {
  Result<protocols::Spec> spec = protocols::ParseSpec(text);
  if (!spec.ok()) {
    Status status = spec.status();
    return Status(status.code(), "protocol: " + status.message(),
                  Location{"", 0, status.location().column, "protocol"});
  }
  ResolvedProtocol resolved;
  resolved.descriptor = protocols::ProtocolRegistry::Global().Find(spec->name);
  if (resolved.descriptor == nullptr) {
    std::vector<std::string> names;
    for (const auto* descriptor : protocols::ProtocolRegistry::Global().All()) {
      names.push_back(descriptor->name);
    }
    return InvalidInput("unknown protocol '" + spec->name + "'; protocols are: " + JoinNames(names),
                        Location::InField("protocol"));
  }
  PARLEY_ASSIGN_OR_RETURN(
      resolved.parameters,
      protocols::Parameters::Parse(spec->arguments, resolved.descriptor->parameters, spec->name));
  resolved.canonical = resolved.parameters.Canonical(spec->name);
  return resolved;
}

bool PlaysRole(const strategies::StrategyDescriptor& descriptor, model::Role role) {
  return std::find(descriptor.roles.begin(), descriptor.roles.end(), role) !=
         descriptor.roles.end();
}

// The spec a party gets when the configuration names none; empty when nothing fits its role.
std::string DefaultStrategy(model::Role role) {
  const auto& registry = strategies::StrategyRegistry::Global();
  const char* preferred = role == model::Role::kMediator ? "split_the_difference" : "time_based";
  const strategies::StrategyDescriptor* descriptor = registry.Find(preferred);
  if (descriptor != nullptr && PlaysRole(*descriptor, role)) return preferred;
  for (const auto* candidate : registry.All()) {
    if (PlaysRole(*candidate, role)) return candidate->name;
  }
  return "";
}

struct ResolvedStrategy {
  std::unique_ptr<strategies::Strategy> strategy;
  std::string canonical;
};

Result<ResolvedStrategy> ResolveStrategy(const std::string& text, const model::Party& party) {
  std::string field = "strategies." + party.id;
  Result<protocols::Spec> spec = protocols::ParseSpec(text);
  if (!spec.ok()) {
    Status status = spec.status();
    return Status(status.code(), "strategy for '" + party.id + "': " + status.message(),
                  Location{"", 0, status.location().column, field});
  }
  const auto& registry = strategies::StrategyRegistry::Global();
  const strategies::StrategyDescriptor* descriptor = registry.Find(spec->name);
  if (descriptor == nullptr) {
    std::vector<std::string> names;
    for (const auto* candidate : registry.All()) names.push_back(candidate->name);
    return InvalidInput(
        "unknown strategy '" + spec->name + "'; strategies are: " + JoinNames(names),
        Location::InField(field));
  }
  if (!PlaysRole(*descriptor, party.role)) {
    std::vector<std::string> roles;
    for (model::Role role : descriptor->roles) roles.emplace_back(model::RoleName(role));
    return InvalidInput("strategy '" + spec->name + "' cannot play " + party.id + "'s role (" +
                            std::string(model::RoleName(party.role)) +
                            "); it plays: " + JoinNames(roles),
                        Location::InField(field));
  }
  Result<protocols::Parameters> parameters =
      protocols::Parameters::Parse(spec->arguments, descriptor->parameters, spec->name);
  if (!parameters.ok()) {
    Status status = parameters.status();
    return Status(status.code(), status.message(),
                  Location::InField(field + "." + status.location().field));
  }
  ResolvedStrategy resolved;
  resolved.strategy = descriptor->create(*parameters);
  resolved.canonical = parameters->Canonical(spec->name);
  return resolved;
}

// The SessionContext protocols drive: clock, validation, delivery, trace.
class Context final : public protocols::SessionContext {
 public:
  Context(const model::Scenario& scenario, const model::OutcomeSpace& space,
          const SessionConfig& config, Trace& trace)
      : scenario_(scenario),
        space_(space),
        config_(config),
        trace_(trace),
        protocol_rng_(StreamSeed(config.seed, 0)),
        start_(std::chrono::steady_clock::now()) {
    clock_.round = 0;
    clock_.max_rounds = config.rounds;
    clock_.relative_time = 0;
    scored_ = scenario.PartiesWithPreferences();
    for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
      const model::Party& party = scenario.parties[party_idx];
      if (!party.enabled) continue;
      if (party.role == model::Role::kPrincipal) principals_.push_back(party_idx);
      if (party.role == model::Role::kMediator) mediators_.push_back(party_idx);
    }
    for (std::size_t principal : principals_) {
      if (scenario.parties[principal].preferences) gap_parties_.push_back(principal);
    }
    views_.resize(scenario.parties.size());
    strategies_.resize(scenario.parties.size());
    party_rngs_.resize(scenario.parties.size());
    latest_offers_.resize(scenario.parties.size());
  }

  // Creates the views of the parties taking part; strategies are installed afterwards.
  void CreateViews(const std::vector<PublicParty>& parties, const std::string& protocol) {
    for (std::size_t party_idx = 0; party_idx < scenario_.parties.size(); ++party_idx) {
      if (!scenario_.parties[party_idx].enabled) continue;
      views_[party_idx] =
          std::make_unique<PartyView>(party_idx, scenario_, space_, parties, protocol);
      views_[party_idx]->SetClock(clock_);
      party_rngs_[party_idx].seed(StreamSeed(config_.seed, party_idx + 1));
    }
  }
  void InstallStrategy(std::size_t party_idx, std::unique_ptr<strategies::Strategy> strategy) {
    strategies_[party_idx] = std::move(strategy);
  }
  void InitializeStrategies() {
    for (std::size_t party_idx = 0; party_idx < strategies_.size(); ++party_idx) {
      if (strategies_[party_idx]) {
        strategies_[party_idx]->Initialize(*views_[party_idx], party_rngs_[party_idx]);
      }
    }
  }

  const model::Scenario& scenario() const override { return scenario_; }
  const model::OutcomeSpace& space() const override { return space_; }
  const std::vector<std::size_t>& principals() const override { return principals_; }
  const std::vector<std::size_t>& mediators() const override { return mediators_; }
  const protocols::Clock& clock() const override { return clock_; }

  bool NextRound() override {
    if (finished_ || expired_) return false;
    RecordGapSample();
    if (clock_.round + 1 >= clock_.max_rounds || TimeUp() || config_.stop.stop_requested()) {
      expired_ = true;
      return false;
    }
    ++clock_.round;
    RefreshTime();
    return true;
  }

  bool Expired() const override { return expired_ || TimeUp() || config_.stop.stop_requested(); }

  Action Ask(std::size_t party, const Request& request) override {
    PARLEY_CHECK(party < views_.size() && views_[party] != nullptr);
    RefreshTime();
    PartyView& view = *views_[party];
    view.SetClock(clock_);
    strategies::Strategy* strategy = strategies_[party].get();
    if (strategy == nullptr) {
      RecordIllegal(party, "no strategy plays this party");
      return Fallback(request);
    }
    Action action = strategy->Act(view, request);
    std::string problem = Check(action, request);
    if (!problem.empty()) {
      RecordIllegal(party, problem);
      return Fallback(request);
    }
    return action;
  }

  void Post(std::size_t sender, const std::vector<std::size_t>& recipients,
            const Action& action) override {
    PARLEY_CHECK(sender < scenario_.parties.size());
    RefreshTime();
    TraceEvent event;
    Message& message = event.message;
    message.sequence = trace_.events.size();
    message.round = clock_.round;
    message.time = clock_.relative_time;
    message.sender = sender;
    message.recipients = recipients;
    message.type = action.type;
    message.outcome = action.outcome;
    message.accept = action.accept;
    message.value = action.value;
    message.text = action.text;
    if (message.outcome) {
      PARLEY_CHECK(space_.Contains(*message.outcome));
      event.utilities.reserve(scored_.size());
      for (std::size_t party_idx : scored_) {
        event.utilities.push_back(
            scenario_.parties[party_idx].preferences->utility->Evaluate(*message.outcome));
      }
      if (action.type == ActionType::kOffer &&
          scenario_.parties[sender].role == model::Role::kPrincipal) {
        latest_offers_[sender] = *message.outcome;
      }
    }
    // Delivery: the recipients' inboxes and nowhere else. Protocols address only parties that
    // take part (principals() / mediators()).
    for (std::size_t recipient : recipients) {
      PARLEY_CHECK(recipient < views_.size() && views_[recipient] != nullptr);
      views_[recipient]->Deliver(message);
    }
    trace_.events.push_back(std::move(event));
  }

  void Agree(const model::Outcome& outcome, const std::vector<std::size_t>& parties) override {
    if (finished_) return;
    PARLEY_CHECK(space_.Contains(outcome));
    finished_ = true;
    agreement_ = outcome;
    agreement_round_ = clock_.round;
    agreement_time_ = clock_.relative_time;
    agreeing_parties_ = parties;
    std::sort(agreeing_parties_.begin(), agreeing_parties_.end());
    end_reason_ = "agreement";
  }

  void Fail(const std::string& reason, std::optional<std::size_t> blocked_by) override {
    if (finished_) return;
    finished_ = true;
    end_reason_ = reason.empty() ? "no agreement" : reason;
    blocked_by_ = blocked_by;
  }

  bool Finished() const override { return finished_; }
  std::mt19937_64& rng() override { return protocol_rng_; }

  // Fills trace_.result once the protocol has returned.
  void Finish(const ScenarioReference& reference) {
    RecordGapSample();
    SessionResult& result = trace_.result;
    if (!finished_) end_reason_ = expired_ || Expired() ? "deadline" : "no agreement";
    result.agreement = agreement_.has_value();
    result.outcome = agreement_;
    result.agreeing_parties = agreeing_parties_;
    result.scored_parties = scored_;
    result.rounds = clock_.round + 1;
    result.end_reason = end_reason_;
    result.blocked_by = blocked_by_;
    result.illegal_actions = std::move(illegal_actions_);
    result.gaps = std::move(gaps_);
    for (std::size_t party_idx : scored_) {
      const model::Preferences& preferences = *scenario_.parties[party_idx].preferences;
      // A principal outside a partial coalition (MOPAC) is not bound by its deal and keeps its
      // reservation value, as in GeniusWeb; mediators value any agreement reached.
      bool bound =
          agreement_.has_value() &&
          (scenario_.parties[party_idx].role != model::Role::kPrincipal ||
           std::binary_search(agreeing_parties_.begin(), agreeing_parties_.end(), party_idx));
      double raw =
          bound ? preferences.utility->Evaluate(*agreement_) : preferences.ReservationOrZero();
      double utility = raw;
      if (bound && config_.use_discount && preferences.discount < 1.0) {
        // parley files discount per round; GENIUS and GeniusWeb per unit of normalised time.
        double exponent = scenario_.source_format == model::SourceFormat::kParley
                              ? static_cast<double>(agreement_round_)
                              : agreement_time_;
        utility = raw * std::pow(preferences.discount, exponent);
      }
      result.raw_utilities.push_back(raw);
      result.utilities.push_back(utility);
      if (scenario_.parties[party_idx].role == model::Role::kPrincipal) result.welfare += utility;
    }
    FillDistances(reference);
    for (std::size_t party_idx = 0; party_idx < views_.size(); ++party_idx) {
      if (views_[party_idx] && config_.on_view) config_.on_view(*views_[party_idx]);
    }
  }

  double ElapsedMs() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  bool TimeUp() const {
    if (!config_.time_limit_seconds) return false;
    return ElapsedMs() >= *config_.time_limit_seconds * 1000.0;
  }

  // Relative time: the share of rounds used, or of the wall-time limit if that is further on.
  void RefreshTime() {
    double time = clock_.max_rounds > 0
                      ? static_cast<double>(clock_.round) / static_cast<double>(clock_.max_rounds)
                      : 0.0;
    if (config_.time_limit_seconds) {
      time = std::max(time, std::min(1.0, ElapsedMs() / (*config_.time_limit_seconds * 1000.0)));
    }
    clock_.relative_time = time;
  }

  static Action Fallback(const Request& request) {
    Action action;
    action.type = request.fallback;
    return action;
  }

  // Empty when the action answers the request legally; otherwise what is wrong with it.
  std::string Check(const Action& action, const Request& request) const {
    if (std::find(request.allowed.begin(), request.allowed.end(), action.type) ==
        request.allowed.end()) {
      return "action '" + std::string(protocols::ActionTypeName(action.type)) +
             "' is not allowed here (allowed: " + AllowedList(request.allowed) + ")";
    }
    if (action.type == ActionType::kOffer && !action.outcome) return "an offer needs an outcome";
    if (action.type == ActionType::kVote && !action.accept) return "a vote needs accept or reject";
    if (action.type == ActionType::kFeedback && !action.value) return "feedback needs a value";
    if (action.value && !std::isfinite(*action.value)) return "value is not a finite number";
    if (action.outcome) {
      const model::Outcome& outcome = *action.outcome;
      if (!space_.Contains(outcome)) return "outcome outside the outcome space";
      for (std::size_t issue_idx = 0; issue_idx < request.fixed_issues.size(); ++issue_idx) {
        if (!request.fixed_issues[issue_idx]) continue;
        if (issue_idx >= request.fixed_outcome.size() ||
            outcome[issue_idx] != request.fixed_outcome[issue_idx]) {
          return "outcome changes settled issue '" + scenario_.issues[issue_idx].id + "'";
        }
      }
    }
    for (std::size_t recipient : action.recipients) {
      if (std::find(request.may_address.begin(), request.may_address.end(), recipient) ==
          request.may_address.end()) {
        std::string name = recipient < scenario_.parties.size()
                               ? "'" + scenario_.parties[recipient].id + "'"
                               : "#" + std::to_string(recipient);
        return "may not address party " + name;
      }
    }
    return "";
  }

  void RecordIllegal(std::size_t party, std::string reason) {
    illegal_actions_.push_back(IllegalAction{clock_.round, party, std::move(reason)});
  }

  // One sample per round: the mean issue gaps over pairs of principals that have offered.
  void RecordGapSample() {
    if (last_gap_round_ == clock_.round || gap_parties_.size() < 2) return;
    std::vector<const model::Outcome*> offers;
    for (std::size_t principal : gap_parties_) {
      if (latest_offers_[principal]) offers.push_back(&*latest_offers_[principal]);
    }
    if (offers.size() < 2) return;
    last_gap_round_ = clock_.round;
    // Offers that have not moved since the last sample have not moved the gaps either.
    bool unchanged = !gaps_.empty() && gap_offers_.size() == offers.size();
    for (std::size_t offer_idx = 0; unchanged && offer_idx < offers.size(); ++offer_idx) {
      unchanged = gap_offers_[offer_idx] == *offers[offer_idx];
    }
    if (unchanged) {
      GapSample sample = gaps_.back();
      sample.round = clock_.round;
      gaps_.push_back(std::move(sample));
      return;
    }
    gap_offers_.resize(offers.size());
    for (std::size_t offer_idx = 0; offer_idx < offers.size(); ++offer_idx) {
      gap_offers_[offer_idx] = *offers[offer_idx];
    }
    GapSample sample;
    sample.round = clock_.round;
    sample.issue_gaps.assign(scenario_.issues.size(), 0.0);
    int pairs = 0;
    for (std::size_t first = 0; first < offers.size(); ++first) {
      for (std::size_t second = first + 1; second < offers.size(); ++second) {
        analysis::Gaps gaps =
            analysis::ComputeOfferGaps(scenario_, gap_parties_, *offers[first], *offers[second]);
        for (const analysis::IssueGap& issue_gap : gaps.issues) {
          sample.issue_gaps[issue_gap.issue_idx] += issue_gap.gap;
        }
        sample.overall += gaps.overall;
        ++pairs;
      }
    }
    for (double& gap : sample.issue_gaps) gap /= pairs;
    sample.overall /= pairs;
    gaps_.push_back(std::move(sample));
  }

  void FillDistances(const ScenarioReference& reference) {
    if (!reference.frontier || reference.frontier->points.empty()) return;
    const analysis::ParetoFrontier& frontier = *reference.frontier;
    SessionResult& result = trace_.result;
    if (agreement_) {
      analysis::OutcomeMetrics metrics =
          analysis::EvaluateOutcome(scenario_, frontier, reference.solutions, *agreement_);
      result.distance_to_pareto = metrics.distance_to_pareto;
      result.distance_to_nash = metrics.distance_to_nash;
      result.distance_to_kalai_smorodinsky = metrics.distance_to_kalai_smorodinsky;
      return;
    }
    // No agreement: the disagreement point (every principal's reservation value).
    const std::vector<double>& point = reference.solutions.disagreement;
    auto nearest = [&](const std::vector<analysis::ParetoPoint>& points) -> std::optional<double> {
      if (points.empty()) return std::nullopt;
      double best = std::numeric_limits<double>::infinity();
      for (const analysis::ParetoPoint& candidate : points) {
        best = std::min(best, analysis::UtilityDistance(candidate.utilities, point));
      }
      return best;
    };
    result.distance_to_pareto = nearest(frontier.points);
    if (reference.solutions.nash.defined) {
      result.distance_to_nash = nearest(reference.solutions.nash.points);
    }
    if (reference.solutions.kalai_smorodinsky.defined) {
      result.distance_to_kalai_smorodinsky = nearest(reference.solutions.kalai_smorodinsky.points);
    }
  }

  const model::Scenario& scenario_;
  const model::OutcomeSpace& space_;
  const SessionConfig& config_;
  Trace& trace_;
  std::vector<std::size_t> principals_;
  std::vector<std::size_t> mediators_;
  std::vector<std::size_t> scored_;       // parties with preferences (utilities in the trace)
  std::vector<std::size_t> gap_parties_;  // principals with preferences (the gap curve)
  // By party index; empty for parties that do not take part.
  std::vector<std::unique_ptr<PartyView>> views_;
  std::vector<std::unique_ptr<strategies::Strategy>> strategies_;
  std::vector<std::mt19937_64> party_rngs_;
  std::vector<std::optional<model::Outcome>> latest_offers_;
  std::mt19937_64 protocol_rng_;
  protocols::Clock clock_;
  std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
  bool expired_ = false;
  std::optional<model::Outcome> agreement_;
  int agreement_round_ = 0;
  double agreement_time_ = 0;
  std::vector<std::size_t> agreeing_parties_;
  std::string end_reason_;
  std::optional<std::size_t> blocked_by_;
  std::vector<IllegalAction> illegal_actions_;
  std::vector<GapSample> gaps_;
  std::vector<model::Outcome> gap_offers_;  // the offers behind the last gap sample
  int last_gap_round_ = -1;
};

Status CancelledStatus() { return Status(ErrorCode::kCancelled, "session cancelled"); }

}  // namespace

std::shared_ptr<const ScenarioReference> ComputeScenarioReference(const model::Scenario& scenario,
                                                                  std::stop_token stop) {
  auto reference = std::make_shared<ScenarioReference>();
  std::vector<std::size_t> principals = scenario.PrincipalIndices();
  if (principals.empty()) {
    reference->note = "no principal with preferences";
    return reference;
  }
  bool all_additive = true;
  for (std::size_t party_idx : principals) {
    all_additive = all_additive && scenario.parties[party_idx].preferences->utility->IsAdditive();
  }
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  if (!all_additive && !space.IsEnumerable(kReferenceEnumerationLimit)) {
    reference->note = "no exact frontier: utilities are not additive and the space of " +
                      space.Count().ToDisplayString() + " outcomes is too large to enumerate";
    return reference;
  }
  analysis::ParetoOptions options;
  options.parties = principals;
  options.enumeration_limit = kReferenceEnumerationLimit;
  options.max_frontier_size = kReferenceMaxFrontier;
  options.search_budget = 1;  // a merge that gives up on a huge space must not start a search
  options.stop = stop;
  Result<analysis::ParetoFrontier> frontier = analysis::ComputeParetoFrontier(scenario, options);
  std::string prefix;
  if (frontier.ok() && frontier->exact && frontier->points.empty()) {
    // Red lines leave nothing every principal accepts; measure against the plain frontier.
    prefix = "red lines leave no outcome (" + frontier->note +
             "), so distances are to the frontier with red lines ignored; ";
    options.respect_red_lines = false;
    frontier = analysis::ComputeParetoFrontier(scenario, options);
  }
  if (!frontier.ok()) {
    reference->note = prefix + "no exact frontier: " + frontier.status().message();
    return reference;
  }
  if (!frontier->exact) {
    reference->note = prefix + "no exact frontier: " + frontier->note;
    return reference;
  }
  reference->solutions = analysis::ComputeBargainingSolutions(
      *frontier, analysis::ReservationValues(scenario, principals));
  reference->note = prefix + frontier->note;
  reference->frontier = std::move(frontier).value();
  return reference;
}

Result<Trace> RunSession(const model::Scenario& scenario, const SessionConfig& config) {
  PARLEY_ASSIGN_OR_RETURN(ResolvedProtocol protocol, ResolveProtocol(config.protocol));
  if (config.rounds < 1) {
    return InvalidInput("rounds must be at least 1, got " + std::to_string(config.rounds),
                        Location::InField("rounds"));
  }
  if (config.time_limit_seconds &&
      !(std::isfinite(*config.time_limit_seconds) && *config.time_limit_seconds > 0)) {
    return InvalidInput("the time limit must be a positive number of seconds",
                        Location::InField("time_limit"));
  }
  if (config.stop.stop_requested()) return CancelledStatus();

  // Who takes part: enabled parties; principals and mediators act through strategies.
  std::vector<std::size_t> principals;
  std::vector<std::size_t> mediators;
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    const model::Party& party = scenario.parties[party_idx];
    if (!party.enabled) continue;
    if (party.role == model::Role::kPrincipal) principals.push_back(party_idx);
    if (party.role == model::Role::kMediator) mediators.push_back(party_idx);
  }
  const protocols::ProtocolDescriptor& descriptor = *protocol.descriptor;
  int num_principals = static_cast<int>(principals.size());
  if (num_principals < descriptor.min_principals || num_principals > descriptor.max_principals) {
    return InvalidInput(
        "protocol '" + descriptor.name + "' needs " + std::to_string(descriptor.min_principals) +
            " to " + std::to_string(descriptor.max_principals) + " principals; the scenario has " +
            std::to_string(num_principals) + " enabled",
        Location::InField("protocol"));
  }
  if (descriptor.needs_mediator && mediators.empty()) {
    return InvalidInput(
        "protocol '" + descriptor.name + "' needs a mediator; the scenario has no enabled mediator",
        Location::InField("protocol"));
  }
  for (const auto& [party_idx, spec] : config.strategies) {
    if (party_idx >= scenario.parties.size()) {
      return InvalidInput("strategy given for party #" + std::to_string(party_idx) +
                              ", but the scenario has " + std::to_string(scenario.parties.size()) +
                              " parties",
                          Location::InField("strategies"));
    }
    const model::Party& party = scenario.parties[party_idx];
    if (!party.enabled || party.role == model::Role::kObserver) {
      return InvalidInput("strategy given for '" + party.id + "', which does not take part (" +
                              (party.enabled ? "an observer" : "disabled") + ")",
                          Location::InField("strategies." + party.id));
    }
  }

  Trace trace;
  trace.scenario_name = scenario.name;
  trace.protocol = protocol.canonical;
  trace.rounds = config.rounds;
  trace.time_limit_seconds = config.time_limit_seconds;
  trace.seed = config.seed;
  trace.use_discount = config.use_discount;
  for (const model::Party& party : scenario.parties) {
    trace.parties.push_back(PublicParty{party.id, party.name, party.role});
  }

  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  Context context(scenario, space, config, trace);
  context.CreateViews(trace.parties, protocol.canonical);
  std::vector<std::size_t> acting = principals;
  acting.insert(acting.end(), mediators.begin(), mediators.end());
  std::sort(acting.begin(), acting.end());
  for (std::size_t party_idx : acting) {
    const model::Party& party = scenario.parties[party_idx];
    auto given = config.strategies.find(party_idx);
    std::string spec =
        given != config.strategies.end() ? given->second : DefaultStrategy(party.role);
    if (spec.empty()) {
      if (party.role == model::Role::kMediator && !descriptor.needs_mediator) continue;
      return InvalidInput("no strategy registered can play " + party.id + "'s role (" +
                              std::string(model::RoleName(party.role)) + ")",
                          Location::InField("strategies." + party.id));
    }
    PARLEY_ASSIGN_OR_RETURN(ResolvedStrategy strategy, ResolveStrategy(spec, party));
    trace.strategies[party_idx] = strategy.canonical;
    context.InstallStrategy(party_idx, std::move(strategy.strategy));
  }
  context.InitializeStrategies();

  std::unique_ptr<protocols::Protocol> runner = descriptor.create(protocol.parameters);
  PARLEY_RETURN_IF_ERROR(runner->Run(context));
  if (config.stop.stop_requested()) return CancelledStatus();

  std::shared_ptr<const ScenarioReference> reference = config.reference;
  if (!reference) reference = ComputeScenarioReference(scenario, config.stop);
  context.Finish(*reference);
  trace.result.elapsed_ms = context.ElapsedMs();
  return trace;
}

}  // namespace parley::session
