// `parley info SCENARIO [--json]`: what a scenario holds, at a glance.
#include <cstdio>
#include <memory>

#include "commands.h"
#include "parley/report/scenario_summary.h"

namespace parley::cli {

void AddInfoCommand(CLI::App& app, std::vector<Action>& actions) {
  struct Options {
    io::ScenarioSource source;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "info", "Show parties, issues, outcome count, utility ranges, phases and red lines");
  AddScenarioOptions(*command, options->source);
  command->add_flag("--json", options->json, "print one JSON object (see docs/cli.md)");
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status {
      PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario, io::LoadScenario(options->source));
      nlohmann::ordered_json summary = report::SummarizeScenario(scenario);
      std::string text =
          options->json ? summary.dump(2) + "\n" : report::RenderScenarioSummaryText(summary);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return Status::Ok();
    });
  });
}

}  // namespace parley::cli
