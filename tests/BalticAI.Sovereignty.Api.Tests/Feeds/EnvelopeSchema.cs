using System.Text.Json;
using Json.Schema;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>schemas/feed-envelope.schema.json, found from the test binaries up to the repository root.</summary>
public static class EnvelopeSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Find())));

    public static EvaluationResults Evaluate(byte[] envelope)
    {
        using var document = JsonDocument.Parse(envelope);
        return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
    }

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "schemas", "feed-envelope.schema.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("schemas/feed-envelope.schema.json not found above " + AppContext.BaseDirectory);
    }
}
