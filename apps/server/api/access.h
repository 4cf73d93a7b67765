// Access that can be recovered: the mediator lists who was invited (GET
// /api/rooms/{id}/participants, each with its access), reissues a participant's token (POST
// /api/rooms/{id}/participants/{participant}/token answers a new one, and every earlier token of
// that participant answers 401 at once) or revokes it (DELETE on the same route). An admin does
// the same for a room's mediator ("m"). Engine parties hold no token.
//
// Each change is an `access_changed` event in the room's log, seen by the mediator only, whose
// body names the participant, the action ("reissued" or "revoked") and the SHA-256 hashes of the
// tokens it ends (hashes of revoked random tokens give nothing away); the new token's hash is
// stored with the event in one transaction, so a restarted server forgets exactly the same tokens.
#pragma once

#include <string>
#include <unordered_map>

#include "server/api/api.h"
#include "server/api/room.h"
#include "server/store/store.h"

namespace parley::server::api {

class Service;

class AccessRoutes {
 public:
  explicit AccessRoutes(Service& service) : service_(service) {}

  // POST or DELETE /api/rooms/{room_id}/participants/{participant_id}/token.
  Response Token(const Request& request, const std::string& room_id,
                 const std::string& participant_id);

  // GET /api/rooms/{id}/participants: every participant with `access`: {status ("active",
  // "revoked" or "engine"), issued_ms (when its current token was issued), reissued (times)}.
  // Caller holds the room's mutex.
  Json Invitations(const Room& room);

 private:
  Service& service_;
};

// On loading the log: forgets the tokens an access_changed event's body ends.
void ForgetRevokedTokens(const Json& body, std::unordered_map<std::string, StoredToken>& tokens);

}  // namespace parley::server::api
