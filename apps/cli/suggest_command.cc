// `parley suggest SCENARIO [--draft ...] [--criterion ...] [--limit N] [--json]`: texts every
// principal would accept, ranked by a stated criterion, with what changed from the current draft;
// when there are none, the smallest relaxations and, for phased talks, the deferrals that would
// open a zone.
#include <cstdio>
#include <memory>

#include "commands.h"
#include "parley/analysis/analyze.h"
#include "parley/analysis/suggestions.h"
#include "parley/io/command_text.h"
#include "parley/report/suggestions_report.h"

namespace parley::cli {

void AddSuggestCommand(CLI::App& app, std::vector<Action>& actions) {
  struct Options {
    io::ScenarioSource source;
    std::string draft;
    std::string criterion = "nash";
    std::size_t limit = 5;
    std::string parties;
    bool json = false;
    std::uint64_t enumeration_limit = 20'000'000;
    int threads = 0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "suggest", "Texts every principal would accept, ranked, or what would open a zone");
  AddScenarioOptions(*command, options->source);
  command->add_option("--draft", options->draft,
                      "the current draft: issue=option,issue=option,... (every issue)");
  command->add_option("--criterion", options->criterion,
                      "how suggestions are ranked: " + analysis::SuggestionCriterionNames() +
                          " (default nash; closest and fewest_changes need --draft)");
  command->add_option("--limit", options->limit, "most suggestions listed (default 5; 0 = all)");
  command->add_option("--parties", options->parties,
                      "comma-separated party ids (default: enabled principals)");
  command->add_flag("--json", options->json, "print one JSON object (see docs/cli.md)");
  command->add_option("--enumeration-limit", options->enumeration_limit,
                      "largest space enumerated exactly for non-additive utilities");
  command->add_option("--threads", options->threads, "threads (0 = all cores)");
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status {
      std::optional<analysis::SuggestionCriterion> criterion =
          analysis::ParseSuggestionCriterion(options->criterion);
      if (!criterion) {
        return InvalidInput("unknown criterion '" + options->criterion +
                                "'; criteria are: " + analysis::SuggestionCriterionNames(),
                            Location::InField("--criterion"));
      }
      if (analysis::CriterionNeedsDraft(*criterion) && options->draft.empty()) {
        return InvalidInput("the criterion '" + options->criterion +
                                "' is measured from the current draft: give it with --draft",
                            Location::InField("--criterion"));
      }
      PARLEY_ASSIGN_OR_RETURN(model::Scenario scenario, io::LoadScenario(options->source));
      analysis::SuggestionOptions suggestion_options;
      PARLEY_ASSIGN_OR_RETURN(suggestion_options.parties,
                              io::ResolveParties(scenario, options->parties));
      if (!options->draft.empty()) {
        PARLEY_ASSIGN_OR_RETURN(model::Outcome draft,
                                io::ParseOutcome(scenario, options->draft, "--draft"));
        suggestion_options.draft = std::move(draft);
      }
      suggestion_options.criterion = *criterion;
      suggestion_options.limit = options->limit;
      suggestion_options.pareto.enumeration_limit = options->enumeration_limit;
      suggestion_options.pareto.threads = options->threads;
      suggestion_options.obstacles.zopa.enumeration_limit = options->enumeration_limit;
      suggestion_options.deferrals.zopa.enumeration_limit = options->enumeration_limit;
      PARLEY_ASSIGN_OR_RETURN(analysis::Suggestions suggestions,
                              analysis::ComputeSuggestions(scenario, suggestion_options));
      std::string text = options->json
                             ? report::SuggestionsToJson(scenario, suggestions).dump(2) + "\n"
                             : report::RenderSuggestionsText(scenario, suggestions);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return Status::Ok();
    });
  });
}

}  // namespace parley::cli
