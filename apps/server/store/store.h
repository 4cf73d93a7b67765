// Durable storage for live rooms: an append-only event log per room, the access tokens (hashed)
// and a small derived table of rooms.
//
// The log is the truth: a room's state is rebuilt by replaying its events in order (api/room.h).
// Append() commits the event, the tokens it creates and the room row in one transaction and
// returns only once the commit is durable, so every state change a client saw acknowledged
// survives a crash. Tokens are stored as SHA-256 hashes, never in clear.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parley/base/status.h"

namespace parley::server {

struct StoredEvent {
  std::string room_id;
  std::int64_t seq = 0;    // position in the room's log, from 0
  std::int64_t at_ms = 0;  // wall time, milliseconds since the Unix epoch
  std::string type;
  std::string actor;     // participant id ("" for the server)
  std::string audience;  // JSON array of audience tags (api/room.h)
  std::string body;      // JSON object
};

struct StoredToken {
  std::string hash;     // hex SHA-256 of the token
  std::string room_id;  // "" for admin tokens
  std::string role;
  std::string participant_id;
};

struct StoredRoom {
  std::string id;
  std::string title;
  std::string status;
  std::int64_t created_ms = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Appends `event` (its seq must follow the room's last one), inserts `tokens` and upserts
  // `room`, all in one durable transaction.
  virtual Status Append(const StoredEvent& event, const std::vector<StoredToken>& tokens,
                        const std::optional<StoredRoom>& room) = 0;
  virtual Status PutToken(const StoredToken& token) = 0;
  // Every event of every room, by room then seq.
  virtual Result<std::vector<StoredEvent>> LoadEvents() = 0;
  virtual Result<std::vector<StoredToken>> LoadTokens() = 0;
  virtual Result<std::vector<StoredRoom>> LoadRooms() = 0;
  // "sqlite" or "postgresql".
  virtual std::string Backend() const = 0;
};

// Opens (creating if needed) an SQLite database in WAL mode with synchronous=FULL.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

// Connects to PostgreSQL with a libpq connection string (a `postgresql://` or `postgres://` URI,
// or `key=value` pairs) and creates or migrates the schema. Appends commit with synchronous_commit
// at least `on`; a pool of up to `max_connections` connections serves concurrent callers
// (postgres_store.cc).
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& connection,
                                                 int max_connections = 8);

// Whether `db` (the value of --db) names a PostgreSQL database rather than an SQLite file:
// a `postgresql://` or `postgres://` URI, or libpq `key=value` pairs such as
// "host=/run/postgresql dbname=parley".
bool IsPostgresConnection(const std::string& db);

// `db` with any password replaced by "***", for messages and logs.
std::string RedactConnection(const std::string& db);

// OpenPostgresStore for a PostgreSQL connection string, else OpenSqliteStore.
Result<std::unique_ptr<Store>> OpenStore(const std::string& db);

}  // namespace parley::server
