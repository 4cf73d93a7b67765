// Calendar dates as YYYY-MM-DD text and day counts, for records dated by calendar.
#pragma once

#include <optional>
#include <string>

namespace parley {

// Days since 1970-01-01 of a YYYY-MM-DD date; nullopt when the text is not a valid date.
std::optional<long> DaysOfDate(const std::string& date);
// The date `days` after 1970-01-01, as YYYY-MM-DD.
std::string DateOfDays(long days);

}  // namespace parley
