using System.Text.RegularExpressions;

namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

/// <summary>One organisation known to the broker, reached through its Entra ID tenant.</summary>
public sealed record TenantEntry
{
    /// <summary>Stable organisation id recorded in the ledger (e.g. `pl-nask`).</summary>
    public required string Organisation { get; init; }

    public required string Name { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country, or `EU` for the EU AI Office.</summary>
    public required string Country { get; init; }

    /// <summary>research-organisation, cultural-heritage-institution, company, public-body or other (DSM Art. 3 turns on it).</summary>
    public string Type { get; init; } = "other";

    /// <summary>
    /// Organisations whose training systems may register jobs that this organisation operates, besides its
    /// own. The operator's type opens legal routes (a research organisation's DSM Art. 3 exception), so a
    /// training system cannot name an operator that has not delegated its jobs to it.
    /// </summary>
    public string[] JobDelegates { get; init; } = [];
}

/// <summary>
/// The allow-list of tenants: an organisation's identity and country come only from here, keyed by the
/// token's `tid`, never from a claim the caller could choose.
/// </summary>
public sealed partial class TenantMap
{
    public const string SectionName = "Tenants";
    public const string EuCountry = "EU";
    private readonly Dictionary<string, TenantEntry> _byTenant;

    public TenantMap(IReadOnlyDictionary<string, TenantEntry> entries)
    {
        _byTenant = new Dictionary<string, TenantEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var (tenantId, entry) in entries)
        {
            if (!Guid.TryParse(tenantId, out _))
            {
                throw new InvalidOperationException($"Tenants: '{tenantId}' is not a tenant id (GUID)");
            }
            if (!CountryPattern().IsMatch(entry.Country))
            {
                throw new InvalidOperationException($"Tenants:{tenantId}:Country '{entry.Country}' is not an ISO 3166-1 alpha-2 code or EU");
            }
            if (string.IsNullOrWhiteSpace(entry.Organisation))
            {
                throw new InvalidOperationException($"Tenants:{tenantId}:Organisation is missing");
            }
            _byTenant[tenantId] = entry;
        }
        if (_byTenant.Count == 0)
        {
            throw new InvalidOperationException("Tenants: the tenant map is empty; no caller could be identified");
        }
    }

    public IReadOnlyDictionary<string, TenantEntry> Entries => _byTenant;

    public bool TryGet(string? tenantId, out TenantEntry entry)
    {
        entry = null!;
        return tenantId is not null && _byTenant.TryGetValue(tenantId, out entry!);
    }

    /// <summary>The first tenant of <paramref name="organisation"/> (its name, country and type), or null when none is mapped.</summary>
    public TenantEntry? OfOrganisation(string organisation) => _byTenant.Values.FirstOrDefault(t => t.Organisation == organisation);

    /// <summary>Whether <paramref name="organisation"/> is a tenant of <paramref name="country"/>: a regulator's feed carries what such an organisation does.</summary>
    public bool IsOrganisationOf(string organisation, string country) =>
        _byTenant.Values.Any(t => t.Organisation == organisation && t.Country == country);

    /// <summary>The organisations with a tenant of <paramref name="country"/>: those <see cref="IsOrganisationOf"/> holds for.</summary>
    public IReadOnlyList<string> OrganisationsIn(string country) =>
        _byTenant.Values.Where(t => t.Country == country).Select(t => t.Organisation).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The countries of <paramref name="organisation"/>'s tenants: the feeds that carried what it did.</summary>
    public IReadOnlyList<string> CountriesOf(string organisation) =>
        _byTenant.Values.Where(t => t.Organisation == organisation).Select(t => t.Country).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Whether a training system of <paramref name="trainingSystem"/> may register a job that <paramref name="operatorOrganisation"/> operates.</summary>
    public bool MayRegisterJobsFor(string trainingSystem, string operatorOrganisation) =>
        trainingSystem == operatorOrganisation
        || _byTenant.Values.Any(t => t.Organisation == operatorOrganisation && t.JobDelegates.Contains(trainingSystem, StringComparer.Ordinal));

    public static TenantMap FromConfiguration(IConfiguration configuration)
    {
        var entries = configuration.GetSection(SectionName).Get<Dictionary<string, TenantEntry>>() ?? [];
        return new TenantMap(entries);
    }

    [GeneratedRegex("^([A-Z]{2})$")]
    private static partial Regex CountryPattern();
}
