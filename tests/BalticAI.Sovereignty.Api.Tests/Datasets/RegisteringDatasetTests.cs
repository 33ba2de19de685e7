using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;
using BalticAI.Sovereignty.Api.Tests.Policies;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

public sealed class RegisteringDatasetTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient Owner => broker.ClientFor(TestTenants.PlSpeakLeash, Roles.DataOwner);

    [Fact]
    public async Task Registering_answers_201_with_location_etag_and_the_callers_organisation_as_owner()
    {
        var response = await Owner.PostJsonAsync("/datasets", DatasetApi.Terms("Registration happy path"));
        var body = await DatasetApi.ReadJsonAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = Guid.Parse(body["id"]!.GetValue<string>());
        id.Version.ShouldBe(7);
        response.Headers.Location!.ToString().ShouldBe($"/datasets/{id}");
        response.Headers.ETag!.ToString().ShouldBe("\"1\"");
        response.Headers.ETag.IsWeak.ShouldBeFalse();
        body["owner"]!.GetValue<string>().ShouldBe("pl-speakleash");
        body["ownerCountry"]!.GetValue<string>().ShouldBe("PL");
        body["status"]!.GetValue<string>().ShouldBe("active");
        body["terms"]!["origin"]!["sourceType"]!.GetValue<string>().ShouldBe("public");

        var read = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/datasets/{id}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        read.Headers.ETag!.ToString().ShouldBe("\"1\"");
        (await DatasetApi.ReadJsonAsync(read))["terms"]!["title"]!.GetValue<string>().ShouldBe("Registration happy path");
    }

    [Fact]
    public async Task An_owner_in_the_body_is_refused_since_the_owner_comes_from_the_token()
    {
        var terms = DatasetApi.Terms();
        terms["owner"] = "pl-mc";

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.BadRequest);

        problem["errors"]!["/owner"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["is not allowed here"]);
    }

    [Theory]
    [InlineData(Roles.TrainingSystem)]
    [InlineData(Roles.Regulator)]
    [InlineData(Roles.Auditor)]
    public async Task Only_data_owners_register(string role)
    {
        var response = await broker.ClientFor(TestTenants.PlMinistry, role).PostJsonAsync("/datasets", DatasetApi.Terms());

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Anonymous_callers_get_401()
    {
        var response = await broker.CreateClient().PostJsonAsync("/datasets", DatasetApi.Terms());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string, string> ContentViolations => new()
    {
        { "/licensing/licence", "licence", "Not-A-Licence" },
        { "/licensing/licence", "licence", "GPL-2.0" },
        { "/licensing/licence", "licence", "LicenseRef-Unknown" },
        { "/sovereignty/originCountry", "country", "XX" },
        { "/sector/securityClass/class", "securityClass", "SCCO9" },
        { "/use/expires", "expires", "2019-12-31" },
        { "/origin/collectionPeriod/to", "periodEnd", "2019-01-01" },
        { "/licensing/restrictions", "licence", "CC-BY-NC-4.0" },
        { "/contact", "contact", "not a mailbox" },
        { "/personalData/lawfulBasis", "personal", "" },
        { "/sovereignty/storage/site", "site", "lt-vilnius-rc" },
        { "/origin/crawler", "crawled", "" },
    };

    [Theory]
    [MemberData(nameof(ContentViolations))]
    public async Task Content_violations_are_422_naming_the_field_and_nothing_is_written(string field, string change, string value)
    {
        var terms = DatasetApi.Terms();
        switch (change)
        {
            case "licence": terms["licensing"]!["licence"] = value; break;
            case "country": terms["sovereignty"]!["originCountry"] = value; break;
            case "securityClass": terms["sector"] = new JsonObject { ["securityClass"] = new JsonObject { ["country"] = "PL", ["class"] = value } }; break;
            case "expires": terms["use"] = new JsonObject { ["expires"] = value }; break;
            case "periodEnd": terms["origin"]!["collectionPeriod"]!["to"] = value; break;
            case "contact": terms["contact"] = value; break;
            case "personal": terms["personalData"] = new JsonObject { ["containsPersonalData"] = true, ["originalPurpose"] = "Service delivery" }; break;
            case "site": terms["sovereignty"]!["storage"]!["site"] = value; break;
            case "crawled": terms["origin"]!["sourceType"] = "crawled"; break;
        }
        var before = await broker.CountWritesAsync();

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.UnprocessableEntity);

        problem["errors"]![field]!.AsArray().ShouldNotBeEmpty();
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_new_security_class_in_the_data_file_is_accepted_and_an_Estonian_class_is_checked_per_country()
    {
        var terms = DatasetApi.Terms(country: "EE");
        terms["sector"] = new JsonObject { ["securityClass"] = new JsonObject { ["country"] = "EE", ["class"] = "E-ITS-H" } };
        (await Owner.PostJsonAsync("/datasets", terms)).StatusCode.ShouldBe(HttpStatusCode.Created);

        terms["sector"] = new JsonObject { ["securityClass"] = new JsonObject { ["country"] = "EE", ["class"] = "SCCO2" } };
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("eea", "US", false)]
    [InlineData("eea", "NO", true)]
    [InlineData("eu-eea-nato", "CN", false)]
    [InlineData("eu-eea-nato", "US", true)]
    [InlineData("national", "DE", false)]
    public async Task Storage_lies_within_the_residency_constraint(string residency, string storage, bool accepted)
    {
        var terms = DatasetApi.Terms($"Residency {residency} stored in {storage} {Guid.NewGuid():N}");
        terms["sovereignty"] = new JsonObject { ["originCountry"] = "PL", ["storage"] = new JsonObject { ["country"] = storage }, ["residency"] = residency };
        var before = await broker.CountWritesAsync();

        var response = await Owner.PostJsonAsync("/datasets", terms);

        if (accepted)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return;
        }
        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["/sovereignty/storage/country"]!.AsArray().ShouldNotBeEmpty();
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    // The bundle (2026.11.5) lets national data be stored at their own state's data embassy; registration refused it.
    [Theory]
    [InlineData("EE", "lu-ee-data-embassy", true)]
    [InlineData("EE", null, false)]
    [InlineData("PL", "lu-ee-data-embassy", false)]
    public async Task National_data_may_be_stored_at_their_own_states_data_embassy_only(string origin, string? site, bool accepted)
    {
        var terms = DatasetApi.Terms($"National {origin} at {site} {Guid.NewGuid():N}", origin);
        terms["sovereignty"] = new JsonObject
        {
            ["originCountry"] = origin, ["residency"] = "national", ["storage"] = new JsonObject { ["country"] = "LU", ["site"] = site },
        };

        var response = await Owner.PostJsonAsync("/datasets", terms);

        if (accepted)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return;
        }
        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["/sovereignty/storage/country"]!.AsArray().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Research_only_licence_with_its_restrictions_is_accepted()
    {
        var terms = DatasetApi.Terms("Research corpus");
        terms["licensing"] = new JsonObject { ["licence"] = "LicenseRef-PLLuM-Research", ["restrictions"] = new JsonArray("nc", "research-only"), ["copyrightBasis"] = "tdm-research-exception" };

        (await Owner.PostJsonAsync("/datasets", terms)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Missing_and_mistyped_fields_are_400_naming_each_field()
    {
        var terms = DatasetApi.Terms();
        terms.Remove("title");
        terms["content"]!["modality"] = "smell";
        terms["personalData"]!["containsPersonalData"] = "no";

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldContain("/title");
        errors.Select(e => e.Key).ShouldContain("/content/modality");
        errors.Select(e => e.Key).ShouldContain("/personalData/containsPersonalData");
        errors["/content/modality"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe([ModalityTerms()], "a term outside a vocabulary is told the vocabulary");
    }

    private static string ModalityTerms()
    {
        var schema = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("schemas", "dataset-terms.schema.json")))!;
        return "must be one of " + string.Join(", ", schema["properties"]!["content"]!["properties"]!["modality"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task A_permitted_purpose_that_no_training_job_can_have_is_400_and_nothing_is_written()
    {
        var terms = DatasetApi.Terms();
        terms["use"] = new JsonObject { ["permittedPurposes"] = new JsonArray("research", "commercial-training") };
        var before = await broker.CountWritesAsync();

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.BadRequest);

        problem["errors"]!.AsObject().Select(e => e.Key).ShouldContain(k => k.StartsWith("/use/permittedPurposes", StringComparison.Ordinal));
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public void Permitted_purposes_are_the_training_job_purposes()
    {
        static IEnumerable<string> Enum(JsonNode node) => node["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order();
        var terms = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("schemas", "dataset-terms.schema.json")))!;
        var job = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("schemas", "training-job.schema.json")))!;

        terms["properties"]!["use"]!["properties"]!["permittedPurposes"]!["$ref"]!.GetValue<string>().ShouldBe("#/$defs/purposes");
        terms["properties"]!["use"]!["properties"]!["reuseConditions"]!["properties"]!["permittedPurposes"]!["$ref"]!.GetValue<string>().ShouldBe("#/$defs/purposes");
        Enum(terms["$defs"]!["purposes"]!["items"]!).ShouldBe(Enum(job["properties"]!["purpose"]!));
    }

    [Fact]
    public async Task Wrong_media_type_is_415()
    {
        var response = await Owner.SendAsync(HttpMethod.Post, "/datasets", DatasetApi.Terms().ToJsonString(), contentType: "text/plain");

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_one_MiB_is_413()
    {
        var terms = DatasetApi.Terms();
        terms["description"] = new string('a', 1024 * 1024 + 10);

        var response = await Owner.PostJsonAsync("/datasets", terms);

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }
}
