// parley: describe, convert, analyse, negotiate, replay, run tournaments, report on and serve
// negotiations from the command line; one subcommand per *_command.cc.
// Exit codes: 0 success, 2 invalid input or usage, 1 internal error.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "commands.h"
#include "parley/base/names.h"
#include "parley/base/version.h"

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

// Number options say what is wrong with a value that is not a number before any range check
// runs (CLI11's Range would say "Value abc not in range 1 to 100000000"): "--rounds: 'abc' is not
// a whole number".
void AddNumberChecks(CLI::App& app) {
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    AddNumberChecks(*command);
  }
  for (CLI::Option* option : app.get_options({})) {
    const std::string type = option->get_type_name();
    const bool unsigned_whole = type.rfind("UINT", 0) == 0;
    const bool whole = unsigned_whole || type.rfind("INT", 0) == 0;
    if (!whole && type.rfind("FLOAT", 0) != 0) continue;
    option->transform(CLI::Validator(
        [whole, unsigned_whole](std::string& value) -> std::string {
          const char* begin = value.c_str();
          char* end = nullptr;
          errno = 0;
          if (whole) {
            if (unsigned_whole && value.find('-') != std::string::npos) {
              return "'" + value + "' is not a whole number of 0 or more";
            }
            (void)std::strtoll(begin, &end, 10);
          } else {
            const double number = std::strtod(begin, &end);
            if (end != begin && *end == '\0' && !std::isfinite(number)) end = nullptr;
          }
          if (value.empty() || end == nullptr || *end != '\0' || errno == ERANGE ||
              std::isspace(static_cast<unsigned char>(value.front()))) {
            return "'" + value + "' is not " + (whole ? "a whole number" : "a number");
          }
          return "";
        },
        ""));
  }
}

int Run(int argc, char** argv) {
  CLI::App app{"parley: mediated multi-party, multi-issue negotiation engine", "parley"};
  app.set_version_flag("--version", std::string("parley ") + kVersion);
  app.require_subcommand(1);
  std::vector<Action> actions;
  AddInfoCommand(app, actions);
  AddConvertCommand(app, actions);
  AddAnalyzeCommand(app, actions);
  AddSuggestCommand(app, actions);
  AddNegotiateCommand(app, actions);
  AddListCommand(app, actions);
  AddReplayCommand(app, actions);
  AddServeCommand(app, actions);
  AddExportCommand(app, actions);
  AddReportCommand(app, actions);
  AddTournamentCommand(app, actions);
  AddForecastCommand(app, actions);
  AddNumberChecks(app);

  // The first word names a command: `parley help [COMMAND]` prints help, a misspelt command gets a
  // suggestion rather than CLI11's "A subcommand is required".
  if (argc >= 2 && argv[1][0] != '-') {
    std::vector<std::string> commands;
    for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
      commands.push_back(command->get_name());
    }
    const std::string first = argv[1];
    if (first == "help") {
      if (argc >= 3) {
        if (std::find(commands.begin(), commands.end(), argv[2]) != commands.end()) {
          std::cout << app.get_subcommand(argv[2])->help();
          return kExitOk;
        }
        std::fprintf(stderr, "parley: error: %s\n",
                     UnknownName("command", argv[2], "commands", commands).c_str());
        return kExitInvalid;
      }
      std::cout << app.help();
      return kExitOk;
    }
    if (std::find(commands.begin(), commands.end(), first) == commands.end()) {
      std::fprintf(stderr, "parley: error: %s\nRun 'parley help' for the list of commands.\n",
                   UnknownName("command", first, "commands", commands).c_str());
      return kExitInvalid;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Usage errors read like every other error, and say where the options are described.
    std::string command = argc >= 2 && argv[1][0] != '-' ? std::string(" ") + argv[1] : "";
    std::fprintf(stderr, "parley: error: %s\nRun 'parley help%s' for the options.\n", e.what(),
                 command.c_str());
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
