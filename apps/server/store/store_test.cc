// The stores' behaviour, the same for both backends: every test runs on SQLite and on a real
// PostgreSQL server this program starts (store/testing/postgres_test_server.h; skipped, naming the
// Debian package, when PostgreSQL is not installed). Then PostgreSQL's own cases: dropped
// connections, unreachable servers, schema versions, and how --db selects a backend.
#include "server/store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "server/store/testing/postgres_test_server.h"

namespace parley::server {
namespace {

namespace fs = std::filesystem;
using testing::PostgresTestServer;

enum class Backend { kSqlite, kPostgres };

// One PostgreSQL server per test program, started on first use and stopped by the environment
// below when the tests end.
struct SharedPostgres {
  std::unique_ptr<PostgresTestServer> server;
  std::string skip_reason;
  Status error;

  static SharedPostgres*& Instance() {
    static SharedPostgres* instance = nullptr;
    return instance;
  }
  static SharedPostgres& Get() {
    static std::once_flag once;
    std::call_once(once, [] {
      auto* created = new SharedPostgres();
      Result<std::unique_ptr<PostgresTestServer>> started =
          PostgresTestServer::Start(&created->skip_reason);
      if (started.ok()) {
        created->server = std::move(started).value();
      } else {
        created->error = started.status();
      }
      Instance() = created;
    });
    return *Instance();
  }
};

struct StopSharedPostgresAtExit : ::testing::Environment {
  void TearDown() override {
    if (SharedPostgres* shared = SharedPostgres::Instance()) shared->server.reset();
  }
};
const auto* const kStopAtExit = ::testing::AddGlobalTestEnvironment(new StopSharedPostgresAtExit);

// A fresh database for each test; `Open` goes through OpenStore, as `parley serve --db` does.
class StoreFixture {
 protected:
  // Skips the test (no PostgreSQL here) or fails it when no database could be made.
  void MakeDatabase(Backend backend) {
    backend_ = backend;
    static std::atomic<int> counter{0};
    const int number = counter++;
    if (backend == Backend::kSqlite) {
      path_ = fs::temp_directory_path() / ("parley_store_test_" + std::to_string(::getpid()) + "_" +
                                           std::to_string(number) + ".db");
      Cleanup();
      db_ = path_.string();
      return;
    }
    SharedPostgres& shared = SharedPostgres::Get();
    if (!shared.skip_reason.empty()) GTEST_SKIP() << shared.skip_reason;
    ASSERT_TRUE(shared.error.ok()) << shared.error.ToString();
    server_ = shared.server.get();
    database_ = "store_test_" + std::to_string(number);
    Status created = server_->CreateDatabase(database_);
    ASSERT_TRUE(created.ok()) << created.ToString();
    db_ = server_->Uri(database_);
  }
  void Cleanup() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> store = OpenStore(db_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  // Runs SQL on the database directly, around the store.
  Status Execute(const std::string& sql) {
    if (backend_ == Backend::kPostgres) return server_->Execute(database_, sql);
    sqlite3* db = nullptr;
    sqlite3_open(path_.c_str(), &db);
    char* message = nullptr;
    int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    std::string text = message != nullptr ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    return code == SQLITE_OK ? Status::Ok() : Internal(text);
  }

  Backend backend_ = Backend::kSqlite;
  fs::path path_;
  std::string db_;
  PostgresTestServer* server_ = nullptr;
  std::string database_;
};

class StoreTest : public ::testing::TestWithParam<Backend>, public StoreFixture {
 protected:
  void SetUp() override { MakeDatabase(GetParam()); }
  void TearDown() override { Cleanup(); }
};

StoredEvent Event(const std::string& room, std::int64_t seq, const std::string& type = "proposal",
                  const std::string& body = "{}") {
  return StoredEvent{room, seq, 1000 + seq, type, "p1", "[\"party:x\"]", body};
}

TEST_P(StoreTest, EventsTokensAndRoomsSurviveAReopen) {
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store
                    ->Append(StoredEvent{"r1", 0, 10, "room_created", "", "[]", "{\"a\":1}"},
                             {StoredToken{"h1", "r1", "mediator", "m"}},
                             StoredRoom{"r1", "talks", "open", 10})
                    .ok());
    ASSERT_TRUE(
        store->Append(StoredEvent{"r1", 1, 11, "proposal", "p1", "[\"party:x\"]", "{}"}, {}, {})
            .ok());
    ASSERT_TRUE(store->PutToken(StoredToken{"h0", "", "admin", ""}).ok());
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  Result<std::vector<StoredEvent>> events = store->LoadEvents();
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].body, "{\"a\":1}");
  EXPECT_EQ((*events)[0].at_ms, 10);
  EXPECT_EQ((*events)[1].audience, "[\"party:x\"]");
  EXPECT_EQ((*events)[1].actor, "p1");
  Result<std::vector<StoredToken>> tokens = store->LoadTokens();
  ASSERT_TRUE(tokens.ok());
  std::map<std::string, StoredToken> by_hash;
  for (const StoredToken& token : *tokens) by_hash[token.hash] = token;
  ASSERT_EQ(by_hash.size(), 2u);
  EXPECT_EQ(by_hash["h1"].role, "mediator");
  EXPECT_EQ(by_hash["h1"].participant_id, "m");
  EXPECT_EQ(by_hash["h0"].room_id, "");
  ASSERT_EQ(store->LoadRooms()->size(), 1u);
  EXPECT_EQ(store->LoadRooms()->front().title, "talks");
  EXPECT_EQ(store->Backend(), GetParam() == Backend::kSqlite ? "sqlite" : "postgresql");
}

TEST_P(StoreTest, ASequenceNumberIsWrittenOnceAndAFailedAppendLeavesNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Append(StoredEvent{"r1", 0, 10, "room_created", "", "[]", "{}"}, {}, {}).ok());
  Status again = store->Append(StoredEvent{"r1", 0, 12, "closed", "", "[]", "{}"},
                               {StoredToken{"h9", "r1", "principal", "p1"}},
                               StoredRoom{"r1", "talks", "closed", 10});
  EXPECT_FALSE(again.ok());
  Result<std::vector<StoredEvent>> events = store->LoadEvents();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().type, "room_created");
  EXPECT_TRUE(store->LoadTokens()->empty());  // rolled back with the event
  EXPECT_TRUE(store->LoadRooms()->empty());
  // The store is usable after the failure.
  EXPECT_TRUE(store->Append(Event("r1", 1), {}, {}).ok());
  EXPECT_EQ(store->LoadEvents()->size(), 2u);
}

TEST_P(StoreTest, TheEventsTableIsAppendOnly) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Append(Event("r1", 0, "proposal", "{\"n\":1}"), {}, {}).ok());
  std::vector<std::string> changes = {"UPDATE events SET body = '{}'", "DELETE FROM events"};
  if (GetParam() == Backend::kPostgres) changes.push_back("TRUNCATE events");
  for (const std::string& change : changes) {
    Status status = Execute(change);
    EXPECT_FALSE(status.ok()) << change;
    EXPECT_NE(status.message().find("append-only"), std::string::npos) << status.message();
  }
  Result<std::vector<StoredEvent>> events = store->LoadEvents();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().body, "{\"n\":1}");
  // Other tables are ordinary.
  EXPECT_TRUE(Execute("UPDATE rooms SET title = 'x'").ok());
}

TEST_P(StoreTest, ARoomRowFollowsItsLatestAppendAndKeepsItsCreationTime) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(
      store->Append(Event("r1", 0, "room_created"), {}, StoredRoom{"r1", "talks", "open", 10})
          .ok());
  ASSERT_TRUE(
      store->Append(Event("r2", 0, "room_created"), {}, StoredRoom{"r2", "other", "open", 5}).ok());
  ASSERT_TRUE(
      store->Append(Event("r1", 1, "closed"), {}, StoredRoom{"r1", "talks 2", "closed", 99}).ok());
  Result<std::vector<StoredRoom>> rooms = store->LoadRooms();
  ASSERT_TRUE(rooms.ok());
  ASSERT_EQ(rooms->size(), 2u);
  EXPECT_EQ((*rooms)[0].id, "r2");  // by creation time
  EXPECT_EQ((*rooms)[1].id, "r1");
  EXPECT_EQ((*rooms)[1].status, "closed");
  EXPECT_EQ((*rooms)[1].title, "talks 2");
  EXPECT_EQ((*rooms)[1].created_ms, 10);
}

TEST_P(StoreTest, ATokenIsStoredOnce) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutToken(StoredToken{"h0", "", "admin", ""}).ok());
  ASSERT_TRUE(store->PutToken(StoredToken{"h0", "r9", "observer", "o"}).ok());
  ASSERT_TRUE(store->Append(Event("r1", 0), {StoredToken{"h0", "r1", "mediator", "m"}}, {}).ok());
  Result<std::vector<StoredToken>> tokens = store->LoadTokens();
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ(tokens->front().role, "admin");  // the first one stays
  EXPECT_EQ(store->LoadEvents()->size(), 1u);
}

TEST_P(StoreTest, TextAndNumbersRoundTripExactly) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  const std::string body =
      "{\"note\":\"it's \\\"quoted\\\", back\\\\slashed, \\u00e9t\\u00e9\\n\"}";
  const std::string injection = "x'); DELETE FROM tokens; --";
  const std::string unicode = "Qatar \xc3\xa9\xe2\x80\x94\xf0\x9f\x95\x8a";  // é — dove
  std::string large(1 << 20, 'a');
  large.front() = '"';
  large.back() = '"';
  const std::int64_t far_future_ms = 253402300799999;  // 9999-12-31T23:59:59.999Z
  ASSERT_TRUE(store->PutToken(StoredToken{"h0", "", "admin", ""}).ok());
  ASSERT_TRUE(store
                  ->Append(StoredEvent{injection, 0, far_future_ms, unicode, "", "[]", body},
                           {StoredToken{injection, injection, "principal", unicode}},
                           StoredRoom{injection, unicode, "open", far_future_ms})
                  .ok());
  ASSERT_TRUE(store->Append(StoredEvent{"r1", 0, 0, "t", "a\nb\tc", "[]", large}, {}, {}).ok());
  Result<std::vector<StoredEvent>> events = store->LoadEvents();
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  const StoredEvent& first = (*events)[0].room_id == "r1" ? (*events)[1] : (*events)[0];
  const StoredEvent& second = (*events)[0].room_id == "r1" ? (*events)[0] : (*events)[1];
  EXPECT_EQ(first.room_id, injection);
  EXPECT_EQ(first.at_ms, far_future_ms);
  EXPECT_EQ(first.type, unicode);
  EXPECT_EQ(first.body, body);
  EXPECT_EQ(second.actor, "a\nb\tc");
  EXPECT_EQ(second.body, large);
  EXPECT_EQ(store->LoadTokens()->size(), 2u);  // the injected DELETE did nothing
  ASSERT_EQ(store->LoadRooms()->size(), 1u);
  EXPECT_EQ(store->LoadRooms()->front().title, unicode);
  EXPECT_EQ(store->LoadRooms()->front().created_ms, far_future_ms);
}

TEST_P(StoreTest, EventsComeByRoomThenSequence) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  // Byte order of room ids ("B" < "a"), whatever the database's collation.
  for (const auto& [room, seq] : std::vector<std::pair<std::string, std::int64_t>>{
           {"a", 0}, {"B", 0}, {"a", 1}, {"B", 1}, {"a", 2}}) {
    ASSERT_TRUE(store->Append(Event(room, seq), {}, {}).ok());
  }
  Result<std::vector<StoredEvent>> events = store->LoadEvents();
  ASSERT_TRUE(events.ok());
  std::vector<std::string> order;
  for (const StoredEvent& event : *events)
    order.push_back(event.room_id + std::to_string(event.seq));
  EXPECT_EQ(order, (std::vector<std::string>{"B0", "B1", "a0", "a1", "a2"}));
}

TEST_P(StoreTest, ConcurrentAppendsFromManyThreadsAreAllKept) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  constexpr int kThreads = 12;  // more than PostgreSQL's pool of 8: some wait for a connection
  constexpr int kEvents = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      const std::string room = "room" + std::to_string(thread_idx);
      for (int seq = 0; seq < kEvents; ++seq) {
        std::vector<StoredToken> tokens = {
            StoredToken{room + "-" + std::to_string(seq), room, "observer", ""}};
        std::optional<StoredRoom> row;
        if (seq == 0) row = StoredRoom{room, room, "open", thread_idx};
        if (!store->Append(Event(room, seq), tokens, row).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  Result<std::vector<StoredEvent>> events = store->LoadEvents();
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), static_cast<std::size_t>(kThreads * kEvents));
  std::map<std::string, std::int64_t> next;
  for (const StoredEvent& event : *events) EXPECT_EQ(event.seq, next[event.room_id]++);
  EXPECT_EQ(next.size(), static_cast<std::size_t>(kThreads));
  EXPECT_EQ(store->LoadTokens()->size(), static_cast<std::size_t>(kThreads * kEvents));
  EXPECT_EQ(store->LoadRooms()->size(), static_cast<std::size_t>(kThreads));
}

TEST_P(StoreTest, TwoStoresOnOneDatabaseSeeEachOthersCommits) {
  std::unique_ptr<Store> writer = Open();
  std::unique_ptr<Store> reader = Open();  // the schema exists: opening again changes nothing
  ASSERT_TRUE(writer && reader);
  ASSERT_TRUE(writer->Append(Event("r1", 0), {}, {}).ok());
  EXPECT_EQ(reader->LoadEvents()->size(), 1u);
  EXPECT_FALSE(reader->Append(Event("r1", 0), {}, {}).ok());
  EXPECT_TRUE(reader->Append(Event("r1", 1), {}, {}).ok());
  EXPECT_EQ(writer->LoadEvents()->size(), 2u);
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& param) {
  return param.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}
INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

TEST(SqliteStoreTest, AnUnopenableFileIsAnError) {
  Result<std::unique_ptr<Store>> store = OpenSqliteStore("/nonexistent-dir/x/parley.db");
  EXPECT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kInvalidInput);
}

class PostgresStoreTest : public ::testing::Test, public StoreFixture {
 protected:
  void SetUp() override { MakeDatabase(Backend::kPostgres); }
};

TEST_F(PostgresStoreTest, ADroppedConnectionIsReopenedAndNothingIsLostOrDoubled) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Append(Event("r1", 0), {}, {}).ok());
  // The administrator ends the store's session; pg_terminate_backend waits until it has.
  ASSERT_TRUE(Execute("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                      "WHERE application_name = 'parley'")
                  .ok());
  EXPECT_TRUE(store->Append(Event("r1", 1), {StoredToken{"h1", "r1", "observer", ""}}, {}).ok());
  // The server restarts: every connection is dropped.
  Status restarted = server_->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted.ToString();
  Result<std::vector<StoredEvent>> events = store->LoadEvents();
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_TRUE(store->Append(Event("r1", 2), {}, {}).ok());
  events = store->LoadEvents();
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  for (std::int64_t seq = 0; seq < 3; ++seq) EXPECT_EQ((*events)[seq].seq, seq);
  EXPECT_EQ(store->LoadTokens()->size(), 1u);
}

TEST_F(PostgresStoreTest, ARoleThatMayOnlyInsertEventsRunsTheStore) {
  ASSERT_TRUE(Open());  // the owner creates the schema
  const std::string role = "appender_" + database_;
  ASSERT_TRUE(Execute("CREATE ROLE " + role + " LOGIN; GRANT SELECT, INSERT ON events, tokens TO " +
                      role + "; GRANT SELECT, INSERT, UPDATE ON rooms TO " + role +
                      "; GRANT SELECT ON parley_schema TO " + role)
                  .ok());
  const std::string uri = "postgresql://" + role + "@/" + database_ + "?host=" + server_->dir() +
                          "&port=" + std::to_string(server_->port());
  Result<std::unique_ptr<Store>> store = OpenStore(uri);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE((*store)
                  ->Append(Event("r1", 0, "room_created"), {StoredToken{"h", "r1", "mediator", ""}},
                           StoredRoom{"r1", "t", "open", 1})
                  .ok());
  EXPECT_TRUE(
      (*store)->Append(Event("r1", 1, "closed"), {}, StoredRoom{"r1", "t", "closed", 1}).ok());
  EXPECT_EQ((*store)->LoadEvents()->size(), 2u);
  EXPECT_EQ((*store)->LoadRooms()->front().status, "closed");
  // Even without the triggers, the role could not change the log.
  ASSERT_TRUE(Execute("ALTER TABLE events DISABLE TRIGGER USER").ok());
  Status update = Execute("SET ROLE " + role + "; UPDATE events SET body = '{}'");
  EXPECT_FALSE(update.ok());
  EXPECT_NE(update.message().find("permission denied"), std::string::npos) << update.message();
}

TEST_F(PostgresStoreTest, AMissingDatabaseIsInvalidInput) {
  Result<std::unique_ptr<Store>> store = OpenStore(server_->Uri("no_such_database"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(store.status().message().find("no_such_database"), std::string::npos)
      << store.status().message();
}

TEST_F(PostgresStoreTest, ASchemaFromANewerParleyIsRefused) {
  ASSERT_TRUE(Execute("CREATE TABLE parley_schema (version INTEGER NOT NULL); "
                      "INSERT INTO parley_schema VALUES (99)")
                  .ok());
  Result<std::unique_ptr<Store>> store = OpenStore(db_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos) << store.status().message();
}

TEST(PostgresConnectionTest, AnUnreachableServerIsInvalidInputAndHidesThePassword) {
  Result<std::unique_ptr<Store>> store =
      OpenStore("postgresql://parley:s3cret@/parley?host=/nonexistent-dir&connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kInvalidInput);
  const std::string message = store.status().ToString();
  EXPECT_NE(message.find("cannot connect to PostgreSQL"), std::string::npos) << message;
  EXPECT_NE(message.find("parley:***@"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
}

TEST(PostgresConnectionTest, DbSelectsTheBackend) {
  EXPECT_TRUE(IsPostgresConnection("postgresql://parley@db.example.org/talks"));
  EXPECT_TRUE(IsPostgresConnection("postgres://localhost"));
  EXPECT_TRUE(IsPostgresConnection("host=/run/postgresql dbname=parley"));
  EXPECT_TRUE(IsPostgresConnection("dbname = 'my talks'"));
  EXPECT_FALSE(IsPostgresConnection("parley.db"));
  EXPECT_FALSE(IsPostgresConnection("./postgresql.db"));
  EXPECT_FALSE(IsPostgresConnection("talks=2024.db"));  // not a libpq keyword: a file
  EXPECT_FALSE(IsPostgresConnection("/var/lib/parley/postgres://x"));
}

TEST(PostgresConnectionTest, PasswordsAreRedacted) {
  EXPECT_EQ(RedactConnection("postgresql://alice:pa%40ss@db:5432/talks?sslmode=require"),
            "postgresql://alice:***@db:5432/talks?sslmode=require");
  EXPECT_EQ(RedactConnection("postgres://alice@db/talks?password=x&sslmode=require"),
            "postgres://alice@db/talks?password=***&sslmode=require");
  EXPECT_EQ(RedactConnection("postgresql://db/talks"), "postgresql://db/talks");
  EXPECT_EQ(RedactConnection("postgresql://alice@db/x?password=only"),
            "postgresql://alice@db/x?password=***");
  const std::string pairs = RedactConnection("host=db password='a b' dbname=talks");
  EXPECT_EQ(pairs.find("a b"), std::string::npos) << pairs;
  EXPECT_NE(pairs.find("password=***"), std::string::npos) << pairs;
  EXPECT_NE(pairs.find("dbname=talks"), std::string::npos) << pairs;
  EXPECT_EQ(RedactConnection("parley.db"), "parley.db");
  // libpq decodes query keys: a percent-encoded "password" key is still a password.
  const std::string encoded = RedactConnection("postgresql://alice@db/x?pass%77ord=secret");
  EXPECT_EQ(encoded.find("secret"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find("password=***"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find("dbname=x"), std::string::npos) << encoded;
}

}  // namespace
}  // namespace parley::server
