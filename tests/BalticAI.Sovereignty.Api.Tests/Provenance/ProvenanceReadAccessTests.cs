using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

public sealed class ProvenanceReadAccessTests
{
    private static readonly TenantMap Tenants = new(new Dictionary<string, TenantEntry>
    {
        ["5d1c6c1e-0a8f-4a36-9a5e-000000000104"] = new() { Organisation = "pl-cyfronet", Name = "Cyfronet", Country = "PL", JobDelegates = ["lt-rc"] },
        ["5d1c6c1e-0a8f-4a36-9a5e-000000000301"] = new() { Organisation = "lt-rc", Name = "Registers", Country = "LT" },
    });

    private static Caller As(string country, params string[] roles) =>
        new(new Actor($"{country.ToLowerInvariant()}-authority", country, "app", "pseudonym"), roles.ToHashSet(), "5d1c6c1e-0a8f-4a36-9a5e-000000000999");

    [Fact]
    public void A_record_listing_only_the_operators_country_concerns_the_country_of_the_training_system_that_reported_it()
    {
        JobReaders.Include("LT", ["PL"], "lt-rc", Tenants).ShouldBeTrue();
        JobReaders.Include("PL", ["PL"], "lt-rc", Tenants).ShouldBeTrue();
        JobReaders.Include("EE", ["PL"], "lt-rc", Tenants).ShouldBeFalse();
        JobReaders.Include("LT", ["PL"], "pl-cyfronet", Tenants).ShouldBeFalse();
        JobReaders.Include("LT", ["PL"], null, Tenants).ShouldBeFalse();
    }

    [Fact]
    public void Auditing_is_limited_to_what_reached_the_regulators_feed_whatever_its_other_roles()
    {
        ProvenanceReadAccess.CanAudit(As("LT", Roles.Regulator), ["PL"], "lt-rc", Tenants).ShouldBeTrue();
        ProvenanceReadAccess.CanAudit(As("EE", Roles.Regulator, Roles.DataOwner), ["PL"], "lt-rc", Tenants).ShouldBeFalse();
        ProvenanceReadAccess.CanAudit(As("EE", Roles.Auditor), ["PL"], "lt-rc", Tenants).ShouldBeTrue();
        ProvenanceReadAccess.CanAudit(As(TenantMap.EuCountry, Roles.Regulator), ["PL"], "lt-rc", Tenants).ShouldBeTrue();
    }
}
