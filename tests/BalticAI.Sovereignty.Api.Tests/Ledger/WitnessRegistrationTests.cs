using System.Security.Cryptography;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class WitnessRegistrationTests
{
    /// <summary>A ledger broker whose only witness is registered with the given public key.</summary>
    private sealed class MisregisteredWitnessBroker(string publicKey) : LedgerBroker
    {
        protected override IDictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Ledger:Witnesses:0:PublicKey"] = publicKey;
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
        await using var broker = new MisregisteredWitnessBroker(publicKey);

        var failure = Should.Throw<Exception>(() => broker.CreateClient());

        Chain(failure).ShouldContain(e => e.Message.Contains("Ledger:Witnesses:0:PublicKey"), failure.ToString());
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
