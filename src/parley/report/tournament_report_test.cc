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
    std::string strategy;
    for (pugi::xml_node text : cell.next_sibling().child("code").children()) {
      strategy += text.value();  // the spec's text between its <wbr/> break points
    }
    EXPECT_EQ(strategy, summary[row_idx].strategy);
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

// Sessions of the given strategies on one scenario, each strategy's utility fixed.
tournament::ResultsTable FixedUtilities(const std::vector<std::pair<std::string, double>>& plays) {
  tournament::ResultsTable table;
  table.num_parties = 2;
  int session_idx = 0;
  for (int repetition = 1; repetition <= 3; ++repetition) {
    for (const auto& [first, first_utility] : plays) {
      for (const auto& [second, second_utility] : plays) {
        tournament::SessionRecord record;
        record.session = "s" + std::to_string(session_idx++);
        record.config = "c0ffee";
        record.scenario = "alpha";
        record.scenario_path = "alpha.yaml";
        record.repetition = repetition;
        record.protocol = "alternating_offers";
        record.agreement = true;
        record.welfare = first_utility + second_utility;
        record.rounds = 10;
        record.end_reason = "agreement";
        record.parties = {{"p1", first, first_utility, first_utility},
                          {"p2", second, second_utility, second_utility}};
        table.records.push_back(record);
      }
    }
  }
  return table;
}

std::string ScenarioRowBest(const std::string& html) {
  pugi::xml_document document;
  EXPECT_TRUE(document.load_string(html.c_str()));
  pugi::xml_node row = ById(document, "scenarios").child("table").child("tbody").child("tr");
  pugi::xml_node last;
  for (pugi::xml_node cell : row.children("td")) last = cell;
  std::string text;
  last.find_node([&](pugi::xml_node node) {
    if (node.type() == pugi::node_pcdata) text += node.value();
    return false;
  });
  return text;
}

TEST(TournamentReportTest, EqualMeansAreATieNotAWinner) {
  Result<std::string> tied =
      TournamentReportHtml(FixedUtilities({{"boulware", 0.5}, {"conceder", 0.5}}));
  ASSERT_TRUE(tied.ok());
  EXPECT_EQ(ScenarioRowBest(*tied), "tie: all 2 strategies (0.500)");
  EXPECT_NE(tied->find("Highest mean utility: a tie between"), std::string::npos);
  Result<std::string> partly = TournamentReportHtml(
      FixedUtilities({{"boulware", 0.5}, {"conceder", 0.5}, {"hardliner", 0.2}}));
  ASSERT_TRUE(partly.ok());
  EXPECT_EQ(ScenarioRowBest(*partly), "tie: boulware, conceder (0.500)");
  Result<std::string> won =
      TournamentReportHtml(FixedUtilities({{"boulware", 0.5}, {"conceder", 0.4}}));
  ASSERT_TRUE(won.ok());
  EXPECT_EQ(ScenarioRowBest(*won), "boulware (0.500)");
}

TEST(TournamentReportTest, ShadingIsScaledWithinEachScenario) {
  // 0.25 against 0.26: a plain 0..1 scale made these 0.14 and 0.14 in opacity.
  Result<std::string> html =
      TournamentReportHtml(FixedUtilities({{"boulware", 0.26}, {"conceder", 0.25}}));
  ASSERT_TRUE(html.ok());
  pugi::xml_document document;
  ASSERT_TRUE(document.load_string(html->c_str()));
  std::vector<pugi::xml_node> shades = WithClass(ById(document, "scenarios"), "shade");
  ASSERT_EQ(shades.size(), 2u);
  const double best = shades[0].attribute("data-alpha").as_double();
  const double worst = shades[1].attribute("data-alpha").as_double();
  EXPECT_GT(best - worst, 0.5) << "the better strategy on the scenario is clearly darker";
}

TEST(TournamentReportTest, TheRankingFitsInEightColumnsAndLongSpecsMayWrap) {
  Result<std::string> html = TournamentReportHtml(
      FixedUtilities({{"frequency_boulware(e=0.2,model=frequency,window=0.02)", 0.5},
                      {"tit_for_tat(mode=absolute)", 0.4}}));
  ASSERT_TRUE(html.ok());
  pugi::xml_document document;
  ASSERT_TRUE(document.load_string(html->c_str()));
  pugi::xml_node table = ById(document, "ranking").child("table");
  EXPECT_TRUE(HasClass(table, "ranking"));
  std::size_t columns = 0;
  for (pugi::xml_node header : table.child("thead").child("tr").children("th")) {
    (void)header;
    ++columns;
  }
  EXPECT_EQ(columns, 8u);
  EXPECT_NE(html->find("frequency_<wbr/>boulware(<wbr/>e=<wbr/>0.2,<wbr/>"), std::string::npos);
}

}  // namespace
}  // namespace parley::report
