using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>With PostgreSQL unreachable a model's version list fails closed: 503 with Retry-After, never 500.</summary>
public sealed class ModelVersionsWithoutPostgresTests(UnreachablePostgresBroker broker) : IClassFixture<UnreachablePostgresBroker>
{
    [Theory]
    [InlineData(TestTenants.PlCyfronet, Roles.TrainingSystem)]
    [InlineData(TestTenants.EuAiOffice, Roles.Auditor)]
    [InlineData(TestTenants.LtVdai, Roles.Regulator)]
    public async Task Model_versions_answer_503_when_the_database_is_down(string tenant, string role)
    {
        var response = await broker.ClientFor(tenant, role).GetAsync("/models/speakleash-bielik/versions");

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        problem["detail"]!.GetValue<string>().ShouldContain("database");
    }
}
