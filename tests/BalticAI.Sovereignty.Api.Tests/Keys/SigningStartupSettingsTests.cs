using static BalticAI.Sovereignty.Api.Tests.Platform.StartupFailures;

namespace BalticAI.Sovereignty.Api.Tests.Keys;

/// <summary>
/// `Signing:RevocationCheckInterval` (either provider) and, when local keys sign, `Signing:KeyDirectory` are checked at
/// start and named with the other wrong keys, before the recorder polls or the key ring writes its first key.
/// </summary>
public sealed class SigningStartupSettingsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("balticai-signing-startup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    [InlineData("00:00:00.050")]
    [InlineData("1.00:00:01")]
    [InlineData("3650.00:00:00")]
    public void A_revocation_check_interval_outside_a_tenth_of_a_second_to_a_day_is_refused(string interval)
    {
        var message = StartFailure("Production", With(Local(("Signing:RevocationCheckInterval", interval))));

        message.ShouldContain($"Signing:RevocationCheckInterval is {TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)}; it must be between 00:00:00.1000000 and 1.00:00:00");
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void The_revocation_check_interval_is_checked_when_Key_Vault_signs_too()
    {
        var message = StartFailure("Production", With(("Signing:Provider", "KeyVault"), ("Signing:KeyVault:VaultUri", "https://balticai-pl.vault.azure.net/"),
            ("Signing:KeyVault:KeyName", "broker-signing"), ("Signing:RevocationCheckInterval", "00:00:00")));

        message.ShouldContain("Signing:RevocationCheckInterval is 00:00:00");
        Failures(message).ShouldBe(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_key_directory_is_refused(string directory)
    {
        var message = StartFailure("Production", With(Local(("Signing:KeyDirectory", directory))));

        message.ShouldContain("Signing:KeyDirectory is empty; it names the directory of the local signing keys");
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void A_key_directory_that_cannot_be_created_is_refused_naming_the_setting()
    {
        // A file where a parent directory should be: no user, root included, can create the directory below it.
        var file = Path.Combine(_root, "not-a-directory");
        File.WriteAllText(file, "");
        var directory = Path.Combine(file, "keys");

        var message = StartFailure("Production", With(Local(("Signing:KeyDirectory", directory))));

        message.ShouldContain($"Signing:KeyDirectory '{directory}' cannot hold the signing keys");
        Failures(message).ShouldBe(1);
    }

    /// <summary>Local signing in a directory of this test's own, then <paramref name="changes"/>.</summary>
    private (string Key, string Value)[] Local(params (string Key, string Value)[] changes) =>
        [("Signing:Provider", "Local"), ("Signing:KeyDirectory", Path.Combine(_root, "keys")), .. changes];
}
