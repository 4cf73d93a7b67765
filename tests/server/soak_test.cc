// Soak (label `slow`): ordinary rooms negotiating with engine parties, principals following their
// event streams, and every attack of issue 10 at once, on loopback, for a bounded time
// (PARLEY_SOAK_SECONDS, default 60). Passes when the server never crashed, answered no request
// with a 5xx other than the 503s the limits promise, answered /api/health within 1 s
// throughout, and every acknowledged event is in its room's log after a restart. Prints the
// figures docs/performance.md records.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
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

struct Tally {
  std::mutex mutex;
  std::map<std::string, std::map<int, int>> statuses;  // kind -> status -> count
  std::vector<std::string> problems;
  void Count(const std::string& kind, int status) {
    std::lock_guard lock(mutex);
    ++statuses[kind][status];
  }
  void Problem(std::string problem) {
    std::lock_guard lock(mutex);
    if (problems.size() < 50) problems.push_back(std::move(problem));
  }
};

TEST(SoakTest, AttacksAndOrdinaryRoomsTogether) {
  const int seconds = EnvInt("PARLEY_SOAK_SECONDS", 60);
  const int rooms = EnvInt("PARLEY_SOAK_ROOMS", 8);
  TempDir dir;
  auto server = std::make_unique<ServerProcess>(
      dir.path() / "parley.db", dir.path() / "admin",
      std::vector<std::string>{"--rate-limit", "0", "--header-timeout", "3",
                               "--analysis-time-limit", "2", "--max-body-bytes", "1048576"});
  ASSERT_TRUE(server->running()) << server->output();
  const std::string admin = server->admin_token();
  const std::string scenario = CeasefireScenario();
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  auto running = [&] { return Clock::now() < deadline; };
  Tally tally;
  std::mutex acknowledged_mutex;
  std::map<std::string, std::set<std::int64_t>> acknowledged;  // room -> mediator seqs
  std::map<std::string, std::string> mediator_tokens;

  auto call = [&](const std::string& kind, const std::string& method, const std::string& path,
                  const std::string& token, const std::string& body) {
    HttpReply reply = server->Call(method, path, token, body);
    tally.Count(kind, reply.status);
    if (reply.status >= 500 && reply.status != 503) {
      tally.Problem(kind + " " + path + " -> " + std::to_string(reply.status) + " " +
                    reply.text.substr(0, 200));
    }
    if (reply.status == 0) tally.Problem(kind + ": " + reply.text);
    return reply;
  };

  std::vector<std::thread> threads;
  // Ordinary rooms: the mediator drafts from the latest positions and relays; engines answer.
  for (int room_idx = 0; room_idx < rooms; ++room_idx) {
    threads.emplace_back([&] {
      while (running()) {
        HttpReply created = call("room", "POST", "/api/rooms", admin,
                                 json{{"scenario", scenario}, {"rounds", 30}}.dump());
        if (created.status != 201) continue;
        const std::string id = created.body["room"]["id"];
        const std::string base = "/api/rooms/" + id;
        const std::string mediator = created.body["token"];
        {
          std::lock_guard lock(acknowledged_mutex);
          mediator_tokens[id] = mediator;
        }
        call("room", "POST", base + "/engines", mediator,
             json{{"party", "israel"}, {"strategy", "conceder"}}.dump());
        call("room", "POST", base + "/engines", mediator,
             json{{"party", "hamas"}, {"strategy", "boulware"}}.dump());
        for (int round = 0; round < 30 && running(); ++round) {
          HttpReply view = call("room", "GET", base, mediator, "");
          if (view.status != 200 || view.body["status"] != "open") break;
          const char* side = round % 2 == 0 ? "israel" : "hamas";
          if (!view.body["latest_positions"].contains(side)) break;
          HttpReply drafted =
              call("room", "POST", base + "/texts", mediator,
                   json{{"outcome", view.body["latest_positions"][side]["outcome"]}}.dump());
          if (drafted.status != 201) break;
          HttpReply relayed =
              call("room", "POST",
                   base + "/texts/" + std::to_string(drafted.body["version"].get<int>()) + "/relay",
                   mediator, "{}");
          {
            std::lock_guard lock(acknowledged_mutex);
            acknowledged[id].insert(drafted.body["seq"].get<std::int64_t>());
            if (relayed.status == 200)
              acknowledged[id].insert(relayed.body["seq"].get<std::int64_t>());
          }
          if (relayed.status != 200 || relayed.body["room_status"] == "agreed") break;
          call("room", "GET", base + "/analysis", mediator, "");
        }
      }
    });
  }
  // A principal following its room's stream until the room ends, over and over.
  for (int stream_idx = 0; stream_idx < 6; ++stream_idx) {
    threads.emplace_back([&] {
      while (running()) {
        HttpReply created =
            call("stream", "POST", "/api/rooms", admin, json{{"scenario", scenario}}.dump());
        if (created.status != 201) continue;
        const std::string base = "/api/rooms/" + created.body["room"]["id"].get<std::string>();
        const std::string mediator = created.body["token"];
        HttpReply joined = call("stream", "POST", base + "/participants", mediator,
                                json{{"role", "principal"}, {"party", "israel"}}.dump());
        if (joined.status != 201) continue;
        RawConnection stream(server->port());
        stream.Send("GET " + base + "/events?token=" + joined.body["token"].get<std::string>() +
                    " HTTP/1.1\r\nHost: x\r\n\r\n");
        for (int draft = 0; draft < 20 && running(); ++draft) {
          call("stream", "POST", base + "/texts", mediator,
               json{{"outcome", CeasefireOutcome()}}.dump());
        }
        call("stream", "POST", base + "/close", mediator, "{}");
        std::string got = stream.ReadToClose(std::chrono::seconds(30));
        if (got.find("event: closed") == std::string::npos) {
          tally.Problem("a stream did not deliver its room's end: " + got.substr(0, 200));
        }
      }
    });
  }
  // Attacks through the API.
  threads.emplace_back([&] {
    HttpReply created =
        call("attack", "POST", "/api/rooms", admin, json{{"scenario", scenario}}.dump());
    const std::string base = "/api/rooms/" + created.body["room"]["id"].get<std::string>();
    const std::string mediator = created.body["token"];
    HttpReply joined = call("attack", "POST", base + "/participants", mediator,
                            json{{"role", "principal"}, {"party", "israel"}}.dump());
    const std::string principal = joined.body["token"];
    std::string deep;
    for (int level = 0; level < 100'000; ++level) deep += "{\"a\":";
    deep = "{\"outcome\": {\"ceasefire\": " + deep + "1" + std::string(100'000, '}') + "}}";
    while (running()) {
      call("deep", "POST", base + "/proposals", principal, deep);
      call("deep", "POST", base + "/texts", mediator, deep);
      call("tiny weights", "PUT", base + "/preferences", principal,
           R"({"weights": {"ceasefire": 5e-324, "withdrawal": 0, "linkage": 0,
               "hostages_released": 0, "prisoners_released": 0, "humanitarian_access": 0,
               "guarantees": 0}})");
      call("1e400", "PUT", base + "/preferences", principal, R"({"reservation": 1e400})");
      call("long target", "GET", "/api/rooms/" + std::string(9000, 'a'), principal, "");
      call("health", "GET", "/api/health", "", "");
    }
  });
  // Analyses of a huge scenario.
  threads.emplace_back([&] {
    HttpReply created =
        call("analysis", "POST", "/api/rooms", admin, json{{"scenario", HugeScenario()}}.dump());
    const std::string base = "/api/rooms/" + created.body["room"]["id"].get<std::string>();
    const std::string mediator = created.body["token"];
    HttpReply joined = call("analysis", "POST", base + "/participants", mediator,
                            json{{"role", "principal"}, {"party", "x"}}.dump());
    double weight = 0.1;
    while (running()) {
      call("analysis", "GET", base + "/analysis", mediator, "");
      weight = weight > 0.8 ? 0.1 : weight + 0.1;  // a new version each time
      call("analysis", "PUT", base + "/preferences", joined.body["token"],
           json{{"weights", {{"a", weight}, {"b", 1 - weight}}}}.dump());
    }
  });
  // Endless chunked bodies, unauthenticated.
  threads.emplace_back([&] {
    const std::string chunk = "10000\r\n" + std::string(65536, ' ') + "\r\n";
    while (running()) {
      RawConnection connection(server->port());
      connection.Send("POST /api/rooms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int chunk_idx = 0; chunk_idx < 320 && connection.Send(chunk); ++chunk_idx) {
      }
      std::string response = connection.ReadUntil(CompleteResponse, std::chrono::seconds(10));
      tally.Count("chunked flood", StatusOf(response));
    }
  });
  // Slow clients from another address: 70 connections dribbling headers, renewed as they close.
  threads.emplace_back([&] {
    std::vector<std::unique_ptr<RawConnection>> slow;
    while (running()) {
      slow.erase(std::remove_if(slow.begin(), slow.end(),
                                [](const std::unique_ptr<RawConnection>& connection) {
                                  return !connection->Send("X-Slow: 1\r\n");
                                }),
                 slow.end());
      while (slow.size() < 70) {
        slow.push_back(std::make_unique<RawConnection>(server->port(), "127.0.0.2"));
        slow.back()->Send("GET /api/health HTTP/1.1\r\n");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the attack's own pace
    }
  });
  // Health, from its own address, every 100 ms, each within 1 s.
  std::vector<double> health_ms;
  int health_failures = 0;
  std::thread health([&] {
    while (running()) {
      httplib::Client client("127.0.0.1", server->port());
      client.set_connection_timeout(1, 0);
      client.set_read_timeout(1, 0);
      auto start = Clock::now();
      auto result = client.Get("/api/health");
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (!result || result->status != 200) {
        ++health_failures;
      } else {
        health_ms.push_back(ms);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the probe's pace
    }
  });
  for (std::thread& thread : threads) thread.join();
  health.join();
  ASSERT_TRUE(server->alive()) << "the server died";
  const double peak_mib = static_cast<double>(server->PeakMemoryBytes()) / (1 << 20);
  const double cpu = server->CpuSeconds();

  // Every acknowledged event is there after a restart.
  server->Kill(SIGTERM);
  server = std::make_unique<ServerProcess>(dir.path() / "parley.db", dir.path() / "admin",
                                           std::vector<std::string>{"--rate-limit", "0"});
  ASSERT_TRUE(server->running()) << server->output();
  std::size_t checked = 0;
  for (const auto& [room_id, seqs] : acknowledged) {
    std::map<std::int64_t, json> logged = server->ReadLog(room_id, mediator_tokens[room_id]);
    for (std::int64_t seq : seqs) {
      EXPECT_TRUE(logged.count(seq)) << "room " << room_id << " lost event " << seq;
      ++checked;
    }
  }

  std::sort(health_ms.begin(), health_ms.end());
  ASSERT_FALSE(health_ms.empty());
  std::printf("soak: %d s, %d ordinary rooms at a time; server peak %.0f MiB, %.1f s CPU\n",
              seconds, rooms, peak_mib, cpu);
  std::printf("  health: %zu probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms, failures %d\n",
              health_ms.size(), health_ms[health_ms.size() / 2],
              health_ms[std::min(health_ms.size() - 1, health_ms.size() * 99 / 100)],
              health_ms.back(), health_failures);
  std::printf("  acknowledged events checked after restart: %zu\n", checked);
  for (const auto& [kind, statuses] : tally.statuses) {
    std::string line;
    int total = 0;
    for (const auto& [status, count] : statuses) {
      line += " " + std::to_string(status) + ":" + std::to_string(count);
      total += count;
    }
    std::printf("  %-14s %6d requests:%s\n", kind.c_str(), total, line.c_str());
  }
  for (const std::string& problem : tally.problems) ADD_FAILURE() << problem;
  EXPECT_EQ(health_failures, 0);
  EXPECT_LT(health_ms.back(), 1000.0);
  for (const auto& [kind, statuses] : tally.statuses) {
    for (const auto& [status, count] : statuses) {
      EXPECT_TRUE(status < 500 || status == 503) << kind << ": " << count << " x " << status;
    }
  }
  EXPECT_GT(checked, 0u);
}

}  // namespace
}  // namespace parley::testing
