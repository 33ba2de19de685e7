using System.Security.Cryptography;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class WitnessRegistrationTests
{
    /// <summary>A ledger broker with one of its transparency log settings replaced.</summary>
    private sealed class MisconfiguredLedgerBroker(string key, string value) : LedgerBroker
    {
        protected override IDictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings[key] = value;
                return settings;
            }
        }
    }

    public static TheoryData<string> UnusableKeys()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        return ["not base64!", Convert.ToBase64String("not a key"u8.ToArray()), Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo())];
    }

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public async Task A_witness_key_that_is_no_p256_public_key_stops_the_broker_from_starting(string publicKey)
    {
        await using var broker = new MisconfiguredLedgerBroker("Ledger:Witnesses:0:PublicKey", publicKey);

        var failure = Should.Throw<Exception>(() => broker.CreateClient());

        Chain(failure).ShouldContain(e => e.Message.Contains("Ledger:Witnesses:0:PublicKey"), failure.ToString());
    }

    /// <summary>C2SP signed-note: a key name has no spaces and no '+'; the origin is the log's own key name.</summary>
    [Theory]
    [InlineData("Ledger:Witnesses:0:Name", "uodo.gov.pl+witness")]
    [InlineData("Ledger:Witnesses:0:Name", "uodo witness")]
    [InlineData("Ledger:Origin", "balticai.eu/sovereignty ledger")]
    [InlineData("Ledger:Origin", "balticai.eu/sovereignty+ledger")]
    public async Task A_name_no_signed_note_can_carry_stops_the_broker_from_starting(string key, string name)
    {
        await using var broker = new MisconfiguredLedgerBroker(key, name);

        var failure = Should.Throw<Exception>(() => broker.CreateClient());

        Chain(failure).ShouldContain(e => e.Message.Contains($"{key} '{name}' is not") && e.Message.Contains("C2SP signed-note"), failure.ToString());
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
