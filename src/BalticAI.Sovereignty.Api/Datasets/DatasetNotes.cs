using BalticAI.Sovereignty.Api.Infrastructure.Identity;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>
/// Need to know: the note of a restriction, of its lifting or of a withdrawal (of the dataset or of one version) says why,
/// and may name the person who objected or asked for erasure. The owner organisation, PolicyAdmins and auditors read it;
/// every other role that reads the dataset (every organisation's training systems and data owners, the regulators of the
/// countries it concerns) reads the reason and the time only, as the regulators' feeds carry them.
/// </summary>
public static class DatasetNotes
{
    public static bool AreReadBy(Caller caller, string owner) =>
        caller.Organisation == owner || caller.IsInRole(Roles.PolicyAdmin) || caller.IsInRole(Roles.Auditor);

    /// <summary>Pure: the dataset as <paramref name="caller"/> reads it.</summary>
    public static Dataset AsReadBy(Dataset dataset, Caller caller) => AreReadBy(caller, dataset.Owner)
        ? dataset
        : dataset with
        {
            Restriction = dataset.Restriction is { } restriction ? restriction with { Note = null } : null,
            Withdrawal = dataset.Withdrawal is { } withdrawal ? withdrawal with { Note = null } : null,
            Versions = [.. dataset.Versions.Select(WithoutNote)],
        };

    /// <summary>Pure: a version of <paramref name="owner"/>'s dataset as <paramref name="caller"/> reads it.</summary>
    public static DatasetVersion AsReadBy(DatasetVersion version, string owner, Caller caller) =>
        AreReadBy(caller, owner) ? version : WithoutNote(version);

    /// <summary>Pure: an event of <paramref name="owner"/>'s dataset stream as <paramref name="caller"/> reads it.</summary>
    public static object AsReadBy(object datasetEvent, string owner, Caller caller) => AreReadBy(caller, owner)
        ? datasetEvent
        : datasetEvent switch
        {
            DatasetRestricted e => e with { Note = null },
            DatasetRestrictionLifted e => e with { Note = null },
            DatasetWithdrawn e => e with { Note = null },
            DatasetVersionWithdrawn e => e with { Note = null },
            _ => datasetEvent,
        };

    private static DatasetVersion WithoutNote(DatasetVersion version) =>
        version.Withdrawal is { } withdrawal ? version with { Withdrawal = withdrawal with { Note = null } } : version;
}
