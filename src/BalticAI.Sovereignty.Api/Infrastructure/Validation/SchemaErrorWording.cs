using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// What a client is told for each way a body fails a request schema, in the API's own words ("is required", "must be
/// one of a, b"). JsonSchema.Net's defaults name no enum value, no pattern and no member, because an enum may be large;
/// ours are short vocabularies, and a client needs the terms. The library keeps its messages process-wide, and the
/// catalog is its only user in the broker: the enum, pattern and type messages become their bare tokens, which
/// <see cref="Add"/> words.
/// </summary>
internal static partial class SchemaErrorWording
{
    public static void Install()
    {
        ErrorMessages.Enum = "[[values]]";
        ErrorMessages.Pattern = "[[pattern]]";
        ErrorMessages.Type = "[[expected]]";
    }

    /// <summary>Names the missing or unexpected property itself rather than its parent.</summary>
    public static void Add(FieldErrors errors, string location, string keyword, string message)
    {
        switch (keyword)
        {
            case "required":
                foreach (Match missing in QuotedName().Matches(message))
                {
                    errors.Add(FieldErrors.Child(location, missing.Groups[1].Value), "is required");
                }
                break;
            // A member the schema does not list meets its `false` schema, which JsonSchema.Net 8 reports under no keyword
            // ("All values fail against the false schema").
            case "" or "false":
                errors.Add(location, "is not allowed here");
                break;
            case "enum":
                errors.Add(location, OneOf(message));
                break;
            case "pattern":
                errors.Add(location, "must match " + Unquoted(message));
                break;
            case "type":
                errors.Add(location, "must be " + JsonTypes(message));
                break;
            default:
                errors.Add(location, message);
                break;
        }
    }

    /// <summary>"must be one of a, b, c" from the enum's values as JSON; strings are named without quotes.</summary>
    private static string OneOf(string values) => Json(values) is JsonArray terms
        ? "must be one of " + string.Join(", ", terms.Select(t => t?.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : t?.ToJsonString() ?? "null"))
        : "must be one of the values the schema lists";

    /// <summary>"a string", "a string or null": the type or types a schema asks for, as the message token gives them.</summary>
    private static string JsonTypes(string expected)
    {
        // Several types come as one string, "string, null".
        var names = Json(expected) switch
        {
            JsonArray many => many.Select(n => n?.ToString() ?? ""),
            JsonValue one => one.ToString().Split(", ", StringSplitOptions.RemoveEmptyEntries),
            _ => [expected],
        };
        return string.Join(" or ", names.Select(name => name switch
        {
            "null" => "null",
            "integer" or "object" or "array" => "an " + name,
            _ => "a " + name,
        }));
    }

    /// <summary>The pattern as the schema writes it: the message token is its JSON string, quotes and escapes included.</summary>
    private static string Unquoted(string token) => Json(token) is JsonValue value && value.GetValueKind() == JsonValueKind.String
        ? value.GetValue<string>()
        : token;

    /// <summary>A message token as JSON; null when it is not (a template other than ours), and the message is then used as it is.</summary>
    private static JsonNode? Json(string token)
    {
        try
        {
            return JsonNode.Parse(token);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex QuotedName();
}
