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
    /// Compiles modules with optional base data. Given the schema of every input or a schema set (even an empty one),
    /// it also checks, as `opa check` does: METADATA blocks OPA would refuse are parse errors, and a reference no input
    /// of the schema can have, or no document a block's `schemas` declares (`schema.x` from <paramref name="schemas"/>),
    /// is a rego_type_error. Without either it compiles what it is given, as a decision engine compiles a bundle that
    /// was checked when it was recorded. Throws <see cref="RegoException"/> with every error found.
    /// </summary>
    public static RegoPolicy Compile(
        IEnumerable<RegoModule> modules, JsonNode? data = null, RegoOptions? options = null, RegoInputSchema? inputSchema = null, RegoSchemaSet? schemas = null) =>
        Compile(modules, data == null ? ObjectValue.Empty : JsonInterop.FromNode(data), options, inputSchema, schemas);

    internal static RegoPolicy Compile(IEnumerable<RegoModule> modules, Value data, RegoOptions? options, RegoInputSchema? inputSchema = null, RegoSchemaSet? schemas = null)
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
        if ((inputSchema != null || schemas != null) && Check(compiler, inputSchema, schemas ?? RegoSchemaSet.Empty) is { Count: > 0 } typeErrors)
        {
            throw new RegoException(typeErrors);
        }

        if (data is not ObjectValue obj)
        {
            throw new RegoException(RegoErrorKind.CompileError, "data must be an object");
        }

        return new RegoPolicy(new PolicyModel(compiler, obj), options ?? RegoOptions.Default);
    }

    /// <summary>The METADATA blocks' errors, or else what the input check finds against the schema and the blocks' schemas.</summary>
    private static IReadOnlyList<RegoError> Check(Compiler compiler, RegoInputSchema? inputSchema, RegoSchemaSet schemas)
    {
        if (compiler.ReadAnnotations() is { Count: > 0 } annotationErrors)
        {
            return annotationErrors;
        }

        return new InputChecker(compiler, inputSchema?.Type ?? RegoType.Any, compiler.Annotations(), schemas).Check();
    }
}
