// Parsing numbers from text the way every parley reader accepts them: the whole token, an
// optional leading '+', nothing else around it, and finite values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace parley {

// "5", "-0.5", "1e-07", "+3" -> the value; "", "5x", "inf", "nan", " 5", "+-1" -> nullopt.
std::optional<double> ParseFiniteDouble(std::string_view text);

// "42", "+7", "-3" -> the value; "4.0", "", "9223372036854775808", "+-3" -> nullopt.
std::optional<std::int64_t> ParseInt64(std::string_view text);

}  // namespace parley
