// Red-line expressions: a hand-written lexer and recursive-descent parser that resolve every issue
// and option at parse time, compiling comparisons to atoms "the issue's option is in this set".
#include "parley/model/red_line.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "parley/base/names.h"
#include "parley/base/numbers.h"

namespace parley::model {
namespace {

// Deeper nesting is refused so that hostile input cannot exhaust the stack.
constexpr int kMaxDepth = 100;
// Largest issue a red line may mention (its atoms hold one bit per option).
constexpr std::uint64_t kMaxAtomOptions = std::uint64_t{1} << 26;

bool IsWordChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '+' || u >= 0x80;
}

bool IsKeyword(std::string_view word) {
  return word == "if" || word == "then" || word == "and" || word == "or" || word == "not" ||
         word == "in" || word == "true" || word == "false";
}

// Describes the options of an issue for error messages.
std::string DescribeOptions(const Issue& issue) {
  switch (issue.kind) {
    case IssueKind::kDiscrete:
      return "options are: " + ListNames(issue.options);
    case IssueKind::kInteger:
      return "issue " + Quote(issue.id) + " takes the integers from " +
             std::to_string(issue.integer_lower) + " to " + std::to_string(issue.integer_upper);
    case IssueKind::kReal:
      return "issue " + Quote(issue.id) + " takes the values " + FormatNumber(issue.real_lower) +
             ", " + FormatNumber(issue.real_lower + issue.real_step) + ", ... up to " +
             FormatNumber(issue.real_upper);
  }
  return "";
}

enum class TokenKind {
  kWord,
  kString,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kOperator,
  kEnd
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // word, unquoted string contents or operator
  int column = 1;    // 1-based column of the token's first character within the expression

  bool IsKeyword(std::string_view keyword) const {
    return kind == TokenKind::kWord && text == keyword;
  }
  std::string Describe() const {
    switch (kind) {
      case TokenKind::kEnd:
        return "the end of the expression";
      case TokenKind::kString:
        return "\"" + text + "\"";
      default:
        return Quote(text);
    }
  }
};

Status ErrorAt(int column, std::string message) {
  return InvalidInput(std::move(message), Location{"", 0, column, ""});
}

// A quoted label or issue starting at `pos` (its quote character): a backslash takes the next
// character literally. Sets `pos` past the closing quote.
Result<Token> ReadQuoted(std::string_view text, std::size_t& pos) {
  const char quote = text[pos];
  const int column = static_cast<int>(pos) + 1;
  Token token;
  token.column = column;
  token.kind = TokenKind::kString;
  std::size_t end = pos + 1;
  while (end < text.size()) {
    if (text[end] == '\\' && end + 1 < text.size()) {
      token.text += text[end + 1];
      end += 2;
    } else if (text[end] == quote) {
      pos = end + 1;
      return token;
    } else {
      token.text += text[end++];
    }
  }
  return ErrorAt(column, std::string("quoted text is not closed: missing ") + quote);
}

// A comparison operator at `pos` ('==', '!=', '<', '<=', '>', '>='); a lone '=' or '!' is
// refused with what to write instead. Sets `pos` past it.
Result<Token> ReadOperator(std::string_view text, std::size_t& pos) {
  const char c = text[pos];
  const int column = static_cast<int>(pos) + 1;
  bool followed_by_equals = pos + 1 < text.size() && text[pos + 1] == '=';
  if (c == '=' && !followed_by_equals) return ErrorAt(column, "use '==' to compare, not '='");
  if (c == '!' && !followed_by_equals) return ErrorAt(column, "use 'not' for negation, not '!'");
  Token token;
  token.column = column;
  token.kind = TokenKind::kOperator;
  token.text = std::string(text.substr(pos, followed_by_equals ? 2 : 1));
  pos += token.text.size();
  return token;
}

TokenKind PunctuationKind(char c) {
  switch (c) {
    case '(':
      return TokenKind::kLeftParen;
    case ')':
      return TokenKind::kRightParen;
    case '[':
      return TokenKind::kLeftBracket;
    case ']':
      return TokenKind::kRightBracket;
    default:
      return TokenKind::kComma;
  }
}

// The error for a character no token starts with.
Status UnexpectedCharacter(char c, int column) {
  if (c == '&' || c == '|') {
    return ErrorAt(column,
                   std::string("unexpected '") + c + "'; use '" + (c == '&' ? "and" : "or") + "'");
  }
  std::string shown =
      static_cast<unsigned char>(c) < 0x20 ? "a control character" : Quote(std::string(1, c));
  return ErrorAt(column, "unexpected " + shown + "; write options with other characters in quotes");
}

// The token starting at `pos` (not a blank); sets `pos` past it.
Result<Token> ReadToken(std::string_view text, std::size_t& pos) {
  const char c = text[pos];
  if (c == '"' || c == '\'') return ReadQuoted(text, pos);
  if (c == '=' || c == '!' || c == '<' || c == '>') return ReadOperator(text, pos);
  Token token;
  token.column = static_cast<int>(pos) + 1;
  if (IsWordChar(c)) {
    std::size_t end = pos;
    while (end < text.size() && IsWordChar(text[end])) ++end;
    token.kind = TokenKind::kWord;
    token.text = std::string(text.substr(pos, end - pos));
    pos = end;
    return token;
  }
  if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
    token.kind = PunctuationKind(c);
    token.text = std::string(1, c);
    ++pos;
    return token;
  }
  return UnexpectedCharacter(c, token.column);
}

Result<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos;
      continue;
    }
    PARLEY_ASSIGN_OR_RETURN(Token token, ReadToken(text, pos));
    tokens.push_back(std::move(token));
  }
  Token end;
  end.column = static_cast<int>(text.size()) + 1;
  tokens.push_back(end);
  return tokens;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::vector<Issue>& issues,
         std::uint64_t max_atom_options)
      : tokens_(std::move(tokens)), issues_(issues), remaining_options_(max_atom_options) {}

  Result<Expression> ParseAll() {
    if (Peek().kind == TokenKind::kEnd) return ErrorAt(Peek().column, "the expression is empty");
    PARLEY_ASSIGN_OR_RETURN(Expression expression, ParseImplication(0));
    if (Peek().kind != TokenKind::kEnd) {
      std::string hint;
      if (Peek().kind == TokenKind::kWord || Peek().kind == TokenKind::kString) {
        hint = " (missing 'and' or 'or'?)";
      }
      return ErrorAt(Peek().column,
                     "unexpected " + Peek().Describe() + " after a complete expression" + hint);
    }
    return expression;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  Status CheckDepth(int depth) const {
    if (depth > kMaxDepth) {
      return ErrorAt(Peek().column, "the expression is nested more than " +
                                        std::to_string(kMaxDepth) + " levels deep");
    }
    return Status::Ok();
  }

  Result<Expression> ParseImplication(int depth) {
    PARLEY_RETURN_IF_ERROR(CheckDepth(depth));
    if (!Peek().IsKeyword("if")) return ParseOr(depth);
    Next();
    PARLEY_ASSIGN_OR_RETURN(Expression condition, ParseOr(depth));
    if (!Peek().IsKeyword("then")) {
      return ErrorAt(Peek().column, "expected 'then', got " + Peek().Describe());
    }
    Next();
    PARLEY_ASSIGN_OR_RETURN(Expression consequence, ParseOr(depth));
    Expression implication;
    implication.kind = Expression::Kind::kImplies;
    implication.children.push_back(std::move(condition));
    implication.children.push_back(std::move(consequence));
    return implication;
  }

  Result<Expression> ParseOr(int depth) {
    PARLEY_ASSIGN_OR_RETURN(Expression first, ParseAnd(depth));
    if (!Peek().IsKeyword("or")) return first;
    Expression disjunction;
    disjunction.kind = Expression::Kind::kOr;
    disjunction.children.push_back(std::move(first));
    while (Peek().IsKeyword("or")) {
      Next();
      PARLEY_ASSIGN_OR_RETURN(Expression next, ParseAnd(depth));
      disjunction.children.push_back(std::move(next));
    }
    return disjunction;
  }

  Result<Expression> ParseAnd(int depth) {
    PARLEY_ASSIGN_OR_RETURN(Expression first, ParseUnary(depth));
    if (!Peek().IsKeyword("and")) return first;
    Expression conjunction;
    conjunction.kind = Expression::Kind::kAnd;
    conjunction.children.push_back(std::move(first));
    while (Peek().IsKeyword("and")) {
      Next();
      PARLEY_ASSIGN_OR_RETURN(Expression next, ParseUnary(depth));
      conjunction.children.push_back(std::move(next));
    }
    return conjunction;
  }

  Result<Expression> ParseUnary(int depth) {
    PARLEY_RETURN_IF_ERROR(CheckDepth(depth));
    const Token& token = Peek();
    switch (token.kind) {
      case TokenKind::kLeftParen: {
        Next();
        PARLEY_ASSIGN_OR_RETURN(Expression inner, ParseImplication(depth + 1));
        if (Peek().kind != TokenKind::kRightParen) {
          return ErrorAt(Peek().column, "expected ')' to close the '(' at column " +
                                            std::to_string(token.column) + ", got " +
                                            Peek().Describe());
        }
        Next();
        return inner;
      }
      case TokenKind::kString:
        return ParseComparison();
      case TokenKind::kWord:
        break;
      case TokenKind::kEnd:
        return ErrorAt(token.column,
                       "the expression ends too early: expected an issue, 'not', "
                       "'(', 'true' or 'false'");
      default:
        return ErrorAt(token.column,
                       "expected an issue, 'not', '(', 'true' or 'false', got " + token.Describe());
    }
    if (token.text == "not") {
      Next();
      PARLEY_ASSIGN_OR_RETURN(Expression operand, ParseUnary(depth + 1));
      Expression negation;
      negation.kind = Expression::Kind::kNot;
      negation.children.push_back(std::move(operand));
      return negation;
    }
    if (token.text == "true" || token.text == "false") {
      Expression constant;
      constant.kind = token.text == "true" ? Expression::Kind::kTrue : Expression::Kind::kFalse;
      Next();
      return constant;
    }
    if (token.text == "if") {
      return ErrorAt(token.column, "'if ... then ...' must be put in parentheses here");
    }
    if (IsKeyword(token.text)) {
      return ErrorAt(token.column,
                     "expected an issue, 'not', '(', 'true' or 'false', got " + token.Describe());
    }
    return ParseComparison();
  }

  Result<std::size_t> ResolveIssue(const Token& token) const {
    for (std::size_t issue_idx = 0; issue_idx < issues_.size(); ++issue_idx) {
      if (issues_[issue_idx].id == token.text) return issue_idx;
    }
    std::vector<std::string> ids;
    ids.reserve(issues_.size());
    for (const Issue& issue : issues_) ids.push_back(issue.id);
    return ErrorAt(token.column, "unknown issue " + Quote(token.text) +
                                     Suggestion(token.text, ids) +
                                     " (issues are: " + ListNames(ids) + ")");
  }

  // The option a value token names, for ==, != and in.
  Result<std::uint64_t> ResolveOption(const Issue& issue, const Token& token) const {
    if (token.kind != TokenKind::kWord && token.kind != TokenKind::kString) {
      return ErrorAt(token.column, "expected an option of issue " + Quote(issue.id) + ", got " +
                                       token.Describe());
    }
    if (std::optional<std::uint64_t> option = issue.FindOption(token.text)) return *option;
    std::string suggestion =
        issue.kind == IssueKind::kDiscrete ? Suggestion(token.text, issue.options) : "";
    return ErrorAt(token.column, Quote(token.text) + " is not an option of issue " +
                                     Quote(issue.id) + suggestion + " (" + DescribeOptions(issue) +
                                     ")");
  }

  Result<Expression> ParseComparison() {
    const Token issue_token = Next();
    PARLEY_ASSIGN_OR_RETURN(std::size_t issue_idx, ResolveIssue(issue_token));
    const Issue& issue = issues_[issue_idx];
    // Atoms hold one bit per option; red lines on larger issues are refused.
    std::uint64_t num_options = issue.NumOptions();
    if (num_options > kMaxAtomOptions) {
      return ErrorAt(issue_token.column,
                     "issue " + Quote(issue.id) + " has " + std::to_string(num_options) +
                         " options; red lines support at most " + std::to_string(kMaxAtomOptions));
    }
    if (num_options > remaining_options_) {
      return ErrorAt(issue_token.column,
                     "the red lines compare more options together than parley reads (each "
                     "comparison counts the options of its issue; see the limits in "
                     "docs/scenario-format.md)");
    }
    remaining_options_ -= num_options;
    Expression atom;
    atom.kind = Expression::Kind::kAtom;
    atom.issue_idx = issue_idx;
    atom.allowed.assign(num_options, false);

    const Token op = Next();
    if (op.IsKeyword("in") || op.IsKeyword("not")) {
      bool negated = op.IsKeyword("not");
      if (negated) {
        if (!Peek().IsKeyword("in")) {
          return ErrorAt(Peek().column, "expected 'in' after 'not', got " + Peek().Describe());
        }
        Next();
      }
      if (Peek().kind != TokenKind::kLeftBracket) {
        return ErrorAt(Peek().column,
                       "expected '[' to start the list of options, got " + Peek().Describe());
      }
      Next();
      while (true) {
        PARLEY_ASSIGN_OR_RETURN(std::uint64_t option, ResolveOption(issue, Peek()));
        Next();
        atom.allowed[option] = true;
        if (Peek().kind == TokenKind::kComma) {
          Next();
          continue;
        }
        if (Peek().kind == TokenKind::kRightBracket) {
          Next();
          break;
        }
        return ErrorAt(Peek().column,
                       "expected ',' or ']' in the list of options, got " + Peek().Describe());
      }
      if (negated) atom.allowed.flip();
      return atom;
    }
    if (op.kind != TokenKind::kOperator) {
      return ErrorAt(op.column,
                     "expected a comparison ('==', '!=', '<', '<=', '>', '>=', 'in' "
                     "or 'not in') after issue " +
                         Quote(issue.id) + ", got " + op.Describe());
    }
    if (op.text == "==" || op.text == "!=") {
      PARLEY_ASSIGN_OR_RETURN(std::uint64_t option, ResolveOption(issue, Peek()));
      Next();
      atom.allowed[option] = true;
      if (op.text == "!=") atom.allowed.flip();
      return atom;
    }
    return ParseOrderComparison(issue, op, std::move(atom));
  }

  // <, <=, >, >=: numeric issues compare values (a grid value within 1e-9 of a step of the bound
  // counts as equal to it); ordered discrete issues compare positions in the option list.
  Result<Expression> ParseOrderComparison(const Issue& issue, const Token& op, Expression atom) {
    const Token& value_token = Peek();
    double bound = 0;
    double tolerance = 0;
    if (issue.kind == IssueKind::kDiscrete) {
      if (!issue.ordered) {
        return ErrorAt(op.column, Quote(op.text) +
                                      " needs a numeric issue or an ordered one; "
                                      "issue " +
                                      Quote(issue.id) +
                                      " is not ordered (add 'ordered: true' or use '==', "
                                      "'!=' or 'in')");
      }
      PARLEY_ASSIGN_OR_RETURN(std::uint64_t option, ResolveOption(issue, value_token));
      bound = static_cast<double>(option);
    } else {
      std::optional<double> number;
      if (value_token.kind == TokenKind::kWord || value_token.kind == TokenKind::kString) {
        number = ParseFiniteDouble(value_token.text);
      }
      if (!number) {
        return ErrorAt(value_token.column, "expected a number to compare issue " + Quote(issue.id) +
                                               " with, got " + value_token.Describe());
      }
      bound = *number;
      if (issue.kind == IssueKind::kReal) tolerance = 1e-9 * issue.real_step;
    }
    Next();
    for (std::uint64_t option = 0; option < atom.allowed.size(); ++option) {
      double x = issue.NumericValue(option);
      bool holds = false;
      if (op.text == "<") {
        holds = x < bound - tolerance;
      } else if (op.text == "<=") {
        holds = x <= bound + tolerance;
      } else if (op.text == ">") {
        holds = x > bound + tolerance;
      } else {
        holds = x >= bound - tolerance;
      }
      atom.allowed[option] = holds;
    }
    return atom;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  const std::vector<Issue>& issues_;
  std::uint64_t remaining_options_;
};

// ---- Formatting ----

// Precedence levels, loosest first: implication, or, and, then everything that needs no
// parentheses (not, atoms written as one comparison, constants).
enum Precedence { kImpliesLevel = 0, kOrLevel = 1, kAndLevel = 2, kUnaryLevel = 3 };

struct Formatted {
  std::string text;
  int precedence = kUnaryLevel;
};

std::string FormatName(const std::string& name) {
  bool bare = !name.empty() && !IsKeyword(name) &&
              std::all_of(name.begin(), name.end(), [](char c) { return IsWordChar(c); });
  if (bare) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string FormatValue(const Issue& issue, std::uint64_t option) {
  if (issue.kind == IssueKind::kDiscrete) return FormatName(issue.options[option]);
  return issue.OptionLabel(option);  // exact integers; shortest round-trip text for reals
}

// Maximal runs [first, last] of consecutive options whose bit equals `value`; stops after
// `max_runs + 1` runs since callers only use short run lists.
std::vector<std::pair<std::uint64_t, std::uint64_t>> Runs(const std::vector<bool>& bits, bool value,
                                                          std::size_t max_runs) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> runs;
  for (std::uint64_t option = 0; option < bits.size(); ++option) {
    if (bits[option] != value) continue;
    if (!runs.empty() && runs.back().second + 1 == option) {
      runs.back().second = option;
    } else {
      if (runs.size() > max_runs) break;
      runs.emplace_back(option, option);
    }
  }
  return runs;
}

// One run as comparisons: "x == a", "x <= b", "x >= a" or "x >= a and x <= b".
Formatted FormatRun(const Issue& issue, const std::string& name, std::uint64_t first,
                    std::uint64_t last, std::uint64_t num_options) {
  if (first == last) return {name + " == " + FormatValue(issue, first), kUnaryLevel};
  if (first == 0) return {name + " <= " + FormatValue(issue, last), kUnaryLevel};
  if (last + 1 == num_options) return {name + " >= " + FormatValue(issue, first), kUnaryLevel};
  return {name + " >= " + FormatValue(issue, first) + " and " + name +
              " <= " + FormatValue(issue, last),
          kAndLevel};
}

std::string Parenthesize(const Formatted& formatted, int min_precedence) {
  if (formatted.precedence >= min_precedence) return formatted.text;
  return "(" + formatted.text + ")";
}

// "x in [a, b]" / "x not in [a, b]" (or == / != for one option).
Formatted FormatList(const Issue& issue, const std::string& name, const std::vector<bool>& bits,
                     bool value) {
  std::vector<std::uint64_t> options;
  for (std::uint64_t option = 0; option < bits.size(); ++option) {
    if (bits[option] == value) options.push_back(option);
  }
  if (options.size() == 1) {
    return {name + (value ? " == " : " != ") + FormatValue(issue, options[0]), kUnaryLevel};
  }
  std::string text = name + (value ? " in [" : " not in [");
  for (std::size_t idx = 0; idx < options.size(); ++idx) {
    if (idx > 0) text += ", ";
    text += FormatValue(issue, options[idx]);
  }
  return {text + "]", kUnaryLevel};
}

// The shortest of: the allowed options listed, the others listed, and (numeric and ordered
// issues) up to three ranges of allowed or of other options.
Formatted FormatAtom(const Expression& atom, const std::vector<Issue>& issues) {
  if (atom.issue_idx >= issues.size()) return {"false", kUnaryLevel};
  const Issue& issue = issues[atom.issue_idx];
  const std::string name = FormatName(issue.id);
  const std::uint64_t num_options = atom.allowed.size();
  const std::uint64_t num_allowed =
      static_cast<std::uint64_t>(std::count(atom.allowed.begin(), atom.allowed.end(), true));
  if (num_allowed == 0) return {"false", kUnaryLevel};
  if (num_allowed == num_options) return {"true", kUnaryLevel};
  std::vector<Formatted> candidates;
  if (issue.IsNumeric() || issue.ordered) {
    constexpr std::size_t kMaxRuns = 3;
    for (bool value : {true, false}) {
      auto runs = Runs(atom.allowed, value, kMaxRuns);
      if (runs.size() > kMaxRuns) continue;
      Formatted joined{"", runs.size() == 1 ? kUnaryLevel : kOrLevel};
      for (std::size_t run_idx = 0; run_idx < runs.size(); ++run_idx) {
        Formatted run =
            FormatRun(issue, name, runs[run_idx].first, runs[run_idx].second, num_options);
        if (runs.size() == 1) {
          joined = run;
        } else {
          if (run_idx > 0) joined.text += " or ";
          joined.text += Parenthesize(run, kAndLevel);
        }
      }
      if (!value) joined = {"not " + Parenthesize(joined, kUnaryLevel), kUnaryLevel};
      candidates.push_back(joined);
    }
  }
  // Lists are built only when they are not absurdly long, or when nothing else applies.
  constexpr std::uint64_t kMaxListLength = 100'000;
  std::uint64_t num_others = num_options - num_allowed;
  if (num_allowed <= kMaxListLength || (candidates.empty() && num_allowed <= num_others)) {
    candidates.push_back(FormatList(issue, name, atom.allowed, true));
  }
  if (num_others <= kMaxListLength || (candidates.empty() && num_others < num_allowed)) {
    candidates.push_back(FormatList(issue, name, atom.allowed, false));
  }
  return *std::min_element(
      candidates.begin(), candidates.end(),
      [](const Formatted& a, const Formatted& b) { return a.text.size() < b.text.size(); });
}

Formatted FormatNode(const Expression& expression, const std::vector<Issue>& issues) {
  switch (expression.kind) {
    case Expression::Kind::kTrue:
      return {"true", kUnaryLevel};
    case Expression::Kind::kFalse:
      return {"false", kUnaryLevel};
    case Expression::Kind::kAtom:
      return FormatAtom(expression, issues);
    case Expression::Kind::kNot:
      if (expression.children.empty()) return {"false", kUnaryLevel};
      return {"not " + Parenthesize(FormatNode(expression.children[0], issues), kUnaryLevel),
              kUnaryLevel};
    case Expression::Kind::kAnd:
    case Expression::Kind::kOr: {
      bool is_and = expression.kind == Expression::Kind::kAnd;
      if (expression.children.empty()) return {is_and ? "true" : "false", kUnaryLevel};
      if (expression.children.size() == 1) return FormatNode(expression.children[0], issues);
      Formatted joined{"", is_and ? kAndLevel : kOrLevel};
      for (std::size_t child_idx = 0; child_idx < expression.children.size(); ++child_idx) {
        if (child_idx > 0) joined.text += is_and ? " and " : " or ";
        // Children of 'and' are unary; children of 'or' may be conjunctions.
        joined.text += Parenthesize(FormatNode(expression.children[child_idx], issues),
                                    is_and ? kUnaryLevel : kAndLevel);
      }
      return joined;
    }
    case Expression::Kind::kImplies:
      if (expression.children.size() != 2) return {"false", kUnaryLevel};
      return {"if " + Parenthesize(FormatNode(expression.children[0], issues), kOrLevel) +
                  " then " + Parenthesize(FormatNode(expression.children[1], issues), kOrLevel),
              kImpliesLevel};
  }
  return {"false", kUnaryLevel};
}

void CollectIssues(const Expression& expression, std::vector<std::size_t>& out) {
  if (expression.kind == Expression::Kind::kAtom) out.push_back(expression.issue_idx);
  for (const Expression& child : expression.children) CollectIssues(child, out);
}

}  // namespace

bool Expression::Evaluate(const Outcome& outcome) const {
  switch (kind) {
    case Kind::kTrue:
      return true;
    case Kind::kFalse:
      return false;
    case Kind::kAtom: {
      if (issue_idx >= outcome.size()) return false;
      OptionIndex option = outcome[issue_idx];
      return option < allowed.size() && allowed[option];
    }
    case Kind::kNot:
      return children.empty() || !children[0].Evaluate(outcome);
    case Kind::kAnd:
      return std::all_of(children.begin(), children.end(),
                         [&](const Expression& child) { return child.Evaluate(outcome); });
    case Kind::kOr:
      return std::any_of(children.begin(), children.end(),
                         [&](const Expression& child) { return child.Evaluate(outcome); });
    case Kind::kImplies:
      return children.size() != 2 || !children[0].Evaluate(outcome) ||
             children[1].Evaluate(outcome);
  }
  return false;
}

std::vector<std::size_t> Expression::MentionedIssues() const {
  std::vector<std::size_t> issues;
  CollectIssues(*this, issues);
  std::sort(issues.begin(), issues.end());
  issues.erase(std::unique(issues.begin(), issues.end()), issues.end());
  return issues;
}

Result<Expression> ParseExpression(std::string_view text, const std::vector<Issue>& issues,
                                   std::uint64_t max_atom_options) {
  PARLEY_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  Parser parser(std::move(tokens), issues, max_atom_options);
  return parser.ParseAll();
}

std::uint64_t AtomOptions(const Expression& expression) {
  if (expression.kind == Expression::Kind::kAtom) return expression.allowed.size();
  std::uint64_t total = 0;
  for (const Expression& child : expression.children) total += AtomOptions(child);
  return total;
}

std::string FormatExpression(const Expression& expression, const std::vector<Issue>& issues) {
  return FormatNode(expression, issues).text;
}

}  // namespace parley::model
