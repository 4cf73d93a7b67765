#include "parley/report/tournament_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <pugixml.hpp>
#include <sstream>

#include "parley/tournament/statistics.h"

namespace parley::report {
namespace {

bool HasClass(pugi::xml_node node, const std::string& css_class) {
  std::istringstream classes(node.attribute("class").value());
  std::string name;
  while (classes >> name) {
    if (name == css_class) return true;
  }
  return false;
}

std::vector<pugi::xml_node> WithClass(pugi::xml_node root, const std::string& css_class) {
  std::vector<pugi::xml_node> found;
  root.find_node([&](pugi::xml_node node) {
    if (HasClass(node, css_class)) found.push_back(node);
    return false;
  });
  return found;
}

pugi::xml_node ById(pugi::xml_node root, const std::string& id) {
  return root.find_node([&](pugi::xml_node node) { return id == node.attribute("id").value(); });
}

// Sessions of two strategies (names with markup characters) on two scenarios: the first strategy
// does better, agreements in some sessions.
tournament::ResultsTable MakeResults() {
  tournament::ResultsTable table;
  table.num_parties = 2;
  const std::vector<std::string> strategies = {"tough & <firm>", "soft \"yielding\""};
  int session_idx = 0;
  for (const char* scenario : {"alpha", "beta"}) {
    for (int repetition = 1; repetition <= 4; ++repetition) {
      for (std::size_t first = 0; first < 2; ++first) {
        for (std::size_t second = 0; second < 2; ++second) {
          tournament::SessionRecord record;
          record.session = "s" + std::to_string(session_idx);
          record.config = "c0ffee";
          record.scenario = scenario;
          record.scenario_path = std::string(scenario) + ".yaml";
          record.repetition = repetition;
          record.protocol = "alternating_offers";
          record.agreement = (session_idx % 3) != 0;
          double bonus = 0.01 * repetition;
          double u1 = (first == 0 ? 0.7 : 0.4) + bonus;
          double u2 = (second == 0 ? 0.65 : 0.35) + bonus;
          record.welfare = u1 + u2;
          record.distance_to_nash = 0.1 * repetition;
          record.rounds = 10;
          record.end_reason = record.agreement ? "agreement" : "deadline";
          record.parties = {{"p1", strategies[first], u1, u1 - 0.3},
                            {"p2", strategies[second], u2, u2 - 0.3}};
          table.records.push_back(record);
          ++session_idx;
        }
      }
    }
  }
  return table;
}

TEST(TournamentReportTest, RankingTableAndBoxPlotsFollowTheResults) {
  tournament::ResultsTable results = MakeResults();
  Result<std::string> html = TournamentReportHtml(results);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  pugi::xml_document document;
  ASSERT_TRUE(document.load_string(html->c_str()));

  std::vector<tournament::StrategySummary> summary = tournament::Summarize(results.records);
  pugi::xml_node ranking = ById(document, "ranking");
  ASSERT_TRUE(ranking);
  pugi::xml_node body = ranking.child("table").child("tbody");
  std::vector<pugi::xml_node> rows;
  for (pugi::xml_node row : body.children("tr")) rows.push_back(row);
  ASSERT_EQ(rows.size(), summary.size());
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    pugi::xml_node cell = rows[row_idx].first_child();
    EXPECT_EQ(std::string(cell.child_value()), std::to_string(summary[row_idx].rank));
    EXPECT_EQ(std::string(cell.next_sibling().child("code").child_value()),
              summary[row_idx].strategy);
  }
  EXPECT_EQ(summary.front().strategy, "tough & <firm>");

  // One box per strategy holding each of its observations, with their median.
  pugi::xml_node utility = ById(document, "utility-boxplot");
  ASSERT_TRUE(utility);
  std::vector<pugi::xml_node> boxes = WithClass(utility, "boxplot");
  ASSERT_EQ(boxes.size(), summary.size());
  for (std::size_t box_idx = 0; box_idx < boxes.size(); ++box_idx) {
    const std::string strategy = summary[box_idx].strategy;
    EXPECT_EQ(std::string(boxes[box_idx].attribute("data-group").value()), strategy);
    std::vector<double> values;
    for (const tournament::SessionRecord& record : results.records) {
      for (const tournament::PartyRecord& party : record.parties) {
        if (party.strategy == strategy) values.push_back(*party.utility);
      }
    }
    EXPECT_EQ(boxes[box_idx].attribute("data-count").as_ullong(), values.size());
    EXPECT_EQ(values.size(), summary[box_idx].observations);
    std::sort(values.begin(), values.end());
    double median = (values[values.size() / 2 - 1] + values[values.size() / 2]) / 2;
    EXPECT_NEAR(boxes[box_idx].attribute("data-median").as_double(), median, 1e-6);
  }
  // Category labels are the strategy names, escaped.
  std::string labels;
  utility.find_node([&](pugi::xml_node node) {
    if (HasClass(node, "tick-label")) labels += std::string(node.child_value()) + "|";
    return false;
  });
  EXPECT_NE(labels.find("tough & <firm>|"), std::string::npos) << labels;
  EXPECT_NE(labels.find("soft \"yielding\"|"), std::string::npos) << labels;

  std::vector<pugi::xml_node> bars = WithClass(ById(document, "agreement-bars"), "bar");
  ASSERT_EQ(bars.size(), summary.size());
  for (std::size_t bar_idx = 0; bar_idx < bars.size(); ++bar_idx) {
    EXPECT_NEAR(bars[bar_idx].attribute("data-value").as_double(), summary[bar_idx].agreement_rate,
                1e-6);
  }
  EXPECT_TRUE(ById(document, "welfare-boxplot"));
  EXPECT_TRUE(ById(document, "nash-boxplot"));
  EXPECT_TRUE(ById(document, "scenarios"));
  EXPECT_TRUE(ById(document, "assumptions"));
  EXPECT_EQ(html->find("<script"), std::string::npos);
}

TEST(TournamentReportTest, EmptyResultsAreRefused) {
  tournament::ResultsTable empty;
  EXPECT_EQ(TournamentReportHtml(empty).status().code(), ErrorCode::kInvalidInput);
}

TEST(TournamentReportTest, TellsResultsFilesApart) {
  EXPECT_TRUE(LooksLikeResultsCsvHeader("session,config,scenario,scenario_path,repetition"));
  EXPECT_FALSE(LooksLikeResultsCsvHeader("scenario,protocol,strategies,seed"));
  EXPECT_TRUE(LooksLikeResultsJsonRow(R"({"session":"a","config":"b","scenario":"c"})"));
  EXPECT_FALSE(LooksLikeResultsJsonRow(R"({"parley": 1, "name": "x"})"));
  EXPECT_FALSE(LooksLikeResultsJsonRow("{not json"));
}

}  // namespace
}  // namespace parley::report
