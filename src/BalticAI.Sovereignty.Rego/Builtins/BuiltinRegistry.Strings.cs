using System.Globalization;
using System.Numerics;
using System.Text;
using BalticAI.Sovereignty.Rego.Values;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>String builtins. Positions count Unicode code points, as OPA counts runes.</summary>
internal static partial class BuiltinRegistry
{
    private static void RegisterStrings()
    {
        Add("concat", 2, a =>
        {
            var sep = Str(a, 0);
            var parts = Collection(a, 1, "one of {array, set}").Select(v => v is StringValue s ? s.Value : throw BuiltinException.Operand(2, "one of {array, set} of strings", a[1]));
            return S(string.Join(sep, parts));
        });
        Add("split", 2, a => new ArrayValue([.. Split(Str(a, 0), Str(a, 1)).Select(s => (Value)S(s))]));
        Add("trim", 2, a => S(TrimRunes(Str(a, 0), Str(a, 1), left: true, right: true)));
        Add("trim_left", 2, a => S(TrimRunes(Str(a, 0), Str(a, 1), left: true, right: false)));
        Add("trim_right", 2, a => S(TrimRunes(Str(a, 0), Str(a, 1), left: false, right: true)));
        Add("trim_prefix", 2, a => S(Str(a, 0).StartsWith(Str(a, 1), StringComparison.Ordinal) ? Str(a, 0)[Str(a, 1).Length..] : Str(a, 0)));
        Add("trim_suffix", 2, a => S(Str(a, 0).EndsWith(Str(a, 1), StringComparison.Ordinal) ? Str(a, 0)[..^Str(a, 1).Length] : Str(a, 0)));
        Add("trim_space", 1, a => S(Str(a, 0).Trim()));
        // Go's unicode.ToUpper/ToLower use Unicode's simple mappings. .NET's invariant casing applies them too
        // except for three that map to or from ASCII (compared over every code point): upper("ı") is "I",
        // upper("ſ") is "S" and lower("İ") is "i" in OPA.
        Add("upper", 1, a => S(Str(a, 0).ToUpperInvariant().Replace('\u0131', 'I').Replace('\u017F', 'S')));
        Add("lower", 1, a => S(Str(a, 0).Replace('\u0130', 'i').ToLowerInvariant()));
        Add("replace", 3, a => S(Str(a, 2) is var n && Str(a, 1) is var o && o.Length == 0 ? InsertBetweenRunes(Str(a, 0), n) : Str(a, 0).Replace(Str(a, 1), Str(a, 2), StringComparison.Ordinal)));
        Add("strings.replace_n", 2, a =>
        {
            var pairs = Obj(a, 0).Map.OrderBy(kv => kv.Key).Select(kv => (
                kv.Key is StringValue k ? k.Value : throw BuiltinException.Operand(1, "object[string: string]", a[0]),
                kv.Value is StringValue v ? v.Value : throw BuiltinException.Operand(1, "object[string: string]", a[0]))).ToList();
            return S(ReplaceAll(Str(a, 1), pairs));
        });
        Add("startswith", 2, a => BoolValue.Of(Str(a, 0).StartsWith(Str(a, 1), StringComparison.Ordinal)));
        Add("endswith", 2, a => BoolValue.Of(Str(a, 0).EndsWith(Str(a, 1), StringComparison.Ordinal)));
        Add("contains", 2, a => BoolValue.Of(Str(a, 0).Contains(Str(a, 1), StringComparison.Ordinal)));
        Add("indexof", 2, a => N(RuneIndex(Str(a, 0), Str(a, 0).IndexOf(Str(a, 1), StringComparison.Ordinal))));
        Add("indexof_n", 2, a =>
        {
            var s = Str(a, 0);
            var sub = Str(a, 1);
            var list = new List<Value>();
            for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0 && sub.Length > 0; i = s.IndexOf(sub, i + 1, StringComparison.Ordinal))
            {
                list.Add(N(RuneIndex(s, i)));
            }

            return new ArrayValue([.. list]);
        });
        Add("substring", 3, Substring);
        Add("strings.count", 2, a =>
        {
            var s = Str(a, 0);
            var sub = Str(a, 1);
            if (sub.Length == 0)
            {
                return N(s.EnumerateRunes().Count() + 1);
            }

            var count = 0;
            for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
            {
                count++;
            }

            return N(count);
        });
        Add("strings.reverse", 1, a => S(string.Concat(Str(a, 0).EnumerateRunes().Reverse().Select(r => r.ToString()))));
        Add("strings.any_prefix_match", 2, a => AnyMatch(a, (s, p) => s.StartsWith(p, StringComparison.Ordinal)));
        Add("strings.any_suffix_match", 2, a => AnyMatch(a, (s, p) => s.EndsWith(p, StringComparison.Ordinal)));
        Add("sprintf", 2, a => S(Sprintf(Str(a, 0), a[1] is ArrayValue arr ? arr.Items : throw BuiltinException.Operand(2, "array", a[1]))));
        Add("format_int", 2, a =>
        {
            var n = Num(a, 0);
            var b = Int(a, 1);
            if (b is not (2 or 8 or 10 or 16))
            {
                throw BuiltinException.Operand(2, "one of {2, 8, 10, 16}", a[1]);
            }

            // Go's big.Float.Int, which OPA uses here, truncates towards zero: format_int(-1.5, 10) is "-1".
            var i = n.IsInteger ? n.Integer : new BigInteger(Math.Truncate(n.AsDouble()));
            if (!n.IsInteger && n.TryDecimal(out var d))
            {
                i = new BigInteger(decimal.Truncate(d));
            }

            return S(FormatRadix(i, b));
        });
        Add("strings.split_n", 3, a =>
        {
            var parts = Split(Str(a, 0), Str(a, 1));
            var n = Int(a, 2);
            var take = (int)Math.Min(Math.Abs((long)n), parts.Length);
            return new ArrayValue([.. (n >= 0 ? parts.Take(take) : parts.Skip(parts.Length - take)).Select(s => (Value)S(s))]);
        });
        Add("strings.split", 2, a => new ArrayValue([.. Split(Str(a, 0), Str(a, 1)).Select(s => (Value)S(s))]));
    }

    /// <summary>
    /// Go's strings.NewReplacer(old1, new1, ...).Replace, as OPA's strings.replace_n uses it: one pass over s,
    /// at each position the first pair (in key order) whose old string starts there wins, and replaced text
    /// is never searched again. Replacing pair by pair instead turned {"a": "b", "b": "c"} on "ab" into "cc".
    /// </summary>
    private static string ReplaceAll(string s, List<(string Old, string New)> pairs)
    {
        var sb = new StringBuilder(s.Length);
        var afterEmptyMatch = false;
        for (var i = 0; i <= s.Length;)
        {
            var hit = pairs.FindIndex(p => (p.Old.Length > 0 || !afterEmptyMatch) && s.AsSpan(i).StartsWith(p.Old, StringComparison.Ordinal));
            afterEmptyMatch = hit >= 0 && pairs[hit].Old.Length == 0;
            if (hit >= 0)
            {
                sb.Append(pairs[hit].New);
                i += pairs[hit].Old.Length;
            }
            else if (i < s.Length)
            {
                var width = i + 1 < s.Length && char.IsSurrogatePair(s[i], s[i + 1]) ? 2 : 1;
                sb.Append(s, i, width);
                i += width;
            }
            else
            {
                break;
            }
        }

        return sb.ToString();
    }

    private static string[] Split(string s, string sep) =>
        sep.Length == 0 ? [.. s.EnumerateRunes().Select(r => r.ToString())] : s.Split(sep);

    /// <summary>
    /// Go's strings.Trim family: the cutset is a set of code points. .NET's Trim(char[]) works on UTF-16
    /// units, so a cutset emoji removed half of a neighbouring emoji and left an unpaired surrogate.
    /// </summary>
    private static string TrimRunes(string s, string cutset, bool left, bool right)
    {
        var cut = cutset.EnumerateRunes().ToHashSet();
        var start = 0;
        var end = s.Length;
        while (left && start < end && Rune.DecodeFromUtf16(s.AsSpan(start, end - start), out var r, out var n) == System.Buffers.OperationStatus.Done && cut.Contains(r))
        {
            start += n;
        }

        while (right && start < end && Rune.DecodeLastFromUtf16(s.AsSpan(start, end - start), out var r, out var n) == System.Buffers.OperationStatus.Done && cut.Contains(r))
        {
            end -= n;
        }

        return s[start..end];
    }

    private static string InsertBetweenRunes(string s, string n)
    {
        var sb = new StringBuilder(n);
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append(r.ToString()).Append(n);
        }

        return sb.ToString();
    }

    private static int RuneIndex(string s, int charIndex) =>
        charIndex < 0 ? -1 : s[..charIndex].EnumerateRunes().Count();

    private static Value Substring(Value[] a)
    {
        var s = Str(a, 0);
        var start = Int(a, 1);
        var length = Int(a, 2);
        if (start < 0)
        {
            throw BuiltinException.Error("negative offset");
        }

        var runes = s.EnumerateRunes().ToArray();
        if (start >= runes.Length)
        {
            return StringValue.Empty;
        }

        var end = length < 0 || start + length > runes.Length ? runes.Length : start + length;
        return S(string.Concat(runes[start..end].Select(r => r.ToString())));
    }

    private static Value AnyMatch(Value[] a, Func<string, string, bool> match)
    {
        var subjects = StringsOf(a, 0);
        var patterns = StringsOf(a, 1);
        return BoolValue.Of(subjects.Any(s => patterns.Any(p => match(s, p))));
    }

    private static List<string> StringsOf(Value[] a, int i)
    {
        IReadOnlyList<Value> items = a[i] switch
        {
            StringValue s => [s],
            ArrayValue arr => arr.Items,
            SetValue set => set.Sorted,
            _ => throw BuiltinException.Operand(i + 1, "one of {string, set, array}", a[i]),
        };
        var kind = a[i] is SetValue ? "set" : "array";
        return [.. items.Select(v => v is StringValue s ? s.Value
            : throw new BuiltinException(RegoErrorKind.EvalTypeError, $"operand {i + 1} must be {kind} of strings but got {kind} containing {v.TypeName}"))];
    }
}
