// The step-by-step driver (Session, RebuildSession) and streaming (on_event, kept inboxes and
// events, the summarised gap curve, TraceStreamWriter). The conformance suite checks that both
// drivers give the same traces for every protocol and strategy; these tests pin the API's
// contract: what is awaited, what is refused, what a rebuild reports, what streaming keeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "parley/base/file.h"
#include "parley/session/session.h"
#include "parley/session/testing/scenarios.h"
#include "parley/session/trace_json.h"

namespace parley::session {
namespace {

using protocols::Action;
using protocols::ActionType;
using testing::RandomScenario;

Action Simple(ActionType type) {
  Action action;
  action.type = type;
  return action;
}

std::string Bytes(const model::Scenario& scenario, Trace trace) {
  trace.result.elapsed_ms = 0;
  return WriteTraceJson(scenario, trace);
}

// Single text with two principals (persons) and a mediator (an engine).
SessionConfig SingleTextWithPersons() {
  SessionConfig config;
  config.protocol = "single_text";
  config.rounds = 6;
  config.seed = 3;
  config.persons = {{0, "person"}, {1, "person"}};
  config.strategies = {{2, "split_the_difference"}};
  return config;
}

TEST(SessionDriverTest, AwaitsEveryVoterAtOnceAndTakesAnswersInAnyOrder) {
  const model::Scenario scenario = RandomScenario(2, 11);
  Result<std::unique_ptr<Session>> started = Session::Start(scenario, SingleTextWithPersons());
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  Session& session = **started;
  // The mediator (an engine) drafted at once; both principals are asked to vote together.
  std::vector<PendingAsk> pending = session.Awaiting();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].party, 0u);
  EXPECT_EQ(pending[1].party, 1u);
  EXPECT_LT(pending[0].ask, pending[1].ask);
  ASSERT_TRUE(pending[0].request.standing_offer.has_value());
  // The text they vote on reached both inboxes before they were asked.
  EXPECT_EQ(session.View(0).inbox().size(), 1u);
  EXPECT_EQ(session.View(1).inbox().size(), 1u);
  // The second voter answers first: nothing moves until the first has answered too.
  ASSERT_TRUE(session.Submit(pending[1].ask, 1, Simple(ActionType::kAccept)).ok());
  EXPECT_EQ(session.Awaiting().size(), 1u);
  EXPECT_EQ(session.View(2).inbox().size(), 0u);  // the mediator has no vote yet
  ASSERT_TRUE(session.Submit(pending[0].ask, 0, Simple(ActionType::kAccept)).ok());
  // Both votes were taken in the protocol's order (principal 0's first), and the next round's
  // votes are awaited.
  const protocols::Inbox& mediator = session.View(2).inbox();
  ASSERT_GE(mediator.size(), 2u);
  EXPECT_EQ(mediator[0].sender, 0u);
  EXPECT_EQ(mediator[1].sender, 1u);
  EXPECT_FALSE(session.Finished());
  EXPECT_EQ(session.Answers().size(), 2u);
  EXPECT_EQ(session.Answers()[0].party, 1u);  // the log keeps the order of submission
}

TEST(SessionDriverTest, RefusesWhatIsNotAllowedAndKeepsTheAskOpen) {
  const model::Scenario scenario = RandomScenario(2, 11);
  Result<std::unique_ptr<Session>> started = Session::Start(scenario, SingleTextWithPersons());
  ASSERT_TRUE(started.ok());
  Session& session = **started;
  const PendingAsk ask = session.Awaiting().front();
  Status offered = session.Submit(ask.ask, ask.party, Simple(ActionType::kRelay));
  EXPECT_EQ(offered.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(offered.message().find("'relay' is not allowed here"), std::string::npos)
      << offered.message();
  Action outside = Simple(ActionType::kVote);  // a vote needs accept or reject
  EXPECT_NE(session.Submit(ask.ask, ask.party, outside).message().find("accept or reject"),
            std::string::npos);
  EXPECT_EQ(session.Submit(ask.ask + 100, ask.party, Simple(ActionType::kAccept)).code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(session.Submit(ask.ask, 1 - ask.party, Simple(ActionType::kAccept)).code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(session.Awaiting().size(), 2u);
  EXPECT_TRUE(session.Answers().empty());
  ASSERT_TRUE(session.Submit(ask.ask, ask.party, Simple(ActionType::kReject)).ok());
  EXPECT_NE(
      session.Submit(ask.ask, ask.party, Simple(ActionType::kReject)).message().find("no ask"),
      std::string::npos);  // answered and taken: no longer open
  // Recorded instead of refused: illegal, replaced by the fallback, in the trace.
  const PendingAsk other = session.Awaiting().front();
  ASSERT_TRUE(
      session.Submit(other.ask, other.party, Simple(ActionType::kRelay), IllegalAnswer::kRecord)
          .ok());
  session.Close("closed by the chair");
  ASSERT_TRUE(session.Finished());
  Result<Trace> trace = session.Finish();
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->result.end_reason, "closed by the chair");
  ASSERT_EQ(trace->result.illegal_actions.size(), 1u);
  EXPECT_EQ(trace->result.illegal_actions[0].party, other.party);
  EXPECT_EQ(trace->strategies.at(0), "person");
  EXPECT_FALSE(session.Finish().ok());  // once
}

TEST(SessionDriverTest, RebuildingFromTheAnswersRestoresTheSession) {
  const model::Scenario scenario = RandomScenario(2, 5);
  SessionConfig config = SingleTextWithPersons();
  Result<std::unique_ptr<Session>> started = Session::Start(scenario, config);
  ASSERT_TRUE(started.ok());
  Session& session = **started;
  // Persons who accept every other text.
  for (int step = 0; step < 7 && !session.Finished(); ++step) {
    const PendingAsk ask = session.Awaiting().back();
    ASSERT_TRUE(session
                    .Submit(ask.ask, ask.party,
                            Simple(step % 2 ? ActionType::kAccept : ActionType::kReject))
                    .ok());
  }
  Result<std::unique_ptr<Session>> rebuilt = RebuildSession(scenario, config, session.Answers());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  ASSERT_EQ((*rebuilt)->Awaiting().size(), session.Awaiting().size());
  for (std::size_t idx = 0; idx < session.Awaiting().size(); ++idx) {
    EXPECT_EQ((*rebuilt)->Awaiting()[idx].ask, session.Awaiting()[idx].ask);
  }
  EXPECT_EQ((*rebuilt)->View(2).inbox().size(), session.View(2).inbox().size());
  session.Close("stop");
  (*rebuilt)->Close("stop");
  EXPECT_EQ(Bytes(scenario, *session.Finish()), Bytes(scenario, *(*rebuilt)->Finish()));

  // A record that does not fit the rules names the first answer that does not.
  std::vector<RecordedAnswer> wrong = session.Answers();
  wrong[1].action = Simple(ActionType::kOffer);
  Result<std::unique_ptr<Session>> refused = RebuildSession(scenario, config, wrong);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().location().field, "answers[1]");
  EXPECT_NE(refused.status().message().find("not allowed"), std::string::npos);
}

TEST(SessionDriverTest, PersonSeatsAreCheckedAndRunSessionPlaysEnginesOnly) {
  const model::Scenario scenario = RandomScenario(2, 5);
  SessionConfig config = SingleTextWithPersons();
  config.persons[3] = "person";  // the disabled mediator
  EXPECT_EQ(Session::Start(scenario, config).status().location().field, "persons.off");
  EXPECT_EQ(RunSession(scenario, SingleTextWithPersons()).status().code(),
            ErrorCode::kInvalidInput);
}

// ---------------------------------------------------------------- streaming

SessionConfig LongSession(int rounds) {
  SessionConfig config;
  config.protocol = "alternating_offers";
  config.rounds = rounds;
  config.seed = 9;
  config.strategies = {{0, "boulware"}, {1, "hardliner"}};
  return config;
}

TEST(SessionStreamingTest, TheSummarisedGapCurveIsEvenlySpacedPlusTheLast) {
  const model::Scenario scenario = RandomScenario(2, 21);
  for (int rounds : {1, 7, 64, 300, 1001}) {
    Result<Trace> full = RunSession(scenario, LongSession(rounds));
    ASSERT_TRUE(full.ok());
    for (std::size_t points : {1u, 4u, 16u}) {
      SessionConfig config = LongSession(rounds);
      config.gap_points = points;
      Result<Trace> summary = RunSession(scenario, config);
      ASSERT_TRUE(summary.ok());
      const std::vector<GapSample>& all = full->result.gaps;
      const std::vector<GapSample>& kept = summary->result.gaps;
      ASSERT_FALSE(all.empty());
      ASSERT_LE(kept.size(), points + 1) << rounds << " rounds, " << points << " points";
      EXPECT_EQ(kept.front().round, all.front().round);
      EXPECT_EQ(kept.back().round, all.back().round);
      if (all.size() > 2 * points) {
        EXPECT_GE(kept.size(), points / 2 + 1);
      }
      // Every kept sample is the full curve's at a multiple of one stride.
      std::size_t stride =
          kept.size() > 2 ? static_cast<std::size_t>(kept[1].round - kept[0].round) : 1;
      for (std::size_t idx = 0; idx < kept.size(); ++idx) {
        const GapSample& sample = kept[idx];
        auto same = std::find_if(all.begin(), all.end(),
                                 [&](const GapSample& s) { return s.round == sample.round; });
        ASSERT_NE(same, all.end());
        EXPECT_EQ(same->issue_gaps, sample.issue_gaps);
        EXPECT_EQ(same->overall, sample.overall);
        if (idx + 1 < kept.size()) {
          EXPECT_EQ(static_cast<std::size_t>(sample.round - kept[0].round), idx * stride);
        }
      }
      // Nothing else in the result changes.
      Trace left = *full;
      Trace right = *summary;
      left.result.gaps.clear();
      right.result.gaps.clear();
      EXPECT_EQ(Bytes(scenario, left), Bytes(scenario, right));
    }
  }
}

TEST(SessionStreamingTest, StreamedEventsAndShortInboxesGiveTheSameSession) {
  const model::Scenario scenario = RandomScenario(3, 4);
  for (const char* protocol : {"alternating_offers", "shuttle", "single_text", "phased", "mopac"}) {
    SessionConfig config;
    config.protocol = protocol;
    config.rounds = 30;
    config.seed = 2;
    Result<Trace> kept = RunSession(scenario, config);
    ASSERT_TRUE(kept.ok()) << protocol << ": " << kept.status().ToString();
    std::vector<TraceEvent> streamed;
    std::vector<GapSample> samples;
    config.keep_events = false;
    config.keep_inboxes = false;
    config.on_event = [&](const TraceEvent& event) { streamed.push_back(event); };
    config.on_gap = [&](const GapSample& sample) { samples.push_back(sample); };
    Result<Trace> lean = RunSession(scenario, config);
    ASSERT_TRUE(lean.ok());
    EXPECT_TRUE(lean->events.empty());
    EXPECT_EQ(lean->result.messages, kept->events.size()) << protocol;
    EXPECT_EQ(samples.size(), kept->result.gaps.size()) << protocol;
    lean->events = streamed;
    EXPECT_EQ(Bytes(scenario, *lean), Bytes(scenario, *kept)) << protocol;
  }
}

TEST(SessionStreamingTest, InboxesKeepWhatTheirPartyHasNotHadATurnToRead) {
  const model::Scenario scenario = RandomScenario(2, 4);
  SessionConfig config = LongSession(50);
  config.strategies = {{0, "hardliner"}, {1, "hardliner"}};
  config.keep_inboxes = false;
  std::vector<std::size_t> kept;
  std::vector<std::size_t> total;
  config.on_view = [&](const protocols::PartyView& view) {
    kept.push_back(view.inbox().size() - view.inbox().first());
    total.push_back(view.inbox().size());
  };
  Result<Trace> trace = RunSession(scenario, config);
  ASSERT_TRUE(trace.ok());
  ASSERT_FALSE(trace->result.agreement);
  ASSERT_EQ(kept.size(), 3u);  // two principals and the enabled mediator
  EXPECT_EQ(total[0], 100u);   // every offer went to both principals
  EXPECT_EQ(total[1], 100u);
  EXPECT_LE(kept[0], 4u);  // since the start of its previous turn
  EXPECT_LE(kept[1], 4u);
}

TEST(TraceStreamWriterTest, WritesWhatWriteTraceJsonWritesAsTheSessionGoes) {
  const model::Scenario scenario = RandomScenario(2, 8);
  const std::string path =
      (std::filesystem::temp_directory_path() / "parley_stream_writer_test.json").string();
  for (int rounds : {1, 40, 500}) {
    SessionConfig config = LongSession(rounds);
    TraceStreamWriter writer(scenario, path);
    Status started;
    std::size_t written_at_first_event = 0;
    config.on_start = [&](const Trace& head) {
      Trace with_files = head;
      with_files.scenario_files = {"scenario.yaml"};
      started = writer.Start(with_files);
    };
    config.on_event = [&](const TraceEvent& event) {
      if (written_at_first_event == 0) {
        written_at_first_event = std::filesystem::file_size(path);  // the head is on disk
      }
      writer.Event(event);
    };
    config.on_gap = [&](const GapSample& sample) { writer.Gap(sample); };
    config.keep_events = false;
    config.gap_points = 3;
    Result<Trace> trace = RunSession(scenario, config);
    ASSERT_TRUE(trace.ok());
    ASSERT_TRUE(started.ok());
    trace->scenario_files = {"scenario.yaml"};
    ASSERT_TRUE(writer.Finish(*trace).ok());
    EXPECT_GT(written_at_first_event, 0u);

    SessionConfig whole = LongSession(rounds);
    Result<Trace> reference = RunSession(scenario, whole);
    ASSERT_TRUE(reference.ok());
    reference->scenario_files = {"scenario.yaml"};
    reference->result.elapsed_ms = trace->result.elapsed_ms;
    Result<std::string> written = ReadFileToString(path, std::uint64_t{1} << 30);
    ASSERT_TRUE(written.ok());
    EXPECT_EQ(*written, WriteTraceJson(scenario, *reference)) << rounds << " rounds";

    // Cut short, as a killed run leaves it: refused as incomplete, never read as finished.
    std::string cut = written->substr(0, written->find("\n  \"result\""));
    Result<TraceHeader> header = ReadTraceHeader(cut, "cut.json");
    ASSERT_FALSE(header.ok());
    EXPECT_NE(header.status().message().find("the trace is incomplete"), std::string::npos)
        << header.status().message();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace parley::session
