using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions;

/// <summary>Who may read or replay a recorded decision; anyone else is answered 404, as for a decision never made.</summary>
public static class DecisionReaders
{
    /// <summary>
    /// A national regulator reads what its feed carries (docs/regulator-feeds.md): a decision on its country's data or
    /// sites, for a recipient there, or asked for by a training system of its country. Every other role is not limited
    /// by country.
    /// </summary>
    public static bool Concerns(Caller caller, AccessDecided decided, TenantMap tenants) =>
        JobReaders.Concerns(caller, decided.Countries, decided.TrainingSystem, tenants);

    /// <summary>
    /// The decision recorded under <paramref name="id"/>, or null when none is (an unknown id, or the id of a stream that
    /// is not a decision's). The decision's own stream (its id is the decision's) is read by index; mt_events has none
    /// on the event id.
    /// </summary>
    public static async Task<AccessDecided?> FindAsync(IQuerySession session, Guid id, CancellationToken ct) =>
        await FindAnswerAsync(session, id, ct) as AccessDecided;

    /// <summary>
    /// What was recorded under <paramref name="id"/> in answer to an access request, in one read of its stream: the
    /// <see cref="AccessDecided"/> or the <see cref="AccessRefused"/> (a refusal has its own stream, as a decision has),
    /// or null when neither is.
    /// </summary>
    public static async Task<object?> FindAnswerAsync(IQuerySession session, Guid id, CancellationToken ct) =>
        (await session.Events.FetchStreamAsync(id, token: ct)).Select(e => e.Data).FirstOrDefault(d => d is AccessDecided or AccessRefused);

    /// <summary>
    /// Auditors and policy admins (who replay decisions to test bundles) read every decision; a regulator those that
    /// <see cref="Concerns"/> it; the training system that asked, its own; a data owner, those on its organisation's
    /// datasets (the dataset is read only for a data owner, since nobody else needs it). A refusal is read by those who
    /// would read the decision it stood in for.
    /// </summary>
    public static async Task<bool> CanReadAsync(
        Caller caller, string trainingSystem, IReadOnlyList<string> countries, Guid datasetId, TenantMap tenants, IQuerySession session, CancellationToken ct)
    {
        if (caller.IsInRole(Roles.Auditor) || caller.IsInRole(Roles.PolicyAdmin)
            || (caller.IsInRole(Roles.Regulator) && JobReaders.Concerns(caller, countries, trainingSystem, tenants))
            || (caller.IsInRole(Roles.TrainingSystem) && trainingSystem == caller.Organisation))
        {
            return true;
        }
        return caller.IsInRole(Roles.DataOwner) && (await session.LoadAsync<DatasetView>(datasetId, ct))?.Owner == caller.Organisation;
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "No such decision", detail: $"No decision {id} is recorded.", statusCode: StatusCodes.Status404NotFound);
}
