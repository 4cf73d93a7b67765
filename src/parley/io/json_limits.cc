#include "parley/io/json_limits.h"

#include <cmath>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace parley::io {
namespace {

// Builds the document with nlohmann's own DOM builder and stops at the first event that breaks a
// limit. `position` is the parser's byte offset at each event, for error locations.
template <typename BasicJson>
class LimitedSax {
 public:
  using number_integer_t = typename BasicJson::number_integer_t;
  using number_unsigned_t = typename BasicJson::number_unsigned_t;
  using number_float_t = typename BasicJson::number_float_t;
  using string_t = typename BasicJson::string_t;
  using binary_t = typename BasicJson::binary_t;

  // `consumed` is the parser's progress through the text (for the location of a duplicate key).
  LimitedSax(BasicJson& result, const JsonLimits& limits, std::string_view text,
             const std::size_t* consumed)
      : builder_(result, /*allow_exceptions=*/false),
        limits_(limits),
        text_(text),
        consumed_(consumed) {}

  bool null() { return Count() && builder_.null(); }
  bool boolean(bool value) { return Count() && builder_.boolean(value); }
  bool number_integer(number_integer_t value) { return Count() && builder_.number_integer(value); }
  bool number_unsigned(number_unsigned_t value) {
    return Count() && builder_.number_unsigned(value);
  }
  bool number_float(number_float_t value, const string_t& text) {
    if (!Count()) return false;
    if (!std::isfinite(value)) {
      return Fail("the number " + Shorten(text) + " is out of range (beyond a double)");
    }
    return builder_.number_float(value, text);
  }
  bool string(string_t& value) { return Count() && builder_.string(value); }
  bool binary(binary_t& value) { return Count() && builder_.binary(value); }
  bool start_object(std::size_t elements) {
    if (!Count()) return false;
    if (++depth_ > limits_.max_depth) return TooDeep();
    if (limits_.refuse_duplicate_keys) keys_.emplace_back();
    return builder_.start_object(elements);
  }
  bool key(string_t& value) {
    if (!Count()) return false;
    if (limits_.refuse_duplicate_keys && !keys_.empty() && !keys_.back().insert(value).second) {
      position_ = KeyStart() + 1;  // reported as the byte before position_
      return Fail("key '" + Shorten(value) + "' appears twice in the same object");
    }
    return builder_.key(value);
  }
  bool end_object() {
    --depth_;
    if (limits_.refuse_duplicate_keys && !keys_.empty()) keys_.pop_back();
    return builder_.end_object();
  }
  bool start_array(std::size_t elements) {
    if (!Count()) return false;
    if (++depth_ > limits_.max_depth) return TooDeep();
    return builder_.start_array(elements);
  }
  bool end_array() {
    --depth_;
    return builder_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& error) {
    position_ = position;
    if (error.id == 406) {  // out_of_range.406: a number beyond a double
      message_ = "the number " + Shorten(token) + " is out of range (beyond a double)";
      return false;
    }
    std::string what = error.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error while
    // parsing value - invalid literal; last read: 'x'": keep the reason after the last ": ".
    std::size_t reason = what.find("syntax error");
    if (reason == std::string::npos) reason = what.rfind(": ");
    message_ = reason == std::string::npos ? what : what.substr(reason);
    return false;
  }

  const std::optional<std::string>& message() const { return message_; }
  std::optional<std::size_t> position() const { return position_; }

 private:
  static std::string Shorten(const std::string& text) {
    return text.size() <= 40 ? text : text.substr(0, 20) + "..." + text.substr(text.size() - 10);
  }
  bool TooDeep() {
    return Fail("nested deeper than " + std::to_string(limits_.max_depth) +
                " levels of objects and arrays");
  }
  bool Count() {
    if (++values_ <= limits_.max_values) return true;
    return Fail("more than " + std::to_string(limits_.max_values) +
                " values (objects, arrays, keys, strings, numbers, literals)");
  }
  // Where the key just read starts: the parser has read through its closing quote.
  std::size_t KeyStart() const {
    std::size_t close = std::min(*consumed_, text_.size());
    if (close == 0) return 0;
    std::size_t at = close - 1;  // the closing quote
    while (at > 0) {
      --at;
      if (text_[at] != '"') continue;
      std::size_t backslashes = 0;
      while (at > backslashes && text_[at - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return at;
    }
    return 0;
  }
  bool Fail(std::string message) {
    if (!message_) message_ = std::move(message);
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<BasicJson> builder_;
  const JsonLimits& limits_;
  std::string_view text_;
  const std::size_t* consumed_;
  int depth_ = 0;
  std::uint64_t values_ = 0;
  std::vector<std::set<string_t>> keys_;  // per open object, when duplicates are refused
  std::optional<std::string> message_;
  std::optional<std::size_t> position_;
};

// A character iterator that remembers the furthest offset read, for error locations.
struct CountingIterator {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* at;
  const char* begin;
  std::size_t* consumed;

  reference operator*() const { return *at; }
  CountingIterator& operator++() {
    ++at;
    *consumed = static_cast<std::size_t>(at - begin);
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at == other.at; }
  bool operator!=(const CountingIterator& other) const { return at != other.at; }
};

template <typename BasicJson>
Result<BasicJson> Parse(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return InvalidInput("the JSON text has " + std::to_string(text.size()) +
                        " bytes; the limit is " + std::to_string(limits.max_bytes) +
                        " (docs/scenario-format.md, Limits)");
  }
  BasicJson result;
  // The iterator records how far the parser has read; an error event carries its own position.
  std::size_t consumed = 0;
  LimitedSax<BasicJson> sax(result, limits, text, &consumed);
  CountingIterator first{text.data(), text.data(), &consumed};
  CountingIterator last{text.data() + text.size(), text.data(), &consumed};
  bool ok = false;
  try {
    ok = BasicJson::sax_parse(first, last, &sax, nlohmann::detail::input_format_t::json,
                              /*strict=*/true);
  } catch (const std::exception& error) {  // the DOM builder's own errors (none expected)
    return InvalidInput(std::string("malformed JSON: ") + error.what());
  }
  if (ok && !sax.message()) return result;
  std::size_t offset = sax.position().value_or(consumed);
  // The byte that was just read is the one in error.
  Location location = LocationOfOffset(text, offset > 0 ? offset - 1 : 0);
  return InvalidInput(sax.message().value_or("malformed JSON"), location);
}

}  // namespace

Location LocationOfOffset(std::string_view text, std::size_t offset) {
  Location location;
  location.line = 1;
  location.column = 1;
  offset = std::min(offset, text.size());
  for (std::size_t byte_idx = 0; byte_idx < offset; ++byte_idx) {
    if (text[byte_idx] == '\n') {
      ++location.line;
      location.column = 1;
    } else {
      ++location.column;
    }
  }
  return location;
}

Result<Json> ParseJson(std::string_view text, const JsonLimits& limits) {
  return Parse<Json>(text, limits);
}

}  // namespace parley::io
