// The `parley` command line: each subcommand registers itself on the CLI11 app and returns a
// Status; main() maps statuses to exit codes and messages in one place.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "parley/base/status.h"
#include "parley/io/scenario_io.h"

namespace parley::cli {

// A subcommand's work, run after parsing succeeds.
using Action = std::function<Status()>;

// Adds the scenario arguments every scenario command shares: a positional SCENARIO (file or
// folder) or --domain D --profile P ...
void AddScenarioOptions(CLI::App& command, io::ScenarioSource& source);

void AddInfoCommand(CLI::App& app, std::vector<Action>& actions);
void AddConvertCommand(CLI::App& app, std::vector<Action>& actions);
void AddAnalyzeCommand(CLI::App& app, std::vector<Action>& actions);
void AddNegotiateCommand(CLI::App& app, std::vector<Action>& actions);
void AddListCommand(CLI::App& app, std::vector<Action>& actions);
void AddReplayCommand(CLI::App& app, std::vector<Action>& actions);
void AddServeCommand(CLI::App& app, std::vector<Action>& actions);
void AddExportCommand(CLI::App& app, std::vector<Action>& actions);
void AddReportCommand(CLI::App& app, std::vector<Action>& actions);
void AddTournamentCommand(CLI::App& app, std::vector<Action>& actions);
void AddSuggestCommand(CLI::App& app, std::vector<Action>& actions);
void AddForecastCommand(CLI::App& app, std::vector<Action>& actions);

}  // namespace parley::cli
