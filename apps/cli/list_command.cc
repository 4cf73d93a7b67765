// `parley list protocols|strategies [--json]`: what the registries hold, with each parameter's
// type, default and meaning, so specs like `time_based(e=0.2)` can be written without the source.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "parley/protocols/protocol.h"
#include "parley/strategies/strategy.h"

namespace parley::cli {
namespace {

nlohmann::ordered_json ParametersJson(const std::vector<protocols::ParameterSpec>& parameters) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const protocols::ParameterSpec& parameter : parameters) {
    out.push_back({{"name", parameter.name},
                   {"type", std::string(protocols::ParameterTypeName(parameter.type))},
                   {"default", parameter.default_value},
                   {"help", parameter.help}});
  }
  return out;
}

std::string ParametersText(const std::vector<protocols::ParameterSpec>& parameters) {
  if (parameters.empty()) return "    (no parameters)\n";
  std::size_t width = 0;
  for (const protocols::ParameterSpec& parameter : parameters) {
    width = std::max(width, parameter.name.size());
  }
  std::string out;
  for (const protocols::ParameterSpec& parameter : parameters) {
    out += fmt::format("    {:<{}}  {}, default {}{}\n", parameter.name, width,
                       protocols::ParameterTypeName(parameter.type),
                       parameter.default_value.empty() ? "\"\"" : parameter.default_value,
                       parameter.help.empty() ? "" : ": " + parameter.help);
  }
  return out;
}

std::string ListProtocols(bool json) {
  auto all = protocols::ProtocolRegistry::Global().All();
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto* descriptor : all) {
      list.push_back({{"name", descriptor->name},
                      {"summary", descriptor->summary},
                      {"min_principals", descriptor->min_principals},
                      {"max_principals", descriptor->max_principals},
                      {"needs_mediator", descriptor->needs_mediator()},
                      {"mediation", protocols::MediationName(descriptor->mediation)},
                      {"nestable", descriptor->nestable},
                      {"live", descriptor->live},
                      {"parameters", ParametersJson(descriptor->parameters)}});
    }
    return nlohmann::ordered_json{{"protocols", std::move(list)}}.dump(2) + "\n";
  }
  std::string out = "Protocols (use as --protocol NAME or NAME(key=value, ...)):\n";
  for (const auto* descriptor : all) {
    out +=
        fmt::format("\n  {}\n    {}\n    {} to {} principals{}\n", descriptor->name,
                    descriptor->summary, descriptor->min_principals, descriptor->max_principals,
                    descriptor->mediation == protocols::Mediation::kRequired ? "; needs a mediator"
                    : descriptor->mediation == protocols::Mediation::kWhenPresent
                        ? "; through mediators when one takes part"
                        : "");
    out += ParametersText(descriptor->parameters);
  }
  return out;
}

std::string ListStrategies(bool json) {
  auto all = strategies::StrategyRegistry::Global().All();
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto* descriptor : all) {
      nlohmann::ordered_json roles = nlohmann::ordered_json::array();
      for (model::Role role : descriptor->roles)
        roles.push_back(std::string(model::RoleName(role)));
      list.push_back({{"name", descriptor->name},
                      {"summary", descriptor->summary},
                      {"roles", std::move(roles)},
                      {"parameters", ParametersJson(descriptor->parameters)}});
    }
    return nlohmann::ordered_json{{"strategies", std::move(list)}}.dump(2) + "\n";
  }
  std::string out = "Strategies (use as --strategy PARTY=NAME or PARTY=NAME(key=value, ...)):\n";
  for (const auto* descriptor : all) {
    std::string roles;
    for (model::Role role : descriptor->roles) {
      roles += (roles.empty() ? "" : ", ") + std::string(model::RoleName(role));
    }
    out += fmt::format("\n  {}  [{}]\n    {}\n", descriptor->name, roles, descriptor->summary);
    out += ParametersText(descriptor->parameters);
  }
  return out;
}

}  // namespace

void AddListCommand(CLI::App& app, std::vector<Action>& actions) {
  struct Options {
    std::string what;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "list", "List the registered protocols or strategies and their parameters");
  command->add_option("what", options->what, "protocols or strategies")
      ->required()
      ->check(CLI::IsMember({"protocols", "strategies"}));
  command->add_flag("--json", options->json, "print one JSON object");
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status {
      std::string text = options->what == "protocols" ? ListProtocols(options->json)
                                                      : ListStrategies(options->json);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return Status::Ok();
    });
  });
}

}  // namespace parley::cli
