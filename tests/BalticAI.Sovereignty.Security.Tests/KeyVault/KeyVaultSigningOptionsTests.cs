using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

public sealed class KeyVaultSigningOptionsTests
{
    private static KeyVaultSigningOptions Valid() => new() { VaultUri = new Uri("https://balticai-signing.vault.azure.net/"), KeyName = "broker-signing" };

    [Fact]
    public void The_defaults_are_valid() => Should.NotThrow(() => Valid().Validate());

    [Theory]
    [InlineData("RefreshInterval", "00:00:00")]
    [InlineData("RefreshInterval", "-00:05:00")]
    [InlineData("ActivationDelay", "-00:10:00")]
    [InlineData("Retention", "-90.00:00:00")]
    [InlineData("Retention", "00:00:00")]
    [InlineData("OperationTimeout", "00:00:00")]
    [InlineData("OperationTimeout", "-00:00:10")]
    public void A_time_setting_that_cannot_work_stops_the_broker_naming_the_setting(string setting, string value)
    {
        var options = Valid();
        typeof(KeyVaultSigningOptions).GetProperty(setting)!.SetValue(options, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        Should.Throw<InvalidOperationException>(options.Validate).Message.ShouldContain($"Signing:KeyVault:{setting}");
    }
}
