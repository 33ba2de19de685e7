namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>
/// OPA runs Go's regexp (RE2 syntax, https://github.com/google/re2/wiki/Syntax; topdown/regex.go).
/// Expected values are what Go's regexp gives for the same call.
/// </summary>
public sealed class RegexSemanticsTests
{
    [Theory]
    [InlineData("regex.match(`^[a-z]+$`, \"abc\\n\")", "false")]
    [InlineData("regex.match(`(?m)^[a-z]+$`, \"abc\\n\")", "true")]
    [InlineData("regex.match(`(?m:x)b$`, \"xb\\n\")", "false")]
    [InlineData("regex.match(`^\\d+$`, \"\u0661\u0662\")", "false")]
    [InlineData("regex.match(`^\\w+$`, \"\u00e4\")", "false")]
    [InlineData("regex.match(`^\\s$`, \"\u00a0\")", "false")]
    [InlineData("regex.match(`^[\\d]+$`, \"\u0661\")", "false")]
    [InlineData("regex.match(`^\\D$`, \"\u0661\")", "true")]
    [InlineData("regex.match(`^[^\\W]$`, \"\u00e4\")", "false")]
    [InlineData("regex.match(`^[[:alpha:]]+$`, \"abc\")", "true")]
    [InlineData("regex.match(`^\\pL+$`, \"\u00e4b\")", "true")]
    [InlineData("regex.match(`^\\x{e4}$`, \"\u00e4\")", "true")]
    [InlineData("regex.match(`^\\Q.*\\E$`, \".*\")", "true")]
    [InlineData("regex.is_valid(`a\\Z`)", "false")]
    [InlineData("regex.match(`^[a-z]+$`, \"abc\")", "true")]
    public void Match_follows_RE2(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    // RE2 matches code points: '.', a negated class and \D \W \S take a whole surrogate pair.
    [Theory]
    [InlineData("regex.match(`^.{1,3}$`, \"\U0001F642\U0001F642\")", "true")]
    [InlineData("regex.match(`^.{4}$`, \"\U0001F642\U0001F642\")", "false")]
    [InlineData("regex.match(`^[^a]$`, \"\U0001F642\")", "true")]
    [InlineData("regex.match(`^\\D\\W\\S$`, \"\U0001F642\U0001F642\U0001F642\")", "true")]
    [InlineData("regex.match(`^.$`, \"\\n\")", "false")]
    [InlineData("regex.match(`(?s)^.$`, \"\\n\")", "true")]
    [InlineData("regex.match(`^[^a-]+$`, \"b-\")", "false")]
    [InlineData("regex.match(`^[^a-]+$`, \"bc\")", "true")]
    [InlineData("count(regex.find_n(`.`, \"a\U0001F642\", -1))", "2")]
    public void Dot_and_negated_classes_match_one_code_point(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    // RE2's \b is a boundary between an ASCII word character ([0-9A-Za-z_]) and anything else, \A or \z; é, ï, ü and
    // the Kelvin sign are not one, so each answer here differs from what Unicode word characters give.
    [Theory]
    [InlineData("regex.match(`\\bé`, \"é\")", "false")]
    [InlineData("regex.match(`\\bcafé\\b`, \"café\")", "false")]
    [InlineData("regex.match(`\\bcaf\\b`, \"café\")", "true")]
    [InlineData("regex.match(`caf\\B`, \"café\")", "false")]
    [InlineData("regex.match(`é\\B`, \"é\")", "true")]
    [InlineData("regex.find_n(`\\b\\w+\\b`, \"naïve café\", -1)", "[\"na\",\"ve\",\"caf\"]")]
    [InlineData("regex.replace(\"über uber\", `\\Bber`, \"X\")", "\"über uX\"")]
    [InlineData("regex.match(`(?i)\\bk`, \"\u212a\")", "false")]
    public void Word_boundaries_are_ASCII(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    [Theory]
    [InlineData("regex.match(`\\bfoo\\b`, \"a foo-b\")", "true")]
    [InlineData("regex.match(`\\bfoo\\b`, \"a foo_b\")", "false")]
    [InlineData("regex.match(`\\Bfoo`, \"afoo\")", "true")]
    [InlineData("regex.match(`^\\B$`, \"\")", "true")]
    [InlineData("regex.match(`^\\b$`, \"\")", "false")]
    [InlineData("regex.find_n(`\\b`, \"ab cd\", -1)", "[\"\",\"\",\"\",\"\"]")]
    [InlineData("regex.match(`^\\\\b$`, `\\b`)", "true")]
    [InlineData("regex.match(`^\\\\b$`, \"b\")", "false")]
    [InlineData("regex.match(`^\\Q\\b\\E$`, `\\b`)", "true")]
    public void Word_boundaries_in_ASCII_text_and_escaped_backslashes(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    // Go's parser has no backspace escape, so \b and \B in a class are invalid rather than Perl's backspace.
    [Theory]
    [InlineData("regex.is_valid(`[\\b]`)", "false")]
    [InlineData("regex.is_valid(`[a\\B]`)", "false")]
    [InlineData("regex.match(`[\\b]`, \"\\b\")", "undefined")]
    [InlineData("regex.is_valid(`[\\\\b]`)", "true")]
    public void A_word_boundary_inside_a_class_is_an_error(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    [Theory]
    [InlineData("regex.split(`(,)`, \"a,b\")", "[\"a\",\"b\"]")]
    [InlineData("regex.split(`x*`, \"axbc\")", "[\"a\",\"b\",\"c\"]")]
    [InlineData("regex.split(`,`, \"\")", "[\"\"]")]
    [InlineData("regex.find_n(`a*`, \"baaab\", -1)", "[\"\",\"aaa\",\"\"]")]
    [InlineData("regex.find_n(`a`, \"aaa\", 2)", "[\"a\",\"a\"]")]
    [InlineData("regex.find_all_string_submatch_n(`(?P<k>a)(b)`, \"ab\", -1)", "[[\"ab\",\"a\",\"b\"]]")]
    [InlineData("regex.replace(\"abc\", `(b)`, \"[$1x]\")", "\"a[]c\"")]
    [InlineData("regex.replace(\"abc\", `(b)`, \"[${1}x]\")", "\"a[bx]c\"")]
    [InlineData("regex.replace(\"abc\", `(?P<n>b)`, \"[$n]\")", "\"a[b]c\"")]
    [InlineData("regex.replace(\"abc\", `b`, \"$#$$\")", "\"a$#$c\"")]
    public void Successive_matches_follow_Go(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
