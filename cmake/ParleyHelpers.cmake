# parley_add_module / parley_add_test: one CMake target per library module, one test program
# per module, with the warnings and sanitizers every target shares.

function(parley_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(PARLEY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # GCC 12's flow analysis reports false -Wrestrict (GCC bug 105651) and -Wmaybe-uninitialized
  # (on std::optional<std::vector>, std::regex, std::function) inside libstdc++ at -O2/-O3 and
  # under sanitizers; they would fail -Werror builds on correct code. The sanitizer and valgrind
  # runs check what -Wmaybe-uninitialized guesses at.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict -Wno-maybe-uninitialized)
  endif()
endfunction()

if(PARLEY_SANITIZE)
  add_compile_options(-fsanitize=${PARLEY_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${PARLEY_SANITIZE})
endif()

# parley_add_module(NAME DEPS dep... [OBJECT])
# Sources are the module folder's *.cc files (tests, *_test.cc, excluded); a module owns its
# folder, so adding a file to a module needs no CMake edit. OBJECT modules (protocols,
# strategies) keep self-registering objects through linking.
function(parley_add_module name)
  cmake_parse_arguments(ARG "OBJECT" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cc")
  list(FILTER sources EXCLUDE REGEX "_test\\.cc$")
  if(ARG_OBJECT)
    add_library(parley_${name} OBJECT ${sources})
  else()
    add_library(parley_${name} STATIC ${sources})
  endif()
  add_library(parley::${name} ALIAS parley_${name})
  target_include_directories(parley_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(parley_${name} PUBLIC ${ARG_DEPS})
  parley_set_warnings(parley_${name})
endfunction()

# parley_add_test(NAME SOURCES src... DEPS dep... LABELS label... [SHARDS n] [OPTIMIZED])
# Each test case is its own ctest test, except with SHARDS: then the program runs as n ctest tests,
# each one gtest shard (GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX). For programs of a thousand short
# cases, where starting a process per case (about 0.3 s under ASan) costs more than the cases.
function(parley_add_test name)
  if(NOT PARLEY_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "OPTIMIZED" "SHARDS" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    PARLEY_SHARED_DATA_DIR="${PARLEY_SHARED_DATA_DIR}"
    PARLEY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PARLEY_CLI_PATH="$<TARGET_FILE:parley>")
  parley_set_warnings(${name})
  # PARLEY_TEST_COMPILE_OPTIONS (-O0 under the sanitizers) unless the program's own code does the
  # heavy work (brute force): OPTIMIZED compiles it like the library.
  if(NOT ARG_OPTIMIZED)
    target_compile_options(${name} PRIVATE ${PARLEY_TEST_COMPILE_OPTIONS})
  endif()
  if(ARG_SHARDS)
    math(EXPR last "${ARG_SHARDS} - 1")
    foreach(shard RANGE ${last})
      add_test(NAME ${name}/shard_${shard}_of_${ARG_SHARDS} COMMAND ${name} --gtest_brief=1)
      set_tests_properties(${name}/shard_${shard}_of_${ARG_SHARDS} PROPERTIES
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "GTEST_TOTAL_SHARDS=${ARG_SHARDS};GTEST_SHARD_INDEX=${shard}")
    endforeach()
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

# parley_add_module_tests(MODULE DEPS dep...): the module folder's *_test.cc as one program.
function(parley_add_module_tests module)
  cmake_parse_arguments(ARG "" "" "DEPS;LABELS" ${ARGN})
  file(GLOB_RECURSE tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc")
  if(NOT tests)
    return()
  endif()
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  parley_add_test(parley_${module}_test SOURCES ${tests} DEPS parley::${module} ${ARG_DEPS}
                  LABELS ${ARG_LABELS})
endfunction()
