using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

public sealed class KeyVersionSetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Delay = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    [Fact]
    public void A_new_version_is_published_at_once_but_signs_only_after_the_activation_delay()
    {
        var old = Version("old", Now.AddDays(-30));
        var fresh = Version("new", Now.AddMinutes(-3));

        var set = KeyVersionSet.Decide([old, fresh], Now, Delay, Retention);

        set.Active.Version.ShouldBe("old");
        Kids(set).ShouldBe(["k/old", "k/new"]);
    }

    [Fact]
    public void Once_the_delay_has_passed_the_new_version_signs_and_the_old_one_stays_published()
    {
        var set = KeyVersionSet.Decide([Version("old", Now.AddDays(-30)), Version("new", Now.AddMinutes(-11))], Now, Delay, Retention);

        set.Active.Version.ShouldBe("new");
        Kids(set).ShouldBe(["k/new", "k/old"]);
    }

    [Fact]
    public void A_version_superseded_longer_than_the_retention_is_no_longer_published()
    {
        var versions = new[]
        {
            Version("oldest", Now.AddDays(-400)),
            Version("older", Now.AddDays(-200)),
            Version("previous", Now.AddDays(-100)),
            Version("current", Now.AddDays(-20)),
        };

        var set = KeyVersionSet.Decide(versions, Now, Delay, Retention);

        // "older" was superseded 100 days ago (beyond 90), "previous" 20 days ago.
        Kids(set).ShouldBe(["k/current", "k/previous"]);
    }

    [Fact]
    public void Disabled_versions_are_revoked_and_never_sign_or_publish()
    {
        var revokedAt = Now.AddHours(-1);
        var set = KeyVersionSet.Decide(
            [Version("good", Now.AddDays(-30)), Version("bad", Now.AddDays(-2)) with { Enabled = false, Updated = revokedAt }],
            Now, Delay, Retention);

        set.Active.Version.ShouldBe("good");
        Kids(set).ShouldBe(["k/good"]);
        var revoked = set.Revoked.ShouldHaveSingleItem();
        (revoked.KeyId, revoked.RevokedAt).ShouldBe(("k/bad", revokedAt));
    }

    [Fact]
    public void An_expired_version_does_not_sign()
    {
        var set = KeyVersionSet.Decide(
            [Version("current", Now.AddDays(-30)) with { Expires = Now.AddDays(-1) }, Version("older", Now.AddDays(-60))],
            Now, Delay, Retention);

        set.Active.Version.ShouldBe("older");
        Kids(set).ShouldBe(["k/older"]);
    }

    [Fact]
    public void No_usable_version_is_unavailable()
    {
        Should.Throw<SigningUnavailableException>(() =>
            KeyVersionSet.Decide([Version("bad", Now.AddDays(-2)) with { Enabled = false }], Now, Delay, Retention));
    }

    private static IEnumerable<string> Kids(KeyVersionSet set) => set.Published.Select(k => k["kid"]!.GetValue<string>());

    private static KeyVaultKeyVersion Version(string version, DateTimeOffset created) => new(
        new Uri($"https://v.vault.azure.net/keys/k/{version}"), "k", version, true, created, created, null, null,
        LocalKeyRing.PublicJwk($"k/{version}", "eA", "eQ"));
}
