// Every route of the HTTP API (docs/http-api.md): matching, authorization, and the handlers.
#include <algorithm>
#include <set>

#include "parley/analysis/analyze.h"
#include "parley/io/outcome_json.h"
#include "parley/protocols/registry.h"
#include "parley/session/trace_json.h"
#include "parley/strategies/strategy.h"
#include "server/api/body.h"
#include "server/api/engine.h"
#include "server/api/service.h"
#include "server/api/tokens.h"
#include "server/api/views.h"

namespace parley::server::api {
namespace {

constexpr std::size_t kMaxTextChars = 20'000;
constexpr std::size_t kMaxLogPage = 500;

ApiError Forbidden(std::string message) {
  return ApiError{ErrorKind::kForbidden, std::move(message)};
}
ApiError Conflict(std::string message) {
  return ApiError{ErrorKind::kConflict, std::move(message)};
}
ApiError Unprocessable(std::string message) {
  return ApiError{ErrorKind::kUnprocessable, std::move(message)};
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

using Roles = std::initializer_list<Role>;

bool Allowed(Roles roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string RoleList(Roles roles) {
  std::string list;
  for (Role role : roles) list += (list.empty() ? "" : " or ") + std::string(RoleName(role));
  return list;
}

}  // namespace

class Routes {
 public:
  explicit Routes(Service& service) : service_(service) {}

  Response Dispatch(const Request& request) {
    const std::vector<std::string> path = SplitPath(request.path);
    if (path.size() < 2 || path[0] != "api") return NoRoute(request);
    const std::string& method = request.method;
    if (path.size() == 2 && path[1] == "health") {
      if (method != "GET") return NotAllowed("GET");
      return Response{200, Json{{"status", "ok"},
                                {"store", service_.store_->Backend()},
                                {"rooms", service_.NumRooms()}}};
    }
    if (path.size() == 2 && path[1] == "whoami") {
      if (method != "GET") return NotAllowed("GET");
      return Global(
          request,
          {Role::kAdmin, Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver},
          [&](const Caller& caller) { return WhoAmI(caller); });
    }
    if (path.size() == 2 && path[1] == "strategies") {
      if (method != "GET") return NotAllowed("GET");
      return Global(
          request,
          {Role::kAdmin, Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver},
          [&](const Caller&) { return Strategies(); });
    }
    if (path.size() == 2 && path[1] == "rooms") {
      if (method == "GET") {
        return Global(request, {Role::kAdmin, Role::kMediator},
                      [&](const Caller& caller) { return ListRooms(caller); });
      }
      if (method == "POST") {
        return Global(request, {Role::kAdmin},
                      [&](const Caller& caller) { return CreateRoom(caller, request); });
      }
      return NotAllowed("GET, POST");
    }
    if (path[1] != "rooms" || path.size() < 3) return NoRoute(request);
    const std::string& room_id = path[2];
    const Roles everyone = {Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver};
    const Roles mediator = {Role::kMediator};
    const Roles principal = {Role::kPrincipal};
    if (path.size() == 3) {
      if (method != "GET") return NotAllowed("GET");
      return InRoom(request, room_id, everyone, &Routes::RoomView, /*admin_may_read=*/true);
    }
    const std::string& what = path[3];
    if (path.size() == 4) {
      struct Entry {
        const char* name;
        const char* method;
        Roles roles;
        ApiResult<Response> (Routes::*handler)(Room&, const Participant&, const Request&,
                                               const Json&);
      };
      static const Entry kEntries[] = {
          {"participants", "GET", {Role::kMediator}, &Routes::ListParticipants},
          {"participants", "POST", {Role::kMediator}, &Routes::AddParticipant},
          {"engines", "POST", {Role::kMediator}, &Routes::AddEngine},
          {"preferences", "GET", {Role::kMediator, Role::kPrincipal}, &Routes::GetPreferences},
          {"preferences", "PUT", {Role::kPrincipal}, &Routes::PutPreferences},
          {"proposals", "POST", {Role::kPrincipal}, &Routes::PostProposal},
          {"texts", "GET", {Role::kMediator, Role::kPrincipal, Role::kMember}, &Routes::GetTexts},
          {"texts", "POST", {Role::kMediator}, &Routes::PostText},
          {"responses", "POST", {Role::kPrincipal}, &Routes::PostResponse},
          {"messages",
           "POST",
           {Role::kMediator, Role::kPrincipal, Role::kMember},
           &Routes::PostMessage},
          {"groups", "GET", {Role::kMediator, Role::kMember}, &Routes::GetGroups},
          {"groups", "POST", {Role::kMediator}, &Routes::PostGroup},
          {"analysis", "GET", {Role::kMediator}, &Routes::GetAnalysis},
          {"pace", "GET", {Role::kMediator}, &Routes::GetPace},
          {"log",
           "GET",
           {Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver},
           &Routes::GetLog},
          {"events",
           "GET",
           {Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver},
           &Routes::GetLog},
          {"close", "POST", {Role::kMediator}, &Routes::PostClose},
          {"export", "GET", {Role::kMediator}, &Routes::GetExport},
      };
      std::string methods;
      for (const Entry& entry : kEntries) {
        if (what != entry.name) continue;
        if (method == entry.method) return InRoom(request, room_id, entry.roles, entry.handler);
        methods += (methods.empty() ? "" : ", ") + std::string(entry.method);
      }
      if (!methods.empty()) return NotAllowed(methods);
      return NoRoute(request);
    }
    if (path.size() == 6 && what == "texts" && path[5] == "relay") {
      if (method != "POST") return NotAllowed("POST");
      std::string version = path[4];
      return InRoom(request, room_id, mediator,
                    [this, version](Room& room, const Participant& participant,
                                    const Request& inner, const Json& body) {
                      return RelayText(room, participant, inner, body, version);
                    });
    }
    if (path.size() == 5 && what == "clauses") {
      if (method != "PUT") return NotAllowed("PUT");
      std::string issue = path[4];
      return InRoom(request, room_id, {Role::kMediator, Role::kMember},
                    [this, issue](Room& room, const Participant& participant, const Request& inner,
                                  const Json& body) {
                      return PutClause(room, participant, inner, body, issue);
                    });
    }
    (void)principal;
    return NoRoute(request);
  }

 private:
  using Handler =
      std::function<ApiResult<Response>(Room&, const Participant&, const Request&, const Json&)>;

  static Response NoRoute(const Request& request) {
    return ErrorResponse(
        ApiError{ErrorKind::kNotFound,
                 "no route " + request.method + " " + request.path + " (see docs/http-api.md)"});
  }
  static Response NotAllowed(const std::string& methods) {
    return ErrorResponse(
        ApiError{ErrorKind::kNotAllowed, "method not allowed here; use " + methods});
  }

  ApiResult<Caller> Authorize(const Request& request) {
    ApiResult<Caller> caller = service_.Authenticate(request.token);
    if (!caller.ok()) return caller;
    if (!service_.AllowRate(caller.value().token_hash)) {
      return ApiError{ErrorKind::kRateLimited,
                      "too many requests for this token; slow down and retry"};
    }
    return caller;
  }

  template <typename F>
  Response Global(const Request& request, Roles roles, F handler) {
    ApiResult<Caller> caller = Authorize(request);
    if (!caller.ok()) return ErrorResponse(caller.error());
    if (!Allowed(roles, caller.value().role)) {
      return ErrorResponse(Forbidden("this route needs a " + RoleList(roles) + " token; yours is " +
                                     std::string(RoleName(caller.value().role))));
    }
    ApiResult<Response> response = handler(caller.value());
    return response.ok() ? response.value() : ErrorResponse(response.error());
  }

  Response InRoom(const Request& request, const std::string& room_id, Roles roles,
                  ApiResult<Response> (Routes::*handler)(Room&, const Participant&, const Request&,
                                                         const Json&),
                  bool admin_may_read = false) {
    return InRoom(
        request, room_id, roles,
        [this, handler](Room& room, const Participant& participant, const Request& inner,
                        const Json& body) {
          return (this->*handler)(room, participant, inner, body);
        },
        admin_may_read);
  }

  Response InRoom(const Request& request, const std::string& room_id, Roles roles,
                  const Handler& handler, bool admin_may_read = false) {
    ApiResult<Caller> caller_result = Authorize(request);
    if (!caller_result.ok()) return ErrorResponse(caller_result.error());
    const Caller& caller = caller_result.value();
    if (caller.role == Role::kAdmin) {
      std::shared_ptr<Room> room = service_.FindRoom(room_id);
      if (!room) return ErrorResponse(ApiError{ErrorKind::kNotFound, "no room '" + room_id + "'"});
      if (!admin_may_read) {
        return ErrorResponse(
            Forbidden("an admin token manages rooms but takes no part in them; "
                      "use a token of this room"));
      }
      std::lock_guard lock(room->mutex);
      return Response{200, RoomSummaryJson(*room)};
    }
    if (caller.room_id != room_id) {
      return ErrorResponse(Forbidden("this token belongs to another room"));
    }
    std::shared_ptr<Room> room = service_.FindRoom(room_id);
    if (!room) return ErrorResponse(ApiError{ErrorKind::kNotFound, "no room '" + room_id + "'"});
    if (!Allowed(roles, caller.role)) {
      return ErrorResponse(Forbidden("this route needs a " + RoleList(roles) + " token; yours is " +
                                     std::string(RoleName(caller.role))));
    }
    Json body = Json::object();
    if (request.method == "POST" || request.method == "PUT") {
      ApiResult<Json> parsed = ParseBody(request.body);
      if (!parsed.ok()) return ErrorResponse(parsed.error());
      body = std::move(parsed.value());
    }
    std::lock_guard lock(room->mutex);
    const Participant* participant = room->FindParticipant(caller.participant_id);
    if (participant == nullptr) return ErrorResponse(Forbidden("unknown participant"));
    Participant self = *participant;  // the list may grow while the handler runs
    ApiResult<Response> response = handler(*room, self, request, body);
    return response.ok() ? response.value() : ErrorResponse(response.error());
  }

  // ------------------------------------------------------------ global routes

  ApiResult<Response> WhoAmI(const Caller& caller) {
    Json json{{"role", RoleName(caller.role)}};
    if (!caller.room_id.empty()) {
      json["room"] = caller.room_id;
      if (std::shared_ptr<Room> room = service_.FindRoom(caller.room_id)) {
        std::lock_guard lock(room->mutex);
        if (const Participant* participant = room->FindParticipant(caller.participant_id)) {
          json["participant"] = ParticipantJson(*participant);
        }
      }
    }
    return Response{200, json};
  }

  ApiResult<Response> Strategies() {
    Json list = Json::array();
    for (const strategies::StrategyDescriptor* descriptor :
         strategies::StrategyRegistry::Global().All()) {
      if (descriptor->name.rfind("conformance_", 0) == 0) continue;
      Json roles = Json::array();
      for (model::Role role : descriptor->roles) roles.push_back(model::RoleName(role));
      list.push_back(
          Json{{"name", descriptor->name}, {"summary", descriptor->summary}, {"roles", roles}});
    }
    return Response{200, Json{{"strategies", std::move(list)}}};
  }

  ApiResult<Response> ListRooms(const Caller& caller) {
    std::vector<std::shared_ptr<Room>> rooms;
    {
      std::shared_lock lock(service_.rooms_mutex_);
      for (const auto& [room_id, room] : service_.rooms_) {
        if (caller.role == Role::kAdmin || room_id == caller.room_id) rooms.push_back(room);
      }
    }
    Json list = Json::array();
    for (const std::shared_ptr<Room>& room : rooms) {
      std::lock_guard lock(room->mutex);
      list.push_back(RoomSummaryJson(*room));
    }
    std::sort(list.begin(), list.end(), [](const Json& a, const Json& b) {
      return a["created_ms"].get<std::int64_t>() < b["created_ms"].get<std::int64_t>();
    });
    return Response{200, Json{{"rooms", std::move(list)}}};
  }

  ApiResult<Response> CreateRoom(const Caller& caller, const Request& request) {
    PARLEY_API_TRY(Json body, ParseBody(request.body));
    BodyReader reader(body, {"scenario", "title", "mediator_party", "mediator_name", "rounds"});
    std::optional<std::string> text = reader.String("scenario", true);
    std::optional<std::string> title = reader.String("title", false);
    std::optional<std::string> mediator_party = reader.String("mediator_party", false);
    std::optional<std::string> mediator_name = reader.String("mediator_name", false);
    std::optional<std::int64_t> rounds = reader.Integer("rounds", false);
    if (reader.error()) return *reader.error();
    if (rounds && (*rounds < 1 || *rounds > 100'000)) {
      return Unprocessable("field 'rounds' must be between 1 and 100000");
    }
    Result<model::Scenario> scenario = ParseScenarioText(*text);
    if (!scenario.ok()) return ErrorFromStatus(scenario.status());
    if (scenario->PrincipalIndices().size() < 2) {
      return Unprocessable("the scenario needs at least two enabled principals with preferences");
    }
    std::optional<std::size_t> mediator;
    if (mediator_party) {
      mediator = scenario->FindParty(*mediator_party);
      if (!mediator || scenario->parties[*mediator].role != model::Role::kMediator ||
          !scenario->parties[*mediator].enabled) {
        return Unprocessable("mediator_party: '" + *mediator_party +
                             "' is not an enabled mediator of the scenario");
      }
    } else {
      for (std::size_t party_idx = 0; party_idx < scenario->parties.size(); ++party_idx) {
        const model::Party& party = scenario->parties[party_idx];
        if (party.enabled && party.role == model::Role::kMediator) {
          mediator = party_idx;
          break;
        }
      }
      if (!mediator) {
        return Unprocessable(
            "the scenario has no enabled mediator party; add one (role: mediator) "
            "so the trace can name who relays texts");
      }
    }
    auto room = std::make_shared<Room>();
    {
      std::unique_lock lock(service_.rooms_mutex_);
      do {
        room->id = RandomHex(6);
      } while (service_.rooms_.count(room->id));
    }
    const model::Party& mediator_entry = scenario->parties[*mediator];
    std::string token = GenerateToken();
    Json mediator_json{{"id", "m"},
                       {"role", "mediator"},
                       {"party", mediator_entry.id},
                       {"name", mediator_name.value_or(mediator_entry.name)}};
    Json event_body{{"title", title.value_or(scenario->meta.title.empty() ? scenario->name
                                                                          : scenario->meta.title)},
                    {"scenario", *text},
                    {"mediator_party", mediator_entry.id},
                    {"rounds", rounds.value_or(50)},
                    {"mediator", mediator_json},
                    {"created_by", caller.token_hash.substr(0, 12)}};
    std::lock_guard room_lock(room->mutex);
    PARLEY_API_TRY(const Event* event,
                   service_.Commit(*room, "room_created", "", {}, std::move(event_body),
                                   {StoredToken{HashToken(token), room->id, "mediator", "m"}}));
    (void)event;
    {
      std::unique_lock lock(service_.rooms_mutex_);
      service_.rooms_[room->id] = room;
    }
    return Response{201, Json{{"room", RoomSummaryJson(*room)},
                              {"participant", ParticipantJson(room->participants.front())},
                              {"token", token}}};
  }

  // ------------------------------------------------------------ room routes

  ApiResult<Response> RoomView(Room& room, const Participant& participant, const Request&,
                               const Json&) {
    return Response{200, RoomViewJson(room, participant)};
  }

  ApiResult<Response> ListParticipants(Room& room, const Participant&, const Request&,
                                       const Json&) {
    Json list = Json::array();
    for (const Participant& participant : room.participants) {
      list.push_back(ParticipantJson(participant));
    }
    return Response{200, Json{{"participants", std::move(list)}}};
  }

  ApiResult<Response> AddParticipant(Room& room, const Participant& mediator, const Request&,
                                     const Json& body) {
    BodyReader reader(body, {"role", "party", "group", "name"});
    std::optional<std::string> role_text = reader.String("role", true);
    std::optional<std::string> party = reader.String("party", false);
    std::optional<std::string> group = reader.String("group", false);
    std::optional<std::string> name = reader.String("name", false);
    if (reader.error()) return *reader.error();
    std::optional<Role> role = ParseRole(*role_text);
    if (!role || *role == Role::kAdmin || *role == Role::kMediator) {
      return Unprocessable("role must be principal, member or observer, not '" + *role_text + "'");
    }
    if (!room.open()) return Conflict("the room is " + room.status);
    Participant participant;
    participant.id = "p" + std::to_string(room.participants.size());
    participant.role = *role;
    participant.name = name.value_or("");
    if (*role == Role::kPrincipal) {
      if (!party) return Unprocessable("a principal needs 'party', a principal of the scenario");
      if (!room.IsPrincipal(*party)) {
        return Unprocessable("'" + *party + "' is not an enabled principal of the scenario");
      }
      if (room.FindPrincipalParticipant(*party) != nullptr) {
        return Conflict("party '" + *party + "' already has a participant");
      }
      participant.party = *party;
    } else if (*role == Role::kMember) {
      if (!group) return Unprocessable("a member needs 'group', a working group of this room");
      if (room.FindGroup(*group) == nullptr) {
        return Unprocessable("no working group '" + *group + "' in this room");
      }
      participant.group = *group;
      if (party) {
        if (!room.IsPrincipal(*party)) {
          return Unprocessable("'" + *party + "' is not an enabled principal of the scenario");
        }
        participant.party = *party;
      }
    } else if (party || group) {
      return Unprocessable("an observer takes no 'party' or 'group'");
    }
    std::string token = GenerateToken();
    Json participant_json = ParticipantJson(participant);
    PARLEY_API_TRY(
        const Event* event,
        service_.Commit(room, "participant_added", mediator.id, {"participant:" + participant.id},
                        Json{{"participant", participant_json}},
                        {StoredToken{HashToken(token), room.id,
                                     std::string(RoleName(participant.role)), participant.id}}));
    (void)event;
    return Response{201, Json{{"participant", participant_json}, {"token", token}}};
  }

  ApiResult<Response> AddEngine(Room& room, const Participant& mediator, const Request&,
                                const Json& body) {
    BodyReader reader(body, {"party", "strategy", "name"});
    std::optional<std::string> party = reader.String("party", true);
    std::optional<std::string> strategy = reader.String("strategy", true);
    std::optional<std::string> name = reader.String("name", false);
    if (reader.error()) return *reader.error();
    if (!room.IsPrincipal(*party)) {
      return Unprocessable("'" + *party + "' is not an enabled principal of the scenario");
    }
    Status valid = CheckEngineStrategy(*strategy);
    if (!valid.ok()) return ErrorFromStatus(valid);
    if (!room.open()) return Conflict("the room is " + room.status);
    if (room.FindPrincipalParticipant(*party) != nullptr) {
      return Conflict("party '" + *party + "' already has a participant");
    }
    Participant participant;
    participant.id = "p" + std::to_string(room.participants.size());
    participant.role = Role::kPrincipal;
    participant.party = *party;
    participant.name = name.value_or(*strategy);
    participant.engine = *strategy;
    participant.seed = std::stoull(RandomHex(7), nullptr, 16);
    Json participant_json = ParticipantJson(participant);
    PARLEY_API_TRY(const Event* event, service_.Commit(room, "participant_added", mediator.id,
                                                       {"participant:" + participant.id},
                                                       Json{{"participant", participant_json}}));
    (void)event;
    service_.RunEngines(room);
    return Response{201, Json{{"participant", participant_json}}};
  }

  ApiResult<Response> GetPreferences(Room& room, const Participant& participant,
                                     const Request& request, const Json&) {
    std::string party = participant.party;
    if (participant.role == Role::kMediator) {
      auto it = request.query.find("party");
      if (it == request.query.end()) {
        return ApiError{ErrorKind::kBadRequest, "give ?party=ID, a principal of the room"};
      }
      party = it->second;
      if (!room.IsPrincipal(party)) return Unprocessable("'" + party + "' is not a principal");
    } else if (request.query.count("party") && request.query.at("party") != party) {
      return Forbidden("a principal sees only its own preferences");
    }
    return Response{200, PreferencesJson(room, *room.scenario.FindParty(party))};
  }

  ApiResult<Response> PutPreferences(Room& room, const Participant& participant, const Request&,
                                     const Json& body) {
    BodyReader reader(body, {"accept_scenario", "weights", "values", "reservation"});
    std::optional<bool> accept = reader.Bool("accept_scenario", false);
    const Json* weights = reader.Object("weights", false);
    const Json* values = reader.Object("values", false);
    std::optional<double> reservation = reader.Number("reservation", false);
    if (!reader.error() && accept.has_value() && !*accept) {
      reader.Fail("'accept_scenario' can only be true (or left out)");
    }
    if (!reader.error() && accept && (weights || values || reservation)) {
      reader.Fail("give either accept_scenario or weights/values/reservation, not both");
    }
    if (!reader.error() && !accept && !weights && !values && !reservation) {
      reader.Fail("give accept_scenario, weights, values or reservation");
    }
    if (reader.error()) return *reader.error();
    if (!room.open()) return Conflict("the room is " + room.status);
    std::size_t party_idx = *room.original.FindParty(participant.party);
    Result<model::Preferences> preferences = BuildPreferences(room.original, party_idx, body);
    if (!preferences.ok()) return ErrorFromStatus(preferences.status());
    PARLEY_API_TRY(const Event* event,
                   service_.Commit(room, "preferences_submitted", participant.id,
                                   {"party:" + participant.party},
                                   Json{{"party", participant.party}, {"preferences", body}}));
    (void)event;
    return Response{200, PreferencesJson(room, party_idx)};
  }

  ApiResult<Response> PostProposal(Room& room, const Participant& participant, const Request&,
                                   const Json& body) {
    PARLEY_API_TRY(Json result, service_.Propose(room, participant, body));
    return Response{201, std::move(result)};
  }

  ApiResult<Response> GetTexts(Room& room, const Participant& participant, const Request&,
                               const Json&) {
    return Response{200, TextsJson(room, participant)};
  }

  ApiResult<Response> PostText(Room& room, const Participant& participant, const Request&,
                               const Json& body) {
    BodyReader reader(body, {"outcome", "note"});
    const Json* outcome_json = reader.Object("outcome", true);
    std::string note = reader.String("note", false).value_or("");
    if (reader.error()) return *reader.error();
    if (note.size() > kMaxTextChars) return Unprocessable("field 'note' is too long");
    if (!room.open()) return Conflict("the room is " + room.status + "; no more texts");
    Result<model::Outcome> outcome = session::OutcomeFromJson(
        room.scenario, nlohmann::json::parse(outcome_json->dump()), "outcome");
    if (!outcome.ok()) return ErrorFromStatus(outcome.status());
    int version = static_cast<int>(room.texts.size()) + 1;
    Json event_body{{"version", version}, {"outcome", io::OutcomeJson(room.scenario, *outcome)}};
    if (!note.empty()) event_body["note"] = note;
    PARLEY_API_TRY(const Event* event, service_.Commit(room, "text_drafted", participant.id, {},
                                                       std::move(event_body)));
    return Response{201, Json{{"version", version}, {"seq", event->seq}}};
  }

  ApiResult<Response> RelayText(Room& room, const Participant& participant, const Request&,
                                const Json& body, const std::string& version_text) {
    BodyReader reader(body, {"to", "note"});
    std::optional<std::vector<std::string>> to = reader.StringList("to", false);
    std::string note = reader.String("note", false).value_or("");
    if (reader.error()) return *reader.error();
    int version = 0;
    try {
      std::size_t used = 0;
      version = std::stoi(version_text, &used);
      if (used != version_text.size()) version = 0;
    } catch (const std::exception&) {
      version = 0;
    }
    if (version < 1 || version > static_cast<int>(room.texts.size())) {
      return ApiError{ErrorKind::kNotFound, "no text version '" + version_text + "'"};
    }
    std::vector<std::string> recipients;
    if (!to || to->empty()) {
      for (std::size_t principal : room.principals) {
        recipients.push_back(room.scenario.parties[principal].id);
      }
    } else {
      for (const std::string& party : *to) {
        if (!room.IsPrincipal(party)) {
          return Unprocessable("to: '" + party + "' is not a principal of the room");
        }
        if (std::find(recipients.begin(), recipients.end(), party) == recipients.end()) {
          recipients.push_back(party);
        }
      }
    }
    if (!room.open()) return Conflict("the room is " + room.status + "; nothing more to relay");
    const Text& text = room.texts[version - 1];
    std::vector<std::string> audience;
    for (const std::string& party : recipients) audience.push_back("party:" + party);
    Json event_body{{"version", version},
                    {"to", recipients},
                    {"outcome", io::OutcomeJson(room.scenario, text.outcome)}};
    if (!note.empty()) event_body["note"] = note;
    PARLEY_API_TRY(const Event* event, service_.Commit(room, "text_relayed", participant.id,
                                                       audience, std::move(event_body)));
    Json result{
        {"version", version}, {"to", recipients}, {"seq", event->seq}, {"round", room.round}};
    service_.RunEngines(room);
    result["room_status"] = room.status;
    return Response{200, std::move(result)};
  }

  ApiResult<Response> PostResponse(Room& room, const Participant& participant, const Request&,
                                   const Json& body) {
    PARLEY_API_TRY(Json result, service_.Respond(room, participant, body));
    return Response{201, std::move(result)};
  }

  ApiResult<Response> PostMessage(Room& room, const Participant& participant, const Request&,
                                  const Json& body) {
    BodyReader reader(body, {"to", "text", "outcome"});
    std::optional<std::vector<std::string>> to = reader.StringList("to", false);
    std::optional<std::string> text = reader.String("text", true);
    const Json* outcome_json = reader.Object("outcome", false);
    if (reader.error()) return *reader.error();
    if (text->empty() || text->size() > kMaxTextChars) {
      return Unprocessable("field 'text' must have 1 to 20000 characters");
    }
    std::vector<std::string> recipients = to.value_or(std::vector<std::string>{});
    std::vector<std::string> audience;
    if (participant.role == Role::kMediator) {
      if (recipients.empty()) {
        return Unprocessable("'to' must name principals (party ids) or groups (group:ID)");
      }
      for (const std::string& recipient : recipients) {
        if (recipient.rfind("group:", 0) == 0) {
          if (room.FindGroup(recipient.substr(6)) == nullptr) {
            return Unprocessable("to: no working group '" + recipient.substr(6) + "'");
          }
          audience.push_back(recipient);
        } else if (room.IsPrincipal(recipient)) {
          audience.push_back("party:" + recipient);
        } else {
          return Unprocessable("to: '" + recipient + "' is not a principal or group:ID");
        }
      }
    } else if (participant.role == Role::kPrincipal) {
      for (const std::string& recipient : recipients) {
        if (recipient != "mediator") {
          return Forbidden("a principal may address only the mediator (to: [\"mediator\"])");
        }
      }
      recipients = {"mediator"};
      audience = {"party:" + participant.party};
    } else {
      for (const std::string& recipient : recipients) {
        if (recipient != "mediator" && recipient != "group:" + participant.group) {
          return Forbidden("a working-group member may address the mediator or its own group");
        }
      }
      if (recipients.empty()) recipients = {"mediator"};
      audience = {"participant:" + participant.id};
      if (std::find(recipients.begin(), recipients.end(), "group:" + participant.group) !=
          recipients.end()) {
        audience.push_back("group:" + participant.group);
      }
    }
    if (!room.open()) return Conflict("the room is " + room.status);
    Json event_body{{"from", participant.id}, {"to", recipients}, {"text", *text}};
    if (!participant.party.empty()) event_body["party"] = participant.party;
    if (outcome_json != nullptr) {
      Result<model::Outcome> outcome = session::OutcomeFromJson(
          room.scenario, nlohmann::json::parse(outcome_json->dump()), "outcome");
      if (!outcome.ok()) return ErrorFromStatus(outcome.status());
      event_body["outcome"] = io::OutcomeJson(room.scenario, *outcome);
    }
    PARLEY_API_TRY(const Event* event, service_.Commit(room, "message", participant.id, audience,
                                                       std::move(event_body)));
    return Response{201, Json{{"seq", event->seq}}};
  }

  ApiResult<Response> GetGroups(Room& room, const Participant& participant, const Request&,
                                const Json&) {
    Json list = Json::array();
    for (const Group& group : room.groups) {
      if (participant.role == Role::kMember && group.id != participant.group) continue;
      list.push_back(GroupJson(room, group));
    }
    return Response{200, Json{{"groups", std::move(list)}}};
  }

  ApiResult<Response> PostGroup(Room& room, const Participant& participant, const Request&,
                                const Json& body) {
    BodyReader reader(body, {"name", "issues"});
    std::optional<std::string> name = reader.String("name", true);
    std::optional<std::vector<std::string>> issues = reader.StringList("issues", true);
    if (reader.error()) return *reader.error();
    if (issues->empty()) return Unprocessable("'issues' must name at least one issue");
    std::set<std::string> seen;
    for (const std::string& issue : *issues) {
      if (!room.scenario.FindIssue(issue)) {
        return Unprocessable("issues: no issue '" + issue + "' in the scenario");
      }
      if (!seen.insert(issue).second) return Unprocessable("issues: '" + issue + "' twice");
    }
    if (!room.open()) return Conflict("the room is " + room.status);
    std::string id = "g" + std::to_string(room.groups.size() + 1);
    Json group{{"id", id}, {"name", *name}, {"issues", *issues}};
    PARLEY_API_TRY(const Event* event, service_.Commit(room, "group_created", participant.id,
                                                       {"group:" + id}, Json{{"group", group}}));
    (void)event;
    return Response{201, Json{{"group", GroupJson(room, room.groups.back())}}};
  }

  ApiResult<Response> PutClause(Room& room, const Participant& participant, const Request&,
                                const Json& body, const std::string& issue) {
    BodyReader reader(body, {"status", "note"});
    std::optional<std::string> status_text = reader.String("status", true);
    std::string note = reader.String("note", false).value_or("");
    if (reader.error()) return *reader.error();
    std::optional<std::size_t> issue_idx = room.scenario.FindIssue(issue);
    if (!issue_idx) return ApiError{ErrorKind::kNotFound, "no issue '" + issue + "'"};
    if (participant.role == Role::kMember) {
      const Group* group = room.FindGroup(participant.group);
      if (group == nullptr || std::find(group->issues.begin(), group->issues.end(), *issue_idx) ==
                                  group->issues.end()) {
        return Forbidden("issue '" + issue + "' is not one of your working group's issues");
      }
    }
    std::optional<ClauseStatus> status = ParseClauseStatus(*status_text);
    if (!status) {
      return Unprocessable("status must be open, agreed_in_principle or finalised, not '" +
                           *status_text + "'");
    }
    if (note.size() > kMaxTextChars) return Unprocessable("field 'note' is too long");
    if (!room.open()) return Conflict("the room is " + room.status);
    Json event_body{
        {"issue", issue}, {"status", ClauseStatusName(*status)}, {"by", participant.id}};
    if (!note.empty()) event_body["note"] = note;
    PARLEY_API_TRY(const Event* event, service_.Commit(room, "clause_status", participant.id,
                                                       {"all"}, std::move(event_body)));
    return Response{
        200, Json{{"seq", event->seq}, {"issue", issue}, {"status", ClauseStatusName(*status)}}};
  }

  ApiResult<Response> GetAnalysis(Room& room, const Participant&, const Request&, const Json&) {
    PARLEY_API_TRY(Json analysis, AnalysisJson(room));
    return Response{200, std::move(analysis)};
  }

  ApiResult<Response> GetPace(Room& room, const Participant&, const Request&, const Json&) {
    return Response{200, PaceJson(room)};
  }

  ApiResult<Response> GetLog(Room& room, const Participant& participant, const Request& request,
                             const Json&) {
    PARLEY_API_TRY(std::int64_t after, QueryInt(request, "after", -1));
    Json events = Json::array();
    bool more = false;
    for (const Event& event : room.log) {
      if (event.seq <= after || !Visible(participant, event)) continue;
      if (events.size() == kMaxLogPage) {
        more = true;
        break;
      }
      events.push_back(EventJsonFor(participant, event));
    }
    return Response{200, Json{{"events", std::move(events)},
                              {"more", more},
                              {"status", room.status},
                              {"last_seq", room.log.empty() ? -1 : room.log.back().seq}}};
  }

  ApiResult<Response> PostClose(Room& room, const Participant& participant, const Request&,
                                const Json& body) {
    BodyReader reader(body, {"reason"});
    std::string reason = reader.String("reason", false).value_or("closed by the mediator");
    if (reader.error()) return *reader.error();
    if (!room.open()) return Conflict("the room is already " + room.status);
    PARLEY_API_TRY(const Event* event, service_.Commit(room, "closed", participant.id, {"all"},
                                                       Json{{"reason", reason}}));
    return Response{200, Json{{"seq", event->seq}, {"status", room.status}}};
  }

  ApiResult<Response> GetExport(Room& room, const Participant&, const Request&, const Json&) {
    Result<std::string> trace = ExportTraceLocked(room, room.id + ".scenario.yaml");
    if (!trace.ok()) return ErrorFromStatus(trace.status(), ErrorKind::kInternal);
    return Response{200, Json::parse(*trace)};
  }

  Service& service_;
};

Response Service::Route(const Request& request) { return Routes(*this).Dispatch(request); }

ApiResult<Service::Stream> Service::WaitForEvents(const std::string& room_id,
                                                  const std::string& token, std::int64_t after,
                                                  std::chrono::milliseconds wait) {
  PARLEY_API_TRY(Caller caller, Authenticate(token));
  if (caller.role == Role::kAdmin) {
    return Forbidden("an admin token takes no part in rooms; use a token of this room");
  }
  if (caller.room_id != room_id) return Forbidden("this token belongs to another room");
  std::shared_ptr<Room> room = FindRoom(room_id);
  if (!room) return ApiError{ErrorKind::kNotFound, "no room '" + room_id + "'"};
  std::unique_lock lock(room->mutex);
  const Participant* found = room->FindParticipant(caller.participant_id);
  if (found == nullptr) return Forbidden("unknown participant");
  Participant participant = *found;
  auto has_new = [&] {
    return static_cast<std::int64_t>(room->log.size()) - 1 > after || !room->open();
  };
  room->changed.wait_for(lock, wait, has_new);
  Stream stream;
  for (const Event& event : room->log) {
    if (event.seq > after && Visible(participant, event))
      stream.events.push_back(EventJsonFor(participant, event));
  }
  stream.finished = !room->open();
  return stream;
}

}  // namespace parley::server::api
