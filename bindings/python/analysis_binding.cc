// parley.analyze: the same fields as `parley analyze --json`, as Python objects, with the Pareto
// frontier as numpy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "parley/analysis/analyze.h"
#include "parley/io/outcome_json.h"
#include "parley/report/analysis_report.h"

namespace parley::python {
namespace py = pybind11;
namespace {

py::dict FrontierArrays(const std::vector<analysis::ParetoPoint>& points, std::size_t num_issues,
                        std::size_t num_parties) {
  py::array_t<std::int64_t> outcomes(
      {static_cast<py::ssize_t>(points.size()), static_cast<py::ssize_t>(num_issues)});
  py::array_t<double> utilities(
      {static_cast<py::ssize_t>(points.size()), static_cast<py::ssize_t>(num_parties)});
  std::int64_t* outcome_out = outcomes.mutable_data();
  double* utility_out = utilities.mutable_data();
  for (const analysis::ParetoPoint& point : points) {
    for (model::OptionIndex option : point.outcome) *outcome_out++ = option;
    for (double utility : point.utilities) *utility_out++ = utility;
  }
  py::dict arrays;
  arrays["outcomes"] = outcomes;
  arrays["utilities"] = utilities;
  return arrays;
}

std::vector<std::size_t> PartiesFromPython(const model::Scenario& scenario, py::object parties) {
  std::vector<std::size_t> indices;
  if (parties.is_none()) return indices;
  if (py::isinstance<py::str>(parties)) {
    ThrowInvalid("parties is a list of party ids, e.g. ['a', 'b']", "parties");
  }
  std::size_t position = 0;
  for (py::handle party : parties) {
    indices.push_back(
        PartyFromPython(scenario, party, "parties[" + std::to_string(position++) + "]"));
  }
  return indices;
}

py::dict SolutionToPython(const model::Scenario& scenario,
                          const analysis::SolutionPoint& solution) {
  py::dict out;
  out["defined"] = solution.defined;
  if (!solution.defined) {
    out["note"] = solution.note;
    out["outcome"] = py::none();
    out["option_indices"] = py::none();
    out["utilities"] = py::none();
    return out;
  }
  const analysis::ParetoPoint& point = solution.points.front();
  out["outcome"] = JsonToPython(io::OutcomeJson(scenario, point.outcome));
  out["option_indices"] = OutcomeToPython(point.outcome);
  out["utilities"] = point.utilities;
  out["objective"] = solution.objective;
  out["ties"] = solution.points.size();
  return out;
}

// The frontier and the bargaining solutions only: what NegMAS's pareto_frontier and nash_points
// compute, without the rest of an analysis.
py::dict Pareto(const ScenarioHandle& handle, py::object parties, bool respect_red_lines,
                std::uint64_t enumeration_limit, int threads) {
  const model::Scenario& scenario = handle.scenario();
  if (threads < 0) ThrowInvalid("threads must be 0 (all cores) or more", "threads");
  analysis::ParetoOptions options;
  options.parties = PartiesFromPython(scenario, parties);
  if (options.parties.empty()) options.parties = scenario.PrincipalIndices();
  options.respect_red_lines = respect_red_lines;
  options.enumeration_limit = enumeration_limit;
  options.threads = threads;
  if (options.parties.size() < 2) {
    ThrowInvalid("the frontier needs at least two parties with preferences", "parties");
  }
  analysis::BargainingSolutions solutions;
  auto run = [&]() -> Result<analysis::ParetoFrontier> {
    py::gil_scoped_release release;
    Result<analysis::ParetoFrontier> frontier = analysis::ComputeParetoFrontier(scenario, options);
    if (frontier.ok()) {
      solutions = analysis::ComputeBargainingSolutions(
          *frontier, analysis::ReservationValues(scenario, frontier->parties));
    }
    return frontier;
  };
  analysis::ParetoFrontier frontier = Unwrap(run());
  std::vector<analysis::ParetoPoint> acceptable =
      analysis::AcceptablePoints(frontier, solutions.disagreement);
  py::dict out;
  py::list ids;
  for (std::size_t party_idx : frontier.parties) ids.append(scenario.parties[party_idx].id);
  out["parties"] = ids;
  out["exact"] = frontier.exact;
  out["method"] = std::string(analysis::FrontierMethodName(frontier.method));
  out["note"] = frontier.note;
  out["size"] = frontier.points.size();
  out["points"] = FrontierArrays(frontier.points, scenario.issues.size(), frontier.parties.size());
  out["acceptable_points"] =
      FrontierArrays(acceptable, scenario.issues.size(), frontier.parties.size());
  out["reservations"] = solutions.disagreement;
  out["ideal"] = solutions.ideal;
  out["nash"] = SolutionToPython(scenario, solutions.nash);
  out["kalai_smorodinsky"] = SolutionToPython(scenario, solutions.kalai_smorodinsky);
  out["egalitarian"] = SolutionToPython(scenario, solutions.egalitarian);
  out["utilitarian"] = SolutionToPython(scenario, solutions.utilitarian);
  out["genius_kalai"] = SolutionToPython(scenario, solutions.genius_kalai);
  return out;
}

py::dict Analyze(const ScenarioHandle& handle, py::object parties, bool respect_red_lines,
                 py::object outcome, py::object offers, std::uint64_t enumeration_limit,
                 int threads) {
  const model::Scenario& scenario = handle.scenario();
  analysis::AnalysisOptions options;
  options.parties = PartiesFromPython(scenario, parties);
  options.pareto.respect_red_lines = respect_red_lines;
  options.pareto.enumeration_limit = enumeration_limit;
  options.pareto.threads = threads;
  options.zopa.enumeration_limit = enumeration_limit;
  if (threads < 0) ThrowInvalid("threads must be 0 (all cores) or more", "threads");
  if (!outcome.is_none()) {
    options.outcome = OutcomeFromPython(scenario, handle.space(), outcome, "outcome");
  }
  if (!offers.is_none()) {
    if (!py::isinstance<py::sequence>(offers) || py::len(offers) != 2) {
      ThrowInvalid("offers is a pair of outcomes to compare", "offers");
    }
    py::sequence pair = py::reinterpret_borrow<py::sequence>(offers);
    options.offers =
        std::make_pair(OutcomeFromPython(scenario, handle.space(), pair[0], "offers[0]"),
                       OutcomeFromPython(scenario, handle.space(), pair[1], "offers[1]"));
  }
  auto run = [&]() -> Result<analysis::ScenarioAnalysis> {
    py::gil_scoped_release release;
    return analysis::AnalyzeScenario(scenario, options);
  };
  analysis::ScenarioAnalysis result = Unwrap(run());

  // Points are left out of the JSON (max_points = 1) and given as arrays instead.
  report::AnalysisReportOptions report_options;
  report_options.max_points = 1;
  report_options.load_ms = handle.load_ms();
  py::dict out = JsonToPython(report::AnalysisToJson(scenario, result, report_options));
  std::size_t num_issues = scenario.issues.size();
  std::size_t num_parties = result.parties.size();
  py::dict pareto = out["pareto"];
  pareto.attr("pop")("points_truncated", py::none());
  pareto["points"] = FrontierArrays(result.pareto.points, num_issues, num_parties);
  pareto["acceptable_points"] = FrontierArrays(result.pareto_acceptable, num_issues, num_parties);
  const std::pair<const char*, const analysis::SolutionPoint*> solutions[] = {
      {"nash", &result.solutions.nash},
      {"kalai_smorodinsky", &result.solutions.kalai_smorodinsky},
      {"egalitarian", &result.solutions.egalitarian},
      {"utilitarian", &result.solutions.utilitarian},
      {"genius_kalai", &result.solutions.genius_kalai}};
  for (const auto& [name, solution] : solutions) {
    py::dict entry = out[name];
    entry["option_indices"] = solution->defined
                                  ? py::object(OutcomeToPython(solution->points.front().outcome))
                                  : py::object(py::none());
  }
  out["ideal"] = result.solutions.ideal;
  return out;
}

}  // namespace

void BindAnalysis(py::module_& module) {
  module.def("_pareto", &Pareto, py::arg("scenario"), py::arg("parties"),
             py::arg("respect_red_lines"), py::arg("enumeration_limit"), py::arg("threads"));
  module.def("_analyze", &Analyze, py::arg("scenario"), py::arg("parties"),
             py::arg("respect_red_lines"), py::arg("outcome"), py::arg("offers"),
             py::arg("enumeration_limit"), py::arg("threads"));
}

}  // namespace parley::python
