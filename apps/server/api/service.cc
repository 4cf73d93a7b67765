#include "server/api/service.h"

#include <algorithm>
#include <charconv>
#include <exception>

#include "parley/analysis/analyze.h"
#include "parley/io/outcome_json.h"
#include "parley/protocols/protocol.h"
#include "parley/session/trace_json.h"
#include "parley/strategies/strategy.h"
#include "server/api/access.h"
#include "server/api/body.h"
#include "server/api/tokens.h"
#include "server/api/views.h"

namespace parley::server::api {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Service::Service(std::unique_ptr<Store> store, ServiceOptions options)
    : store_(std::move(store)),
      options_(options),
      compute_slots_(options.compute),
      analysis_cache_(compute_slots_) {}

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
    if (!options_.only_room.empty() && stored.room_id != options_.only_room) continue;
    std::shared_ptr<Room>& room = rooms_[stored.room_id];
    if (!room) {
      room = std::make_shared<Room>();
      room->id = stored.room_id;
    }
    if (stored.seq != static_cast<std::int64_t>(room->stored_events)) {
      return Internal("room " + stored.room_id + ": event " + std::to_string(stored.seq) +
                      " out of sequence (expected " + std::to_string(room->stored_events) + ")");
    }
    Event event;
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
    std::size_t refused = room->refused.size();
    if (event.type == "access_changed") ForgetRevokedTokens(event.body, tokens_);
    const bool was_broken = !room->broken.empty();
    Status status = Feed(*room, std::move(event), nullptr);
    if (!status.ok()) return Internal("room " + stored.room_id + ": " + status.message());
    if (room->refused.size() > refused) {
      const RefusedEvent& refusal = room->refused.back();
      load_warnings_.push_back("room " + stored.room_id + ": event " + std::to_string(refusal.seq) +
                               " (" + refusal.type +
                               ") refused on replay and ignored: " + refusal.reason);
    }
    if (!was_broken && !room->broken.empty()) {
      load_warnings_.push_back("room " + stored.room_id + ": " + room->broken);
    }
  }
  return Status::Ok();
}

Status Service::Feed(Room& room, Event event, std::unique_lock<std::mutex>* lock) {
  PARLEY_RETURN_IF_ERROR(Apply(room, std::move(event)));
  if (room.legacy || room.descriptor == nullptr || !room.broken.empty()) return Status::Ok();
  const Event& applied = room.log.back();
  const std::int64_t at_ms = applied.at_ms;
  const std::string type = applied.type;
  // What the event asks of the protocol.
  const bool start = type == "participant_added" && !room.talks && room.open() &&
                     room.UnseatedPrincipals().empty();
  const bool answer = type == "answer" && room.talks != nullptr;
  const bool close = type == "closed" && room.talks != nullptr;
  if (!start && !answer && !close) return Status::Ok();
  Status status = Status::Ok();
  std::unique_ptr<Talks> started;
  Seats seats;
  protocols::AskId ask = 0;
  std::size_t party = 0;
  protocols::Action action;
  std::optional<protocols::Action> follow_up;
  if (answer) {
    const Json& body = applied.body;
    ask = body.value("ask", protocols::AskId{0});
    party = room.scenario.FindParty(body.value("party", "")).value_or(room.scenario.parties.size());
    Result<protocols::Action> parsed =
        session::ActionFromJson(room.original, body.value("action", Json::object()), "action");
    if (!parsed.ok())
      return Internal("event " + std::to_string(applied.seq) + ": " + parsed.status().ToString());
    action = std::move(parsed).value();
    if (auto it = body.find("follow_up"); it != body.end()) {
      Result<protocols::Action> parsed_follow_up =
          session::ActionFromJson(room.original, *it, "follow_up");
      if (!parsed_follow_up.ok()) return Internal(parsed_follow_up.status().ToString());
      follow_up = std::move(parsed_follow_up).value();
    }
  }
  const std::string close_reason = close ? room.end_reason : "";
  if (start) seats = room.CurrentSeats();
  // The session's work (engines think here) runs without the room's read lock: readers do not
  // wait for it; writers do (the caller holds room.drive_mutex).
  if (lock != nullptr) lock->unlock();
  if (start) {
    Result<std::unique_ptr<Talks>> talks =
        Talks::Start(room.original, room.protocol, seats, room.max_rounds, room.seed);
    if (talks.ok()) {
      started = std::move(talks).value();
    } else {
      status = talks.status();
    }
  } else if (answer) {
    status = room.talks->Submit(ask, party, action, std::move(follow_up));
  } else {
    room.talks->Close(close_reason);
  }
  if (lock != nullptr) lock->lock();
  if (!status.ok()) {
    room.broken = (start ? "the talks could not start: "
                         : "the log no longer replays through "
                           "the protocol: ") +
                  status.message();
    return Status::Ok();
  }
  if (started) {
    room.talks = std::move(started);
    room.talks_state.started = true;
    room.talks_state.seats = seats;
    Event opening;
    opening.derived = true;
    opening.type = "talks_started";
    opening.at_ms = at_ms;
    opening.audience = {"all"};
    opening.body = Json{{"protocol", room.protocol}};
    PARLEY_RETURN_IF_ERROR(Apply(room, std::move(opening)));
  }
  ApplyTalks(room, room.talks->TakeItems(), at_ms);
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

ApiResult<const Event*> Service::Commit(Room& room, std::unique_lock<std::mutex>& lock,
                                        const std::string& type, const std::string& actor,
                                        std::vector<std::string> audience, Json body,
                                        std::vector<StoredToken> tokens) {
  Event event;
  event.at_ms = std::max(NowMs(), room.log.empty() ? 0 : room.log.back().at_ms);
  event.type = type;
  event.actor = actor;
  event.audience = std::move(audience);
  event.body = std::move(body);

  StoredEvent stored{room.id,
                     static_cast<std::int64_t>(room.stored_events),
                     event.at_ms,
                     type,
                     actor,
                     Json(event.audience).dump(),
                     event.body.dump()};
  std::optional<StoredRoom> row;
  if (type == "room_created" || type == "closed") {
    std::string status = type == "room_created" ? "open" : "closed";
    std::string title = type == "room_created" ? event.body.value("title", "") : room.title;
    std::int64_t created = type == "room_created" ? event.at_ms : room.created_ms;
    row = StoredRoom{room.id, title, status, created};
  }
  Status stored_status = store_->Append(stored, tokens, row);
  if (!stored_status.ok()) {
    return ApiError{ErrorKind::kInternal,
                    "the event could not be stored: " + stored_status.message()};
  }
  const std::size_t position = room.log.size();
  Status applied = Feed(room, std::move(event), &lock);
  PARLEY_CHECK(applied.ok());  // every event was validated before it was committed
  if (!tokens.empty()) {
    std::unique_lock tokens_lock(tokens_mutex_);
    for (StoredToken& token : tokens) tokens_[token.hash] = std::move(token);
  }
  room.changed.notify_all();
  std::map<std::uint64_t, std::function<void()>> watchers;
  watchers.swap(room.watchers);
  for (auto& [watch_id, wake] : watchers) wake();
  return &room.log[position];
}

Response Service::Handle(const Request& request) {
  try {
    if (request.body.size() > options_.max_body_bytes) {
      return ErrorResponse(
          ApiError{ErrorKind::kTooLarge, "the body has " + std::to_string(request.body.size()) +
                                             " bytes; the limit is " +
                                             std::to_string(options_.max_body_bytes)});
    }
    return Route(request);
  } catch (const std::exception& error) {
    return ErrorResponse(
        ApiError{ErrorKind::kInternal, std::string("internal error: ") + error.what()});
  } catch (...) {
    return ErrorResponse(ApiError{ErrorKind::kInternal, "internal error"});
  }
}

// ---------------------------------------------------------------- event streams

ApiResult<std::pair<std::shared_ptr<Room>, std::string>> Service::ReaderOf(
    const std::string& room_id, const std::string& token) {
  PARLEY_API_TRY(Caller caller, Authenticate(token));
  if (caller.role == Role::kAdmin) {
    return ApiError{ErrorKind::kForbidden,
                    "an admin token takes no part in rooms; use a token of this room"};
  }
  if (caller.room_id != room_id) {
    return ApiError{ErrorKind::kForbidden, "this token belongs to another room"};
  }
  std::shared_ptr<Room> room = FindRoom(room_id);
  if (!room) return ApiError{ErrorKind::kNotFound, "no room '" + Excerpt(room_id) + "'"};
  return std::make_pair(std::move(room), caller.participant_id);
}

Service::Stream Service::ReadLocked(const Room& room, const Participant& reader, std::int64_t after,
                                    std::size_t max_events) const {
  Stream stream;
  stream.position = after;
  stream.log_size = room.log.size();
  const std::vector<SeenEvent>* seen = room.SeenBy(reader);
  const std::int64_t total = seen == nullptr ? static_cast<std::int64_t>(room.log.size())
                                             : static_cast<std::int64_t>(seen->size());
  std::int64_t next = std::max<std::int64_t>(after + 1, 0);
  for (; next < total && stream.events.size() < max_events; ++next) {
    if (seen == nullptr) {
      const Event& event = room.log[static_cast<std::size_t>(next)];
      stream.events.push_back(EventJsonFor(reader, event, event.seq, event.round));
    } else {
      const SeenEvent& entry = (*seen)[static_cast<std::size_t>(next)];
      stream.events.push_back(
          EventJsonFor(reader, room.log[static_cast<std::size_t>(entry.seq)], next, entry.round));
    }
    stream.position = next;
  }
  stream.finished = !room.open() && next >= total;
  return stream;
}

ApiResult<Service::Stream> Service::ReadEvents(const std::string& room_id, const std::string& token,
                                               std::int64_t after, std::size_t max_events) {
  PARLEY_API_TRY(auto reader, ReaderOf(room_id, token));
  Room& room = *reader.first;
  std::lock_guard lock(room.mutex);
  const Participant* participant = room.FindParticipant(reader.second);
  if (participant == nullptr) return ApiError{ErrorKind::kForbidden, "unknown participant"};
  return ReadLocked(room, *participant, after, max_events);
}

std::uint64_t Service::WatchRoom(const std::string& room_id, std::size_t log_size,
                                 std::function<void()> wake) {
  std::shared_ptr<Room> room = FindRoom(room_id);
  if (!room) return 0;
  std::lock_guard lock(room->mutex);
  if (room->log.size() > log_size || !room->open()) return 0;
  std::uint64_t watch_id = room->next_watch_id++;
  room->watchers.emplace(watch_id, std::move(wake));
  return watch_id;
}

void Service::Unwatch(const std::string& room_id, std::uint64_t watch_id) {
  std::shared_ptr<Room> room = FindRoom(room_id);
  if (!room) return;
  std::lock_guard lock(room->mutex);
  room->watchers.erase(watch_id);
}

ApiResult<Service::Stream> Service::WaitForEvents(const std::string& room_id,
                                                  const std::string& token, std::int64_t after,
                                                  std::chrono::milliseconds wait) {
  PARLEY_API_TRY(auto reader, ReaderOf(room_id, token));
  Room& room = *reader.first;
  std::unique_lock lock(room.mutex);
  const Participant* participant = room.FindParticipant(reader.second);
  if (participant == nullptr) return ApiError{ErrorKind::kForbidden, "unknown participant"};
  const Participant self = *participant;
  room.changed.wait_for(lock, wait,
                        [&] { return room.LastViewerSeq(self) > after || !room.open(); });
  return ReadLocked(room, self, after, 500);
}

}  // namespace parley::server::api
