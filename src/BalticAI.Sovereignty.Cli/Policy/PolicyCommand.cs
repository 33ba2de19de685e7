using System.CommandLine;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>`balticai policy ...`: conformance, test and eval over the managed Rego engine; impact and activate on a broker.</summary>
public static class PolicyCommand
{
    public static Command Create()
    {
        var policy = new Command("policy", "Evaluate and test Rego policies");
        policy.Subcommands.Add(ConformanceCommand.Create());
        policy.Subcommands.Add(TestCommand.Create());
        policy.Subcommands.Add(EvalCommand.Create());
        policy.Subcommands.Add(BundleCommand.Create());
        policy.Subcommands.Add(SignCommand.Create());
        policy.Subcommands.Add(ImpactCommand.Create());
        policy.Subcommands.Add(ActivateCommand.Create());
        return policy;
    }
}
