// Structural tests of the HTML reports: each page is parsed as XML and its pictures are checked
// against the analysis and the trace they were drawn from (frontier vertices, the Nash marker's
// position, one offers path per party with one vertex per offer, the agreement marker present
// exactly when there was an agreement), plus escaping, huge spaces and party choice.
#include "parley/report/html_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <pugixml.hpp>
#include <random>
#include <set>
#include <sstream>

#include "parley/analysis/pareto.h"
#include "parley/io/scenario_io.h"
#include "parley/report/charts.h"
#include "parley/report/utility_space.h"
#include "parley/session/session.h"

namespace parley::report {
namespace {

// Names with every character XML treats specially.
constexpr const char* kDealYaml = R"yaml(
parley: 1
name: "Tom & Jerry's <deal>"
meta:
  title: "Cheese & crackers: \"the <big> deal\""
  banner: "Fictional & small <b>test</b>"
issues:
  - id: price
    name: "Price & terms"
    ordered: true
    options: [low, mid, high]
  - id: delivery
    options: [fast, normal, slow]
  - id: warranty
    options: [none, one_year, two_years]
parties:
  - id: buyer
    name: "Buyer <Co> & \"sons\""
    role: principal
    preferences:
      weights: {price: 0.5, delivery: 0.3, warranty: 0.2}
      values:
        price: {low: 1.0, mid: 0.6, high: 0.0}
        delivery: {fast: 1.0, normal: 0.5, slow: 0.0}
        warranty: {none: 0.0, one_year: 0.6, two_years: 1.0}
      reservation: {value: 0.3, source: assumption, note: "walk-away & <guess>"}
  - id: seller
    name: Seller
    role: principal
    preferences:
      weights: {price: 0.6, delivery: 0.2, warranty: 0.2}
      values:
        price: {low: 0.0, mid: 0.7, high: 1.0}
        delivery: {fast: 0.0, normal: 0.6, slow: 1.0}
        warranty: {none: 1.0, one_year: 0.5, two_years: 0.0}
      reservation: 0.3
  - id: broker
    name: Broker
    role: mediator
)yaml";

model::Scenario DealScenario() {
  Result<model::Scenario> scenario = io::ReadParleyYaml(kDealYaml, "deal.yaml");
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return std::move(scenario).value();
}

model::Scenario Example(const std::string& name) {
  Result<model::Scenario> scenario =
      io::LoadScenario(std::string(PARLEY_SOURCE_DIR) + "/examples/" + name);
  EXPECT_TRUE(scenario.ok()) << scenario.status().ToString();
  return std::move(scenario).value();
}

// A parsed page and lookups into it.
struct Page {
  pugi::xml_document document;

  explicit Page(const std::string& html) {
    pugi::xml_parse_result parsed = document.load_string(html.c_str());
    EXPECT_TRUE(parsed) << "the page is not well-formed XML: " << parsed.description()
                        << " at offset " << parsed.offset << ": "
                        << html.substr(static_cast<std::size_t>(
                                           std::max<std::ptrdiff_t>(0, parsed.offset - 80)),
                                       160);
  }

  pugi::xml_node ById(const std::string& id) const {
    return document.find_node(
        [&](pugi::xml_node node) { return id == node.attribute("id").value(); });
  }
};

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

// All text below a node.
std::string AllText(pugi::xml_node node) {
  std::string text;
  node.find_node([&](pugi::xml_node child) {
    if (child.type() == pugi::node_pcdata) text += child.value();
    return false;
  });
  return text;
}

// Maps data coordinates to the pixels of a chart, from its plot group and plot area.
struct Scale {
  double x_low = 0, x_high = 1, y_low = 0, y_high = 1;
  double left = 0, top = 0, width = 0, height = 0;

  explicit Scale(pugi::xml_node svg) {
    pugi::xml_node plot = WithClass(svg, "plot").at(0);
    std::istringstream(plot.attribute("data-x-domain").value()) >> x_low >> x_high;
    std::istringstream(plot.attribute("data-y-domain").value()) >> y_low >> y_high;
    pugi::xml_node area = WithClass(svg, "plot-area").at(0);
    left = area.attribute("x").as_double();
    top = area.attribute("y").as_double();
    width = area.attribute("width").as_double();
    height = area.attribute("height").as_double();
  }
  double X(double x) const { return left + (x - x_low) / (x_high - x_low) * width; }
  double Y(double y) const { return top + height - (y - y_low) / (y_high - y_low) * height; }
};

// Vertices of a path written "Mx y Lx y ... [Z]".
std::vector<std::pair<double, double>> Vertices(pugi::xml_node path) {
  std::string d = path.attribute("d").value();
  for (char& c : d) {
    if (c == 'M' || c == 'L' || c == 'Z') c = ' ';
  }
  std::istringstream in(d);
  std::vector<std::pair<double, double>> vertices;
  double x = 0;
  double y = 0;
  while (in >> x >> y) vertices.emplace_back(x, y);
  return vertices;
}

std::vector<std::pair<double, double>> DistinctUtilities(const analysis::ParetoFrontier& frontier) {
  std::vector<std::pair<double, double>> points;
  for (const analysis::ParetoPoint& point : frontier.points) {
    std::pair<double, double> next{point.utilities[0], point.utilities[1]};
    if (points.empty() || points.back() != next) points.push_back(next);
  }
  return points;
}

void ExpectPathThrough(pugi::xml_node path, const Scale& scale,
                       const std::vector<std::pair<double, double>>& points) {
  std::vector<std::pair<double, double>> vertices = Vertices(path);
  ASSERT_EQ(vertices.size(), points.size());
  for (std::size_t point_idx = 0; point_idx < points.size(); ++point_idx) {
    EXPECT_NEAR(vertices[point_idx].first, scale.X(points[point_idx].first), 0.02) << point_idx;
    EXPECT_NEAR(vertices[point_idx].second, scale.Y(points[point_idx].second), 0.02) << point_idx;
  }
}

TEST(ScenarioReportTest, FrontierAndNashPointAreDrawnWhereTheAnalysisPutsThem) {
  model::Scenario scenario = DealScenario();
  Result<std::string> html = ScenarioReportHtml(scenario);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  Page page(*html);
  pugi::xml_node svg = page.ById("utility-space-chart");
  ASSERT_TRUE(svg);
  Scale scale(svg);

  analysis::AnalysisOptions options;
  options.parties = {0, 1};
  Result<analysis::ScenarioAnalysis> analysis = analysis::AnalyzeScenario(scenario, options);
  ASSERT_TRUE(analysis.ok());
  std::vector<pugi::xml_node> frontier = WithClass(svg, "frontier");
  ASSERT_EQ(frontier.size(), 1u);
  ExpectPathThrough(frontier[0], scale, DistinctUtilities(analysis->pareto));

  ASSERT_TRUE(analysis->solutions.nash.defined);
  const std::vector<double>& nash = analysis->solutions.nash.points.front().utilities;
  std::vector<pugi::xml_node> markers = WithClass(svg, "nash");
  ASSERT_EQ(markers.size(), 1u);
  EXPECT_NEAR(markers[0].attribute("data-utility-x").as_double(), nash[0], 1e-6);
  EXPECT_NEAR(markers[0].attribute("data-utility-y").as_double(), nash[1], 1e-6);
  // The diamond's centre is the mean of its four corners.
  std::vector<std::pair<double, double>> corners = Vertices(markers[0]);
  ASSERT_EQ(corners.size(), 4u);
  double cx = 0;
  double cy = 0;
  for (const auto& [x, y] : corners) {
    cx += x / 4;
    cy += y / 4;
  }
  EXPECT_NEAR(cx, scale.X(nash[0]), 0.02);
  EXPECT_NEAR(cy, scale.Y(nash[1]), 0.02);
  EXPECT_EQ(WithClass(svg, "kalai-smorodinsky").size(), 1u);
  EXPECT_EQ(WithClass(svg, "utilitarian").size(), 1u);

  // Axis labels name the parties; every outcome is a dot (27 outcomes, none forbidden).
  std::vector<pugi::xml_node> labels = WithClass(svg, "axis-label");
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(std::string(labels[0].child_value()), "Utility of Buyer <Co> & \"sons\"");
  EXPECT_EQ(std::string(labels[1].child_value()), "Utility of Seller");
  std::vector<pugi::xml_node> allowed = WithClass(svg, "allowed");
  ASSERT_EQ(allowed.size(), 1u);
  EXPECT_STREQ(allowed[0].attribute("data-count").value(), "27");
  EXPECT_TRUE(WithClass(svg, "forbidden").empty());
  EXPECT_EQ(WithClass(svg, "zone").size(), 1u);
  EXPECT_EQ(WithClass(svg, "reservation").size(), 2u);
  EXPECT_TRUE(WithClass(svg, "offers").empty());
  EXPECT_TRUE(WithClass(svg, "agreement").empty());
  EXPECT_FALSE(WithClass(svg, "legend").empty());
}

TEST(ScenarioReportTest, NamesWithMarkupCharactersAreEscapedEverywhere) {
  model::Scenario scenario = DealScenario();
  Result<std::string> html = ScenarioReportHtml(scenario);
  ASSERT_TRUE(html.ok());
  Page page(*html);
  pugi::xml_node head_title = page.document.child("html").child("head").child("title");
  EXPECT_EQ(std::string(head_title.child_value()).rfind(scenario.meta.title, 0), 0u);
  pugi::xml_node h1 =
      page.document.find_node([](pugi::xml_node node) { return std::string(node.name()) == "h1"; });
  EXPECT_EQ(std::string(h1.child_value()), scenario.meta.title);
  // The banner's "<b>" is text, not an element.
  pugi::xml_node banner = WithClass(page.document, "banner").at(0);
  EXPECT_FALSE(banner.child("b"));
  EXPECT_NE(AllText(banner).find("Fictional & small <b>test</b>"), std::string::npos);
  EXPECT_NE(AllText(page.document).find("walk-away & <guess>"), std::string::npos);
  EXPECT_NE(AllText(page.document).find("Tom & Jerry's <deal>"), std::string::npos);
  // Nothing a browser would fetch or run.
  EXPECT_EQ(html->find("<script"), std::string::npos);
  EXPECT_EQ(html->find("http://"), html->find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(html->find("https://"), std::string::npos);
  EXPECT_EQ(html->find("<link"), std::string::npos);
}

TEST(ScenarioReportTest, SamePageForTheSameInput) {
  model::Scenario scenario = Example("ceasefire.yaml");
  Result<std::string> first = ScenarioReportHtml(scenario);
  Result<std::string> second = ScenarioReportHtml(scenario);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
}

TEST(ScenarioReportTest, RedLinesThatExcludeEveryOutcomeShowWhatIgnoringThemWouldGive) {
  model::Scenario scenario = Example("ceasefire.yaml");
  Result<std::string> html = ScenarioReportHtml(scenario);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  Page page(*html);
  pugi::xml_node svg = page.ById("utility-space-chart");
  ASSERT_TRUE(svg);
  Scale scale(svg);
  EXPECT_TRUE(WithClass(svg, "frontier").empty());
  analysis::ParetoOptions options;
  options.parties = scenario.PrincipalIndices();
  options.respect_red_lines = false;
  Result<analysis::ParetoFrontier> ignoring = analysis::ComputeParetoFrontier(scenario, options);
  ASSERT_TRUE(ignoring.ok());
  std::vector<pugi::xml_node> dashed = WithClass(svg, "frontier-ignoring-red-lines");
  ASSERT_EQ(dashed.size(), 1u);
  ExpectPathThrough(dashed[0], scale, DistinctUtilities(*ignoring));
  std::vector<pugi::xml_node> nash = WithClass(svg, "nash");
  ASSERT_EQ(nash.size(), 1u);
  EXPECT_TRUE(HasClass(nash[0], "ignoring-red-lines"));
  // 503,808 outcomes: a density, every one forbidden by a red line.
  std::vector<pugi::xml_node> forbidden = WithClass(svg, "forbidden");
  ASSERT_EQ(forbidden.size(), 1u);
  EXPECT_STREQ(forbidden[0].attribute("data-count").value(),
               scenario.BuildOutcomeSpace().Count().ToString().c_str());
  EXPECT_STREQ(forbidden[0].attribute("data-sampled").value(), "false");
  EXPECT_NE(AllText(WithClass(page.document, "verdict").at(0)).find("No deal is possible"),
            std::string::npos);

  // The banner comes before the first chart, and every assumption is listed.
  EXPECT_LT(html->find("Read this first."), html->find("<svg"));
  std::size_t assumptions = 0;
  for (const auto& [path, provenance] : scenario.provenance) {
    if (provenance.source == model::Source::kAssumption) ++assumptions;
  }
  pugi::xml_node section = page.ById("assumptions");
  ASSERT_TRUE(section);
  pugi::xml_node details = section.child("details");
  ASSERT_TRUE(details);
  EXPECT_NE(std::string(details.child("summary").child_value()).find(std::to_string(assumptions)),
            std::string::npos);
  std::size_t rows = 0;
  for (pugi::xml_node row : details.child("table").child("tbody").children("tr")) {
    (void)row;
    ++rows;
  }
  EXPECT_EQ(rows, assumptions);
}

// Two parties with additive utilities over 30 issues of 10 options: 10^30 outcomes.
model::Scenario HugeScenario() {
  model::Scenario scenario;
  scenario.name = "huge";
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0, 1);
  constexpr std::size_t kIssues = 30;
  for (std::size_t issue_idx = 0; issue_idx < kIssues; ++issue_idx) {
    std::vector<std::string> options;
    for (int option = 0; option < 10; ++option) options.push_back("o" + std::to_string(option));
    scenario.issues.push_back(model::Issue::Discrete("i" + std::to_string(issue_idx), options));
  }
  for (const char* id : {"a", "b"}) {
    std::vector<double> weights;
    std::vector<model::ValueFunction> values;
    for (std::size_t issue_idx = 0; issue_idx < kIssues; ++issue_idx) {
      weights.push_back(1.0 / kIssues);
      model::ValueFunction table;
      for (int option = 0; option < 10; ++option) table.table.push_back(unit(rng));
      values.push_back(table);
    }
    model::Party party;
    party.id = id;
    party.name = id;
    party.preferences = model::Preferences{};
    party.preferences->utility = std::make_shared<model::AdditiveUtility>(weights, values);
    party.preferences->reservation_value = 0.4;
    scenario.parties.push_back(party);
  }
  return scenario;
}

TEST(ScenarioReportTest, HugeSpaceIsSampledAndThePageSaysSo) {
  model::Scenario scenario = HugeScenario();
  UtilitySpaceOptions options;
  options.samples = 20'000;
  Result<UtilitySpace> space = ComputeUtilitySpace(scenario, {0, 1}, options);
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  EXPECT_TRUE(space->cloud.sampled);
  EXPECT_EQ(space->cloud.placed, options.samples);
  EXPECT_EQ(space->cloud.total.ToString(), "1" + std::string(30, '0'));
  EXPECT_FALSE(space->cloud.dots);
  std::uint64_t binned = 0;
  for (std::uint32_t count : space->cloud.allowed_counts) binned += count;
  for (std::uint32_t count : space->cloud.forbidden_counts) binned += count;
  EXPECT_EQ(binned, options.samples);

  HtmlReportOptions report_options;
  report_options.space = options;
  Result<std::string> html = ScenarioReportHtml(scenario, report_options);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  Page page(*html);
  pugi::xml_node svg = page.ById("utility-space-chart");
  ASSERT_TRUE(svg);
  std::string subtitle = AllText(WithClass(svg, "chart-subtitle").at(0));
  EXPECT_NE(subtitle.find("20,000 sampled outcomes"), std::string::npos) << subtitle;
  EXPECT_NE(subtitle.find("too many to enumerate"), std::string::npos) << subtitle;
  pugi::xml_node caption = page.ById("utility-space").child("figure").child("figcaption");
  EXPECT_NE(std::string(caption.child_value()).find("20,000 sampled outcomes"), std::string::npos);
  std::vector<pugi::xml_node> allowed = WithClass(svg, "allowed");
  ASSERT_EQ(allowed.size(), 1u);
  EXPECT_STREQ(allowed[0].attribute("data-sampled").value(), "true");
  // The exact additive frontier is still drawn.
  std::vector<pugi::xml_node> frontier = WithClass(svg, "frontier");
  ASSERT_EQ(frontier.size(), 1u);
  ExpectPathThrough(frontier[0], Scale(svg), DistinctUtilities(space->analysis.pareto));
}

TEST(ReportPartiesTest, DefaultsToTheFirstTwoPrincipalsAndChecksAChoice) {
  model::Scenario riverside = Example("riverside.yaml");
  std::vector<std::size_t> principals = riverside.PrincipalIndices();
  ASSERT_GE(principals.size(), 3u);
  Result<std::array<std::size_t, 2>> chosen = ChooseReportParties(riverside, "");
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ((*chosen)[0], principals[0]);
  EXPECT_EQ((*chosen)[1], principals[1]);
  std::string swapped =
      riverside.parties[principals[2]].id + "," + riverside.parties[principals[0]].id;
  chosen = ChooseReportParties(riverside, swapped);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ((*chosen)[0], principals[2]);
  EXPECT_EQ((*chosen)[1], principals[0]);
  EXPECT_EQ(ChooseReportParties(riverside, riverside.parties[principals[0]].id).status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(ChooseReportParties(riverside, "nobody,council").status().code(),
            ErrorCode::kInvalidInput);
  model::Scenario deal = DealScenario();
  EXPECT_EQ(ChooseReportParties(deal, "buyer,broker").status().code(), ErrorCode::kInvalidInput);
  // Three principals: the page says which pair it shows and that others exist.
  Result<std::string> html = ScenarioReportHtml(riverside);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  EXPECT_NE(html->find("--parties A,B"), std::string::npos);
}

// A session record made by hand: `offers[k]` offers from principal k (outcomes cycling through
// the space), alternating, then an agreement on the last offer or a deadline.
session::Trace HandMadeTrace(const model::Scenario& scenario, std::vector<int> offers,
                             bool agreement) {
  session::Trace trace;
  trace.scenario_name = scenario.name;
  trace.protocol = "alternating_offers(first=0)";
  trace.rounds = 50;
  trace.seed = 3;
  for (const model::Party& party : scenario.parties) {
    trace.parties.push_back(protocols::PublicParty{party.id, party.name, party.role});
  }
  std::vector<std::size_t> principals = scenario.PrincipalIndices();
  for (std::size_t party_idx : principals) trace.strategies[party_idx] = "hand";
  trace.result.scored_parties = scenario.PartiesWithPreferences();
  model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  std::uint64_t sequence = 0;
  int round = 0;
  std::optional<model::Outcome> last;
  while (offers[0] > 0 || offers[1] > 0) {
    for (std::size_t position = 0; position < 2; ++position) {
      if (offers[position] == 0) continue;
      --offers[position];
      session::TraceEvent event;
      event.message.sequence = sequence;
      event.message.round = round;
      event.message.sender = principals[position];
      event.message.recipients = {principals[1 - position]};
      event.message.type = protocols::ActionType::kOffer;
      event.message.outcome = space.OutcomeAt((sequence * 7) % *space.Count64());
      for (std::size_t party_idx : trace.result.scored_parties) {
        event.utilities.push_back(
            scenario.parties[party_idx].preferences->utility->Evaluate(*event.message.outcome));
      }
      last = event.message.outcome;
      trace.events.push_back(event);
      ++sequence;
    }
    session::GapSample gap;
    gap.round = round;
    gap.issue_gaps.assign(scenario.issues.size(), 1.0 / (round + 1));
    gap.overall = 1.0 / (round + 1);
    trace.result.gaps.push_back(gap);
    ++round;
  }
  trace.result.rounds = round;
  trace.result.agreement = agreement;
  trace.result.end_reason = agreement ? "agreement" : "deadline";
  if (agreement) {
    trace.result.outcome = last;
    trace.result.agreeing_parties = principals;
  }
  for (std::size_t party_idx : trace.result.scored_parties) {
    const model::Preferences& preferences = *scenario.parties[party_idx].preferences;
    double utility =
        agreement ? preferences.utility->Evaluate(*last) : preferences.ReservationOrZero();
    trace.result.utilities.push_back(utility);
    trace.result.raw_utilities.push_back(utility);
  }
  return trace;
}

void ExpectOffersAndAgreementDrawn(const model::Scenario& scenario, const session::Trace& trace) {
  Result<std::string> html = TraceReportHtml(scenario, trace);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  Page page(*html);
  pugi::xml_node svg = page.ById("utility-space-chart");
  ASSERT_TRUE(svg);
  Scale scale(svg);
  std::map<std::string, std::vector<std::pair<double, double>>> expected;
  for (const session::TraceEvent& event : trace.events) {
    if (event.message.type != protocols::ActionType::kOffer || !event.message.outcome) continue;
    const model::Outcome& outcome = *event.message.outcome;
    expected[scenario.parties[event.message.sender].id].emplace_back(
        scenario.parties[0].preferences->utility->Evaluate(outcome),
        scenario.parties[1].preferences->utility->Evaluate(outcome));
  }
  std::vector<pugi::xml_node> paths = WithClass(svg, "offers");
  ASSERT_EQ(paths.size(), expected.size());
  for (pugi::xml_node path : paths) {
    std::string party = path.attribute("data-party").value();
    ASSERT_TRUE(expected.count(party)) << party;
    ExpectPathThrough(path, scale, expected[party]);
    EXPECT_EQ(path.attribute("data-offers").as_ullong(), expected[party].size());
  }
  std::vector<pugi::xml_node> agreement = WithClass(svg, "agreement");
  EXPECT_EQ(agreement.size(), trace.result.agreement ? 1u : 0u);
  if (trace.result.agreement) {
    EXPECT_NEAR(agreement[0].attribute("data-utility-x").as_double(),
                scenario.parties[0].preferences->utility->Evaluate(*trace.result.outcome), 1e-6);
  }
  // The gap chart: one line per issue and the overall line, one vertex per gap sample.
  pugi::xml_node gaps = page.ById("gaps-chart");
  if (trace.result.gaps.empty()) {
    EXPECT_FALSE(gaps);
  } else {
    ASSERT_TRUE(gaps);
    std::vector<pugi::xml_node> lines = WithClass(gaps, "gap");
    const bool long_session = GapSmoothingWindow(trace.result.gaps.size()) > 1;
    EXPECT_EQ(lines.size(),
              std::min<std::size_t>(scenario.issues.size(), 8) + 1 + (long_session ? 1 : 0));
    for (pugi::xml_node line : lines) {
      EXPECT_EQ(Vertices(line).size(), trace.result.gaps.size());
    }
    EXPECT_EQ(WithClass(gaps, "overall").size(), 1u);
  }
  // One utility-over-time chart per scored party.
  for (std::size_t party_idx : trace.result.scored_parties) {
    pugi::xml_node chart = page.ById("utility-chart-" + std::to_string(party_idx));
    ASSERT_TRUE(chart) << party_idx;
    EXPECT_EQ(WithClass(chart, "utility-over-time").size(), expected.size());
    EXPECT_EQ(WithClass(chart, "agreement").size(), trace.result.agreement ? 1u : 0u);
  }
}

TEST(TraceReportTest, OnePathPerPartyWithOneVertexPerOfferAndTheAgreementMarked) {
  model::Scenario scenario = DealScenario();
  ExpectOffersAndAgreementDrawn(scenario, HandMadeTrace(scenario, {5, 4}, true));
}

TEST(TraceReportTest, NoAgreementMarkerWithoutAnAgreement) {
  model::Scenario scenario = DealScenario();
  session::Trace trace = HandMadeTrace(scenario, {3, 6}, false);
  ExpectOffersAndAgreementDrawn(scenario, trace);
  Result<std::string> html = TraceReportHtml(scenario, trace);
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("No agreement: deadline"), std::string::npos);
}

TEST(TraceReportTest, RealSessionsAreDrawnOfferByOffer) {
  for (const char* strategy : {"hardliner", "conceder", "boulware"}) {
    for (const char* scenario_name : {"deal", "ceasefire.yaml"}) {
      SCOPED_TRACE(std::string(strategy) + " on " + scenario_name);
      model::Scenario scenario =
          std::string(scenario_name) == "deal" ? DealScenario() : Example(scenario_name);
      session::SessionConfig config;
      config.rounds = 40;
      config.seed = 11;
      for (std::size_t party_idx : scenario.PrincipalIndices()) {
        config.strategies[party_idx] = strategy;
      }
      Result<session::Trace> trace = session::RunSession(scenario, config);
      ASSERT_TRUE(trace.ok()) << trace.status().ToString();
      ExpectOffersAndAgreementDrawn(scenario, *trace);
    }
  }
}

TEST(TraceReportTest, TracePartiesMayBeChosen) {
  model::Scenario scenario = Example("ceasefire.yaml");
  session::SessionConfig config;
  config.protocol = "shuttle";
  config.rounds = 20;
  Result<session::Trace> trace = session::RunSession(scenario, config);
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  HtmlReportOptions options;
  options.parties = "qatar,israel";
  Result<std::string> html = TraceReportHtml(scenario, *trace, options);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  Page page(*html);
  std::vector<pugi::xml_node> labels = WithClass(page.ById("utility-space-chart"), "axis-label");
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(std::string(labels[0].child_value()), "Utility of Qatar");
  EXPECT_EQ(std::string(labels[1].child_value()), "Utility of Government of Israel");
  // Mediators' texts are offers too: every party that made one has a path.
  std::set<std::size_t> senders;
  for (const session::TraceEvent& event : trace->events) {
    if (event.message.type == protocols::ActionType::kOffer && event.message.outcome) {
      senders.insert(event.message.sender);
    }
  }
  EXPECT_EQ(WithClass(page.ById("utility-space-chart"), "offers").size(), senders.size());
}

// The text relayed in issue 13's run: it crosses Hamas's red lines ("a permanent ceasefire").
model::Outcome RelayedCeasefireText(const model::Scenario& scenario) {
  model::Outcome outcome;
  const std::map<std::string, std::string> chosen = {
      {"ceasefire", "pause_extended_while_talks_continue"},
      {"withdrawal", "to_perimeter"},
      {"linkage", "negotiated_during_phase_one"},
      {"hostages_released", "33"},
      {"prisoners_released", "700"},
      {"humanitarian_access", "increased"},
      {"guarantees", "multilateral_endorsement"}};
  for (const model::Issue& issue : scenario.issues) {
    outcome.push_back(static_cast<model::OptionIndex>(*issue.FindOption(chosen.at(issue.id))));
  }
  return outcome;
}

TEST(TraceReportTest, AnAgreementCrossingARedLineIsFlagged) {
  model::Scenario scenario = Example("ceasefire.yaml");
  session::Trace trace = HandMadeTrace(scenario, {2, 2}, true);
  trace.result.outcome = RelayedCeasefireText(scenario);
  Result<std::string> html = TraceReportHtml(scenario, trace);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  Page page(*html);
  pugi::xml_node flags = page.ById("agreement-flags");
  ASSERT_TRUE(flags) << "an agreement crossing a red line is flagged";
  const std::string text = AllText(flags);
  EXPECT_NE(text.find("crosses Hamas's red line 'a permanent ceasefire'"), std::string::npos)
      << text;
  EXPECT_NE(text.find("full military withdrawal"), std::string::npos) << text;
  // Below a reservation value: named exactly when the text is worth less than it.
  const model::Preferences& hamas = *scenario.parties[*scenario.FindParty("hamas")].preferences;
  const bool below = hamas.utility->Evaluate(*trace.result.outcome) < 0.45;
  EXPECT_EQ(text.find("leaves Hamas below its reservation value") != std::string::npos, below);

  // An agreement every principal accepts raises no flag.
  model::Scenario deal = DealScenario();
  session::Trace fine = HandMadeTrace(deal, {2, 2}, true);
  fine.result.outcome = model::Outcome{1, 1, 1};  // mid, normal, one year: above both reservations
  Result<std::string> fine_html = TraceReportHtml(deal, fine);
  ASSERT_TRUE(fine_html.ok());
  EXPECT_FALSE(Page(*fine_html).ById("agreement-flags"));
}

TEST(TraceReportTest, DistancesSayWhenTheyAreToTheFrontierWithRedLinesIgnored) {
  // Ceasefire: the principals' red lines forbid every option of the ceasefire issue together.
  model::Scenario scenario = Example("ceasefire.yaml");
  session::Trace trace = HandMadeTrace(scenario, {2, 2}, false);
  trace.result.distance_to_pareto = 0.25;
  trace.result.distance_to_nash = 0.5;
  Result<std::string> html = TraceReportHtml(scenario, trace);
  ASSERT_TRUE(html.ok());
  std::string text = AllText(Page(*html).ById("distances"));
  EXPECT_NE(text.find("distances are to the frontier with red lines ignored"), std::string::npos)
      << text;
  EXPECT_NE(text.find("to its Nash point 0.500"), std::string::npos) << text;
  // A scenario whose red lines leave outcomes: the plain frontier.
  model::Scenario deal = DealScenario();
  session::Trace plain = HandMadeTrace(deal, {2, 2}, false);
  plain.result.distance_to_pareto = 0.25;
  Result<std::string> plain_html = TraceReportHtml(deal, plain);
  ASSERT_TRUE(plain_html.ok());
  std::string plain_text = AllText(Page(*plain_html).ById("distances"));
  EXPECT_NE(plain_text.find("distance to the Pareto frontier 0.250"), std::string::npos)
      << plain_text;
  EXPECT_EQ(plain_text.find("ignored"), std::string::npos) << plain_text;
}

// Tick labels of a chart's x axis.
std::vector<std::string> XTickLabels(pugi::xml_node chart) {
  std::vector<std::string> labels;
  for (pugi::xml_node axis : WithClass(chart, "x-axis")) {
    for (pugi::xml_node label : WithClass(axis, "tick-label"))
      labels.push_back(label.child_value());
  }
  return labels;
}

TEST(TraceReportTest, RoundAxesShowWholeRoundsOnly) {
  // A short live-like session: two rounds, so a plain axis would tick at 1, 1.2, 1.4, ...
  model::Scenario scenario = DealScenario();
  session::Trace trace = HandMadeTrace(scenario, {2, 1}, true);
  Result<std::string> html = TraceReportHtml(scenario, trace);
  ASSERT_TRUE(html.ok());
  Page page(*html);
  for (const std::string& id : {std::string("gaps-chart"), std::string("utility-chart-0")}) {
    std::vector<std::string> labels = XTickLabels(page.ById(id));
    ASSERT_GE(labels.size(), 2u) << id;
    for (const std::string& label : labels) {
      EXPECT_EQ(label.find('.'), std::string::npos) << id << " tick " << label;
    }
  }
}

TEST(TraceReportTest, LongSessionsSmoothTheOverallGapAndDrawEachIssueApart) {
  model::Scenario scenario = DealScenario();
  session::Trace trace = HandMadeTrace(scenario, {150, 150}, false);
  ASSERT_EQ(trace.result.gaps.size(), 150u);
  Result<std::string> html = TraceReportHtml(scenario, trace);
  ASSERT_TRUE(html.ok());
  Page page(*html);
  pugi::xml_node gaps = page.ById("gaps-chart");
  ASSERT_TRUE(gaps);
  std::vector<pugi::xml_node> overall = WithClass(gaps, "overall");
  ASSERT_EQ(overall.size(), 1u);
  EXPECT_EQ(overall[0].attribute("data-window").as_int(), 7);  // 150 / 20, odd
  EXPECT_EQ(WithClass(gaps, "overall-raw").size(), 1u);
  // Issue lines are faint.
  for (pugi::xml_node line : WithClass(gaps, "gap")) {
    if (HasClass(line, "overall") || HasClass(line, "overall-raw")) continue;
    EXPECT_LT(std::stod(line.attribute("opacity").value()), 0.5);
  }
  // One small chart per issue.
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    pugi::xml_node small = page.ById("gap-issue-" + std::to_string(issue_idx));
    ASSERT_TRUE(small) << issue_idx;
    EXPECT_EQ(WithClass(small, "gap-issue").size(), 1u);
  }
  // A short session has neither.
  session::Trace short_trace = HandMadeTrace(scenario, {5, 5}, false);
  Result<std::string> short_html = TraceReportHtml(scenario, short_trace);
  ASSERT_TRUE(short_html.ok());
  Page short_page(*short_html);
  EXPECT_TRUE(WithClass(short_page.ById("gaps-chart"), "overall-raw").empty());
  EXPECT_FALSE(short_page.ById("gap-issue-0"));
}

TEST(MovingAverageTest, AveragesACentredWindowAndShrinksItAtTheEnds) {
  std::vector<svg::Point> points;
  for (int idx = 0; idx < 6; ++idx) points.push_back({idx + 1.0, static_cast<double>(idx * idx)});
  std::vector<svg::Point> smoothed = MovingAverage(points, 3);
  ASSERT_EQ(smoothed.size(), points.size());
  EXPECT_DOUBLE_EQ(smoothed[0].y, (0 + 1) / 2.0);
  EXPECT_DOUBLE_EQ(smoothed[2].y, (1 + 4 + 9) / 3.0);
  EXPECT_DOUBLE_EQ(smoothed[5].y, (16 + 25) / 2.0);
  EXPECT_EQ(smoothed[3].x, 4.0);
  EXPECT_EQ(GapSmoothingWindow(40), 1u);
  EXPECT_EQ(GapSmoothingWindow(41), 3u);
  EXPECT_EQ(GapSmoothingWindow(400), 21u);
}

TEST(ScenarioReportTest, OptionsAndIssuesAreNamedInWords) {
  model::Scenario scenario = Example("ceasefire.yaml");
  Result<std::string> html = ScenarioReportHtml(scenario);
  ASSERT_TRUE(html.ok());
  Page page(*html);
  // The ideal positions: human words, not snake_case labels.
  std::string gaps = AllText(page.ById("ideal-gaps"));
  EXPECT_NE(gaps.find("a permanent ceasefire committed to from the start"), std::string::npos);
  EXPECT_NE(gaps.find("Nature of the ceasefire"), std::string::npos);
  EXPECT_EQ(gaps.find("permanent_up_front"), std::string::npos) << gaps;
  EXPECT_EQ(gaps.find("current_levels"), std::string::npos) << gaps;
  // Labels a user types (--outcome) appear only as code beside the words.
  pugi::xml_node issues = page.ById("parties-issues");
  std::string words;
  issues.find_node([&](pugi::xml_node node) {
    if (node.type() == pugi::node_pcdata && std::string(node.parent().name()) != "code") {
      words += node.value();
    }
    return false;
  });
  EXPECT_NE(words.find("a pause for a fixed period"), std::string::npos);
  EXPECT_EQ(words.find("time_limited_pause"), std::string::npos);
}

}  // namespace
}  // namespace parley::report
