namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>Data files `opa test` would refuse to load, each as "file: why"; none of them is mounted.</summary>
internal sealed class DataLoadException(IReadOnlyList<string> errors)
    : Exception($"{errors.Count} error(s) occurred while loading data:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
