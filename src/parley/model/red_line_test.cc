#include "parley/model/red_line.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace parley::model {
namespace {

using ::testing::HasSubstr;

std::vector<Issue> SampleIssues() {
  std::vector<Issue> issues;
  issues.push_back(Issue::Discrete(
      "ceasefire", {"time_limited_pause", "extended_pause", "permanent_up_front"}, true));
  issues.push_back(Issue::Discrete("withdrawal", {"none", "partial", "full"}));
  issues.push_back(Issue::Integer("hostages", 0, 4));
  issues.push_back(Issue::Real("price", 0, 1, 0.25));
  issues.push_back(Issue::Discrete("Drinks served", {"Beer Only", "Wine \"Red\"", "true"}));
  return issues;
}

// Every outcome of the issues, first issue most significant.
std::vector<Outcome> AllOutcomes(const std::vector<Issue>& issues) {
  std::vector<Outcome> outcomes;
  Status status = OutcomeSpace::FromIssues(issues).ForEach(
      1'000'000, [&](const Outcome& outcome) { outcomes.push_back(outcome); });
  EXPECT_TRUE(status.ok());
  return outcomes;
}

Expression MustParse(std::string_view text, const std::vector<Issue>& issues) {
  Result<Expression> parsed = ParseExpression(text, issues);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : Expression{};
}

// Counts the outcomes where `text` holds.
int CountTrue(std::string_view text, const std::vector<Issue>& issues) {
  Expression expression = MustParse(text, issues);
  int count = 0;
  for (const Outcome& outcome : AllOutcomes(issues)) count += expression.Evaluate(outcome) ? 1 : 0;
  return count;
}

TEST(RedLineTest, EqualityAndInequality) {
  auto issues = SampleIssues();
  Expression expression = MustParse("ceasefire == permanent_up_front", issues);
  EXPECT_EQ(expression.kind, Expression::Kind::kAtom);
  EXPECT_EQ(expression.issue_idx, 0u);
  EXPECT_EQ(expression.allowed, (std::vector<bool>{false, false, true}));
  EXPECT_TRUE(expression.Evaluate({2, 0, 0, 0, 0}));
  EXPECT_FALSE(expression.Evaluate({1, 0, 0, 0, 0}));

  Expression inequality = MustParse("withdrawal != full", issues);
  EXPECT_EQ(inequality.allowed, (std::vector<bool>{true, true, false}));
}

TEST(RedLineTest, NumericComparisonsUseValues) {
  auto issues = SampleIssues();
  EXPECT_EQ(MustParse("hostages >= 3", issues).allowed,
            (std::vector<bool>{false, false, false, true, true}));
  EXPECT_EQ(MustParse("hostages < 3", issues).allowed,
            (std::vector<bool>{true, true, true, false, false}));
  EXPECT_EQ(MustParse("hostages > 2.5", issues).allowed,
            (std::vector<bool>{false, false, false, true, true}));
  EXPECT_EQ(MustParse("hostages == 2", issues).allowed,
            (std::vector<bool>{false, false, true, false, false}));
  // Real grid 0, 0.25, 0.5, 0.75, 1.
  EXPECT_EQ(MustParse("price <= 0.5", issues).allowed,
            (std::vector<bool>{true, true, true, false, false}));
  EXPECT_EQ(MustParse("price > 0.6", issues).allowed,
            (std::vector<bool>{false, false, false, true, true}));
  EXPECT_EQ(MustParse("price in [0, 1]", issues).allowed,
            (std::vector<bool>{true, false, false, false, true}));
  EXPECT_EQ(MustParse("price >= -1e3", issues).allowed, std::vector<bool>(5, true));
}

TEST(RedLineTest, RealComparisonsTolerateRoundingOfTheGrid) {
  // 0.1 * 3 is 0.30000000000000004 in binary; "<= 0.3" must still include that option.
  std::vector<Issue> issues = {Issue::Real("x", 0, 0.5, 0.1)};
  EXPECT_EQ(MustParse("x <= 0.3", issues).allowed,
            (std::vector<bool>{true, true, true, true, false, false}));
  EXPECT_EQ(MustParse("x < 0.3", issues).allowed,
            (std::vector<bool>{true, true, true, false, false, false}));
  EXPECT_EQ(MustParse("x == 0.3", issues).allowed,
            (std::vector<bool>{false, false, false, true, false, false}));
}

TEST(RedLineTest, OrderedIssuesComparePositions) {
  auto issues = SampleIssues();
  EXPECT_EQ(MustParse("ceasefire >= extended_pause", issues).allowed,
            (std::vector<bool>{false, true, true}));
  EXPECT_EQ(MustParse("ceasefire < extended_pause", issues).allowed,
            (std::vector<bool>{true, false, false}));
}

TEST(RedLineTest, InAndNotInLists) {
  auto issues = SampleIssues();
  EXPECT_EQ(MustParse("withdrawal in [none, full]", issues).allowed,
            (std::vector<bool>{true, false, true}));
  EXPECT_EQ(MustParse("withdrawal not in [none, full]", issues).allowed,
            (std::vector<bool>{false, true, false}));
  EXPECT_EQ(MustParse("withdrawal in [none,none]", issues).allowed,
            (std::vector<bool>{true, false, false}));
}

TEST(RedLineTest, QuotedNamesAndKeywordLabels) {
  auto issues = SampleIssues();
  EXPECT_EQ(MustParse("\"Drinks served\" == \"Beer Only\"", issues).allowed,
            (std::vector<bool>{true, false, false}));
  EXPECT_EQ(MustParse("'Drinks served' == 'Wine \\\"Red\\\"'", issues).allowed,
            (std::vector<bool>{false, true, false}));
  EXPECT_EQ(MustParse("'Drinks served' == \"Wine \\\"Red\\\"\"", issues).allowed,
            (std::vector<bool>{false, true, false}));
  // In value position a bare keyword is a label.
  EXPECT_EQ(MustParse("'Drinks served' == true", issues).allowed,
            (std::vector<bool>{false, false, true}));
}

TEST(RedLineTest, PrecedenceAndBindsTighterThanOr) {
  std::vector<Issue> issues = {Issue::Discrete("a", {"x", "y"}), Issue::Discrete("b", {"x", "y"}),
                               Issue::Discrete("c", {"x", "y"})};
  // a==x or (b==x and c==x): 4 outcomes with a==x, plus 1 with a==y, b==x, c==x.
  EXPECT_EQ(CountTrue("a == x or b == x and c == x", issues), 5);
  // (a==x or b==x) and c==x: 3 of 4 (a, b) pairs times c==x.
  EXPECT_EQ(CountTrue("(a == x or b == x) and c == x", issues), 3);
  // not binds tightest: (not a==x) and b==x.
  EXPECT_EQ(CountTrue("not a == x and b == x", issues), 2);
  EXPECT_EQ(CountTrue("not (a == x and b == x)", issues), 6);
  // Implication is weakest: if (a==x or b==x) then c==x. False when the condition holds (3 of 4
  // pairs) and c==y: 3 outcomes.
  EXPECT_EQ(CountTrue("if a == x or b == x then c == x", issues), 5);
  EXPECT_EQ(CountTrue("true", issues), 8);
  EXPECT_EQ(CountTrue("false or a == y", issues), 4);
  EXPECT_EQ(CountTrue("(if a == x then b == x) and c == y", issues), 3);
}

TEST(RedLineTest, MentionedIssuesAreSortedWithoutRepeats) {
  auto issues = SampleIssues();
  Expression expression =
      MustParse("if price > 0.5 then (ceasefire == extended_pause or price < 0.9)", issues);
  EXPECT_EQ(expression.MentionedIssues(), (std::vector<std::size_t>{0, 3}));
  EXPECT_TRUE(MustParse("true", issues).MentionedIssues().empty());
}

struct ErrorCase {
  std::string text;
  int column;
  std::string message_part;
};

TEST(RedLineTest, ErrorsPointAtTheOffendingToken) {
  auto issues = SampleIssues();
  std::vector<ErrorCase> cases = {
      {"withdrawl == full", 1, "unknown issue 'withdrawl'; did you mean 'withdrawal'?"},
      {"withdrawl == full", 1, "issues are: ceasefire, withdrawal, hostages, price"},
      {"withdrawal == ful", 15,
       "'ful' is not an option of issue 'withdrawal'; did you mean 'full'?"},
      {"withdrawal == ful", 15, "options are: none, partial, full"},
      {"hostages == 7", 13, "integers from 0 to 4"},
      {"price == 0.3", 10, "'0.3' is not an option of issue 'price'"},
      {"withdrawal < full", 12, "not ordered"},
      {"hostages < many", 12, "expected a number"},
      {"ceasefire == extended_pause and", 32, "ends too early"},
      {"if ceasefire == extended_pause withdrawal == none", 32, "expected 'then'"},
      {"(ceasefire == extended_pause", 29, "expected ')' to close the '(' at column 1"},
      {"ceasefire = extended_pause", 11, "use '=='"},
      {"ceasefire == extended_pause && hostages < 2", 29, "use 'and'"},
      {"ceasefire == extended_pause hostages < 2", 29, "missing 'and' or 'or'"},
      {"", 1, "empty"},
      {"   ", 4, "empty"},
      {"withdrawal == \"full", 15, "not closed"},
      {"withdrawal in full", 15, "expected '['"},
      {"withdrawal in [none full]", 21, "expected ',' or ']'"},
      {"withdrawal in []", 16, "expected an option"},
      {"withdrawal not full", 16, "expected 'in' after 'not'"},
      {"withdrawal", 11, "expected a comparison"},
      {"hostages == 1 and if b == c then d", 19, "must be put in parentheses"},
      {"ceasefire == extended_pause or then", 32, "got 'then'"},
      {"ceasefire == extended_pause; x", 28, "unexpected ';'"},
      {"hostages > 1e999", 12, "expected a number"},
      {"\"Drinks served\" == Beer", 20, "not an option"},
  };
  for (const ErrorCase& error_case : cases) {
    Result<Expression> parsed = ParseExpression(error_case.text, issues);
    ASSERT_FALSE(parsed.ok()) << error_case.text;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidInput);
    EXPECT_EQ(parsed.status().location().column, error_case.column) << error_case.text;
    EXPECT_THAT(parsed.status().message(), HasSubstr(error_case.message_part)) << error_case.text;
  }
}

TEST(RedLineTest, DeepNestingIsRefusedNotACrash) {
  auto issues = SampleIssues();
  std::string deep(100'000, '(');
  Result<Expression> parsed = ParseExpression(deep, issues);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("nested more than"));
  std::string nots;
  for (int idx = 0; idx < 50'000; ++idx) nots += "not ";
  parsed = ParseExpression(nots + "true", issues);
  ASSERT_FALSE(parsed.ok());
  // Moderate nesting is fine.
  EXPECT_TRUE(ParseExpression("((((not not (true))))) and (((false)) or true)", issues).ok());
}

TEST(RedLineTest, RefusesIssuesTooLargeForAtoms) {
  std::vector<Issue> issues = {Issue::Integer("count", 0, std::int64_t{1} << 30)};
  Result<Expression> parsed = ParseExpression("count > 5", issues);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().location().column, 1);
  EXPECT_THAT(parsed.status().message(), HasSubstr("red lines support at most"));
}

TEST(RedLineTest, FormatsAtomsReadably) {
  auto issues = SampleIssues();
  EXPECT_EQ(FormatExpression(MustParse("ceasefire == permanent_up_front", issues), issues),
            "ceasefire == permanent_up_front");
  EXPECT_EQ(FormatExpression(MustParse("withdrawal not in [none]", issues), issues),
            "withdrawal != none");
  EXPECT_EQ(FormatExpression(MustParse("hostages >= 2", issues), issues), "hostages >= 2");
  EXPECT_EQ(FormatExpression(MustParse("hostages in [1, 2, 3]", issues), issues),
            "hostages in [1, 2, 3]");
  EXPECT_EQ(FormatExpression(MustParse("\"Drinks served\" == \"Beer Only\"", issues), issues),
            "\"Drinks served\" == \"Beer Only\"");
  EXPECT_EQ(FormatExpression(MustParse("'Drinks served' == true", issues), issues),
            "\"Drinks served\" == \"true\"");
  EXPECT_EQ(
      FormatExpression(MustParse("if hostages < 2 or price > 0.5 then withdrawal == full", issues),
                       issues),
      "if hostages <= 1 or price >= 0.75 then withdrawal == full");
  EXPECT_EQ(FormatExpression(MustParse("hostages in [1, 2] or price == 0", issues), issues),
            "hostages in [1, 2] or price == 0");
  // A long run reads as a range; inside 'and' it is parenthesised.
  std::vector<Issue> wide = {Issue::Integer("n", 0, 20), Issue::Discrete("x", {"a", "b"})};
  std::string list = "n in [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]";
  EXPECT_EQ(FormatExpression(MustParse(list, wide), wide), "n >= 5 and n <= 15");
  EXPECT_EQ(FormatExpression(MustParse(list + " and x == a", wide), wide),
            "(n >= 5 and n <= 15) and x == a");
  EXPECT_EQ(FormatExpression(MustParse("not (" + list + ") or x == b", wide), wide),
            "not (n >= 5 and n <= 15) or x == b");
}

// ---------------------------------------------------------------------------------------------
// Property test: random expressions over random small scenarios, evaluated by ParseExpression's
// compiled atoms and by an independent interpreter that works on the text for each outcome.

// The independent interpreter: tokenises the text and evaluates it recursively for one outcome,
// comparing labels and numbers directly (no compilation to option sets).
class TextInterpreter {
 public:
  TextInterpreter(const std::string& text, const std::vector<Issue>& issues) : issues_(issues) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      char c = text[pos];
      if (c == ' ') {
        ++pos;
      } else if (c == '"') {
        std::size_t end = text.find('"', pos + 1);
        tokens_.push_back({true, text.substr(pos + 1, end - pos - 1)});
        pos = end + 1;
      } else if (std::string("()[],").find(c) != std::string::npos) {
        tokens_.push_back({false, std::string(1, c)});
        ++pos;
      } else if (std::string("=!<>").find(c) != std::string::npos) {
        std::size_t length = pos + 1 < text.size() && text[pos + 1] == '=' ? 2 : 1;
        tokens_.push_back({false, text.substr(pos, length)});
        pos += length;
      } else {
        std::size_t end = pos;
        while (end < text.size() &&
               std::string(" ()[],=!<>\"").find(text[end]) == std::string::npos) {
          ++end;
        }
        tokens_.push_back({false, text.substr(pos, end - pos)});
        pos = end;
      }
    }
  }

  bool Evaluate(const Outcome& outcome) {
    outcome_ = &outcome;
    pos_ = 0;
    bool value = Implication();
    EXPECT_EQ(pos_, tokens_.size());
    return value;
  }

 private:
  struct Tok {
    bool quoted;
    std::string text;
  };
  bool Is(const char* word) const {
    return pos_ < tokens_.size() && !tokens_[pos_].quoted && tokens_[pos_].text == word;
  }
  bool Implication() {
    if (Is("if")) {
      ++pos_;
      bool condition = Or();
      ++pos_;  // then
      bool consequence = Or();
      return !condition || consequence;
    }
    return Or();
  }
  bool Or() {
    bool value = And();
    while (Is("or")) {
      ++pos_;
      bool next = And();
      value = value || next;
    }
    return value;
  }
  bool And() {
    bool value = Unary();
    while (Is("and")) {
      ++pos_;
      bool next = Unary();
      value = value && next;
    }
    return value;
  }
  bool Unary() {
    if (Is("not")) {
      ++pos_;
      return !Unary();
    }
    if (Is("(")) {
      ++pos_;
      bool value = Implication();
      ++pos_;  // )
      return value;
    }
    if (Is("true")) return ++pos_, true;
    if (Is("false")) return ++pos_, false;
    return Comparison();
  }
  std::size_t FindIssue(const std::string& id) const {
    for (std::size_t issue_idx = 0; issue_idx < issues_.size(); ++issue_idx) {
      if (issues_[issue_idx].id == id) return issue_idx;
    }
    ADD_FAILURE() << "generator used unknown issue " << id;
    return 0;
  }
  // True when the outcome's option on `issue` is the one `value` names.
  bool Matches(const Issue& issue, OptionIndex option, const std::string& value) const {
    if (issue.kind == IssueKind::kDiscrete) return issue.options[option] == value;
    return std::fabs(issue.NumericValue(option) - std::stod(value)) <
           (issue.kind == IssueKind::kReal ? 1e-9 * issue.real_step : 0.5);
  }
  // Position (discrete) or value (numeric) of `value` on the issue's scale.
  double Scale(const Issue& issue, const std::string& value) const {
    if (issue.kind != IssueKind::kDiscrete) return std::stod(value);
    for (std::size_t option = 0; option < issue.options.size(); ++option) {
      if (issue.options[option] == value) return static_cast<double>(option);
    }
    ADD_FAILURE() << "generator used unknown option " << value;
    return 0;
  }
  bool Comparison() {
    const Issue& issue = issues_[FindIssue(tokens_[pos_++].text)];
    OptionIndex option = (*outcome_)[&issue - issues_.data()];
    bool negated = false;
    if (Is("not")) {
      negated = true;
      ++pos_;
    }
    if (Is("in")) {
      pos_ += 2;  // in [
      bool found = false;
      while (true) {
        found = found || Matches(issue, option, tokens_[pos_++].text);
        if (Is("]")) break;
        ++pos_;  // ,
      }
      ++pos_;
      return found != negated;
    }
    std::string op = tokens_[pos_++].text;
    std::string value = tokens_[pos_++].text;
    if (op == "==") return Matches(issue, option, value);
    if (op == "!=") return !Matches(issue, option, value);
    double x = issue.kind == IssueKind::kDiscrete ? static_cast<double>(option)
                                                  : issue.NumericValue(option);
    double bound = Scale(issue, value);
    double eps = issue.kind == IssueKind::kReal ? 1e-9 * issue.real_step : 0;
    if (op == "<") return x < bound - eps;
    if (op == "<=") return x <= bound + eps;
    if (op == ">") return x > bound + eps;
    return x >= bound - eps;
  }

  const std::vector<Issue>& issues_;
  std::vector<Tok> tokens_;
  std::size_t pos_ = 0;
  const Outcome* outcome_ = nullptr;
};

class ExpressionGenerator {
 public:
  ExpressionGenerator(std::mt19937_64& rng, const std::vector<Issue>& issues)
      : rng_(rng), issues_(issues) {}

  // Text of a random expression, parenthesised only where precedence needs it or at random.
  std::string Generate(int depth, int min_level) {
    int kind = depth >= 3 ? 0 : Pick(10);
    std::string text;
    int level = 3;
    if (kind <= 3) {
      text = Comparison();
    } else if (kind == 4) {
      text = "not " + Generate(depth + 1, 3);
    } else if (kind == 5 || kind == 6) {
      int count = 2 + Pick(2);
      for (int idx = 0; idx < count; ++idx) {
        if (idx > 0) text += " and ";
        text += Generate(depth + 1, 3);
      }
      level = 2;
    } else if (kind == 7 || kind == 8) {
      int count = 2 + Pick(2);
      for (int idx = 0; idx < count; ++idx) {
        if (idx > 0) text += " or ";
        text += Generate(depth + 1, 2);
      }
      level = 1;
    } else {
      text = "if " + Generate(depth + 1, 1) + " then " + Generate(depth + 1, 1);
      level = 0;
    }
    if (Pick(8) == 0 && depth < 3) text = Pick(2) == 0 ? "true" : "false";
    if (level < min_level || Pick(6) == 0) text = "(" + text + ")";
    return text;
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }

  std::string Name(const std::string& name) const {
    bool plain = name.find_first_of(" \"") == std::string::npos && name != "true" &&
                 name != "false" && name != "in" && name != "not";
    return plain ? name : "\"" + name + "\"";
  }
  std::string Value(const Issue& issue) {
    if (issue.kind == IssueKind::kDiscrete) {
      return Name(
          issue.options[static_cast<std::size_t>(Pick(static_cast<int>(issue.options.size())))]);
    }
    return FormatNumber(
        issue.NumericValue(static_cast<std::uint64_t>(Pick(static_cast<int>(issue.NumOptions())))));
  }
  std::string Comparison() {
    const Issue& issue = issues_[static_cast<std::size_t>(Pick(static_cast<int>(issues_.size())))];
    std::string name = Name(issue.id);
    bool orderable = issue.IsNumeric() || issue.ordered;
    int form = Pick(orderable ? 6 : 4);
    if (form == 0) return name + " == " + Value(issue);
    if (form == 1) return name + " != " + Value(issue);
    if (form == 2 || form == 3) {
      std::string text = name + (form == 3 ? " not in [" : " in [");
      int count = 1 + Pick(3);
      for (int idx = 0; idx < count; ++idx) text += (idx > 0 ? ", " : "") + Value(issue);
      return text + "]";
    }
    static const char* kOps[] = {"<", "<=", ">", ">="};
    std::string bound = Value(issue);
    if (issue.IsNumeric() && Pick(3) == 0) {
      // A bound between grid values (or outside the range).
      bound = FormatNumber(std::stod(bound) + (Pick(2) == 0 ? 0.3 : -0.7));
    }
    return name + " " + kOps[Pick(4)] + " " + bound;
  }

  std::mt19937_64& rng_;
  const std::vector<Issue>& issues_;
};

std::vector<Issue> RandomIssues(std::mt19937_64& rng) {
  std::vector<Issue> issues;
  int num_issues = 1 + static_cast<int>(rng() % 3);
  for (int issue_idx = 0; issue_idx < num_issues; ++issue_idx) {
    std::string id = issue_idx == 2 ? "issue three" : "i" + std::to_string(issue_idx);
    switch (rng() % 4) {
      case 0:
        issues.push_back(Issue::Discrete(id, {"low", "mid", "high option", "true"}, true));
        break;
      case 1:
        issues.push_back(Issue::Discrete(id, {"a", "b", "c"}, false));
        break;
      case 2:
        issues.push_back(Issue::Integer(id, -2, 2 + static_cast<int>(rng() % 3)));
        break;
      default:
        issues.push_back(Issue::Real(id, 0.5, 2.0, 0.3));
        break;
    }
  }
  return issues;
}

TEST(RedLinePropertyTest, CompiledExpressionsMatchATextInterpreter) {
  std::mt19937_64 rng(20240506);
  int compared = 0;
  for (int scenario_idx = 0; scenario_idx < 60; ++scenario_idx) {
    std::vector<Issue> issues = RandomIssues(rng);
    std::vector<Outcome> outcomes = AllOutcomes(issues);
    ExpressionGenerator generator(rng, issues);
    for (int expression_idx = 0; expression_idx < 25; ++expression_idx) {
      std::string text = generator.Generate(0, 0);
      Result<Expression> parsed = ParseExpression(text, issues);
      ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
      TextInterpreter interpreter(text, issues);
      std::string formatted = FormatExpression(*parsed, issues);
      Result<Expression> reparsed = ParseExpression(formatted, issues);
      ASSERT_TRUE(reparsed.ok()) << text << " -> " << formatted << ": "
                                 << reparsed.status().ToString();
      for (const Outcome& outcome : outcomes) {
        bool expected = interpreter.Evaluate(outcome);
        ASSERT_EQ(parsed->Evaluate(outcome), expected) << text;
        ASSERT_EQ(reparsed->Evaluate(outcome), expected) << text << " -> " << formatted;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 10'000);
}

// FormatExpression also handles hand-built expressions (as converters produce them) and atoms
// whose option sets are arbitrary.
TEST(RedLinePropertyTest, FormatsArbitraryAtomsToTheSameTruthTable) {
  std::mt19937_64 rng(7);
  std::vector<Issue> issues = {Issue::Discrete("d", {"a", "b", "c", "d", "e"}, true),
                               Issue::Integer("n", 0, 9),
                               Issue::Discrete("u", {"x y", "z", "and"}, false)};
  std::vector<Outcome> outcomes = AllOutcomes(issues);
  for (int trial = 0; trial < 300; ++trial) {
    Expression conjunction;
    conjunction.kind = rng() % 2 == 0 ? Expression::Kind::kAnd : Expression::Kind::kOr;
    for (int child_idx = 0; child_idx < 2; ++child_idx) {
      Expression atom;
      atom.kind = Expression::Kind::kAtom;
      atom.issue_idx = rng() % issues.size();
      for (std::uint64_t option = 0; option < issues[atom.issue_idx].NumOptions(); ++option) {
        atom.allowed.push_back(rng() % 2 == 0);
      }
      if (rng() % 3 == 0) {
        Expression negation;
        negation.kind = Expression::Kind::kNot;
        negation.children.push_back(std::move(atom));
        conjunction.children.push_back(std::move(negation));
      } else {
        conjunction.children.push_back(std::move(atom));
      }
    }
    Expression implication;
    implication.kind = Expression::Kind::kImplies;
    implication.children.push_back(conjunction);
    implication.children.push_back(conjunction.children[0]);
    for (const Expression* expression : {&conjunction, &implication}) {
      std::string text = FormatExpression(*expression, issues);
      Result<Expression> reparsed = ParseExpression(text, issues);
      ASSERT_TRUE(reparsed.ok()) << text << ": " << reparsed.status().ToString();
      for (const Outcome& outcome : outcomes) {
        ASSERT_EQ(reparsed->Evaluate(outcome), expression->Evaluate(outcome)) << text;
      }
    }
  }
}

}  // namespace
}  // namespace parley::model
