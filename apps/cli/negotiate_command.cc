// `parley negotiate SCENARIO --protocol P --strategy PARTY=SPEC ... [--json] [--trace FILE]
// [--views DIR]`: runs one session and says how it ended.

#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands.h"
#include "parley/base/file.h"
#include "parley/report/html_report.h"
#include "parley/report/session_text.h"
#include "parley/session/replay.h"
#include "parley/session/session.h"
#include "parley/session/trace_json.h"

namespace parley::cli {
namespace {

// The gap curve in the answer (text and --json): at most this many evenly spaced samples plus
// the last; the whole curve is in the trace.
constexpr std::size_t kAnswerGapPoints = 256;

struct NegotiateOptions {
  io::ScenarioSource source;
  std::string protocol = "alternating_offers";
  std::vector<std::string> strategies;
  std::vector<std::string> mediators;
  int rounds = 200;
  std::uint64_t seed = 1;
  double time_limit = 0;
  bool no_discount = false;
  bool json = false;
  std::string trace;
  std::string views;
  std::string results_csv;
  std::string events_csv;
  std::string report;
};

// "PARTY=spec" -> (PARTY, spec); a bare spec (whose first '=' sits inside its parentheses, or
// that has none) -> ("", spec).
std::pair<std::string, std::string> SplitAssignment(const std::string& text) {
  std::size_t equals = text.find('=');
  std::size_t paren = text.find('(');
  if (equals == std::string::npos || (paren != std::string::npos && paren < equals)) {
    return {"", text};
  }
  return {text.substr(0, equals), text.substr(equals + 1)};
}

Result<std::size_t> FindParty(const model::Scenario& scenario, const std::string& name,
                              const std::string& option) {
  if (std::optional<std::size_t> by_id = scenario.FindParty(name)) return *by_id;
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    if (scenario.parties[party_idx].name == name) return party_idx;
  }
  std::string known;
  for (const model::Party& party : scenario.parties) {
    known += (known.empty() ? "" : ", ") + party.id;
    if (party.name != party.id) known += " (" + party.name + ")";
  }
  return InvalidInput("no party '" + name + "' in the scenario; parties are: " + known,
                      Location::InField(option));
}

// Turns --strategy / --mediator values into specs by party index.
Status AssignStrategies(const model::Scenario& scenario, const std::vector<std::string>& values,
                        model::Role role, const std::string& option,
                        std::map<std::size_t, std::string>& out) {
  std::vector<std::string> bare;
  for (const std::string& value : values) {
    auto [party, spec] = SplitAssignment(value);
    if (party.empty()) {
      bare.push_back(spec);
      continue;
    }
    PARLEY_ASSIGN_OR_RETURN(std::size_t party_idx, FindParty(scenario, party, option));
    out[party_idx] = spec;
  }
  if (bare.empty()) return Status::Ok();
  // Bare specs go to the enabled parties of the role without one, in scenario order: a single
  // spec to all of them, several one each.
  std::vector<std::size_t> open;
  for (std::size_t party_idx = 0; party_idx < scenario.parties.size(); ++party_idx) {
    const model::Party& party = scenario.parties[party_idx];
    if (party.enabled && party.role == role && !out.count(party_idx)) open.push_back(party_idx);
  }
  if (bare.size() == 1) {
    for (std::size_t party_idx : open) out[party_idx] = bare[0];
    return Status::Ok();
  }
  if (bare.size() > open.size()) {
    return InvalidInput(std::to_string(bare.size()) + " strategies given without a party for " +
                            std::to_string(open.size()) + " enabled " +
                            std::string(model::RoleName(role)) + "s without one",
                        Location::InField(option));
  }
  for (std::size_t spec_idx = 0; spec_idx < bare.size(); ++spec_idx) {
    out[open[spec_idx]] = bare[spec_idx];
  }
  return Status::Ok();
}

// A party id as a file name: anything but letters, digits, '_', '-' and '.' becomes '_'.
std::string FileNameFor(const std::string& id) {
  std::string out;
  for (char c : id) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    out += keep ? c : '_';
  }
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

// The files written after the session: the HTML report, each party's view, the results and
// events CSVs.
Status WriteSessionFiles(const NegotiateOptions& options, const model::Scenario& scenario,
                         const session::Trace& trace,
                         const std::vector<std::pair<std::string, nlohmann::ordered_json>>& views) {
  if (!options.report.empty()) {
    report::HtmlReportOptions report_options;
    report_options.source_files = trace.scenario_files;
    PARLEY_ASSIGN_OR_RETURN(std::string page,
                            report::TraceReportHtml(scenario, trace, report_options));
    PARLEY_RETURN_IF_ERROR(WriteFileAtomically(options.report, page));
  }
  if (!options.views.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.views, ec);
    if (ec) {
      return InvalidInput("cannot create the views folder: " + ec.message(),
                          Location::InFile(options.views));
    }
    for (const auto& [id, file] : views) {
      std::string path =
          (std::filesystem::path(options.views) / (FileNameFor(id) + ".json")).string();
      PARLEY_RETURN_IF_ERROR(WriteFileAtomically(path, file.dump(2) + "\n"));
    }
  }
  if (!options.results_csv.empty()) {
    PARLEY_RETURN_IF_ERROR(
        WriteFileAtomically(options.results_csv,
                            session::ResultsCsvHeader() + session::ResultsCsvRow(scenario, trace)));
  }
  if (!options.events_csv.empty()) {
    PARLEY_RETURN_IF_ERROR(
        WriteFileAtomically(options.events_csv, session::EventsCsv(scenario, trace)));
  }

  return Status::Ok();
}

// The --json answer: the session's settings and its result.
std::string RenderJson(const model::Scenario& scenario, const session::Trace& trace) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["scenario"] = scenario.name;
  out["protocol"] = trace.protocol;
  nlohmann::ordered_json strategies = nlohmann::ordered_json::object();
  for (const auto& [party_idx, spec] : trace.strategies) {
    strategies[scenario.parties[party_idx].id] = spec;
  }
  out["strategies"] = std::move(strategies);
  out["seed"] = trace.seed;
  out["max_rounds"] = trace.rounds;
  out["messages"] = session::MessageCount(trace);
  nlohmann::ordered_json result = session::ResultToJson(scenario, trace);
  for (auto& [key, value] : result.items()) out[key] = value;
  return out.dump(2, ' ', false, io::Json::error_handler_t::replace) + "\n";
}

Status RunNegotiate(const NegotiateOptions& options) {
  PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario, io::LoadScenario(options.source));
  session::SessionConfig config;
  config.protocol = options.protocol;
  config.rounds = options.rounds;
  config.seed = options.seed;
  config.use_discount = !options.no_discount;
  if (options.time_limit != 0) config.time_limit_seconds = options.time_limit;
  PARLEY_RETURN_IF_ERROR(AssignStrategies(scenario, options.strategies, model::Role::kPrincipal,
                                          "--strategy", config.strategies));
  PARLEY_RETURN_IF_ERROR(AssignStrategies(scenario, options.mediators, model::Role::kMediator,
                                          "--mediator", config.strategies));
  config.reference = session::ComputeScenarioReference(scenario);

  std::vector<std::pair<std::string, nlohmann::ordered_json>> views;
  std::vector<protocols::PublicParty> public_parties;
  for (const model::Party& party : scenario.parties) {
    public_parties.push_back(protocols::PublicParty{party.id, party.name, party.role});
  }
  if (!options.views.empty()) {
    config.on_view = [&](const protocols::PartyView& view) {
      nlohmann::ordered_json messages = nlohmann::ordered_json::array();
      for (const protocols::Message& message : view.inbox()) {
        messages.push_back(session::MessageToJson(scenario, public_parties, message));
      }
      nlohmann::ordered_json file = {{"party", view.me().id},
                                     {"role", std::string(model::RoleName(view.role()))},
                                     {"messages", std::move(messages)}};
      views.emplace_back(view.me().id, std::move(file));
    };
  }
  // Memory does not grow with rounds unless an output needs the whole session at the end: the
  // trace is written as the session goes, the answer's gap curve is summarised, and views keep
  // only what their party has not had a turn to read (docs/cli.md).
  const bool whole_session = !options.report.empty() || !options.events_csv.empty();
  config.keep_events = whole_session;
  config.keep_inboxes = !options.views.empty();
  config.gap_points = whole_session ? 0 : kAnswerGapPoints;
  std::unique_ptr<session::TraceStreamWriter> writer;
  Status writer_status;
  if (!options.trace.empty()) {
    writer = std::make_unique<session::TraceStreamWriter>(scenario, options.trace);
    config.on_start = [&](const session::Trace& head) {
      session::Trace with_files = head;
      with_files.scenario_files = session::ScenarioFilesOf(options.source);
      writer_status = writer->Start(with_files);
    };
    config.on_event = [&](const session::TraceEvent& event) { writer->Event(event); };
    config.on_gap = [&](const session::GapSample& sample) { writer->Gap(sample); };
  }
  PARLEY_ASSIGN_OR_RETURN(session::Trace trace, session::RunSession(scenario, config));
  trace.scenario_files = session::ScenarioFilesOf(options.source);

  if (writer) {
    PARLEY_RETURN_IF_ERROR(writer_status);
    PARLEY_RETURN_IF_ERROR(writer->Finish(trace));
  }
  PARLEY_RETURN_IF_ERROR(WriteSessionFiles(options, scenario, trace, views));

  std::string text;
  if (options.json) {
    text = RenderJson(scenario, trace);
  } else {
    text = report::SessionSummaryText(scenario, trace, *config.reference);
    if (!options.trace.empty()) text += "Trace written to " + options.trace + "\n";
    if (!options.views.empty()) text += "Views written to " + options.views + "/\n";
    if (!options.report.empty()) text += "Report written to " + options.report + "\n";
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return Status::Ok();
}

}  // namespace

void AddNegotiateCommand(CLI::App& app, std::vector<Action>& actions) {
  auto options = std::make_shared<NegotiateOptions>();
  CLI::App* command = app.add_subcommand(
      "negotiate", "Run one negotiation session: a protocol and a strategy per party");
  AddScenarioOptions(*command, options->source);
  command->add_option("--protocol", options->protocol,
                      "protocol spec, e.g. alternating_offers or single_text(max_rounds=50) "
                      "(see parley list protocols)");
  command
      ->add_option("--strategy", options->strategies,
                   "PARTY=SPEC for a principal (PARTY: id or name), or a bare SPEC for the "
                   "principals in scenario order; repeat")
      ->allow_extra_args(false);
  command
      ->add_option("--mediator", options->mediators,
                   "PARTY=SPEC for a mediator, or a bare SPEC for the mediators; repeat")
      ->allow_extra_args(false);
  command->add_option("--rounds", options->rounds, "deadline in rounds")
      ->check(CLI::Range(1, 100'000'000));
  command->add_option("--seed", options->seed, "random seed (same seed, same session)");
  command
      ->add_option("--time-limit", options->time_limit,
                   "also stop after this many seconds of wall time (not reproducible)")
      ->check(CLI::PositiveNumber);
  command->add_flag("--no-discount", options->no_discount,
                    "report undiscounted utilities for an agreement");
  command->add_flag("--json", options->json, "print the result as one JSON object");
  command->add_option("--trace", options->trace, "write the trace JSON (docs/trace-format.md)");
  command->add_option("--views", options->views,
                      "write DIR/<party>.json with the messages each party received");
  command->add_option("--csv", options->results_csv, "write the result as a one-row CSV");
  command->add_option("--events-csv", options->events_csv, "write every message as CSV");
  command->add_option("--report", options->report,
                      "write a self-contained HTML report of the session (docs/reports.md)");
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status { return RunNegotiate(*options); });
  });
}

}  // namespace parley::cli
