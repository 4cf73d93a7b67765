// Every route of the HTTP API (docs/http-api.md): matching, authorization, and the handlers.
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "parley/analysis/analyze.h"
#include "parley/io/outcome_json.h"
#include "parley/protocols/protocol.h"
#include "parley/session/trace_json.h"
#include "parley/strategies/strategy.h"
#include "server/api/access.h"
#include "server/api/body.h"
#include "server/api/copilot.h"
#include "server/api/service.h"
#include "server/api/talks.h"
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

// The path's segments, each %-decoded: an issue id with a '/' ("Vegetarian (yes/no)") is
// addressed as "Vegetarian%20(yes%2Fno)". Nullopt for a malformed escape.
std::optional<std::vector<std::string>> SplitPath(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) {
      std::optional<std::string> segment =
          PercentDecode(std::string_view(path).substr(start, end - start));
      if (!segment) return std::nullopt;
      segments.push_back(std::move(*segment));
    }
    start = end + 1;
  }
  return segments;
}

using Roles = std::initializer_list<Role>;

bool Allowed(Roles roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// Seeds travel as JSON numbers, exact up to 2^53.
constexpr std::int64_t kMaxSeed = std::int64_t{1} << 53;

std::string RoleList(Roles roles) {
  std::string list;
  for (Role role : roles) list += (list.empty() ? "" : " or ") + std::string(RoleName(role));
  return list;
}

// The creator speaks as a mediator party when the protocol has principals talk through one,
// and chairs the room otherwise: the mediator party's index, or none for a chair.
ApiResult<std::optional<std::size_t>> ChooseMediator(
    const model::Scenario& scenario, const protocols::ProtocolDescriptor& descriptor,
    const std::optional<std::string>& mediator_party) {
  std::optional<std::size_t> first_mediator;
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    const model::Party& party = scenario.parties[party_idx];
    if (party.enabled && party.role == model::Role::kMediator) {
      first_mediator = party_idx;
      break;
    }
  }
  const bool mediated =
      descriptor.mediation == protocols::Mediation::kRequired ||
      (descriptor.mediation == protocols::Mediation::kWhenPresent && first_mediator.has_value());
  std::optional<std::size_t> mediator;
  if (mediated && mediator_party) {
    mediator = scenario.FindParty(*mediator_party);
    if (!mediator || scenario.parties[*mediator].role != model::Role::kMediator ||
        !scenario.parties[*mediator].enabled) {
      return Unprocessable("mediator_party: '" + Excerpt(*mediator_party) +
                           "' is not an enabled mediator of the scenario");
    }
  } else if (mediated) {
    mediator = first_mediator;
    if (!mediator) {
      return Unprocessable("protocol '" + descriptor.name +
                           "' needs a mediator and the scenario has no enabled mediator party; "
                           "add one (role: mediator) or choose a protocol without one "
                           "(GET /api/protocols)");
    }
  } else if (mediator_party) {
    return Unprocessable("protocol '" + descriptor.name +
                         "' takes no mediator: leave out mediator_party (you chair the room)");
  }
  return mediator;
}

// The protocol must run on this scenario: a trial start with every seat a person (nothing is
// asked of anyone yet, so it costs nothing).
Status TrialStart(const model::Scenario& scenario, const std::string& protocol,
                  std::optional<std::size_t> mediator, int max_rounds, std::uint64_t seed) {
  Seats trial;
  for (std::size_t principal : scenario.PrincipalIndices()) trial.persons.insert(principal);
  if (mediator) trial.persons.insert(*mediator);
  Result<std::unique_ptr<Talks>> trial_talks =
      Talks::Start(scenario, protocol, trial, max_rounds, seed);
  if (!trial_talks.ok()) return trial_talks.status();
  return Status::Ok();
}

// The room creator's participant: the mediator party's, or the chair.
Json CreatorJson(const model::Scenario& scenario, std::optional<std::size_t> mediator,
                 const std::optional<std::string>& mediator_name,
                 const std::optional<std::string>& chair_name) {
  if (mediator) {
    const model::Party& mediator_entry = scenario.parties[*mediator];
    return Json{{"id", "m"},
                {"role", "mediator"},
                {"party", mediator_entry.id},
                {"name", mediator_name.value_or(mediator_entry.name)}};
  }
  return Json{{"id", "m"}, {"role", "chair"}, {"name", chair_name.value_or("chair")}};
}

// Each issue's clause accepted or rejected: `accept` for all, then `clauses` issue by issue.
ApiResult<std::vector<bool>> ReadClauses(const model::Scenario& scenario, const Json* clauses_json,
                                         std::optional<bool> accept) {
  std::vector<bool> clauses(scenario.issues.size(), accept.value_or(false));
  if (clauses_json == nullptr) return clauses;
  for (auto it = clauses_json->begin(); it != clauses_json->end(); ++it) {
    std::optional<std::size_t> issue_idx = scenario.FindIssue(it.key());
    if (!issue_idx) {
      return Unprocessable("clauses: no issue '" + Excerpt(it.key()) + "' in the scenario");
    }
    if (!it->is_string() || (*it != "accept" && *it != "reject")) {
      return ApiError{ErrorKind::kBadRequest,
                      "clauses." + Excerpt(it.key()) + " must be \"accept\" or \"reject\""};
    }
    clauses[*issue_idx] = *it == "accept";
  }
  return clauses;
}

// A response to text `version` as the protocol asks for it: an acceptance or rejection, or a
// vote; a conflict when it asks for neither (a rejection where only acceptance is possible).
ApiResult<protocols::Action> ResponseAction(const std::vector<protocols::ActionType>& allowed,
                                            bool all, int version) {
  auto allows = [&](protocols::ActionType type) {
    return std::find(allowed.begin(), allowed.end(), type) != allowed.end();
  };
  protocols::Action action;
  if (allows(all ? protocols::ActionType::kAccept : protocols::ActionType::kReject)) {
    action.type = all ? protocols::ActionType::kAccept : protocols::ActionType::kReject;
  } else if (allows(protocols::ActionType::kVote)) {
    action.type = protocols::ActionType::kVote;
    action.accept = all;
  } else {
    return Conflict("out of turn: the protocol lets you accept version " + std::to_string(version) +
                    " now, or make a proposal or pass; it does not ask for a rejection");
  }
  return action;
}

}  // namespace

class Routes {
 public:
  explicit Routes(Service& service) : service_(service) {}

  Response Dispatch(const Request& request) {
    std::optional<std::vector<std::string>> split = SplitPath(request.path);
    if (!split) {
      return ErrorResponse(ApiError{ErrorKind::kBadRequest,
                                    "the path has a malformed %-escape: " + Excerpt(request.path)});
    }
    const std::vector<std::string>& path = *split;
    if (path.size() < 2 || path[0] != "api") return NoRoute(request);
    if (path.size() == 2) return DispatchTopLevel(request, path[1]);
    if (path[1] != "rooms") return NoRoute(request);
    return DispatchRoom(request, path);
  }

 private:
  // /api/NAME: health, whoami, strategies, protocols, rooms.
  Response DispatchTopLevel(const Request& request, const std::string& name) {
    const std::string& method = request.method;
    if (name == "health") {
      if (method != "GET") return NotAllowed("GET");
      return Response{200, Json{{"status", "ok"},
                                {"store", service_.store_->Backend()},
                                {"rooms", service_.NumRooms()}}};
    }
    if (name == "whoami") {
      if (method != "GET") return NotAllowed("GET");
      return Global(request,
                    {Role::kAdmin, Role::kMediator, Role::kPrincipal, Role::kMember,
                     Role::kObserver, Role::kChair},
                    [&](const Caller& caller) { return WhoAmI(caller); });
    }
    if (name == "strategies" || name == "protocols") {
      if (method != "GET") return NotAllowed("GET");
      const bool strategies = name == "strategies";
      return Global(request,
                    {Role::kAdmin, Role::kMediator, Role::kPrincipal, Role::kMember,
                     Role::kObserver, Role::kChair},
                    [&](const Caller&) { return strategies ? Strategies() : Protocols(); });
    }
    if (name == "rooms") {
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
    return NoRoute(request);
  }

  // /api/rooms/ID and below.
  Response DispatchRoom(const Request& request, const std::vector<std::string>& path) {
    const std::string& method = request.method;
    const std::string& room_id = path[2];
    const Roles everyone = {Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver,
                            Role::kChair};
    const Roles mediator = {Role::kMediator};
    if (path.size() == 3) {
      if (method != "GET") return NotAllowed("GET");
      return InRoom(request, room_id, everyone, &Routes::RoomView, /*admin_may_read=*/true);
    }
    const std::string& what = path[3];
    if (path.size() == 4) return DispatchRoomResource(request, room_id, what);
    if (path.size() == 6 && what == "texts" && path[5] == "relay") {
      if (method != "POST") return NotAllowed("POST");
      std::string version = path[4];
      return InRoom(request, room_id, mediator,
                    [this, version](Room& room, const Participant& participant,
                                    const Request& inner, const Json& body) {
                      return RelayText(room, participant, inner, body, version);
                    });
    }
    if (path.size() == 6 && what == "participants" && path[5] == "token") {
      return AccessRoutes(service_).Token(request, room_id, path[4]);
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
    return NoRoute(request);
  }

  // /api/rooms/ID/WHAT: the table of resources, their methods and the roles allowed.
  Response DispatchRoomResource(const Request& request, const std::string& room_id,
                                const std::string& what) {
    const std::string& method = request.method;
    struct Entry {
      const char* name;
      const char* method;
      Roles roles;
      ApiResult<Response> (Routes::*handler)(Room&, const Participant&, const Request&,
                                             const Json&);
    };
    static const Entry kEntries[] = {
        {"participants", "GET", {Role::kMediator, Role::kChair}, &Routes::ListParticipants},
        {"participants", "POST", {Role::kMediator, Role::kChair}, &Routes::AddParticipant},
        {"engines", "POST", {Role::kMediator, Role::kChair}, &Routes::AddEngine},
        {"actions", "POST", {Role::kMediator, Role::kPrincipal}, &Routes::PostAction},
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
        {"analysis", "GET", {Role::kMediator}, nullptr},
        {"suggestions", "GET", {Role::kMediator}, nullptr},
        {"evaluation", "POST", {Role::kMediator, Role::kPrincipal}, &Routes::PostEvaluation},
        {"pace", "GET", {Role::kMediator}, &Routes::GetPace},
        {"log",
         "GET",
         {Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver, Role::kChair},
         &Routes::GetLog},
        {"events",
         "GET",
         {Role::kMediator, Role::kPrincipal, Role::kMember, Role::kObserver, Role::kChair},
         &Routes::GetLog},
        {"close", "POST", {Role::kMediator, Role::kChair}, &Routes::PostClose},
        {"export", "GET", {Role::kMediator}, nullptr},
    };
    std::string methods;
    for (const Entry& entry : kEntries) {
      if (what != entry.name) continue;
      if (method == entry.method) {
        // Heavy work runs without the room's lock (compute.h).
        if (what == "analysis")
          return InRoomUnlocked(request, room_id, entry.roles, &Routes::GetAnalysis);
        if (what == "export")
          return InRoomUnlocked(request, room_id, entry.roles, &Routes::GetExport);
        if (what == "suggestions")
          return InRoomUnlocked(request, room_id, entry.roles, &Routes::GetSuggestions);
        return InRoom(request, room_id, entry.roles, entry.handler);
      }
      methods += (methods.empty() ? "" : ", ") + std::string(entry.method);
    }
    if (!methods.empty()) return NotAllowed(methods);
    return NoRoute(request);
  }

  using Handler =
      std::function<ApiResult<Response>(Room&, const Participant&, const Request&, const Json&)>;

  static Response NoRoute(const Request& request) {
    return ErrorResponse(ApiError{ErrorKind::kNotFound, "no route " + Excerpt(request.method, 16) +
                                                            " " + Excerpt(request.path) +
                                                            " (see docs/http-api.md)"});
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

  using UnlockedHandler = ApiResult<Response> (Routes::*)(const std::shared_ptr<Room>&,
                                                          const Participant&, const Request&);

  // A read route whose work must not hold the room's lock: the checks of InRoom, then the
  // handler takes the lock itself, briefly.
  Response InRoomUnlocked(const Request& request, const std::string& room_id, Roles roles,
                          UnlockedHandler handler) {
    std::shared_ptr<Room> room;
    std::optional<Participant> self;
    Response refused = InRoom(request, room_id, roles,
                              [&](Room& locked, const Participant& participant, const Request&,
                                  const Json&) -> ApiResult<Response> {
                                self = participant;
                                room = service_.FindRoom(locked.id);
                                return Response{};
                              });
    if (!self || !room) return refused;
    ApiResult<Response> response = (this->*handler)(room, *self, request);
    return response.ok() ? response.value() : ErrorResponse(response.error());
  }

  Response InRoom(const Request& request, const std::string& room_id, Roles roles,
                  const Handler& handler, bool admin_may_read = false) {
    ApiResult<Caller> caller_result = Authorize(request);
    if (!caller_result.ok()) return ErrorResponse(caller_result.error());
    const Caller& caller = caller_result.value();
    if (caller.role == Role::kAdmin) {
      std::shared_ptr<Room> room = service_.FindRoom(room_id);
      if (!room) {
        return ErrorResponse(ApiError{ErrorKind::kNotFound, "no room '" + Excerpt(room_id) + "'"});
      }
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
    if (!room) {
      return ErrorResponse(ApiError{ErrorKind::kNotFound, "no room '" + Excerpt(room_id) + "'"});
    }
    if (!Allowed(roles, caller.role)) {
      return ErrorResponse(Forbidden("this route needs a " + RoleList(roles) + " token; yours is " +
                                     std::string(RoleName(caller.role))));
    }
    Json body = Json::object();
    const bool writes = request.method == "POST" || request.method == "PUT";
    if (writes) {
      ApiResult<Json> parsed = ParseBody(request.body);
      if (!parsed.ok()) return ErrorResponse(parsed.error());
      body = std::move(parsed.value());
    }
    // A request that may commit an event is the room's only writer (room.h): it waits for the
    // one before it, which may be an engine thinking, but not for ever.
    std::unique_lock drive(room->drive_mutex, std::defer_lock);
    if (writes && !drive.try_lock_for(service_.options_.drive_wait)) {
      return ErrorResponse(ApiError{ErrorKind::kUnavailable,
                                    "the room is busy (its protocol is still working on the "
                                    "previous action: an engine thinking); retry shortly"});
    }
    std::unique_lock lock(room->mutex);
    room_lock_ = &lock;
    const Participant* participant = room->FindParticipant(caller.participant_id);
    if (participant == nullptr) return ErrorResponse(Forbidden("unknown participant"));
    Participant self = *participant;  // the list may grow while the handler runs
    ApiResult<Response> response = handler(*room, self, request, body);
    room_lock_ = nullptr;
    return response.ok() ? response.value() : ErrorResponse(response.error());
  }

  // Service::Commit with the request's hold on the room (InRoom, CreateRoom).
  ApiResult<const Event*> Commit(Room& room, const std::string& type, const std::string& actor,
                                 std::vector<std::string> audience, Json body,
                                 std::vector<StoredToken> tokens = {}) {
    PARLEY_CHECK(room_lock_ != nullptr);
    return service_.Commit(room, *room_lock_, type, actor, std::move(audience), std::move(body),
                           std::move(tokens));
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

  // The protocols a room may run (descriptors flagged live), with their parameters.
  ApiResult<Response> Protocols() {
    Json list = Json::array();
    for (const protocols::ProtocolDescriptor* descriptor :
         protocols::ProtocolRegistry::Global().All()) {
      if (!descriptor->live || descriptor->name.rfind("conformance_", 0) == 0) continue;
      Json parameters = Json::array();
      for (const protocols::ParameterSpec& parameter : descriptor->parameters) {
        Json entry{{"name", parameter.name},
                   {"type", protocols::ParameterTypeName(parameter.type)},
                   {"default", parameter.default_value},
                   {"description", parameter.help}};
        if (!parameter.choices.empty()) entry["choices"] = parameter.choices;
        parameters.push_back(std::move(entry));
      }
      list.push_back(Json{{"name", descriptor->name},
                          {"summary", descriptor->summary},
                          {"mediation", protocols::MediationName(descriptor->mediation)},
                          {"parameters", std::move(parameters)}});
    }
    return Response{200, Json{{"protocols", std::move(list)}}};
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
    BodyReader reader(body, {"scenario", "title", "mediator_party", "mediator_name", "rounds",
                             "protocol", "seed", "chair_name"});
    std::optional<std::string> text = reader.String("scenario", true);
    std::optional<std::string> title = reader.String("title", false);
    std::optional<std::string> mediator_party = reader.String("mediator_party", false);
    std::optional<std::string> mediator_name = reader.String("mediator_name", false);
    std::optional<std::string> chair_name = reader.String("chair_name", false);
    std::optional<std::int64_t> rounds = reader.Integer("rounds", false);
    std::optional<std::string> protocol_spec = reader.String("protocol", false);
    std::optional<std::int64_t> seed_given = reader.Integer("seed", false);
    if (reader.error()) return *reader.error();
    if (rounds && (*rounds < 1 || *rounds > 100'000)) {
      return Unprocessable("field 'rounds' must be between 1 and 100000");
    }
    if (seed_given && (*seed_given < 0 || *seed_given > kMaxSeed)) {
      return Unprocessable("field 'seed' must be an integer from 0 to 2^53");
    }
    Result<protocols::ResolvedSpec<protocols::ProtocolDescriptor>> protocol =
        protocols::ProtocolRegistry::Global().Resolve(protocol_spec.value_or("shuttle"),
                                                      std::nullopt, "protocol");
    if (!protocol.ok()) return ErrorFromStatus(protocol.status());
    const protocols::ProtocolDescriptor& descriptor = *protocol->descriptor;
    if (!descriptor.live) {
      return Unprocessable("protocol '" + descriptor.name +
                           "' cannot run in a live room (it asks what a person cannot answer "
                           "over time); GET /api/protocols lists those that can");
    }
    Result<model::Scenario> scenario = ParseScenarioText(*text);
    if (!scenario.ok()) return ErrorFromStatus(scenario.status());
    if (scenario->PrincipalIndices().size() < 2) {
      return Unprocessable("the scenario needs at least two enabled principals with preferences");
    }
    PARLEY_API_TRY(std::optional<std::size_t> mediator,
                   ChooseMediator(*scenario, descriptor, mediator_party));
    const std::uint64_t seed = seed_given ? static_cast<std::uint64_t>(*seed_given)
                                          : std::stoull(RandomHex(6), nullptr, 16);
    const int max_rounds = static_cast<int>(rounds.value_or(50));
    Status runs = TrialStart(*scenario, protocol->canonical, mediator, max_rounds, seed);
    if (!runs.ok()) return ErrorFromStatus(runs);

    auto room = std::make_shared<Room>();
    {
      std::unique_lock lock(service_.rooms_mutex_);
      do {
        room->id = RandomHex(6);
      } while (service_.rooms_.count(room->id));
    }
    std::string token = GenerateToken();
    const Json creator = CreatorJson(*scenario, mediator, mediator_name, chair_name);
    Json event_body{{"title", title.value_or(scenario->meta.title.empty() ? scenario->name
                                                                          : scenario->meta.title)},
                    {"scenario", *text},
                    {"protocol", protocol->canonical},
                    {"seed", seed},
                    {"rounds", max_rounds}};
    if (mediator) event_body["mediator_party"] = scenario->parties[*mediator].id;
    event_body["creator"] = creator;
    event_body["created_by"] = caller.token_hash.substr(0, 12);
    std::unique_lock drive(room->drive_mutex);
    std::unique_lock room_lock(room->mutex);
    room_lock_ = &room_lock;
    ApiResult<const Event*> created =
        Commit(*room, "room_created", "", {}, std::move(event_body),
               {StoredToken{HashToken(token), room->id, mediator ? "mediator" : "chair", "m"}});
    room_lock_ = nullptr;
    if (!created.ok()) return created.error();
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
    return Response{200, Json{{"participants", AccessRoutes(service_).Invitations(room)}}};
  }

  ApiResult<Response> AddParticipant(Room& room, const Participant& inviter, const Request&,
                                     const Json& body) {
    BodyReader reader(body, {"role", "party", "group", "name"});
    std::optional<std::string> role_text = reader.String("role", true);
    std::optional<std::string> party = reader.String("party", false);
    std::optional<std::string> group = reader.String("group", false);
    std::optional<std::string> name = reader.String("name", false);
    if (reader.error()) return *reader.error();
    std::optional<Role> role = ParseRole(*role_text);
    if (!role || *role == Role::kAdmin || *role == Role::kMediator) {
      return Unprocessable("role must be principal, member or observer, not '" +
                           Excerpt(*role_text) + "'");
    }
    if (!room.open()) return Conflict("the room is " + room.status);
    Participant participant;
    participant.id = "p" + std::to_string(room.participants.size());
    participant.role = *role;
    participant.name = name.value_or("");
    if (*role == Role::kPrincipal) {
      if (!party) return Unprocessable("a principal needs 'party', a principal of the scenario");
      if (!room.IsPrincipal(*party)) {
        return Unprocessable("'" + Excerpt(*party) +
                             "' is not an enabled principal of the scenario");
      }
      if (room.FindPrincipalParticipant(*party) != nullptr) {
        return Conflict("party '" + *party + "' already has a participant");
      }
      participant.party = *party;
    } else if (*role == Role::kMember) {
      if (!group) return Unprocessable("a member needs 'group', a working group of this room");
      if (room.FindGroup(*group) == nullptr) {
        return Unprocessable("no working group '" + Excerpt(*group) + "' in this room");
      }
      participant.group = *group;
      if (party) {
        if (!room.IsPrincipal(*party)) {
          return Unprocessable("'" + Excerpt(*party) +
                               "' is not an enabled principal of the scenario");
        }
        participant.party = *party;
      }
    } else if (party || group) {
      return Unprocessable("an observer takes no 'party' or 'group'");
    }
    std::string token = GenerateToken();
    Json participant_json = ParticipantJson(participant);
    PARLEY_API_TRY(const Event* event,
                   Commit(room, "participant_added", inviter.id, {"participant:" + participant.id},
                          Json{{"participant", participant_json}},
                          {StoredToken{HashToken(token), room.id,
                                       std::string(RoleName(participant.role)), participant.id}}));
    (void)event;
    return Response{201, Json{{"participant", participant_json}, {"token", token}}};
  }

  // An engine takes a party's seat: a principal's, or before the talks start a mediator party's
  // (the creator's own, or a co-mediator's) in a mediated room.
  ApiResult<Response> AddEngine(Room& room, const Participant& inviter, const Request&,
                                const Json& body) {
    BodyReader reader(body, {"party", "strategy", "name"});
    std::optional<std::string> party = reader.String("party", true);
    std::optional<std::string> strategy = reader.String("strategy", true);
    std::optional<std::string> name = reader.String("name", false);
    if (reader.error()) return *reader.error();
    std::optional<std::size_t> party_idx = room.scenario.FindParty(*party);
    const bool principal = room.IsPrincipal(*party);
    const bool mediator_party = party_idx && room.mediated() &&
                                room.scenario.parties[*party_idx].enabled &&
                                room.scenario.parties[*party_idx].role == model::Role::kMediator;
    if (!principal && !mediator_party) {
      return Unprocessable("'" + Excerpt(*party) + "' is not an enabled principal of the scenario" +
                           (room.mediated() ? " nor one of its mediators" : ""));
    }
    Status valid = CheckEngineStrategy(*strategy, room.scenario.parties[*party_idx].role);
    if (!valid.ok()) return ErrorFromStatus(valid);
    if (!room.open()) return Conflict("the room is " + room.status);
    if (room.legacy) return Conflict(LegacyMessage());
    if (room.talks_state.started) {
      return Conflict("the talks have started: seats are fixed until the room ends");
    }
    if (const Participant* seat = room.SeatOf(*party_idx);
        seat != nullptr && (principal || !seat->engine.empty())) {
      return Conflict("party '" + *party + "' already has a participant");
    }
    Participant participant;
    participant.id = "p" + std::to_string(room.participants.size());
    participant.role = principal ? Role::kPrincipal : Role::kMediator;
    participant.party = *party;
    participant.name = name.value_or(*strategy);
    participant.engine = *strategy;
    participant.seed = session::PartySeed(room.seed, *party_idx);
    Json participant_json = ParticipantJson(participant);
    PARLEY_API_TRY(const Event* event,
                   Commit(room, "participant_added", inviter.id, {"participant:" + participant.id},
                          Json{{"participant", participant_json}}));
    (void)event;
    return Response{201, Json{{"participant", participant_json}, {"room_status", room.status}}};
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
      if (!room.IsPrincipal(party))
        return Unprocessable("'" + Excerpt(party) + "' is not a principal");
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
    PARLEY_API_TRY(
        const Event* event,
        Commit(room, "preferences_submitted", participant.id, {"party:" + participant.party},
               Json{{"party", participant.party}, {"preferences", body}}));
    (void)event;
    return Response{200, PreferencesJson(room, party_idx)};
  }

  // ------------------------------------------------------------ the protocol's asks

  static std::string LegacyMessage() {
    return "this room was created by an older parley, before rooms ran a protocol: it takes no "
           "more protocol actions (its log stays readable and exportable); open a new room to go "
           "on";
  }

  // The party `participant` answers the protocol for, once the room's state allows an answer.
  static ApiResult<std::size_t> ActingParty(const Room& room, const Participant& participant) {
    if (!room.open()) return Conflict("the room is " + room.status + "; the talks are over");
    if (room.legacy) return Conflict(LegacyMessage());
    if (!room.broken.empty()) return Conflict("the room's protocol has stopped: " + room.broken);
    std::optional<std::size_t> party = room.PartyOf(participant);
    if (!party) {
      const std::string played =
          room.mediator_party ? room.scenario.parties[*room.mediator_party].id : participant.party;
      return Conflict("an engine plays '" + played +
                      "' in this room: the protocol asks nothing of you");
    }
    if (!room.talks_state.started) {
      std::string unseated;
      for (const std::string& id : room.UnseatedPrincipals()) {
        unseated += (unseated.empty() ? "" : ", ") + id;
      }
      return Conflict(
          "the talks have not started: they start once every principal has a seat "
          "(still without one: " +
          unseated + ")");
    }
    return *party;
  }

  // The protocol's open ask for `party` (ask `ask` when given, else the oldest), which must
  // allow one of `wanted` (any when empty); `what` names the route's action for messages.
  static ApiResult<session::PendingAsk> AwaitedAsk(const Room& room, std::size_t party,
                                                   const std::vector<protocols::ActionType>& wanted,
                                                   std::optional<protocols::AskId> ask,
                                                   const std::string& what) {
    const std::string& id = room.scenario.parties[party].id;
    const session::PendingAsk* found = nullptr;
    for (const session::PendingAsk& pending : room.talks_state.awaiting) {
      if (pending.party == party && (!ask || pending.ask == *ask)) {
        found = &pending;
        break;
      }
    }
    if (found == nullptr) {
      for (const auto& [pending_ask, pending_party] : room.talks_state.pending) {
        if (pending_party == party) {
          return Conflict("out of turn: your answer to ask " + std::to_string(pending_ask) +
                          " is in; the protocol takes answers in its own order and asks you "
                          "again after that");
        }
      }
      if (ask)
        return Conflict("out of turn: ask " + std::to_string(*ask) + " is not open for " + id);
      return Conflict("out of turn: the protocol asks nothing of " + id + " now");
    }
    const std::vector<protocols::ActionType>& allowed = found->request.allowed;
    bool fits = wanted.empty();
    for (protocols::ActionType type : wanted) {
      fits = fits || std::find(allowed.begin(), allowed.end(), type) != allowed.end();
    }
    if (!fits) {
      std::string names;
      for (protocols::ActionType type : allowed) {
        names += (names.empty() ? "" : ", ") + std::string(protocols::ActionTypeName(type));
      }
      return Conflict("out of turn: the protocol asks " + id + " for one of " + names +
                      " now (ask " + std::to_string(found->ask) + "), not for " + what +
                      " (POST /api/rooms/{id}/actions answers any ask)");
    }
    return *found;
  }

  // Checks `action` against the ask, commits it as the participant's answer and feeds it to the
  // protocol. `extra` adds what the action does not say (a text's version, clauses, a note).
  ApiResult<const Event*> Answer(Room& room, const Participant& participant, std::size_t party,
                                 const session::PendingAsk& pending,
                                 const protocols::Action& action, Json extra = Json::object()) {
    Status checked = room.talks->Check(pending.ask, party, action);
    if (!checked.ok()) return Unprocessable(checked.message());
    Json body{{"ask", pending.ask},
              {"party", room.scenario.parties[party].id},
              {"action", session::ActionToJson(room.original, action)}};
    for (auto it = extra.begin(); it != extra.end(); ++it) body[it.key()] = it.value();
    return Commit(room, "answer", participant.id, {"participant:" + participant.id},
                  std::move(body));
  }

  // What every answer's reply says: the answer's number in the caller's log, the ask, the
  // caller's round, the room's status, and whether the protocol has yet to take the answer.
  static Json AnswerReply(const Room& room, const Participant& participant, const Event& event,
                          protocols::AskId ask) {
    return Json{{"seq", room.ViewerSeq(participant, event.seq)},
                {"ask", ask},
                {"round", room.RoundFor(participant)},
                {"room_status", room.status},
                {"pending", room.talks_state.pending.count(ask) > 0}};
  }

  ApiResult<Response> PostProposal(Room& room, const Participant& participant, const Request&,
                                   const Json& body) {
    BodyReader reader(body, {"outcome", "note"});
    const Json* outcome_json = reader.Object("outcome", true);
    std::string note = reader.String("note", false).value_or("");
    if (reader.error()) return *reader.error();
    if (note.size() > kMaxTextChars) return Unprocessable("field 'note' is too long");
    Result<model::Outcome> outcome = io::OutcomeFromJson(room.scenario, *outcome_json, "outcome");
    if (!outcome.ok()) return ErrorFromStatus(outcome.status());
    PARLEY_API_TRY(std::size_t party, ActingParty(room, participant));
    PARLEY_API_TRY(
        session::PendingAsk pending,
        AwaitedAsk(room, party, {protocols::ActionType::kOffer}, std::nullopt, "a proposal"));
    protocols::Action action;
    action.type = protocols::ActionType::kOffer;
    action.outcome = std::move(outcome).value();
    action.text = note;
    PARLEY_API_TRY(const Event* event, Answer(room, participant, party, pending, action));
    return Response{201, AnswerReply(room, participant, *event, pending.ask)};
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
    Result<model::Outcome> outcome = io::OutcomeFromJson(room.scenario, *outcome_json, "outcome");
    if (!outcome.ok()) return ErrorFromStatus(outcome.status());
    int version = static_cast<int>(room.texts.size()) + 1;
    Json event_body{{"version", version}, {"outcome", io::OutcomeJson(room.scenario, *outcome)}};
    if (!note.empty()) event_body["note"] = note;
    PARLEY_API_TRY(const Event* event,
                   Commit(room, "text_drafted", participant.id, {}, std::move(event_body)));
    return Response{201, Json{{"version", version}, {"seq", event->seq}}};
  }

  ApiResult<Response> RelayText(Room& room, const Participant& participant, const Request&,
                                const Json& body, const std::string& version_text) {
    BodyReader reader(body, {"to", "note"});
    std::optional<std::vector<std::string>> to = reader.StringList("to", false);
    std::string note = reader.String("note", false).value_or("");
    if (reader.error()) return *reader.error();
    if (note.size() > kMaxTextChars) return Unprocessable("field 'note' is too long");
    int version = 0;
    try {
      std::size_t used = 0;
      version = std::stoi(version_text, &used);
      if (used != version_text.size()) version = 0;
    } catch (const std::exception&) {
      version = 0;
    }
    if (version < 1 || version > static_cast<int>(room.texts.size())) {
      return ApiError{ErrorKind::kNotFound, "no text version '" + Excerpt(version_text) + "'"};
    }
    std::vector<std::size_t> recipients;
    for (const std::string& party : to.value_or(std::vector<std::string>{})) {
      if (!room.IsPrincipal(party)) {
        return Unprocessable("to: '" + Excerpt(party) + "' is not a principal of the room");
      }
      std::size_t party_idx = *room.scenario.FindParty(party);
      if (std::find(recipients.begin(), recipients.end(), party_idx) == recipients.end()) {
        recipients.push_back(party_idx);
      }
    }
    PARLEY_API_TRY(std::size_t party, ActingParty(room, participant));
    PARLEY_API_TRY(
        session::PendingAsk pending,
        AwaitedAsk(room, party, {protocols::ActionType::kOffer, protocols::ActionType::kRelay},
                   std::nullopt, "a text to relay"));
    const std::vector<std::size_t>& may_address = pending.request.may_address;
    if (recipients.empty()) {  // everyone the protocol lets the mediator address now
      for (std::size_t principal : room.principals) {
        if (std::find(may_address.begin(), may_address.end(), principal) != may_address.end()) {
          recipients.push_back(principal);
        }
      }
    }
    for (std::size_t recipient : recipients) {
      if (std::find(may_address.begin(), may_address.end(), recipient) == may_address.end()) {
        std::string names;
        for (std::size_t allowed : may_address) {
          names += (names.empty() ? "" : ", ") + room.scenario.parties[allowed].id;
        }
        return Conflict("out of turn: the protocol lets you address only " + names + " now, not " +
                        room.scenario.parties[recipient].id);
      }
    }
    protocols::Action action;
    action.type = protocols::ActionType::kOffer;
    action.outcome = room.texts[version - 1].outcome;
    action.recipients = recipients;
    action.text = note;
    Json extra{{"version", version}};
    if (!note.empty()) extra["note"] = note;
    PARLEY_API_TRY(const Event* event, Answer(room, participant, party, pending, action, extra));
    Json result = AnswerReply(room, participant, *event, pending.ask);
    Json ids = Json::array();
    for (std::size_t recipient : recipients) ids.push_back(room.scenario.parties[recipient].id);
    result["version"] = version;
    result["to"] = std::move(ids);
    result["round"] = room.round;
    return Response{200, std::move(result)};
  }

  ApiResult<Response> PostResponse(Room& room, const Participant& participant, const Request&,
                                   const Json& body) {
    BodyReader reader(body, {"version", "accept", "clauses", "note", "confide"});
    std::optional<std::int64_t> version = reader.Integer("version", true);
    std::optional<bool> accept = reader.Bool("accept", false);
    const Json* clauses_json = reader.Object("clauses", false);
    std::string note = reader.String("note", false).value_or("");
    std::optional<std::string> confide = reader.String("confide", false);
    if (!reader.error() && !accept && clauses_json == nullptr) {
      reader.Fail("give 'accept' (the whole text) or 'clauses' ({issue: \"accept\"|\"reject\"})");
    }
    if (reader.error()) return *reader.error();
    if (note.size() > kMaxTextChars || (confide && confide->size() > kMaxTextChars)) {
      return Unprocessable("fields 'note' and 'confide' have at most 20000 characters");
    }
    PARLEY_API_TRY(std::vector<bool> clauses, ReadClauses(room.scenario, clauses_json, accept));
    const bool all =
        std::all_of(clauses.begin(), clauses.end(), [](bool clause) { return clause; });
    if (accept == true && !all) {
      return Unprocessable("'accept' is true but some clauses are rejected");
    }
    PARLEY_API_TRY(std::size_t party, ActingParty(room, participant));
    const Text* text = room.LatestTextFor(participant.party);
    if (text == nullptr) return Conflict("out of turn: no text has been relayed to you yet");
    if (*version != text->version) {
      return Conflict("out of turn: the latest text relayed to you is version " +
                      std::to_string(text->version) + ", not " + std::to_string(*version));
    }
    PARLEY_API_TRY(session::PendingAsk pending,
                   AwaitedAsk(room, party,
                              {protocols::ActionType::kAccept, protocols::ActionType::kReject,
                               protocols::ActionType::kVote},
                              std::nullopt, "a response to a text"));
    if (pending.request.standing_offer != text->outcome) {
      return Conflict("out of turn: the protocol asks you about another text than version " +
                      std::to_string(text->version) + " now");
    }
    PARLEY_API_TRY(protocols::Action action,
                   ResponseAction(pending.request.allowed, all, text->version));
    Json clause_json = Json::object();
    std::string rejected;
    for (std::size_t issue_idx = 0; issue_idx < clauses.size(); ++issue_idx) {
      const std::string& issue = room.scenario.issues[issue_idx].id;
      clause_json[issue] = clauses[issue_idx] ? "accept" : "reject";
      if (!clauses[issue_idx]) rejected += (rejected.empty() ? "" : ", ") + issue;
    }
    action.text = rejected.empty()
                      ? note
                      : "rejected clauses: " + rejected + (note.empty() ? "" : "; ") + note;
    // A protocol that asks for feedback after a response (shuttle) gets the confidence, or a pass.
    protocols::Action follow_up;
    follow_up.type = confide ? protocols::ActionType::kConfide : protocols::ActionType::kPass;
    follow_up.text = confide.value_or("");
    Json extra{{"version", text->version},
               {"clauses", std::move(clause_json)},
               {"follow_up", session::ActionToJson(room.original, follow_up)}};
    if (!note.empty()) extra["note"] = note;
    PARLEY_API_TRY(const Event* event, Answer(room, participant, party, pending, action, extra));
    Json result = AnswerReply(room, participant, *event, pending.ask);
    result["accept"] = all;
    return Response{201, std::move(result)};
  }

  // Any answer to an open ask: the general form of proposals, relays and responses, and the only
  // one for passing, walking away, confiding, voting or a mediator's decision.
  ApiResult<Response> PostAction(Room& room, const Participant& participant, const Request&,
                                 const Json& body) {
    BodyReader reader(body, {"ask", "type", "outcome", "to", "accept", "value", "text"});
    std::optional<std::int64_t> ask = reader.Integer("ask", false);
    std::optional<std::string> type_name = reader.String("type", true);
    const Json* outcome_json = reader.Object("outcome", false);
    std::optional<std::vector<std::string>> to = reader.StringList("to", false);
    std::optional<bool> accept = reader.Bool("accept", false);
    std::optional<double> value = reader.Number("value", false);
    std::string text = reader.String("text", false).value_or("");
    if (reader.error()) return *reader.error();
    if (text.size() > kMaxTextChars) return Unprocessable("field 'text' is too long");
    if (ask && *ask < 0) return Unprocessable("field 'ask' must not be negative");
    protocols::Action action;
    std::optional<protocols::ActionType> type = protocols::ParseActionType(*type_name);
    if (!type) {
      return Unprocessable("type: '" + Excerpt(*type_name) +
                           "' is not an action (offer, accept, reject, end, vote, relay, "
                           "feedback, confide, pass)");
    }
    action.type = *type;
    if (outcome_json != nullptr) {
      Result<model::Outcome> outcome = io::OutcomeFromJson(room.scenario, *outcome_json, "outcome");
      if (!outcome.ok()) return ErrorFromStatus(outcome.status());
      action.outcome = std::move(outcome).value();
    }
    for (const std::string& id : to.value_or(std::vector<std::string>{})) {
      std::optional<std::size_t> recipient = room.scenario.FindParty(id);
      if (!recipient) return Unprocessable("to: no party '" + Excerpt(id) + "' in the scenario");
      action.recipients.push_back(*recipient);
    }
    action.accept = accept;
    action.value = value;
    action.text = text;
    PARLEY_API_TRY(std::size_t party, ActingParty(room, participant));
    PARLEY_API_TRY(session::PendingAsk pending,
                   AwaitedAsk(room, party, {},
                              ask ? std::optional<protocols::AskId>(*ask) : std::nullopt, "this"));
    PARLEY_API_TRY(const Event* event, Answer(room, participant, party, pending, action));
    return Response{201, AnswerReply(room, participant, *event, pending.ask)};
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
            return Unprocessable("to: no working group '" + Excerpt(recipient.substr(6)) + "'");
          }
          audience.push_back(recipient);
        } else if (room.IsPrincipal(recipient)) {
          audience.push_back("party:" + recipient);
        } else {
          return Unprocessable("to: '" + Excerpt(recipient) + "' is not a principal or group:ID");
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
      Result<model::Outcome> outcome = io::OutcomeFromJson(room.scenario, *outcome_json, "outcome");
      if (!outcome.ok()) return ErrorFromStatus(outcome.status());
      event_body["outcome"] = io::OutcomeJson(room.scenario, *outcome);
    }
    PARLEY_API_TRY(const Event* event,
                   Commit(room, "message", participant.id, audience, std::move(event_body)));
    return Response{201, Json{{"seq", room.ViewerSeq(participant, event->seq)}}};
  }

  ApiResult<Response> GetGroups(Room& room, const Participant& participant, const Request&,
                                const Json&) {
    Json list = Json::array();
    for (const Group& group : room.groups) {
      if (participant.role == Role::kMember && group.id != participant.group) continue;
      list.push_back(GroupJson(room, group, participant));
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
        return Unprocessable("issues: no issue '" + Excerpt(issue) + "' in the scenario");
      }
      if (!seen.insert(issue).second)
        return Unprocessable("issues: '" + Excerpt(issue) + "' twice");
    }
    if (!room.open()) return Conflict("the room is " + room.status);
    std::string id = "g" + std::to_string(room.groups.size() + 1);
    Json group{{"id", id}, {"name", *name}, {"issues", *issues}};
    PARLEY_API_TRY(const Event* event, Commit(room, "group_created", participant.id,
                                              {"group:" + id}, Json{{"group", group}}));
    (void)event;
    return Response{201, Json{{"group", GroupJson(room, room.groups.back(), participant)}}};
  }

  ApiResult<Response> PutClause(Room& room, const Participant& participant, const Request&,
                                const Json& body, const std::string& issue) {
    BodyReader reader(body, {"status", "note"});
    std::optional<std::string> status_text = reader.String("status", true);
    std::string note = reader.String("note", false).value_or("");
    if (reader.error()) return *reader.error();
    std::optional<std::size_t> issue_idx = room.scenario.FindIssue(issue);
    if (!issue_idx) return ApiError{ErrorKind::kNotFound, "no issue '" + Excerpt(issue) + "'"};
    if (participant.role == Role::kMember) {
      const Group* group = room.FindGroup(participant.group);
      if (group == nullptr || std::find(group->issues.begin(), group->issues.end(), *issue_idx) ==
                                  group->issues.end()) {
        return Forbidden("issue '" + Excerpt(issue) +
                         "' is not one of your working group's issues");
      }
    }
    std::optional<ClauseStatus> status = ParseClauseStatus(*status_text);
    if (!status) {
      return Unprocessable("status must be open, agreed_in_principle or finalised, not '" +
                           Excerpt(*status_text) + "'");
    }
    if (note.size() > kMaxTextChars) return Unprocessable("field 'note' is too long");
    if (!room.open()) return Conflict("the room is " + room.status);
    Json event_body{
        {"issue", issue}, {"status", ClauseStatusName(*status)}, {"by", participant.id}};
    if (!note.empty()) event_body["note"] = note;
    PARLEY_API_TRY(const Event* event,
                   Commit(room, "clause_status", participant.id, {"all"}, std::move(event_body)));
    return Response{200, Json{{"seq", room.ViewerSeq(participant, event->seq)},
                              {"issue", issue},
                              {"status", ClauseStatusName(*status)}}};
  }

  ApiResult<Response> GetAnalysis(const std::shared_ptr<Room>& room, const Participant&,
                                  const Request&) {
    AnalysisSnapshot snapshot;
    {
      std::lock_guard lock(room->mutex);
      snapshot = SnapshotForAnalysis(*room);
    }
    AnalysisCache::Answer base = service_.analysis_cache_.Get(
        room->id, snapshot.preferences_version, snapshot.scenario, snapshot.principals);
    if (!base.json.ok()) {
      ApiError error = base.json.error();
      if (base.cached) error.message += " (the principals' preferences have not changed since)";
      return error;
    }
    Json analysis = AnalysisJson(snapshot, base.json.value());
    analysis["computed"] = Json{{"cached", base.cached}, {"elapsed_ms", base.elapsed_ms}};
    return Response{200, std::move(analysis)};
  }

  ApiResult<Response> GetSuggestions(const std::shared_ptr<Room>& room, const Participant&,
                                     const Request& request) {
    std::optional<ApiResult<SuggestionsSnapshot>> snapshot;
    {
      std::lock_guard lock(room->mutex);
      snapshot.emplace(SnapshotForSuggestions(*room, request));
    }
    if (!snapshot->ok()) return snapshot->error();
    PARLEY_API_TRY(Json json, SuggestionsJson(snapshot->value(), request, service_.compute_slots_));
    return Response{200, std::move(json)};
  }

  ApiResult<Response> PostEvaluation(Room& room, const Participant& participant, const Request&,
                                     const Json& body) {
    PARLEY_API_TRY(Json json, EvaluateInRoom(room, participant, body));
    return Response{200, std::move(json)};
  }

  ApiResult<Response> GetPace(Room& room, const Participant&, const Request&, const Json&) {
    return Response{200, PaceJson(room)};
  }

  ApiResult<Response> GetLog(Room& room, const Participant& participant, const Request& request,
                             const Json&) {
    PARLEY_API_TRY(std::int64_t after, QueryInt(request, "after", -1));
    Service::Stream page = service_.ReadLocked(room, participant, after, kMaxLogPage);
    const std::int64_t last = room.LastViewerSeq(participant);
    Json events = Json::array();
    for (Json& event : page.events) events.push_back(std::move(event));
    return Response{200, Json{{"events", std::move(events)},
                              {"more", page.position < last},
                              {"status", room.status},
                              {"last_seq", last}}};
  }

  ApiResult<Response> PostClose(Room& room, const Participant& participant, const Request&,
                                const Json& body) {
    BodyReader reader(body, {"reason"});
    std::string reason = reader.String("reason", false)
                             .value_or(participant.role == Role::kChair ? "closed by the chair"
                                                                        : "closed by the mediator");
    if (reader.error()) return *reader.error();
    if (!room.open()) return Conflict("the room is already " + room.status);
    PARLEY_API_TRY(const Event* event,
                   Commit(room, "closed", participant.id, {"all"}, Json{{"reason", reason}}));
    return Response{200, Json{{"seq", event->seq}, {"status", room.status}}};
  }

  ApiResult<Response> GetExport(const std::shared_ptr<Room>& room, const Participant&,
                                const Request&) {
    std::optional<Result<std::shared_ptr<TraceDraft>>> drafted;
    {
      std::lock_guard lock(room->mutex);
      drafted.emplace(DraftTraceLocked(*room, room->id + ".scenario.yaml"));
    }
    if (!drafted->ok()) return ErrorFromStatus(drafted->status(), ErrorKind::kInternal);
    std::shared_ptr<TraceDraft> draft = std::move(*drafted).value();
    std::unique_ptr<ComputeSlots::Ticket> ticket = service_.compute_slots_.Acquire();
    if (!ticket) {
      return ApiError{ErrorKind::kUnavailable,
                      "every analysis slot is busy (--analysis-concurrency); retry in a few "
                      "seconds"};
    }
    Result<ExportedTrace> exported = FinishTrace(*draft, ticket->token());
    if (!exported.ok()) return ErrorFromStatus(exported.status(), ErrorKind::kInternal);
    return Response{200, Json::parse(exported->trace)};
  }

  Service& service_;
  std::unique_lock<std::mutex>* room_lock_ = nullptr;  // the room's read lock, while a handler runs
};

Response Service::Route(const Request& request) { return Routes(*this).Dispatch(request); }

}  // namespace parley::server::api
