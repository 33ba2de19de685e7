using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation;

/// <summary>The compiled, read-only form shared by all evaluations.</summary>
internal sealed class PolicyModel(Compiler compiler, ObjectValue data)
{
    public Compiler Compiler { get; } = compiler;

    public RuleNode Root => Compiler.Root;

    public ObjectValue Data { get; } = data;
}
