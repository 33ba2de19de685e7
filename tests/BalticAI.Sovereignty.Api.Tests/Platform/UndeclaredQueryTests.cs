using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Ledger.LedgerEventsApi;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>A query key an operation does not take, or a second value of one it takes once, is refused rather than ignored.</summary>
public sealed class UndeclaredQueryTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private const string Ledger = "country, dataset, job, model, type, from, to, cursor, limit";

    [Fact]
    public async Task A_misspelt_filter_of_a_list_is_refused_naming_the_parameters_it_takes()
    {
        var response = await Auditor().GetAsync("/training-jobs?trainingSytem=pl-cyfronet");

        var errors = ShouldNameInvalidQuery(await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest), "trainingSytem");
        errors["trainingSytem"].ShouldBe(["is not a parameter of this route; known are status, trainingSystem, siteId, country, cursor, limit"]);
    }

    [Theory]
    [InlineData("/sites/{0}?expand=all")]
    [InlineData("/training-jobs/{0}?expand=all")]
    public async Task A_parameter_of_a_read_by_id_that_takes_none_is_refused_before_the_read(string path)
    {
        var response = await Auditor().GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Guid.NewGuid()));

        var errors = ShouldNameInvalidQuery(await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest), "expand");
        errors["expand"].ShouldBe(["is not a parameter of this route; it takes none"]);
    }

    [Fact]
    public async Task A_dry_run_flag_on_an_access_request_is_refused_and_records_nothing()
    {
        await ActivateAsync(broker, Bundle("undeclared-query-1"));
        var site = await RegisterSiteAsync(broker, $"pl-uq-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var decided = await CountEventsAsync(broker, "access_decided");
        var client = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);

        var response = await client.PostJsonAsync($"/training-jobs/{job}/access-requests?dryRun=true", Ask((dataset, 1)));

        var errors = ShouldNameInvalidQuery(await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest), "dryRun");
        errors["dryRun"].ShouldBe(["is not a parameter of this route; it takes none"]);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided);
        // The same request without the flag is decided and recorded: the refusal, not the request, recorded nothing.
        (await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided + 1);
    }

    [Theory]
    [InlineData("/datasets?limit=1&limit=2", "limit")]
    [InlineData("/training-jobs?trainingSystem=a&trainingSystem=b", "trainingSystem")]
    [InlineData("/datasets?limit=1&LIMIT=2", "limit")]
    public async Task A_parameter_given_twice_is_refused(string path, string parameter)
    {
        var response = await Auditor().GetAsync(path);

        var errors = ShouldNameInvalidQuery(await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest), parameter);
        errors[parameter].ShouldBe(["must be given once"]);
    }

    /// <summary>The ledger's own listings, which check their query by hand, agree with the typed ones.</summary>
    [Theory]
    [InlineData("/datasets?LIMIT=1")]
    [InlineData("/ledger/events?Limit=1&TYPE=DatasetRegistered")]
    public async Task A_parameter_is_known_in_any_case_as_the_framework_binds_it(string path)
    {
        var response = await Auditor().GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_ledger_listing_still_names_every_fault_of_its_query_itself()
    {
        var response = await Auditor().GetAsync("/ledger/events?datasetId=x&limit=abc&type=a&type=b");

        var errors = ShouldNameInvalidQuery(await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest), "datasetId", "limit");
        errors["datasetId"].ShouldBe([$"is not a parameter of this route; known are {Ledger}"]);
        errors["limit"].ShouldBe(["must be a whole number between 1 and 1000"]);
    }

    [Theory]
    [InlineData("/training-jobs?limit=abc", "must be a whole number between 1 and 100")]
    [InlineData("/training-jobs?limit=0", "must be a whole number between 1 and 100")]
    [InlineData("/datasets?limit=-1", "must be a whole number between 1 and 100")]
    [InlineData("/ledger/events?limit=abc", "must be a whole number between 1 and 1000")]
    [InlineData("/ledger/events?limit=0", "must be a whole number between 1 and 1000")]
    public async Task A_bad_limit_reads_alike_on_every_list_naming_its_range(string path, string message)
    {
        var response = await Auditor().GetAsync(path);

        var errors = ShouldNameInvalidQuery(await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest), "limit");
        errors["limit"].ShouldBe([message]);
    }

    /// <summary>Outside the described API: the answer depends on no query, and probes and browsers add keys of their own.</summary>
    [Theory]
    [InlineData("/health/live?probe=kubelet")]
    [InlineData("/openapi/v1.json?v=2")]
    [InlineData("/scalar/v1?theme=dark")]
    public async Task Infrastructure_routes_the_document_does_not_describe_ignore_the_query(string path)
    {
        var response = await broker.CreateClient().GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Described operations refuse alike, anonymous ones included: a verifier's misspelt key is as misleading.</summary>
    [Theory]
    [InlineData("/.well-known/jwks.json?kid=k1")]
    [InlineData("/ledger/checkpoints/latest?size=1")]
    public async Task Anonymous_operations_of_the_document_refuse_an_undeclared_key(string path)
    {
        var response = await broker.CreateClient().GetAsync(path);

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_caller_without_a_token_learns_nothing_of_the_parameters()
    {
        var response = await broker.CreateClient().GetAsync("/training-jobs?trainingSytem=x");

        await ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    private HttpClient Auditor() => broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
}
