// Red lines: hard constraints a party will not cross, in a small expression language.
//
// A red line either forbids outcomes (`forbid: ceasefire == permanent_up_front`) or requires a
// condition (`require: if withdrawal == full then ceasefire != time_limited_pause`). Grammar
// (docs/scenario-format.md has the full reference):
//
//   expr    := implication
//   implication := "if" or_expr "then" or_expr | or_expr
//   or_expr := and_expr ("or" and_expr)*
//   and_expr := unary ("and" unary)*
//   unary   := "not" unary | "(" expr ")" | comparison | "true" | "false"
//   comparison := ISSUE ("==" | "!=" | "<" | "<=" | ">" | ">=") VALUE
//              |  ISSUE ["not"] "in" "[" VALUE ("," VALUE)* "]"
//   ISSUE   := issue id (bare word or quoted)
//   VALUE   := option label (bare word or quoted) or number
//
// Bare words are runs of letters, digits, '_', '-', '.', '+' and non-ASCII bytes; anything else
// is quoted with "..." or '...' (a backslash takes the next character literally). Keywords (if,
// then, and, or, not, in, true, false) are lower case; in issue position they must be quoted to
// name an issue, in value position a bare keyword is a label. Nesting is limited to 100 levels.
// `<`-style comparisons need a numeric issue (comparing values; on real issues a grid value
// within 1e-9 of a step of the bound counts as equal to it) or an ordered discrete issue
// (comparing positions). `==`, `!=` and `in` name options: labels of discrete issues, grid
// values of numeric ones. Parsing resolves every issue and option, so an expression compiles to
// atoms "issue's option is in this set" joined by not/and/or/implies: evaluation is a few array
// reads, and analysis can reason about the atoms exactly.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parley/base/status.h"
#include "parley/model/issue.h"
#include "parley/model/outcome_space.h"
#include "parley/model/provenance.h"

namespace parley::model {

struct Expression {
  enum class Kind { kTrue, kFalse, kAtom, kNot, kAnd, kOr, kImplies };
  Kind kind = Kind::kTrue;
  // kAtom: true when the outcome's option on `issue_idx` has allowed[option] set.
  std::size_t issue_idx = 0;
  std::vector<bool> allowed;
  // kNot: one child; kAnd / kOr: two or more; kImplies: {condition, consequence}.
  std::vector<Expression> children;

  bool Evaluate(const Outcome& outcome) const;
  // Issues the expression mentions, sorted, without repeats.
  std::vector<std::size_t> MentionedIssues() const;
  bool operator==(const Expression& other) const = default;
};

// Parses `text` against `issues`. Errors are kInvalidInput whose location column is the 1-based
// (byte) column within `text` of the offending token (line, file and field are left empty for
// the caller), and whose message says what was expected, e.g. "unknown issue 'withdrawl'; did you
// mean 'withdrawal'? (issues are: ceasefire, withdrawal, ...)".
// `max_atom_options` bounds the work and memory of the comparisons: their issues' option counts
// together (each comparison keeps a bit per option); beyond it, kInvalidInput.
Result<Expression> ParseExpression(
    std::string_view text, const std::vector<Issue>& issues,
    std::uint64_t max_atom_options = std::numeric_limits<std::uint64_t>::max());

// The options the comparisons of `expression` cover together (what ParseExpression counts).
std::uint64_t AtomOptions(const Expression& expression);

// Writes an expression back as text that ParseExpression accepts and that has the same truth
// table (used when a scenario is converted and the original text is not available). Atoms are
// written as the shortest of an option list, its complement, or up to three ranges.
std::string FormatExpression(const Expression& expression, const std::vector<Issue>& issues);

struct RedLine {
  enum class Kind { kForbid, kRequire };
  Kind kind = Kind::kForbid;
  // Optional short name, unique within the party (parameters name a red line
  // "PARTY.red_lines.ID"); empty means its 0-based position is used.
  std::string id;
  // Probability that the red line is firm (1: it certainly is); the rest of the time it is
  // treated as a strong preference that an agreement may cross. Used by uncertainty analysis.
  double holds = 1.0;
  std::string text;         // the expression as written
  std::string description;  // plain words for reports, e.g. "no permanent ceasefire up front"
  Expression expression;

  // True when the outcome does not cross this red line.
  bool Allows(const Outcome& outcome) const {
    bool matches = expression.Evaluate(outcome);
    return kind == Kind::kForbid ? !matches : matches;
  }
  bool operator==(const RedLine& other) const = default;
};

}  // namespace parley::model
