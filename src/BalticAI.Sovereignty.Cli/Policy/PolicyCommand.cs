using System.CommandLine;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>`balticai policy ...`: conformance, test and eval over the managed Rego engine.</summary>
public static class PolicyCommand
{
    public static Command Create() => new("policy", "Evaluate and test Rego policies");
}
