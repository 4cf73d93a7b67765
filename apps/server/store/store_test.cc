// The SQLite store: events, tokens and rooms round-trip through a reopen, a sequence number is
// never written twice, and a failed append leaves nothing behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "server/store/store.h"

namespace parley::server {
namespace {

namespace fs = std::filesystem;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("parley_store_test_" + std::to_string(::getpid()) + ".db");
    Cleanup();
  }
  void TearDown() override { Cleanup(); }
  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(path_.string());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  fs::path path_;
};

TEST_F(SqliteStoreTest, EventsTokensAndRoomsSurviveAReopen) {
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
  EXPECT_EQ((*events)[1].audience, "[\"party:x\"]");
  EXPECT_EQ(store->LoadTokens()->size(), 2u);
  ASSERT_EQ(store->LoadRooms()->size(), 1u);
  EXPECT_EQ(store->LoadRooms()->front().title, "talks");
  EXPECT_EQ(store->Backend(), "sqlite");
}

TEST_F(SqliteStoreTest, ASequenceNumberIsWrittenOnceAndAFailedAppendLeavesNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Append(StoredEvent{"r1", 0, 10, "room_created", "", "[]", "{}"}, {}, {}).ok());
  Status again = store->Append(StoredEvent{"r1", 0, 12, "closed", "", "[]", "{}"},
                               {StoredToken{"h9", "r1", "principal", "p1"}}, {});
  EXPECT_FALSE(again.ok());
  Result<std::vector<StoredEvent>> events = store->LoadEvents();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().type, "room_created");
  EXPECT_TRUE(store->LoadTokens()->empty());  // rolled back with the event
}

TEST_F(SqliteStoreTest, AnUnopenableFileIsAnError) {
  Result<std::unique_ptr<Store>> store = OpenSqliteStore("/nonexistent-dir/x/parley.db");
  EXPECT_FALSE(store.ok());
}

}  // namespace
}  // namespace parley::server
