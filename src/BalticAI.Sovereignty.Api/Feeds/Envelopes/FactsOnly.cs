using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.Feeds.Envelopes;

/// <summary>
/// Redaction rule of the feeds: authorities receive facts, not prose. Every property marked
/// <see cref="FreeTextAttribute"/>, at any depth, is left out of the envelope's data, and so is the
/// owner-written text a decision's policy input copied from such properties (<see cref="PolicyInputProse"/>).
/// </summary>
public static class FactsOnly
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropFreeText, DropProseFromPolicyInput } },
        Converters = { new EnumsAsNames() },
    };

    /// <summary>
    /// Enums as their names, except a vocabulary that names its own converter (the kebab-case terms of the API and of
    /// the stored events): a converter in the options would win over the type's, and authorities would read
    /// "ResearchOnly" where the API, the schemas and the ledger say "research-only".
    /// </summary>
    private sealed class EnumsAsNames : JsonConverterFactory
    {
        private readonly JsonStringEnumConverter _names = new();

        public override bool CanConvert(Type typeToConvert) =>
            _names.CanConvert(typeToConvert) && !typeToConvert.IsDefined(typeof(JsonConverterAttribute), inherit: false);

        public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            _names.CreateConverter(typeToConvert, options);
    }

    private static void DropFreeText(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            if (type.Properties[i].AttributeProvider?.IsDefined(typeof(FreeTextAttribute), inherit: true) == true)
            {
                type.Properties.RemoveAt(i);
            }
        }
    }

    private static void DropProseFromPolicyInput(JsonTypeInfo type)
    {
        if (type.Type != typeof(AccessDecided))
        {
            return;
        }
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider is PropertyInfo { Name: nameof(AccessDecided.Input) } && property.Get is { } read)
            {
                property.Get = decided => read(decided) is JsonObject input ? PolicyInputProse.Without(input) : null;
            }
        }
    }
}
