// PARLEY_CHECK: aborts with file and line on a programmer error. No user input may reach one;
// user input is validated at the edge and reported through Status.
#pragma once

namespace parley::internal {
[[noreturn]] void CheckFailed(const char* expression, const char* file, int line);
}  // namespace parley::internal

#define PARLEY_CHECK(condition)                                                        \
  do {                                                                                 \
    if (!(condition)) ::parley::internal::CheckFailed(#condition, __FILE__, __LINE__); \
  } while (false)
