// Conversions between Python values and parley's types, validated at the edge: outcomes (option
// indices, {issue: option} mappings or "issue=option,..." text), party references (id or index)
// and JSON values.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "parley/io/scenario_io.h"
#include "parley/model/scenario.h"
#include "parley/session/session.h"

namespace parley::python {

// A loaded scenario as Python holds it (`parley.Scenario`): immutable, shared by sessions and
// analyses, with its outcome space and the reference points sessions measure against (computed
// on first use and reused by every later session on it).
class ScenarioHandle {
 public:
  ScenarioHandle(model::Scenario scenario, io::ScenarioSource source, double load_ms = 0);

  const model::Scenario& scenario() const { return *scenario_; }
  const std::shared_ptr<const model::Scenario>& shared() const { return scenario_; }
  const model::OutcomeSpace& space() const { return space_; }
  const io::ScenarioSource& source() const { return source_; }
  double load_ms() const { return load_ms_; }  // how long loading took (analyze's timings)
  // Parties with preferences, scenario order: the columns of utilities().
  const std::vector<std::size_t>& scored() const { return scored_; }
  std::shared_ptr<const session::ScenarioReference> Reference() const;

 private:
  std::shared_ptr<const model::Scenario> scenario_;
  model::OutcomeSpace space_;
  io::ScenarioSource source_;
  double load_ms_ = 0;
  std::vector<std::size_t> scored_;
  mutable std::once_flag reference_once_;
  mutable std::shared_ptr<const session::ScenarioReference> reference_;
};

// An outcome from Python: a sequence of option indices (one per issue), a mapping {issue id:
// option label or number}, or "issue=option,issue=option" text. Errors name `field`.
model::Outcome OutcomeFromPython(const model::Scenario& scenario, const model::OutcomeSpace& space,
                                 pybind11::handle value, const std::string& field);
// The same knowing only the issues (what a strategy's view shows).
model::Outcome OutcomeFromPython(const std::vector<model::Issue>& issues,
                                 const model::OutcomeSpace& space, pybind11::handle value,
                                 const std::string& field);
// Option indices as a tuple of ints.
pybind11::tuple OutcomeToPython(const model::Outcome& outcome);

// A party given by id (str) or index (int) into Scenario::parties.
std::size_t PartyFromPython(const model::Scenario& scenario, pybind11::handle party,
                            const std::string& field);
// A party that must have preferences (its utility is asked for).
std::size_t PartyWithPreferences(const model::Scenario& scenario, pybind11::handle party,
                                 const std::string& field);

pybind11::object JsonToPython(const nlohmann::ordered_json& value);
nlohmann::ordered_json PythonToJson(pybind11::handle value, const std::string& field);

// "str, int, ..." for messages about a wrong argument type.
std::string TypeName(pybind11::handle value);

}  // namespace parley::python
