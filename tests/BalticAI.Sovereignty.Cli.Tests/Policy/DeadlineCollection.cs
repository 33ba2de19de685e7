namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>
/// Tests that stop a run at a short `--deadline` run alone: the deadline's timer fires on a thread-pool thread, which
/// other test classes' CPU-bound evaluations on two cores kept waiting until the whole run had passed (seen once in CI).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeadlineCollection
{
    public const string Name = "Run deadlines";
}
