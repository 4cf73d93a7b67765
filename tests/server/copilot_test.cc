// Black-box tests of the mediator's co-pilot and of recoverable access in `parley serve`
// (issue 13): a text's evaluation for the mediator and for a principal, the red-line and
// reservation flags of GET /analysis and the rest of it checked against `parley analyze`, GET
// /suggestions checked against `parley suggest` on the same scenario, and invitations reissued
// and revoked (the old token answers 401 at once, and still after a restart).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>

#include "server_process.h"
#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;

class CopilotTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }
  void Start() {
    server_.reset();
    server_ = std::make_unique<ServerProcess>(dir_.path() / "parley.db", dir_.path() / "admin",
                                              std::vector<std::string>{"--rate-limit", "0"});
    ASSERT_TRUE(server_->running()) << server_->output();
  }

  struct Room {
    std::string id;
    std::string mediator;
    std::map<std::string, std::string> tokens;  // by party
  };

  Room CreateRoom(const std::string& scenario, const std::vector<std::string>& parties) {
    Room room;
    HttpReply created =
        server_->Call("POST", "/api/rooms", server_->admin_token(), json{{"scenario", scenario}});
    EXPECT_EQ(created.status, 201) << created.text;
    room.id = created.body["room"]["id"];
    room.mediator = created.body["token"];
    for (const std::string& party : parties) {
      HttpReply joined = server_->Call("POST", Path(room, "/participants"), room.mediator,
                                       json{{"role", "principal"}, {"party", party}});
      EXPECT_EQ(joined.status, 201) << joined.text;
      room.tokens[party] = joined.body["token"];
    }
    return room;
  }
  static std::string Path(const Room& room, const std::string& suffix) {
    return "/api/rooms/" + room.id + suffix;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

std::string PercentEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof(escaped), "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

// The descriptions of `party`'s red lines that `flags` says are crossed.
std::vector<std::string> RedLinesOf(const json& flags, const std::string& party) {
  std::vector<std::string> crossed;
  for (const json& crossing : flags.at("red_lines_crossed")) {
    if (crossing.at("party") == party) crossed.push_back(crossing.at("description"));
  }
  return crossed;
}

// The text of the issue's story: a pause while talks continue crosses Hamas's red line "a
// permanent ceasefire" (and its full-withdrawal one is met). The mediator sees both principals;
// Hamas sees only itself, and Israel nothing of Hamas's red lines.
TEST_F(CopilotTest, EvaluationNamesRedLinesAndReservationsToWhomMayKnow) {
  Room room = CreateRoom(CeasefireScenario(), {"israel", "hamas"});
  json text = CeasefireOutcome("pause_extended_while_talks_continue");
  ASSERT_EQ(server_
                ->Call("POST", Path(room, "/proposals"), room.tokens["israel"],
                       json{{"outcome", CeasefireOutcome("time_limited_pause")}})
                .status,
            201);

  HttpReply mediator =
      server_->Call("POST", Path(room, "/evaluation"), room.mediator, json{{"outcome", text}});
  ASSERT_EQ(mediator.status, 200) << mediator.text;
  EXPECT_EQ(mediator.body["parties"].size(), 2u);
  EXPECT_EQ(RedLinesOf(mediator.body, "hamas"), std::vector<std::string>{"a permanent ceasefire"});
  EXPECT_FALSE(mediator.body["acceptable_to_all"].get<bool>());
  EXPECT_NE(mediator.body["problems"].get<std::string>().find("a permanent ceasefire"),
            std::string::npos)
      << mediator.body["problems"];
  ASSERT_EQ(mediator.body["gaps"].size(), 1u);  // to Israel's latest proposal
  EXPECT_EQ(mediator.body["gaps"][0]["party"], "israel");
  EXPECT_GT(mediator.body["gaps"][0]["overall"].get<double>(), 0.0);

  HttpReply hamas = server_->Call("POST", Path(room, "/evaluation"), room.tokens["hamas"],
                                  json{{"outcome", text}});
  ASSERT_EQ(hamas.status, 200) << hamas.text;
  ASSERT_EQ(hamas.body["parties"].size(), 1u);
  EXPECT_EQ(hamas.body["parties"][0]["party"], "hamas");
  EXPECT_EQ(RedLinesOf(hamas.body, "hamas"), std::vector<std::string>{"a permanent ceasefire"});
  EXPECT_TRUE(hamas.body["gaps"].empty());
  // Its utility is the one the mediator sees for it.
  for (const json& party : mediator.body["parties"]) {
    if (party["party"] == "hamas") {
      EXPECT_DOUBLE_EQ(party["utility"].get<double>(),
                       hamas.body["parties"][0]["utility"].get<double>());
    }
  }
  HttpReply israel = server_->Call("POST", Path(room, "/evaluation"), room.tokens["israel"],
                                   json{{"outcome", text}});
  ASSERT_EQ(israel.status, 200);
  EXPECT_EQ(israel.text.find("a permanent ceasefire"), std::string::npos) << israel.text;
  EXPECT_TRUE(RedLinesOf(israel.body, "hamas").empty());

  // Bad input: an unknown option, a missing outcome, an unknown field.
  json bad = text;
  bad["ceasefire"] = "forever";
  EXPECT_EQ(server_->Call("POST", Path(room, "/evaluation"), room.mediator, json{{"outcome", bad}})
                .status,
            422);
  EXPECT_EQ(server_->Call("POST", Path(room, "/evaluation"), room.mediator, json::object()).status,
            400);
  EXPECT_EQ(server_
                ->Call("POST", Path(room, "/evaluation"), room.mediator,
                       json{{"outcome", text}, {"extra", 1}})
                .status,
            400);
}

TEST_F(CopilotTest, AnalysisFlagsEachTextAndProposal) {
  Room room = CreateRoom(CeasefireScenario(), {"israel", "hamas"});
  ASSERT_EQ(server_
                ->Call("POST", Path(room, "/texts"), room.mediator,
                       json{{"outcome", CeasefireOutcome("pause_extended_while_talks_continue")}})
                .status,
            201);
  // Shuttle takes the principals' proposals in scenario order: Israel's, then Hamas's.
  for (const auto& [party, ceasefire] : std::vector<std::pair<std::string, std::string>>{
           {"israel", "time_limited_pause"}, {"hamas", "permanent_up_front"}}) {
    ASSERT_EQ(server_
                  ->Call("POST", Path(room, "/proposals"), room.tokens[party],
                         json{{"outcome", CeasefireOutcome(ceasefire)}})
                  .status,
              201);
  }
  HttpReply analysis = server_->Call("GET", Path(room, "/analysis"), room.mediator);
  ASSERT_EQ(analysis.status, 200) << analysis.text;
  const json& text = analysis.body["texts"].at(0);
  EXPECT_EQ(RedLinesOf(text, "hamas"), std::vector<std::string>{"a permanent ceasefire"});
  EXPECT_TRUE(text["below_reservation"].is_array());
  json proposal;
  for (const json& position : analysis.body["latest_positions"]) {
    if (position["party"] == "hamas") proposal = position;
  }
  ASSERT_TRUE(proposal.is_object()) << analysis.body["latest_positions"].dump();
  EXPECT_EQ(proposal["party"], "hamas");
  // Hamas's own proposal crosses Israel's red line, not its own.
  EXPECT_EQ(RedLinesOf(proposal, "israel"),
            std::vector<std::string>{
                "no commitment to a permanent end of the war before its aims are met"});
  EXPECT_TRUE(RedLinesOf(proposal, "hamas").empty());
}

// The route answers what `parley analyze --json` answers on the room's scenario, with the
// dashboard's fields added: with a zone of agreement (riverside) and without (ceasefire).
TEST_F(CopilotTest, AnalysisIsTheLibrarysAnswer) {
  for (const auto& [file, parties] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"riverside.yaml", {"council", "developer", "residents"}},
           {"ceasefire.yaml", {"israel", "hamas"}}}) {
    Room room = CreateRoom(ReadText(Example(file)), parties);
    HttpReply analysis = server_->Call("GET", Path(room, "/analysis"), room.mediator);
    ASSERT_EQ(analysis.status, 200) << analysis.text;
    CommandResult cli = RunParley({"analyze", Example(file), "--json", "--max-points", "400"});
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    json expected = json::parse(cli.out);
    for (const auto& [field, value] : expected.items()) {
      if (field == "timings_ms") continue;  // they vary from run to run
      json answered = analysis.body[field];
      if (field == "zopa") {
        EXPECT_EQ(answered["empty"], expected["obstacles"]["zopa_empty"]) << file;
        answered.erase("empty");
      }
      EXPECT_EQ(answered, value) << file << ": " << field;
    }
    EXPECT_EQ(analysis.body["timings_ms"]["load"], 0.0) << file;
    EXPECT_EQ(analysis.body["reservation"], expected["reservations"]) << file;
    EXPECT_EQ(analysis.body["frontier_size"], expected["pareto"]["size"]) << file;
    EXPECT_EQ(analysis.body["ideal_gaps"]["overall"], expected["gaps"]["overall"]) << file;
  }
}

// The route answers exactly what `parley suggest` answers on the room's scenario and draft.
TEST_F(CopilotTest, SuggestionsAreTheLibrarysAnswer) {
  const std::string scenario = ReadText(Example("riverside.yaml"));
  Room room = CreateRoom(scenario, {"council", "developer", "residents"});
  EXPECT_EQ(server_->Call("GET", Path(room, "/suggestions"), room.tokens["council"]).status, 403);
  EXPECT_EQ(
      server_->Call("GET", Path(room, "/suggestions?criterion=closest"), room.mediator).status,
      422);  // measured from a draft, and there is none yet
  EXPECT_EQ(server_->Call("GET", Path(room, "/suggestions?criterion=best"), room.mediator).status,
            400);
  EXPECT_EQ(server_->Call("GET", Path(room, "/suggestions?limit=0"), room.mediator).status, 400);

  HttpReply nash = server_->Call("GET", Path(room, "/suggestions"), room.mediator);
  ASSERT_EQ(nash.status, 200) << nash.text;
  CommandResult cli = RunParley({"suggest", Example("riverside.yaml"), "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  json expected = json::parse(cli.out);
  EXPECT_EQ(nash.body["suggestions"], expected["suggestions"]);
  ASSERT_FALSE(nash.body["suggestions"].empty());
  EXPECT_EQ(nash.body["criterion"]["name"], "nash");

  // Closest and fewest changes from the latest text, as drafted.
  // The draft: the best suggestion with towers instead of its building height.
  json draft = nash.body["suggestions"][0]["outcome"];
  draft["building_height"] = "towers";
  std::string draft_text;
  for (const auto& [id, option] : draft.items()) {
    draft_text += (draft_text.empty() ? "" : ",") + id + "=" +
                  (option.is_string() ? option.get<std::string>() : option.dump());
  }
  ASSERT_EQ(
      server_->Call("POST", Path(room, "/texts"), room.mediator, json{{"outcome", draft}}).status,
      201);
  HttpReply fewest = server_->Call(
      "GET", Path(room, "/suggestions?criterion=fewest_changes&limit=3"), room.mediator);
  ASSERT_EQ(fewest.status, 200) << fewest.text;
  EXPECT_EQ(fewest.body["draft_version"], 1);
  CommandResult fewest_cli =
      RunParley({"suggest", Example("riverside.yaml"), "--json", "--draft", draft_text,
                 "--criterion", "fewest_changes", "--limit", "3"});
  ASSERT_EQ(fewest_cli.exit_code, 0) << fewest_cli.err;
  EXPECT_EQ(fewest.body["suggestions"], json::parse(fewest_cli.out)["suggestions"]);
  // The editor's unsaved draft, given as outcome=, is the same draft.
  HttpReply unsaved =
      server_->Call("GET",
                    Path(room, "/suggestions?criterion=fewest_changes&limit=3&outcome=" +
                                   PercentEncode(draft.dump())),
                    room.mediator);
  ASSERT_EQ(unsaved.status, 200) << unsaved.text;
  EXPECT_EQ(unsaved.body["suggestions"], fewest.body["suggestions"]);
}

// A draft given in the query is read within a request body's limits: deep nesting, a
// non-object and broken JSON are a 400 naming the parameter, and the server goes on answering.
TEST_F(CopilotTest, AHostileDraftInTheQueryIsRefusedAndTheServerStaysUp) {
  Room room =
      CreateRoom(ReadText(Example("riverside.yaml")), {"council", "developer", "residents"});
  // An object whose one member nests 1,200 arrays deep (percent-encoded, within the 8 KiB target).
  const std::string deep = "{\"a\": " + std::string(1200, '[') + std::string(1200, ']') + "}";
  for (const std::string& outcome :
       {deep, std::string("[1, 2]"), std::string("{\"a\": "), std::string("{\"a\": 1e999}")}) {
    HttpReply reply = server_->Call(
        "GET", Path(room, "/suggestions?outcome=" + PercentEncode(outcome)), room.mediator);
    EXPECT_EQ(reply.status, 400) << outcome.substr(0, 40) << ": " << reply.text;
    EXPECT_NE(reply.text.find("query parameter 'outcome' must be a JSON object"), std::string::npos)
        << reply.text;
  }
  EXPECT_EQ(server_->Call("GET", Path(room, "/suggestions"), room.mediator).status, 200);
}

// Red lines that exclude each other leave no text to suggest: the smallest relaxations, and
// the issues whose deferral to phase two leaves a zone for the initial exchange.
TEST_F(CopilotTest, NoZoneAnswersRelaxationsAndDeferrals) {
  Room room = CreateRoom(CeasefireScenario(), {"israel", "hamas"});
  HttpReply reply = server_->Call("GET", Path(room, "/suggestions"), room.mediator);
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_TRUE(reply.body["suggestions"].empty());
  EXPECT_TRUE(reply.body["zone_empty"].get<bool>());
  EXPECT_FALSE(reply.body["relaxations"].empty());
  EXPECT_FALSE(reply.body["deferrals"].empty()) << reply.body["deferrals_note"];
  CommandResult cli = RunParley({"suggest", Example("ceasefire.yaml"), "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  json expected = json::parse(cli.out);
  EXPECT_EQ(reply.body["relaxations"], expected["relaxations"]);
  EXPECT_EQ(reply.body["deferrals"], expected["deferrals"]);
}

TEST_F(CopilotTest, ReissuedTokenReplacesTheOldOneAtOnceAndAfterARestart) {
  Room room = CreateRoom(CeasefireScenario(), {"israel", "hamas"});
  const std::string route = Path(room, "/participants/p1/token");  // israel
  const std::string old_token = room.tokens["israel"];
  EXPECT_EQ(server_->Call("POST", route, old_token).status, 403);               // a principal
  EXPECT_EQ(server_->Call("POST", route, server_->admin_token()).status, 403);  // not 'm'
  EXPECT_EQ(server_->Call("POST", Path(room, "/participants/m/token"), room.mediator).status, 403);
  EXPECT_EQ(server_->Call("POST", Path(room, "/participants/p9/token"), room.mediator).status, 404);
  EXPECT_EQ(server_->Call("PUT", route, room.mediator).status, 405);

  HttpReply reissued = server_->Call("POST", route, room.mediator);
  ASSERT_EQ(reissued.status, 200) << reissued.text;
  const std::string new_token = reissued.body["token"];
  EXPECT_EQ(reissued.body["participant"]["party"], "israel");
  EXPECT_EQ(reissued.body["revoked"], 1);
  EXPECT_EQ(server_->Call("GET", Path(room, ""), old_token).status, 401);
  EXPECT_EQ(server_->Call("GET", Path(room, ""), new_token).status, 200);

  HttpReply listed = server_->Call("GET", Path(room, "/participants"), room.mediator);
  ASSERT_EQ(listed.status, 200);
  for (const json& participant : listed.body["participants"]) {
    if (participant["id"] == "p1") {
      EXPECT_EQ(participant["access"]["status"], "active");
      EXPECT_EQ(participant["access"]["reissued"], 1);
    }
  }
  // Revoked: nobody holds a token for Israel; revoking again is a conflict.
  ASSERT_EQ(server_->Call("DELETE", Path(room, "/participants/p2/token"), room.mediator).status,
            200);
  EXPECT_EQ(server_->Call("GET", Path(room, ""), room.tokens["hamas"]).status, 401);
  EXPECT_EQ(server_->Call("DELETE", Path(room, "/participants/p2/token"), room.mediator).status,
            409);
  // An admin reissues the mediator's token.
  HttpReply mediator =
      server_->Call("POST", Path(room, "/participants/m/token"), server_->admin_token());
  ASSERT_EQ(mediator.status, 200) << mediator.text;
  const std::string new_mediator = mediator.body["token"];
  EXPECT_EQ(server_->Call("GET", Path(room, ""), room.mediator).status, 401);

  Start();  // the same database: what was revoked stays revoked
  EXPECT_EQ(server_->Call("GET", Path(room, ""), old_token).status, 401);
  EXPECT_EQ(server_->Call("GET", Path(room, ""), room.tokens["hamas"]).status, 401);
  EXPECT_EQ(server_->Call("GET", Path(room, ""), room.mediator).status, 401);
  EXPECT_EQ(server_->Call("GET", Path(room, ""), new_token).status, 200);
  HttpReply after = server_->Call("GET", Path(room, "/participants"), new_mediator);
  ASSERT_EQ(after.status, 200) << after.text;
  for (const json& participant : after.body["participants"]) {
    if (participant["id"] == "p2") {
      EXPECT_EQ(participant["access"]["status"], "revoked");
    }
  }
}

}  // namespace
}  // namespace parley::testing
