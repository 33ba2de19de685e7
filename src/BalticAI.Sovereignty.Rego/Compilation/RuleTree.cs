using BalticAI.Sovereignty.Rego.Syntax;

namespace BalticAI.Sovereignty.Rego.Compilation;

/// <summary>One node of the virtual document tree under data: the rules defined exactly at this path and children.</summary>
internal sealed class RuleNode
{
    public RuleNode(string[] path) => Path = path;

    public string[] Path { get; }

    public Dictionary<string, RuleNode> Children { get; } = new(StringComparer.Ordinal);

    public List<Rule> Rules { get; } = [];

    public Rule? Default { get; set; }

    public RuleKind Kind => Rules.Count > 0 ? Rules[0].Kind : Default?.Kind ?? RuleKind.Complete;

    public bool HasRules => Rules.Count > 0 || Default != null;

    public bool IsFunction => HasRules && Kind == RuleKind.Function;

    /// <summary>True when this node or a descendant holds rules (a virtual document lives here).</summary>
    public bool HasAnyRules => HasRules || Children.Values.Any(c => c.HasAnyRules);

    public RuleNode GetOrAdd(string key)
    {
        if (!Children.TryGetValue(key, out var child))
        {
            child = new RuleNode([.. Path, key]);
            Children[key] = child;
        }

        return child;
    }

    public RuleNode? Find(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var p in path)
        {
            if (!node.Children.TryGetValue(p, out node))
            {
                return null;
            }
        }

        return node;
    }
}
