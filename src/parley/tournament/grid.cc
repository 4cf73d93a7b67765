#include "parley/tournament/grid.h"

#include <cctype>
#include <limits>

#include "parley/base/strings.h"

namespace parley::tournament {
namespace {

bool IsNameCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

class GridParser {
 public:
  explicit GridParser(const std::string& text) : text_(text) {}

  Result<GridSpec> Parse() {
    GridSpec grid;
    SkipSpaces();
    std::size_t name_start = position_;
    while (position_ < text_.size() && IsNameCharacter(text_[position_])) ++position_;
    grid.name = text_.substr(name_start, position_ - name_start);
    if (grid.name.empty()) return Error("expected a strategy name");
    SkipSpaces();
    if (position_ == text_.size()) return grid;
    if (text_[position_] != '(') return Error("expected '(' after the name");
    ++position_;
    SkipSpaces();
    if (Peek() == ')') {
      ++position_;
      return Finish(std::move(grid));
    }
    while (true) {
      SkipSpaces();
      std::size_t key_start = position_;
      while (position_ < text_.size() && text_[position_] != '=' && text_[position_] != ',' &&
             text_[position_] != ')' && text_[position_] != '[') {
        ++position_;
      }
      std::string key(Trim(text_.substr(key_start, position_ - key_start)));
      if (Peek() != '=') {
        position_ = key_start;
        return Error("expected key=value");
      }
      if (key.empty()) return Error("empty parameter name");
      for (const auto& [known, values] : grid.parameters) {
        if (known == key) {
          position_ = key_start;
          return Error("parameter '" + key + "' given twice");
        }
      }
      ++position_;  // '='
      SkipSpaces();
      std::vector<std::string> values;
      if (Peek() == '[') {
        PARLEY_ASSIGN_OR_RETURN(values, ParseList());
      } else {
        std::size_t value_start = position_;
        while (position_ < text_.size() && text_[position_] != ',' && text_[position_] != ')') {
          if (text_[position_] == '[' || text_[position_] == ']') {
            return Error("a list of values must be the whole value: key=[v1, v2]");
          }
          ++position_;
        }
        values.emplace_back(Trim(text_.substr(value_start, position_ - value_start)));
      }
      grid.parameters.emplace_back(key, std::move(values));
      SkipSpaces();
      if (Peek() == ',') {
        ++position_;
        continue;
      }
      if (Peek() == ')') {
        ++position_;
        return Finish(std::move(grid));
      }
      return Error(position_ == text_.size() ? "missing ')'" : "expected ',' or ')'");
    }
  }

 private:
  char Peek() const { return position_ < text_.size() ? text_[position_] : '\0'; }
  void SkipSpaces() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) {
      ++position_;
    }
  }
  Status Error(const std::string& message) const {
    return InvalidInput(message + " in '" + text_ + "'",
                        Location{"", 0, static_cast<int>(position_) + 1, ""});
  }

  // "[v1, v2, ...]" at position_; values are trimmed, none may be empty.
  Result<std::vector<std::string>> ParseList() {
    ++position_;  // '['
    std::vector<std::string> values;
    while (true) {
      std::size_t value_start = position_;
      while (position_ < text_.size() && text_[position_] != ',' && text_[position_] != ']') {
        if (text_[position_] == '[' || text_[position_] == ')' || text_[position_] == '(') {
          return Error("unexpected '" + std::string(1, text_[position_]) + "' in a list of values");
        }
        ++position_;
      }
      if (position_ == text_.size()) return Error("missing ']'");
      std::string value(Trim(text_.substr(value_start, position_ - value_start)));
      if (value.empty()) {
        return Error(values.empty() && text_[position_] == ']' ? "empty list of values"
                                                               : "empty value in a list");
      }
      values.push_back(std::move(value));
      if (text_[position_] == ']') {
        ++position_;
        return values;
      }
      ++position_;  // ','
    }
  }

  Result<GridSpec> Finish(GridSpec grid) {
    SkipSpaces();
    if (position_ != text_.size()) return Error("unexpected text after ')'");
    return grid;
  }

  const std::string& text_;
  std::size_t position_ = 0;
};

}  // namespace

Result<GridSpec> ParseGridSpec(const std::string& text) { return GridParser(text).Parse(); }

std::size_t GridSize(const GridSpec& grid) {
  std::size_t size = 1;
  for (const auto& [key, values] : grid.parameters) {
    if (values.empty()) return 0;
    if (size > std::numeric_limits<std::size_t>::max() / values.size()) {
      return std::numeric_limits<std::size_t>::max();
    }
    size *= values.size();
  }
  return size;
}

std::vector<std::string> ExpandGrid(const GridSpec& grid) {
  std::vector<std::string> specs;
  std::vector<std::size_t> choice(grid.parameters.size(), 0);
  while (true) {
    std::string spec = grid.name;
    if (!grid.parameters.empty()) {
      spec += "(";
      for (std::size_t parameter_idx = 0; parameter_idx < grid.parameters.size(); ++parameter_idx) {
        const auto& [key, values] = grid.parameters[parameter_idx];
        if (parameter_idx > 0) spec += ", ";
        spec += key + "=" + values[choice[parameter_idx]];
      }
      spec += ")";
    }
    specs.push_back(std::move(spec));
    // Odometer: the last parameter turns fastest.
    std::size_t digit = grid.parameters.size();
    while (digit > 0) {
      --digit;
      if (++choice[digit] < grid.parameters[digit].second.size()) break;
      choice[digit] = 0;
      if (digit == 0) return specs;
    }
    if (grid.parameters.empty()) return specs;
  }
}

}  // namespace parley::tournament
