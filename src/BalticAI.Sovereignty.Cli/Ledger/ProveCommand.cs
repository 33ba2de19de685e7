using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Verification;

namespace BalticAI.Sovereignty.Cli.Ledger;

/// <summary>
/// `balticai ledger prove EVENT --url URL`: that one event, e.g. the decision a grant names, is in the broker's log, in a
/// checkpoint the log signed and, with `--witness`, that the auditor's witnesses cosigned (<see cref="EventProof"/>).
/// Exit codes: 0 proven, 1 not proven (what failed is named), 2 bad usage, 3 the broker could not be asked.
/// </summary>
public static class ProveCommand
{
    public static Command Create()
    {
        var eventId = new Argument<Guid>("event") { Description = "The event's id (a decision's id is its event's; a grant names it in its `decision` claim)" };
        var url = new Option<string>("--url") { Description = "The broker's address", Required = true };
        var origin = new Option<string?>("--origin") { Description = "Expected checkpoint origin (default: the checkpoint's)" };
        var jwks = new Option<FileInfo?>("--jwks") { Description = "Trusted JWKS of the log (default: the broker's own /.well-known/jwks.json)" };
        var witness = new Option<string[]>("--witness")
        {
            Description = "A witness whose cosignatures count, as name=key (its base64 SubjectPublicKeyInfo, from the witness itself); repeat for each",
        };
        var quorum = new Option<int?>("--witness-quorum") { Description = "How many of the --witness must have cosigned the checkpoint (default: all of them)" };
        var command = new Command("prove", "Prove that one event is in the broker's log: its entry, a signed checkpoint, witness cosignatures, the inclusion proof")
        {
            eventId, url, origin, jwks, witness, quorum,
        };
        command.SetAction(async (parse, ct) =>
        {
            WitnessPolicy? policy;
            IReadOnlyList<JsonObject>? pinned;
            try
            {
                policy = VerifyCommand.Policy(parse.GetValue(witness) ?? [], parse.GetValue(quorum));
                pinned = parse.GetValue(jwks) is { } file ? await VerifyCommand.ReadKeysAsync(file, ct) : null;
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.Message);
                return 2;
            }
            using var http = ExportCommand.Client(parse.GetValue(url)!, null);
            EventProofResult result;
            try
            {
                var keys = pinned ?? (await http.GetFromJsonAsync<JsonObject>("/.well-known/jwks.json", ct))?["keys"]?.AsArray().Select(k => k!.AsObject()).ToList()
                    ?? throw new InvalidDataException("the broker's JWKS has no keys");
                result = await EventProof.ProveAsync(http, parse.GetValue(eventId), keys, parse.GetValue(origin), policy, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidDataException or System.Text.Json.JsonException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"the broker could not be asked: {e.Message}");
                return 3;
            }
            return Print(result, pinned is not null, policy, parse.InvocationConfiguration);
        });
        return command;
    }

    private static int Print(EventProofResult result, bool pinnedKeys, WitnessPolicy? policy, InvocationConfiguration console)
    {
        if (!result.Proven)
        {
            console.Error.WriteLine($"not proven: {result.Reason}");
            return 1;
        }
        var leaf = result.Leaf!;
        console.Output.WriteLine($"event {leaf.EventId}: entry {leaf.Index} ({leaf.EventType}, {LedgerLeaf.FormatTimestamp(leaf.Timestamp)}, data sha256 {Convert.ToHexStringLower(leaf.DataSha256)})");
        console.Output.WriteLine($"included in checkpoint {result.CheckpointSize} (root {result.RootHash}), signed by the log's "
            + (pinnedKeys ? "pinned keys (--jwks)" : "keys as the broker publishes them (pin them with --jwks not to trust the broker for them)"));
        if (policy is not null)
        {
            console.Output.WriteLine($"cosigned by {string.Join(", ", result.Cosigners!)} ({policy.Quorum} of the {policy.Witnesses.Count} witnesses given required)");
        }
        return 0;
    }
}
