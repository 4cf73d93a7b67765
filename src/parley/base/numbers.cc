#include "parley/base/numbers.h"

#include <charconv>
#include <cmath>

namespace parley {

std::optional<double> ParseFiniteDouble(std::string_view text) {
  const char* start = text.data();
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+' || (text.front() == '-' && text.data() != start)) {
    return std::nullopt;  // "+", "++1" and "+-1" are not numbers
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> ParseInt64(std::string_view text) {
  const char* start = text.data();
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+' || (text.front() == '-' && text.data() != start)) {
    return std::nullopt;  // "+", "++1" and "+-1" are not numbers
  }
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace parley
