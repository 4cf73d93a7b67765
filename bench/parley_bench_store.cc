// Append throughput of the live server's stores (apps/server/store): each Append commits one
// event (a 300-byte body, like a proposal) durably before returning.
//
// - sqlite: a file in /tmp, WAL, synchronous=FULL, one connection behind a mutex.
// - postgresql: a local PostgreSQL 15 cluster this program starts (store/testing/
//   postgres_test_server.h: unix socket, fsync and synchronous_commit on, the defaults), the
//   store's pool of 8 connections. Skipped with a message when PostgreSQL is not installed.
//
// Threads append to rooms of their own, as HTTP workers serving different rooms do. Counter:
// `appends/s` (real time). Figures in docs/performance.md.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>

#include "server/store/store.h"
#include "server/store/testing/postgres_test_server.h"

namespace parley::server {
namespace {

namespace fs = std::filesystem;

struct Backends {
  fs::path sqlite_dir;
  std::unique_ptr<Store> sqlite;
  std::unique_ptr<testing::PostgresTestServer> postgres_server;
  std::unique_ptr<Store> postgres;
  std::string postgres_error;

  ~Backends() {
    sqlite.reset();
    if (!sqlite_dir.empty()) fs::remove_all(sqlite_dir);
    postgres.reset();
  }
};

Backends& Get() {
  static Backends backends;
  static std::once_flag once;
  std::call_once(once, [] {
    backends.sqlite_dir =
        fs::temp_directory_path() / ("parley_bench_store_" + std::to_string(::getpid()));
    fs::create_directories(backends.sqlite_dir);
    Result<std::unique_ptr<Store>> sqlite =
        OpenSqliteStore((backends.sqlite_dir / "bench.db").string());
    if (sqlite.ok()) backends.sqlite = std::move(sqlite).value();

    std::string skip_reason;
    Result<std::unique_ptr<testing::PostgresTestServer>> server =
        testing::PostgresTestServer::Start(&skip_reason);
    if (!skip_reason.empty()) {
      backends.postgres_error = skip_reason;
      return;
    }
    if (!server.ok()) {
      backends.postgres_error = server.status().ToString();
      return;
    }
    backends.postgres_server = std::move(server).value();
    Status created = backends.postgres_server->CreateDatabase("bench");
    Result<std::unique_ptr<Store>> postgres =
        created.ok() ? OpenStore(backends.postgres_server->Uri("bench"))
                     : Result<std::unique_ptr<Store>>(created);
    if (postgres.ok()) {
      backends.postgres = std::move(postgres).value();
    } else {
      backends.postgres_error = postgres.status().ToString();
    }
  });
  return backends;
}

void BM_Append(benchmark::State& state, bool postgres) {
  Backends& backends = Get();
  Store* store = postgres ? backends.postgres.get() : backends.sqlite.get();
  if (store == nullptr) {
    state.SkipWithError(postgres ? backends.postgres_error.c_str() : "cannot open SQLite");
    return;
  }
  // A fresh room for every run of every thread, so sequence numbers never collide.
  static std::atomic<int> runs{0};
  const std::string room = "room" + std::to_string(runs++);
  const std::string body = "{\"outcome\":{" + std::string(270, 'x') + "},\"note\":\"n\"}";
  std::int64_t seq = 0;
  for (auto _ : state) {
    StoredEvent event{room, seq, 1700000000000 + seq, "proposal", "israel", "[\"mediator\"]", body};
    Status status = store->Append(event, {}, std::nullopt);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      break;
    }
    ++seq;
  }
  state.counters["appends/s"] =
      benchmark::Counter(static_cast<double>(seq), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_Append, sqlite, false)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK_CAPTURE(BM_Append, postgresql, true)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace
}  // namespace parley::server
