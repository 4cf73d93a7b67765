#include "parley/session/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "parley/analysis/gaps.h"
#include "parley/analysis/pareto.h"
#include "parley/session/distances.h"
#include "parley/strategies/strategy.h"

namespace parley::session {
namespace {

using protocols::Action;
using protocols::ActionType;
using protocols::AskId;
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

bool PlaysRole(const strategies::StrategyDescriptor& descriptor, model::Role role) {
  return std::find(descriptor.roles.begin(), descriptor.roles.end(), role) !=
         descriptor.roles.end();
}

// The spec a party gets when the configuration names none; empty when nothing fits its role.
std::string DefaultStrategy(const strategies::StrategyRegistry& registry, model::Role role) {
  const char* preferred = role == model::Role::kMediator ? "split_the_difference" : "time_based";
  const strategies::StrategyDescriptor* descriptor = registry.Find(preferred);
  if (descriptor != nullptr && PlaysRole(*descriptor, role)) return preferred;
  for (const auto* candidate : registry.All()) {
    if (PlaysRole(*candidate, role)) return candidate->name;
  }
  return "";
}

// The gap curve as the result keeps it: every sample, or (gap_points = n) the samples whose index
// is a multiple of a stride that doubles whenever more than 2n are kept, plus the last one.
class GapCurve {
 public:
  explicit GapCurve(std::size_t points) : points_(points) {}
  void Add(const GapSample& sample) {
    if (points_ == 0 || count_ % stride_ == 0) {
      kept_.push_back(sample);
      kept_last_ = true;
    } else {
      kept_last_ = false;
    }
    ++count_;
    if (points_ > 0 && kept_.size() > 2 * points_) Halve();
  }
  // The curve: with gap_points = n, at most n evenly spaced samples, plus the last.
  std::vector<GapSample> Take(const GapSample* last) {
    while (points_ > 0 && kept_.size() > points_) Halve();
    if (!kept_last_ && last != nullptr) kept_.push_back(*last);
    return std::move(kept_);
  }

 private:
  // Keeps every other sample: those whose index is a multiple of the doubled stride.
  void Halve() {
    std::size_t write = 0;
    for (std::size_t read = 0; read < kept_.size(); read += 2, ++write) {
      if (read != write) kept_[write] = std::move(kept_[read]);  // never move onto itself
    }
    kept_.resize(write);
    stride_ *= 2;
    kept_last_ = (count_ - 1) % stride_ == 0;
  }

  std::size_t points_;
  std::size_t stride_ = 1;
  std::size_t count_ = 0;
  bool kept_last_ = false;
  std::vector<GapSample> kept_;
};

// An ask the protocol opened and has not taken yet.
struct OpenAsk {
  AskId id = 0;
  std::size_t party = 0;
  Request request;
  // An engine's ask opened by Ask (OpenLent): the protocol's request, valid until the answer is
  // taken, used instead of a copy in `request`.
  const Request* lent = nullptr;
  const Request& Asked() const { return lent != nullptr ? *lent : request; }
  bool open = false;
  bool answered = false;  // a person's answer is in `action`
  bool record_illegal = false;
  Action action;
};

}  // namespace

std::uint64_t PartySeed(std::uint64_t seed, std::size_t party_idx) {
  return StreamSeed(seed, party_idx + 1);
}

// The SessionContext protocols drive: clock, asks and answers, validation, delivery, trace.
class Session::Impl final : public protocols::SessionContext {
 public:
  Impl(const model::Scenario& scenario, SessionConfig config)
      : scenario_(scenario),
        space_(scenario.BuildOutcomeSpace()),
        config_(std::move(config)),
        protocol_rng_(StreamSeed(config_.seed, 0)),
        start_(std::chrono::steady_clock::now()),
        gap_curve_(config_.gap_points) {
    clock_.round = 0;
    clock_.max_rounds = config_.rounds;
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
    persons_.resize(scenario.parties.size(), false);
    party_rngs_.reserve(scenario.parties.size());  // filled in Prepare, seeded once
    latest_offers_.resize(scenario.parties.size());
  }

  // Resolves the protocol and every party's strategy, checks the configuration, and prepares the
  // protocol. Nothing is sent yet.
  Status Prepare() {
    PARLEY_ASSIGN_OR_RETURN(
        std::shared_ptr<const protocols::ResolvedSpec<protocols::ProtocolDescriptor>> protocol,
        protocols::ProtocolRegistry::Global().ResolveShared(config_.protocol, std::nullopt,
                                                            "protocol"));
    PARLEY_RETURN_IF_ERROR(CheckSettings());
    const protocols::ProtocolDescriptor& descriptor = *protocol->descriptor;
    PARLEY_RETURN_IF_ERROR(CheckSeats(descriptor));
    StartTrace(protocol->canonical);
    PARLEY_RETURN_IF_ERROR(CreateStrategies(descriptor));
    PARLEY_ASSIGN_OR_RETURN(protocol_, descriptor.create(protocol->parameters));
    PARLEY_RETURN_IF_ERROR(protocol_->Prepare(*this));
    if (config_.on_start) config_.on_start(trace_);
    return Status::Ok();
  }

  // Rounds, time limit, and a stop already requested.
  Status CheckSettings() const {
    if (config_.rounds < 1) {
      return InvalidInput("rounds must be at least 1, got " + std::to_string(config_.rounds),
                          Location::InField("rounds"));
    }
    if (config_.time_limit_seconds &&
        !(std::isfinite(*config_.time_limit_seconds) && *config_.time_limit_seconds > 0)) {
      return InvalidInput("the time limit must be a positive number of seconds",
                          Location::InField("time_limit"));
    }
    if (config_.stop.stop_requested()) return Status(ErrorCode::kCancelled, "session cancelled");
    return Status::Ok();
  }

  // The protocol's numbers of principals and mediator, and every party a strategy or person is
  // given for taking part.
  Status CheckSeats(const protocols::ProtocolDescriptor& descriptor) const {
    int num_principals = static_cast<int>(principals_.size());
    if (num_principals < descriptor.min_principals || num_principals > descriptor.max_principals) {
      return InvalidInput(
          "protocol '" + descriptor.name + "' needs " + std::to_string(descriptor.min_principals) +
              " to " + std::to_string(descriptor.max_principals) +
              " principals; the scenario has " + std::to_string(num_principals) + " enabled",
          Location::InField("protocol"));
    }
    if (descriptor.needs_mediator() && mediators_.empty()) {
      return InvalidInput("protocol '" + descriptor.name +
                              "' needs a mediator; the scenario has no enabled mediator",
                          Location::InField("protocol"));
    }
    for (const auto* seats : {&config_.strategies, &config_.persons}) {
      const char* field = seats == &config_.strategies ? "strategies" : "persons";
      for (const auto& [party_idx, spec] : *seats) {
        if (party_idx >= scenario_.parties.size()) {
          return InvalidInput(std::string(seats == &config_.strategies ? "strategy" : "person") +
                                  " given for party #" + std::to_string(party_idx) +
                                  ", but the scenario has " +
                                  std::to_string(scenario_.parties.size()) + " parties",
                              Location::InField(field));
        }
        const model::Party& party = scenario_.parties[party_idx];
        if (!party.enabled || party.role == model::Role::kObserver) {
          return InvalidInput(std::string(seats == &config_.strategies ? "strategy" : "person") +
                                  " given for '" + party.id + "', which does not take part (" +
                                  (party.enabled ? "an observer" : "disabled") + ")",
                              Location::InField(std::string(field) + "." + party.id));
        }
      }
    }

    return Status::Ok();
  }

  // The trace's header, and a view (with its clock and random stream) for every enabled party.
  void StartTrace(const std::string& canonical) {
    trace_.scenario_name = scenario_.name;
    trace_.protocol = canonical;
    trace_.rounds = config_.rounds;
    trace_.time_limit_seconds = config_.time_limit_seconds;
    trace_.seed = config_.seed;
    trace_.use_discount = config_.use_discount;
    for (const model::Party& party : scenario_.parties) {
      trace_.parties.push_back(PublicParty{party.id, party.name, party.role});
    }
    for (std::size_t party_idx = 0; party_idx < scenario_.parties.size(); ++party_idx) {
      if (!scenario_.parties[party_idx].enabled) continue;
      views_[party_idx] =
          std::make_unique<PartyView>(party_idx, scenario_, space_, trace_.parties, canonical);
      views_[party_idx]->SetClock(clock_);
      views_[party_idx]->mutable_inbox().set_keep_all(config_.keep_inboxes);
    }
    for (std::size_t party_idx = 0; party_idx < scenario_.parties.size(); ++party_idx) {
      party_rngs_.emplace_back(StreamSeed(config_.seed, party_idx + 1));
    }
  }

  // Each acting party's strategy (the given one, or the registry's default for its role),
  // unless a person plays it; then every strategy initialised, in party order.
  Status CreateStrategies(const protocols::ProtocolDescriptor& descriptor) {
    std::vector<std::size_t> acting = principals_;
    acting.insert(acting.end(), mediators_.begin(), mediators_.end());
    std::sort(acting.begin(), acting.end());
    const strategies::StrategyRegistry& registry = config_.strategy_registry != nullptr
                                                       ? *config_.strategy_registry
                                                       : strategies::StrategyRegistry::Global();
    for (std::size_t party_idx : acting) {
      const model::Party& party = scenario_.parties[party_idx];
      if (auto person = config_.persons.find(party_idx); person != config_.persons.end()) {
        persons_[party_idx] = true;
        trace_.strategies[party_idx] = person->second;
        continue;
      }
      auto given = config_.strategies.find(party_idx);
      std::string spec =
          given != config_.strategies.end() ? given->second : DefaultStrategy(registry, party.role);
      if (spec.empty()) {
        if (party.role == model::Role::kMediator && !descriptor.needs_mediator()) continue;
        return InvalidInput("no strategy registered can play " + party.id + "'s role (" +
                                std::string(model::RoleName(party.role)) + ")",
                            Location::InField("strategies." + party.id));
      }
      Result<std::shared_ptr<const protocols::ResolvedSpec<strategies::StrategyDescriptor>>>
          strategy = registry.ResolveShared(spec, party.role, "strategies." + party.id);
      if (!strategy.ok()) {
        Status status = strategy.status();
        return Status(status.code(), "strategy for '" + party.id + "': " + status.message(),
                      status.location());
      }
      trace_.strategies[party_idx] = (*strategy)->canonical;
      strategies_[party_idx] = (*strategy)->descriptor->create((*strategy)->parameters);
    }
    for (std::size_t party_idx = 0; party_idx < strategies_.size(); ++party_idx) {
      if (strategies_[party_idx]) {
        strategies_[party_idx]->Initialize(*views_[party_idx], party_rngs_[party_idx]);
      }
    }
    return Status::Ok();
  }

  // Starts the protocol; it runs until it awaits a person or ends.
  void Begin() {
    run_.emplace(protocol_->Run(*this));
    run_->Resume();
    AfterResume();
  }

  // --- SessionContext

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

  AskId Open(std::size_t party, const Request& request) override {
    OpenAsk& slot = FreeSlot(party);
    slot.request = request;  // reuses the slot's buffers
    slot.lent = nullptr;
    return Opened(slot);
  }

 protected:
  AskId OpenLent(std::size_t party, const Request& request) override {
    if (persons_[party]) return Open(party, request);  // persons' requests are listed (Awaiting)
    OpenAsk& slot = FreeSlot(party);
    slot.lent = &request;
    return Opened(slot);
  }

 public:
  // --- SessionContext, continued

  void Post(std::size_t sender, const std::vector<std::size_t>& recipients,
            const Action& action) override {
    PARLEY_CHECK(sender < scenario_.parties.size());
    // Delivery: the recipients' inboxes and nowhere else. Protocols address only parties that
    // take part (principals() / mediators()).
    for (std::size_t recipient : recipients) {
      PARLEY_CHECK(recipient < views_.size() && views_[recipient] != nullptr);
    }
    RefreshTime();
    const bool traced = config_.keep_events || static_cast<bool>(config_.on_event);
    TraceEvent& event = config_.keep_events ? trace_.events.emplace_back() : scratch_event_;
    // Untraced (a tournament), the message is written straight into the first recipient's inbox
    // and copied from there to the others: one copy fewer per message.
    std::size_t delivered = 0;
    if (!traced && !recipients.empty() &&
        std::find(recipients.begin() + 1, recipients.end(), recipients[0]) == recipients.end()) {
      delivered = 1;
    }
    Message& message = delivered == 1 ? views_[recipients[0]]->DeliverInPlace() : event.message;
    message.sequence = messages_++;
    message.round = clock_.round;
    message.time = clock_.relative_time;
    message.sender = sender;
    message.recipients = recipients;
    message.type = action.type;
    message.outcome = action.outcome;
    message.accept = action.accept;
    message.value = action.value;
    message.text = action.text;
    if (traced) event.utilities.clear();
    if (message.outcome) {
      PARLEY_CHECK(space_.Contains(*message.outcome));
      // The analyst's utilities are read only from kept events and by on_event.
      if (traced) {
        event.utilities.reserve(scored_.size());
        for (std::size_t party_idx : scored_) {
          event.utilities.push_back(
              scenario_.parties[party_idx].preferences->utility->Evaluate(*message.outcome));
        }
      }
      // The principals' latest offers, for the gap curve.
      if (config_.track_gaps && action.type == ActionType::kOffer &&
          scenario_.parties[sender].role == model::Role::kPrincipal) {
        latest_offers_[sender] = *message.outcome;
      }
    }
    for (std::size_t recipient_idx = delivered; recipient_idx < recipients.size();
         ++recipient_idx) {
      views_[recipients[recipient_idx]]->Deliver(message);
    }
    if (config_.on_event) config_.on_event(event);
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

 protected:
  bool TryTake(AskId ask, Action& action) override {
    OpenAsk& slot = Find(ask);
    const std::size_t party = slot.party;
    if (persons_[party]) {
      if (!slot.answered) return false;
      PartyView& view = *views_[party];
      view.mutable_inbox().StartTurn();
      action = Validated(party, slot.request, std::move(slot.action));
      slot.open = false;
      Announce(slot, action);
      return true;
    }
    RefreshTime();
    PartyView& view = *views_[party];
    view.SetClock(clock_);
    view.mutable_inbox().StartTurn();
    strategies::Strategy* strategy = strategies_[party].get();
    if (strategy == nullptr) {
      RecordIllegal(party, "no strategy plays this party");
      action = Fallback(slot.Asked());
    } else {
      action = Validated(party, slot.Asked(), strategy->Act(view, slot.Asked()));
    }
    slot.open = false;
    Announce(slot, action);
    return true;
  }

  // SessionConfig::on_answer.
  void Announce(const OpenAsk& slot, const Action& action) {
    if (!config_.on_answer) return;
    answered_.ask = slot.id;
    answered_.party = slot.party;
    answered_.request = slot.Asked();
    config_.on_answer(answered_, action);
  }

  void Park(AskId ask, std::coroutine_handle<> waiting) override {
    parked_ = waiting;
    parked_ask_ = ask;
  }

  Action Taken(AskId ask) override {
    Action action;
    PARLEY_CHECK(TryTake(ask, action));
    return action;
  }

 public:
  // --- the driver's side (Session)

  bool Done() const { return done_; }

  std::vector<PendingAsk> Awaiting() const {
    std::vector<PendingAsk> pending;
    if (done_) return pending;
    for (const OpenAsk& slot : asks_) {
      if (slot.open && !slot.answered && persons_[slot.party]) {
        pending.push_back(PendingAsk{slot.id, slot.party, slot.request});
      }
    }
    std::sort(pending.begin(), pending.end(),
              [](const PendingAsk& a, const PendingAsk& b) { return a.ask < b.ask; });
    return pending;
  }

  // The slot of the open, unanswered person's ask `ask` of `party`, or why there is none.
  Result<std::size_t> Answerable(AskId ask, std::size_t party) const {
    const Location location = Location::InField("ask");
    if (done_) return InvalidInput("the session has ended", location);
    const OpenAsk* slot = nullptr;
    std::size_t slot_idx = 0;
    for (std::size_t candidate = 0; candidate < asks_.size(); ++candidate) {
      if (asks_[candidate].open && asks_[candidate].id == ask) {
        slot = &asks_[candidate];
        slot_idx = candidate;
      }
    }
    if (slot == nullptr || slot->party != party || party >= persons_.size() || !persons_[party]) {
      std::string who = party < scenario_.parties.size() ? scenario_.parties[party].id
                                                         : "#" + std::to_string(party);
      return InvalidInput("no ask " + std::to_string(ask) + " is open for " + who, location);
    }
    if (slot->answered) {
      return InvalidInput("ask " + std::to_string(ask) + " has been answered already", location);
    }
    return slot_idx;
  }

  Status CheckAnswer(AskId ask, std::size_t party, const Action& action) const {
    PARLEY_ASSIGN_OR_RETURN(std::size_t slot_idx, Answerable(ask, party));
    std::string problem = Check(action, asks_[slot_idx].request);
    if (!problem.empty()) return InvalidInput(problem, Location::InField("action"));
    return Status::Ok();
  }

  Status Submit(AskId ask, std::size_t party, const Action& action, IllegalAnswer illegal) {
    PARLEY_ASSIGN_OR_RETURN(std::size_t slot_idx, Answerable(ask, party));
    OpenAsk* slot = &asks_[slot_idx];
    if (illegal == IllegalAnswer::kRefuse) {
      std::string problem = Check(action, slot->request);
      if (!problem.empty()) return InvalidInput(problem, Location::InField("action"));
    }
    slot->answered = true;
    slot->record_illegal = illegal == IllegalAnswer::kRecord;
    slot->action = action;
    answers_.push_back(RecordedAnswer{ask, party, action, slot->record_illegal});
    if (parked_ && parked_ask_ == ask) {
      std::coroutine_handle<> waiting = std::exchange(parked_, {});
      waiting.resume();
      AfterResume();
    }
    return Status::Ok();
  }

  const PartyView& View(std::size_t party) const {
    PARLEY_CHECK(party < views_.size() && views_[party] != nullptr);
    return *views_[party];
  }

  const std::vector<RecordedAnswer>& Answers() const { return answers_; }

  void Close(const std::string& reason) {
    if (done_) return;
    Fail(reason, std::nullopt);
    parked_ = {};
    run_.reset();  // destroys the suspended protocol, innermost coroutine included
    Conclude();
  }

  Result<Trace> Finish() {
    if (!done_) {
      return Status(ErrorCode::kInvalidInput, "the session has not ended",
                    Location::InField("session"));
    }
    if (taken_) {
      return Status(ErrorCode::kInvalidInput, "the session's trace was taken already",
                    Location::InField("session"));
    }
    taken_ = true;
    if (config_.stop.stop_requested()) return Status(ErrorCode::kCancelled, "session cancelled");
    std::shared_ptr<const ScenarioReference> reference = config_.reference;
    if (!reference) reference = ComputeScenarioReference(scenario_, config_.stop);
    FillResult(*reference);
    trace_.result.elapsed_ms = ElapsedMs();
    return std::move(trace_);
  }

 private:
  // A slot for a new ask of `party`: a taken one reused, or a new one.
  OpenAsk& FreeSlot(std::size_t party) {
    PARLEY_CHECK(party < views_.size() && views_[party] != nullptr);
    OpenAsk* slot = nullptr;
    for (OpenAsk& candidate : asks_) {
      if (!candidate.open) {
        slot = &candidate;
        break;
      }
    }
    if (slot == nullptr) slot = &asks_.emplace_back();
    slot->party = party;
    return *slot;
  }

  AskId Opened(OpenAsk& slot) {
    slot.id = next_ask_++;
    slot.open = true;
    slot.answered = false;
    if (persons_[slot.party]) {
      RefreshTime();
      views_[slot.party]->SetClock(clock_);
    }
    return slot.id;
  }

  OpenAsk& Find(AskId ask) {
    for (OpenAsk& slot : asks_) {
      if (slot.open && slot.id == ask) return slot;
    }
    PARLEY_CHECK(false && "ask not open");
    return asks_.front();
  }

  void AfterResume() {
    if (run_ && run_->Done()) Conclude();
  }

  // The protocol has returned (or was closed): drop what is still open.
  void Conclude() {
    done_ = true;
    for (OpenAsk& slot : asks_) slot.open = false;
  }

  Action Validated(std::size_t party, const Request& request, Action action) {
    std::string problem = Check(action, request);
    if (!problem.empty()) {
      RecordIllegal(party, std::move(problem));
      return Fallback(request);
    }
    return action;
  }

  // Fills trace_.result once the protocol has returned.
  void FillResult(const ScenarioReference& reference) {
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
    result.gaps = gap_curve_.Take(have_gap_ ? &gap_ : nullptr);
    result.messages = messages_;
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
    FillResultDistances(scenario_, reference, result);
    for (std::size_t party_idx = 0; party_idx < views_.size(); ++party_idx) {
      if (views_[party_idx] && config_.on_view) config_.on_view(*views_[party_idx]);
    }
  }

  double ElapsedMs() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }

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
    if (!config_.track_gaps || last_gap_round_ == clock_.round || gap_parties_.size() < 2) return;
    gap_offer_ptrs_.clear();
    for (std::size_t principal : gap_parties_) {
      if (latest_offers_[principal]) gap_offer_ptrs_.push_back(&*latest_offers_[principal]);
    }
    const std::vector<const model::Outcome*>& offers = gap_offer_ptrs_;
    if (offers.size() < 2) return;
    last_gap_round_ = clock_.round;
    // Offers that have not moved since the last sample have not moved the gaps either.
    bool unchanged = have_gap_ && gap_offers_.size() == offers.size();
    for (std::size_t offer_idx = 0; unchanged && offer_idx < offers.size(); ++offer_idx) {
      unchanged = gap_offers_[offer_idx] == *offers[offer_idx];
    }
    if (!unchanged) {
      gap_offers_.resize(offers.size());
      for (std::size_t offer_idx = 0; offer_idx < offers.size(); ++offer_idx) {
        gap_offers_[offer_idx] = *offers[offer_idx];
      }
      gap_.issue_gaps.assign(scenario_.issues.size(), 0.0);
      gap_.overall = 0;
      int pairs = 0;
      for (std::size_t first = 0; first < offers.size(); ++first) {
        for (std::size_t second = first + 1; second < offers.size(); ++second) {
          analysis::Gaps gaps =
              analysis::ComputeOfferGaps(scenario_, gap_parties_, *offers[first], *offers[second]);
          for (const analysis::IssueGap& issue_gap : gaps.issues) {
            gap_.issue_gaps[issue_gap.issue_idx] += issue_gap.gap;
          }
          gap_.overall += gaps.overall;
          ++pairs;
        }
      }
      for (double& gap : gap_.issue_gaps) gap /= pairs;
      gap_.overall /= pairs;
    }
    gap_.round = clock_.round;
    have_gap_ = true;
    gap_curve_.Add(gap_);
    if (config_.on_gap) config_.on_gap(gap_);
  }

  const model::Scenario& scenario_;
  const model::OutcomeSpace space_;
  const SessionConfig config_;
  Trace trace_;
  std::vector<std::size_t> principals_;
  std::vector<std::size_t> mediators_;
  std::vector<std::size_t> scored_;       // parties with preferences (utilities in the trace)
  std::vector<std::size_t> gap_parties_;  // principals with preferences (the gap curve)
  // By party index; empty for parties that do not take part.
  std::vector<std::unique_ptr<PartyView>> views_;
  std::vector<std::unique_ptr<strategies::Strategy>> strategies_;
  std::vector<bool> persons_;  // answered through Submit
  std::vector<std::mt19937_64> party_rngs_;
  std::vector<std::optional<model::Outcome>> latest_offers_;
  std::unique_ptr<protocols::Protocol> protocol_;
  std::optional<protocols::Task<>> run_;
  std::vector<OpenAsk> asks_;  // slots, reused once taken
  AskId next_ask_ = 0;
  std::coroutine_handle<> parked_;  // the protocol, suspended awaiting parked_ask_
  AskId parked_ask_ = 0;
  std::vector<RecordedAnswer> answers_;
  PendingAsk answered_;  // what on_answer is given (reused)
  bool done_ = false;
  bool taken_ = false;
  TraceEvent scratch_event_;  // the event being posted when events are not kept
  std::uint64_t messages_ = 0;
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
  GapCurve gap_curve_;
  GapSample gap_;  // the latest sample
  bool have_gap_ = false;
  std::vector<model::Outcome> gap_offers_;  // the offers behind the latest sample
  std::vector<const model::Outcome*> gap_offer_ptrs_;
  int last_gap_round_ = -1;
};

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
    reference->red_lines_ignored = true;
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

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::Start(const model::Scenario& scenario,
                                                SessionConfig config) {
  auto impl = std::make_unique<Impl>(scenario, std::move(config));
  PARLEY_RETURN_IF_ERROR(impl->Prepare());
  impl->Begin();
  return std::unique_ptr<Session>(new Session(std::move(impl)));
}

bool Session::Finished() const { return impl_->Done(); }
std::vector<PendingAsk> Session::Awaiting() const { return impl_->Awaiting(); }
Status Session::Submit(protocols::AskId ask, std::size_t party, const protocols::Action& action,
                       IllegalAnswer illegal) {
  return impl_->Submit(ask, party, action, illegal);
}
Status Session::Check(protocols::AskId ask, std::size_t party,
                      const protocols::Action& action) const {
  return impl_->CheckAnswer(ask, party, action);
}
const protocols::PartyView& Session::View(std::size_t party) const { return impl_->View(party); }
const std::vector<RecordedAnswer>& Session::Answers() const { return impl_->Answers(); }
void Session::Close(const std::string& reason) { impl_->Close(reason); }
Result<Trace> Session::Finish() { return impl_->Finish(); }

Result<std::unique_ptr<Session>> RebuildSession(const model::Scenario& scenario,
                                                SessionConfig config,
                                                const std::vector<RecordedAnswer>& answers) {
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<Session> session,
                          Session::Start(scenario, std::move(config)));
  for (std::size_t answer_idx = 0; answer_idx < answers.size(); ++answer_idx) {
    const RecordedAnswer& answer = answers[answer_idx];
    Status status =
        session->Submit(answer.ask, answer.party, answer.action,
                        answer.record_illegal ? IllegalAnswer::kRecord : IllegalAnswer::kRefuse);
    if (!status.ok()) {
      return InvalidInput("answer " + std::to_string(answer_idx) + " (ask " +
                              std::to_string(answer.ask) + "): " + status.message(),
                          Location::InField("answers[" + std::to_string(answer_idx) + "]"));
    }
  }
  return session;
}

Result<Trace> RunSession(const model::Scenario& scenario, const SessionConfig& config) {
  if (!config.persons.empty()) {
    return InvalidInput("RunSession plays engines only; drive persons with Session",
                        Location::InField("persons"));
  }
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::Start(scenario, config));
  PARLEY_CHECK(session->Finished());  // engines answer at once: the protocol never suspends
  return session->Finish();
}

}  // namespace parley::session
