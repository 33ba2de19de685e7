using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.Engines;

/// <summary>
/// The most recently used compiled bundles, by digest. A digest names the content, so an entry never goes stale;
/// the bound keeps replays of many old bundles from holding every one of them compiled.
/// </summary>
internal sealed class CompiledBundleCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private long _compilations;

    /// <summary>How many times a bundle was compiled, not found here.</summary>
    public long Compilations => Interlocked.Read(ref _compilations);

    /// <exception cref="RegoException">The bundle does not compile; nothing is kept for it.</exception>
    public RegoPolicy GetOrCompile(string digest, Func<RegoPolicy> compile)
    {
        Lazy<RegoPolicy> policy;
        lock (_lock)
        {
            if (_entries.TryGetValue(digest, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                policy = node.Value.Policy;
            }
            else
            {
                // Lazy, so that concurrent callers of one digest wait for one compilation, outside the lock.
                policy = new Lazy<RegoPolicy>(() =>
                {
                    Interlocked.Increment(ref _compilations);
                    return compile();
                });
                _entries[digest] = _recency.AddFirst(new Entry(digest, policy));
                if (_entries.Count > capacity)
                {
                    _entries.Remove(_recency.Last!.Value.Digest);
                    _recency.RemoveLast();
                }
            }
        }
        try
        {
            return policy.Value;
        }
        catch (RegoException)
        {
            lock (_lock)
            {
                if (_entries.TryGetValue(digest, out var node) && node.Value.Policy == policy)
                {
                    _entries.Remove(digest);
                    _recency.Remove(node);
                }
            }
            throw;
        }
    }

    private sealed record Entry(string Digest, Lazy<RegoPolicy> Policy);
}
