// Small text helpers for error messages: quoting, listing the allowed names, and a
// "did you mean" suggestion by edit distance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parley {

// 'text' in single quotes, shortened to about 60 characters.
std::string Quote(std::string_view text);

// "a, b, c" (at most 20 names, then "... (N more)").
std::string ListNames(const std::vector<std::string>& names);

// "; did you mean 'x'?" when one candidate is within a third of the name's length (at least 1)
// in edit distance, else "". Exact matches give "".
std::string Suggestion(std::string_view name, const std::vector<std::string>& candidates);

// "unknown <what> 'name'; did you mean 'x'? (<plural> are: a, b, c)".
std::string UnknownName(std::string_view what, std::string_view name, std::string_view plural,
                        const std::vector<std::string>& candidates);

}  // namespace parley
