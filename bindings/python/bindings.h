// The parts of the `parley._parley` extension module, one per area (module.cc calls them).
#pragma once

#include <pybind11/pybind11.h>

namespace parley::python {

void BindScenario(pybind11::module_& module);
void BindAnalysis(pybind11::module_& module);
void BindStrategies(pybind11::module_& module);
void BindSession(pybind11::module_& module);
void BindTournament(pybind11::module_& module);

}  // namespace parley::python
