using BalticAI.Sovereignty.Api.Decisions.Recording;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Policies;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// A request that gives up while its decision waits for a writer (request timeout, client gone) is answered
/// 503 "nothing recorded", so the decision must not be committed afterwards by the group commit. A request
/// that gives up once its commit is under way waits for it instead: cancelled midway, the commit's outcome
/// would be unknown, and the caller could be told "nothing recorded" about a decision in the ledger.
/// </summary>
public sealed class GroupCommitCancellationTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>
{
    [Fact]
    public async Task A_commit_given_up_before_a_writer_took_it_is_never_recorded()
    {
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        // Not started yet: the first commit waits in the queue, as it does behind busy writers.
        var writer = Writer(new GroupCommitOptions { Writers = 1 });
        var abandoned = Guid.CreateVersion7();
        var kept = Guid.CreateVersion7();

        using (var gaveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            var refused = await Should.ThrowAsync<Exception>(() => writer.CommitAsync(PolicySetup.BrokerActor, [Stream(abandoned)], null, gaveUp.Token));
            refused.ShouldBeAssignableTo<OperationCanceledException>();
        }
        await writer.StartAsync(CancellationToken.None);
        try
        {
            // Queued after the abandoned one, so committed only once the writer has passed it.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await writer.CommitAsync(PolicySetup.BrokerActor, [Stream(kept)], null, timeout.Token);
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }

        await using var query = store.QuerySession();
        (await query.Events.FetchStreamStateAsync(kept)).ShouldNotBeNull();
        (await query.Events.FetchStreamStateAsync(abandoned)).ShouldBeNull("a commit whose caller was told it failed was recorded after all");
    }

    [Fact]
    public async Task Without_batching_a_caller_giving_up_during_its_commit_waits_for_the_commit()
    {
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        var writer = Writer(new GroupCommitOptions { Enabled = false });
        var stream = Guid.CreateVersion7();
        using var gaveUp = new CancellationTokenSource();
        broker.Interleaver.Arm(stream, (_, _) =>
        {
            gaveUp.Cancel();
            return Task.CompletedTask;
        });

        await writer.CommitAsync(PolicySetup.BrokerActor, [Stream(stream)], null, gaveUp.Token);

        gaveUp.IsCancellationRequested.ShouldBeTrue("the caller did not give up while the commit was under way");
        await using var query = store.QuerySession();
        (await query.Events.FetchStreamStateAsync(stream)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Without_batching_a_caller_that_gave_up_before_its_commit_records_nothing()
    {
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        var writer = Writer(new GroupCommitOptions { Enabled = false });
        var stream = Guid.CreateVersion7();

        await Should.ThrowAsync<OperationCanceledException>(() => writer.CommitAsync(PolicySetup.BrokerActor, [Stream(stream)], null, new CancellationToken(canceled: true)));

        await using var query = store.QuerySession();
        (await query.Events.FetchStreamStateAsync(stream)).ShouldBeNull();
    }

    private GroupCommitWriter Writer(GroupCommitOptions options) =>
        new(broker.Services.GetRequiredService<IDocumentStore>(), Options.Create(options), NullLogger<GroupCommitWriter>.Instance, TimeProvider.System,
            broker.Services.GetRequiredService<BrokerTelemetry>());

    private static StreamStart Stream(Guid id) =>
        new(id, null, [new LedgerReadRecorded("test", "/test", new Dictionary<string, string>(), null, "auditor", 200, DateTimeOffset.UtcNow, ["PL"])]);
}
