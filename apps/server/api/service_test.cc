// The API in process: rooms, tokens and roles, principal isolation, the live protocol, engine
// parties, durability across a reopen, and the exported trace. Black-box HTTP tests are in
// tests/server/.
#include "server/api/service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "parley/io/scenario_io.h"
#include "parley/session/trace_json.h"

namespace parley::server::api {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string CeasefireText() {
  return ReadText(std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml");
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("parley_service_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Reopen();
    Result<std::string> token = service_->CreateAdminToken();
    ASSERT_TRUE(token.ok());
    admin_ = *token;
  }
  void TearDown() override {
    service_.reset();
    fs::remove_all(dir_);
  }

  void Reopen() {
    service_.reset();
    Result<std::unique_ptr<Store>> store = OpenSqliteStore((dir_ / "parley.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ServiceOptions options;
    options.rate_per_second = 0;
    Result<std::unique_ptr<Service>> service = Service::Open(std::move(store).value(), options);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(service).value();
  }

  Response Call(const std::string& method, const std::string& path, const std::string& token,
                const Json& body = nullptr) {
    Request request;
    request.method = method;
    std::size_t question = path.find('?');
    request.path = path.substr(0, question);
    if (question != std::string::npos) {
      std::string query = path.substr(question + 1);
      std::size_t equals = query.find('=');
      request.query[query.substr(0, equals)] = query.substr(equals + 1);
    }
    request.token = token;
    if (!body.is_null()) request.body = body.dump();
    return service_->Handle(request);
  }

  // Creates a ceasefire room with both principals joined by people.
  void CreateRoom() {
    Response created = Call("POST", "/api/rooms", admin_, Json{{"scenario", CeasefireText()}});
    ASSERT_EQ(created.status, 201) << created.body.dump();
    room_ = created.body["room"]["id"];
    mediator_ = created.body["token"];
    for (const char* party : {"israel", "hamas"}) {
      Response joined = Call("POST", Room("/participants"), mediator_,
                             Json{{"role", "principal"}, {"party", party}});
      ASSERT_EQ(joined.status, 201) << joined.body.dump();
      principal_[party] = joined.body["token"];
    }
  }

  std::string Room(const std::string& suffix = "") const { return "/api/rooms/" + room_ + suffix; }

  // Shuttle's round opens with a proposal from each principal.
  void ProposeBoth() {
    for (const char* party : {"israel", "hamas"}) {
      Response proposed = Call("POST", Room("/proposals"), principal_[party],
                               Json{{"outcome", Outcome("time_limited_pause", "none")}});
      ASSERT_EQ(proposed.status, 201) << party << ": " << proposed.body.dump();
    }
  }

  Json Outcome(const std::string& ceasefire, const std::string& withdrawal) {
    return Json{{"ceasefire", ceasefire},
                {"withdrawal", withdrawal},
                {"linkage", "negotiated_during_phase_one"},
                {"hostages_released", 20},
                {"prisoners_released", 600},
                {"humanitarian_access", "increased"},
                {"guarantees", "monitoring_mechanism"}};
  }

  fs::path dir_;
  std::unique_ptr<Service> service_;
  std::string admin_;
  std::string room_;
  std::string mediator_;
  std::map<std::string, std::string> principal_;
};

TEST_F(ServiceTest, HealthNeedsNoTokenAndEverythingElseDoes) {
  EXPECT_EQ(Call("GET", "/api/health", "").status, 200);
  EXPECT_EQ(Call("GET", "/api/rooms", "").status, 401);
  EXPECT_EQ(Call("POST", "/api/rooms", "", Json{{"scenario", "x"}}).status, 401);
  EXPECT_EQ(Call("GET", "/api/rooms", "not-a-token").status, 401);
  EXPECT_EQ(Call("GET", "/api/nothing", admin_).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/rooms", admin_).status, 405);
}

TEST_F(ServiceTest, OnlyAnAdminTokenCreatesRooms) {
  CreateRoom();
  EXPECT_EQ(
      Call("POST", "/api/rooms", principal_["israel"], Json{{"scenario", CeasefireText()}}).status,
      403);
  EXPECT_EQ(Call("POST", "/api/rooms", mediator_, Json{{"scenario", CeasefireText()}}).status, 403);
  EXPECT_EQ(Call("GET", "/api/rooms", principal_["israel"]).status, 403);
  Response listed = Call("GET", "/api/rooms", admin_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body["rooms"].size(), 1u);
}

TEST_F(ServiceTest, BadBodiesGetA4xxWithAMessage) {
  struct Case {
    std::string body;
    int status;
    std::string words;
  };
  const std::vector<Case> cases = {
      {"{not json", 400, "malformed JSON"},
      {"[1, 2]", 400, "must be a JSON object"},
      {R"({"scenario": 3})", 400, "must be a string"},
      {R"({"scenario": "x", "colour": "red"})", 400, "unknown field 'colour'"},
      {R"({})", 400, "missing field 'scenario'"},
      {R"({"scenario": "parley: 1\nname: x\n"})", 422, ""},
  };
  for (const Case& test_case : cases) {
    Request request{"POST", "/api/rooms", {}, admin_, test_case.body};
    Response response = service_->Handle(request);
    EXPECT_EQ(response.status, test_case.status) << test_case.body;
    EXPECT_NE(response.body["message"].get<std::string>().find(test_case.words), std::string::npos)
        << response.body.dump();
  }
  Request huge{"POST", "/api/rooms", {}, admin_, std::string(2 << 20, ' ')};
  EXPECT_EQ(service_->Handle(huge).status, 413);
}

TEST_F(ServiceTest, PrincipalsSeeOnlyTheirOwnPreferencesProposalsAndTexts) {
  CreateRoom();
  ASSERT_EQ(Call("PUT", Room("/preferences"), principal_["israel"],
                 Json{{"weights", Json{{"ceasefire", 0.5}}}, {"reservation", 0.4}})
                .status,
            200);
  ASSERT_EQ(Call("POST", Room("/proposals"), principal_["israel"],
                 Json{{"outcome", Outcome("time_limited_pause", "none")}, {"note", "secret"}})
                .status,
            201);
  // Hamas cannot read Israel's preferences, and nothing Israel did reaches Hamas's log or view.
  EXPECT_EQ(Call("GET", Room("/preferences?party=israel"), principal_["hamas"]).status, 403);
  Response own = Call("GET", Room("/preferences"), principal_["israel"]);
  EXPECT_EQ(own.body["source"], "submitted");
  EXPECT_DOUBLE_EQ(own.body["reservation"].get<double>(), 0.4);
  Response log = Call("GET", Room("/log"), principal_["hamas"]);
  ASSERT_EQ(log.status, 200);
  std::string hamas_log = log.body.dump();
  EXPECT_EQ(hamas_log.find("secret"), std::string::npos);
  EXPECT_EQ(hamas_log.find("israel"), std::string::npos) << hamas_log;
  std::string hamas_view = Call("GET", Room(), principal_["hamas"]).body.dump();
  EXPECT_EQ(hamas_view.find("secret"), std::string::npos);
  EXPECT_EQ(hamas_view.find("\"weights\""), std::string::npos);
  EXPECT_EQ(Call("GET", Room("/analysis"), principal_["hamas"]).status, 403);
  EXPECT_EQ(Call("GET", Room("/pace"), principal_["hamas"]).status, 403);
  EXPECT_EQ(Call("GET", Room("/participants"), principal_["hamas"]).status, 403);
  // The mediator sees what Israel confided.
  Response mediator_view = Call("GET", Room("/preferences?party=israel"), mediator_);
  EXPECT_EQ(mediator_view.body["source"], "submitted");
  EXPECT_NE(Call("GET", Room("/log"), mediator_).body.dump().find("secret"), std::string::npos);
  // A principal may not write to another principal.
  EXPECT_EQ(Call("POST", Room("/messages"), principal_["hamas"],
                 Json{{"to", Json::array({"israel"})}, {"text", "hello"}})
                .status,
            403);
}

TEST_F(ServiceTest, TokensOfAnotherRoomAreRefused) {
  CreateRoom();
  std::string first_room = room_;
  std::string first_israel = principal_["israel"];
  CreateRoom();
  EXPECT_EQ(Call("GET", "/api/rooms/" + first_room, principal_["israel"]).status, 403);
  EXPECT_EQ(Call("GET", "/api/rooms/" + first_room + "/analysis", mediator_).status, 403);
  EXPECT_EQ(Call("GET", Room(), first_israel).status, 403);
  EXPECT_EQ(Call("GET", "/api/rooms/nope", admin_).status, 404);
}

TEST_F(ServiceTest, ATextAcceptedByBothPrincipalsIsAnAgreement) {
  CreateRoom();
  // Shuttle: the principals propose first; the mediator relays only after that.
  Response drafted =
      Call("POST", Room("/texts"), mediator_,
           Json{{"outcome", Outcome("pause_extended_while_talks_continue", "to_perimeter")}});
  ASSERT_EQ(drafted.status, 201) << drafted.body.dump();
  Response early = Call("POST", Room("/texts/1/relay"), mediator_, Json::object());
  EXPECT_EQ(early.status, 409) << early.body.dump();
  ProposeBoth();
  // Responding before the text is relayed is out of turn.
  EXPECT_EQ(
      Call("POST", Room("/responses"), principal_["israel"], Json{{"version", 1}, {"accept", true}})
          .status,
      409);
  ASSERT_EQ(Call("POST", Room("/texts/1/relay"), mediator_, Json::object()).status, 200);
  EXPECT_EQ(
      Call("POST", Room("/responses"), principal_["israel"], Json{{"version", 2}, {"accept", true}})
          .status,
      409);
  Response partial = Call("POST", Room("/responses"), principal_["hamas"],
                          Json{{"version", 1}, {"clauses", Json{{"ceasefire", "reject"}}}});
  ASSERT_EQ(partial.status, 201) << partial.body.dump();
  EXPECT_EQ(partial.body["accept"], false);
  ASSERT_EQ(
      Call("POST", Room("/responses"), principal_["israel"], Json{{"version", 1}, {"accept", true}})
          .status,
      201);
  // The next round opens with the principals' proposals, where a principal may instead accept
  // the text it last received: Israel does (Hamas's latest response still rejects it)...
  Response again = Call("POST", Room("/responses"), principal_["israel"],
                        Json{{"version", 1}, {"accept", true}});
  ASSERT_EQ(again.status, 201) << again.body.dump();
  EXPECT_EQ(again.body["room_status"], "open");
  // ... and may not answer again before Hamas has.
  EXPECT_EQ(
      Call("POST", Room("/responses"), principal_["israel"], Json{{"version", 1}, {"accept", true}})
          .status,
      409);
  Response last =
      Call("POST", Room("/responses"), principal_["hamas"], Json{{"version", 1}, {"accept", true}});
  ASSERT_EQ(last.status, 201) << last.body.dump();
  EXPECT_EQ(last.body["room_status"], "agreed");
  Response view = Call("GET", Room(), principal_["hamas"]);
  EXPECT_EQ(view.body["agreement"]["version"], 1) << view.body.dump();
  EXPECT_EQ(Call("POST", Room("/proposals"), principal_["hamas"],
                 Json{{"outcome", Outcome("time_limited_pause", "none")}})
                .status,
            409);
}

TEST_F(ServiceTest, InvalidOutcomesAre422) {
  CreateRoom();
  Json outcome = Outcome("time_limited_pause", "none");
  outcome["ceasefire"] = "forever";
  EXPECT_EQ(
      Call("POST", Room("/proposals"), principal_["israel"], Json{{"outcome", outcome}}).status,
      422);
  outcome = Outcome("time_limited_pause", "none");
  outcome.erase("withdrawal");
  EXPECT_EQ(Call("POST", Room("/texts"), mediator_, Json{{"outcome", outcome}}).status, 422);
  EXPECT_EQ(Call("POST", Room("/proposals"), principal_["israel"], Json{{"outcome", "x"}}).status,
            400);
}

TEST_F(ServiceTest, StateSurvivesAReopen) {
  CreateRoom();
  ProposeBoth();
  ASSERT_EQ(Call("POST", Room("/texts"), mediator_,
                 Json{{"outcome", Outcome("time_limited_pause", "none")}})
                .status,
            201);
  std::string before = Call("GET", Room("/log"), mediator_).body.dump();
  Reopen();
  EXPECT_EQ(Call("GET", Room("/log"), mediator_).body.dump(), before);
  // The protocol was rebuilt from the log: it asks the mediator for the text, as before.
  EXPECT_EQ(Call("POST", Room("/texts/1/relay"), mediator_, Json::object()).status, 200);
  EXPECT_EQ(Call("POST", Room("/texts/1/relay"), mediator_, Json::object()).status, 409);
}

TEST_F(ServiceTest, WorkingGroupsSetClauseStatusOnTheirIssuesOnly) {
  CreateRoom();
  Response group = Call("POST", Room("/groups"), mediator_,
                        Json{{"name", "maps"}, {"issues", Json::array({"withdrawal"})}});
  ASSERT_EQ(group.status, 201) << group.body.dump();
  Response member = Call("POST", Room("/participants"), mediator_,
                         Json{{"role", "member"}, {"group", "g1"}, {"party", "israel"}});
  ASSERT_EQ(member.status, 201);
  std::string token = member.body["token"];
  EXPECT_EQ(Call("PUT", Room("/clauses/withdrawal"), token, Json{{"status", "finalised"}}).status,
            200);
  EXPECT_EQ(Call("PUT", Room("/clauses/ceasefire"), token, Json{{"status", "finalised"}}).status,
            403);
  EXPECT_EQ(Call("PUT", Room("/clauses/withdrawal"), token, Json{{"status", "done"}}).status, 422);
  Response view = Call("GET", Room(), principal_["hamas"]);
  bool shown = false;
  for (const Json& clause : view.body["clauses"]) {
    if (clause["issue"] == "withdrawal") shown = clause["status"] == "finalised";
  }
  EXPECT_TRUE(shown) << view.body.dump();
  EXPECT_EQ(Call("GET", Room("/preferences"), token).status, 403);
  // Members work on relayed texts only: a draft stays the mediator's.
  ASSERT_EQ(Call("POST", Room("/texts"), mediator_,
                 Json{{"outcome", Outcome("time_limited_pause", "from_populated_areas")}})
                .status,
            201);
  std::string member_texts = Call("GET", Room("/texts"), token).body.dump();
  EXPECT_EQ(member_texts.find("from_populated_areas"), std::string::npos) << member_texts;
  ProposeBoth();
  ASSERT_EQ(Call("POST", Room("/texts/1/relay"), mediator_, Json::object()).status, 200);
  member_texts = Call("GET", Room("/texts"), token).body.dump();
  EXPECT_NE(member_texts.find("from_populated_areas"), std::string::npos) << member_texts;
  EXPECT_EQ(member_texts.find("ceasefire"), std::string::npos) << member_texts;  // not its issue
}

TEST_F(ServiceTest, EnginePartiesPlayAndTheTraceReadsBack) {
  Response created = Call("POST", "/api/rooms", admin_, Json{{"scenario", CeasefireText()}});
  ASSERT_EQ(created.status, 201);
  room_ = created.body["room"]["id"];
  mediator_ = created.body["token"];
  EXPECT_EQ(Call("POST", Room("/engines"), mediator_,
                 Json{{"party", "israel"}, {"strategy", "no_such_strategy"}})
                .status,
            422);
  for (const char* party : {"israel", "hamas"}) {
    Response engine =
        Call("POST", Room("/engines"), mediator_, Json{{"party", party}, {"strategy", "conceder"}});
    ASSERT_EQ(engine.status, 201) << engine.body.dump();
  }
  Response view = Call("GET", Room(), mediator_);
  ASSERT_EQ(view.body["latest_positions"].size(), 2u) << view.body.dump();
  // Relay each side's latest position as the text until they agree or rounds run out.
  for (int round = 0; round < 40; ++round) {
    view = Call("GET", Room(), mediator_);
    if (view.body["status"] != "open") break;
    const char* side = round % 2 == 0 ? "israel" : "hamas";
    Response drafted = Call("POST", Room("/texts"), mediator_,
                            Json{{"outcome", view.body["latest_positions"][side]["outcome"]}});
    ASSERT_EQ(drafted.status, 201);
    ASSERT_EQ(Call("POST",
                   Room("/texts/" + std::to_string(drafted.body["version"].get<int>()) + "/relay"),
                   mediator_, Json::object())
                  .status,
              200);
  }
  Response pace = Call("GET", Room("/pace"), mediator_);
  EXPECT_FALSE(pace.body["gaps"].empty());
  Response analysis = Call("GET", Room("/analysis"), mediator_);
  ASSERT_EQ(analysis.status, 200) << analysis.body.dump();
  EXPECT_TRUE(analysis.body["nash"]["defined"].get<bool>() || analysis.body["zopa"]["empty"]);

  Result<Service::Export> exported = service_->ExportRoom(room_, "scenario.yaml");
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  Result<model::Scenario> scenario = io::ReadParleyYaml(exported->scenario_yaml, "scenario.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  Result<session::Trace> trace = session::ReadTraceJson(exported->trace, *scenario, "trace.json");
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  EXPECT_EQ(session::WriteTraceJson(*scenario, *trace), exported->trace);
  EXPECT_GT(trace->events.size(), 4u);
  // The trace names the engine's strategy with every parameter, as `parley negotiate` does.
  EXPECT_EQ(trace->strategies.at(*scenario->FindParty("israel")).rfind("conceder(", 0), 0u);
}

}  // namespace
}  // namespace parley::server::api
