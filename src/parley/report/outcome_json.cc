#include "parley/report/outcome_json.h"

namespace parley::report {

std::string DescribeOutcomeJson(const nlohmann::ordered_json& outcome) {
  std::string out;
  for (const auto& [issue, value] : outcome.items()) {
    if (!out.empty()) out += ", ";
    out += issue + "=";
    if (value.is_string()) {
      out += value.get<std::string>();
    } else if (value.is_number_float()) {
      out += model::FormatNumber(value.get<double>());
    } else {
      out += value.dump();
    }
  }
  return out;
}

}  // namespace parley::report
