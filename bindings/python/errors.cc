#include "errors.h"

namespace parley::python {
namespace py = pybind11;
namespace {

// Exception classes live as long as the interpreter; handles are never released, so nothing is
// destroyed after Python has finalised.
struct ErrorClasses {
  py::handle base;
  py::handle invalid_input;
  py::handle not_found;
  py::handle unsupported;
  py::handle cancelled;
};
ErrorClasses& Classes() {
  static ErrorClasses classes;
  return classes;
}

py::handle NewClass(py::module_& module, const char* name, const char* doc, py::handle bases) {
  std::string qualified = std::string("parley.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
  if (cls == nullptr) throw py::error_already_set();
  module.add_object(name, py::handle(cls));  // add_object takes a new reference
  return py::handle(cls);
}

py::handle ClassFor(ErrorCode code) {
  const ErrorClasses& classes = Classes();
  switch (code) {
    case ErrorCode::kInvalidInput:
      return classes.invalid_input;
    case ErrorCode::kNotFound:
      return classes.not_found;
    case ErrorCode::kUnsupported:
      return classes.unsupported;
    case ErrorCode::kCancelled:
      return classes.cancelled;
    case ErrorCode::kOk:
    case ErrorCode::kInternal:
      break;
  }
  return classes.base;
}

}  // namespace

void RegisterErrors(py::module_& module) {
  ErrorClasses& classes = Classes();
  classes.base = NewClass(module, "ParleyError",
                          "Base of parley's errors. Attributes: code ('invalid input', 'not "
                          "found', 'unsupported', 'cancelled', 'internal error'), message, file, "
                          "line, column, field (parts that are unknown are '' or 0).",
                          PyExc_RuntimeError);
  py::tuple invalid_bases = py::make_tuple(classes.base, py::handle(PyExc_ValueError));
  classes.invalid_input =
      NewClass(module, "InvalidInputError",
               "The input is wrong: a scenario file, a spec, an argument. Also a ValueError.",
               invalid_bases);
  py::tuple not_found_bases = py::make_tuple(classes.base, py::handle(PyExc_LookupError));
  classes.not_found = NewClass(module, "NotFoundError",
                               "A named file, party, issue ... does not exist. Also a "
                               "LookupError.",
                               not_found_bases);
  py::tuple unsupported_bases = py::make_tuple(classes.base, py::handle(PyExc_ValueError));
  classes.unsupported =
      NewClass(module, "UnsupportedError",
               "Valid input that a format or algorithm cannot express (e.g. enumerating 10^30 "
               "outcomes). Also a ValueError.",
               unsupported_bases);
  classes.cancelled =
      NewClass(module, "CancelledError", "Long work stopped on request.", classes.base);
}

void ThrowStatus(const Status& status) {
  py::handle cls = ClassFor(status.code());
  py::object error = cls(status.ToString());
  error.attr("code") = std::string(ErrorCodeName(status.code()));
  error.attr("message") = status.message();
  error.attr("file") = status.location().file;
  error.attr("line") = status.location().line;
  error.attr("column") = status.location().column;
  error.attr("field") = status.location().field;
  PyErr_SetObject(cls.ptr(), error.ptr());
  throw py::error_already_set();
}

void ThrowInvalid(const std::string& message, const std::string& field) {
  ThrowStatus(InvalidInput(message, Location::InField(field)));
}

}  // namespace parley::python
