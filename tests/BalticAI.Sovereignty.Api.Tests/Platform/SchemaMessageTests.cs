using System.Text.Json;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Tests.Policies;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>What a client is told when its body fails a request schema: the rule it broke, in words it can act on.</summary>
public sealed class SchemaMessageTests
{
    private static readonly JsonSchemaCatalog Catalog = new(RepositoryFiles.Path("schemas"));

    private static IReadOnlyDictionary<string, List<string>> Errors(string schema, string body)
    {
        using var document = JsonDocument.Parse(body);
        return Catalog.Validate(schema, document.RootElement).Entries;
    }

    [Fact]
    public void A_term_outside_a_vocabulary_is_told_the_vocabulary()
    {
        Errors("dataset-withdrawal", """{"reason": "owner-request"}""")["/reason"]
            .ShouldBe(["must be one of consent-withdrawn, erasure-request, objection-upheld, licence-ended, unlawful-processing, owner-decision"]);
    }

    [Fact]
    public void A_value_that_does_not_match_a_pattern_is_told_the_pattern()
    {
        var errors = Errors("grant-redemption", """{"bytes": 1, "digest": "sha256:ABC", "token": "a.b.c"}""");

        errors["/digest"].ShouldBe(["must match ^sha256:[0-9a-f]{64}$"]);
        errors.Keys.ShouldBe(["/digest"]);
    }

    /// <summary>The message token is the pattern as a JSON string; the client reads the pattern itself, not its escapes.</summary>
    [Fact]
    public void A_pattern_with_escapes_is_named_as_the_schema_means_it()
    {
        var directory = Directory.CreateTempSubdirectory("balticai-schemas-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "probe.schema.json"),
                """{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://balticai.eu/schemas/probe.schema.json", "properties": {"reference": {"type": "string", "pattern": "^\\S+$"}}}""");
            using var document = JsonDocument.Parse("""{"reference": "two words"}""");

            new JsonSchemaCatalog(directory).Validate("probe", document.RootElement).Entries["/reference"].ShouldBe(["must match ^\\S+$"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_value_of_another_JSON_type_is_told_the_type_asked_for()
    {
        var errors = Errors("grant-redemption", """{"bytes": "1", "digest": 7, "token": "a.b.c"}""");

        errors["/bytes"].ShouldBe(["must be an integer"]);
        errors["/digest"].ShouldBe(["must be a string"]);
        Errors("dataset-terms", """{"origin": {"sourceUri": 5}}""")["/origin/sourceUri"].ShouldBe(["must be a string or null"]);
    }

    [Fact]
    public void A_member_the_schema_does_not_list_is_not_allowed_and_a_missing_one_is_required()
    {
        var errors = Errors("grant-redemption", """{"bytes": 1, "token": "a.b.c", "owner": "pl-mc"}""");

        errors["/owner"].ShouldBe(["is not allowed here"]);
        errors["/digest"].ShouldBe(["is required"]);
    }
}
