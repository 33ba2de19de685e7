using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>
/// Strings the schema lets through as long as they have a character: blank text that policies would
/// count as a documented fact, addresses and domains with room for a person's name, ids and language
/// tags that are one value written twice. Each is 422 naming the field, and nothing is written.
/// </summary>
public sealed class FreeFormFactsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient Owner => broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);

    public static TheoryData<string, string> Refused => new()
    {
        { "/title", "blankTitle" },
        { "/origin/collectionMethod", "blankCollectionMethod" },
        { "/origin/preparationSteps/1", "blankPreparationStep" },
        { "/description", "invisibleDescription" },
        { "/personalData/pseudonymisationMethod", "blankPseudonymisation" },
        { "/origin/crawler/userAgent", "blankUserAgent" },
        { "/contact", "contactUrlWithAName" },
        { "/contact", "contactMailboxWithNewline" },
        { "/origin/sourceUri", "sourceUriWithSpaces" },
        { "/origin/crawler/excludedDomains/1", "excludedDomainNotADomain" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Free_form_facts_that_say_nothing_or_too_much_are_422_and_nothing_is_written(string field, string change)
    {
        var terms = DatasetApi.Terms($"Free-form facts {Guid.NewGuid():N}", sourceType: "crawled");
        switch (change)
        {
            case "blankTitle": terms["title"] = "   "; break;
            case "blankCollectionMethod": terms["origin"]!["collectionMethod"] = " \t "; break;
            case "blankPreparationStep": terms["origin"]!["preparationSteps"] = new JsonArray("deduplication", "\u00A0"); break;
            case "invisibleDescription": terms["description"] = "\u200B\u2060"; break;
            case "blankPseudonymisation":
                terms["personalData"] = new JsonObject { ["containsPersonalData"] = true, ["lawfulBasis"] = "public-task", ["originalPurpose"] = "research", ["pseudonymisationMethod"] = " " };
                break;
            case "blankUserAgent": terms["origin"]!["crawler"]!["userAgent"] = "  "; break;
            case "contactUrlWithAName": terms["contact"] = "https://sejm.example/kontakt Jan Kowalski, tel. 600 100 200"; break;
            case "contactMailboxWithNewline": terms["contact"] = "dane@sejm.example\n"; break;
            case "sourceUriWithSpaces": terms["origin"]!["sourceUri"] = "https://sejm.example/dump by Jan Kowalski"; break;
            case "excludedDomainNotADomain": terms["origin"]!["crawler"]!["excludedDomains"] = new JsonArray("wp.pl", "Jan Kowalski, PESEL 80010112345"); break;
        }
        var before = await broker.CountWritesAsync();

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.UnprocessableEntity);

        problem["errors"]![field]!.AsArray().ShouldNotBeEmpty(problem.ToJsonString());
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Usual_addresses_domains_and_text_are_accepted()
    {
        var terms = DatasetApi.Terms($"Free-form facts accepted {Guid.NewGuid():N}", sourceType: "crawled");
        terms["contact"] = "https://sejm.example/kontakt?form=dane";
        terms["origin"]!["sourceUri"] = "https://sejm.example/transcripts/";
        terms["origin"]!["preparationSteps"] = new JsonArray("deduplication", "language identification");
        terms["origin"]!["crawler"]!["excludedDomains"] = new JsonArray("wp.pl", "wyborcza.pl", "xn--sownik-7wa.pl");

        await Owner.RegisterAsync(terms);
    }

    [Fact]
    public async Task An_amendment_that_blanks_the_collection_method_is_422_and_records_nothing()
    {
        var (id, etag) = await Owner.RegisterAsync(DatasetApi.Terms($"Free-form amendment {Guid.NewGuid():N}"));

        var refused = await Owner.PatchTermsAsync(id, JsonNode.Parse("""{"origin": {"collectionMethod": "  "}}""")!, etag);

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(refused, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["/origin/collectionMethod"]!.AsArray().ShouldNotBeEmpty();
        (await Owner.GetAsync($"/datasets/{id}")).Headers.ETag!.ToString().ShouldBe(etag);
    }

    [Fact]
    public async Task One_source_dataset_named_twice_in_other_letter_case_is_422()
    {
        var (source, _) = await Owner.RegisterAsync(DatasetApi.Terms($"Lineage source {Guid.NewGuid():N}"));
        var terms = DatasetApi.Terms($"Lineage twice {Guid.NewGuid():N}");
        terms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(source.ToString(), source.ToString().ToUpperInvariant()) };
        var before = await broker.CountWritesAsync();

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.UnprocessableEntity);

        problem["errors"]!["/lineage/derivedFrom/1"]!.AsArray().ShouldNotBeEmpty();
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Registering_from_the_nil_id_says_no_such_dataset_rather_than_itself()
    {
        var terms = DatasetApi.Terms($"Lineage nil {Guid.NewGuid():N}");
        terms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(Guid.Empty.ToString()) };

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.UnprocessableEntity);

        problem["errors"]!["/lineage/derivedFrom/0"]![0]!.GetValue<string>().ShouldContain("is registered");
    }

    [Fact]
    public async Task A_language_named_twice_in_other_letter_case_is_422_and_publishes_nothing()
    {
        var (id, etag) = await Owner.RegisterAsync(DatasetApi.Terms($"Languages twice {Guid.NewGuid():N}"));
        var version = DatasetApi.Version();
        version["languages"] = new JsonArray("pl-PL", "en", "pl-pl");

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync($"/datasets/{id}/versions", version, etag), HttpStatusCode.UnprocessableEntity);

        problem["errors"]!["/languages"]!.AsArray().ShouldNotBeEmpty();
        (await DatasetApi.ReadJsonAsync(await Owner.GetAsync($"/datasets/{id}/versions"))).AsArray().ShouldBeEmpty();
    }
}
