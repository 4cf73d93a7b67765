# Every dependency comes from a Debian 12 package (Makefile's `deps` target installs them).
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(pugixml REQUIRED)
find_package(CLI11 REQUIRED)
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
