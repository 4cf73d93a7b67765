// Issue 10, "one request must never take the server down": one black-box test per finding,
// against the real `parley serve` on loopback. Each test sends the attack, checks the answer the
// docs promise (docs/http-api.md, docs/live.md "Limits"), and checks that the server is alive and
// answers /api/health afterwards.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "server/store/store.h"
#include "server_process.h"
#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json Outcome(const std::string& ceasefire = "time_limited_pause") {
  return CeasefireOutcome(ceasefire);
}

// Every weight 0 but one of 5e-324: the weights of finding 2, which rescaled to inf and NaN.
json PoisonedWeights() {
  json weights = json::object();
  for (const char* issue : {"ceasefire", "withdrawal", "linkage", "hostages_released",
                            "prisoners_released", "humanitarian_access", "guarantees"}) {
    weights[issue] = 0;
  }
  weights["ceasefire"] = 5e-324;
  return weights;
}

// An outcome whose first issue holds `depth` nested objects (the attack of finding 1).
std::string DeepOutcomeBody(int depth) {
  std::string nested;
  for (int level = 0; level < depth; ++level) nested += "{\"a\":";
  nested += "1" + std::string(depth, '}');
  return "{\"outcome\": {\"ceasefire\": " + nested + "}}";
}

// An issue id with a '/' as in the corpus's "Vegetarian (yes/no)".
constexpr const char* kSlashScenario = R"yaml(parley: 1
name: dinner
issues:
  - {id: "Vegetarian (yes/no)", options: ["yes", "no"]}
  - {id: venue, options: [home, out]}
parties:
  - id: m
    role: mediator
  - id: x
    role: principal
    preferences:
      weights: {"Vegetarian (yes/no)": 1, venue: 1}
      values:
        "Vegetarian (yes/no)": {"yes": 1, "no": 0}
        venue: {home: 1, out: 0}
  - id: y
    role: principal
    preferences:
      weights: {"Vegetarian (yes/no)": 1, venue: 1}
      values:
        "Vegetarian (yes/no)": {"yes": 0, "no": 1}
        venue: {home: 0, out: 1}
)yaml";

struct Room {
  std::string id;
  std::string base;  // /api/rooms/ID
  std::string mediator;
  std::string israel;
  std::string hamas;
};

class HardeningTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--rate-limit", "0"});
    server_ =
        std::make_unique<ServerProcess>(dir_.path() / "parley.db", dir_.path() / "admin", extra);
    ASSERT_TRUE(server_->running()) << server_->output();
  }

  Room CreateRoom(const std::string& scenario = CeasefireScenario(),
                  const std::vector<std::string>& parties = {"israel", "hamas"}) {
    Room room;
    HttpReply created =
        server_->Call("POST", "/api/rooms", server_->admin_token(), json{{"scenario", scenario}});
    EXPECT_EQ(created.status, 201) << created.text;
    room.id = created.body["room"]["id"];
    room.base = "/api/rooms/" + room.id;
    room.mediator = created.body["token"];
    for (std::size_t party_idx = 0; party_idx < parties.size(); ++party_idx) {
      HttpReply joined = server_->Call("POST", room.base + "/participants", room.mediator,
                                       json{{"role", "principal"}, {"party", parties[party_idx]}});
      EXPECT_EQ(joined.status, 201) << joined.text;
      (party_idx == 0 ? room.israel : room.hamas) = joined.body["token"];
    }
    return room;
  }

  // The server is alive and answers /api/health.
  void ExpectHealthy() {
    ASSERT_TRUE(server_->alive()) << "the server died";
    HttpReply health = server_->Call("GET", "/api/health", "");
    EXPECT_EQ(health.status, 200) << health.text;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

// ---------------------------------------------------------------- 1: deep nesting

TEST_F(HardeningTest, DeeplyNestedBodiesAreRefusedWithoutCrashing) {
  Start();
  Room room = CreateRoom();
  const std::string deep = DeepOutcomeBody(100'000);
  ASSERT_LT(deep.size(), std::size_t{1} << 20);
  struct Attack {
    std::string path;
    std::string token;
    std::string body;
  };
  std::string message_body =
      "{\"text\": \"hi\", \"to\": [\"israel\"], " + deep.substr(1, deep.size() - 2) + "}";
  for (const Attack& attack : {Attack{room.base + "/proposals", room.israel, deep},
                               Attack{room.base + "/texts", room.mediator, deep},
                               Attack{room.base + "/messages", room.mediator, message_body},
                               Attack{"/api/rooms", server_->admin_token(), deep}}) {
    HttpReply reply = server_->Call("POST", attack.path, attack.token, attack.body);
    EXPECT_EQ(reply.status, 400) << attack.path << ": " << reply.text.substr(0, 300);
    EXPECT_EQ(reply.body["error"], "bad_request");
    EXPECT_THAT(reply.body["message"].get<std::string>(), HasSubstr("deeper than 32 levels"));
    ExpectHealthy();
  }
  // Nesting within the limit reaches the outcome reader, which names the field.
  HttpReply shallow =
      server_->Call("POST", room.base + "/proposals", room.israel, DeepOutcomeBody(5));
  EXPECT_EQ(shallow.status, 422) << shallow.text;
  EXPECT_THAT(shallow.body["message"].get<std::string>(), HasSubstr("outcome"));
}

// ---------------------------------------------------------------- 2: weights that overflow

TEST_F(HardeningTest, PreferencesThatWouldRescaleToInfinityAreRefused) {
  Start();
  Room room = CreateRoom();
  json weights = PoisonedWeights();
  HttpReply tiny =
      server_->Call("PUT", room.base + "/preferences", room.israel, json{{"weights", weights}});
  EXPECT_EQ(tiny.status, 422) << tiny.text;
  EXPECT_THAT(tiny.body["message"].get<std::string>(), HasSubstr("at least 1e-06"));
  // 1e400 is not a number a body may hold: 400 at parse time, not 500.
  HttpReply huge = server_->Call("PUT", room.base + "/preferences", room.israel,
                                 std::string(R"({"weights": {"ceasefire": 1e400}})"));
  EXPECT_EQ(huge.status, 400) << huge.text;
  EXPECT_THAT(huge.body["message"].get<std::string>(), HasSubstr("out of range"));
  // A tiny weight among real ones is fine and rescales to a finite one.
  weights["withdrawal"] = 0.5;
  HttpReply fine =
      server_->Call("PUT", room.base + "/preferences", room.israel, json{{"weights", weights}});
  ASSERT_EQ(fine.status, 200) << fine.text;
  for (const auto& [issue, weight] : fine.body["weights"].items()) {
    EXPECT_TRUE(weight.is_number()) << issue;
  }
  // The analysis finishes, the admin's list answers, the room goes on.
  HttpReply analysis = server_->Call("GET", room.base + "/analysis", room.mediator);
  EXPECT_EQ(analysis.status, 200) << analysis.text.substr(0, 300);
  EXPECT_EQ(server_->Call("GET", "/api/rooms", server_->admin_token()).status, 200);
  ExpectHealthy();
}

// A log written by the old server holds the poisoned event: the room still loads, the event is
// refused on replay with a record the mediator sees, and `parley export` finishes.
TEST_F(HardeningTest, PoisonedPreferencesInAnOldLogAreRefusedOnReplay) {
  Start();
  Room room = CreateRoom();
  ASSERT_EQ(
      server_->Call("POST", room.base + "/proposals", room.israel, json{{"outcome", Outcome()}})
          .status,
      201);
  // Its place in the room's log (which also holds the protocol's derived events).
  HttpReply log = server_->Call("GET", room.base + "/log", room.mediator);
  const std::int64_t log_seq = log.body["last_seq"].get<std::int64_t>() + 1;
  server_->Kill(SIGTERM);
  {
    Result<std::unique_ptr<server::Store>> store =
        server::OpenStore((dir_.path() / "parley.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    // The next stored event (the log also shows derived ones, which the store does not hold).
    Result<std::vector<server::StoredEvent>> stored = (*store)->LoadEvents();
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    std::int64_t next_seq = 0;
    for (const server::StoredEvent& event : *stored) next_seq += event.room_id == room.id ? 1 : 0;
    json weights = PoisonedWeights();
    server::StoredEvent poisoned{
        room.id,
        next_seq,
        1'700'000'000'000,
        "preferences_submitted",
        "p1",
        R"(["party:israel"])",
        json{{"party", "israel"}, {"preferences", json{{"weights", weights}}}}.dump()};
    ASSERT_TRUE((*store)->Append(poisoned, {}, std::nullopt).ok());
  }
  Start();
  EXPECT_THAT(server_->output(), HasSubstr("refused on replay"));
  HttpReply view = server_->Call("GET", room.base, room.mediator);
  ASSERT_EQ(view.status, 200) << view.text;
  ASSERT_EQ(view.body["refused_events"].size(), 1u) << view.text;
  EXPECT_EQ(view.body["refused_events"][0]["seq"], log_seq);
  EXPECT_THAT(view.body["refused_events"][0]["reason"].get<std::string>(), HasSubstr("weights"));
  HttpReply preferences = server_->Call("GET", room.base + "/preferences", room.israel);
  EXPECT_EQ(preferences.body["source"], "scenario");  // the refused ones never applied
  EXPECT_EQ(server_->Call("GET", room.base + "/analysis", room.mediator).status, 200);
  // The room goes on after the refused event: Hamas's proposal completes the first round's.
  HttpReply proposal = server_->Call("POST", room.base + "/proposals", room.hamas,
                                     json{{"outcome", Outcome("permanent_up_front")}});
  EXPECT_EQ(proposal.status, 201) << proposal.text;
  server_->Kill(SIGTERM);
  CommandResult exported =
      RunParley({"export", room.id, "--db", (dir_.path() / "parley.db").string(), "-o",
                 (dir_.path() / "room.trace.json").string()});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.err, HasSubstr("refused on replay"));
  EXPECT_THAT(ReadText(dir_.path() / "room.trace.json"), HasSubstr("permanent_up_front"));
}

// ---------------------------------------------------------------- 3: event streams

// Events a principal may not see (the mediator's drafts) after its last visible one used to make
// its stream spin on keep-alives. Now the stream sleeps until the room changes, then delivers
// the next visible event, numbered right after the last one it saw.
TEST_F(HardeningTest, StreamsWaitForTheirNextVisibleEventWithoutSpinning) {
  Start();
  Room room = CreateRoom();
  RawConnection stream(server_->port());
  ASSERT_TRUE(stream.connected());
  ASSERT_TRUE(stream.Send("GET " + room.base + "/events?token=" + room.israel +
                          " HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string first = stream.ReadUntil([](const std::string& got) {
    return got.find("event: participant_added") != std::string::npos &&
           got.find("\n\n", got.find("event: participant_added")) != std::string::npos;
  });
  ASSERT_EQ(StatusOf(first), 200) << first;
  EXPECT_THAT(first, HasSubstr("text/event-stream"));
  EXPECT_THAT(first, HasSubstr("Content-Security-Policy"));
  const double cpu_before = server_->CpuSeconds();
  for (int draft = 0; draft < 40; ++draft) {
    ASSERT_EQ(
        server_->Call("POST", room.base + "/texts", room.mediator, json{{"outcome", Outcome()}})
            .status,
        201);
  }
  ASSERT_EQ(server_
                ->Call("POST", room.base + "/messages", room.mediator,
                       json{{"text", "to israel"}, {"to", {"israel", "hamas"}}})
                .status,
            201);
  std::string next = stream.ReadUntil([](const std::string& got) {
    return got.find("event: message") != std::string::npos &&
           got.find("\n\n", got.find("event: message")) != std::string::npos;
  });
  const double cpu_used = server_->CpuSeconds() - cpu_before;
  ASSERT_THAT(next, HasSubstr("event: message"));
  // Nothing between: no keep-alive storm, no draft.
  EXPECT_EQ(next.find("keep-alive"), std::string::npos) << next.substr(0, 500);
  EXPECT_EQ(next.find("text_drafted"), std::string::npos);
  // The principal's numbering has no gap for the 40 drafts, and the message's `to` names it only.
  std::size_t data = next.find("data: ");
  json event = json::parse(next.substr(data + 6, next.find('\n', data) - data - 6));
  HttpReply log = server_->Call("GET", room.base + "/log", room.israel);
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(event["seq"], log.body["last_seq"]);
  EXPECT_EQ(event["seq"].get<std::int64_t>(),
            static_cast<std::int64_t>(log.body["events"].size()) - 1);
  EXPECT_EQ(event["body"]["to"], json::array({"israel"}));
  // 41 requests' worth of work, not a spinning stream (which burnt half a core).
  EXPECT_LT(cpu_used, 5.0);
  ExpectHealthy();
}

// ---------------------------------------------------------------- 4: a member's view

TEST_F(HardeningTest, AWorkingGroupMemberSeesOnlyTheTextsOfItsOwnSide) {
  Start();
  Room room = CreateRoom();
  HttpReply group = server_->Call("POST", room.base + "/groups", room.mediator,
                                  json{{"name", "maps"}, {"issues", {"ceasefire", "withdrawal"}}});
  ASSERT_EQ(group.status, 201) << group.text;
  std::string group_id = group.body["group"]["id"];
  auto member = [&](const char* party) {
    json body{{"role", "member"}, {"group", group_id}};
    if (party != nullptr) body["party"] = party;
    HttpReply joined = server_->Call("POST", room.base + "/participants", room.mediator, body);
    EXPECT_EQ(joined.status, 201) << joined.text;
    return joined.body["token"].get<std::string>();
  };
  const std::string israeli = member("israel");
  const std::string neutral = member(nullptr);
  // Version 1 to both sides (round 1), version 2 only to Hamas (round 2): shuttle's rounds
  // open with both principals' proposals, and a relayed text is answered by each.
  for (const char* ceasefire : {"time_limited_pause", "permanent_up_front"}) {
    ASSERT_EQ(server_
                  ->Call("POST", room.base + "/texts", room.mediator,
                         json{{"outcome", Outcome(ceasefire)}})
                  .status,
              201);
  }
  auto propose_both = [&] {
    for (const std::string* token : {&room.israel, &room.hamas}) {
      HttpReply proposed = server_->Call("POST", room.base + "/proposals", *token,
                                         json{{"outcome", Outcome("time_limited_pause")}});
      ASSERT_EQ(proposed.status, 201) << proposed.text;
    }
  };
  propose_both();
  ASSERT_EQ(
      server_->Call("POST", room.base + "/texts/1/relay", room.mediator, json::object()).status,
      200);
  for (const std::string* token : {&room.israel, &room.hamas}) {
    HttpReply responded = server_->Call("POST", room.base + "/responses", *token,
                                        json{{"version", 1}, {"accept", false}});
    ASSERT_EQ(responded.status, 201) << responded.text;
  }
  propose_both();
  ASSERT_EQ(
      server_->Call("POST", room.base + "/texts/2/relay", room.mediator, json{{"to", {"hamas"}}})
          .status,
      200);
  auto ceasefire_seen = [&](const std::string& token) {
    std::vector<std::string> seen;
    HttpReply texts = server_->Call("GET", room.base + "/texts", token);
    EXPECT_EQ(texts.status, 200) << texts.text;
    for (const json& text : texts.body["texts"]) {
      for (const json& clause : text["clauses"]) {
        if (clause["issue"] == "ceasefire") seen.push_back(clause["option"]);
      }
    }
    HttpReply groups = server_->Call("GET", room.base + "/groups", token);
    for (const json& clause : groups.body["groups"][0]["clauses"]) {
      if (clause["issue"] == "ceasefire" && clause.contains("option")) {
        seen.push_back(clause["option"]);
      }
    }
    HttpReply view = server_->Call("GET", room.base, token);
    for (const json& clause : view.body["group"]["clauses"]) {
      if (clause["issue"] == "ceasefire" && clause.contains("option")) {
        seen.push_back(clause["option"]);
      }
    }
    EXPECT_EQ(view.body["round"], 1);  // one relay reached its side (or every side)
    return seen;
  };
  EXPECT_THAT(ceasefire_seen(israeli), ::testing::Each(std::string("time_limited_pause")));
  EXPECT_EQ(ceasefire_seen(israeli).size(), 3u);
  EXPECT_THAT(ceasefire_seen(neutral), ::testing::Each(std::string("time_limited_pause")));
  // Once version 2 reaches Israel too, its member (and the neutral one) work on it.
  ASSERT_EQ(
      server_->Call("POST", room.base + "/texts/2/relay", room.mediator, json{{"to", {"israel"}}})
          .status,
      200);
  HttpReply texts = server_->Call("GET", room.base + "/texts", israeli);
  EXPECT_EQ(texts.body["texts"][0]["version"], 2);
}

// ---------------------------------------------------------------- 5: body size while reading

TEST_F(HardeningTest, AnEndlessChunkedBodyIsCutOffAtTheLimit) {
  Start({"--max-body-bytes", "65536"});
  const std::size_t baseline = server_->PeakMemoryBytes();
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(
      connection.Send("POST /api/rooms HTTP/1.1\r\nHost: x\r\n"
                      "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"));
  // Send up to 200 MB in 64 KiB chunks while reading: the server answers 413 after the first
  // 64 KiB and stops reading.
  std::atomic<bool> stop{false};
  std::size_t sent = 0;
  std::thread sender([&] {
    const std::string chunk = "10000\r\n" + std::string(65536, ' ') + "\r\n";
    while (!stop && sent < std::size_t{200} << 20) {
      if (!connection.Send(chunk)) break;
      sent += 65536;
    }
  });
  std::string response = connection.ReadUntil(CompleteResponse);
  stop = true;
  ::shutdown(connection.fd(), SHUT_RDWR);
  sender.join();
  EXPECT_EQ(StatusOf(response), 413) << response.substr(0, 300);
  EXPECT_THAT(BodyOf(response), HasSubstr("payload_too_large"));
  EXPECT_LT(sent, std::size_t{200} << 20);
  // A declared length over the limit is refused before any of the body is read.
  RawConnection declared(server_->port());
  ASSERT_TRUE(
      declared.Send("POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 200000000\r\n\r\n"));
  EXPECT_EQ(StatusOf(declared.ReadUntil(CompleteResponse)), 413);
  // The server never held the body: its peak memory grew by far less than what was sent.
  EXPECT_LT(server_->PeakMemoryBytes(), baseline + (std::size_t{64} << 20));
  ExpectHealthy();
}

// A client that writes its whole (too large) body before it reads, as most HTTP clients do, gets
// the 413 rather than a reset: the server answers at the head, then drops what still arrives.
// Waiting for the answer before writing makes the order certain: the whole body (4 MiB, 64 times
// the limit) arrives after the 413.
TEST_F(HardeningTest, AClientThatWritesItsWholeBodyFirstStillReadsThe413) {
  Start({"--max-body-bytes", "65536"});
  const std::size_t length = std::size_t{4} << 20;
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.Send("POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                              std::to_string(length) + "\r\n\r\n"));
  pollfd answered{connection.fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&answered, 1, 30000), 1) << "no answer to a head that declares too long a body";
  const std::string block(64 * 1024, 'x');
  std::size_t sent = 0;
  while (sent < length && connection.Send(block)) sent += block.size();
  EXPECT_EQ(sent, length) << "the server reset the connection while the body was being written";
  std::string response = connection.ReadUntil(CompleteResponse);
  EXPECT_EQ(StatusOf(response), 413) << response.substr(0, 300);
  EXPECT_THAT(BodyOf(response), HasSubstr("payload_too_large"));
  ExpectHealthy();
}

// ---------------------------------------------------------------- 6: slow clients

// 70 connections (from another loopback address) sending one header line and then nothing: they
// hold no worker, the 65th and later are refused (per-client limit), and each is closed with 408
// once the header time is up. Meanwhile ordinary requests are served.
TEST_F(HardeningTest, SlowClientsHoldNoWorkerAndTimeOut) {
  Start({"--threads", "4", "--header-timeout", "2", "--max-connections-per-client", "64"});
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int connection_idx = 0; connection_idx < 70; ++connection_idx) {
    slow.push_back(std::make_unique<RawConnection>(server_->port(), "127.0.0.2"));
    ASSERT_TRUE(slow.back()->connected());
    ASSERT_TRUE(slow.back()->Send("GET /api/health HTTP/1.1\r\nX-Slow: 1\r\n"));
  }
  // With only 4 workers and 70 stalled connections, health and a room still answer.
  ExpectHealthy();
  Room room = CreateRoom();
  EXPECT_EQ(server_->Call("GET", room.base, room.israel).status, 200);
  int refused = 0;
  int timed_out = 0;
  for (auto& connection : slow) {
    std::string answer = connection->ReadToClose();
    if (StatusOf(answer) == 429) ++refused;
    if (StatusOf(answer) == 408) ++timed_out;
  }
  EXPECT_EQ(refused, 6);
  EXPECT_EQ(timed_out, 64);
  ExpectHealthy();
}

// An idle kept-alive connection is closed after --idle-timeout, holding no worker meanwhile.
TEST_F(HardeningTest, IdleConnectionsAreClosed) {
  Start({"--idle-timeout", "1", "--threads", "1"});
  RawConnection idle(server_->port());
  ASSERT_TRUE(idle.Send("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(idle.ReadUntil(CompleteResponse)), 200);
  ExpectHealthy();  // the only worker is free although the connection stays open
  EXPECT_TRUE(idle.ClosedByServer());
}

// ---------------------------------------------------------------- 8: bounded analysis

TEST_F(HardeningTest, AnalysisOfAHugeScenarioIsBoundedAndCached) {
  Start({"--analysis-time-limit", "1", "--analysis-memory-limit", "64", "--analysis-concurrency",
         "1"});
  Room room = CreateRoom(HugeScenario(), {"x", "y"});
  std::atomic<bool> done{false};
  HttpReply first;
  std::thread analysis([&] {
    first = server_->Call("GET", room.base + "/analysis", room.mediator);
    done = true;
  });
  // While it runs (or after), the room and the admin's list answer: no lock is held.
  EXPECT_EQ(server_->Call("GET", "/api/rooms", server_->admin_token()).status, 200);
  EXPECT_EQ(server_->Call("GET", room.base, room.mediator).status, 200);
  ExpectHealthy();
  analysis.join();
  ASSERT_TRUE(first.status == 200 || first.status == 422) << first.text.substr(0, 300);
  if (first.status == 422) {
    EXPECT_THAT(first.body["message"].get<std::string>(), HasSubstr("--analysis-"));
  } else {
    EXPECT_EQ(first.body["computed"]["cached"], false);
  }
  // The dashboard refreshing recomputes nothing while the preferences stay the same.
  HttpReply second = server_->Call("GET", room.base + "/analysis", room.mediator);
  EXPECT_EQ(second.status, first.status);
  if (second.status == 422) {
    EXPECT_THAT(second.body["message"].get<std::string>(), HasSubstr("have not changed since"));
  } else {
    EXPECT_EQ(second.body["computed"]["cached"], true);
  }
  // The peak stays near the memory budget (64 MiB), not the 1 GB the old server took.
  EXPECT_LT(server_->PeakMemoryBytes(), std::size_t{600} << 20);
  // New preferences are a new version: computed again.
  ASSERT_EQ(server_
                ->Call("PUT", room.base + "/preferences", room.israel,
                       json{{"weights", {{"a", 0.3}, {"b", 0.7}}}})
                .status,
            200);
  HttpReply third = server_->Call("GET", room.base + "/analysis", room.mediator);
  ASSERT_TRUE(third.status == 200 || third.status == 422) << third.text.substr(0, 300);
  if (third.status == 200) {
    EXPECT_EQ(third.body["computed"]["cached"], false);
  }
  if (third.status == 422) {
    EXPECT_THAT(third.body["message"].get<std::string>(),
                ::testing::Not(HasSubstr("have not changed")));
  }
  ExpectHealthy();
}

// Four analyses at once with one slot: each answers (computed, from the cache, or 503 with
// Retry-After), none takes the server down.
TEST_F(HardeningTest, ConcurrentAnalysesAreLimited) {
  Start({"--analysis-time-limit", "2", "--analysis-concurrency", "1"});
  std::vector<Room> rooms;
  for (int room_idx = 0; room_idx < 4; ++room_idx)
    rooms.push_back(CreateRoom(HugeScenario(), {"x", "y"}));
  std::vector<int> statuses(rooms.size());
  std::vector<std::thread> threads;
  for (std::size_t room_idx = 0; room_idx < rooms.size(); ++room_idx) {
    threads.emplace_back([&, room_idx] {
      statuses[room_idx] =
          server_->Call("GET", rooms[room_idx].base + "/analysis", rooms[room_idx].mediator).status;
    });
  }
  ExpectHealthy();
  for (std::thread& thread : threads) thread.join();
  for (int status : statuses)
    EXPECT_TRUE(status == 200 || status == 422 || status == 503) << status;
  ExpectHealthy();
}

// ---------------------------------------------------------------- 9: the smaller findings

TEST_F(HardeningTest, LongTargetsAre414AndNamedSo) {
  Start();
  std::string long_path = "/api/rooms/" + std::string(10'000, 'a');
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.Send("GET " + long_path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string response = connection.ReadUntil(CompleteResponse);
  EXPECT_EQ(StatusOf(response), 414) << response.substr(0, 200);
  EXPECT_THAT(BodyOf(response), HasSubstr("\"uri_too_long\""));
  // Headers too large are 431, not 414.
  RawConnection headers(server_->port());
  ASSERT_TRUE(
      headers.Send("GET /api/health HTTP/1.1\r\nX-Big: " + std::string(20'000, 'b') + "\r\n\r\n"));
  EXPECT_EQ(StatusOf(headers.ReadUntil(CompleteResponse)), 431);
  ExpectHealthy();
}

TEST_F(HardeningTest, IssueIdsWithASlashAreAddressableEncoded) {
  Start();
  Room room = CreateRoom(kSlashScenario, {"x", "y"});
  HttpReply set = server_->Call("PUT", room.base + "/clauses/Vegetarian%20(yes%2Fno)",
                                room.mediator, json{{"status", "agreed_in_principle"}});
  ASSERT_EQ(set.status, 200) << set.text;
  EXPECT_EQ(set.body["issue"], "Vegetarian (yes/no)");
  HttpReply view = server_->Call("GET", room.base, room.israel);
  EXPECT_EQ(view.body["clauses"][0]["status"], "agreed_in_principle");
  EXPECT_EQ(server_
                ->Call("PUT", room.base + "/clauses/Vegetarian%2", room.mediator,
                       json{{"status", "open"}})
                .status,
            400);
}

TEST_F(HardeningTest, ErrorMessagesCapEchoedInput) {
  Start();
  Room room = CreateRoom();
  std::string field(200'000, 'x');
  HttpReply reply =
      server_->Call("POST", room.base + "/proposals", room.israel, json{{field, 1}}.dump());
  EXPECT_EQ(reply.status, 400);
  EXPECT_LT(reply.text.size(), 2'000u);
  EXPECT_THAT(reply.body["message"].get<std::string>(), HasSubstr("(200000 bytes)"));
  HttpReply route = server_->Call("GET", "/api/" + std::string(7'000, 'y'), room.israel);
  EXPECT_EQ(route.status, 404);
  EXPECT_LT(route.text.size(), 2'000u);
}

TEST_F(HardeningTest, TheUiHasAContentSecurityPolicyAndCannotBeFramed) {
  Start();
  for (const char* page : {"/", "/app.js", "/api/health"}) {
    RawConnection connection(server_->port());
    ASSERT_TRUE(connection.Send(std::string("GET ") + page + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string response = connection.ReadUntil(CompleteResponse);
    EXPECT_EQ(StatusOf(response), 200) << page;
    EXPECT_THAT(response, HasSubstr("Content-Security-Policy: default-src 'none'")) << page;
    EXPECT_THAT(response, HasSubstr("frame-ancestors 'none'")) << page;
    EXPECT_THAT(response, HasSubstr("X-Frame-Options: DENY")) << page;
  }
}

// A principal learns nothing of the other side's timing: its `seq` has no gaps, its `round`
// counts only relays to itself, a mediator's message names only it.
TEST_F(HardeningTest, APrincipalsNumberingRevealsNothingOfTheOtherSide) {
  Start();
  Room room = CreateRoom();
  ASSERT_EQ(server_->Call("POST", room.base + "/texts", room.mediator, json{{"outcome", Outcome()}})
                .status,
            201);
  // Three shuttle rounds in which only Hamas is sent the text (the mediator passes on Israel).
  for (int relay = 0; relay < 3; ++relay) {
    for (const std::string* token : {&room.israel, &room.hamas}) {
      ASSERT_EQ(
          server_->Call("POST", room.base + "/proposals", *token, json{{"outcome", Outcome()}})
              .status,
          201);
    }
    ASSERT_EQ(
        server_->Call("POST", room.base + "/texts/1/relay", room.mediator, json{{"to", {"hamas"}}})
            .status,
        200);
    HttpReply passed =
        server_->Call("POST", room.base + "/actions", room.mediator, json{{"type", "pass"}});
    ASSERT_EQ(passed.status, 201) << passed.text;
    ASSERT_EQ(server_
                  ->Call("POST", room.base + "/responses", room.hamas,
                         json{{"version", 1}, {"accept", false}})
                  .status,
              201);
  }
  ASSERT_EQ(server_
                ->Call("POST", room.base + "/messages", room.mediator,
                       json{{"text", "both"}, {"to", {"hamas", "israel"}}})
                .status,
            201);
  HttpReply proposal =
      server_->Call("POST", room.base + "/proposals", room.israel, json{{"outcome", Outcome()}});
  ASSERT_EQ(proposal.status, 201);
  EXPECT_EQ(proposal.body["round"], 0);
  HttpReply log = server_->Call("GET", room.base + "/log", room.israel);
  ASSERT_EQ(log.status, 200);
  std::int64_t expected_seq = 0;
  for (const json& event : log.body["events"]) {
    EXPECT_EQ(event["seq"], expected_seq++) << event.dump();
    EXPECT_EQ(event["round"], 0) << event.dump();
    if (event["type"] == "message") {
      EXPECT_EQ(event["body"]["to"], json::array({"israel"}));
    }
  }
  EXPECT_EQ(log.body["last_seq"], expected_seq - 1);
  // The reply numbers Israel's answer; the proposal the protocol made of it follows.
  EXPECT_EQ(proposal.body["seq"], expected_seq - 2);
  HttpReply view = server_->Call("GET", room.base, room.israel);
  EXPECT_EQ(view.body["round"], 0);
  EXPECT_FALSE(view.body.contains("participants"));
  // The mediator's own numbering is the room's.
  HttpReply mediator_view = server_->Call("GET", room.base, room.mediator);
  EXPECT_EQ(mediator_view.body["round"], 3);
}

// ---------------------------------------------------------------- issue 13: port in use

TEST_F(HardeningTest, ASecondServerOnAPortInUseExitsWithTwo) {
  Start();
  CommandResult second = RunParley({"serve", "--db", (dir_.path() / "other.db").string(),
                                    "--listen", "127.0.0.1:" + std::to_string(server_->port()),
                                    "--admin-token-file", (dir_.path() / "other.admin").string()});
  EXPECT_EQ(second.exit_code, 2) << second.out << second.err;
  EXPECT_THAT(second.err, HasSubstr("already in use"));
  ExpectHealthy();
}

}  // namespace
}  // namespace parley::testing
