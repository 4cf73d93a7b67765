#include "server/api/engine.h"

#include <algorithm>
#include <random>
#include <set>

#include "parley/io/outcome_json.h"
#include "parley/protocols/protocol.h"
#include "parley/strategies/strategy.h"
#include "server/api/service.h"

namespace parley::server::api {
namespace {

Result<std::unique_ptr<strategies::Strategy>> CreateStrategy(const std::string& spec) {
  PARLEY_ASSIGN_OR_RETURN(protocols::Spec parsed, protocols::ParseSpec(spec));
  const strategies::StrategyDescriptor* descriptor =
      strategies::StrategyRegistry::Global().Find(parsed.name);
  if (descriptor == nullptr) {
    return InvalidInput("strategy: no strategy '" + parsed.name +
                        "' (GET /api/strategies lists them)");
  }
  if (std::find(descriptor->roles.begin(), descriptor->roles.end(), model::Role::kPrincipal) ==
      descriptor->roles.end()) {
    return InvalidInput("strategy: '" + parsed.name + "' cannot play a principal");
  }
  PARLEY_ASSIGN_OR_RETURN(
      protocols::Parameters parameters,
      protocols::Parameters::Parse(parsed.arguments, descriptor->parameters, parsed.name));
  std::unique_ptr<strategies::Strategy> strategy = descriptor->create(parameters);
  if (!strategy) return InvalidInput("strategy: '" + spec + "' could not be created");
  return strategy;
}

}  // namespace

Status CheckEngineStrategy(const std::string& spec) { return CreateStrategy(spec).status(); }

struct EngineHost::Engine {
  model::Scenario scenario;
  model::OutcomeSpace space;
  std::vector<protocols::PublicParty> parties;
  std::unique_ptr<protocols::PartyView> view;
  std::unique_ptr<strategies::Strategy> strategy;
  std::mt19937_64 rng;
  std::size_t self = 0;
  std::size_t mediator = 0;
  std::set<int> delivered;  // text versions already in the view's inbox
  bool broken = false;      // the strategy could not be created (a strategy removed since)
};

EngineHost::EngineHost() = default;
EngineHost::~EngineHost() = default;

EngineHost::Engine* EngineHost::Attach(const Room& room, const Participant& participant) {
  std::lock_guard lock(mutex_);
  std::unique_ptr<Engine>& engine = engines_[{room.id, participant.id}];
  if (engine) return engine.get();
  engine = std::make_unique<Engine>();
  engine->scenario = room.scenario;
  engine->space = engine->scenario.BuildOutcomeSpace();
  for (const model::Party& party : engine->scenario.parties) {
    engine->parties.push_back(protocols::PublicParty{party.id, party.name, party.role});
  }
  engine->self = *engine->scenario.FindParty(participant.party);
  engine->mediator = room.mediator_party;
  engine->view = std::make_unique<protocols::PartyView>(engine->self, engine->scenario,
                                                        engine->space, engine->parties, "live");
  engine->rng.seed(participant.seed);
  Result<std::unique_ptr<strategies::Strategy>> strategy = CreateStrategy(participant.engine);
  if (!strategy.ok()) {
    engine->broken = true;
    return engine.get();
  }
  engine->strategy = std::move(strategy).value();
  engine->view->SetClock(protocols::Clock{0, room.max_rounds, 0});
  engine->strategy->Initialize(*engine->view, engine->rng);
  return engine.get();
}

void EngineHost::Run(Service& service, Room& room) {
  std::vector<Participant> players;
  for (const Participant& participant : room.participants) {
    if (!participant.engine.empty()) players.push_back(participant);
  }
  for (const Participant& participant : players) {
    if (!room.open()) return;
    Engine* engine = Attach(room, participant);
    if (engine->broken) continue;
    const int round = std::min(room.round, room.max_rounds);
    engine->view->SetClock(
        protocols::Clock{round, room.max_rounds,
                         room.max_rounds > 0 ? static_cast<double>(round) / room.max_rounds : 1.0});
    for (const Text& text : room.texts) {
      if (!text.relayed_to.count(participant.party) || engine->delivered.count(text.version)) {
        continue;
      }
      protocols::Message message;
      message.sequence = static_cast<std::uint64_t>(text.version);
      message.round = round;
      message.time = engine->view->clock().relative_time;
      message.sender = engine->mediator;
      message.recipients = {engine->self};
      message.type = protocols::ActionType::kOffer;
      message.outcome = text.outcome;
      engine->view->Deliver(message);
      engine->delivered.insert(text.version);
    }
    const Text* text = room.LatestTextFor(participant.party);
    bool rejected = false;
    if (text != nullptr && !room.AnsweredLatestText(participant.party)) {
      protocols::Request request;
      request.allowed = {protocols::ActionType::kAccept, protocols::ActionType::kReject};
      request.standing_offer = text->outcome;
      request.standing_offer_from = engine->mediator;
      request.may_address = {engine->mediator};
      request.fallback = protocols::ActionType::kReject;
      protocols::Action action = engine->strategy->Act(*engine->view, request);
      bool accept = action.type == protocols::ActionType::kAccept;
      rejected = !accept;
      (void)service.Respond(room, participant,
                            Json{{"version", text->version}, {"accept", accept}});
    }
    bool opening = text == nullptr && room.LatestProposalOf(participant.party) == nullptr;
    if (!room.open() || !(rejected || opening)) continue;
    protocols::Request request;
    request.allowed = {protocols::ActionType::kOffer, protocols::ActionType::kPass};
    if (text != nullptr) {
      request.standing_offer = text->outcome;
      request.standing_offer_from = engine->mediator;
    }
    request.may_address = {engine->mediator};
    request.fallback = protocols::ActionType::kPass;
    protocols::Action action = engine->strategy->Act(*engine->view, request);
    if (action.type == protocols::ActionType::kOffer && action.outcome &&
        engine->space.Contains(*action.outcome)) {
      (void)service.Propose(room, participant,
                            Json{{"outcome", io::OutcomeJson(room.scenario, *action.outcome)}});
    }
  }
}

}  // namespace parley::server::api
