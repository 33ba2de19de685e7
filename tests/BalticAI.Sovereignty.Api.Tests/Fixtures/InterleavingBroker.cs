using BalticAI.Sovereignty.Api.Datasets;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Fixtures;

/// <summary>A broker whose sessions run something of the test's just before a chosen commit, to force a race.</summary>
public sealed class InterleavingBroker : BrokerFactory
{
    public Interleaver Interleaver { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureMarten(options => options.Listeners.Add(Interleaver)));
    }
}

/// <summary>Runs something just before the commit of the next session that appends to a stream, once.</summary>
public sealed class Interleaver : DocumentSessionListenerBase
{
    private (Func<IDocumentSession, bool> Matches, Func<IDocumentSession, CancellationToken, Task> During)? _armed;

    /// <summary>Commits changes to <paramref name="dataset"/> (and what else they name) before the next release under <paramref name="grant"/> commits.</summary>
    public void Arm(Guid grant, Guid dataset, Func<DatasetView, object> change) =>
        Arm(grant, dataset, (session, view) => session.Events.Append(dataset, change(view)));

    public void Arm(Guid grant, Guid dataset, Action<IDocumentSession, DatasetView> change) =>
        Arm(grant, async (session, token) =>
        {
            await using var competitor = session.DocumentStore.LightweightSession();
            change(competitor, (await competitor.LoadAsync<DatasetView>(dataset, token))!);
            await competitor.SaveChangesAsync(token);
        });

    public void Arm(Guid stream, Func<IDocumentSession, CancellationToken, Task> during) =>
        _armed = (session => session.PendingChanges.Streams().Any(s => s.Id == stream), during);

    /// <summary>Runs <paramref name="during"/> before the next commit that appends a <typeparamref name="TEvent"/>, whose stream the server names.</summary>
    public void Arm<TEvent>(Func<IDocumentSession, CancellationToken, Task> during) =>
        _armed = (session => session.PendingChanges.Streams().Any(s => s.Events.Any(e => e.Data is TEvent)), during);

    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (_armed is not { } armed || !armed.Matches(session))
        {
            return;
        }
        _armed = null;
        await armed.During(session, token);
    }
}
