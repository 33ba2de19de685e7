using BalticAI.Sovereignty.Rego.Syntax;

namespace BalticAI.Sovereignty.Rego.Compilation;

/// <summary>One node of the virtual document tree under data: the rules defined exactly at this path and children.</summary>
internal sealed class RuleNode
{
    public RuleNode(string[] path) => Path = path;

    /// <summary>Index of this node's slot in the per-evaluation rule cache (set once compiled).</summary>
    public int Id { get; set; }

    public string[] Path { get; }

    public Dictionary<string, RuleNode> Children { get; } = new(StringComparer.Ordinal);

    public List<Rule> Rules { get; } = [];

    public Rule? Default { get; set; }

    public RuleKind Kind => Rules.Count > 0 ? Rules[0].Kind : Default?.Kind ?? RuleKind.Complete;

    public bool HasRules => Rules.Count > 0 || Default != null;

    public bool IsFunction => HasRules && Kind == RuleKind.Function;

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
        for (var i = 0; i < path.Count; i++)
        {
            // Indexed: foreach over the interface would allocate an enumerator on every function call.
            if (!node.Children.TryGetValue(path[i], out node))
            {
                return null;
            }
        }

        return node;
    }
}
