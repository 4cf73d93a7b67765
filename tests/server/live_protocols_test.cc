// Live rooms run the protocols `parley negotiate` runs (issue 11), checked against the real
// binaries: a room whose parties are all engines is the same session as `parley negotiate` with
// the same scenario, protocol, strategies, rounds and seed (messages, outcome, end reason), for
// every live protocol on several seeds, and its export passes `parley replay`; a phased room with
// a person as mediator settles phase 1 and reports phase 2's deadlock as the simulator does; a
// room killed mid-talks is rebuilt from its log on restart, engine parties included, and goes on.
#include <gtest/gtest.h>
#include <signal.h>

#include <ostream>
#include <string>
#include <vector>

#include "server_process.h"
#include "test_support.h"

namespace parley::testing {
namespace {

using nlohmann::json;

struct Seating {
  std::string protocol;
  std::vector<std::pair<std::string, std::string>> principals;  // party -> strategy
  std::vector<std::pair<std::string, std::string>> mediators;   // party -> strategy
};

// How a failing case names its seating (gtest prints unknown types as bytes).
void PrintTo(const Seating& seating, std::ostream* out) { *out << seating.protocol; }

std::vector<Seating> LiveProtocols() {
  const std::vector<std::pair<std::string, std::string>> principals = {{"israel", "boulware"},
                                                                       {"hamas", "conceder"}};
  const std::vector<std::pair<std::string, std::string>> mediators = {
      {"qatar", "nash_mediator"}, {"united_states", "nash_mediator"}};  // egypt is disabled
  return {
      {"shuttle", principals, mediators},
      {"phased", principals, mediators},
      {"single_text",
       {{"israel", "hill_climber"}, {"hamas", "annealer"}},
       {{"qatar", "single_text_annealer"}, {"united_states", "single_text_annealer"}}},
      {"alternating_offers", principals, {}},
  };
}

// What must be equal between a simulated and a live session: every message (sender, recipients,
// type, outcome, round) and the result.
json Comparable(const json& trace) {
  json events = json::array();
  for (const json& event : trace["events"]) {
    json kept = event;
    kept.erase("utilities");  // the same numbers; kept out so a failure shows what differs
    events.push_back(kept);
  }
  const json& result = trace["result"];
  return json{{"events", events},
              {"agreement", result["agreement"]},
              {"outcome", result["outcome"]},
              {"end_reason", result["end_reason"]},
              {"rounds", result["rounds"]}};
}

class LiveProtocolsTest : public ::testing::Test {
 protected:
  void Start() {
    server_.reset();
    server_ = std::make_unique<ServerProcess>(db_, dir_.path() / "admin",
                                              std::vector<std::string>{"--rate-limit", "0"});
    ASSERT_TRUE(server_->running()) << server_->output();
  }

  // Creates a room; returns (id, the creator's token).
  std::pair<std::string, std::string> CreateRoom(const std::string& protocol, std::uint64_t seed,
                                                 int rounds) {
    HttpReply created = server_->Call("POST", "/api/rooms", server_->admin_token(),
                                      json{{"scenario", CeasefireScenario()},
                                           {"protocol", protocol},
                                           {"seed", seed},
                                           {"rounds", rounds}});
    EXPECT_EQ(created.status, 201) << created.text;
    return {created.body["room"]["id"], created.body["token"]};
  }

  json Export(const std::string& room_id, const std::string& name) {
    const std::filesystem::path trace = dir_.path() / (name + ".trace.json");
    CommandResult exported =
        RunParley({"export", room_id, "--db", db_.string(), "-o", trace.string()});
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    CommandResult replayed = RunParley({"replay", trace.string()});
    EXPECT_EQ(replayed.exit_code, 0) << name << ": " << replayed.out << replayed.err;
    return json::parse(ReadText(trace), nullptr, false);
  }

  TempDir dir_;
  std::filesystem::path db_ = dir_.path() / "parley.db";
  std::unique_ptr<ServerProcess> server_;
};

// One test per protocol, so that ctest runs them side by side (together 90 s under ASan).
class LiveSimulationTest : public LiveProtocolsTest,
                           public ::testing::WithParamInterface<Seating> {};

TEST_P(LiveSimulationTest, ARoomOfEnginesIsTheSimulation) {
  Start();
  const int rounds = 30;
  const Seating& seating = GetParam();
  {
    for (std::uint64_t seed : {3u, 11u, 29u}) {
      SCOPED_TRACE(seating.protocol + " seed " + std::to_string(seed));
      auto [room_id, token] = CreateRoom(seating.protocol, seed, rounds);
      const std::string base = "/api/rooms/" + room_id;
      std::vector<std::string> args = {
          "negotiate", Example("ceasefire.yaml"), "--protocol", seating.protocol,
          "--rounds",  std::to_string(rounds),    "--seed",     std::to_string(seed)};
      // Mediators first: the talks start once the last principal has a seat.
      for (const auto& [party, strategy] : seating.mediators) {
        HttpReply engine = server_->Call("POST", base + "/engines", token,
                                         json{{"party", party}, {"strategy", strategy}});
        ASSERT_EQ(engine.status, 201) << engine.text;
        args.insert(args.end(), {"--mediator", party + "=" + strategy});
      }
      for (const auto& [party, strategy] : seating.principals) {
        HttpReply engine = server_->Call("POST", base + "/engines", token,
                                         json{{"party", party}, {"strategy", strategy}});
        ASSERT_EQ(engine.status, 201) << engine.text;
        args.insert(args.end(), {"--strategy", party + "=" + strategy});
      }
      HttpReply view = server_->Call("GET", base, token);
      ASSERT_EQ(view.status, 200);
      EXPECT_NE(view.body["status"], "open") << view.text.substr(0, 400);
      EXPECT_EQ(view.body["you"]["role"], seating.mediators.empty() ? "chair" : "mediator");

      const std::string name = seating.protocol + "_" + std::to_string(seed);
      const std::filesystem::path simulated = dir_.path() / (name + ".simulated.json");
      args.insert(args.end(), {"--trace", simulated.string()});
      CommandResult negotiated = RunParley(args);
      ASSERT_EQ(negotiated.exit_code, 0) << negotiated.err;
      json expected = json::parse(ReadText(simulated), nullptr, false);
      json live = Export(room_id, name);
      ASSERT_FALSE(expected.is_discarded());
      ASSERT_FALSE(live.is_discarded());
      EXPECT_FALSE(expected["events"].empty());
      EXPECT_EQ(Comparable(live), Comparable(expected));
      EXPECT_EQ(live["config"]["protocol"], expected["config"]["protocol"]);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Protocols, LiveSimulationTest, ::testing::ValuesIn(LiveProtocols()),
                         [](const ::testing::TestParamInfo<Seating>& param) {
                           return param.param.protocol;
                         });

// The live phased room on the ceasefire scenario: a person mediates (relaying what the principals'
// engines proposed), phase 1 is settled, phase 2 deadlocks, and the room ends the way
// `parley negotiate --protocol phased` reports it.
TEST_F(LiveProtocolsTest, APhasedRoomWithAPersonMediatingSettlesPhaseOneAndReportsTheDeadlock) {
  Start();
  const int rounds = 12;
  auto [room_id, mediator] = CreateRoom("phased", 5, rounds);
  const std::string base = "/api/rooms/" + room_id;
  for (const auto& [party, strategy] : std::vector<std::pair<std::string, std::string>>{
           {"israel", "conceder"}, {"hamas", "conceder"}}) {
    ASSERT_EQ(server_
                  ->Call("POST", base + "/engines", mediator,
                         json{{"party", party}, {"strategy", strategy}})
                  .status,
              201);
  }
  bool saw_phase_two = false;
  json settled_in_phase_two;
  // The person relays the text each time the protocol asks: the latest position of the side
  // that conceded more often, alternately; the loop ends with the room.
  for (int step = 0; step < 400; ++step) {
    HttpReply view = server_->Call("GET", base, mediator);
    ASSERT_EQ(view.status, 200);
    if (view.body["status"] != "open") break;
    const json& protocol = view.body["protocol"];
    ASSERT_TRUE(protocol["phase"].is_object()) << protocol.dump();
    // Everyone reads the phases in words: the scenario's phases, the current one among them.
    const json& phases = view.body["scenario"]["phases"];
    ASSERT_EQ(phases.size(), 2u) << view.body["scenario"].dump();
    const json& current = phases[protocol["phase"]["number"].get<std::size_t>() - 1];
    EXPECT_EQ(current["label"], protocol["phase"]["label"]);
    EXPECT_EQ(current["issues"], protocol["phase"]["issues"]);
    EXPECT_EQ(phases[0]["label"], "Initial exchange");
    if (protocol["phase"]["number"] == 2) {
      saw_phase_two = true;
      settled_in_phase_two = protocol["settled"];
    }
    ASSERT_FALSE(view.body["awaiting"].empty()) << view.text.substr(0, 600);
    const json& ask = view.body["awaiting"][0];
    ASSERT_EQ(ask["party"], "qatar") << ask.dump();
    const json& allowed = ask["allowed"];
    const bool may_offer = std::find(allowed.begin(), allowed.end(), "offer") != allowed.end();
    if (!may_offer) {
      ASSERT_EQ(server_->Call("POST", base + "/actions", mediator, json{{"type", "pass"}}).status,
                201);
      continue;
    }
    const char* side = step % 2 == 0 ? "israel" : "hamas";
    json outcome = view.body["latest_positions"][side]["outcome"];
    // Settled issues keep their settled options.
    for (auto it = ask["settled"].begin(); it != ask["settled"].end(); ++it) {
      outcome[it.key()] = it.value();
    }
    HttpReply drafted =
        server_->Call("POST", base + "/texts", mediator, json{{"outcome", outcome}});
    ASSERT_EQ(drafted.status, 201) << drafted.text;
    HttpReply relayed = server_->Call(
        "POST", base + "/texts/" + std::to_string(drafted.body["version"].get<int>()) + "/relay",
        mediator, json::object());
    ASSERT_EQ(relayed.status, 200) << relayed.text;
  }
  HttpReply view = server_->Call("GET", base, mediator);
  ASSERT_NE(view.body["status"], "open") << view.text.substr(0, 600);
  EXPECT_TRUE(saw_phase_two);
  // Phase 1's four issues were settled before phase 2 opened.
  EXPECT_EQ(settled_in_phase_two.size(), 4u) << settled_in_phase_two.dump();
  for (const char* issue :
       {"linkage", "hostages_released", "prisoners_released", "humanitarian_access"}) {
    EXPECT_TRUE(settled_in_phase_two.contains(issue)) << issue;
  }

  // The simulator reports the same kind of end for the same scenario and engines.
  const std::filesystem::path simulated = dir_.path() / "phased.simulated.json";
  CommandResult negotiated =
      RunParley({"negotiate", Example("ceasefire.yaml"), "--protocol", "phased", "--strategy",
                 "israel=conceder", "--strategy", "hamas=conceder", "--mediator", "nash_mediator",
                 "--rounds", std::to_string(rounds), "--seed", "5", "--trace", simulated.string()});
  ASSERT_EQ(negotiated.exit_code, 0) << negotiated.err;
  json expected = json::parse(ReadText(simulated));
  json live = Export(room_id, "phased_person");
  EXPECT_EQ(live["result"]["agreement"], false);
  EXPECT_EQ(expected["result"]["agreement"], false);
  // Both report phase 2's deadlock in the same words; the settled terms that lapse are each
  // session's own.
  const std::string kDeadlock =
      "phase 2 of 2 'end_state' failed: deadline: no text was accepted by every principal; the "
      "partial agreement on earlier phases lapsed (";
  const std::string live_reason = live["result"]["end_reason"];
  EXPECT_EQ(live_reason.substr(0, kDeadlock.size()), kDeadlock);
  EXPECT_EQ(expected["result"]["end_reason"].get<std::string>().substr(0, kDeadlock.size()),
            kDeadlock);
  EXPECT_EQ(view.body["end_reason"], live_reason);
  for (auto it = settled_in_phase_two.begin(); it != settled_in_phase_two.end(); ++it) {
    // Options by name; numbers as the scenario writes them (200, not 200.0).
    const std::string term =
        it.key() + "=" +
        (it->is_string() ? it->get<std::string>() : std::to_string(it->get<std::int64_t>()));
    EXPECT_NE(live_reason.find(term), std::string::npos) << term << " in " << live_reason;
  }
  // The live trace records every answer the person gave; replay checked each (Export).
  EXPECT_FALSE(live["live"]["answers"].empty());
}

// A room is rebuilt after SIGKILL by replaying its log through the protocol; the engine party's
// state is rebuilt the same way, so the talks continue exactly as an uninterrupted room would.
TEST_F(LiveProtocolsTest, AfterARestartTheRoomAndItsEnginesAreRebuiltFromTheLog) {
  Start();
  auto run = [&](bool restart) {
    auto [room_id, chair] = CreateRoom("alternating_offers", 17, 40);
    const std::string base = "/api/rooms/" + room_id;
    HttpReply invited = server_->Call("POST", base + "/participants", chair,
                                      json{{"role", "principal"}, {"party", "israel"}});
    EXPECT_EQ(invited.status, 201) << invited.text;
    const std::string israel = invited.body["token"];
    EXPECT_EQ(server_
                  ->Call("POST", base + "/engines", chair,
                         json{{"party", "hamas"}, {"strategy", "frequency_boulware"}})
                  .status,
              201);
    // Israel rejects by countering with the engine's own last offer's opposite: its best outcome.
    std::vector<json> offers_seen;
    for (int turn = 0; turn < 8; ++turn) {
      if (restart && turn == 4) {
        server_->Kill(SIGKILL);
        Start();
      }
      HttpReply view = server_->Call("GET", base, israel);
      EXPECT_EQ(view.status, 200) << view.text;
      if (view.body["status"] != "open" || view.body["awaiting"].empty()) break;
      const json& ask = view.body["awaiting"][0];
      offers_seen.push_back(ask["standing_offer"]);
      HttpReply answered = server_->Call(
          "POST", base + "/actions", israel,
          json{{"type", "offer"}, {"outcome", CeasefireOutcome("time_limited_pause")}});
      EXPECT_EQ(answered.status, 201) << answered.text;
    }
    return offers_seen;
  };
  std::vector<json> uninterrupted = run(false);
  std::vector<json> restarted = run(true);
  ASSERT_GE(uninterrupted.size(), 6u);
  EXPECT_EQ(restarted, uninterrupted);
}

}  // namespace
}  // namespace parley::testing
