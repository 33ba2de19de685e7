using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;

namespace BalticAI.Sovereignty.Api.Provenance.Propagating;

/// <summary>Pure: the flag a dataset's (or a version's) withdrawal or restriction puts on downstream model versions, worded as grant revocations are.</summary>
public static class FlagReasons
{
    public static string? Of(object datasetEvent) => datasetEvent switch
    {
        DatasetWithdrawn w => "dataset-withdrawn:" + DatasetView.Token(w.Reason),
        DatasetRestricted r => "dataset-restricted:" + DatasetView.Token(r.Reason),
        DatasetVersionWithdrawn v => Decisions.Grants.Revoking.GrantRevoker.VersionWithdrawn(v.Reason),
        _ => null,
    };

    /// <summary>Whether a flag was put by a restriction (which lifting the restriction clears); a withdrawal is final.</summary>
    public static bool IsRestriction(string reason) => reason.StartsWith("dataset-restricted:", StringComparison.Ordinal);

    /// <summary>The flag a dataset in its current state calls for, or null while it is active.</summary>
    public static string? Of(Dataset dataset) => dataset switch
    {
        { Status: DatasetStatus.Withdrawn, Withdrawal: { } w } => "dataset-withdrawn:" + DatasetView.Token(w.Reason),
        { Status: DatasetStatus.Restricted, Restriction: { } r } => "dataset-restricted:" + DatasetView.Token(r.Reason),
        _ => null,
    };

    /// <summary>The flag an ancestor version calls for on what came from it: its dataset's, else its own withdrawal.</summary>
    public static string? Of(AncestorVersion ancestor) => ancestor.Version is { } version ? Of(ancestor.State, version) : Of(ancestor.State);

    /// <summary>The flag a model trained on <paramref name="version"/> of the dataset calls for: the dataset's own, else the version's withdrawal.</summary>
    public static string? Of(Dataset dataset, int version) =>
        Of(dataset) ?? (dataset.WithdrawalOf(version) is { } w ? Decisions.Grants.Revoking.GrantRevoker.VersionWithdrawn(w.Reason) : null);
}
