namespace BalticAI.Sovereignty.Api.Decisions.RequestingAccess;

/// <summary>POST /training-jobs/{id}/access-requests: the dataset versions a job wants to read.</summary>
public sealed record RequestAccess(IReadOnlyList<RequestedVersion> Datasets);

public sealed record RequestedVersion(Guid DatasetId, int Version);

public sealed record DecisionResponse(
    Guid DecisionId,
    Guid DatasetId,
    int Version,
    bool Allowed,
    IReadOnlyList<DecisionReason> Reasons,
    IReadOnlyList<System.Text.Json.Nodes.JsonObject> Obligations,
    BundleReference Bundle,
    string InputDigest,
    DateTimeOffset DecidedAt,
    GrantResponse? Grant);

public sealed record BundleReference(string Revision, string Digest);

public sealed record GrantResponse(Guid Id, string Token, DateTimeOffset ExpiresAt);

public sealed record AccessResponse(Guid JobId, IReadOnlyList<DecisionResponse> Decisions);
