// Small string utilities shared by every module: trimming whitespace and grouping digits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace parley {

// `text` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r):
// "  a b \n" -> "a b". The result views `text`.
std::string_view Trim(std::string_view text);

// 503808 -> "503,808"; 999 -> "999".
std::string GroupThousands(std::uint64_t value);

}  // namespace parley
