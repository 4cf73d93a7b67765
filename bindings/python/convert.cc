#include "convert.h"

#include <cmath>

#include "errors.h"
#include "parley/io/command_text.h"

namespace parley::python {
namespace py = pybind11;

ScenarioHandle::ScenarioHandle(model::Scenario scenario, io::ScenarioSource source, double load_ms)
    : scenario_(std::make_shared<const model::Scenario>(std::move(scenario))),
      space_(scenario_->BuildOutcomeSpace()),
      source_(std::move(source)),
      load_ms_(load_ms),
      scored_(scenario_->PartiesWithPreferences()) {}

std::shared_ptr<const session::ScenarioReference> ScenarioHandle::Reference() const {
  std::call_once(reference_once_,
                 [this] { reference_ = session::ComputeScenarioReference(*scenario_); });
  return reference_;
}

std::string TypeName(py::handle value) {
  return py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>();
}

namespace {

// An option index from a Python int (bool is refused: True is not an option). `field` names the
// outcome; the issue's position is added to it in messages, built only when one is needed (this
// runs for every offer a Python strategy makes).
std::uint64_t OptionIndexFromPython(py::handle value, std::uint64_t num_options,
                                    const std::string& issue_id, const std::string& field,
                                    std::size_t issue_idx) {
  auto at = [&] { return field + "[" + std::to_string(issue_idx) + "]"; };
  long long index = 0;
  if (PyLong_CheckExact(value.ptr())) {
    index = PyLong_AsLongLong(value.ptr());
  } else {
    // numpy integers are not Python ints but support __index__; bools are refused.
    if (py::isinstance<py::bool_>(value) || !PyIndex_Check(value.ptr())) {
      ThrowInvalid("an option index must be an int, got " + TypeName(value), at());
    }
    py::object as_int = py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()));
    if (!as_int) throw py::error_already_set();
    index = PyLong_AsLongLong(as_int.ptr());
  }
  if (index == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    ThrowInvalid("option index out of range for issue '" + issue_id + "'", at());
  }
  if (index < 0 || static_cast<std::uint64_t>(index) >= num_options) {
    ThrowInvalid("option index " + std::to_string(index) + " out of range for issue '" + issue_id +
                     "' (0.." + std::to_string(num_options - 1) + ")",
                 at());
  }
  return static_cast<std::uint64_t>(index);
}

model::Outcome OutcomeFromPythonValue(const std::vector<model::Issue>& issues,
                                      const model::OutcomeSpace& space, py::handle value,
                                      const std::string& field) {
  const std::size_t num_issues = issues.size();
  auto find_issue = [&](const std::string& id) -> std::optional<std::size_t> {
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      if (issues[issue_idx].id == id) return issue_idx;
    }
    return std::nullopt;
  };
  model::Outcome outcome(num_issues);
  if (py::isinstance<py::dict>(value)) {
    py::dict mapping = py::reinterpret_borrow<py::dict>(value);
    std::vector<bool> given(num_issues, false);
    for (auto [key, option] : mapping) {
      if (!py::isinstance<py::str>(key)) {
        ThrowInvalid("outcome keys are issue ids (str), got " + TypeName(key), field);
      }
      std::string issue_id = key.cast<std::string>();
      std::optional<std::size_t> issue_idx = find_issue(issue_id);
      if (!issue_idx) ThrowInvalid("unknown issue '" + issue_id + "'", field);
      const model::Issue& issue = issues[*issue_idx];
      std::optional<std::uint64_t> option_idx;
      if (py::isinstance<py::str>(option)) {
        option_idx = issue.FindOption(option.cast<std::string>());
      } else if (issue.IsNumeric() && !py::isinstance<py::bool_>(option) &&
                 (py::isinstance<py::int_>(option) || py::isinstance<py::float_>(option) ||
                  PyNumber_Check(option.ptr()))) {
        option_idx = issue.FindOptionByValue(option.cast<double>());
      }
      if (!option_idx) {
        ThrowInvalid(
            "issue '" + issue_id + "' has no option " + py::repr(option).cast<std::string>(),
            field + "." + issue_id);
      }
      outcome[*issue_idx] = static_cast<model::OptionIndex>(*option_idx);
      given[*issue_idx] = true;
    }
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      if (!given[issue_idx]) {
        ThrowInvalid("issue '" + issues[issue_idx].id + "' is missing", field);
      }
    }
    return outcome;
  }
  if (!py::isinstance<py::sequence>(value) || py::isinstance<py::bytes>(value)) {
    ThrowInvalid(
        "an outcome is a sequence of option indices, a {issue: option} dict or "
        "'issue=option,...' text; got " +
            TypeName(value),
        field);
  }
  // Tuples and lists are read in place; other sequences (numpy rows, ranges) through a list.
  py::object items = py::reinterpret_steal<py::object>(
      PySequence_Fast(value.ptr(), "an outcome is a sequence of option indices"));
  if (!items) throw py::error_already_set();
  std::size_t count = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(items.ptr()));
  if (count != num_issues) {
    ThrowInvalid("an outcome has one option index per issue (" + std::to_string(num_issues) +
                     "), got " + std::to_string(count),
                 field);
  }
  PyObject** item = PySequence_Fast_ITEMS(items.ptr());
  for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    outcome[issue_idx] = static_cast<model::OptionIndex>(
        OptionIndexFromPython(py::handle(item[issue_idx]), space.Cardinality(issue_idx),
                              issues[issue_idx].id, field, issue_idx));
  }
  return outcome;
}

}  // namespace

model::Outcome OutcomeFromPython(const std::vector<model::Issue>& issues,
                                 const model::OutcomeSpace& space, py::handle value,
                                 const std::string& field) {
  if (py::isinstance<py::str>(value)) {
    model::Scenario scenario;
    scenario.issues = issues;
    return OutcomeFromPython(scenario, space, value, field);
  }
  return OutcomeFromPythonValue(issues, space, value, field);
}

model::Outcome OutcomeFromPython(const model::Scenario& scenario, const model::OutcomeSpace& space,
                                 py::handle value, const std::string& field) {
  if (py::isinstance<py::str>(value)) {
    Result<model::Outcome> parsed = io::ParseOutcome(scenario, value.cast<std::string>());
    if (!parsed.ok()) ThrowInvalid(parsed.status().message(), field);
    return std::move(parsed).value();
  }
  return OutcomeFromPythonValue(scenario.issues, space, value, field);
}

py::tuple OutcomeToPython(const model::Outcome& outcome) {
  py::tuple tuple(outcome.size());
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    tuple[issue_idx] = py::int_(outcome[issue_idx]);
  }
  return tuple;
}

std::size_t PartyFromPython(const model::Scenario& scenario, py::handle party,
                            const std::string& field) {
  if (py::isinstance<py::str>(party)) {
    std::string id = party.cast<std::string>();
    std::optional<std::size_t> party_idx = scenario.FindParty(id);
    if (!party_idx) {
      std::string known;
      for (const model::Party& candidate : scenario.parties) {
        known += (known.empty() ? "" : ", ") + candidate.id;
      }
      ThrowStatus(
          NotFound("unknown party '" + id + "'; parties are: " + known, Location::InField(field)));
    }
    return *party_idx;
  }
  if (py::isinstance<py::int_>(party) && !py::isinstance<py::bool_>(party)) {
    long long index = party.cast<long long>();
    if (index < 0 || static_cast<std::size_t>(index) >= scenario.parties.size()) {
      ThrowInvalid("party index " + std::to_string(index) + " out of range (the scenario has " +
                       std::to_string(scenario.parties.size()) + " parties)",
                   field);
    }
    return static_cast<std::size_t>(index);
  }
  ThrowInvalid("a party is given by its id (str) or index (int), got " + TypeName(party), field);
}

std::size_t PartyWithPreferences(const model::Scenario& scenario, py::handle party,
                                 const std::string& field) {
  std::size_t party_idx = PartyFromPython(scenario, party, field);
  if (!scenario.parties[party_idx].preferences) {
    ThrowInvalid("party '" + scenario.parties[party_idx].id + "' has no preferences", field);
  }
  return party_idx;
}

py::object JsonToPython(const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::null:
      return py::none();
    case nlohmann::ordered_json::value_t::boolean:
      return py::bool_(value.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer:
      return py::int_(value.get<std::int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned:
      return py::int_(value.get<std::uint64_t>());
    case nlohmann::ordered_json::value_t::number_float:
      return py::float_(value.get<double>());
    case nlohmann::ordered_json::value_t::string:
      return py::str(value.get_ref<const std::string&>());
    case nlohmann::ordered_json::value_t::array: {
      py::list list(value.size());
      for (std::size_t item_idx = 0; item_idx < value.size(); ++item_idx) {
        list[item_idx] = JsonToPython(value[item_idx]);
      }
      return list;
    }
    case nlohmann::ordered_json::value_t::object: {
      py::dict dict;
      for (const auto& [key, item] : value.items()) dict[py::str(key)] = JsonToPython(item);
      return dict;
    }
    case nlohmann::ordered_json::value_t::binary:
    case nlohmann::ordered_json::value_t::discarded:
      break;
  }
  return py::none();
}

nlohmann::ordered_json PythonToJson(py::handle value, const std::string& field) {
  if (value.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>();
  if (py::isinstance<py::int_>(value)) return value.cast<std::int64_t>();
  if (py::isinstance<py::float_>(value)) {
    double number = value.cast<double>();
    if (!std::isfinite(number)) ThrowInvalid("numbers must be finite", field);
    return number;
  }
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::dict>(value)) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (auto [key, item] : py::reinterpret_borrow<py::dict>(value)) {
      if (!py::isinstance<py::str>(key)) {
        ThrowInvalid("keys must be strings, got " + TypeName(key), field);
      }
      std::string name = key.cast<std::string>();
      object[name] = PythonToJson(item, field.empty() ? name : field + "." + name);
    }
    return object;
  }
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    std::size_t item_idx = 0;
    for (py::handle item : value) {
      array.push_back(PythonToJson(item, field + "[" + std::to_string(item_idx++) + "]"));
    }
    return array;
  }
  if (PyIndex_Check(value.ptr())) return value.cast<std::int64_t>();
  if (PyFloat_Check(value.ptr()) || py::hasattr(value, "__float__")) {
    return PythonToJson(py::float_(value.cast<double>()), field);
  }
  ThrowInvalid("cannot use a " + TypeName(value) + " here", field);
}

}  // namespace parley::python
