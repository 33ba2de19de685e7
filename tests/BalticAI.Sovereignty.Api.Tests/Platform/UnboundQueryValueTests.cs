using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>A query value the framework cannot bind to its parameter's type is our validation problem, naming the parameter.</summary>
public sealed class UnboundQueryValueTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Theory]
    [InlineData("/datasets?limit=abc", "limit", "must be a whole number between 1 and 100")]
    [InlineData("/datasets?limit=1.5", "limit", "must be a whole number between 1 and 100")]
    [InlineData("/datasets?limit=", "limit", "must be a whole number between 1 and 100")]
    [InlineData("/training-jobs?limit=abc", "limit", "must be a whole number between 1 and 100")]
    [InlineData("/training-jobs?limit=99999999999", "limit", "must be a whole number between 1 and 100")]
    [InlineData("/models/some-model/versions?limit=abc", "limit", "must be a whole number between 1 and 100")]
    [InlineData("/models/some-model/versions?flagged=maybe", "flagged", "must be true or false")]
    [InlineData("/models/some-model/versions?flagged=1", "flagged", "must be true or false")]
    [InlineData("/ledger/entries?from=first", "from", "must be a whole number")]
    [InlineData("/ledger/entries?count=all", "count", "must be a whole number")]
    [InlineData("/ledger/proofs/inclusion/0?treeSize=latest", "treeSize", "must be a whole number")]
    [InlineData("/ledger/proofs/consistency?from=a&to=1", "from", "must be a whole number")]
    [InlineData("/ledger/proofs/consistency?from=0", "to", "is required and must be a whole number")]
    [InlineData("/ledger/proofs/consistency?from=0&to=", "to", "must be a whole number")]
    public async Task An_unbindable_query_value_is_a_validation_problem_naming_the_parameter(string path, string parameter, string message)
    {
        var response = await Auditor().GetAsync(path);

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem["title"]!.GetValue<string>().ShouldBe("Invalid query");
        problem["detail"]!.GetValue<string>().ShouldNotContain("request body");
        var errors = problem["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe([parameter]);
        errors[parameter]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe([message]);
        problem.ToJsonString().ShouldNotContain("Failed to bind");
        problem.ToJsonString().ShouldNotContain("Nullable");
    }

    [Fact]
    public async Task Every_unbindable_value_of_a_request_is_named_at_once()
    {
        var response = await Auditor().GetAsync("/models/some-model/versions?flagged=maybe&limit=abc");

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["flagged", "limit"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("/training-jobs/not-a-guid")]
    [InlineData("/datasets/not-a-guid/decisions")]
    [InlineData("/training-jobs/not-a-guid/decisions")]
    [InlineData("/datasets/not-a-guid/versions/one")]
    public async Task A_path_value_of_the_wrong_type_matches_no_route(string path)
    {
        var response = await Auditor().GetAsync(path);

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.NotFound);
    }

    private HttpClient Auditor() => broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
}
