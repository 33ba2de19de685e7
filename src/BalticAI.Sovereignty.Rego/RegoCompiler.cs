using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego;

/// <summary>Parses and compiles Rego v1 modules into an immutable, thread-safe <see cref="RegoPolicy"/>.</summary>
public static class RegoCompiler
{
    /// <summary>Compiles modules with optional base data. Throws <see cref="RegoException"/> with every error found.</summary>
    public static RegoPolicy Compile(IEnumerable<RegoModule> modules, JsonNode? data = null, RegoOptions? options = null) =>
        Compile(modules, data == null ? ObjectValue.Empty : JsonInterop.FromNode(data), options);

    internal static RegoPolicy Compile(IEnumerable<RegoModule> modules, Value data, RegoOptions? options)
    {
        var parsed = new List<Module>();
        var errors = new List<RegoError>();
        foreach (var m in modules)
        {
            try
            {
                parsed.Add(Parser.ParseModule(m.Source, m.Path));
            }
            catch (RegoException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new RegoException(errors);
        }

        var compiler = new Compiler(parsed);
        compiler.Compile();
        if (data is not ObjectValue obj)
        {
            throw new RegoException(RegoErrorKind.CompileError, "data must be an object");
        }

        return new RegoPolicy(new PolicyModel(compiler, obj), options ?? RegoOptions.Default);
    }
}
