using System.Security.Cryptography;
using BalticAI.Sovereignty.Api.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class WitnessRegistrationTests
{
    /// <summary>A ledger broker with some of its transparency log settings replaced.</summary>
    private sealed class MisconfiguredLedgerBroker(params (string Key, string Value)[] replaced) : LedgerBroker
    {
        protected override IDictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                foreach (var (key, value) in replaced)
                {
                    settings[key] = value;
                }
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
        await using var broker = new MisconfiguredLedgerBroker(("Ledger:Witnesses:0:PublicKey", publicKey));

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
        await using var broker = new MisconfiguredLedgerBroker((key, name));

        var failure = Should.Throw<Exception>(() => broker.CreateClient());

        Chain(failure).ShouldContain(e => e.Message.Contains($"{key} '{name}' is not") && e.Message.Contains("C2SP signed-note"), failure.ToString());
    }

    /// <summary>docker compose's way: the witness's own step writes its public key to a file the broker reads at start.</summary>
    [Fact]
    public async Task A_witness_key_given_as_a_file_is_the_key_the_broker_holds()
    {
        var file = Path.Combine(Path.GetTempPath(), $"witness-{Guid.NewGuid():N}.pub");
        using var witness = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = Convert.ToBase64String(witness.ExportSubjectPublicKeyInfo());
        await File.WriteAllTextAsync(file, publicKey + "\n");
        try
        {
            await using var broker = new MisconfiguredLedgerBroker(("Ledger:Witnesses:0:PublicKey", ""), ("Ledger:Witnesses:0:PublicKeyFile", file));

            var registered = broker.Services.GetRequiredService<IOptions<TransparencyLogOptions>>().Value.Witnesses.ShouldHaveSingleItem();

            registered.Name.ShouldBe(LedgerBroker.WitnessName);
            registered.PublicKey.ShouldBe(publicKey);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("missing", "cannot be read")]
    [InlineData("not a key", "must hold the base64 DER SubjectPublicKeyInfo of a P-256 key")]
    [InlineData("beside a key", "Ledger:Witnesses:0: set PublicKey or PublicKeyFile, not both")]
    public async Task A_witness_key_file_the_broker_cannot_use_stops_it_from_starting(string file, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"witness-{Guid.NewGuid():N}.pub");
        if (file != "missing")
        {
            await File.WriteAllTextAsync(path, file == "not a key" ? "bm90IGEga2V5" : Convert.ToBase64String(ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfo()));
        }
        try
        {
            // The base broker registers the witness's key itself; only "beside a key" keeps it.
            await using var broker = file == "beside a key"
                ? new MisconfiguredLedgerBroker(("Ledger:Witnesses:0:PublicKeyFile", path))
                : new MisconfiguredLedgerBroker(("Ledger:Witnesses:0:PublicKey", ""), ("Ledger:Witnesses:0:PublicKeyFile", path));

            var failure = Should.Throw<Exception>(() => broker.CreateClient());

            Chain(failure).ShouldContain(e => e.Message.Contains(expected) && e.Message.Contains("Ledger:Witnesses:0"), failure.ToString());
        }
        finally
        {
            File.Delete(path);
        }
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
