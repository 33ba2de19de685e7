using System.Diagnostics;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;
using YamlDotNet.RepresentationModel;

namespace BalticAI.Sovereignty.Rego.Conformance;

/// <summary>Outcome of one conformance case. <see cref="Id"/> is "relative/path.yaml :: note" (unique per directory).</summary>
public sealed record ConformanceOutcome(string Id, string Topic, string Note, bool Passed, string? Reason, TimeSpan Duration);

/// <summary>
/// Runs OPA's YAML conformance cases the way OPA's own runner checks them: want_result (bindings, compared
/// without regard to order; sort_bindings sorts array bindings), want_error (substring), want_error_code,
/// strict_error (strict builtin errors) and input_term (input written as a Rego term).
/// </summary>
public static class ConformanceRunner
{
    public static IReadOnlyList<ConformanceOutcome> RunDirectory(string dir, CancellationToken ct = default)
    {
        var outcomes = new List<ConformanceOutcome>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(dir, file).Replace('\\', '/');
            var topic = rel.Contains('/') ? rel[..rel.IndexOf('/')] : "(root)";
            var yaml = new YamlStream();
            try
            {
                yaml.Load(new StringReader(File.ReadAllText(file)));
            }
            catch (Exception e)
            {
                outcomes.Add(new ConformanceOutcome(rel, topic, "(file)", false, "unreadable YAML: " + e.Message, TimeSpan.Zero));
                continue;
            }

            if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root ||
                !root.Children.TryGetValue(new YamlScalarNode("cases"), out var casesNode) || casesNode is not YamlSequenceNode cases)
            {
                continue;
            }

            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var c in cases.Children.OfType<YamlMappingNode>())
            {
                ct.ThrowIfCancellationRequested();
                var note = Text(c, "note") ?? "(no note)";
                var n = seen[note] = seen.GetValueOrDefault(note) + 1;
                var id = $"{rel} :: {note}" + (n > 1 ? $" #{n}" : string.Empty);
                var sw = Stopwatch.StartNew();
                string? reason;
                try
                {
                    reason = RunCase(c);
                }
                catch (Exception e)
                {
                    reason = "runner exception: " + e.GetType().Name + ": " + e.Message;
                }

                outcomes.Add(new ConformanceOutcome(id, topic, note, reason == null, reason, sw.Elapsed));
            }
        }

        return outcomes;
    }

    private static string? Text(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    private static YamlNode? Node(YamlMappingNode m, string key) => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    /// <summary>Runs one case; null when it passes, otherwise a short reason.</summary>
    private static string? RunCase(YamlMappingNode c)
    {
        var modules = Node(c, "modules") is YamlSequenceNode ms
            ? ms.Children.Select((m, i) => new RegoModule($"test-{i}.rego", ((YamlScalarNode)m).Value ?? string.Empty)).ToList()
            : [];
        var data = Node(c, "data") is { } d ? YamlValues.Convert(d) : ObjectValue.Empty;
        if (data is NullValue)
        {
            data = ObjectValue.Empty;
        }

        Value? input = null;
        if (Text(c, "input_term") is { } term)
        {
            input = ConstantTerm(Parser.ParseTerm(term));
        }
        else if (Node(c, "input") is { } inNode)
        {
            input = YamlValues.Convert(inNode);
        }

        var strict = Text(c, "strict_error") == "true";
        var wantError = Text(c, "want_error");
        var wantCode = Text(c, "want_error_code");
        var expectError = wantError != null || wantCode != null;
        var options = new RegoOptions { StrictBuiltinErrors = strict, Timeout = TimeSpan.FromSeconds(20) };
        List<Dictionary<string, Value>> rows;
        try
        {
            var policy = RegoCompiler.Compile(modules, data, options);
            rows = policy.QueryValues(Text(c, "query") ?? string.Empty, input, options, CancellationToken.None);
        }
        catch (RegoException e)
        {
            if (!expectError)
            {
                return "unexpected error: " + e.Message;
            }

            if (wantCode != null && !e.Errors.Any(x => x.Code == wantCode))
            {
                return $"want error code {wantCode}, got {e.First.Code}: {e.Message}";
            }

            if (wantError != null && !e.Message.Contains(wantError, StringComparison.Ordinal))
            {
                return $"want error containing '{wantError}', got: {e.Message}";
            }

            return null;
        }

        if (expectError)
        {
            return $"want error {wantCode} '{wantError}', got {rows.Count} result(s)";
        }

        var sortBindings = Text(c, "sort_bindings") == "true";
        var want = Node(c, "want_result") is YamlSequenceNode wr
            ? wr.Children.Select(r => Normalize(YamlValues.Convert(r), sortBindings)).ToList()
            : [];
        var got = rows.Select(r => Normalize(new ObjectValue(r.ToDictionary(kv => (Value)new StringValue(kv.Key), kv => ToJsonValue(kv.Value))), sortBindings)).ToList();
        want.Sort();
        got.Sort();
        if (want.Count != got.Count || want.Zip(got).Any(p => !p.First.Equals(p.Second)))
        {
            return $"want {Show(want)}, got {Show(got)}";
        }

        return null;
    }

    private static string Show(List<Value> rows)
    {
        var s = string.Join(", ", rows.Select(r => ValueFormatter.ToJson(r)));
        return s.Length > 300 ? s[..300] + "..." : "[" + s + "]";
    }

    private static Value Normalize(Value row, bool sortBindings)
    {
        if (!sortBindings || row is not ObjectValue o)
        {
            return row;
        }

        return new ObjectValue(o.Map.ToDictionary(kv => kv.Key, kv => kv.Value is ArrayValue a ? new ArrayValue([.. a.Items.Order()]) : kv.Value));
    }

    /// <summary>The JSON view of a value, as OPA's runner compares results: sets become sorted arrays, keys strings.</summary>
    internal static Value ToJsonValue(Value v) => v switch
    {
        ArrayValue a => new ArrayValue([.. a.Items.Select(ToJsonValue)]),
        SetValue s => new ArrayValue([.. s.Sorted.Select(ToJsonValue)]),
        ObjectValue o => new ObjectValue(o.Map.ToDictionary(
            kv => kv.Key is StringValue ? kv.Key : new StringValue(ValueFormatter.ToJson(kv.Key)),
            kv => ToJsonValue(kv.Value))),
        _ => v,
    };

    /// <summary>Value of a constant term (input_term).</summary>
    internal static Value ConstantTerm(Term t) => t switch
    {
        ScalarTerm s => s.Value,
        ArrayTerm a => new ArrayValue([.. a.Items.Select(ConstantTerm)]),
        SetTerm s => new SetValue([.. s.Items.Select(ConstantTerm)]),
        ObjectTerm o => new ObjectValue(o.Items.ToDictionary(kv => ConstantTerm(kv.Key), kv => ConstantTerm(kv.Value))),
        _ => throw new RegoException(RegoErrorKind.ParseError, "input_term must be a constant"),
    };
}
