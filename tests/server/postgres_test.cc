// `parley serve --db postgresql://...` as a user runs it: on a PostgreSQL server this test starts
// (apps/server/store/testing/postgres_test_server.h; skipped, naming the Debian package, when
// PostgreSQL is not installed), a room's acknowledged events survive SIGKILL and a restart, and
// `parley export` reads them back. A server that cannot be reached is exit code 2, and the
// password in the URI is never printed.
#include <gtest/gtest.h>
#include <signal.h>

#include "server/store/testing/postgres_test_server.h"
#include "server_process.h"
#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;
using server::testing::PostgresTestServer;

json Outcome(int hostages) {
  return json{{"ceasefire", "pause_extended_while_talks_continue"},
              {"withdrawal", "to_perimeter"},
              {"linkage", "negotiated_during_phase_one"},
              {"hostages_released", hostages},
              {"prisoners_released", 700},
              {"humanitarian_access", "greatly_increased"},
              {"guarantees", "monitoring_mechanism"}};
}

// Every event of a room, through the API.
std::vector<json> ReadLog(const ServerProcess& server, const std::string& room_id,
                          const std::string& token) {
  std::vector<json> events;
  for (std::int64_t after = -1;;) {
    HttpReply log =
        server.Call("GET", "/api/rooms/" + room_id + "/log?after=" + std::to_string(after), token);
    EXPECT_EQ(log.status, 200) << log.text;
    if (log.status != 200) return events;
    for (const json& event : log.body["events"]) {
      after = event["seq"];
      events.push_back(event);
    }
    if (!log.body["more"].get<bool>()) return events;
  }
}

TEST(PostgresServeTest, AcknowledgedEventsSurviveSigkillAndExportReadsThem) {
  std::string skip_reason;
  Result<std::unique_ptr<PostgresTestServer>> started = PostgresTestServer::Start(&skip_reason);
  if (!skip_reason.empty()) GTEST_SKIP() << skip_reason;
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  std::unique_ptr<PostgresTestServer> postgres = std::move(started).value();
  ASSERT_TRUE(postgres->CreateDatabase("talks").ok());
  const std::string uri = postgres->Uri("talks");

  TempDir dir;
  const auto admin = dir.path() / "admin";
  std::string room_id, mediator, israel;
  std::vector<json> before;
  {
    ServerProcess server(uri, admin, {"--rate-limit", "0"});
    ASSERT_TRUE(server.running()) << server.output();
    EXPECT_NE(server.output().find("0 rooms in " + uri), std::string::npos) << server.output();
    HttpReply health = server.Call("GET", "/api/health", "");
    EXPECT_EQ(health.body["store"], "postgresql") << health.text;
    HttpReply created = server.Call("POST", "/api/rooms", server.admin_token(),
                                    json{{"scenario", CeasefireScenario()}, {"rounds", 50}});
    ASSERT_EQ(created.status, 201) << created.text;
    room_id = created.body["room"]["id"];
    mediator = created.body["token"];
    const std::string base = "/api/rooms/" + room_id;
    HttpReply invited = server.Call("POST", base + "/participants", mediator,
                                    json{{"role", "principal"}, {"party", "israel"}});
    ASSERT_EQ(invited.status, 201) << invited.text;
    israel = invited.body["token"];
    HttpReply engine = server.Call("POST", base + "/engines", mediator,
                                   json{{"party", "hamas"}, {"strategy", "hardliner"}});
    ASSERT_EQ(engine.status, 201) << engine.text;
    for (int request = 0; request < 3; ++request) {
      HttpReply sent = server.Call("POST", base + "/messages", israel,
                                   json{{"text", "note " + std::to_string(request)}});
      ASSERT_EQ(sent.status, 201) << sent.text;
    }
    before = ReadLog(server, room_id, mediator);
    server.Kill(SIGKILL);
  }
  ASSERT_GE(before.size(), 6u);  // room created, participant, engine, talks started, 3 messages

  ServerProcess restarted(uri, admin, {"--rate-limit", "0"});
  ASSERT_TRUE(restarted.running()) << restarted.output();
  EXPECT_NE(restarted.output().find("1 rooms in"), std::string::npos) << restarted.output();
  std::vector<json> after = ReadLog(restarted, room_id, mediator);
  EXPECT_EQ(after, before);
  std::vector<std::string> notes;
  for (const json& event : after) {
    if (event["type"] == "message") notes.push_back(event["body"]["text"]);
  }
  EXPECT_EQ(notes, (std::vector<std::string>{"note 0", "note 1", "note 2"}));
  // Tokens survived too, and the room goes on.
  HttpReply proposed = restarted.Call("POST", "/api/rooms/" + room_id + "/proposals", israel,
                                      json{{"outcome", Outcome(9)}, {"note", "note 9"}});
  ASSERT_EQ(proposed.status, 201) << proposed.text;
  // In the principal's own numbering (docs/http-api.md): its answer, followed by the proposal
  // the protocol made of it.
  std::vector<json> seen_by_israel = ReadLog(restarted, room_id, israel);
  ASSERT_GE(seen_by_israel.size(), 2u);
  const std::int64_t answer_seq = proposed.body["seq"];
  ASSERT_LT(answer_seq + 1, static_cast<std::int64_t>(seen_by_israel.size()));
  EXPECT_EQ(seen_by_israel[answer_seq]["seq"], answer_seq);
  EXPECT_EQ(seen_by_israel[answer_seq]["type"], "answer");
  EXPECT_EQ(seen_by_israel[answer_seq + 1]["type"], "proposal");
  EXPECT_EQ(seen_by_israel[answer_seq + 1]["body"]["note"], "note 9");

  // `parley export` reads the same database while the server runs.
  CommandResult exported = RunParley({"export", room_id, "--db", uri});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  json trace = json::parse(exported.out, nullptr, false);
  ASSERT_FALSE(trace.is_discarded()) << exported.out.substr(0, 500);
  EXPECT_NE(exported.out.find("note 9"), std::string::npos);
  EXPECT_EQ(RunParley({"export", "nosuchroom", "--db", uri}).exit_code, 2);
}

TEST(PostgresServeTest, AnUnreachableDatabaseIsExitCode2AndThePasswordStaysHidden) {
  CommandResult result = RunParley(
      {"serve", "--db", "postgresql://parley:s3cret@/talks?host=/nonexistent-dir&connect_timeout=2",
       "--listen", "127.0.0.1:0"});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find("cannot connect to PostgreSQL"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("parley:***@"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("s3cret"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("s3cret"), std::string::npos) << result.out;
  CommandResult exported = RunParley(
      {"export", "room", "--db", "postgres://parley:s3cret@/talks?host=/nonexistent-dir"});
  EXPECT_EQ(exported.exit_code, 2);
  EXPECT_EQ(exported.err.find("s3cret"), std::string::npos) << exported.err;
}

}  // namespace
}  // namespace parley::testing
