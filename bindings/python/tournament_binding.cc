// parley._tournament: a tournament config (text or file) run by the library's runner, the rows
// returned as columns (ready for a pandas DataFrame) with the per-strategy summary.
#include <pybind11/stl.h>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "parley/tournament/results.h"
#include "parley/tournament/runner.h"
#include "parley/tournament/statistics.h"
#include "parley/tournament/tournament.h"
#include "python_strategy.h"

namespace parley::python {
namespace py = pybind11;
namespace {

py::object OptionalNumber(const std::optional<double>& value) {
  return value ? py::object(py::float_(*value)) : py::none();
}

// The rows as {column: list}, in the results file's column order (tournament::ResultColumns).
py::dict RecordColumns(const std::vector<tournament::SessionRecord>& records,
                       std::size_t num_parties) {
  std::vector<std::string> names = tournament::ResultColumns(num_parties);
  std::vector<py::list> columns(names.size());
  for (const tournament::SessionRecord& record : records) {
    std::size_t column = 0;
    auto put = [&](py::object value) { columns[column++].append(std::move(value)); };
    put(py::str(record.session));
    put(py::str(record.config));
    put(py::str(record.scenario));
    put(py::str(record.scenario_path));
    put(py::int_(record.repetition));
    put(py::int_(record.seed));
    put(py::str(record.protocol));
    put(py::str(record.mediator));
    put(py::bool_(record.agreement));
    put(py::float_(record.welfare));
    put(OptionalNumber(record.distance_to_pareto));
    put(OptionalNumber(record.distance_to_nash));
    put(OptionalNumber(record.distance_to_kalai_smorodinsky));
    put(py::int_(record.rounds));
    put(py::str(record.end_reason));
    put(py::int_(record.illegal_actions));
    put(py::float_(record.elapsed_ms));
    for (std::size_t party_idx = 0; party_idx < num_parties; ++party_idx) {
      if (party_idx < record.parties.size()) {
        const tournament::PartyRecord& party = record.parties[party_idx];
        put(py::str(party.party));
        put(py::str(party.strategy));
        put(OptionalNumber(party.utility));
        put(OptionalNumber(party.advantage));
      } else {
        for (int unused = 0; unused < 4; ++unused) put(py::none());
      }
    }
    PARLEY_CHECK(column == names.size());
  }
  py::dict out;
  for (std::size_t column = 0; column < names.size(); ++column) {
    out[py::str(names[column])] = columns[column];
  }
  return out;
}

py::dict SummaryColumns(const std::vector<tournament::StrategySummary>& summary) {
  py::list rank, strategy, role, observations, mean_utility, ci_low, ci_high, mean_advantage,
      agreement_rate, mean_welfare, mean_distance_to_nash;
  for (const tournament::StrategySummary& row : summary) {
    rank.append(row.rank);
    strategy.append(row.strategy);
    role.append(row.role);
    observations.append(row.observations);
    mean_utility.append(OptionalNumber(row.mean_utility));
    ci_low.append(OptionalNumber(row.utility_ci_low));
    ci_high.append(OptionalNumber(row.utility_ci_high));
    mean_advantage.append(OptionalNumber(row.mean_advantage));
    agreement_rate.append(row.agreement_rate);
    mean_welfare.append(row.mean_welfare);
    mean_distance_to_nash.append(OptionalNumber(row.mean_distance_to_nash));
  }
  py::dict out;
  out["rank"] = rank;
  out["strategy"] = strategy;
  out["role"] = role;
  out["observations"] = observations;
  out["mean_utility"] = mean_utility;
  out["ci_low"] = ci_low;
  out["ci_high"] = ci_high;
  out["mean_advantage"] = mean_advantage;
  out["agreement_rate"] = agreement_rate;
  out["mean_welfare"] = mean_welfare;
  out["mean_distance_to_nash"] = mean_distance_to_nash;
  return out;
}

py::dict RunTournament(const std::string& path, const std::string& text,
                       const std::string& base_folder, StrategyTable* table, std::size_t threads,
                       const std::string& output, const std::string& default_output,
                       bool progress) {
  const strategies::StrategyRegistry* registry = table != nullptr ? &table->registry() : nullptr;
  std::shared_ptr<PythonFailure> failure =
      table != nullptr ? table->failure() : std::make_shared<PythonFailure>();
  auto prepare = [&]() -> Result<std::unique_ptr<tournament::Tournament>> {
    py::gil_scoped_release release;
    Result<tournament::TournamentConfig> config =
        path.empty() ? tournament::ParseTournamentConfig(text, "<config>", base_folder, registry)
                     : tournament::LoadTournamentConfig(path, registry);
    if (!config.ok()) return config.status();
    return tournament::Tournament::Prepare(std::move(config).value());
  };
  std::unique_ptr<tournament::Tournament> prepared = Unwrap(prepare());
  const tournament::TournamentConfig& config = prepared->config();

  tournament::RunOptions options;
  options.results_path =
      !output.empty() ? output : (!config.output.empty() ? config.output : default_output);
  options.format = config.format ? *config.format : tournament::FormatForPath(options.results_path);
  options.threads = threads;
  options.progress = progress;
  options.should_stop = [&](std::size_t) {
    if (failure->failed()) return true;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {  // Ctrl-C: stop cleanly, then raise KeyboardInterrupt
      failure->Capture();
      return true;
    }
    return false;
  };
  auto run = [&]() -> Result<tournament::RunReport> {
    py::gil_scoped_release release;
    return tournament::RunTournament(*prepared, options);
  };
  Result<tournament::RunReport> report = run();
  failure->RaiseIfFailed();
  tournament::RunReport finished = Unwrap(std::move(report));

  py::dict out;
  out["rows"] = RecordColumns(finished.records, prepared->max_principals());
  out["summary"] = SummaryColumns(finished.summary);
  out["results_path"] = options.results_path;
  out["summary_path"] = finished.summary_path;
  out["sessions"] = finished.total;
  out["previously_done"] = finished.previously_done;
  out["finished"] = finished.finished;
  out["threads"] = finished.threads;
  out["seconds"] = finished.seconds;
  out["fingerprint"] = prepared->fingerprint();
  return out;
}

}  // namespace

void BindTournament(py::module_& module) {
  module.def("_tournament", &RunTournament, py::arg("path"), py::arg("text"),
             py::arg("base_folder"), py::arg("table"), py::arg("threads"), py::arg("output"),
             py::arg("default_output"), py::arg("progress"));
  module.def("_result_columns", &tournament::ResultColumns, py::arg("num_parties"));
  module.def(
      "_summarize",
      [](const std::string& path, double confidence) {
        tournament::ResultsTable table = Unwrap(tournament::ReadResults(path));
        return SummaryColumns(tournament::Summarize(table.records, confidence));
      },
      py::arg("path"), py::arg("confidence"));
}

}  // namespace parley::python
