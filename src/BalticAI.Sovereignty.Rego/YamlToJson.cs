using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BalticAI.Sovereignty.Rego;

/// <summary>
/// YAML to JSON as OPA converts it, for yaml.unmarshal and yaml.is_valid (topdown/encoding.go) and for the .yaml data
/// files `opa test` loads (loader.loadYAML): both go through sigs.k8s.io/yaml's YAMLToJSON, which decodes with go-yaml
/// v2's non-strict Unmarshal and so types plain scalars as YAML 1.1 does (see <see cref="Resolve"/>). Only the first
/// document is read, as Unmarshal reads it. A mapping is filled in document order, as go-yaml fills a Go map: a
/// repeated key is no error, its last value wins; a merge key `&lt;&lt;` (a mapping, an alias of one, or a sequence
/// of them, the earlier winning) sets its keys where it stands, so a key before it is overwritten and a key after it
/// wins. Keys become strings as sigs.k8s.io/yaml writes them; a null, a uint64 or a collection is no key.
/// </summary>
public static partial class YamlToJson
{
    private const string MergeTag = "tag:yaml.org,2002:merge";

    /// <summary>go-yaml's scanner refuses nesting deeper than this (max_flow_level and max_indents in scannerc.go).</summary>
    private const int MaxDepth = 10_000;

    /// <exception cref="FormatException">
    /// Not YAML, or YAML with no JSON form, phrased as sigs.k8s.io/yaml phrases it: "error converting YAML to JSON: ...".
    /// </exception>
    public static JsonNode? Convert(string text)
    {
        Node? root;
        try
        {
            // FirstDocument parses too: an error it meets is the first document's, phrased the same.
            root = Parse(FirstDocument(text));
        }
        catch (YamlException e)
        {
            // Go's yaml package says "yaml: line N: <problem>", the line within the input; YamlDotNet says where it was, then the problem.
            var problem = Regex.Replace(e.Message, @"^.*?While [^,]*, ", string.Empty).TrimEnd('.');
            problem = problem.Length > 0 ? char.ToLowerInvariant(problem[0]) + problem[1..] : "invalid YAML";
            var line = Math.Min(e.Start.Line, text.Split('\n').Length);
            throw Error($"yaml: line {line}: {problem}", e);
        }
        catch (InsufficientExecutionStackException)
        {
            throw TooDeep();
        }

        try
        {
            return root is null ? null : new Decoder().Value(root);
        }
        catch (InsufficientExecutionStackException)
        {
            // Aliases can stack nodes deeper than the document is written; the thread's stack ends that, not the process.
            throw TooDeep();
        }
    }

    private static FormatException TooDeep() => Error($"yaml: exceeded max depth of {MaxDepth}");

    private static FormatException Error(string problem, Exception? inner = null) =>
        new($"error converting YAML to JSON: {problem}", inner);

    /// <summary>
    /// The text up to the end of its first document: go-yaml's Unmarshal parses no further, so what follows, broken or
    /// not, is never seen. A YamlException within the first document is thrown as YamlDotNet finds it.
    /// </summary>
    private static string FirstDocument(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentEnd end:
                    return text[..(int)Math.Min(end.End.Index, text.Length)];
                // Refused as soon as the scanner gets there, as go-yaml's refuses it: YamlDotNet's scanner slows with
                // every open level, so a document nested 100,000 deep would otherwise take a minute to refuse.
                case SequenceStart or MappingStart when ++depth > MaxDepth:
                    throw TooDeep();
                case SequenceEnd or MappingEnd:
                    depth--;
                    break;
            }
        }

        return text;
    }

    /// <summary>
    /// The first document as go-yaml's parser builds it: every pair of every mapping kept, in order (YamlDotNet's
    /// representation model refuses a repeated key), an anchor known from where its node starts, so an alias inside
    /// its own node refers to that node. Null for a stream with no document.
    /// </summary>
    private static Node? Parse(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _))
        {
            return null;
        }

        var anchors = new Dictionary<string, Node>(StringComparer.Ordinal);
        return Read(parser, anchors);
    }

    /// <summary>Recursive, within <see cref="MaxDepth"/> levels (<see cref="FirstDocument"/> refused any deeper) and the thread's stack.</summary>
    private static Node Read(IParser parser, Dictionary<string, Node> anchors)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();

        var e = parser.Consume<ParsingEvent>();
        switch (e)
        {
            case AnchorAlias alias:
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? new AliasNode(alias.Value.Value, target)
                    : throw Error($"yaml: unknown anchor '{alias.Value.Value}' referenced");
            case Scalar scalar:
                return Anchored(new ScalarNode(scalar), scalar, anchors);
            case SequenceStart start:
                var sequence = Anchored(new SequenceNode(), start, anchors);
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    sequence.Items.Add(Read(parser, anchors));
                }

                return sequence;
            case MappingStart start:
                var mapping = Anchored(new MappingNode(), start, anchors);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    mapping.Pairs.Add((Read(parser, anchors), Read(parser, anchors)));
                }

                return mapping;
            default:
                throw Error($"yaml: unexpected {e.GetType().Name}");
        }
    }

    private static T Anchored<T>(T node, NodeEvent e, Dictionary<string, Node> anchors) where T : Node
    {
        if (!e.Anchor.IsEmpty)
        {
            anchors[e.Anchor.Value] = node;
        }

        return node;
    }

    private abstract class Node;

    private sealed class ScalarNode(Scalar scalar) : Node
    {
        public Scalar Scalar { get; } = scalar;

        /// <summary>go-yaml's isMerge: a plain untagged `&lt;&lt;`, or one tagged !!merge.</summary>
        public bool IsMerge => Scalar.Value == "<<"
            && ((Scalar.Tag.IsEmpty && Scalar.Style == ScalarStyle.Plain) || (!Scalar.Tag.IsEmpty && Scalar.Tag.Value == MergeTag));
    }

    private sealed class SequenceNode : Node
    {
        public List<Node> Items { get; } = [];
    }

    private sealed class MappingNode : Node
    {
        public List<(Node Key, Node Value)> Pairs { get; } = [];
    }

    private sealed class AliasNode(string name, Node target) : Node
    {
        public string Name { get; } = name;

        public Node Target { get; } = target;
    }

    /// <summary>go-yaml v2's decoder into interface{}, then sigs.k8s.io/yaml's conversion of the result to JSON.</summary>
    private sealed class Decoder
    {
        private readonly HashSet<AliasNode> _expanding = [];
        private int _decodes;
        private int _aliasDecodes;
        private int _aliasDepth;

        public JsonNode? Value(Node node)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            Count();
            switch (node)
            {
                case AliasNode alias:
                    return Expand(alias, Value);
                case SequenceNode sequence:
                    return new JsonArray([.. sequence.Items.Select(Value)]);
                case MappingNode mapping:
                    var obj = new JsonObject();
                    Fill(mapping, obj);
                    return obj;
                default:
                    return ScalarValue(((ScalarNode)node).Scalar);
            }
        }

        /// <summary>Sets the pairs in order, a repeated key overwriting, as go-yaml's SetMapIndex does without strict mode.</summary>
        private void Fill(MappingNode mapping, JsonObject into)
        {
            foreach (var (key, value) in mapping.Pairs)
            {
                if (key is ScalarNode { IsMerge: true })
                {
                    Merge(value, into);
                    continue;
                }

                var name = Key(key);
                into[name] = Value(value);
            }
        }

        /// <summary>go-yaml's merge: a sequence is merged from its last map to its first, so the first one's keys win.</summary>
        private void Merge(Node value, JsonObject into)
        {
            if (value is not SequenceNode sequence)
            {
                MergeMap(value, into);
                return;
            }

            for (var i = sequence.Items.Count - 1; i >= 0; i--)
            {
                MergeMap(sequence.Items[i], into);
            }
        }

        private void MergeMap(Node value, JsonObject into)
        {
            switch (value)
            {
                case MappingNode mapping:
                    Count();
                    Fill(mapping, into);
                    break;
                case AliasNode { Target: MappingNode } alias:
                    MergeAlias(alias, into);
                    break;
                default:
                    throw WantMap();
            }
        }

        private void MergeAlias(AliasNode alias, JsonObject into)
        {
            Count();
            Expand(alias, target =>
            {
                Count();
                Fill((MappingNode)target, into);
                return 0;
            });
        }

        private static FormatException WantMap() => Error("yaml: map merge requires map or sequence of maps as the value");

        private string Key(Node key)
        {
            Count();
            return key switch
            {
                AliasNode alias => Expand(alias, Key),
                ScalarNode scalar => KeyText(scalar.Scalar),
                _ => throw Error($"yaml: invalid map key: {Value(key)?.ToJsonString()}"),
            };
        }

        private T Expand<T>(AliasNode alias, Func<Node, T> decode)
        {
            if (!_expanding.Add(alias))
            {
                throw Error($"yaml: anchor '{alias.Name}' value contains itself");
            }

            _aliasDepth++;
            try
            {
                return decode(alias.Target);
            }
            finally
            {
                _aliasDepth--;
                _expanding.Remove(alias);
            }
        }

        /// <summary>go-yaml's guard against alias expansion (a "billion laughs" document), with its ratios and limits.</summary>
        private void Count()
        {
            _decodes++;
            if (_aliasDepth > 0)
            {
                _aliasDecodes++;
            }

            if (_aliasDecodes > 100 && _decodes > 1000 && (double)_aliasDecodes / _decodes > AllowedAliasRatio(_decodes))
            {
                throw Error("yaml: document contains excessive aliasing");
            }
        }

        private static double AllowedAliasRatio(int decodes) => decodes switch
        {
            <= 400_000 => 0.99,
            >= 4_000_000 => 0.10,
            _ => 0.99 - (0.89 * ((decodes - 400_000) / 3_600_000.0)),
        };
    }
}
