namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>Evaluates one Rego expression; "undefined" when OPA would give no value.</summary>
internal static class Eval
{
    public static string Expr(string expression)
    {
        var policy = RegoCompiler.Compile([new RegoModule("t.rego", "package t\n\nx := " + expression)]);
        var result = policy.Evaluate("data.t.x");
        return result.IsDefined ? result.ToJson() ?? "null" : "undefined";
    }
}
