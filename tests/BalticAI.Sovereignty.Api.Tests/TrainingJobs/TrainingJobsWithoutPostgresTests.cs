using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>With PostgreSQL unreachable the job listings fail closed: 503 with Retry-After, never 500.</summary>
public sealed class TrainingJobsWithoutPostgresTests(UnreachablePostgresBroker broker) : IClassFixture<UnreachablePostgresBroker>
{
    [Theory]
    [InlineData("list", TestTenants.PlCyfronet, Roles.TrainingSystem)]
    [InlineData("list", TestTenants.PlUodo, Roles.Regulator)]
    [InlineData("decisions", TestTenants.PlCyfronet, Roles.TrainingSystem)]
    [InlineData("decisions", TestTenants.EuAiOffice, Roles.Auditor)]
    [InlineData("decisions", TestTenants.LtVdai, Roles.Regulator)]
    public async Task Job_listings_answer_503_when_the_database_is_down(string route, string tenant, string role)
    {
        var client = broker.ClientFor(tenant, role);

        var response = route switch
        {
            "list" => await client.GetAsync("/training-jobs"),
            _ => await client.GetAsync($"/training-jobs/{Guid.CreateVersion7()}/decisions"),
        };

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        problem["detail"]!.GetValue<string>().ShouldContain("database");
    }
}
