// SQLite storage: WAL journal, synchronous=FULL (each commit is fsynced before Append returns),
// triggers that make the events table append-only, one connection guarded by a mutex.
#include <sqlite3.h>

#include <mutex>

#include "server/store/store.h"

namespace parley::server {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events (
  room_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  audience TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
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
  created_ms INTEGER NOT NULL
);
)sql";

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr); }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return statement_; }
  bool ok() const { return statement_ != nullptr; }
  void Bind(int index, const std::string& text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void Bind(int index, std::int64_t value) { sqlite3_bind_int64(statement_, index, value); }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(text),
                             static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
  }
  std::int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override { sqlite3_close(db_); }

  Status Init() {
    PARLEY_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL"));
    PARLEY_RETURN_IF_ERROR(Exec("PRAGMA synchronous=FULL"));
    PARLEY_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=ON"));
    sqlite3_busy_timeout(db_, 5000);
    return Exec(kSchema);
  }

  Status Append(const StoredEvent& event, const std::vector<StoredToken>& tokens,
                const std::optional<StoredRoom>& room) override {
    std::lock_guard lock(mutex_);
    PARLEY_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status status = AppendLocked(event, tokens, room);
    if (!status.ok()) {
      (void)Exec("ROLLBACK");
      return status;
    }
    return Exec("COMMIT");
  }

  Status PutToken(const StoredToken& token) override {
    std::lock_guard lock(mutex_);
    return InsertToken(token);
  }

  Result<std::vector<StoredEvent>> LoadEvents() override {
    std::lock_guard lock(mutex_);
    Statement statement(db_,
                        "SELECT room_id, seq, at_ms, type, actor, audience, body FROM events "
                        "ORDER BY room_id, seq");
    if (!statement.ok()) return Error("reading events");
    std::vector<StoredEvent> events;
    int code;
    while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
      events.push_back(StoredEvent{statement.Text(0), statement.Int(1), statement.Int(2),
                                   statement.Text(3), statement.Text(4), statement.Text(5),
                                   statement.Text(6)});
    }
    if (code != SQLITE_DONE) return Error("reading events");
    return events;
  }

  Result<std::vector<StoredToken>> LoadTokens() override {
    std::lock_guard lock(mutex_);
    Statement statement(db_, "SELECT hash, room_id, role, participant_id FROM tokens");
    if (!statement.ok()) return Error("reading tokens");
    std::vector<StoredToken> tokens;
    int code;
    while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
      tokens.push_back(
          StoredToken{statement.Text(0), statement.Text(1), statement.Text(2), statement.Text(3)});
    }
    if (code != SQLITE_DONE) return Error("reading tokens");
    return tokens;
  }

  Result<std::vector<StoredRoom>> LoadRooms() override {
    std::lock_guard lock(mutex_);
    Statement statement(db_, "SELECT id, title, status, created_ms FROM rooms ORDER BY created_ms");
    if (!statement.ok()) return Error("reading rooms");
    std::vector<StoredRoom> rooms;
    int code;
    while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
      rooms.push_back(
          StoredRoom{statement.Text(0), statement.Text(1), statement.Text(2), statement.Int(3)});
    }
    if (code != SQLITE_DONE) return Error("reading rooms");
    return rooms;
  }

  std::string Backend() const override { return "sqlite"; }

 private:
  Status Error(const std::string& what) const {
    return Internal("sqlite: " + what + ": " + sqlite3_errmsg(db_));
  }

  Status Exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : "unknown error";
      sqlite3_free(message);
      return Internal(std::string("sqlite: ") + text);
    }
    return Status::Ok();
  }

  Status InsertToken(const StoredToken& token) {
    Statement statement(db_,
                        "INSERT OR IGNORE INTO tokens (hash, room_id, role, participant_id) "
                        "VALUES (?, ?, ?, ?)");
    if (!statement.ok()) return Error("preparing a token insert");
    statement.Bind(1, token.hash);
    statement.Bind(2, token.room_id);
    statement.Bind(3, token.role);
    statement.Bind(4, token.participant_id);
    if (sqlite3_step(statement.get()) != SQLITE_DONE) return Error("storing a token");
    return Status::Ok();
  }

  Status AppendLocked(const StoredEvent& event, const std::vector<StoredToken>& tokens,
                      const std::optional<StoredRoom>& room) {
    Statement insert(db_,
                     "INSERT INTO events (room_id, seq, at_ms, type, actor, audience, body) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return Error("preparing an event insert");
    insert.Bind(1, event.room_id);
    insert.Bind(2, event.seq);
    insert.Bind(3, event.at_ms);
    insert.Bind(4, event.type);
    insert.Bind(5, event.actor);
    insert.Bind(6, event.audience);
    insert.Bind(7, event.body);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return Error("appending an event");
    for (const StoredToken& token : tokens) PARLEY_RETURN_IF_ERROR(InsertToken(token));
    if (room) {
      Statement upsert(db_,
                       "INSERT INTO rooms (id, title, status, created_ms) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
                       "status = excluded.status");
      if (!upsert.ok()) return Error("preparing a room update");
      upsert.Bind(1, room->id);
      upsert.Bind(2, room->title);
      upsert.Bind(3, room->status);
      upsert.Bind(4, room->created_ms);
      if (sqlite3_step(upsert.get()) != SQLITE_DONE) return Error("updating a room");
    }
    return Status::Ok();
  }

  std::mutex mutex_;
  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  sqlite3* db = nullptr;
  int code =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (code != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status(ErrorCode::kInvalidInput, "cannot open database: " + message,
                  Location::InFile(path));
  }
  auto store = std::make_unique<SqliteStore>(db);
  Status status = store->Init();
  if (!status.ok()) return status.WithFile(path);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace parley::server
