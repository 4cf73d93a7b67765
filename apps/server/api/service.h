// The live mediation service: rooms, participants and their tokens, and every route of the HTTP
// API (docs/http-api.md) as a function from api::Request to api::Response.
//
// Each route checks, in this order: the route exists (404/405), a token is given and known (401),
// the token's room is the requested room and its role may use the route (403), the token's rate
// (429), the body (400 malformed / unknown field / wrong type), the values (422), and the room's
// state (409 for an action out of turn or on a finished room). Only then is an event committed to
// the store, applied, fed to the room's protocol (talks.h: engine parties answer there, in the
// same session) and acknowledged.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/api/api.h"
#include "server/api/compute.h"
#include "server/api/room.h"
#include "server/api/views.h"
#include "server/store/store.h"

namespace parley::server::api {

class AccessRoutes;
class Routes;

struct ServiceOptions {
  // Requests per second each token may make on average, and the burst above it; 0 disables.
  double rate_per_second = 100;
  double rate_burst = 200;
  // Load only this room (for read-only uses such as `parley export`); empty: every room.
  std::string only_room;
  // How long a request waits for a room whose protocol is busy (an engine thinking) before it is
  // answered 503.
  std::chrono::milliseconds drive_wait{5000};
  std::size_t max_body_bytes = std::size_t{1} << 20;
  // Analysis and export reference points (compute.h).
  ComputeBudget compute;
};

// Who a token belongs to.
struct Caller {
  Role role = Role::kObserver;
  std::string room_id;  // empty for admin tokens
  std::string participant_id;
  std::string token_hash;
};

class Service {
 public:
  // Loads every room from the store's log (rebuilding state and engine parties).
  static Result<std::unique_ptr<Service>> Open(std::unique_ptr<Store> store,
                                               ServiceOptions options = {});
  ~Service();

  Response Handle(const Request& request);

  // Admin tokens grant room creation. Creates a new one and returns it in clear (once).
  Result<std::string> CreateAdminToken();
  // Registers a given token as an admin token (idempotent).
  Status RegisterAdminToken(const std::string& token);
  bool HasAdminToken() const;

  // Event streams. ReadEvents checks that `token` may read room `room_id`'s events (same rules
  // as GET /api/rooms/{id}/log) and returns, in the reader's numbering (room.h), its events after
  // `after`, at most `max_events`: it starts at the reader's position, never walks what it has
  // read or may not see. `finished` is set once the room is agreed or closed and every event was
  // delivered; `log_size` is the room's log length when read, for WatchRoom.
  struct Stream {
    std::vector<Json> events;
    std::int64_t position = -1;  // the reader's last event after these (`after` when none)
    std::size_t log_size = 0;
    bool finished = false;
  };
  ApiResult<Stream> ReadEvents(const std::string& room_id, const std::string& token,
                               std::int64_t after, std::size_t max_events = 500);
  // Calls `wake` once, from the thread that commits the next event (so it must only hand work
  // off), when room `room_id`'s log grows beyond `log_size` or the room ends. Returns the watch's
  // id, or 0 (and never calls `wake`) when that has already happened or the room is unknown.
  std::uint64_t WatchRoom(const std::string& room_id, std::size_t log_size,
                          std::function<void()> wake);
  void Unwatch(const std::string& room_id, std::uint64_t watch_id);
  // The blocking form, for in-process readers: waits on the room's condition up to `wait` for an
  // event beyond `after`, then reads as ReadEvents does.
  ApiResult<Stream> WaitForEvents(const std::string& room_id, const std::string& token,
                                  std::int64_t after, std::chrono::milliseconds wait);

  // `parley export`: the room's trace (docs/trace-format.md) and the effective scenario as parley
  // YAML; `scenario_file` is the path recorded in the trace.
  using Export = ExportedTrace;
  Result<Export> ExportRoom(const std::string& room_id, const std::string& scenario_file);

  std::size_t NumRooms() const;
  Store& store() { return *store_; }
  // What loading the log found worth saying: events refused on replay (room.h, RefusedEvent).
  const std::vector<std::string>& load_warnings() const { return load_warnings_; }

 private:
  friend class AccessRoutes;
  friend class Routes;
  Service(std::unique_ptr<Store> store, ServiceOptions options);
  Status Load();

  ApiResult<Caller> Authenticate(const std::string& token);
  // The caller's room and participant for a room route (the checks of WaitForEvents).
  ApiResult<std::pair<std::shared_ptr<Room>, std::string>> ReaderOf(const std::string& room_id,
                                                                    const std::string& token);
  // The events after `after` in `reader`'s numbering. Caller holds room.mutex.
  Stream ReadLocked(const Room& room, const Participant& reader, std::int64_t after,
                    std::size_t max_events) const;
  bool AllowRate(const std::string& token_hash);
  std::shared_ptr<Room> FindRoom(const std::string& room_id) const;
  // Commits an event to the store, then feeds it to the room (Feed); returns the stored event.
  // Caller holds room.drive_mutex and, through `lock`, room.mutex (released while the protocol
  // works).
  ApiResult<const Event*> Commit(Room& room, std::unique_lock<std::mutex>& lock,
                                 const std::string& type, const std::string& actor,
                                 std::vector<std::string> audience, Json body,
                                 std::vector<StoredToken> tokens = {});
  // Applies a stored event, then drives the room's protocol with it (the talks start once every
  // principal has a seat; an answer is submitted; a close ends the session) and applies the
  // derived events that follow. `lock`, when given, holds room.mutex and is released while the
  // session works. Errors only for a log that does not fit; a log that no longer replays through
  // the protocol marks the room broken (Room::broken) instead.
  Status Feed(Room& room, Event event, std::unique_lock<std::mutex>* lock);

  Response Route(const Request& request);

  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last;
  };

  std::unique_ptr<Store> store_;
  ServiceOptions options_;
  mutable std::shared_mutex rooms_mutex_;
  std::unordered_map<std::string, std::shared_ptr<Room>> rooms_;
  mutable std::shared_mutex tokens_mutex_;
  std::unordered_map<std::string, StoredToken> tokens_;  // by hash
  std::mutex rate_mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::mutex create_mutex_;
  ComputeSlots compute_slots_;
  AnalysisCache analysis_cache_;
  std::vector<std::string> load_warnings_;
};

}  // namespace parley::server::api
