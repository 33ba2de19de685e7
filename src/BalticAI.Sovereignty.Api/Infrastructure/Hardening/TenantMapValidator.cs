using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>The `Tenants` section as written, before the identity set-up builds its allow-list from it.</summary>
public sealed class TenantMapSettings : Dictionary<string, TenantSettings>
{
    public const string SectionName = "Tenants";

    public TenantMapSettings() : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}

public sealed class TenantSettings
{
    public string? Organisation { get; set; }
    public string? Name { get; set; }
    public string? Country { get; set; }
    public string? Type { get; set; }
    public string[]? JobDelegates { get; set; }
}

internal sealed class TenantMapValidator(IHostEnvironment environment) : IValidateOptions<TenantMapSettings>
{
    /// <summary>EU and EEA states (ISO 3166-1 alpha-2; Greece is GR, not EL) and the EU AI Office.</summary>
    public static readonly IReadOnlySet<string> Countries = new HashSet<string>(StringComparer.Ordinal)
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "EU",
    };

    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        "research-organisation", "cultural-heritage-institution", "company", "public-body", "other",
    };

    public ValidateOptionsResult Validate(string? name, TenantMapSettings options)
    {
        var failures = new List<string>();
        var section = TenantMapSettings.SectionName;
        if (options.Count == 0 && !environment.IsDevelopment())
        {
            failures.Add($"{section} is empty: no caller could be identified. Add {section}:{{tenant id}}:Organisation, :Name and :Country for every organisation allowed to call the broker (docs/operations.md)");
        }
        foreach (var (tenantId, tenant) in options)
        {
            var key = $"{section}:{tenantId}";
            if (!Guid.TryParse(tenantId, out _))
            {
                failures.Add($"{key}: '{tenantId}' is not an Entra ID tenant id (a GUID)");
            }
            if (string.IsNullOrWhiteSpace(tenant.Organisation))
            {
                failures.Add($"{key}:Organisation is missing (the stable id recorded in the ledger, e.g. pl-nask)");
            }
            if (string.IsNullOrWhiteSpace(tenant.Name))
            {
                failures.Add($"{key}:Name is missing");
            }
            if (tenant.Country is null || !Countries.Contains(tenant.Country))
            {
                failures.Add($"{key}:Country '{tenant.Country}' is not an EU/EEA ISO 3166-1 alpha-2 code in upper case (PL, EE, LT, LV, ...) or EU");
            }
            if (tenant.Type is not null && !Types.Contains(tenant.Type))
            {
                failures.Add($"{key}:Type '{tenant.Type}' is not one of {string.Join(", ", Types)}");
            }
        }
        CheckOneCountryPerOrganisation(options, failures);
        CheckJobDelegates(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// A delegate is an organisation on the map: a misspelt one would silently refuse its jobs. An organisation
    /// mapped from several tenants delegates once: lists that differ would grant whatever any of them names.
    /// </summary>
    private static void CheckJobDelegates(TenantMapSettings options, List<string> failures)
    {
        var organisations = options.Values.Select(t => t.Organisation).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (tenantId, tenant) in options)
        {
            foreach (var delegated in tenant.JobDelegates ?? [])
            {
                if (!organisations.Contains(delegated))
                {
                    failures.Add($"{TenantMapSettings.SectionName}:{tenantId}:JobDelegates names '{delegated}', which is no organisation on the tenant map");
                }
            }
        }
        foreach (var organisation in options.Where(t => !string.IsNullOrWhiteSpace(t.Value.Organisation)).GroupBy(t => t.Value.Organisation!, StringComparer.Ordinal))
        {
            var lists = organisation.Select(t => string.Join(", ", (t.Value.JobDelegates ?? []).Order(StringComparer.Ordinal))).Distinct(StringComparer.Ordinal).ToList();
            if (lists.Count > 1)
            {
                failures.Add($"{TenantMapSettings.SectionName}: organisation '{organisation.Key}' has different JobDelegates on its tenants "
                    + $"({string.Join(", ", organisation.Select(t => t.Key))}); give every tenant of an organisation the same list");
            }
        }
    }

    /// <summary>
    /// An organisation may sign in from several tenants, but it has one country: the country decides which
    /// regulator sees its datasets and jobs, and authorisation compares organisations, not tenants.
    /// </summary>
    private static void CheckOneCountryPerOrganisation(TenantMapSettings options, List<string> failures)
    {
        var tenants = options.Where(t => !string.IsNullOrWhiteSpace(t.Value.Organisation) && t.Value.Country is not null);
        foreach (var organisation in tenants.GroupBy(t => t.Value.Organisation!, StringComparer.Ordinal))
        {
            var countries = organisation.Select(t => t.Value.Country!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (countries.Count > 1)
            {
                failures.Add($"{TenantMapSettings.SectionName}: organisation '{organisation.Key}' is mapped to countries {string.Join(", ", countries)} "
                    + $"(tenants {string.Join(", ", organisation.Select(t => t.Key))}); an organisation has one country");
            }
        }
    }
}
