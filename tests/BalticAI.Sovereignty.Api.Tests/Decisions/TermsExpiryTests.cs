using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>The system clock, moved forward on demand: terms can expire without waiting for them.</summary>
public sealed class ShiftableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

public sealed class ShiftableClockBroker : BrokerFactory
{
    public ShiftableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class TermsExpiryTests(ShiftableClockBroker broker) : IClassFixture<ShiftableClockBroker>
{
    [Fact]
    public async Task Expired_terms_revoke_the_grants_they_bounded()
    {
        await ActivateAsync(broker, Bundle("expiry-1"));
        var site = await RegisterSiteAsync(broker, $"pl-exp-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var terms = DatasetApi.Terms(title: $"Expiring corpus {Guid.NewGuid():N}");
        // Tomorrow, so that a run crossing midnight still asks before the terms end.
        var lastDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        terms["use"] = new JsonObject { ["expires"] = lastDay.ToString("yyyy-MM-dd") };
        var (dataset, etag) = await owner.RegisterAsync(terms);
        (await owner.PostJsonAsync($"/datasets/{dataset}/versions", DatasetApi.Version(), etag)).EnsureSuccessStatusCode();
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var answer = await DatasetApi.ReadJsonAsync(asked);
        var grant = answer["decisions"]?[0]?["grant"];
        grant.ShouldNotBeNull(answer.ToJsonString());
        DateTimeOffset.Parse(grant["expiresAt"]!.GetValue<string>()).ShouldBeLessThanOrEqualTo(GrantRevoker.EndOf(lastDay));
        var sweeper = broker.Services.GetRequiredService<TermsExpirySweeper>();
        var beforeExpiry = await sweeper.SweepAsync(CancellationToken.None);

        broker.Clock.Offset = TimeSpan.FromDays(3);
        var afterExpiry = await sweeper.SweepAsync(CancellationToken.None);
        var again = await sweeper.SweepAsync(CancellationToken.None);

        beforeExpiry.ShouldBe(0);
        // The host's own sweeper may get there first; either way the grant ends exactly once.
        afterExpiry.ShouldBeLessThanOrEqualTo(1);
        again.ShouldBe(0);
        (await RevocationsOfAsync(Guid.Parse(grant["id"]!.GetValue<string>()))).ShouldBe(1);
        var jobView = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetFromJsonAsync<JsonObject>($"/training-jobs/{job}");
        jobView!["revokedGrants"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldContain(grant["id"]!.GetValue<string>());
    }

    private async Task<long> RevocationsOfAsync(Guid grantId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select count(*) from {broker.Schema}.mt_events where stream_id = @grant and type = 'grant_revoked'", connection);
        command.Parameters.AddWithValue("grant", grantId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
