using System.CommandLine;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Verification;

namespace BalticAI.Sovereignty.Cli.Ledger;

/// <summary>
/// `balticai ledger prove EVENT --url URL [--output FILE]`: that one event, e.g. the decision a grant names, is in the
/// broker's log, in a checkpoint the log signed and, with `--witness`, that the auditor's witnesses cosigned
/// (<see cref="EventProof"/>); the proof can be kept as a file, and `prove --bundle FILE` checks it again without the broker.
/// Exit codes: 0 proven, 1 not proven (what failed is named), 2 bad usage, 3 the broker could not be asked.
/// </summary>
public static class ProveCommand
{
    public static Command Create()
    {
        var eventId = new Argument<string?>("event") { Description = "The event's id (a decision's id is its event's; a grant names it in its `decision` claim)", Arity = ArgumentArity.ZeroOrOne };
        var url = new Option<string?>("--url") { Description = "The broker's address" };
        var token = new Option<string?>("--token") { Description = "Bearer token for --url: an Auditor's puts the event's data in the proof" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Keep the proof in this file, to check again later with --bundle" };
        var bundle = new Option<FileInfo?>("--bundle") { Description = "Check a kept proof (from --output) instead of asking a broker" };
        var origin = new Option<string?>("--origin") { Description = "Expected checkpoint origin (default: the checkpoint's)" };
        var jwks = new Option<FileInfo?>("--jwks") { Description = "Trusted JWKS of the log (default: the broker's own /.well-known/jwks.json, or the keys kept in the proof)" };
        var witness = new Option<string[]>("--witness")
        {
            Description = "A witness whose cosignatures count, as name=key (its base64 SubjectPublicKeyInfo, from the witness itself); repeat for each",
        };
        var grant = new Option<string?>("--grant")
        {
            Description = "A grant token (compact JWS) instead of an event: its signature is checked with the log's keys and the decision it names is proven",
        };
        var wait = new Option<int>("--wait")
        {
            Description = "Seconds to keep asking while the event is not yet in the tree, in a checkpoint or in a witnessed one (default 0: ask once)",
        };
        var quorum = new Option<int?>("--witness-quorum") { Description = "How many of the --witness must have cosigned the checkpoint (default: all of them)" };
        var command = new Command("prove", "Prove that one event is in the broker's log: its entry, a signed checkpoint, witness cosignatures, the inclusion proof")
        {
            eventId, grant, url, token, output, bundle, origin, jwks, witness, quorum, wait,
        };
        command.SetAction(async (parse, ct) =>
        {
            var console = parse.InvocationConfiguration;
            WitnessPolicy? policy;
            IReadOnlyList<JsonObject>? pinned;
            EventProofBundle? kept;
            Guid? id;
            var grantToken = parse.GetValue(grant);
            try
            {
                policy = VerifyCommand.Policy(parse.GetValue(witness) ?? [], parse.GetValue(quorum));
                pinned = parse.GetValue(jwks) is { } file ? await VerifyCommand.ReadKeysAsync(file, ct) : null;
                kept = parse.GetValue(bundle) is { } proof ? EventProofBundle.Read(await File.ReadAllTextAsync(proof.FullName, ct)) : null;
                id = EventId(parse.GetValue(eventId));
                if (parse.GetValue(wait) is < 0 or > 3600)
                {
                    throw new FormatException("--wait is 0 to 3600 seconds");
                }
                Check(id, grantToken, parse.GetValue(url), kept, parse.GetValue(output));
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                console.Error.WriteLine(e.Message);
                return 2;
            }
            var trusted = pinned is not null ? "pinned keys (--jwks)" : kept is not null
                ? "keys kept in the proof (pin them with --jwks)"
                : "keys as the broker publishes them (pin them with --jwks not to trust the broker for them)";
            if (kept is not null)
            {
                var keys = pinned ?? kept.Keys;
                if (grantToken is not null && GrantDecision(grantToken, keys) is var (decision, refused) && decision != kept.EventId)
                {
                    return Print(new EventProofResult(false, refused ?? $"the kept proof is of event {kept.EventId}, not of the grant's decision {decision}"), trusted, policy, console);
                }
                return Print(EventProof.Verify(kept, keys, parse.GetValue(origin), policy), trusted, policy, console);
            }
            using var http = ExportCommand.Client(parse.GetValue(url)!, parse.GetValue(token));
            EventProofResult result;
            try
            {
                var keys = pinned ?? await PublicLog.KeysAsync(http, ct);
                if (grantToken is not null)
                {
                    (id, var refused) = GrantDecision(grantToken, keys);
                    if (refused is not null)
                    {
                        return Print(new EventProofResult(false, refused), trusted, policy, console);
                    }
                }
                result = await EventProof.ProveWaitingAsync(http, id!.Value, keys, parse.GetValue(origin), policy,
                    TimeSpan.FromSeconds(parse.GetValue(wait)), TimeSpan.FromSeconds(2), TimeProvider.System, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidDataException or System.Text.Json.JsonException)
            {
                console.Error.WriteLine($"the broker could not be asked: {e.Message}");
                return 3;
            }
            if (result.Proven && parse.GetValue(output) is { } target)
            {
                try
                {
                    await File.WriteAllTextAsync(target.FullName, result.Bundle!.Write(), ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    console.Error.WriteLine($"{target.FullName}: {e.Message}");
                    return 2;
                }
            }
            return Print(result, trusted, policy, console);
        });
        return command;
    }

    private static Guid? EventId(string? text) =>
        text is null ? null : Guid.TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not an event id (a UUID)");

    /// <summary>
    /// The decision a grant names, once its signature verifies with the log's keys (the broker signs grants and checkpoints
    /// with one key ring): a grant that does not is no evidence of a decision at all.
    /// </summary>
    private static (Guid? Decision, string? Refused) GrantDecision(string grant, IReadOnlyList<JsonObject> keys)
    {
        if (!Jws.TryVerify(grant.Trim(), keys, default, out var payload, out _))
        {
            return (null, "the grant is not a token signed by the log's keys");
        }
        try
        {
            return JsonNode.Parse(payload)?["decision"]?.GetValue<string>() is { } text && Guid.TryParse(text, out var decision)
                ? (decision, null)
                : (null, "the grant names no decision");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return (null, "the grant's claims are not JSON");
        }
    }

    /// <summary>An event or a grant asked of a broker, or a kept proof (with the event or grant it must be of); an output only when asking.</summary>
    private static void Check(Guid? eventId, string? grant, string? url, EventProofBundle? kept, FileInfo? output)
    {
        if (eventId is not null && grant is not null)
        {
            throw new FormatException("give an event or --grant, not both");
        }
        if (kept is not null)
        {
            if (url is not null || output is not null)
            {
                throw new FormatException("--bundle checks a kept proof without a broker: give neither --url nor --output with it");
            }
            if (eventId is { } id && id != kept.EventId)
            {
                throw new FormatException($"the kept proof is of event {kept.EventId}, not {id}");
            }
            return;
        }
        if ((eventId is null && grant is null) || url is null)
        {
            throw new FormatException("give an event (or --grant) and --url, or --bundle FILE");
        }
    }

    private static int Print(EventProofResult result, string keys, WitnessPolicy? policy, InvocationConfiguration console)
    {
        if (!result.Proven)
        {
            console.Error.WriteLine($"not proven: {result.Reason}");
            return 1;
        }
        var leaf = result.Leaf!;
        console.Output.WriteLine($"event {leaf.EventId}: entry {leaf.Index} ({leaf.EventType}, {LedgerLeaf.FormatTimestamp(leaf.Timestamp)}, data sha256 {Convert.ToHexStringLower(leaf.DataSha256)})");
        console.Output.WriteLine($"included in checkpoint {result.CheckpointSize} (root {result.RootHash}), signed by the log's {keys}");
        if (policy is not null)
        {
            console.Output.WriteLine($"cosigned by {string.Join(", ", result.Cosigners!)} ({policy.Quorum} of the {policy.Witnesses.Count} witnesses given required)");
        }
        if (result.Bundle?.Data is not null)
        {
            console.Output.WriteLine("the event's data is in the proof, and is what its leaf digests");
        }
        return 0;
    }
}
