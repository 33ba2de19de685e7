using System.Text.Json;
using BalticAI.Sovereignty.Api.Feeds;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.FaultTests.Broker;
using Marten;

[assembly: HostingStartup(typeof(FaultDecisions))]

namespace BalticAI.Sovereignty.FaultTests.Broker;

/// <summary>A decision-like ledger event known only to the fault tests.</summary>
public sealed record FaultDecisionMade(int Number, string Outcome, IReadOnlyCollection<string> Countries) : ILedgerEvent;

public sealed record MadeDecision(Guid Id, IReadOnlyList<string> Feeds, DateTimeOffset CommittedAt);

/// <summary>
/// `POST /fault/decisions?count=N[&amp;rate=R]` appends N decisions, one transaction each (at R per
/// second when given), from acting organisations of every country, and answers which feeds each one
/// belongs to and when its transaction committed.
/// </summary>
public sealed class FaultDecisions : IHostingStartup, IStartupFilter
{
    private static readonly string[] ActorCountries = ["PL", "EE", "LT", "LV", "EU"];

    public void Configure(IWebHostBuilder builder) => builder.ConfigureServices(services =>
    {
        services.ConfigureMarten(store => store.Events.AddEventType<FaultDecisionMade>());
        services.AddSingleton<IStartupFilter>(this);
    });

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextMiddleware) =>
        {
            if (http.Request.Path != "/fault/decisions" || !HttpMethods.IsPost(http.Request.Method))
            {
                await nextMiddleware();
                return;
            }
            var count = int.Parse(http.Request.Query["count"].FirstOrDefault() ?? "1");
            var rate = http.Request.Query["rate"].FirstOrDefault() is { } r ? double.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : (double?)null;
            var made = await MakeAsync(http.RequestServices.GetRequiredService<IDocumentStore>(), count, rate, http.RequestAborted);
            http.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(http.Response.Body, made, JsonSerializerOptions.Web);
        });
        next(app);
    };

    private static async Task<MadeDecision[]> MakeAsync(IDocumentStore store, int count, double? rate, CancellationToken ct)
    {
        var made = new MadeDecision[count];
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        // Paced runs keep many writers waiting for their slot, so a slow commit does not slow the pace.
        var writers = rate is null ? 8 : 64;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = writers, CancellationToken = ct }, async (i, token) =>
        {
            if (rate is { } perSecond)
            {
                var wait = TimeSpan.FromSeconds(i / perSecond) - System.Diagnostics.Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, token);
                }
            }
            var country = ActorCountries[i % ActorCountries.Length];
            IReadOnlyCollection<string> concerned = (i % 3, i % 7) switch
            {
                (0, _) => ["LT"],
                (_, 0) => ["PL", "LV"],
                _ => [],
            };
            var decision = new FaultDecisionMade(i, i % 4 == 0 ? "deny" : "allow", concerned);
            await using var session = store.LightweightSession();
            session.RecordActor(new Actor($"{country.ToLowerInvariant()}-org", country, "fault-tests", "ps:fault"));
            var stream = session.Events.StartStream(Guid.NewGuid(), decision);
            await session.SaveChangesAsync(token);
            made[i] = new MadeDecision(stream.Events[0].Id, FeedMembership.FeedsOf(decision, country), DateTimeOffset.UtcNow);
        });
        return made;
    }
}
