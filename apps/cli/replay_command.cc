// `parley replay TRACE`: re-runs the session a trace records and checks that the same trace comes
// out. Exit 0 when identical; 1 when it differs (the first differing line is printed, or for a
// live room's trace the first recorded answer the protocol's rules refuse), since sessions are
// deterministic and a difference means something changed or broke; 2 when the trace or its
// scenario cannot be read or run.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "commands.h"
#include "parley/session/replay.h"

namespace parley::cli {

void AddReplayCommand(CLI::App& app, std::vector<Action>& actions) {
  auto trace_path = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "replay", "Re-run the session a trace records and check that it comes out the same");
  command
      ->add_option("trace", *trace_path,
                   "trace JSON written by parley negotiate --trace or parley export")
      ->required();
  command->callback([trace_path, &actions] {
    actions.push_back([trace_path]() -> Status {
      PARLEY_ASSIGN_OR_RETURN(session::ReplayReport report, session::ReplayTraceFile(*trace_path));
      std::string text;
      if (report.identical) {
        text = fmt::format("identical: re-running the session gave the same trace ({} messages)\n",
                           report.events);
      } else if (!report.illegal_answer.empty()) {
        text = fmt::format("different: a recorded answer does not fit the protocol's rules: {}\n",
                           report.illegal_answer);
      } else {
        text =
            fmt::format("different: first difference at line {}\n  recorded: {}\n  replayed: {}\n",
                        report.line, report.recorded_line, report.replayed_line);
      }
      if (!report.note.empty()) text += "note: " + report.note + "\n";
      std::fwrite(text.data(), 1, text.size(), stdout);
      if (report.identical) return Status::Ok();
      return Internal("the replayed session differs from the trace",
                      Location{*trace_path, report.line, 0, ""});
    });
  });
}

}  // namespace parley::cli
