using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>The `with` keyword: replaces input, parts of data, or functions for one expression.</summary>
internal sealed partial class Evaluator
{
    private Value? input;
    private List<(string[] Path, Value Value)> dataOverrides = [];
    private Dictionary<string, Replacement>? fnOverrides;

    private sealed record Replacement(Value? Constant, string? Function);

    private readonly record struct State(Value? Input, List<(string[], Value)> Data, Dictionary<string, Replacement>? Fns, Dictionary<Compilation.RuleNode, Value?> Cache);

    private State Save() => new(input, dataOverrides, fnOverrides, cache);

    private void Restore(State s)
    {
        input = s.Input;
        dataOverrides = s.Data;
        fnOverrides = s.Fns;
        cache = s.Cache;
    }

    private bool EvalWith(Expr e, Value?[] f, Func<bool> k)
    {
        var values = new Value?[e.With.Count];
        for (var i = 0; i < e.With.Count; i++)
        {
            var w = e.With[i];
            if (w.ReplacementFunction != null)
            {
                continue;
            }

            Value? val = null;
            EvalTerm(w.Value, f, v =>
            {
                val = v;
                return true;
            });
            if (val == null)
            {
                return false;
            }

            values[i] = val;
        }

        var outer = Save();
        var newInput = input;
        var newData = new List<(string[], Value)>(dataOverrides);
        var newFns = fnOverrides == null ? new Dictionary<string, Replacement>(StringComparer.Ordinal) : new Dictionary<string, Replacement>(fnOverrides, StringComparer.Ordinal);
        for (var i = 0; i < e.With.Count; i++)
        {
            var w = e.With[i];
            switch (w.TargetKind)
            {
                case WithTargetKind.Input:
                    newInput = w.TargetPath.Length == 0 ? values[i] : SetPath(newInput, w.TargetPath, 0, values[i]!);
                    break;
                case WithTargetKind.Data:
                    newData.Add((w.TargetPath, values[i]!));
                    break;
                default:
                    newFns[w.TargetPath[0]] = w.ReplacementFunction != null ? new Replacement(null, w.ReplacementFunction) : new Replacement(values[i], null);
                    break;
            }
        }

        var inner = new State(newInput, newData, newFns, []);
        Restore(inner);
        try
        {
            return EvalExprNoWith(e, f, () =>
            {
                var current = Save();
                Restore(outer);
                try
                {
                    return k();
                }
                finally
                {
                    Restore(current);
                }
            });
        }
        finally
        {
            Restore(outer);
        }
    }

    private static ObjectValue SetPath(Value? target, string[] path, int i, Value v)
    {
        var map = target is ObjectValue o ? new Dictionary<Value, Value>(o.Map) : [];
        var key = new StringValue(path[i]);
        map[key] = i == path.Length - 1 ? v : SetPath(map.GetValueOrDefault(key), path, i + 1, v);
        return new ObjectValue(map);
    }

    private Value? FindOverride(string[] prefix)
    {
        for (var i = dataOverrides.Count - 1; i >= 0; i--)
        {
            if (dataOverrides[i].Path.AsSpan().SequenceEqual(prefix))
            {
                return dataOverrides[i].Value;
            }
        }

        return null;
    }

    private bool HasOverrideUnder(string[] prefix) =>
        dataOverrides.Exists(o => o.Path.Length > prefix.Length && o.Path.AsSpan(0, prefix.Length).SequenceEqual(prefix));

    /// <summary>Writes replacements that lie strictly below `prefix` into a document value.</summary>
    private Value? ApplyOverrides(Value? value, string[] prefix)
    {
        foreach (var (path, v) in dataOverrides)
        {
            if (path.Length > prefix.Length && path.AsSpan(0, prefix.Length).SequenceEqual(prefix))
            {
                value = SetPath(value, path, prefix.Length, v);
            }
        }

        return value;
    }
}
