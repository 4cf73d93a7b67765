// parley._parley: the compiled half of the `parley` Python package (parley/__init__.py is the
// other). Thin: arguments are validated here, everything else is the library's.
#include "bindings.h"
#include "errors.h"
#include "parley/base/version.h"

PYBIND11_MODULE(_parley, module) {
  module.doc() = "parley's C++ engine (import parley, not this module)";
  module.attr("__version__") = parley::kVersion;
  parley::python::RegisterErrors(module);
  parley::python::BindScenario(module);
  parley::python::BindAnalysis(module);
  parley::python::BindStrategies(module);
  parley::python::BindSession(module);
  parley::python::BindTournament(module);
}
