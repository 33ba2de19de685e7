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
