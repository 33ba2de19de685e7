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
/// 503 "nothing recorded", so the decision must not be committed afterwards by the group commit.
/// </summary>
public sealed class GroupCommitCancellationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task A_commit_given_up_before_a_writer_took_it_is_never_recorded()
    {
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        // Not started yet: the first commit waits in the queue, as it does behind busy writers.
        var writer = new GroupCommitWriter(store, Options.Create(new GroupCommitOptions { Writers = 1 }), NullLogger<GroupCommitWriter>.Instance, TimeProvider.System, broker.Services.GetRequiredService<BrokerTelemetry>());
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

    private static StreamStart Stream(Guid id) =>
        new(id, null, [new LedgerReadRecorded("test", "/test", new Dictionary<string, string>(), null, "auditor", 200, DateTimeOffset.UtcNow, ["PL"])]);
}
