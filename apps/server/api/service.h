// The live mediation service: rooms, participants and their tokens, and every route of the HTTP
// API (docs/http-api.md) as a function from api::Request to api::Response.
//
// Each route checks, in this order: the route exists (404/405), a token is given and known (401),
// the token's room is the requested room and its role may use the route (403), the token's rate
// (429), the body (400 malformed / unknown field / wrong type), the values (422), and the room's
// state (409 for an action out of turn or on a finished room). Only then is an event committed to
// the store, applied, and acknowledged. Engine parties (api/engine.h) act through the same
// internal functions as people, right after the event they react to.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/api/api.h"
#include "server/api/room.h"
#include "server/store/store.h"

namespace parley::server::api {

class EngineHost;
class Routes;

struct ServiceOptions {
  // Requests per second each token may make on average, and the burst above it; 0 disables.
  double rate_per_second = 100;
  double rate_burst = 200;
  // Let engine parties act on what they have not answered when the service opens (off for
  // read-only uses such as `parley export`).
  bool run_engines = true;
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

  // Server-sent events: checks that `token` may read room `room_id`'s events (same rules as
  // GET /api/rooms/{id}/log), then returns the events visible to it with seq > after, waiting up
  // to `wait` for one to arrive. `finished` is set once the room is agreed or closed and every
  // event was delivered.
  struct Stream {
    std::vector<Json> events;
    bool finished = false;
  };
  ApiResult<Stream> WaitForEvents(const std::string& room_id, const std::string& token,
                                  std::int64_t after, std::chrono::milliseconds wait);

  // `parley export`: the room's trace (docs/trace-format.md) and the effective scenario as parley
  // YAML; `scenario_file` is the path recorded in the trace.
  struct Export {
    std::string trace;
    std::string scenario_yaml;
  };
  Result<Export> ExportRoom(const std::string& room_id, const std::string& scenario_file);

  std::size_t NumRooms() const;
  Store& store() { return *store_; }

 private:
  friend class EngineHost;
  friend class Routes;
  Service(std::unique_ptr<Store> store, ServiceOptions options);
  Status Load();

  ApiResult<Caller> Authenticate(const std::string& token);
  bool AllowRate(const std::string& token_hash);
  std::shared_ptr<Room> FindRoom(const std::string& room_id) const;
  // Commits an event to the store, then applies it. Caller holds room.mutex.
  ApiResult<const Event*> Commit(Room& room, const std::string& type, const std::string& actor,
                                 std::vector<std::string> audience, Json body,
                                 std::vector<StoredToken> tokens = {});

  Response Route(const Request& request);

  // Room-level actions shared by people (through routes) and engine parties. Caller holds
  // room.mutex; `participant` is the acting participant.
  ApiResult<Json> Propose(Room& room, const Participant& participant, const Json& body);
  ApiResult<Json> Respond(Room& room, const Participant& participant, const Json& body);
  void CheckAgreement(Room& room);
  void RunEngines(Room& room);

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
  std::unique_ptr<EngineHost> engines_;
  std::mutex create_mutex_;
};

}  // namespace parley::server::api
