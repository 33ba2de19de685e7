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
                var body = await new StreamReader(request.Body).ReadToEndAsync(ct);
                var lines = body.Length > MaxBodyChars ? [] : body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (lines.Length == 0)
                {
                    return Invalid("The body must hold one or more cosignature lines ('— <witness> <base64>').");
                }
                var checkpoint = new Checkpoint(options.Value.Origin, stored.Size, stored.Root);
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
                    if (!Cosignature.TryVerify(checkpoint, EcdsaNoteKey.FromSubjectPublicKeyInfo(witness.Name, witness.PublicKey), signature, out _))
                    {
                        return Invalid($"The cosignature of '{witness.Name}' does not verify against its registered key and this checkpoint.");
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
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Cosignature rejected");
}
