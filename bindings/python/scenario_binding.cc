// parley.load, parley.Scenario, parley.Issue, parley.Party: scenarios, outcomes and utilities,
// with numpy access for many outcomes at once.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <chrono>
#include <filesystem>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "parley/base/file.h"
#include "parley/io/outcome_json.h"
#include "parley/io/scenario_io.h"

namespace parley::python {
namespace py = pybind11;
namespace {

// Largest number of outcomes outcomes() and outcome_array() walk unless told otherwise.
constexpr std::uint64_t kDefaultEnumerationLimit = 10'000'000;

bool LooksLikeText(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  return text.find('\n') != std::string::npos ||
         (first != std::string::npos && (text[first] == '{' || text[first] == '#'));
}

std::shared_ptr<ScenarioHandle> Load(py::object source, std::optional<std::string> domain,
                                     std::vector<std::string> profiles) {
  io::ScenarioSource where;
  std::optional<std::string> text;
  if (!source.is_none()) {
    if (domain || !profiles.empty()) {
      ThrowInvalid("give either a scenario (path or text) or domain= and profiles=, not both",
                   "source");
    }
    py::module_ os = py::module_::import("os");
    if (!py::isinstance<py::str>(source) && !py::isinstance(source, os.attr("PathLike"))) {
      ThrowInvalid(
          "a scenario is a path (str or os.PathLike) or YAML/JSON text, got " + TypeName(source),
          "source");
    }
    std::string value = os.attr("fspath")(source).cast<std::string>();
    std::error_code error;
    if (py::isinstance<py::str>(source) && LooksLikeText(value) &&
        !std::filesystem::exists(value, error)) {
      text = value;
    } else {
      where.path = value;
    }
  } else {
    if (!domain)
      ThrowInvalid("no scenario given: pass a path, YAML/JSON text or domain=", "source");
    where.domain = *domain;
    where.profiles = std::move(profiles);
  }
  auto read = [&]() -> Result<model::Scenario> {
    py::gil_scoped_release release;
    if (!text) return io::LoadScenario(where);
    std::size_t first = text->find_first_not_of(" \t\r\n");
    return (*text)[first] == '{' ? io::ReadParleyJson(*text, "<text>")
                                 : io::ReadParleyYaml(*text, "<text>");
  };
  auto start = std::chrono::steady_clock::now();
  Result<model::Scenario> scenario = read();
  double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return std::make_shared<ScenarioHandle>(Unwrap(std::move(scenario)), std::move(where), load_ms);
}

py::object OptionValue(const model::Issue& issue, std::uint64_t option) {
  switch (issue.kind) {
    case model::IssueKind::kDiscrete:
      return py::str(issue.options[option]);
    case model::IssueKind::kInteger:
      return py::int_(issue.integer_lower + static_cast<std::int64_t>(option));
    case model::IssueKind::kReal:
      break;
  }
  return py::float_(issue.NumericValue(option));
}

py::object OptionalDouble(const std::optional<double>& value) {
  return value ? py::object(py::float_(*value)) : py::object(py::none());
}

void CheckLimit(const ScenarioHandle& handle, std::uint64_t limit) {
  if (!handle.space().IsEnumerable(limit)) {
    ThrowStatus(Unsupported("the scenario has " + handle.space().Count().ToDisplayString() +
                                " outcomes, more than the limit of " + std::to_string(limit) +
                                "; pass a larger limit= or work with utilities() on samples",
                            Location::InField("limit")));
  }
}

// Iterates the outcome space in index order (first issue most significant).
class OutcomeIterator {
 public:
  OutcomeIterator(std::shared_ptr<ScenarioHandle> handle)
      : handle_(std::move(handle)), total_(*handle_->space().Count64()) {}
  py::tuple Next() {
    if (next_ >= total_) throw py::stop_iteration();
    return OutcomeToPython(handle_->space().OutcomeAt(next_++));
  }
  std::uint64_t Remaining() const { return total_ - next_; }

 private:
  std::shared_ptr<ScenarioHandle> handle_;
  std::uint64_t total_;
  std::uint64_t next_ = 0;
};

// A 2-D C-contiguous int64 array of outcomes, checked against the space. Errors name the row and
// issue of the first bad entry.
py::array_t<std::int64_t> CheckedOutcomeArray(const ScenarioHandle& handle, py::handle outcomes) {
  py::module_ numpy = py::module_::import("numpy");
  py::array array = numpy.attr("asarray")(outcomes);
  char kind = array.dtype().kind();
  if (array.size() == 0 && kind == 'f') kind = 'i';  // np.asarray([]) is float64
  if (kind != 'i' && kind != 'u') {
    ThrowInvalid("outcomes must be integer option indices, got an array of dtype " +
                     py::str(array.dtype()).cast<std::string>(),
                 "outcomes");
  }
  std::size_t num_issues = handle.scenario().issues.size();
  if (array.ndim() == 1 && array.size() == 0) {
    array = numpy.attr("zeros")(py::make_tuple(0, num_issues), "int64");
  }
  if (array.ndim() != 2 || static_cast<std::size_t>(array.shape(1)) != num_issues) {
    std::string shape = "(";
    for (py::ssize_t dim = 0; dim < array.ndim(); ++dim) {
      shape += (dim ? ", " : "") + std::to_string(array.shape(dim));
    }
    ThrowInvalid("outcomes must be a 2-D array with one column per issue (n, " +
                     std::to_string(num_issues) + "), got shape " + shape + ")",
                 "outcomes");
  }
  py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> checked(array);
  auto view = checked.unchecked<2>();
  const model::OutcomeSpace& space = handle.space();
  for (py::ssize_t row = 0; row < view.shape(0); ++row) {
    for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
      std::int64_t option = view(row, static_cast<py::ssize_t>(issue_idx));
      if (option < 0 || static_cast<std::uint64_t>(option) >= space.Cardinality(issue_idx)) {
        ThrowInvalid("option index " + std::to_string(option) + " out of range for issue '" +
                         handle.scenario().issues[issue_idx].id + "' (0.." +
                         std::to_string(space.Cardinality(issue_idx) - 1) + ")",
                     "outcomes[" + std::to_string(row) + "][" + std::to_string(issue_idx) + "]");
      }
    }
  }
  return checked;
}

py::array_t<double> Utilities(const ScenarioHandle& handle, py::handle outcomes,
                              py::object parties) {
  const model::Scenario& scenario = handle.scenario();
  std::vector<std::size_t> columns;
  bool single = false;
  if (parties.is_none()) {
    columns = handle.scored();
  } else if (py::isinstance<py::str>(parties) || py::isinstance<py::int_>(parties)) {
    columns.push_back(PartyWithPreferences(scenario, parties, "parties"));
    single = true;
  } else {
    std::size_t position = 0;
    for (py::handle party : parties) {
      columns.push_back(
          PartyWithPreferences(scenario, party, "parties[" + std::to_string(position++) + "]"));
    }
  }
  py::array_t<std::int64_t> checked = CheckedOutcomeArray(handle, outcomes);
  auto input = checked.unchecked<2>();
  py::ssize_t rows = input.shape(0);
  py::array_t<double> result =
      single ? py::array_t<double>({rows})
             : py::array_t<double>({rows, static_cast<py::ssize_t>(columns.size())});
  double* out = result.mutable_data();
  std::vector<const model::UtilityFunction*> utilities;
  for (std::size_t party_idx : columns) {
    utilities.push_back(scenario.parties[party_idx].preferences->utility.get());
  }
  std::size_t num_issues = scenario.issues.size();
  {
    py::gil_scoped_release release;
    model::Outcome outcome(num_issues);
    for (py::ssize_t row = 0; row < rows; ++row) {
      for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
        outcome[issue_idx] =
            static_cast<model::OptionIndex>(input(row, static_cast<py::ssize_t>(issue_idx)));
      }
      for (const model::UtilityFunction* utility : utilities) *out++ = utility->Evaluate(outcome);
    }
  }
  return result;
}

py::array_t<std::int64_t> OutcomeArray(const ScenarioHandle& handle, std::uint64_t limit) {
  CheckLimit(handle, limit);
  const model::OutcomeSpace& space = handle.space();
  std::uint64_t count = *space.Count64();
  std::size_t num_issues = space.NumIssues();
  py::array_t<std::int64_t> result(
      {static_cast<py::ssize_t>(count), static_cast<py::ssize_t>(num_issues)});
  std::int64_t* out = result.mutable_data();
  {
    py::gil_scoped_release release;
    // Mixed-radix counting: the last issue changes fastest, as in OutcomeSpace's index order.
    std::vector<std::int64_t> digits(num_issues, 0);
    for (std::uint64_t index = 0; index < count; ++index) {
      for (std::size_t issue_idx = 0; issue_idx < num_issues; ++issue_idx)
        *out++ = digits[issue_idx];
      for (std::size_t issue_idx = num_issues; issue_idx-- > 0;) {
        if (++digits[issue_idx] < static_cast<std::int64_t>(space.Cardinality(issue_idx))) break;
        digits[issue_idx] = 0;
      }
    }
  }
  return result;
}

std::string Describe(const model::Scenario& scenario, const model::Outcome& outcome) {
  return scenario.DescribeOutcome(outcome);
}

}  // namespace

void BindScenario(py::module_& module) {
  py::class_<model::Issue>(module, "Issue", "One matter under negotiation and its options.")
      .def_readonly("id", &model::Issue::id)
      .def_readonly("name", &model::Issue::name)
      .def_readonly("description", &model::Issue::description)
      .def_readonly("unit", &model::Issue::unit)
      .def_property_readonly(
          "kind",
          [](const model::Issue& issue) { return std::string(model::IssueKindName(issue.kind)); },
          "'discrete', 'integer' or 'real'")
      .def_readonly("ordered", &model::Issue::ordered)
      .def_property_readonly("num_options", &model::Issue::NumOptions)
      .def_property_readonly(
          "options",
          [](const model::Issue& issue) {
            py::list options;
            for (std::uint64_t option = 0; option < issue.NumOptions(); ++option) {
              options.append(OptionValue(issue, option));
            }
            return options;
          },
          "Every option by index: labels (discrete), ints (integer) or floats (real).")
      .def(
          "label",
          [](const model::Issue& issue, std::uint64_t option) {
            if (option >= issue.NumOptions()) ThrowInvalid("option index out of range", "option");
            return issue.OptionLabel(option);
          },
          py::arg("option"), "The label of an option index.")
      .def(
          "value",
          [](const model::Issue& issue, std::uint64_t option) {
            if (option >= issue.NumOptions()) ThrowInvalid("option index out of range", "option");
            return OptionValue(issue, option);
          },
          py::arg("option"), "The label (discrete) or number (numeric) of an option index.")
      .def(
          "index",
          [](const model::Issue& issue, py::handle option) -> std::uint64_t {
            std::optional<std::uint64_t> found;
            if (py::isinstance<py::str>(option)) {
              found = issue.FindOption(option.cast<std::string>());
            } else if (issue.IsNumeric() && !py::isinstance<py::bool_>(option)) {
              found = issue.FindOptionByValue(option.cast<double>());
            }
            if (!found) {
              ThrowStatus(NotFound(
                  "issue '" + issue.id + "' has no option " + py::repr(option).cast<std::string>(),
                  Location::InField("option")));
            }
            return *found;
          },
          py::arg("option"), "The index of an option given by label or number.")
      .def("__repr__", [](const model::Issue& issue) {
        return "<parley.Issue '" + issue.id + "' " + std::string(model::IssueKindName(issue.kind)) +
               ", " + std::to_string(issue.NumOptions()) + " options>";
      });

  py::class_<model::Party>(module, "Party", "A participant: principal, mediator or observer.")
      .def_readonly("id", &model::Party::id)
      .def_readonly("name", &model::Party::name)
      .def_readonly("description", &model::Party::description)
      .def_property_readonly(
          "role",
          [](const model::Party& party) { return std::string(model::RoleName(party.role)); },
          "'principal', 'mediator' or 'observer'")
      .def_readonly("enabled", &model::Party::enabled)
      .def_property_readonly(
          "has_preferences",
          [](const model::Party& party) { return party.preferences.has_value(); })
      .def_property_readonly(
          "reservation_value",
          [](const model::Party& party) {
            return party.preferences ? OptionalDouble(party.preferences->reservation_value)
                                     : py::object(py::none());
          },
          "Utility of walking away; None when not stated (analysis then uses 0).")
      .def_property_readonly("discount",
                             [](const model::Party& party) {
                               return party.preferences ? party.preferences->discount : 1.0;
                             })
      .def_property_readonly(
          "utility_kind",
          [](const model::Party& party) -> py::object {
            if (!party.preferences) return py::none();
            return py::str(std::string(party.preferences->utility->Kind()));
          },
          "'additive', 'hyper_rectangle' or None without preferences.")
      .def_property_readonly(
          "red_lines",
          [](const model::Party& party) {
            std::vector<std::string> red_lines;
            if (party.preferences) {
              for (const model::RedLine& red_line : party.preferences->red_lines) {
                red_lines.push_back(
                    (red_line.kind == model::RedLine::Kind::kForbid ? "forbid: " : "require: ") +
                    red_line.text);
              }
            }
            return red_lines;
          },
          "The party's red lines as written ('forbid: ...' / 'require: ...').")
      .def("__repr__", [](const model::Party& party) {
        return "<parley.Party '" + party.id + "' " + std::string(model::RoleName(party.role)) +
               (party.enabled ? "" : ", disabled") + ">";
      });

  py::class_<OutcomeIterator>(module, "OutcomeIterator")
      .def(
          "__iter__", [](OutcomeIterator& self) -> OutcomeIterator& { return self; },
          py::return_value_policy::reference_internal)
      .def("__next__", &OutcomeIterator::Next)
      .def("__length_hint__", &OutcomeIterator::Remaining);

  py::class_<ScenarioHandle, std::shared_ptr<ScenarioHandle>>(
      module, "Scenario",
      "A loaded scenario: issues, parties and their preferences. Outcomes are tuples of option "
      "indices, one per issue; methods also accept {issue: option} dicts and 'issue=option,...' "
      "text. Load one with parley.load().")
      .def_property_readonly("name",
                             [](const ScenarioHandle& self) { return self.scenario().name; })
      .def_property_readonly("title",
                             [](const ScenarioHandle& self) { return self.scenario().meta.title; })
      .def_property_readonly(
          "description",
          [](const ScenarioHandle& self) { return self.scenario().meta.description; })
      .def_property_readonly(
          "source_format",
          [](const ScenarioHandle& self) {
            return std::string(model::SourceFormatName(self.scenario().source_format));
          },
          "'parley', 'genius' or 'geniusweb': the utility semantics the file defines.")
      .def_property_readonly(
          "source_files", [](const ScenarioHandle& self) { return self.scenario().source_files; })
      .def_property_readonly(
          "issues", [](const ScenarioHandle& self) { return self.scenario().issues; },
          "The issues, in outcome order (copies).")
      .def_property_readonly(
          "parties", [](const ScenarioHandle& self) { return self.scenario().parties; },
          "Every party, in file order (copies).")
      .def_property_readonly(
          "principals",
          [](const ScenarioHandle& self) {
            std::vector<std::string> ids;
            for (std::size_t party_idx : self.scenario().PrincipalIndices()) {
              ids.push_back(self.scenario().parties[party_idx].id);
            }
            return ids;
          },
          "Ids of the enabled principals with preferences: the parties analyse() looks at.")
      .def_property_readonly(
          "scored_parties",
          [](const ScenarioHandle& self) {
            std::vector<std::string> ids;
            for (std::size_t party_idx : self.scored())
              ids.push_back(self.scenario().parties[party_idx].id);
            return ids;
          },
          "Ids of the parties with preferences: the columns of utilities().")
      .def_property_readonly(
          "outcome_count",
          [](const ScenarioHandle& self) {
            return py::int_(py::str(self.space().Count().ToString()));
          },
          "Exact number of outcomes (a Python int at any size).")
      .def_property_readonly(
          "shape",
          [](const ScenarioHandle& self) {
            py::tuple shape(self.space().NumIssues());
            for (std::size_t issue_idx = 0; issue_idx < self.space().NumIssues(); ++issue_idx) {
              shape[issue_idx] = py::int_(self.space().Cardinality(issue_idx));
            }
            return shape;
          },
          "Options per issue.")
      .def(
          "is_enumerable",
          [](const ScenarioHandle& self, std::uint64_t limit) {
            return self.space().IsEnumerable(limit);
          },
          py::arg("limit") = kDefaultEnumerationLimit,
          "True when the space has at most `limit` outcomes.")
      .def(
          "outcomes",
          [](std::shared_ptr<ScenarioHandle> self, std::uint64_t limit) {
            CheckLimit(*self, limit);
            return OutcomeIterator(std::move(self));
          },
          py::arg("limit") = kDefaultEnumerationLimit,
          "Iterates every outcome (tuples of option indices) in index order. Raises "
          "UnsupportedError when the space has more than `limit` outcomes.")
      .def("outcome_array", &OutcomeArray, py::arg("limit") = kDefaultEnumerationLimit,
           "Every outcome as an (n, issues) int64 numpy array, in index order. Raises "
           "UnsupportedError when the space has more than `limit` outcomes.")
      .def(
          "outcome",
          [](const ScenarioHandle& self, py::handle value) {
            return OutcomeToPython(
                OutcomeFromPython(self.scenario(), self.space(), value, "outcome"));
          },
          py::arg("outcome"),
          "Checks an outcome given in any accepted form and returns its option indices.")
      .def(
          "describe",
          [](const ScenarioHandle& self, py::handle value) {
            model::Outcome outcome =
                OutcomeFromPython(self.scenario(), self.space(), value, "outcome");
            py::dict described;
            for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
              described[py::str(self.scenario().issues[issue_idx].id)] =
                  OptionValue(self.scenario().issues[issue_idx], outcome[issue_idx]);
            }
            return described;
          },
          py::arg("outcome"), "{issue id: option label or number} for an outcome.")
      .def(
          "format",
          [](const ScenarioHandle& self, py::handle value) {
            return Describe(self.scenario(),
                            OutcomeFromPython(self.scenario(), self.space(), value, "outcome"));
          },
          py::arg("outcome"), "'issue=label, issue=label' for an outcome.")
      .def(
          "party",
          [](const ScenarioHandle& self, py::handle party) {
            return self.scenario().parties[PartyFromPython(self.scenario(), party, "party")];
          },
          py::arg("party"), "A party by id or index (a copy).")
      .def(
          "utility",
          [](const ScenarioHandle& self, py::handle party, py::handle value) {
            std::size_t party_idx = PartyWithPreferences(self.scenario(), party, "party");
            model::Outcome outcome =
                OutcomeFromPython(self.scenario(), self.space(), value, "outcome");
            return self.scenario().parties[party_idx].preferences->utility->Evaluate(outcome);
          },
          py::arg("party"), py::arg("outcome"),
          "The party's utility of one outcome (its own semantics: GENIUS, GeniusWeb or parley).")
      .def("utilities", &Utilities, py::arg("outcomes"), py::arg("parties") = py::none(),
           "Utilities of many outcomes: `outcomes` is an (n, issues) integer array of option "
           "indices; returns an (n, parties) float64 array, one column per party with "
           "preferences (scored_parties) or per party in `parties`; a (n,) array when `parties` "
           "is one party.")
      .def(
          "allowed",
          [](const ScenarioHandle& self, py::handle party, py::handle value) {
            std::size_t party_idx = PartyWithPreferences(self.scenario(), party, "party");
            model::Outcome outcome =
                OutcomeFromPython(self.scenario(), self.space(), value, "outcome");
            return self.scenario().parties[party_idx].preferences->AllowedByRedLines(outcome);
          },
          py::arg("party"), py::arg("outcome"),
          "True when none of the party's red lines forbids it.")
      .def(
          "utility_range",
          [](const ScenarioHandle& self, py::handle party) {
            std::size_t party_idx = PartyWithPreferences(self.scenario(), party, "party");
            model::UtilityRange range;
            {
              py::gil_scoped_release release;
              range = model::ComputeUtilityRange(
                  *self.scenario().parties[party_idx].preferences->utility, self.space());
            }
            py::dict result;
            result["min"] = range.min;
            result["max"] = range.max;
            result["argmin"] = OutcomeToPython(range.argmin);
            result["argmax"] = OutcomeToPython(range.argmax);
            result["exact"] = range.exact;
            return result;
          },
          py::arg("party"),
          "{'min', 'max', 'argmin', 'argmax', 'exact'}: the party's worst and best outcomes.")
      .def(
          "to_yaml",
          [](const ScenarioHandle& self) { return io::WriteParleyYaml(self.scenario()); },
          "The scenario in parley's YAML format.")
      .def(
          "to_json",
          [](const ScenarioHandle& self) { return io::WriteParleyJson(self.scenario()); },
          "The scenario in parley's JSON format.")
      .def(
          "save",
          [](const ScenarioHandle& self, py::object path, std::string to) {
            std::string output = py::module_::import("os").attr("fspath")(path).cast<std::string>();
            io::OutputFormat format = Unwrap(io::ChooseOutputFormat(output, to));
            Status status;
            {
              py::gil_scoped_release release;
              status = io::WriteScenario(self.scenario(), output, format);
            }
            ThrowIfError(status);
          },
          py::arg("path"), py::arg("to") = "",
          "Writes the scenario as parley YAML/JSON (by extension) or a GeniusWeb folder "
          "(to='geniusweb'), atomically.")
      .def(
          "_additive_tables",
          [](const ScenarioHandle& self, py::handle party) -> py::object {
            std::size_t party_idx = PartyWithPreferences(self.scenario(), party, "party");
            const model::UtilityFunction& utility =
                *self.scenario().parties[party_idx].preferences->utility;
            if (!utility.IsAdditive()) return py::none();
            const auto& additive = static_cast<const model::AdditiveUtility&>(utility);
            std::vector<std::vector<double>> tables;
            for (const model::ValueFunction& values : additive.values()) {
              tables.push_back(values.table);
            }
            return py::make_tuple(additive.offset(), additive.weights(), tables);
          },
          py::arg("party"),
          "(offset, weights, tables) of an additive utility: utility = offset + sum over "
          "issues of weights[i] * tables[i][option]; None for other utilities.")
      .def("_source",
           [](const ScenarioHandle& self) -> py::object {
             const io::ScenarioSource& source = self.source();
             if (!source.path.empty()) return py::str(source.path);
             if (source.domain.empty()) return py::none();
             py::dict files;
             files["domain"] = source.domain;
             files["profiles"] = source.profiles;
             return files;
           })
      .def("__repr__", [](const ScenarioHandle& self) {
        return "<parley.Scenario '" + self.scenario().name +
               "': " + std::to_string(self.scenario().issues.size()) + " issues, " +
               std::to_string(self.scenario().parties.size()) + " parties, " +
               self.space().Count().ToDisplayString() + " outcomes>";
      });

  module.def("load", &Load, py::arg("source") = py::none(), py::kw_only(),
             py::arg("domain") = py::none(), py::arg("profiles") = std::vector<std::string>(),
             "Loads a scenario in any form the CLI takes: a parley YAML/JSON file, a GENIUS or "
             "GeniusWeb folder, YAML/JSON text, or domain= and profiles= files. Errors raise "
             "InvalidInputError / NotFoundError with parley's file, line, column and field.");
}

}  // namespace parley::python
