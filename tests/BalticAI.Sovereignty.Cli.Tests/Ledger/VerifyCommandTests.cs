using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Cli.Ledger;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Cli.Tests.Ledger;

/// <summary>`balticai ledger verify` exit codes: 0 verified, 1 a problem in the ledger, 2 nothing could be verified.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private const string Origin = "balticai.eu/sovereignty-ledger";
    private const string Witness = "uodo.gov.pl/witness";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "balticai-verify-tests", Guid.NewGuid().ToString("N"));

    /// <param name="headersFrom">The first entry whose leaf digests the event headers (format 2); none by default.</param>
    /// <param name="cosigner">A witness (`uodo.gov.pl/witness`) whose cosignature the checkpoint carries, as the broker serves it.</param>
    private async Task<string> ExportAsync(bool forged, int headersFrom = int.MaxValue, ECDsa? cosigner = null)
    {
        using var ring = new LocalKeyRing(Path.Combine(_directory, "keys"), TimeProvider.System);
        var leaves = Enumerable.Range(0, 3).Select(i => new LedgerLeaf(i, i + 1, Guid.NewGuid(), Guid.NewGuid().ToString(), "ledger_test_event",
            DateTimeOffset.UnixEpoch, LedgerLeaf.DigestData("{}"), i >= headersFrom ? LedgerLeaf.DigestHeaders("{}") : null).Encode()).ToList();
        var tree = new MerkleAccumulator();
        leaves.ForEach(leaf => tree.AppendLeaf(leaf));
        var checkpoint = new Checkpoint(Origin, 3, tree.Root());
        var note = await CheckpointSigning.SignAsync(checkpoint, ring, CancellationToken.None);
        if (cosigner is not null)
        {
            var cosignature = Cosignature.Create(checkpoint, new EcdsaNoteKey(Witness, cosigner),
                message => cosigner.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence), 1_764_547_200);
            note = note with { Signatures = [.. note.Signatures, cosignature] };
        }
        var path = Path.Combine(_directory, "export.ndjson");
        await using (var writer = new LedgerExportWriter(File.Create(path)))
        {
            writer.WriteHeader(new ExportHeader(Origin, await ring.GetVerificationKeysAsync(CancellationToken.None)));
            writer.WriteCheckpoint(3, note.ToString());
            for (var i = 0; i < leaves.Count; i++)
            {
                var leaf = forged && i == 1 ? leaves[0] : leaves[i];
                writer.WriteEntry(new ExportEntry(i, leaf, MerkleHash.Leaf(leaf), null));
            }
        }
        return path;
    }

    private static Task<int> RunAsync(params string[] args) =>
        new RootCommand { LedgerCommand.Create() }.Parse(["ledger", "verify", .. args])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });

    [Fact]
    public async Task A_valid_export_exits_0_and_a_forged_one_1()
    {
        (await RunAsync(await ExportAsync(forged: false))).ShouldBe(0);
        (await RunAsync(await ExportAsync(forged: true))).ShouldBe(1);
    }

    [Fact]
    public async Task A_valid_export_verified_against_its_own_keys_says_so_and_one_verified_against_a_jwks_does_not()
    {
        var export = await ExportAsync(forged: false);
        var jwks = Path.Combine(_directory, "jwks.json");
        var keys = JsonNode.Parse(File.ReadLines(export).First())!["keys"]!.ToJsonString();
        await File.WriteAllTextAsync(jwks, $$"""{"keys":{{keys}}}""");

        var (ownKeys, ownOutput) = await CapturedAsync(() => RunAsync(export));
        var (trusted, trustedOutput) = await CapturedAsync(() => RunAsync(export, "--jwks", jwks));

        ownKeys.ShouldBe(0);
        ownOutput.ShouldContain("checked against the keys inside the export itself");
        trusted.ShouldBe(0, trustedOutput);
        trustedOutput.ShouldContain("OK:");
        trustedOutput.ShouldNotContain("keys inside the export");
    }

    [Theory]
    [InlineData(0, "who acted (event headers) is covered by every leaf")]
    [InlineData(1, "note: who acted (event headers) is covered from entry 1 on; the 1 entry before it is a format 1 leaf")]
    [InlineData(int.MaxValue, "note: no leaf digests its event headers: who acted is not covered by this log")]
    public async Task A_valid_export_says_from_which_entry_on_it_covers_who_acted(int headersFrom, string said)
    {
        var (exit, output) = await CapturedAsync(async () => await RunAsync(await ExportAsync(forged: false, headersFrom)));

        exit.ShouldBe(0, output);
        output.ShouldContain(said);
    }

    [Fact]
    public async Task Witnesses_given_with_their_keys_name_the_checkpoint_they_cosigned_and_a_quorum_short_of_them_exits_1()
    {
        using var uodo = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var vdai = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var export = await ExportAsync(forged: false, cosigner: uodo);
        var trusted = $"{Witness}={Convert.ToBase64String(uodo.ExportSubjectPublicKeyInfo())}";
        var silent = $"vdai.lt/witness={Convert.ToBase64String(vdai.ExportSubjectPublicKeyInfo())}";

        var (witnessed, witnessedOutput) = await CapturedAsync(() => RunAsync(export, "--witness", trusted));
        var (either, _) = await CapturedAsync(() => RunAsync(export, "--witness", trusted, "--witness", silent, "--witness-quorum", "1"));
        var (both, bothOutput) = await CapturedAsync(() => RunAsync(export, "--witness", trusted, "--witness", silent));
        var unreadable = await RunAsync(export, "--witness", "uodo.gov.pl/witness");
        var tooMany = await RunAsync(export, "--witness", trusted, "--witness-quorum", "2");
        var twice = await RunAsync(export, "--witness", trusted, "--witness", trusted);

        witnessed.ShouldBe(0, witnessedOutput);
        witnessedOutput.ShouldContain($"witnessed: entries 0-2 are in checkpoint 3, cosigned by {Witness}");
        either.ShouldBe(0);
        both.ShouldBe(1);
        bothOutput.ShouldContain("FAILED: first problem: no checkpoint is cosigned by 2 of the 2 witnesses given");
        (unreadable, tooMany, twice).ShouldBe((2, 2, 2));
    }

    private static async Task<(int Exit, string Output)> CapturedAsync(Func<Task<int>> run)
    {
        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            return (await run(), output.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Fact]
    public async Task A_missing_export_file_exits_2()
    {
        Directory.CreateDirectory(_directory);

        (await RunAsync(Path.Combine(_directory, "no-such-export.ndjson"))).ShouldBe(2);
    }

    [Fact]
    public async Task A_jwks_file_that_is_no_jwks_exits_2()
    {
        var export = await ExportAsync(forged: false);
        var jwks = Path.Combine(_directory, "jwks.json");
        await File.WriteAllTextAsync(jwks, "{\"not\":\"keys\"}");

        (await RunAsync(export, "--jwks", jwks)).ShouldBe(2);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
