// Export of a legacy room (created before protocols ran in rooms): its stored events mapped onto
// a trace's messages as docs/live.md ("Export") says.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "parley/io/scenario_io.h"
#include "parley/session/replay.h"
#include "parley/session/trace_json.h"
#include "server/api/room.h"
#include "server/api/views.h"

namespace parley::server::api {
namespace {

std::string CeasefireText() {
  std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/examples/ceasefire.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Json Outcome() {
  return Json{{"ceasefire", "time_limited_pause"},
              {"withdrawal", "none"},
              {"linkage", "no_linkage"},
              {"hostages_released", 40},
              {"prisoners_released", 0},
              {"humanitarian_access", "current_levels"},
              {"guarantees", "none"}};
}

class LegacyExportTest : public ::testing::Test {
 protected:
  void Add(std::string type, std::string actor, Json body) {
    Event event;
    event.at_ms = static_cast<std::int64_t>(room_.log.size()) * 1000;
    event.type = std::move(type);
    event.actor = std::move(actor);
    event.body = std::move(body);
    Status applied = Apply(room_, std::move(event));
    ASSERT_TRUE(applied.ok()) << applied.ToString();
  }
  Result<session::Trace> Export() {
    PARLEY_ASSIGN_OR_RETURN(std::shared_ptr<TraceDraft> draft,
                            DraftTraceLocked(room_, "scenario.yaml"));
    PARLEY_ASSIGN_OR_RETURN(ExportedTrace exported, FinishTrace(*draft, std::stop_token()));
    PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario,
                            io::ReadParleyYaml(exported.scenario_yaml, "scenario.yaml"));
    return session::ReadTraceJson(exported.trace, scenario, "trace.json");
  }
  Room room_;
};

TEST_F(LegacyExportTest, MapsProposalsTextsResponsesAndMessagesOntoMessages) {
  // No "protocol" in room_created: a legacy room, with qatar as the mediator.
  Add("room_created", "",
      Json{{"scenario", CeasefireText()},
           {"mediator_party", "qatar"},
           {"rounds", 10},
           {"creator", Json{{"id", "m1"}, {"role", "mediator"}, {"party", "qatar"}}}});
  Add("participant_added", "",
      Json{{"participant", Json{{"id", "p1"}, {"role", "principal"}, {"party", "israel"}}}});
  Add("participant_added", "",
      Json{
          {"participant",
           Json{{"id", "p2"}, {"role", "principal"}, {"party", "hamas"}, {"engine", "boulware"}}}});
  Add("proposal", "p1", Json{{"party", "israel"}, {"outcome", Outcome()}, {"note", "opening"}});
  Add("text_drafted", "m1", Json{{"version", 1}, {"outcome", Outcome()}});
  Add("text_relayed", "m1",
      Json{{"version", 1}, {"to", {"israel", "hamas"}}, {"outcome", Outcome()}, {"note", "v1"}});
  Add("response", "p2",
      Json{{"party", "hamas"},
           {"version", 1},
           {"accept", false},
           {"outcome", Outcome()},
           {"clauses", Json{{"ceasefire", "reject"}, {"withdrawal", "reject"}}}});
  Add("message", "m1", Json{{"from", "m1"}, {"to", {"group:mediators"}}, {"text", "unseen"}});
  Add("message", "m1", Json{{"from", "m1"}, {"to", {"israel"}}, {"text", "relay"}});
  Add("message", "p1", Json{{"from", "p1"}, {"to", {"qatar"}}, {"text", "aside"}});

  Result<session::Trace> trace = Export();
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  EXPECT_EQ(trace->protocol, std::string(session::kLegacyLiveProtocol));
  EXPECT_EQ(trace->strategies.at(0), "human");     // israel, a person
  EXPECT_EQ(trace->strategies.at(1), "boulware");  // hamas, an engine
  const std::size_t qatar = *room_.scenario.FindParty("qatar");
  // The message to a working group only is not a party's; text_drafted is not a message.
  ASSERT_EQ(trace->events.size(), 5u);
  const auto& events = trace->events;
  EXPECT_EQ(events[0].message.type, protocols::ActionType::kOffer);
  EXPECT_EQ(events[0].message.text, "opening");
  EXPECT_EQ(events[0].message.recipients, std::vector<std::size_t>{qatar});
  EXPECT_EQ(events[1].message.sender, qatar);
  EXPECT_EQ(events[1].message.recipients, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(events[1].message.text, "text version 1: v1");
  EXPECT_EQ(events[2].message.type, protocols::ActionType::kReject);
  EXPECT_EQ(events[2].message.text, "text version 1; rejected clauses: ceasefire, withdrawal");
  EXPECT_EQ(events[3].message.type, protocols::ActionType::kRelay);
  EXPECT_EQ(events[3].message.text, "relay");
  EXPECT_EQ(events[4].message.type, protocols::ActionType::kConfide);
  EXPECT_EQ(events[4].message.sender, 0u);
  for (std::size_t event_idx = 0; event_idx < events.size(); ++event_idx) {
    EXPECT_EQ(events[event_idx].message.sequence, event_idx);
  }
  // Offers carry every scored party's utility; no agreement: the reservation values.
  const double israel_utility =
      room_.scenario.parties[0].preferences->utility->Evaluate(*events[0].message.outcome);
  EXPECT_DOUBLE_EQ(events[0].utilities.at(0), israel_utility);
  EXPECT_FALSE(trace->result.agreement);
  EXPECT_DOUBLE_EQ(trace->result.utilities.at(0),
                   room_.scenario.parties[0].preferences->ReservationOrZero());
  EXPECT_EQ(trace->result.end_reason, "in progress");
}

}  // namespace
}  // namespace parley::server::api
