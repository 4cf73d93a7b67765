#include "server/api/access.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>

#include "server/api/body.h"
#include "server/api/service.h"
#include "server/api/tokens.h"
#include "server/api/views.h"

namespace parley::server::api {
namespace {

constexpr const char* kMediatorId = "m";

Response Error(ErrorKind kind, std::string message) {
  return ErrorResponse(ApiError{kind, std::move(message)});
}

// Who may reissue or revoke whose token: an admin the mediator's, a room's mediator the other
// participants'. The refusal, or none.
std::optional<Response> RefuseTokenChange(const Caller& caller, const std::string& room_id,
                                          const std::string& participant_id) {
  const Role role = caller.role;
  if (role != Role::kAdmin && role != Role::kMediator) {
    return Error(ErrorKind::kForbidden, "this route needs a mediator or admin token; yours is " +
                                            std::string(RoleName(role)));
  }
  if (role == Role::kMediator && caller.room_id != room_id) {
    return Error(ErrorKind::kForbidden, "this token belongs to another room");
  }
  if (role == Role::kAdmin && participant_id != kMediatorId) {
    return Error(ErrorKind::kForbidden,
                 "an admin manages only a room's mediator ('m'); the mediator manages the other "
                 "participants' invitations");
  }
  if (role == Role::kMediator && participant_id == kMediatorId) {
    return Error(ErrorKind::kForbidden,
                 "the mediator's own token is reissued or revoked by an admin");
  }
  return std::nullopt;
}

// The route takes no fields: a body, if any, must be an empty JSON object.
std::optional<Response> RefuseBody(const std::string& text) {
  if (text.empty()) return std::nullopt;
  ApiResult<Json> body = ParseBody(text);
  if (!body.ok()) return ErrorResponse(body.error());
  BodyReader reader(body.value(), {});
  if (reader.error()) return ErrorResponse(*reader.error());
  return std::nullopt;
}

}  // namespace

void ForgetRevokedTokens(const Json& body, std::unordered_map<std::string, StoredToken>& tokens) {
  if (!body.contains("revoked_tokens")) return;
  for (const Json& hash : body.at("revoked_tokens")) tokens.erase(hash.get<std::string>());
}

Response AccessRoutes::Token(const Request& request, const std::string& room_id,
                             const std::string& participant_id) {
  const bool reissue = request.method == "POST";
  if (!reissue && request.method != "DELETE") {
    return Error(ErrorKind::kNotAllowed, "method not allowed here; use POST, DELETE");
  }
  ApiResult<Caller> caller = service_.Authenticate(request.token);
  if (!caller.ok()) return ErrorResponse(caller.error());
  if (!service_.AllowRate(caller.value().token_hash)) {
    return Error(ErrorKind::kRateLimited, "too many requests for this token; slow down and retry");
  }
  const Role role = caller.value().role;
  if (std::optional<Response> refused =
          RefuseTokenChange(caller.value(), room_id, participant_id)) {
    return *refused;
  }
  if (std::optional<Response> refused = RefuseBody(request.body)) return *refused;
  std::shared_ptr<Room> room = service_.FindRoom(room_id);
  if (!room) return Error(ErrorKind::kNotFound, "no room '" + Excerpt(room_id) + "'");
  // A writer: the room's drive lock first, then its read lock (room.h).
  std::unique_lock drive(room->drive_mutex);
  std::unique_lock lock(room->mutex);
  const Participant* participant = room->FindParticipant(participant_id);
  if (participant == nullptr) {
    return Error(ErrorKind::kNotFound, "no participant '" + Excerpt(participant_id) + "'");
  }
  if (!participant->engine.empty()) {
    return Error(ErrorKind::kUnprocessable, "participant '" + participant_id + "' is an engine (" +
                                                participant->engine + "); it holds no token");
  }
  Json revoked = Json::array();
  {
    std::shared_lock tokens_lock(service_.tokens_mutex_);
    for (const auto& [hash, stored] : service_.tokens_) {
      if (stored.room_id == room_id && stored.participant_id == participant_id) {
        revoked.push_back(hash);
      }
    }
  }
  std::sort(revoked.begin(), revoked.end());
  if (!reissue && revoked.empty()) {
    return Error(ErrorKind::kConflict,
                 "participant '" + participant_id + "' holds no token; reissue one with POST");
  }
  const std::string actor = role == Role::kAdmin ? "" : caller.value().participant_id;
  std::string token;
  std::vector<StoredToken> tokens;
  if (reissue) {
    token = GenerateToken();
    tokens.push_back(StoredToken{HashToken(token), room_id,
                                 std::string(RoleName(participant->role)), participant_id});
  }
  Json body{{"participant", participant_id},
            {"action", reissue ? "reissued" : "revoked"},
            {"revoked_tokens", revoked}};
  ApiResult<const Event*> event =
      service_.Commit(*room, lock, "access_changed", actor, {}, std::move(body), std::move(tokens));
  if (!event.ok()) return ErrorResponse(event.error());
  {
    std::unique_lock tokens_lock(service_.tokens_mutex_);
    ForgetRevokedTokens(event.value()->body, service_.tokens_);
  }
  Json answer{{"participant", ParticipantJson(*participant)}, {"revoked", revoked.size()}};
  if (reissue) answer["token"] = token;
  return Response{200, std::move(answer)};
}

Json AccessRoutes::Invitations(const Room& room) {
  struct Access {
    std::int64_t issued_ms = 0;
    int reissued = 0;
    bool revoked = false;
  };
  std::map<std::string, Access> access;
  for (const Event& event : room.log) {
    if (event.type == "room_created") {
      access[kMediatorId].issued_ms = event.at_ms;
    } else if (event.type == "participant_added") {
      access[event.body.at("participant").value("id", "")].issued_ms = event.at_ms;
    } else if (event.type == "access_changed") {
      Access& entry = access[event.body.value("participant", "")];
      entry.revoked = event.body.value("action", "") == "revoked";
      if (!entry.revoked) {
        entry.issued_ms = event.at_ms;
        ++entry.reissued;
      }
    }
  }
  Json list = Json::array();
  for (const Participant& participant : room.participants) {
    Json json = ParticipantJson(participant);
    const Access& entry = access[participant.id];
    const char* status = !participant.engine.empty() ? "engine"
                         : entry.revoked             ? "revoked"
                                                     : "active";
    Json summary{{"status", status}, {"reissued", entry.reissued}};
    if (participant.engine.empty() && !entry.revoked) summary["issued_ms"] = entry.issued_ms;
    json["access"] = std::move(summary);
    list.push_back(std::move(json));
  }
  return list;
}

}  // namespace parley::server::api
