using System.Collections.Concurrent;
using System.Reflection;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>What the index records of one event besides its envelope.</summary>
public sealed record IndexedFacts(string[] Countries, Guid? Dataset, Guid? Job, string? Model);

/// <summary>
/// Reads the filterable facts of any event by convention: a <c>DatasetId</c>, <c>JobId</c> or
/// <c>ModelId</c> property, or a job's <see cref="ModelReference"/> (its model's name). Events of
/// slices written later (lineage, model versions) are covered without a change here as long as they
/// name their subjects the same way. Countries are the event's own plus the acting organisation's,
/// exactly as the regulator feeds route.
/// </summary>
public static class IndexedFactsReader
{
    private sealed record Accessors(PropertyInfo? Dataset, PropertyInfo? Job, PropertyInfo? ModelId, PropertyInfo? ModelReference);

    private static readonly ConcurrentDictionary<Type, Accessors> ByType = new();

    public static IndexedFacts Read(object data, Actor? actor)
    {
        var accessors = ByType.GetOrAdd(data.GetType(), type => new Accessors(
            GuidProperty(type, "DatasetId"),
            GuidProperty(type, "JobId"),
            type.GetProperty("ModelId", BindingFlags.Public | BindingFlags.Instance),
            type.GetProperty("Model", BindingFlags.Public | BindingFlags.Instance) is { PropertyType: var t } p && t == typeof(ModelReference) ? p : null));
        var countries = new SortedSet<string>(StringComparer.Ordinal);
        if (data is ILedgerEvent ledgerEvent)
        {
            foreach (var country in ledgerEvent.Countries)
            {
                countries.Add(country.ToUpperInvariant());
            }
        }
        if (actor is { Country.Length: 2 } && actor.Country != TenantMap.EuCountry)
        {
            countries.Add(actor.Country.ToUpperInvariant());
        }
        var model = accessors.ModelId?.GetValue(data)?.ToString()
            ?? (accessors.ModelReference?.GetValue(data) as ModelReference)?.Name;
        return new IndexedFacts([.. countries], accessors.Dataset?.GetValue(data) as Guid?, accessors.Job?.GetValue(data) as Guid?, model);
    }

    private static PropertyInfo? GuidProperty(Type type, string name) =>
        type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is { } p && (p.PropertyType == typeof(Guid) || p.PropertyType == typeof(Guid?)) ? p : null;
}
