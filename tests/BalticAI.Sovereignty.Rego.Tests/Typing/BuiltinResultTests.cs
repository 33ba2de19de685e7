namespace BalticAI.Sovereignty.Rego.Tests.Typing;

/// <summary>A builtin whose result is always of one kind types what reads it, as OPA's checker types builtin results.</summary>
public sealed class BuiltinResultTests
{
    private static IReadOnlyList<RegoError> Errors(params string[] sources) => CheckedCompile.Errors(null, RegoSchemaSet.Empty, sources);

    [Fact]
    public void Comparing_a_count_with_a_string_never_holds()
    {
        Errors("package p\n\nempty if count(input.items) == \"0\"\n").Single().ToString()
            .ShouldBe("p0.rego:3: rego_type_error: count(...) == \"0\" never holds: count(...) is a number");
    }

    [Fact]
    public void Nothing_is_looked_up_by_name_in_what_split_gives_directly_or_through_a_variable()
    {
        Errors("package p\n\nfirst := split(input.name, \",\").first\n").Single().Message.ShouldBe("undefined ref: split(...).first (split(...) is an array)");
        Errors("package p\n\nfirst := parts.first if parts := split(input.name, \",\")\n").Single().Message.ShouldBe("undefined ref: parts.first (parts is an array)");
    }

    [Fact]
    public void A_boolean_result_is_no_string()
    {
        Errors("package p\n\nflag if startswith(input.name, \"x\") == \"true\"\n").Single().Message.ShouldContain("never holds: startswith(...) is a boolean");
    }

    [Fact]
    public void What_follows_its_operands_or_is_replaced_or_compared_by_order_is_not_refused()
    {
        Errors(
            "package p\n\nsome_items if count(input.items) > 0\n\nfirst := split(input.name, \",\")[0]\n\nbiggest if max([1, 2]) == \"a\"\n\n" +
            "text if sprintf(\"%v\", [1]) == \"1\"\n\nfake(_) := \"0\"\n\ntest_replaced if count([]) == \"0\" with count as fake\n").ShouldBeEmpty();
    }
}
