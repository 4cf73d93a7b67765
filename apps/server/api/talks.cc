#include "server/api/talks.h"

#include <algorithm>
#include <utility>

#include "parley/strategies/strategy.h"

namespace parley::server::api {
namespace {

// What shuttle asks a principal right after its response: feedback or a confidence, or nothing.
bool IsFollowUp(const protocols::Request& request) {
  if (std::find(request.allowed.begin(), request.allowed.end(), protocols::ActionType::kPass) ==
      request.allowed.end()) {
    return false;
  }
  return std::all_of(
      request.allowed.begin(), request.allowed.end(), [](protocols::ActionType type) {
        return type == protocols::ActionType::kFeedback ||
               type == protocols::ActionType::kConfide || type == protocols::ActionType::kPass;
      });
}

}  // namespace

Status CheckEngineStrategy(const std::string& spec, model::Role role) {
  PARLEY_ASSIGN_OR_RETURN(protocols::ResolvedSpec<strategies::StrategyDescriptor> resolved,
                          strategies::StrategyRegistry::Global().Resolve(spec, role, "strategy"));
  (void)resolved;
  return Status::Ok();
}

model::Scenario SessionScenario(const model::Scenario& scenario, const Seats& seats) {
  model::Scenario copy = scenario;
  for (std::size_t party_idx = 0; party_idx < copy.parties.size(); ++party_idx) {
    model::Party& party = copy.parties[party_idx];
    if (party.role == model::Role::kObserver) continue;
    if (!seats.persons.count(party_idx) && !seats.engines.count(party_idx)) party.enabled = false;
  }
  return copy;
}

session::SessionConfig TalksConfig(const std::string& protocol, const Seats& seats, int rounds,
                                   std::uint64_t seed) {
  session::SessionConfig config;
  config.protocol = protocol;
  config.rounds = rounds;
  config.seed = seed;
  config.strategies = seats.engines;
  for (std::size_t party : seats.persons) config.persons[party] = kPersonLabel;
  return config;
}

Talks::~Talks() = default;

Result<std::unique_ptr<Talks>> Talks::Start(const model::Scenario& scenario,
                                            const std::string& protocol, const Seats& seats,
                                            int rounds, std::uint64_t seed) {
  std::unique_ptr<Talks> talks(new Talks());
  talks->scenario_ = std::make_unique<model::Scenario>(SessionScenario(scenario, seats));
  session::SessionConfig config = TalksConfig(protocol, seats, rounds, seed);
  // The room keeps its own log and views: the session keeps no events and no gap curve, and
  // its result needs no reference points (the export computes them, within a budget).
  config.keep_events = false;
  config.track_gaps = false;
  config.reference = std::make_shared<session::ScenarioReference>();
  Talks* self = talks.get();
  config.on_event = [self](const session::TraceEvent& event) {
    TalksItem& item = self->items_.emplace_back();
    item.message = event.message;
  };
  config.on_answer = [self](const session::PendingAsk& asked, const protocols::Action& action) {
    TalksItem& item = self->items_.emplace_back();
    item.answer = true;
    item.asked = asked;
    item.action = action;
    self->last_taken_ = asked;
    self->pending_.erase(asked.ask);
  };
  PARLEY_ASSIGN_OR_RETURN(talks->session_,
                          session::Session::Start(*talks->scenario_, std::move(config)));
  return talks;
}

Status Talks::Check(protocols::AskId ask, std::size_t party,
                    const protocols::Action& action) const {
  return session_->Check(ask, party, action);
}

Status Talks::Submit(protocols::AskId ask, std::size_t party, const protocols::Action& action,
                     std::optional<protocols::Action> follow_up) {
  pending_[ask] = party;
  Status submitted = session_->Submit(ask, party, action);
  if (!submitted.ok()) {
    pending_.erase(ask);
    return submitted;
  }
  if (follow_up) follow_ups_[party] = FollowUp{ask, std::move(*follow_up)};
  PumpFollowUps();
  return Status::Ok();
}

void Talks::PumpFollowUps() {
  bool submitted = true;
  while (submitted && !follow_ups_.empty() && !session_->Finished()) {
    submitted = false;
    for (const session::PendingAsk& pending : session_->Awaiting()) {
      auto it = follow_ups_.find(pending.party);
      if (it == follow_ups_.end() || pending.ask <= it->second.after) continue;
      protocols::Action action = std::move(it->second.action);
      follow_ups_.erase(it);
      if (!IsFollowUp(pending.request)) continue;  // the protocol asks something else: dropped
      pending_[pending.ask] = pending.party;
      if (session_->Submit(pending.ask, pending.party, action).ok()) {
        submitted = true;
        break;  // the session moved on: look again
      }
      pending_.erase(pending.ask);
    }
  }
}

void Talks::Close(const std::string& reason) {
  session_->Close(reason);
  follow_ups_.clear();
  pending_.clear();
}

const session::SessionResult* Talks::Outcome() {
  if (!session_->Finished()) return nullptr;
  if (!result_) {
    Result<session::Trace> trace = session_->Finish();
    result_ = trace.ok() ? std::move(trace)->result : session::SessionResult{};
  }
  return &*result_;
}

std::vector<TalksItem> Talks::TakeItems() { return std::exchange(items_, {}); }

const protocols::Clock& Talks::ClockOf(std::size_t party) const {
  return session_->View(party).clock();
}

bool Talks::TakesPart(std::size_t party) const {
  return party < scenario_->parties.size() && scenario_->parties[party].enabled &&
         scenario_->parties[party].role != model::Role::kObserver;
}

std::optional<session::PendingAsk> Talks::LatestAsk() const {
  std::optional<session::PendingAsk> latest = last_taken_;
  for (session::PendingAsk& pending : session_->Awaiting()) {
    if (!latest || pending.ask > latest->ask) latest = std::move(pending);
  }
  return latest;
}

}  // namespace parley::server::api
