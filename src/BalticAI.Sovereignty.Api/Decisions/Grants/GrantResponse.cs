using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Api.Decisions.Grants;

/// <summary>
/// A grant as the API shows it. The stored document keeps its status as Marten stores enums (numbers), so the
/// answer names it (`active`, `revoked`), and says whether the grant has run out at the time of the answer.
/// <see cref="BundleDigest"/> is the bundle its decision was taken under (null in grants recorded before it was kept):
/// a grant under another bundle than the active one stands because an activation decided it again.
/// </summary>
public sealed record GrantResponse(
    Guid Id,
    Guid DecisionId,
    Guid JobId,
    Guid DatasetId,
    int DatasetVersion,
    Guid SiteId,
    string TrainingSystem,
    DateTimeOffset ExpiresAt,
    bool Expired,
    IReadOnlyList<JsonObject> Obligations,
    IReadOnlyList<string> Countries,
    string Status,
    string? RevocationReason,
    int Redemptions,
    long BytesReleased,
    string? TokenSha256,
    string? BundleDigest)
{
    /// <summary>The answer of every grant route to an id no grant has.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "No such grant", detail: $"No grant {id} is recorded.", statusCode: StatusCodes.Status404NotFound);

    public static GrantResponse From(Grant grant, DateTimeOffset now) => new(
        grant.Id, grant.DecisionId, grant.JobId, grant.DatasetId, grant.DatasetVersion, grant.SiteId, grant.TrainingSystem, grant.ExpiresAt,
        grant.IsExpired(now), grant.Obligations, grant.Countries, grant.Status == GrantStatus.Revoked ? "revoked" : "active",
        grant.RevocationReason, grant.Redemptions, grant.BytesReleased, grant.TokenSha256, grant.BundleDigest);
}
