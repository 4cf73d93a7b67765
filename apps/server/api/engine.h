// Engine parties: a strategy from the registry plays a principal in a live room, so a person can
// train against simulated counterparts.
//
// The live protocol, as an engine meets it (docs/live.md): when the mediator relays a text to the
// engine's party, the engine is asked to accept or reject it (a Request allowing kAccept and
// kReject, the text as the standing offer); after a rejection it is asked for a proposal of its
// own (kOffer or kPass) to the mediator. When it joins before any text exists it is asked for an
// opening proposal. Answers go through the same Service functions as a person's requests
// (Propose, Respond), so they are validated, committed and logged the same way. The engine's
// clock is the room's round (texts relayed) against the room's rounds; its view holds the texts
// relayed to it, nothing else. An engine that ends the negotiation is taken to reject.
//
// After a restart an engine is rebuilt from its spec and seed with the texts relayed to it
// delivered again; a strategy's internal learning from before the restart is not restored.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "parley/base/status.h"
#include "server/api/room.h"

namespace parley::server::api {

class Service;

// Checks that `spec` names a registered strategy that can play a principal, with valid parameters.
Status CheckEngineStrategy(const std::string& spec);

class EngineHost {
 public:
  EngineHost();
  ~EngineHost();
  // Lets every engine party of the room act on what it has not answered yet. Caller holds
  // room.mutex.
  void Run(Service& service, Room& room);

 private:
  struct Engine;
  Engine* Attach(const Room& room, const Participant& participant);
  std::mutex mutex_;  // guards the map; each engine is guarded by its room's mutex
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Engine>> engines_;
};

}  // namespace parley::server::api
