namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>
/// OPA parses addresses with Go's net.ParseIP / net.ParseCIDR (topdown/cidr.go); what Go rejects is an
/// error there, so the call is undefined (non-strict) rather than true or false.
/// </summary>
public sealed class NetCidrTests
{
    [Theory]
    [InlineData("net.cidr_contains(\"8.0.0.0/8\", \"010.0.0.1\")", "undefined")]
    [InlineData("net.cidr_contains(\"10.0.0.0/8\", \"10.1\")", "undefined")]
    [InlineData("net.cidr_contains(\"10.0.0.0/8\", \"0x0a.0.0.1\")", "undefined")]
    [InlineData("net.cidr_contains(\"10.0.0.0/8\", \"10.0.0.256\")", "undefined")]
    [InlineData("net.cidr_contains(\"10.0.0.0/ 8\", \"10.0.0.1\")", "undefined")]
    [InlineData("net.cidr_contains(\"10.0.0.0/+8\", \"10.0.0.1\")", "undefined")]
    [InlineData("net.cidr_contains(\"fe80::/10\", \"fe80::1%eth0\")", "undefined")]
    [InlineData("net.cidr_is_valid(\"10.1/8\")", "false")]
    [InlineData("net.cidr_contains(\"10.0.0.0/8\", \"10.0.0.1\")", "true")]
    [InlineData("net.cidr_contains(\"10.0.0.0/08\", \"10.200.0.1\")", "true")]
    [InlineData("net.cidr_contains(\"10.0.0.0/8\", \"10.1.0.0/16\")", "true")]
    [InlineData("net.cidr_contains(\"10.0.0.0/8\", \"::ffff:10.0.0.1\")", "true")]
    [InlineData("net.cidr_contains(\"2001:db8::/32\", \"2001:db8::1\")", "true")]
    [InlineData("net.cidr_contains(\"2001:db8::/32\", \"2001:db9::1\")", "false")]
    public void Addresses_parse_as_Go_parses_them(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
