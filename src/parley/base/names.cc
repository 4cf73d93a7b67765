#include "parley/base/names.h"

#include <algorithm>
#include <limits>

namespace parley {
namespace {

constexpr std::size_t kMaxListed = 20;
constexpr std::size_t kMaxQuoted = 60;

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string Quote(std::string_view text) {
  if (text.size() > kMaxQuoted) return "'" + std::string(text.substr(0, kMaxQuoted)) + "...'";
  return "'" + std::string(text) + "'";
}

std::string ListNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t name_idx = 0; name_idx < names.size() && name_idx < kMaxListed; ++name_idx) {
    if (name_idx > 0) out += ", ";
    out += names[name_idx];
  }
  if (names.size() > kMaxListed) {
    out += ", ... (" + std::to_string(names.size() - kMaxListed) + " more)";
  }
  return out;
}

std::string Suggestion(std::string_view name, const std::vector<std::string>& candidates) {
  // Long names are not compared: the quadratic distance would cost too much on hostile input.
  if (name.size() > 200) return "";
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  const std::string* best = nullptr;
  for (const std::string& candidate : candidates) {
    if (candidate.size() > 200) continue;
    std::size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = &candidate;
    }
  }
  if (best == nullptr || best_distance == 0) return "";
  if (best_distance > std::max<std::size_t>(1, std::max(name.size(), best->size()) / 3)) return "";
  return "; did you mean " + Quote(*best) + "?";
}

std::string UnknownName(std::string_view what, std::string_view name, std::string_view plural,
                        const std::vector<std::string>& candidates) {
  return "unknown " + std::string(what) + " " + Quote(name) + Suggestion(name, candidates) + " (" +
         std::string(plural) + " are: " + ListNames(candidates) + ")";
}

}  // namespace parley
