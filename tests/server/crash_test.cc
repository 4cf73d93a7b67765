// Crash safety: `parley serve` is killed with SIGKILL while a person and the mediator are acting
// in a room with an engine party; after a restart on the same database every acknowledged event
// is in the log, unchanged, and the room goes on (the engine answers the next text).
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "server_process.h"
#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;

json Outcome(int hostages) {
  return json{{"ceasefire", "pause_extended_while_talks_continue"},
              {"withdrawal", "to_perimeter"},
              {"linkage", "negotiated_during_phase_one"},
              {"hostages_released", hostages},
              {"prisoners_released", 700},
              {"humanitarian_access", "greatly_increased"},
              {"guarantees", "monitoring_mechanism"}};
}

TEST(CrashTest, EveryAcknowledgedEventSurvivesSigkillAndTheRoomContinues) {
  TempDir dir;
  const auto db = dir.path() / "parley.db";
  const auto admin = dir.path() / "admin";
  std::string room_id, mediator, israel;
  // What the server acknowledged: (whose numbering, seq) -> (type, a value that identifies the
  // request). The principal numbers the events it sees itself (docs/http-api.md, "Numbering").
  std::map<std::pair<std::string, std::int64_t>, std::pair<std::string, std::string>> acknowledged;
  std::mutex mutex;
  std::condition_variable enough;
  {
    ServerProcess server(db, admin, {"--rate-limit", "0"});
    ASSERT_TRUE(server.running()) << server.output();
    HttpReply created = server.Call("POST", "/api/rooms", server.admin_token(),
                                    json{{"scenario", CeasefireScenario()}, {"rounds", 10000}});
    ASSERT_EQ(created.status, 201);
    room_id = created.body["room"]["id"];
    mediator = created.body["token"];
    const std::string base = "/api/rooms/" + room_id;
    israel = server
                 .Call("POST", base + "/participants", mediator,
                       json{{"role", "principal"}, {"party", "israel"}})
                 .body["token"];
    ASSERT_EQ(server
                  .Call("POST", base + "/engines", mediator,
                        json{{"party", "hamas"}, {"strategy", "hardliner"}})
                  .status,
              201);
    std::atomic<bool> failed{false};
    auto record = [&](std::int64_t seq, std::string type, std::string value) {
      std::lock_guard lock(mutex);
      std::string reader = type == "message" ? "israel" : "mediator";
      acknowledged[{reader, seq}] = {std::move(type), std::move(value)};
      if (acknowledged.size() >= 60) enough.notify_all();
    };
    auto stop = [&] {
      std::lock_guard lock(mutex);
      failed = true;
      enough.notify_all();
    };
    // Both streams are free-form (no turn to wait for): the person writes to the mediator, the
    // mediator drafts texts.
    std::thread person([&] {
      for (int request = 0; !failed; ++request) {
        std::string note = "israel-" + std::to_string(request);
        HttpReply reply = server.Call("POST", base + "/messages", israel, json{{"text", note}});
        if (reply.status != 201) break;
        record(reply.body["seq"], "message", note);
      }
      stop();
    });
    std::thread mediation([&] {
      for (int request = 0; !failed; ++request) {
        HttpReply drafted = server.Call("POST", base + "/texts", mediator,
                                        json{{"outcome", Outcome(40 - request % 41)}});
        if (drafted.status != 201) break;
        record(drafted.body["seq"], "text_drafted",
               std::to_string(drafted.body["version"].get<int>()));
      }
      stop();
    });
    {
      std::unique_lock lock(mutex);
      enough.wait(lock, [&] { return acknowledged.size() >= 60 || failed; });
    }
    server.Kill(SIGKILL);  // in the middle of both request streams
    person.join();
    mediation.join();
  }
  ASSERT_GE(acknowledged.size(), 60u);

  ServerProcess restarted(db, admin, {"--rate-limit", "0"});
  ASSERT_TRUE(restarted.running()) << restarted.output();
  const std::string base = "/api/rooms/" + room_id;
  std::map<std::int64_t, json> logged = restarted.ReadLog(room_id, mediator);
  // The principal numbers its events itself (docs/http-api.md, "Numbering").
  std::map<std::int64_t, json> logged_by_israel = restarted.ReadLog(room_id, israel);
  for (const auto& [key, what] : acknowledged) {
    const auto& [reader, seq] = key;
    std::map<std::int64_t, json>& log = reader == "israel" ? logged_by_israel : logged;
    ASSERT_TRUE(log.count(seq)) << "acknowledged " << what.first << " " << seq << " is missing";
    const json& event = log[seq];
    EXPECT_EQ(event["type"], what.first) << seq;
    if (what.first == "message") {
      EXPECT_EQ(event["body"]["text"], what.second);
    } else {
      EXPECT_EQ(std::to_string(event["body"]["version"].get<int>()), what.second);
    }
  }
  // Sequence numbers have no holes: the log is a prefix of what was attempted.
  std::int64_t expected = 0;
  for (const auto& [seq, event] : logged) EXPECT_EQ(seq, expected++);

  // The room continues where the protocol was: Israel's proposal opens the round (the engine,
  // rebuilt by replaying the log, made its own at the start), then a new text reaches the engine,
  // which answers it.
  ASSERT_EQ(
      restarted.Call("POST", base + "/proposals", israel, json{{"outcome", Outcome(1)}}).status,
      201);
  HttpReply drafted =
      restarted.Call("POST", base + "/texts", mediator, json{{"outcome", Outcome(33)}});
  ASSERT_EQ(drafted.status, 201) << drafted.text;
  int version = drafted.body["version"];
  HttpReply relayed = restarted.Call("POST", base + "/texts/" + std::to_string(version) + "/relay",
                                     mediator, json::object());
  ASSERT_EQ(relayed.status, 200) << relayed.text;
  // Shuttle asks for the responses in turn: Israel's first, then the engine's.
  HttpReply responded = restarted.Call("POST", base + "/responses", israel,
                                       json{{"version", version}, {"accept", false}});
  EXPECT_EQ(responded.status, 201) << responded.text;
  HttpReply texts = restarted.Call("GET", base + "/texts", mediator);
  const json& last = texts.body["texts"].back();
  EXPECT_EQ(last["version"], version);
  EXPECT_TRUE(last["responses"].contains("hamas"))
      << last.dump() << "\n"
      << restarted.Call("GET", base + "/log?after=" + std::to_string(logged.size() - 1), mediator)
             .text;
}

}  // namespace
}  // namespace parley::testing
