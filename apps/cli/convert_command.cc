// `parley convert SCENARIO -o OUT [--to yaml|json|geniusweb]`: rewrite a scenario in another
// format, preserving every outcome's utility. Writes nothing when the target cannot express it.
#include <cstdio>
#include <memory>

#include "commands.h"

namespace parley::cli {

void AddConvertCommand(CLI::App& app, std::vector<Action>& actions) {
  struct Options {
    io::ScenarioSource source;
    std::string output;
    std::string to;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "convert", "Write a scenario as parley YAML/JSON or as a GeniusWeb folder");
  AddScenarioOptions(*command, options->source);
  command
      ->add_option("-o,--output", options->output,
                   "output file (.yaml, .yml, .json) or folder (GeniusWeb)")
      ->required();
  command->add_option("--to", options->to, "output format: yaml, json or geniusweb")
      ->check(CLI::IsMember({"yaml", "json", "geniusweb"}));
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status {
      PARLEY_ASSIGN_OR_RETURN(io::OutputFormat format,
                              io::ChooseOutputFormat(options->output, options->to));
      PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario, io::LoadScenario(options->source));
      PARLEY_RETURN_IF_ERROR(io::WriteScenario(scenario, options->output, format));
      std::fprintf(stderr, "wrote %s\n", options->output.c_str());
      return Status::Ok();
    });
  });
}

}  // namespace parley::cli
