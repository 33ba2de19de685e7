using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Checkpoints;

namespace BalticAI.Sovereignty.Transparency.Witnessing;

/// <summary>Where a witness keeps the last checkpoint it cosigned; it must survive restarts.</summary>
public interface IWitnessMemory
{
    Task<Checkpoint?> LastCosignedAsync(CancellationToken ct);

    Task RememberAsync(Checkpoint cosigned, string note, CancellationToken ct);
}

public enum WitnessOutcome { NothingNew, Cosigned, Refused }

public sealed record WitnessReport(WitnessOutcome Outcome, long Size, string Reason);

/// <summary>
/// One round of a witness against a live broker: fetch the latest checkpoint and the broker's keys,
/// check it against the last checkpoint this witness cosigned with a consistency proof, cosign and hand
/// the cosignature back. A checkpoint that does not extend what the witness saw is refused and never
/// remembered, so every later round keeps refusing the forked history. Only the cosignature upload
/// needs a token; checkpoints and proofs are public.
/// </summary>
public sealed class WitnessRound(HttpClient broker, string witnessName, ECDsa witnessKey, string origin, IWitnessMemory memory,
    Func<CancellationToken, ValueTask<string>> bearerToken, TimeProvider clock)
{
    public async Task<WitnessReport> RunAsync(CancellationToken ct)
    {
        using var latestResponse = await broker.GetAsync("ledger/checkpoints/latest", ct);
        if (latestResponse.StatusCode == HttpStatusCode.NotFound)
        {
            return new WitnessReport(WitnessOutcome.NothingNew, 0, "the broker has signed no checkpoint yet");
        }
        latestResponse.EnsureSuccessStatusCode();
        var latest = await latestResponse.Content.ReadFromJsonAsync<JsonObject>(ct) ?? throw new InvalidDataException("empty checkpoint response");
        var note = latest["note"]?.GetValue<string>() ?? throw new InvalidDataException("the checkpoint response has no note");
        var size = latest["size"]?.GetValue<long>() ?? throw new InvalidDataException("the checkpoint response has no size");
        var last = await memory.LastCosignedAsync(ct);
        if (last is not null && size == last.Size && latest["rootHash"]?.GetValue<string>() == Convert.ToBase64String(last.RootHash))
        {
            return new WitnessReport(WitnessOutcome.NothingNew, size, "already cosigned");
        }
        var proof = last is null || last.Size == 0 || size <= last.Size ? [] : await ConsistencyProofAsync(last.Size, size, ct);
        var keys = (await broker.GetFromJsonAsync<JsonObject>(".well-known/jwks.json", ct))?["keys"]?.AsArray().OfType<JsonObject>().ToList()
            ?? throw new InvalidDataException("the broker publishes no keys");
        var verdict = new WitnessClient(witnessName, witnessKey, origin, keys, clock).Cosign(note, last, proof);
        if (!verdict.Accepted)
        {
            return new WitnessReport(WitnessOutcome.Refused, size, verdict.Reason);
        }
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"ledger/checkpoints/{size}/cosignatures")
        {
            Content = new StringContent(verdict.Cosignature!.Line + "\n", Encoding.UTF8, "text/plain"),
        };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await bearerToken(ct));
        using var uploaded = await broker.SendAsync(upload, ct);
        if (!uploaded.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the broker refused the cosignature of checkpoint {size}: {(int)uploaded.StatusCode} {await uploaded.Content.ReadAsStringAsync(ct)}", null, uploaded.StatusCode);
        }
        await memory.RememberAsync(verdict.Checkpoint!, note, ct);
        return new WitnessReport(WitnessOutcome.Cosigned, size, "");
    }

    private async Task<IReadOnlyList<byte[]>> ConsistencyProofAsync(long from, long to, CancellationToken ct)
    {
        return ProofHashes.Of(await broker.GetFromJsonAsync<JsonObject>($"ledger/proofs/consistency?from={from}&to={to}", ct), "consistency");
    }
}
