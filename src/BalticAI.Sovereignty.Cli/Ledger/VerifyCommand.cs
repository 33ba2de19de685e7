using System.CommandLine;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Verification;
using Spectre.Console;

namespace BalticAI.Sovereignty.Cli.Ledger;

/// <summary>`balticai ledger verify`: recompute every leaf and root of an export and check every signature.</summary>
public static class VerifyCommand
{
    private const long ProgressBarFromBytes = 16 << 20;

    public static Command Create()
    {
        var file = new Argument<FileInfo?>("file") { Description = "Export file (from `balticai ledger export`)", Arity = ArgumentArity.ZeroOrOne };
        var url = new Option<string?>("--url") { Description = "Verify a live broker instead: export it to a temporary file first" };
        var token = new Option<string?>("--token") { Description = "Bearer token for --url" };
        var origin = new Option<string?>("--origin") { Description = "Expected checkpoint origin (default: the export's)" };
        var jwks = new Option<FileInfo?>("--jwks") { Description = "Trusted JWKS of the log (default: the keys inside the export)" };
        var witness = new Option<string[]>("--witness")
        {
            Description = "A witness whose cosignatures count, as name=key (its base64 SubjectPublicKeyInfo, from the witness itself); repeat for each",
        };
        var quorum = new Option<int?>("--witness-quorum") { Description = "How many of the --witness must have cosigned a checkpoint (default: all of them)" };

        var command = new Command("verify", "Verify a ledger export: leaves, roots, checkpoint signatures, witness cosignatures; names the first bad entry")
        {
            file, url, token, origin, jwks, witness, quorum,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)?.FullName;
            WitnessPolicy? policy;
            try
            {
                policy = Policy(parse.GetValue(witness) ?? [], parse.GetValue(quorum));
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            string? temporary = null;
            if (parse.GetValue(url) is { } brokerUrl)
            {
                temporary = path = Path.GetTempFileName();
                using var http = ExportCommand.Client(brokerUrl, parse.GetValue(token));
                await using var stream = File.Create(temporary);
                await LedgerExporter.ExportAsync(http, stream, null, ct);
            }
            if (path is null)
            {
                Console.Error.WriteLine("give an export file or --url");
                return 2;
            }
            try
            {
                var keys = parse.GetValue(jwks) is { } jwksFile ? await ReadKeysAsync(jwksFile, ct) : null;
                var verifier = new LedgerVerifier(parse.GetValue(origin), keys, witnesses: policy);
                var elapsed = System.Diagnostics.Stopwatch.StartNew();
                await RunAsync(path, verifier);
                var report = verifier.Finish();
                return Print(report, elapsed.Elapsed, trustedKeys: keys is not null);
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine($"unreadable export: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing was verified: exit 1 would read as "the ledger has a problem".
                Console.Error.WriteLine($"cannot read {e.Message}");
                return 2;
            }
            finally
            {
                if (temporary is not null)
                {
                    File.Delete(temporary);
                }
            }
        });
        return command;
    }

    internal static WitnessPolicy? Policy(string[] witnesses, int? quorum)
    {
        if (witnesses.Length == 0)
        {
            return quorum is null ? null : throw new FormatException("--witness-quorum needs the witnesses (--witness name=key)");
        }
        var keys = witnesses.Select(WitnessPolicy.ParseWitness).ToList();
        if (keys.GroupBy(k => k.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new FormatException($"witness {twice.Key} is given twice");
        }
        var required = quorum ?? keys.Count;
        return required >= 1 && required <= keys.Count
            ? new WitnessPolicy(keys, required)
            : throw new FormatException($"--witness-quorum must be between 1 and the {keys.Count} witness(es) given");
    }

    internal static async Task<List<JsonObject>> ReadKeysAsync(FileInfo file, CancellationToken ct)
    {
        try
        {
            return JsonNode.Parse(await File.ReadAllTextAsync(file.FullName, ct))?["keys"]?.AsArray().Select(k => k!.AsObject()).ToList()
                ?? throw new InvalidDataException($"{file.FullName} has no \"keys\" array");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new InvalidDataException($"{file.FullName} is not a JWKS: {e.Message}", e);
        }
    }

    private static async Task RunAsync(string path, LedgerVerifier verifier)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (stream.Length < ProgressBarFromBytes || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            LedgerExportReader.Read(stream, verifier);
            return;
        }
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask("verifying", maxValue: stream.Length);
            var reading = Task.Run(() => LedgerExportReader.Read(stream, verifier));
            while (!reading.IsCompleted)
            {
                task.Value = stream.Position;
                task.Description = $"verifying ({verifier.Entries:N0} entries)";
                await Task.WhenAny(reading, Task.Delay(100));
            }
            task.Value = stream.Length;
            await reading;
        });
    }

    /// <summary>Leaves of format 1 say nothing of who acted, so an auditor must know where the tree starts to.</summary>
    private static string HeadersCoverage(VerificationReport report) => report.HeadersCoveredFrom switch
    {
        null => "note: no leaf digests its event headers: who acted is not covered by this log (format 1 leaves only)",
        0 => "who acted (event headers) is covered by every leaf",
        1 => "note: who acted (event headers) is covered from entry 1 on; the 1 entry before it is a format 1 leaf, written before the ledger covered it",
        { } from => $"note: who acted (event headers) is covered from entry {from} on; the {from} entries before it are format 1 leaves, written before the ledger covered it",
    };

    private static int Print(VerificationReport report, TimeSpan elapsed, bool trustedKeys)
    {
        Console.WriteLine($"{report.Entries} entries, {report.Checkpoints} checkpoints checked in {elapsed.TotalSeconds:F2} s");
        if (report.Valid)
        {
            Console.WriteLine("OK: every leaf, root and checkpoint signature verifies");
            Console.WriteLine(HeadersCoverage(report));
            if (!trustedKeys)
            {
                // Whoever rewrote the entries could have re-signed them with a key of their own and put it in the export.
                Console.WriteLine("note: the signatures were checked against the keys inside the export itself; pass --jwks with the log's keys obtained independently (e.g. GET /.well-known/jwks.json of the broker) to detect a rewritten export");
            }
            if (report.Witnessed is { } witnessed)
            {
                Console.WriteLine($"witnessed: entries 0-{witnessed.Size - 1} are in checkpoint {witnessed.Size}, cosigned by {string.Join(", ", witnessed.Witnesses)}");
                if (report.LatestCheckpoint > witnessed.Size)
                {
                    Console.WriteLine($"note: entries {witnessed.Size}-{report.LatestCheckpoint - 1} are in checkpoints signed by the log that too few of the given witnesses have cosigned yet");
                }
            }
            return 0;
        }
        Console.WriteLine($"FAILED: first problem: {report.Problems[0]}");
        foreach (var problem in report.Problems.Skip(1))
        {
            Console.WriteLine($"  also: {problem}");
        }
        return 1;
    }
}
