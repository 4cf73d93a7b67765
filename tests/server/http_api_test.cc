// Black-box tests of `parley serve` over HTTP on loopback: authorization for every route (no
// token, a token of another room, another party's token), principal isolation across every read
// route and the event stream, bad input, out-of-turn actions, a whole negotiation to agreement,
// and `parley export` on the database the server wrote.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "parley/io/scenario_io.h"
#include "parley/session/trace_json.h"
#include "server_process.h"
#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;

json Outcome(const std::string& ceasefire) { return CeasefireOutcome(ceasefire); }

class HttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() / "parley.db", dir_.path() / "admin",
                                              std::vector<std::string>{"--rate-limit", "0"});
    ASSERT_TRUE(server_->running()) << server_->output();
  }

  struct RoomTokens {
    std::string id;
    std::string mediator;
    std::string israel;
    std::string hamas;
  };

  RoomTokens CreateRoom() {
    RoomTokens room;
    HttpReply created = server_->Call("POST", "/api/rooms", server_->admin_token(),
                                      json{{"scenario", CeasefireScenario()}});
    EXPECT_EQ(created.status, 201) << created.text;
    room.id = created.body["room"]["id"];
    room.mediator = created.body["token"];
    for (const char* party : {"israel", "hamas"}) {
      HttpReply joined =
          server_->Call("POST", "/api/rooms/" + room.id + "/participants", room.mediator,
                        json{{"role", "principal"}, {"party", party}});
      EXPECT_EQ(joined.status, 201) << joined.text;
      (std::string(party) == "israel" ? room.israel : room.hamas) = joined.body["token"];
    }
    return room;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

struct Route {
  std::string method;
  std::string suffix;  // after /api/rooms/{id}
  json body;
  std::vector<std::string> allowed;  // roles: mediator, principal
};

std::vector<Route> RoomRoutes() {
  json group{{"name", "maps"}, {"issues", json::array({"withdrawal"})}};
  return {
      {"GET", "", nullptr, {"mediator", "principal"}},
      {"GET", "/participants", nullptr, {"mediator"}},
      {"POST", "/participants", json{{"role", "observer"}}, {"mediator"}},
      {"POST", "/engines", json{{"party", "israel"}, {"strategy", "boulware"}}, {"mediator"}},
      {"GET", "/preferences?party=israel", nullptr, {"mediator"}},
      {"PUT", "/preferences", json{{"accept_scenario", true}}, {"principal"}},
      {"POST", "/proposals", json{{"outcome", Outcome("time_limited_pause")}}, {"principal"}},
      {"GET", "/texts", nullptr, {"mediator", "principal"}},
      {"POST", "/texts", json{{"outcome", Outcome("time_limited_pause")}}, {"mediator"}},
      {"POST", "/texts/1/relay", json::object(), {"mediator"}},
      {"POST", "/responses", json{{"version", 1}, {"accept", false}}, {"principal"}},
      {"POST", "/messages", json{{"text", "hello"}}, {"mediator", "principal"}},
      {"GET", "/groups", nullptr, {"mediator"}},
      {"POST", "/groups", group, {"mediator"}},
      {"PUT", "/clauses/withdrawal", json{{"status", "agreed_in_principle"}}, {"mediator"}},
      {"GET", "/analysis", nullptr, {"mediator"}},
      {"GET", "/pace", nullptr, {"mediator"}},
      {"GET", "/log", nullptr, {"mediator", "principal"}},
      {"GET", "/export", nullptr, {"mediator"}},
      {"POST", "/close", json::object(), {"mediator"}},
  };
}

TEST_F(HttpApiTest, HealthAnswersWithoutAToken) {
  HttpReply health = server_->Call("GET", "/api/health", "");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body["status"], "ok");
}

TEST_F(HttpApiTest, GlobalRoutesNeedTheRightToken) {
  RoomTokens room = CreateRoom();
  for (const char* method : {"GET", "POST"}) {
    json body = json{{"scenario", CeasefireScenario()}};
    EXPECT_EQ(server_->Call(method, "/api/rooms", "", body).status, 401) << method;
    EXPECT_EQ(server_->Call(method, "/api/rooms", "0123456789abcdef0123", body).status, 401);
    EXPECT_EQ(server_->Call(method, "/api/rooms", room.israel, body).status, 403) << method;
  }
  EXPECT_EQ(
      server_->Call("POST", "/api/rooms", room.mediator, json{{"scenario", CeasefireScenario()}})
          .status,
      403);
  EXPECT_EQ(server_->Call("GET", "/api/rooms", room.mediator).status, 200);
  EXPECT_EQ(server_->Call("GET", "/api/whoami", "").status, 401);
  EXPECT_EQ(server_->Call("GET", "/api/strategies", "").status, 401);
  EXPECT_EQ(server_->Call("GET", "/api/strategies", room.hamas).status, 200);
}

// Every room route: 401 without a token, 403 with a token of another room, 403 for a role the
// route does not serve, and not 401/403 for the roles it does.
TEST_F(HttpApiTest, EveryRoomRouteChecksTokenRoomAndRole) {
  RoomTokens room = CreateRoom();
  RoomTokens other = CreateRoom();
  // A text exists so that relay and responses can be reached.
  ASSERT_EQ(server_
                ->Call("POST", "/api/rooms/" + room.id + "/texts", room.mediator,
                       json{{"outcome", Outcome("time_limited_pause")}})
                .status,
            201);
  for (const Route& route : RoomRoutes()) {
    std::string path = "/api/rooms/" + room.id + route.suffix;
    std::string body = route.body.is_null() ? "" : route.body.dump();
    std::string name = route.method + " " + route.suffix;
    EXPECT_EQ(server_->Call(route.method, path, "", body).status, 401) << name;
    EXPECT_EQ(server_->Call(route.method, path, other.mediator, body).status, 403) << name;
    EXPECT_EQ(server_->Call(route.method, path, other.israel, body).status, 403) << name;
    bool mediator_allowed = std::count(route.allowed.begin(), route.allowed.end(), "mediator");
    bool principal_allowed = std::count(route.allowed.begin(), route.allowed.end(), "principal");
    if (!mediator_allowed) {
      EXPECT_EQ(server_->Call(route.method, path, room.mediator, body).status, 403) << name;
    }
    if (!principal_allowed) {
      EXPECT_EQ(server_->Call(route.method, path, room.hamas, body).status, 403) << name;
    }
  }
  // The event stream follows the same rules.
  int status = 0;
  server_->ReadEvents("/api/rooms/" + room.id + "/events", "", &status);
  EXPECT_EQ(status, 401);
  server_->ReadEvents("/api/rooms/" + room.id + "/events?token=" + other.mediator, "", &status);
  EXPECT_EQ(status, 403);
  // Another party's data: a principal asking for the other's preferences.
  EXPECT_EQ(server_->Call("GET", "/api/rooms/" + room.id + "/preferences?party=israel", room.hamas)
                .status,
            403);
  // The allowed roles are served (the room is open until /close, which runs last).
  for (const Route& route : RoomRoutes()) {
    if (route.suffix == "/close") continue;
    std::string path = "/api/rooms/" + room.id + route.suffix;
    std::string body = route.body.is_null() ? "" : route.body.dump();
    for (const std::string& role : route.allowed) {
      const std::string& token = role == "mediator" ? room.mediator : room.israel;
      int got = server_->Call(route.method, path, token, body).status;
      EXPECT_NE(got, 401) << route.method << " " << route.suffix << " as " << role;
      EXPECT_NE(got, 403) << route.method << " " << route.suffix << " as " << role;
    }
  }
}

TEST_F(HttpApiTest, APrincipalNeverSeesTheOtherPrincipalsData) {
  RoomTokens room = CreateRoom();
  std::string base = "/api/rooms/" + room.id;
  ASSERT_EQ(server_->Call("PUT", base + "/preferences", room.israel, json{{"reservation", 0.3141}})
                .status,
            200);
  ASSERT_EQ(server_
                ->Call("POST", base + "/proposals", room.israel,
                       json{{"outcome", Outcome("time_limited_pause")}, {"note", "ISRAELNOTE"}})
                .status,
            201);
  ASSERT_EQ(
      server_->Call("POST", base + "/messages", room.israel, json{{"text", "ISRAELMSG"}}).status,
      201);
  ASSERT_EQ(server_
                ->Call("POST", base + "/messages", room.mediator,
                       json{{"to", json::array({"israel"})}, {"text", "TOISRAEL"}})
                .status,
            201);
  // Shuttle relays texts once both principals have proposed.
  ASSERT_EQ(server_
                ->Call("POST", base + "/proposals", room.hamas,
                       json{{"outcome", Outcome("permanent_up_front")}, {"note", "HAMASNOTE"}})
                .status,
            201);
  ASSERT_EQ(server_
                ->Call("POST", base + "/texts", room.mediator,
                       json{{"outcome", Outcome("pause_extended_while_talks_continue")},
                            {"note", "MEDIATORDRAFT"}})
                .status,
            201);
  ASSERT_EQ(server_
                ->Call("POST", base + "/texts/1/relay", room.mediator,
                       json{{"to", json::array({"israel"})}})
                .status,
            200);
  ASSERT_EQ(server_->Call("POST", base + "/texts/1/relay", room.mediator, json::object()).status,
            200);  // to both: hamas is not told who else received it
  ASSERT_EQ(server_->Call("POST", base + "/close", room.mediator, json::object()).status, 200);
  std::vector<std::string> seen;
  for (const char* path : {"", "/texts", "/log", "/preferences"}) {
    HttpReply reply = server_->Call("GET", base + path, room.hamas);
    ASSERT_EQ(reply.status, 200) << path;
    seen.push_back(reply.text);
  }
  int status = 0;
  std::vector<json> events = server_->ReadEvents(base + "/events?token=" + room.hamas, "", &status);
  ASSERT_EQ(status, 200);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["type"], "closed");
  seen.push_back(json(events).dump());
  for (const std::string& text : seen) {
    for (const char* secret : {"ISRAELNOTE", "ISRAELMSG", "TOISRAEL", "MEDIATORDRAFT", "0.3141",
                               "\"party\":\"israel\""}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text.substr(0, 300);
    }
  }
  for (const json& event : events) {
    if (event["type"] == "text_relayed") {
      EXPECT_EQ(event["body"]["to"], json::array({"hamas"}));
    }
  }
  // Israel sees its own.
  std::string israel_log = server_->Call("GET", base + "/log", room.israel).text;
  EXPECT_NE(israel_log.find("TOISRAEL"), std::string::npos);
  EXPECT_NE(israel_log.find("ISRAELNOTE"), std::string::npos);
  EXPECT_EQ(israel_log.find("MEDIATORDRAFT"), std::string::npos);  // drafts stay with the mediator
}

TEST_F(HttpApiTest, BadInputGetsA4xxWithAMessageAndTheServerStaysUp) {
  RoomTokens room = CreateRoom();
  std::string base = "/api/rooms/" + room.id;
  struct Case {
    std::string path;
    std::string token;
    std::string body;
    int status;
  };
  std::vector<Case> cases = {
      {base + "/proposals", room.israel, "{\"outcome\": ", 400},
      {base + "/proposals", room.israel, "[]", 400},
      {base + "/proposals", room.israel, R"({"outcome": {}, "colour": 1})", 400},
      {base + "/proposals", room.israel, R"({"outcome": "permanent"})", 400},
      {base + "/proposals", room.israel, R"({"outcome": {"ceasefire": "forever"}})", 422},
      {base + "/responses", room.israel, R"({"version": "1", "accept": true})", 400},
      {base + "/responses", room.israel, R"({"version": 1, "accept": true})", 409},
      {base + "/texts", room.mediator, R"({"outcome": {"nope": 1}})", 422},
      {base + "/participants", room.mediator, R"({"role": "principal", "party": "israel"})", 409},
      {base + "/participants", room.mediator, R"({"role": "king"})", 422},
      {base + "/engines", room.mediator, R"({"party": "hamas", "strategy": "boulware(e="})", 422},
      {base + "/texts/7/relay", room.mediator, "{}", 404},
      {base + "/texts/x/relay", room.mediator, "{}", 404},
      {"/api/rooms", server_->admin_token(), R"({"scenario": "parley: 1\nissues: 3\n"})", 422},
      {"/api/rooms", server_->admin_token(), std::string(3 << 20, 'x'), 413},
  };
  for (const Case& test_case : cases) {
    HttpReply reply = server_->Call("POST", test_case.path, test_case.token, test_case.body);
    EXPECT_EQ(reply.status, test_case.status)
        << test_case.path << " " << test_case.body.substr(0, 80) << " -> " << reply.text;
    ASSERT_TRUE(reply.body.is_object()) << reply.text;
    EXPECT_FALSE(reply.body.value("message", "").empty()) << reply.text;
  }
  EXPECT_EQ(server_->Call("GET", "/api/health", "").status, 200);
}

TEST_F(HttpApiTest, RateLimitsApplyPerToken) {
  ServerProcess limited(dir_.path() / "limited.db", dir_.path() / "admin2", {"--rate-limit", "1"});
  ASSERT_TRUE(limited.running());
  int refused = 0;
  for (int request = 0; request < 40; ++request) {
    if (limited.Call("GET", "/api/rooms", limited.admin_token()).status == 429) ++refused;
  }
  EXPECT_GT(refused, 0);
  EXPECT_EQ(limited.Call("GET", "/api/health", "").status, 200);
}

TEST_F(HttpApiTest, ANegotiationReachesAgreementAndExportsAsATrace) {
  RoomTokens room = CreateRoom();
  std::string base = "/api/rooms/" + room.id;
  // The mediator follows the stream while the talks go on.
  std::vector<json> streamed;
  int stream_status = 0;
  std::thread follower([&] {
    streamed = server_->ReadEvents(base + "/events?token=" + room.mediator, "", &stream_status);
  });
  ASSERT_EQ(server_
                ->Call("POST", base + "/proposals", room.israel,
                       json{{"outcome", Outcome("time_limited_pause")}})
                .status,
            201);
  ASSERT_EQ(server_
                ->Call("POST", base + "/proposals", room.hamas,
                       json{{"outcome", Outcome("permanent_up_front")}})
                .status,
            201);
  ASSERT_EQ(server_
                ->Call("POST", base + "/texts", room.mediator,
                       json{{"outcome", Outcome("permanent_agreed_in_phase_two")}})
                .status,
            201);
  ASSERT_EQ(server_->Call("POST", base + "/texts/1/relay", room.mediator, json::object()).status,
            200);
  ASSERT_EQ(
      server_
          ->Call("POST", base + "/responses", room.israel, json{{"version", 1}, {"accept", true}})
          .status,
      201);
  HttpReply last = server_->Call("POST", base + "/responses", room.hamas,
                                 json{{"version", 1}, {"accept", true}});
  ASSERT_EQ(last.status, 201);
  EXPECT_EQ(last.body["room_status"], "agreed");
  follower.join();
  ASSERT_EQ(stream_status, 200);
  ASSERT_FALSE(streamed.empty());
  EXPECT_EQ(streamed.back()["type"], "agreement");
  HttpReply log = server_->Call("GET", base + "/log", room.mediator);
  EXPECT_EQ(streamed.size(), log.body["events"].size());

  server_->Kill(SIGTERM);
  std::filesystem::path trace_path = dir_.path() / "talks.trace.json";
  CommandResult exported =
      RunParley({"export", room.id, "--db", (dir_.path() / "parley.db").string(), "--output",
                 trace_path.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  Result<model::Scenario> scenario =
      io::LoadScenario((dir_.path() / "talks.scenario.yaml").string());
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  Result<session::Trace> trace =
      session::ReadTraceJson(ReadFile(trace_path), *scenario, trace_path.string());
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  EXPECT_TRUE(trace->result.agreement);
  EXPECT_EQ(trace->events.size(), 5u);  // 2 proposals, 1 relayed text, 2 responses
  EXPECT_EQ(
      RunParley({"export", "nosuchroom", "--db", (dir_.path() / "parley.db").string()}).exit_code,
      2);
}

}  // namespace
}  // namespace parley::testing
