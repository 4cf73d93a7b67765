# Every dependency comes from a Debian 12 package (Makefile's `deps` target installs them).
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(pugixml REQUIRED)
find_package(CLI11 REQUIRED)
# Boost.Math (header-only, libboost-dev): quantiles of the normal and Student's t distributions.
find_package(Boost 1.74 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(GMPXX REQUIRED IMPORTED_TARGET gmpxx)
if(PARLEY_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(PARLEY_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

find_program(PARLEY_CCACHE ccache)
if(PARLEY_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${PARLEY_CCACHE}")
endif()
# OpenMPI (libopenmpi-dev) for `parley tournament --mpi`; without it the flag says so.
# The project is C++ only: MPI's C API through the CXX component, without the C++ bindings.
set(MPI_CXX_SKIP_MPICXX ON)
find_package(MPI COMPONENTS CXX)
# The Python package: pybind11 (pybind11-dev) and the headers of Debian's Python (python3-dev).
# Debian's interpreter is the one whose packages (numpy, pytest, pandas) the package is built and
# tested against, so it is chosen over another python3 earlier on PATH (pyenv, conda); a
# virtual environment's interpreter can be given with -DPython_EXECUTABLE (setup.py does).
if(PARLEY_BUILD_PYTHON)
  if(NOT DEFINED Python_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python_EXECUTABLE /usr/bin/python3)
  endif()
  find_package(Python 3.9 REQUIRED COMPONENTS Interpreter Development.Module)
  set(PYBIND11_FINDPYTHON ON)
  find_package(pybind11 2.6 CONFIG REQUIRED)
endif()
