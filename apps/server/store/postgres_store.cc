// PostgreSQL storage through libpq: the same tables and guarantees as the SQLite store.
//
// - Every value travels as a query parameter (PQexecParams); the only SQL sent as text is constant.
// - Append runs BEGIN, the inserts and COMMIT on one connection and returns once COMMIT does. The
//   session's synchronous_commit is raised to `on` when the server's default is `off`, so a
//   commit has reached the server's WAL on disk (and any synchronous standby the server's
//   configuration names) before Append returns.
// - Triggers refuse UPDATE, DELETE and TRUNCATE on `events`.
// - The schema is created or migrated on open, in one transaction under an advisory lock, with
//   its version in `parley_schema`; opening again changes nothing.
// - Callers on many threads share a pool of up to `max_connections` connections (a connection
//   serves one caller at a time), so appends to different rooms commit in parallel.
// - A connection the server dropped (restart, pg_terminate_backend) is reopened and the call
//   retried once; for an append whose COMMIT got no answer, the event is looked up first, so it
//   is never written twice nor reported lost when it was committed.
#include <libpq-fe.h>

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

#include "parley/base/strings.h"
#include "server/store/store.h"

namespace parley::server {
namespace {

// Schema versions, applied in order; a database records how many it has.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE IF NOT EXISTS events (
  room_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  audience TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (room_id, seq)
);
CREATE OR REPLACE FUNCTION parley_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'restrict_violation';
END
$$;
DROP TRIGGER IF EXISTS events_no_update_or_delete ON events;
CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION parley_events_append_only();
DROP TRIGGER IF EXISTS events_no_truncate ON events;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION parley_events_append_only();
CREATE TABLE IF NOT EXISTS tokens (
  hash TEXT PRIMARY KEY,
  room_id TEXT NOT NULL,
  role TEXT NOT NULL,
  participant_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rooms (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  created_ms BIGINT NOT NULL
);
)sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

std::string ConnectionError(PGconn* conn) {
  std::string message(Trim(PQerrorMessage(conn)));
  return message.empty() ? "unknown error" : message;
}

// Owns a PGresult.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  ~PgResult() { PQclear(result_); }
  PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;

  ExecStatusType status() const { return PQresultStatus(result_); }
  int rows() const { return PQntuples(result_); }
  std::string Text(int row, int column) const {
    return std::string(PQgetvalue(result_, row, column),
                       static_cast<std::size_t>(PQgetlength(result_, row, column)));
  }
  std::int64_t Int(int row, int column) const {
    const char* text = PQgetvalue(result_, row, column);
    std::int64_t value = 0;
    std::from_chars(text, text + PQgetlength(result_, row, column), value);
    return value;
  }
  // The server's message for a failed statement, else the connection's.
  std::string Error(PGconn* conn) const {
    std::string message(Trim(PQresultErrorMessage(result_)));
    return message.empty() ? ConnectionError(conn) : message;
  }
  std::string SqlState() const {
    const char* state = PQresultErrorField(result_, PG_DIAG_SQLSTATE);
    return state != nullptr ? state : "";
  }

 private:
  PGresult* result_;
};

// One statement, its values as text parameters.
PgResult Exec(PGconn* conn, const char* sql, const std::vector<std::string>& params = {}) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& param : params) values.push_back(param.c_str());
  return PgResult(PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(),
                               nullptr, nullptr, 0));
}

Status Expect(PGconn* conn, const PgResult& result, ExecStatusType expected,
              const std::string& what) {
  if (result.status() == expected) return Status::Ok();
  return Internal("postgresql: " + what + ": " + result.Error(conn));
}

void IgnoreNotice(void*, const char*) {}

// Settings every session needs, after a connect or a reset.
Status SetUpSession(PGconn* conn) {
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  PgResult setting = Exec(conn, "SELECT current_setting('synchronous_commit')");
  PARLEY_RETURN_IF_ERROR(Expect(conn, setting, PGRES_TUPLES_OK, "reading synchronous_commit"));
  // `local`, `on`, `remote_write` and `remote_apply` all wait for the local WAL flush.
  if (setting.Text(0, 0) == "off") {
    PgResult set = Exec(conn, "SET synchronous_commit TO on");
    PARLEY_RETURN_IF_ERROR(Expect(conn, set, PGRES_COMMAND_OK, "setting synchronous_commit"));
  }
  return Status::Ok();
}

Result<PGconn*> Connect(const std::string& connection) {
  // Defaults first: values in the connection string override them.
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "client_encoding",
                            "dbname", nullptr};
  const char* values[] = {"10", "parley", "UTF8", connection.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr) return Internal("postgresql: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = ConnectionError(conn);
    PQfinish(conn);
    return InvalidInput("cannot connect to PostgreSQL at " + RedactConnection(connection) + ": " +
                        message);
  }
  Status status = SetUpSession(conn);
  if (!status.ok()) {
    PQfinish(conn);
    return status;
  }
  return conn;
}

Status RollBackIfOpen(PGconn* conn) {
  if (PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) != PQTRANS_IDLE) {
    PgResult rollback = Exec(conn, "ROLLBACK");
    return Expect(conn, rollback, PGRES_COMMAND_OK, "rolling back");
  }
  return Status::Ok();
}

Status Migrate(PGconn* conn) {
  PgResult begin = Exec(conn, "BEGIN");
  PARLEY_RETURN_IF_ERROR(Expect(conn, begin, PGRES_COMMAND_OK, "starting the schema migration"));
  auto run = [&]() -> Status {
    // One migrating process at a time (the key is parley's own constant).
    PgResult lock = Exec(conn, "SELECT pg_advisory_xact_lock(7093615247740302957)");
    PARLEY_RETURN_IF_ERROR(Expect(conn, lock, PGRES_TUPLES_OK, "locking the schema"));
    // Looked up first: a role without CREATE may use tables another role made.
    PgResult exists = Exec(conn, "SELECT to_regclass('parley_schema') IS NOT NULL");
    PARLEY_RETURN_IF_ERROR(Expect(conn, exists, PGRES_TUPLES_OK, "looking for parley_schema"));
    if (exists.Text(0, 0) != "t") {
      PgResult table = Exec(conn, "CREATE TABLE parley_schema (version INTEGER NOT NULL)");
      PARLEY_RETURN_IF_ERROR(Expect(conn, table, PGRES_COMMAND_OK, "creating parley_schema"));
    }
    PgResult current = Exec(conn, "SELECT COALESCE(MAX(version), 0) FROM parley_schema");
    PARLEY_RETURN_IF_ERROR(Expect(conn, current, PGRES_TUPLES_OK, "reading the schema version"));
    const std::int64_t version = current.Int(0, 0);
    if (version > kSchemaVersion) {
      return InvalidInput("the database's schema is version " + std::to_string(version) +
                          ", newer than this parley knows (" + std::to_string(kSchemaVersion) +
                          ")");
    }
    for (std::int64_t step = version; step < kSchemaVersion; ++step) {
      // Constant SQL of several statements: the simple query protocol.
      PgResult migrated(PQexec(conn, kMigrations[step]));
      PARLEY_RETURN_IF_ERROR(Expect(conn, migrated, PGRES_COMMAND_OK,
                                    "migrating the schema to version " + std::to_string(step + 1)));
    }
    if (version < kSchemaVersion) {
      PgResult cleared = Exec(conn, "DELETE FROM parley_schema");
      PARLEY_RETURN_IF_ERROR(Expect(conn, cleared, PGRES_COMMAND_OK, "updating parley_schema"));
      PgResult recorded = Exec(conn, "INSERT INTO parley_schema (version) VALUES ($1::integer)",
                               {std::to_string(kSchemaVersion)});
      PARLEY_RETURN_IF_ERROR(Expect(conn, recorded, PGRES_COMMAND_OK, "updating parley_schema"));
    }
    PgResult commit = Exec(conn, "COMMIT");
    return Expect(conn, commit, PGRES_COMMAND_OK, "committing the schema");
  };
  Status status = run();
  if (!status.ok()) (void)RollBackIfOpen(conn);
  return status;
}

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string connection, int max_connections)
      : connection_(std::move(connection)), max_connections_(max_connections) {}

  ~PostgresStore() override {
    for (PGconn* conn : idle_) PQfinish(conn);
  }

  // Takes the first connection (opened by OpenPostgresStore) into the pool.
  void Adopt(PGconn* conn) {
    std::lock_guard lock(mutex_);
    idle_.push_back(conn);
    ++open_;
  }

  Status Append(const StoredEvent& event, const std::vector<StoredToken>& tokens,
                const std::optional<StoredRoom>& room) override {
    PARLEY_ASSIGN_OR_RETURN(Lease lease, Acquire());
    PGconn* conn = lease.get();
    Status status = AppendOnce(conn, event, tokens, room);
    if (status.ok() || PQstatus(conn) != CONNECTION_BAD) return status;
    // The connection broke: the transaction either committed before it did, or not at all.
    PARLEY_RETURN_IF_ERROR(Reset(conn, status));
    PARLEY_ASSIGN_OR_RETURN(bool stored, HasEvent(conn, event));
    if (stored) return Status::Ok();
    return AppendOnce(conn, event, tokens, room);
  }

  Status PutToken(const StoredToken& token) override {
    return Run<bool>([&](PGconn* conn) -> Result<bool> {
             PARLEY_RETURN_IF_ERROR(InsertToken(conn, token));
             return true;
           })
        .status();
  }

  Result<std::vector<StoredEvent>> LoadEvents() override {
    return Run<std::vector<StoredEvent>>([](PGconn* conn) -> Result<std::vector<StoredEvent>> {
      PgResult result = Exec(conn,
                             "SELECT room_id, seq, at_ms, type, actor, audience, body FROM events "
                             "ORDER BY room_id COLLATE \"C\", seq");
      PARLEY_RETURN_IF_ERROR(Expect(conn, result, PGRES_TUPLES_OK, "reading events"));
      std::vector<StoredEvent> events;
      events.reserve(static_cast<std::size_t>(result.rows()));
      for (int row = 0; row < result.rows(); ++row) {
        events.push_back(StoredEvent{result.Text(row, 0), result.Int(row, 1), result.Int(row, 2),
                                     result.Text(row, 3), result.Text(row, 4), result.Text(row, 5),
                                     result.Text(row, 6)});
      }
      return events;
    });
  }

  Result<std::vector<StoredToken>> LoadTokens() override {
    return Run<std::vector<StoredToken>>([](PGconn* conn) -> Result<std::vector<StoredToken>> {
      PgResult result = Exec(conn, "SELECT hash, room_id, role, participant_id FROM tokens");
      PARLEY_RETURN_IF_ERROR(Expect(conn, result, PGRES_TUPLES_OK, "reading tokens"));
      std::vector<StoredToken> tokens;
      tokens.reserve(static_cast<std::size_t>(result.rows()));
      for (int row = 0; row < result.rows(); ++row) {
        tokens.push_back(StoredToken{result.Text(row, 0), result.Text(row, 1), result.Text(row, 2),
                                     result.Text(row, 3)});
      }
      return tokens;
    });
  }

  Result<std::vector<StoredRoom>> LoadRooms() override {
    return Run<std::vector<StoredRoom>>([](PGconn* conn) -> Result<std::vector<StoredRoom>> {
      PgResult result = Exec(conn,
                             "SELECT id, title, status, created_ms FROM rooms "
                             "ORDER BY created_ms, id COLLATE \"C\"");
      PARLEY_RETURN_IF_ERROR(Expect(conn, result, PGRES_TUPLES_OK, "reading rooms"));
      std::vector<StoredRoom> rooms;
      rooms.reserve(static_cast<std::size_t>(result.rows()));
      for (int row = 0; row < result.rows(); ++row) {
        rooms.push_back(StoredRoom{result.Text(row, 0), result.Text(row, 1), result.Text(row, 2),
                                   result.Int(row, 3)});
      }
      return rooms;
    });
  }

  std::string Backend() const override { return "postgresql"; }

 private:
  // A pooled connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(PostgresStore* store, PGconn* conn) : store_(store), conn_(conn) {}
    Lease(Lease&& other) noexcept
        : store_(other.store_), conn_(std::exchange(other.conn_, nullptr)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_ != nullptr) store_->Release(conn_);
    }
    PGconn* get() const { return conn_; }

   private:
    PostgresStore* store_;
    PGconn* conn_;
  };

  Result<Lease> Acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
    if (!idle_.empty()) {
      PGconn* conn = idle_.back();
      idle_.pop_back();
      return Lease(this, conn);
    }
    ++open_;
    lock.unlock();
    Result<PGconn*> conn = Connect(connection_);
    if (!conn.ok()) {
      lock.lock();
      --open_;
      available_.notify_one();
      return Internal(conn.status().message());
    }
    return Lease(this, *conn);
  }

  void Release(PGconn* conn) {
    std::lock_guard lock(mutex_);
    idle_.push_back(conn);
    available_.notify_one();
  }

  // Reopens a connection the server dropped; `cause` is the failure that showed it.
  static Status Reset(PGconn* conn, const Status& cause) {
    PQreset(conn);
    if (PQstatus(conn) != CONNECTION_OK) {
      return Internal(cause.message() + "; reconnecting failed: " + ConnectionError(conn));
    }
    return SetUpSession(conn);
  }

  // Runs `body` on a pooled connection, once more on a fresh one if the server dropped it.
  template <typename T, typename Body>
  Result<T> Run(Body body) {
    PARLEY_ASSIGN_OR_RETURN(Lease lease, Acquire());
    PGconn* conn = lease.get();
    if (PQstatus(conn) == CONNECTION_BAD) {
      PARLEY_RETURN_IF_ERROR(Reset(conn, Internal("postgresql: the connection was closed")));
    }
    Result<T> result = body(conn);
    if (result.ok() || PQstatus(conn) != CONNECTION_BAD) return result;
    PARLEY_RETURN_IF_ERROR(Reset(conn, result.status()));
    return body(conn);
  }

  static Status InsertToken(PGconn* conn, const StoredToken& token) {
    PgResult result = Exec(conn,
                           "INSERT INTO tokens (hash, room_id, role, participant_id) "
                           "VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
                           {token.hash, token.room_id, token.role, token.participant_id});
    return Expect(conn, result, PGRES_COMMAND_OK, "storing a token");
  }

  static Result<bool> HasEvent(PGconn* conn, const StoredEvent& event) {
    PgResult result = Exec(conn,
                           "SELECT at_ms, type, actor, audience, body FROM events "
                           "WHERE room_id = $1 AND seq = $2::bigint",
                           {event.room_id, std::to_string(event.seq)});
    PARLEY_RETURN_IF_ERROR(Expect(conn, result, PGRES_TUPLES_OK, "looking up an event"));
    return result.rows() == 1 && result.Int(0, 0) == event.at_ms &&
           result.Text(0, 1) == event.type && result.Text(0, 2) == event.actor &&
           result.Text(0, 3) == event.audience && result.Text(0, 4) == event.body;
  }

  static Status AppendOnce(PGconn* conn, const StoredEvent& event,
                           const std::vector<StoredToken>& tokens,
                           const std::optional<StoredRoom>& room) {
    if (PQstatus(conn) == CONNECTION_BAD) {
      return Internal("postgresql: the connection was closed");
    }
    PgResult begin = Exec(conn, "BEGIN");
    PARLEY_RETURN_IF_ERROR(Expect(conn, begin, PGRES_COMMAND_OK, "starting a transaction"));
    Status status = AppendInTransaction(conn, event, tokens, room);
    if (!status.ok()) {
      (void)RollBackIfOpen(conn);
      return status;
    }
    PgResult commit = Exec(conn, "COMMIT");
    return Expect(conn, commit, PGRES_COMMAND_OK, "committing an event");
  }

  static Status AppendInTransaction(PGconn* conn, const StoredEvent& event,
                                    const std::vector<StoredToken>& tokens,
                                    const std::optional<StoredRoom>& room) {
    PgResult insert = Exec(conn,
                           "INSERT INTO events (room_id, seq, at_ms, type, actor, audience, body) "
                           "VALUES ($1, $2::bigint, $3::bigint, $4, $5, $6, $7)",
                           {event.room_id, std::to_string(event.seq), std::to_string(event.at_ms),
                            event.type, event.actor, event.audience, event.body});
    if (insert.status() != PGRES_COMMAND_OK && insert.SqlState() == "23505") {
      return Internal("postgresql: room " + event.room_id + " already has event " +
                      std::to_string(event.seq));
    }
    PARLEY_RETURN_IF_ERROR(Expect(conn, insert, PGRES_COMMAND_OK, "appending an event"));
    for (const StoredToken& token : tokens) PARLEY_RETURN_IF_ERROR(InsertToken(conn, token));
    if (room) {
      PgResult upsert =
          Exec(conn,
               "INSERT INTO rooms (id, title, status, created_ms) "
               "VALUES ($1, $2, $3, $4::bigint) ON CONFLICT (id) DO UPDATE "
               "SET title = EXCLUDED.title, status = EXCLUDED.status",
               {room->id, room->title, room->status, std::to_string(room->created_ms)});
      PARLEY_RETURN_IF_ERROR(Expect(conn, upsert, PGRES_COMMAND_OK, "updating a room"));
    }
    return Status::Ok();
  }

  const std::string connection_;
  const int max_connections_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<PGconn*> idle_;  // connections no caller holds
  int open_ = 0;               // idle ones and leased ones
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& connection,
                                                 int max_connections) {
  PARLEY_CHECK(max_connections >= 1);
  PARLEY_ASSIGN_OR_RETURN(PGconn * conn, Connect(connection));
  Status migrated = Migrate(conn);
  if (!migrated.ok()) {
    PQfinish(conn);
    return Status(ErrorCode::kInvalidInput,
                  migrated.message() + " (database " + RedactConnection(connection) + ")");
  }
  auto store = std::make_unique<PostgresStore>(connection, max_connections);
  store->Adopt(conn);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace parley::server
