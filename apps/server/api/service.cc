#include "server/api/service.h"

#include <algorithm>
#include <charconv>
#include <exception>

#include "parley/analysis/analyze.h"
#include "parley/io/outcome_json.h"
#include "parley/protocols/protocol.h"
#include "parley/session/trace_json.h"
#include "parley/strategies/strategy.h"
#include "server/api/body.h"
#include "server/api/engine.h"
#include "server/api/tokens.h"

namespace parley::server::api {
namespace {

constexpr std::size_t kMaxBodyBytes = 1 << 20;
constexpr std::size_t kMaxTextChars = 20'000;
constexpr std::size_t kMaxLogPage = 500;
constexpr std::size_t kMaxListedOptions = 1000;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ApiError Conflict(std::string message) {
  return ApiError{ErrorKind::kConflict, std::move(message)};
}
ApiError Unprocessable(std::string message) {
  return ApiError{ErrorKind::kUnprocessable, std::move(message)};
}

// Plain nlohmann::json for the library's readers, which take the unordered type.
nlohmann::json Plain(const Json& json) { return nlohmann::json::parse(json.dump()); }

ApiResult<model::Outcome> ReadOutcome(const model::Scenario& scenario, const Json& json,
                                      const std::string& field) {
  Result<model::Outcome> outcome = session::OutcomeFromJson(scenario, Plain(json), field);
  if (!outcome.ok()) return ErrorFromStatus(outcome.status());
  return std::move(outcome).value();
}

}  // namespace

Service::Service(std::unique_ptr<Store> store, ServiceOptions options)
    : store_(std::move(store)), options_(options), engines_(std::make_unique<EngineHost>()) {}

Service::~Service() = default;

Result<std::unique_ptr<Service>> Service::Open(std::unique_ptr<Store> store,
                                               ServiceOptions options) {
  std::unique_ptr<Service> service(new Service(std::move(store), options));
  PARLEY_RETURN_IF_ERROR(service->Load());
  return service;
}

Status Service::Load() {
  PARLEY_ASSIGN_OR_RETURN(std::vector<StoredToken> tokens, store_->LoadTokens());
  for (StoredToken& token : tokens) tokens_[token.hash] = std::move(token);
  PARLEY_ASSIGN_OR_RETURN(std::vector<StoredEvent> events, store_->LoadEvents());
  for (const StoredEvent& stored : events) {
    std::shared_ptr<Room>& room = rooms_[stored.room_id];
    if (!room) {
      room = std::make_shared<Room>();
      room->id = stored.room_id;
    }
    Event event;
    event.seq = stored.seq;
    event.at_ms = stored.at_ms;
    event.type = stored.type;
    event.actor = stored.actor;
    Json audience = Json::parse(stored.audience, nullptr, false);
    Json body = Json::parse(stored.body, nullptr, false);
    if (audience.is_discarded() || body.is_discarded()) {
      return Internal("room " + stored.room_id + ": event " + std::to_string(stored.seq) +
                      " is not JSON");
    }
    for (const Json& tag : audience) event.audience.push_back(tag.get<std::string>());
    event.body = std::move(body);
    Status status = Apply(*room, std::move(event));
    if (!status.ok()) return Internal("room " + stored.room_id + ": " + status.message());
  }
  for (auto& [room_id, room] : rooms_) {
    if (!options_.run_engines) break;
    std::lock_guard lock(room->mutex);
    if (room->open()) RunEngines(*room);
  }
  return Status::Ok();
}

std::size_t Service::NumRooms() const {
  std::shared_lock lock(rooms_mutex_);
  return rooms_.size();
}

Result<std::string> Service::CreateAdminToken() {
  std::string token = GenerateToken();
  PARLEY_RETURN_IF_ERROR(RegisterAdminToken(token));
  return token;
}

Status Service::RegisterAdminToken(const std::string& token) {
  if (token.size() < 16) {
    return InvalidInput("an admin token must have at least 16 characters");
  }
  StoredToken stored{HashToken(token), "", "admin", ""};
  PARLEY_RETURN_IF_ERROR(store_->PutToken(stored));
  std::unique_lock lock(tokens_mutex_);
  tokens_[stored.hash] = stored;
  return Status::Ok();
}

bool Service::HasAdminToken() const {
  std::shared_lock lock(tokens_mutex_);
  for (const auto& [hash, token] : tokens_) {
    if (token.role == "admin") return true;
  }
  return false;
}

ApiResult<Caller> Service::Authenticate(const std::string& token) {
  if (token.empty()) {
    return ApiError{ErrorKind::kUnauthorized,
                    "missing token: send 'Authorization: Bearer TOKEN' (see docs/http-api.md)"};
  }
  std::string hash = HashToken(token);
  std::shared_lock lock(tokens_mutex_);
  auto it = tokens_.find(hash);
  if (it == tokens_.end()) return ApiError{ErrorKind::kUnauthorized, "unknown token"};
  Caller caller;
  caller.role = ParseRole(it->second.role).value_or(Role::kObserver);
  caller.room_id = it->second.room_id;
  caller.participant_id = it->second.participant_id;
  caller.token_hash = hash;
  return caller;
}

bool Service::AllowRate(const std::string& token_hash) {
  if (options_.rate_per_second <= 0) return true;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(rate_mutex_);
  auto [it, inserted] = buckets_.try_emplace(token_hash, Bucket{options_.rate_burst, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    double seconds = std::chrono::duration<double>(now - bucket.last).count();
    bucket.tokens =
        std::min(options_.rate_burst, bucket.tokens + seconds * options_.rate_per_second);
    bucket.last = now;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

std::shared_ptr<Room> Service::FindRoom(const std::string& room_id) const {
  std::shared_lock lock(rooms_mutex_);
  auto it = rooms_.find(room_id);
  return it == rooms_.end() ? nullptr : it->second;
}

ApiResult<const Event*> Service::Commit(Room& room, const std::string& type,
                                        const std::string& actor, std::vector<std::string> audience,
                                        Json body, std::vector<StoredToken> tokens) {
  Event event;
  event.seq = static_cast<std::int64_t>(room.log.size());
  event.at_ms = std::max(NowMs(), room.log.empty() ? 0 : room.log.back().at_ms);
  event.type = type;
  event.actor = actor;
  event.audience = std::move(audience);
  event.body = std::move(body);

  StoredEvent stored{
      room.id, event.seq, event.at_ms, type, actor, Json(event.audience).dump(), event.body.dump()};
  std::optional<StoredRoom> row;
  if (type == "room_created" || type == "agreement" || type == "closed") {
    std::string status = type == "room_created" ? "open"
                         : type == "agreement"  ? "agreed"
                                                : "closed";
    std::string title = type == "room_created" ? event.body.value("title", "") : room.title;
    std::int64_t created = type == "room_created" ? event.at_ms : room.created_ms;
    row = StoredRoom{room.id, title, status, created};
  }
  Status stored_status = store_->Append(stored, tokens, row);
  if (!stored_status.ok()) {
    return ApiError{ErrorKind::kInternal,
                    "the event could not be stored: " + stored_status.message()};
  }
  Status applied = Apply(room, std::move(event));
  PARLEY_CHECK(applied.ok());  // every event was validated before it was committed
  if (!tokens.empty()) {
    std::unique_lock lock(tokens_mutex_);
    for (StoredToken& token : tokens) tokens_[token.hash] = std::move(token);
  }
  room.changed.notify_all();
  return &room.log.back();
}

Response Service::Handle(const Request& request) {
  try {
    if (request.body.size() > kMaxBodyBytes) {
      return ErrorResponse(ApiError{ErrorKind::kTooLarge,
                                    "the body has " + std::to_string(request.body.size()) +
                                        " bytes; the limit is " + std::to_string(kMaxBodyBytes)});
    }
    return Route(request);
  } catch (const std::exception& error) {
    return ErrorResponse(
        ApiError{ErrorKind::kInternal, std::string("internal error: ") + error.what()});
  } catch (...) {
    return ErrorResponse(ApiError{ErrorKind::kInternal, "internal error"});
  }
}

// ---------------------------------------------------------------- room actions

ApiResult<Json> Service::Propose(Room& room, const Participant& participant, const Json& body) {
  BodyReader reader(body, {"outcome", "note"});
  const Json* outcome_json = reader.Object("outcome", true);
  std::string note = reader.String("note", false).value_or("");
  if (reader.error()) return *reader.error();
  if (note.size() > kMaxTextChars) return Unprocessable("field 'note' is too long");
  if (!room.open()) return Conflict("the room is " + room.status + "; no more proposals");
  PARLEY_API_TRY(model::Outcome outcome, ReadOutcome(room.scenario, *outcome_json, "outcome"));
  Json event_body{{"party", participant.party},
                  {"outcome", io::OutcomeJson(room.scenario, outcome)}};
  if (!note.empty()) event_body["note"] = note;
  PARLEY_API_TRY(const Event* event, Commit(room, "proposal", participant.id,
                                            {"party:" + participant.party}, std::move(event_body)));
  return Json{{"seq", event->seq}, {"round", event->round}};
}

ApiResult<Json> Service::Respond(Room& room, const Participant& participant, const Json& body) {
  BodyReader reader(body, {"version", "accept", "clauses", "note"});
  std::optional<std::int64_t> version = reader.Integer("version", true);
  std::optional<bool> accept = reader.Bool("accept", false);
  const Json* clauses_json = reader.Object("clauses", false);
  std::string note = reader.String("note", false).value_or("");
  if (!reader.error() && !accept && clauses_json == nullptr) {
    reader.Fail("give 'accept' (the whole text) or 'clauses' ({issue: \"accept\"|\"reject\"})");
  }
  if (reader.error()) return *reader.error();
  if (note.size() > kMaxTextChars) return Unprocessable("field 'note' is too long");
  std::vector<bool> clauses(room.scenario.issues.size(), accept.value_or(false));
  if (clauses_json != nullptr) {
    for (auto it = clauses_json->begin(); it != clauses_json->end(); ++it) {
      std::optional<std::size_t> issue_idx = room.scenario.FindIssue(it.key());
      if (!issue_idx) return Unprocessable("clauses: no issue '" + it.key() + "' in the scenario");
      if (!it->is_string() || (*it != "accept" && *it != "reject")) {
        return ApiError{ErrorKind::kBadRequest,
                        "clauses." + it.key() + " must be \"accept\" or \"reject\""};
      }
      clauses[*issue_idx] = *it == "accept";
    }
  }
  bool all = std::all_of(clauses.begin(), clauses.end(), [](bool clause) { return clause; });
  if (accept == true && !all) {
    return Unprocessable("'accept' is true but some clauses are rejected");
  }
  if (!room.open()) return Conflict("the room is " + room.status + "; no more responses");
  const Text* text = room.LatestTextFor(participant.party);
  if (text == nullptr) return Conflict("out of turn: no text has been relayed to you yet");
  if (*version != text->version) {
    return Conflict("out of turn: the latest text relayed to you is version " +
                    std::to_string(text->version) + ", not " + std::to_string(*version));
  }
  if (room.AnsweredLatestText(participant.party)) {
    return Conflict("out of turn: you already responded to version " +
                    std::to_string(text->version) + " since it was relayed to you");
  }
  Json clause_json = Json::object();
  for (std::size_t issue_idx = 0; issue_idx < clauses.size(); ++issue_idx) {
    clause_json[room.scenario.issues[issue_idx].id] = clauses[issue_idx] ? "accept" : "reject";
  }
  Json event_body{{"party", participant.party},
                  {"version", text->version},
                  {"accept", all},
                  {"clauses", std::move(clause_json)},
                  {"outcome", io::OutcomeJson(room.scenario, text->outcome)}};
  if (!note.empty()) event_body["note"] = note;
  PARLEY_API_TRY(const Event* event, Commit(room, "response", participant.id,
                                            {"party:" + participant.party}, std::move(event_body)));
  Json result{{"seq", event->seq}, {"accept", all}};
  CheckAgreement(room);
  result["room_status"] = room.status;
  return result;
}

void Service::CheckAgreement(Room& room) {
  if (!room.open() || room.principals.empty()) return;
  std::optional<int> common;
  for (std::size_t principal : room.principals) {
    const TextResponse* response = room.LatestResponseOf(room.scenario.parties[principal].id);
    if (response == nullptr || !response->accept) return;
    if (common && *common != response->version) return;
    common = response->version;
  }
  const Text& text = room.texts[*common - 1];
  Json parties = Json::array();
  for (std::size_t principal : room.principals)
    parties.push_back(room.scenario.parties[principal].id);
  (void)Commit(room, "agreement", "", {"all"},
               Json{{"version", *common},
                    {"outcome", io::OutcomeJson(room.scenario, text.outcome)},
                    {"parties", std::move(parties)}});
}

void Service::RunEngines(Room& room) { engines_->Run(*this, room); }

}  // namespace parley::server::api
