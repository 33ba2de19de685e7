using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;

namespace BalticAI.Sovereignty.Api.Provenance.ModelVersions;

/// <summary>
/// Who provides a model id: the operator of the job that produced its first version (the provider, in the AI Act's
/// sense, who answers for its training-content summary). Every later version comes from that organisation's jobs:
/// another organisation that trains on top of the model registers a model id of its own naming it as the base, so one
/// model's provenance never mixes two providers' data. A document, inserted with the first version, so that the second
/// of two concurrent first registrations fails instead of both standing.
/// </summary>
public sealed record ModelProvider(string Id, string Operator, Guid FirstVersionId, DateTimeOffset RegisteredAt)
{
    /// <summary>Pure: why <paramref name="job"/> may not add a version to the model <paramref name="provider"/> provides; null when it may.</summary>
    public static string? Refusal(ModelProvider? provider, string modelId, TrainingJob job) =>
        provider is null || provider.Operator == job.Operator
            ? null
            : $"model {modelId} is provided by {provider.Operator}, and its versions come from that organisation's jobs only (job {job.Id} is operated by "
                + $"{job.Operator}): register the version under a model id of your own and name {modelId} as its base model";

    /// <summary>
    /// The provider kept for <paramref name="modelId"/> (<c>Stored</c>), or, for a model whose versions were registered
    /// before providers were kept, its first version's operator, to be kept with the next version; null for a new model.
    /// </summary>
    public static async Task<(ModelProvider? Provider, bool Stored)> FindAsync(IQuerySession session, string modelId, CancellationToken ct)
    {
        if (await session.LoadAsync<ModelProvider>(modelId, ct) is { } stored)
        {
            return (stored, true);
        }
        var first = await session.Query<ModelVersionView>().Where(m => m.ModelId == modelId).OrderBy(m => m.RegisteredAt).FirstOrDefaultAsync(ct);
        return (first is null ? null : new ModelProvider(modelId, first.Operator, first.Id, first.RegisteredAt), false);
    }
}
