using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Compilation.Typing;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego;

/// <summary>Parses and compiles Rego v1 modules into an immutable, thread-safe <see cref="RegoPolicy"/>.</summary>
public static class RegoCompiler
{
    /// <summary>
    /// Compiles modules with optional base data and, when given, the schema of every input: a reference no such input
    /// can have is then a rego_type_error. Throws <see cref="RegoException"/> with every error found.
    /// </summary>
    public static RegoPolicy Compile(IEnumerable<RegoModule> modules, JsonNode? data = null, RegoOptions? options = null, RegoInputSchema? inputSchema = null) =>
        Compile(modules, data == null ? ObjectValue.Empty : JsonInterop.FromNode(data), options, inputSchema);

    internal static RegoPolicy Compile(IEnumerable<RegoModule> modules, Value data, RegoOptions? options, RegoInputSchema? inputSchema = null)
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
        if (inputSchema != null && new InputChecker(compiler, inputSchema.Type).Check() is { Count: > 0 } typeErrors)
        {
            throw new RegoException(typeErrors);
        }

        if (data is not ObjectValue obj)
        {
            throw new RegoException(RegoErrorKind.CompileError, "data must be an object");
        }

        return new RegoPolicy(new PolicyModel(compiler, obj), options ?? RegoOptions.Default);
    }
}
