using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Ledger.Witnessing;

/// <summary>
/// The witnesses whose cosignatures this broker publishes (`Ledger:Witnesses`), each with the largest checkpoint it has
/// cosigned and how many entries that trails the latest checkpoint the log signed: how an operator, or a regulator
/// watching the others, sees a witness fall silent. Keys are shown as registered here; an auditor's witness policy
/// takes each key from the witness itself, not from the log it watches.
/// </summary>
public static class GetWitnessesEndpoint
{
    /// <param name="Name">Its key name in cosignature lines, as registered.</param>
    /// <param name="PublicKey">Its key as registered: base64 DER SubjectPublicKeyInfo.</param>
    /// <param name="LatestCosigned">The largest checkpoint (tree size) it cosigned; null while it has cosigned none.</param>
    /// <param name="EntriesBehind">Entries between that checkpoint and the latest one the log signed; null while it has cosigned none.</param>
    public sealed record WitnessStatus(string Name, string PublicKey, long? LatestCosigned, long? EntriesBehind);

    public static IEndpointRouteBuilder MapGetWitnesses(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ledger/witnesses", async (CheckpointStore store, IOptions<TransparencyLogOptions> options, CancellationToken ct) =>
            {
                var latest = (await store.LatestAsync(ct))?.Size;
                var statuses = new List<WitnessStatus>();
                foreach (var witness in options.Value.Witnesses)
                {
                    var cosigned = await store.LatestCosignedAsync(witness.Name, ct);
                    statuses.Add(new WitnessStatus(witness.Name, witness.PublicKey, cosigned, cosigned is { } size && latest is { } last ? last - size : null));
                }
                return TypedResults.Ok(statuses);
            })
            .WithName("ListWitnesses")
            .WithSummary("The witnesses whose cosignatures the log publishes, each with the largest checkpoint it cosigned and how many entries that trails the latest one");
        return app;
    }
}
