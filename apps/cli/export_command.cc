// `parley export ROOM [--db parley.db] [--output FILE]`: writes a live room's trace in the format
// of simulated sessions (docs/trace-format.md), so reports and analysis work on live talks too.
// With --output, the room's scenario (with the preferences principals submitted) is written beside
// it as <stem>.scenario.yaml and named in the trace; without, the trace goes to stdout.
// Reads the database only: it may run while `parley serve` uses the same file.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands.h"
#include "parley/base/file.h"
#include "server/api/service.h"
#include "server/store/store.h"

namespace parley::cli {
namespace {

struct ExportOptions {
  std::string room;
  std::string db = "parley.db";
  std::string output;
};

Status Export(const ExportOptions& options) {
  if (!server::IsPostgresConnection(options.db) && !std::filesystem::exists(options.db)) {
    return NotFound("no database file", Location::InFile(options.db));
  }
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<server::Store> store, server::OpenStore(options.db));
  server::api::ServiceOptions service_options;
  service_options.only_room = options.room;
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<server::api::Service> service,
                          server::api::Service::Open(std::move(store), service_options));
  for (const std::string& warning : service->load_warnings()) {
    std::fprintf(stderr, "parley export: %s\n", warning.c_str());
  }
  std::string scenario_path;
  std::string scenario_name = options.room + ".scenario.yaml";
  if (!options.output.empty()) {
    std::filesystem::path output(options.output);
    std::string stem = output.stem().string();
    if (stem.size() > 6 && stem.compare(stem.size() - 6, 6, ".trace") == 0) {
      stem.resize(stem.size() - 6);
    }
    scenario_name = stem + ".scenario.yaml";
    scenario_path = (output.parent_path() / scenario_name).string();
  }
  PARLEY_ASSIGN_OR_RETURN(server::api::Service::Export exported,
                          service->ExportRoom(options.room, scenario_name));
  if (options.output.empty()) {
    std::fwrite(exported.trace.data(), 1, exported.trace.size(), stdout);
    return Status::Ok();
  }
  PARLEY_RETURN_IF_ERROR(WriteFileAtomically(scenario_path, exported.scenario_yaml));
  PARLEY_RETURN_IF_ERROR(WriteFileAtomically(options.output, exported.trace));
  std::fprintf(stderr, "wrote %s and %s\n", options.output.c_str(), scenario_path.c_str());
  return Status::Ok();
}

}  // namespace

void AddExportCommand(CLI::App& app, std::vector<Action>& actions) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* command =
      app.add_subcommand("export", "Write a live room's trace in the format of simulated sessions");
  command->add_option("room", options->room, "room id (as shown by the server and web UI)")
      ->required();
  command
      ->add_option("--db", options->db,
                   "the server's SQLite database, or its PostgreSQL connection URI")
      ->capture_default_str();
  command->add_option("-o,--output", options->output,
                      "trace file to write (default: stdout); the scenario goes beside it");
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status { return Export(*options); });
  });
}

}  // namespace parley::cli
