using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

public sealed class KeyVaultRefreshTests : FakeVaultTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Requests_in_flight_when_the_refresh_interval_lapses_list_the_versions_once()
    {
        var clock = new ManualClock();
        var options = Options(o => o.RefreshInterval = TimeSpan.FromMinutes(5));
        using var signer = new KeyVaultSigner(Client(options), options, clock, Log);
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        var listedBefore = Listings();

        clock.Now += TimeSpan.FromMinutes(6);
        var sets = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => signer.GetVerificationKeysAsync(CancellationToken.None)));

        sets.ShouldAllBe(keys => keys.Count == 1);
        (Listings() - listedBefore).ShouldBe(1);
    }

    [Fact]
    public async Task Callers_waiting_for_the_first_read_share_it()
    {
        var options = Options();
        using var signer = new KeyVaultSigner(Client(options), options, TimeProvider.System, Log);
        Vault.CreateKey(KeyName);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => signer.GetVerificationKeysAsync(CancellationToken.None)));

        Listings().ShouldBe(1);
    }

    private int Listings() => Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.StartsWith($"/keys/{KeyName}/versions", StringComparison.Ordinal));
}
