// parley: analyse, convert and (in later work) simulate negotiations from the command line.
// Exit codes: 0 success, 2 invalid input or usage, 1 internal error.
#include <cstdio>
#include <exception>
#include <iostream>

#include "commands.h"

namespace parley::cli {

void AddScenarioOptions(CLI::App& command, io::ScenarioSource& source) {
  command.add_option("scenario", source.path,
                     "parley YAML/JSON file, or a GENIUS or GeniusWeb folder");
  command.add_option("--domain", source.domain, "GENIUS XML or GeniusWeb JSON domain file");
  command.add_option("--profile", source.profiles, "profile file (repeat for each party)");
}

namespace {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitInvalid = 2;

// The one place where a Status becomes an exit code.
int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kOk:
      return kExitOk;
    case ErrorCode::kInvalidInput:
    case ErrorCode::kNotFound:
    case ErrorCode::kUnsupported:
      return kExitInvalid;
    case ErrorCode::kCancelled:
    case ErrorCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

int Run(int argc, char** argv) {
  CLI::App app{"parley: mediated multi-party, multi-issue negotiation engine"};
  app.set_version_flag("--version", "parley 0.1.0");
  app.require_subcommand(1);
  std::vector<Action> actions;
  AddInfoCommand(app, actions);
  AddConvertCommand(app, actions);
  AddAnalyzeCommand(app, actions);
  AddNegotiateCommand(app, actions);
  AddListCommand(app, actions);
  AddReplayCommand(app, actions);
  AddServeCommand(app, actions);
  AddExportCommand(app, actions);
  AddReportCommand(app, actions);
  AddTournamentCommand(app, actions);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitInvalid;
  }
  for (const Action& action : actions) {
    Status status = action();
    if (!status.ok()) {
      std::fprintf(stderr, "parley: error: %s\n", status.ToString().c_str());
      return ExitCodeFor(status);
    }
  }
  return kExitOk;
}

}  // namespace
}  // namespace parley::cli

int main(int argc, char** argv) {
  try {
    return parley::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parley: internal error: %s\n", e.what());
    return 1;
  } catch (...) {
    std::fprintf(stderr, "parley: internal error\n");
    return 1;
  }
}
