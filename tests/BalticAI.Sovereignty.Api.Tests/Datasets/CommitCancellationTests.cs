using System.Net;
using System.Text;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>
/// A write whose caller leaves (client gone, request timeout) once its commit has begun is committed and keeps
/// its answer for the caller's retry; cancelled midway, PostgreSQL could have recorded what the caller was told
/// was not. A caller that left before the commit records nothing.
/// </summary>
public sealed class CommitCancellationTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>
{
    [Fact]
    public async Task A_registration_whose_caller_leaves_during_its_commit_is_recorded_and_its_retry_replays_the_answer()
    {
        var owner = broker.ClientFor(TestTenants.EeRia, Roles.DataOwner);
        var key = Guid.NewGuid().ToString();
        var body = DatasetApi.Terms("Caller left during the commit", "EE").ToJsonString();
        var before = await broker.CountWritesAsync();
        using var leaving = new CancellationTokenSource();
        broker.Interleaver.Arm<DatasetRegistered>((_, _) =>
        {
            leaving.Cancel();
            return Task.CompletedTask;
        });

        var left = await Should.ThrowAsync<Exception>(() => owner.SendAsync(Registration(body, key), leaving.Token));
        left.ShouldBeAssignableTo<OperationCanceledException>();

        leaving.IsCancellationRequested.ShouldBeTrue("the caller did not leave during the commit");
        var recorded = await Eventually.HoldsWithinAsync(TimeSpan.FromSeconds(20), async () => (await broker.CountWritesAsync()).Datasets == before.Datasets + 1);
        recorded.ShouldBeTrue("a registration whose commit had begun when its caller left was not recorded");
        var retry = await RetryAsync(() => owner.SendAsync(Registration(body, key)));
        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await broker.CountWritesAsync()).Datasets.ShouldBe(before.Datasets + 1);
    }

    [Fact]
    public async Task A_caller_that_left_before_the_commit_records_nothing()
    {
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        var stream = Guid.CreateVersion7();
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(stream, new LeftBeforeCommit(stream));
            await Should.ThrowAsync<OperationCanceledException>(() => session.CommitAsync(new CancellationToken(canceled: true)));
        }

        await using var query = store.QuerySession();
        (await query.Events.FetchStreamStateAsync(stream)).ShouldBeNull();
    }

    private static HttpRequestMessage Registration(string body, string key) => new(HttpMethod.Post, "/datasets")
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
        Headers = { { "Idempotency-Key", key } },
    };

    /// <summary>The first request may still hold its key for a moment after its commit (409 "in progress").</summary>
    private static async Task<HttpResponseMessage> RetryAsync(Func<Task<HttpResponseMessage>> send)
    {
        var response = await send();
        for (var i = 0; i < 400 && response.StatusCode == HttpStatusCode.Conflict; i++)
        {
            await Task.Delay(50);
            response = await send();
        }
        return response;
    }
}

public sealed record LeftBeforeCommit(Guid Id);
