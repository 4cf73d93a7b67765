// Load: many concurrent rooms, each with two engine parties and a client playing the mediator
// over HTTP on loopback, for a bounded time. Checks that no request fails and that every
// acknowledged event is in its room's log; prints throughput and latency percentiles (figures
// for docs/performance.md). PARLEY_LOAD_ROOMS (default 20) and PARLEY_LOAD_SECONDS (default 3)
// size it; the 200-room run is registered as a separate `slow` test.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "server_process.h"
#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct RoomStats {
  std::vector<double> latencies_ms;
  std::map<std::string, std::vector<double>> by_kind;  // "POST /texts" -> latencies
  int errors = 0;
  int rooms = 0;
  int agreements = 0;
  std::vector<std::string> problems;
};

TEST(LoadTest, ConcurrentRoomsWithEnginePartiesLoseNothing) {
  const int rooms = EnvInt("PARLEY_LOAD_ROOMS", 20);
  const int seconds = EnvInt("PARLEY_LOAD_SECONDS", 3);
  TempDir dir;
  ServerProcess server(
      dir.path() / "parley.db", dir.path() / "admin",
      // Every client shares the loopback address: no per-client limit.
      {"--rate-limit", "0", "--threads", "32", "--max-connections-per-client", "0"});
  ASSERT_TRUE(server.running()) << server.output();
  const std::string scenario = CeasefireScenario();
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  std::vector<RoomStats> stats(rooms);

  auto client = [&](int client_idx) {
    RoomStats& mine = stats[client_idx];
    auto call = [&](const std::string& method, const std::string& path, const std::string& token,
                    const json& body, const std::string& kind) {
      auto start = Clock::now();
      HttpReply reply = server.Call(method, path, token, body.is_null() ? "" : body.dump());
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      mine.latencies_ms.push_back(ms);
      mine.by_kind[kind].push_back(ms);
      if (reply.status < 200 || reply.status >= 300) {
        ++mine.errors;
        mine.problems.push_back(method + " " + path + " -> " + std::to_string(reply.status) + " " +
                                reply.text.substr(0, 200));
      }
      return reply;
    };
    while (Clock::now() < deadline) {
      HttpReply created = call("POST", "/api/rooms", server.admin_token(),
                               json{{"scenario", scenario}, {"rounds", 30}}, "POST /api/rooms");
      if (created.status != 201) return;
      ++mine.rooms;
      const std::string base = "/api/rooms/" + created.body["room"]["id"].get<std::string>();
      const std::string mediator = created.body["token"];
      call("POST", base + "/engines", mediator, json{{"party", "israel"}, {"strategy", "conceder"}},
           "POST engines");
      call("POST", base + "/engines", mediator, json{{"party", "hamas"}, {"strategy", "linear"}},
           "POST engines");
      std::set<std::int64_t> acknowledged;
      for (int round = 0; round < 30 && Clock::now() < deadline; ++round) {
        HttpReply view = call("GET", base, mediator, nullptr, "GET room");
        if (view.status != 200 || view.body["status"] != "open") break;
        const char* side = round % 2 == 0 ? "israel" : "hamas";
        if (!view.body["latest_positions"].contains(side)) break;
        HttpReply drafted =
            call("POST", base + "/texts", mediator,
                 json{{"outcome", view.body["latest_positions"][side]["outcome"]}}, "POST texts");
        if (drafted.status != 201) break;
        acknowledged.insert(drafted.body["seq"].get<std::int64_t>());
        HttpReply relayed =
            call("POST",
                 base + "/texts/" + std::to_string(drafted.body["version"].get<int>()) + "/relay",
                 mediator, json::object(), "POST relay (engines answer)");
        if (relayed.status != 200) break;
        acknowledged.insert(relayed.body["seq"].get<std::int64_t>());
        if (relayed.body["room_status"] == "agreed") {
          ++mine.agreements;
          break;
        }
      }
      HttpReply log = call("GET", base + "/log", mediator, nullptr, "GET log");
      std::set<std::int64_t> logged;
      for (const json& event : log.body["events"]) logged.insert(event["seq"].get<std::int64_t>());
      for (std::int64_t seq : acknowledged) {
        if (!logged.count(seq)) mine.problems.push_back("lost event " + std::to_string(seq));
      }
    }
  };
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int client_idx = 0; client_idx < rooms; ++client_idx)
    threads.emplace_back(client, client_idx);
  for (std::thread& thread : threads) thread.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> latencies;
  int errors = 0, total_rooms = 0, agreements = 0;
  for (const RoomStats& room : stats) {
    latencies.insert(latencies.end(), room.latencies_ms.begin(), room.latencies_ms.end());
    errors += room.errors;
    total_rooms += room.rooms;
    agreements += room.agreements;
    for (const std::string& problem : room.problems) ADD_FAILURE() << problem;
  }
  ASSERT_FALSE(latencies.empty());
  std::sort(latencies.begin(), latencies.end());
  auto percentile = [&](double p) {
    return latencies[std::min(latencies.size() - 1,
                              static_cast<std::size_t>(p / 100.0 * latencies.size()))];
  };
  std::printf(
      "load: %d concurrent clients, %.1f s, %d rooms (%d agreed), %zu requests, %.0f requests/s, "
      "latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f, errors %d\n",
      rooms, elapsed, total_rooms, agreements, latencies.size(), latencies.size() / elapsed,
      percentile(50), percentile(90), percentile(99), latencies.back(), errors);
  std::map<std::string, std::vector<double>> by_kind;
  for (const RoomStats& room : stats) {
    for (const auto& [kind, values] : room.by_kind) {
      by_kind[kind].insert(by_kind[kind].end(), values.begin(), values.end());
    }
  }
  for (auto& [kind, values] : by_kind) {
    std::sort(values.begin(), values.end());
    auto at = [&](double p) {
      return values[std::min(values.size() - 1,
                             static_cast<std::size_t>(p / 100.0 * values.size()))];
    };
    std::printf("  %-28s %6zu requests, ms p50 %7.2f p90 %7.2f p99 %7.2f\n", kind.c_str(),
                values.size(), at(50), at(90), at(99));
  }
  EXPECT_EQ(errors, 0);
  EXPECT_GE(total_rooms, rooms);
}

}  // namespace
}  // namespace parley::testing
