using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using BalticAI.Sovereignty.Api.Ledger.GettingCheckpoints;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Ledger.Witnessing;

/// <summary>
/// A regulator's witness hands back its cosignature (one or more C2SP signature lines, text/plain);
/// each is checked against the witness key registered in `Ledger:Witnesses` before it is published.
/// </summary>
public static class AddCosignatureEndpoint
{
    private const int MaxBodyChars = 16 * 1024;

    public static IEndpointRouteBuilder MapAddCosignature(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ledger/checkpoints/{size:long}/cosignatures", async Task<Results<Ok<CheckpointResponse>, ProblemHttpResult>> (
                long size, HttpRequest request, CheckpointStore store, IOptions<TransparencyLogOptions> options, CancellationToken ct) =>
            {
                if (await store.AtSizeAsync(size, ct) is not { } stored)
                {
                    return TypedResults.Problem($"No checkpoint was signed at tree size {size}.", statusCode: StatusCodes.Status404NotFound, title: "No such checkpoint");
                }
                var buffer = new char[MaxBodyChars + 1];
                using var reader = new StreamReader(request.Body);
                var length = await reader.ReadBlockAsync(buffer, ct);
                if (length > MaxBodyChars)
                {
                    return TypedResults.Problem($"The body may hold at most {MaxBodyChars} characters of cosignature lines.",
                        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Cosignature body too large");
                }
                var lines = new string(buffer, 0, length).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (lines.Length == 0)
                {
                    return Invalid("The body must hold one or more cosignature lines ('— <witness> <base64>').");
                }
                var checkpoint = stored.Signed;
                var accepted = new List<(string Witness, string Line)>();
                foreach (var line in lines)
                {
                    if (!NoteSignature.TryParseLine(line, out var signature))
                    {
                        return Invalid("A line is not a signed-note signature line.");
                    }
                    var witness = options.Value.Witnesses.FirstOrDefault(w => w.Name == signature.KeyName);
                    if (witness is null)
                    {
                        return Invalid($"'{signature.KeyName}' is not a registered witness.");
                    }
                    var key = EcdsaNoteKey.FromSubjectPublicKeyInfo(witness.Name, witness.PublicKey);
                    if (!Cosignature.TryVerify(checkpoint, key, signature, out var timestamp))
                    {
                        return Invalid($"The cosignature of '{witness.Name}' does not verify against its registered key and this checkpoint.");
                    }
                    if (PublishedTimestamp(stored, checkpoint, key) > timestamp)
                    {
                        // A replayed older line must not replace what the witness attested more recently.
                        return TypedResults.Problem($"A newer cosignature of '{witness.Name}' for this checkpoint is already published.",
                            statusCode: StatusCodes.Status409Conflict, title: "Cosignature rejected");
                    }
                    accepted.Add((witness.Name, signature.Line));
                }
                foreach (var (witness, line) in accepted)
                {
                    await store.AddCosignatureAsync(size, witness, line, ct);
                }
                return TypedResults.Ok(CheckpointResponse.From((await store.AtSizeAsync(size, ct))!));
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.Regulator))
            .Accepts<string>("text/plain")
            .WithName("AddCheckpointCosignature")
            .WithSummary("Publish a witness's cosignature of a checkpoint (Regulator role)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    /// <summary>The timestamp of the witness's published cosignature of this checkpoint, or -1 when there is none.</summary>
    private static long PublishedTimestamp(StoredCheckpoint stored, Checkpoint checkpoint, EcdsaNoteKey witness) =>
        stored.Cosignatures
            .Select(line => NoteSignature.TryParseLine(line, out var published) && Cosignature.TryVerify(checkpoint, witness, published, out var time) ? time : -1)
            .DefaultIfEmpty(-1)
            .Max();

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Cosignature rejected");
}
