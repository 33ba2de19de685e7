using System.Net;
using System.Net.Http.Headers;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>
/// Budgets of three requests that refill once an hour: whether a request is refused depends only on
/// how many came before it in the same bucket, never on timing.
/// </summary>
public sealed class TinyBudgetBroker : BrokerFactory
{
    public const int Budget = 3;

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            foreach (var bucket in new[] { "Reads", "Writes", "Anonymous" })
            {
                settings[$"RateLimits:{bucket}:TokenLimit"] = Budget.ToString();
                settings[$"RateLimits:{bucket}:TokensPerPeriod"] = "1";
                settings[$"RateLimits:{bucket}:ReplenishmentPeriod"] = "01:00:00";
            }
            return settings;
        }
    }

    /// <summary>A caller of its own: each test spends the budgets of callers no other test uses.</summary>
    public HttpClient ClientFor(string tenant, string application, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Token(new TokenRequest(tenant, roles) { ClientApplication = application }));
        return client;
    }
}

public sealed class RateLimitTests(TinyBudgetBroker broker) : IClassFixture<TinyBudgetBroker>
{
    [Fact]
    public async Task A_caller_over_its_budget_gets_429_with_Retry_After_while_another_caller_in_the_same_window_gets_200()
    {
        var flooder = broker.ClientFor(TestTenants.LtRegisters, "lt-runaway-script", Roles.DataOwner);
        var neighbour = broker.ClientFor(TestTenants.LvHealth, "lv-catalogue", Roles.DataOwner);

        for (var i = 0; i < TinyBudgetBroker.Budget; i++)
        {
            (await flooder.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var refused = await flooder.GetAsync("/me");
        var neighbours = await neighbour.GetAsync("/me");

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(refused, HttpStatusCode.TooManyRequests);
        problem["budget"]!.GetValue<string>().ShouldBe("reads");
        refused.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        neighbours.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Two_applications_of_one_organisation_have_separate_budgets()
    {
        var batch = broker.ClientFor(TestTenants.PlCyfronet, "cyfronet-batch", Roles.Auditor);
        var portal = broker.ClientFor(TestTenants.PlCyfronet, "cyfronet-portal", Roles.Auditor);

        for (var i = 0; i < TinyBudgetBroker.Budget; i++)
        {
            await batch.GetAsync("/me");
        }

        (await batch.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await portal.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reads_and_writes_are_separate_budgets()
    {
        var caller = broker.ClientFor(TestTenants.EeRia, "ee-registry", Roles.DataOwner);
        for (var i = 0; i < TinyBudgetBroker.Budget; i++)
        {
            await caller.GetAsync("/me");
        }

        (await caller.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // An invalid registration: the write budget still has room, so the broker answers it on its merits.
        var write = await caller.PostAsync("/datasets", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        write.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Anonymous_requests_share_a_budget_per_address_and_health_endpoints_are_never_limited()
    {
        var anonymous = broker.CreateClient();

        for (var i = 0; i < TinyBudgetBroker.Budget; i++)
        {
            (await anonymous.GetAsync("/.well-known/jwks.json")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var refused = await anonymous.GetAsync("/.well-known/jwks.json");

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(refused, HttpStatusCode.TooManyRequests);
        for (var i = 0; i < TinyBudgetBroker.Budget * 2; i++)
        {
            (await anonymous.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }
}
