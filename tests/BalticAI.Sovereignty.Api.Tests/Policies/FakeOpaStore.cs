using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// What an OPA server holds: modules by id and the base data document. Like OPA, every write compiles the
/// whole set (with the project's managed Rego engine) and is refused, leaving the store as it was, when
/// that fails; reads of data evaluate base and virtual documents merged.
/// </summary>
public sealed class FakeOpaStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, string> _modules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unsupportedBuiltins = new(StringComparer.Ordinal);
    private JsonObject _data = [];
    private RegoPolicy _policy = RegoCompiler.Compile([]);

    public IReadOnlyDictionary<string, string> Modules
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_modules, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>As an OPA whose capabilities lack a builtin (an older release): modules calling it are refused.</summary>
    public void WithoutBuiltin(string name)
    {
        lock (_gate)
        {
            _unsupportedBuiltins.Add(name);
        }
    }

    /// <summary>An OPA restart: modules and data live in memory only.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _modules.Clear();
            _data = [];
            _policy = RegoCompiler.Compile([]);
        }
    }

    /// <summary>Adds or replaces a module; the compile errors when OPA would refuse it.</summary>
    public IReadOnlyList<RegoError> PutModule(string id, string source)
    {
        lock (_gate)
        {
            var unsupported = _unsupportedBuiltins.Select(name => Unsupported(id, source, name)).OfType<RegoError>().ToList();
            if (unsupported.Count > 0)
            {
                return unsupported;
            }
            var modules = new SortedDictionary<string, string>(_modules, StringComparer.Ordinal) { [id] = source };
            return TryCommit(modules, _data);
        }
    }

    /// <summary>Removes a module; null when there is none, else the compile errors of what remains.</summary>
    public IReadOnlyList<RegoError>? DeleteModule(string id)
    {
        lock (_gate)
        {
            if (!_modules.ContainsKey(id))
            {
                return null;
            }
            var modules = new SortedDictionary<string, string>(_modules, StringComparer.Ordinal);
            modules.Remove(id);
            return TryCommit(modules, _data);
        }
    }

    /// <summary>Writes a base document at <paramref name="path"/>, creating the objects above it (OPA's MakeDir).</summary>
    public void PutData(IReadOnlyList<string> path, JsonNode? value)
    {
        lock (_gate)
        {
            if (path.Count == 0)
            {
                TryCommit(_modules, value?.DeepClone() as JsonObject ?? []);
                return;
            }
            var data = (JsonObject)_data.DeepClone();
            var parent = data;
            foreach (var key in path.Take(path.Count - 1))
            {
                if (parent[key] is not JsonObject child)
                {
                    child = [];
                    parent[key] = child;
                }
                parent = child;
            }
            parent[path[^1]] = value?.DeepClone();
            TryCommit(_modules, data);
        }
    }

    /// <summary>Evaluates `data` at <paramref name="path"/>; undefined is a null result.</summary>
    /// <exception cref="RegoException">An evaluation error, which OPA answers with 500.</exception>
    public RegoResult Evaluate(IReadOnlyList<string> path, JsonNode? input)
    {
        RegoPolicy policy;
        lock (_gate)
        {
            policy = _policy;
        }
        // Brackets take any key, also those that are not Rego identifiers.
        var query = "data" + string.Concat(path.Select(key => $"[{JsonSerializer.Serialize(key)}]"));
        return policy.Evaluate(query, input);
    }

    /// <summary>Runs an ad-hoc query body; the bindings of each solution, as OPA's Query API answers them.</summary>
    /// <exception cref="RegoException">The body does not parse or compile (OPA: 400), or its evaluation fails (500).</exception>
    public IReadOnlyList<IReadOnlyDictionary<string, JsonNode?>> Query(string body, JsonNode? input)
    {
        RegoPolicy policy;
        lock (_gate)
        {
            policy = _policy;
        }
        return policy.Query(body, input);
    }

    private IReadOnlyList<RegoError> TryCommit(SortedDictionary<string, string> modules, JsonObject data)
    {
        try
        {
            _policy = RegoCompiler.Compile(modules.Select(m => new RegoModule(m.Key, m.Value)), data);
        }
        catch (RegoException e)
        {
            return e.Errors;
        }
        if (!ReferenceEquals(modules, _modules))
        {
            _modules.Clear();
            foreach (var (id, source) in modules)
            {
                _modules[id] = source;
            }
        }
        _data = data;
        return [];
    }

    private static RegoError? Unsupported(string id, string source, string builtin)
    {
        var call = Regex.Match(source, $@"(?<![\w.]){Regex.Escape(builtin)}\s*\(");
        if (!call.Success)
        {
            return null;
        }
        var before = source[..call.Index];
        var row = before.Count(c => c == '\n') + 1;
        var col = call.Index - (before.LastIndexOf('\n') + 1) + 1;
        return new RegoError(RegoErrorKind.TypeError, $"undefined function {builtin}", id, row, col);
    }
}
