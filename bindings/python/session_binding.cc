// parley._negotiate: one session, the result as `parley negotiate --json` prints it, and the
// trace on request. Python strategies take part through a StrategyTable (python_strategy.h).
#include <pybind11/stl.h>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "parley/base/file.h"
#include "parley/session/replay.h"
#include "parley/session/session.h"
#include "parley/session/trace_json.h"
#include "python_strategy.h"

namespace parley::python {
namespace py = pybind11;
namespace {

py::dict Negotiate(const ScenarioHandle& handle, StrategyTable* table, const std::string& protocol,
                   const std::map<std::size_t, std::string>& strategies, int rounds,
                   std::uint64_t seed, std::optional<double> time_limit, bool discount,
                   bool want_trace, const std::string& trace_path) {
  const model::Scenario& scenario = handle.scenario();
  session::SessionConfig config;
  config.protocol = protocol;
  config.strategies = strategies;
  config.rounds = rounds;
  config.seed = seed;
  config.time_limit_seconds = time_limit;
  config.use_discount = discount;
  if (table != nullptr) {
    config.strategy_registry = &table->registry();
    config.stop = table->failure()->token();
  }
  auto run = [&]() -> Result<session::Trace> {
    py::gil_scoped_release release;
    config.reference = handle.Reference();
    return session::RunSession(scenario, config);
  };
  Result<session::Trace> result = run();
  if (table != nullptr) table->failure()->RaiseIfFailed();
  session::Trace trace = Unwrap(std::move(result));
  trace.scenario_files = session::ScenarioFilesOf(handle.source());

  py::dict out = JsonToPython(session::ResultToJson(scenario, trace));
  out["option_indices"] =
      trace.result.outcome ? py::object(OutcomeToPython(*trace.result.outcome)) : py::none();
  out["protocol"] = trace.protocol;
  py::dict canonical;
  for (const auto& [party_idx, spec] : trace.strategies) {
    canonical[py::str(scenario.parties[party_idx].id)] = spec;
  }
  out["strategies"] = canonical;
  out["seed"] = trace.seed;
  out["messages"] = trace.events.size();
  if (want_trace || !trace_path.empty()) {
    std::string text = session::WriteTraceJson(scenario, trace);
    if (!trace_path.empty()) ThrowIfError(WriteFileAtomically(trace_path, text));
    if (want_trace) out["trace"] = py::module_::import("json").attr("loads")(text);
  }
  return out;
}

}  // namespace

void BindSession(py::module_& module) {
  module.def("_negotiate", &Negotiate, py::arg("scenario"), py::arg("table"), py::arg("protocol"),
             py::arg("strategies"), py::arg("rounds"), py::arg("seed"), py::arg("time_limit"),
             py::arg("discount"), py::arg("trace"), py::arg("trace_path"));
}

}  // namespace parley::python
