using System.Globalization;
using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>When OPA (or the proxy in front of it) says when to come back, the broker's 503 says so too; nothing is recorded.</summary>
public sealed class OpaRetryAfterTests(OpaBrokerFactory broker) : IClassFixture<OpaBrokerFactory>, IAsyncLifetime
{
    private Guid _plSite;

    public async Task InitializeAsync()
    {
        await broker.WaitUntilActiveAsync();
        await ActivateAsync(broker, Bundle("opa-retry-after"));
        _plSite = await RegisterSiteAsync(broker, $"pl-ra-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(503, "17", 17)]
    [InlineData(429, "17", 17)]
    [InlineData(503, "86400", 300)]
    public async Task OPA_asking_callers_to_wait_is_503_with_that_wait_bounded_and_records_nothing(int status, string retryAfter, int expected)
    {
        var (refused, unchanged) = await AskWhileAsync(broker, _plSite, () => broker.Opa.RefuseNext(1000, status, retryAfter));

        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        problem["detail"]!.GetValue<string>().ShouldContain("policy engine");
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(expected));
        (await unchanged()).ShouldBeTrue();
    }

    [Fact]
    public async Task OPA_naming_a_date_to_come_back_is_503_with_the_seconds_until_then()
    {
        var comeBack = DateTimeOffset.UtcNow.AddMinutes(2).ToString("r", CultureInfo.InvariantCulture);

        var (refused, unchanged) = await AskWhileAsync(broker, _plSite, () => broker.Opa.RefuseNext(1000, 503, comeBack));

        await ShouldBeProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        // Two minutes less the time this request took to reach OPA (and an HTTP-date's lost fraction of a second).
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(60, 121);
        (await unchanged()).ShouldBeTrue();
    }

    [Fact]
    public async Task A_500_with_Retry_After_is_retried_as_any_500_and_the_decision_is_made()
    {
        var failedBefore = FailedEvaluations(500);

        var (answered, _) = await AskWhileAsync(broker, _plSite, () => broker.Opa.RefuseNext(1, 500, "86400", "POST"));

        answered.IsSuccessStatusCode.ShouldBeTrue(await answered.Content.ReadAsStringAsync());
        FailedEvaluations(500).ShouldBe(failedBefore + 1);
    }

    [Theory]
    [InlineData(503, "5")]
    [InlineData(429, "5")]
    public async Task A_wait_longer_than_a_retry_could_still_take_is_not_retried(int status, string retryAfter)
    {
        // The default budget: 6 s in all, less one 2 s attempt. One refusal only, which a retry would have got past.
        var (refused, unchanged) = await AskWhileAsync(broker, _plSite, () => broker.Opa.RefuseNext(1, status, retryAfter, "POST"));

        await ShouldBeProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
        (await unchanged()).ShouldBeTrue();
    }

    [Fact]
    public async Task A_503_asking_for_a_wait_a_retry_can_still_take_is_retried_and_the_decision_is_made()
    {
        var failedBefore = FailedEvaluations(503);

        var (answered, _) = await AskWhileAsync(broker, _plSite, () => broker.Opa.RefuseNext(1, 503, "1", "POST"));

        answered.IsSuccessStatusCode.ShouldBeTrue(await answered.Content.ReadAsStringAsync());
        FailedEvaluations(503).ShouldBe(failedBefore + 1);
    }

    private int FailedEvaluations(int status) => broker.Opa.Exchanges.Count(e => e.Method == "POST" && e.Status == status);

    /// <summary>
    /// Registers a job and a dataset, makes OPA fail with <paramref name="fail"/>, asks for access, and heals OPA;
    /// the answer, and a check that no decision and no grant was recorded meanwhile.
    /// </summary>
    internal static async Task<(HttpResponseMessage Refused, Func<Task<bool>> NothingRecorded)> AskWhileAsync(OpaBrokerFactory broker, Guid site, Action fail)
    {
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var decided = await CountEventsAsync(broker, "access_decided");
        var granted = await CountEventsAsync(broker, "grant_issued");
        fail();
        try
        {
            var refused = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
            return (refused, async () =>
                await CountEventsAsync(broker, "access_decided") == decided && await CountEventsAsync(broker, "grant_issued") == granted);
        }
        finally
        {
            broker.Opa.FailNext(0);
        }
    }
}

/// <summary>
/// An OPA broker configured (`Policy:Opa:*`) so that its circuit opens after two failures and stays open four minutes;
/// its default Retry-After is an hour.
/// </summary>
public sealed class OpaBreakerBrokerFactory : OpaBrokerFactory
{
    public static readonly TimeSpan BreakDuration = TimeSpan.FromMinutes(4);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        // With the default 100 calls the circuit would never open here, and the 503 would carry the hour below.
        ["Policy:Opa:MinimumThroughput"] = "2",
        ["Policy:Opa:BreakDuration"] = BreakDuration.ToString("c", CultureInfo.InvariantCulture),
        // Far from the break duration: a 503 within it can only carry what the open circuit said.
        ["Problems:RetryAfterSeconds"] = "3600",
        // Short, so that the tripping request ends soon.
        ["Policy:Opa:RetryDelay"] = "00:00:00.05",
    };
}

public sealed class OpaCircuitRetryAfterTests(OpaBreakerBrokerFactory broker) : IClassFixture<OpaBreakerBrokerFactory>, IAsyncLifetime
{
    private Guid _plSite;

    public async Task InitializeAsync()
    {
        await broker.WaitUntilActiveAsync();
        _plSite = await RegisterSiteAsync(broker, $"pl-cb-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_open_circuit_is_503_with_what_is_left_of_its_break_and_records_nothing()
    {
        var (tripping, trippingRecordedNothing) = await OpaRetryAfterTests.AskWhileAsync(broker, _plSite, () => broker.Opa.FailNext(1000));
        var (refused, unchanged) = await OpaRetryAfterTests.AskWhileAsync(broker, _plSite, () => broker.Opa.FailNext(1000));

        tripping.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await trippingRecordedNothing()).ShouldBeTrue();
        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        problem["detail"]!.GetValue<string>().ShouldContain("policy engine");
        // What is left of the configured break: more than half of it, which the default 5 s break could not say.
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(OpaBreakerBrokerFactory.BreakDuration.TotalSeconds / 2, OpaBreakerBrokerFactory.BreakDuration.TotalSeconds);
        (await unchanged()).ShouldBeTrue();
    }
}
