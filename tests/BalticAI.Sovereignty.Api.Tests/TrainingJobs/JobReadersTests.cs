using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>The rule the job, grant and provenance routes share; a Polish operator delegates to a Lithuanian training system.</summary>
public sealed class JobReadersTests
{
    private static readonly TenantMap Tenants = new(new Dictionary<string, TenantEntry>
    {
        ["5d1c6c1e-0a8f-4a36-9a5e-000000000104"] = new() { Organisation = "pl-cyfronet", Name = "Cyfronet", Country = "PL", JobDelegates = ["lt-rc"] },
        ["5d1c6c1e-0a8f-4a36-9a5e-000000000301"] = new() { Organisation = "lt-rc", Name = "Registers", Country = "LT" },
    });

    [Theory]
    [InlineData("PL", true)]
    [InlineData("LV", true)]
    [InlineData("EE", false)]
    [InlineData("pl", false)]
    public void A_country_the_record_lists_reads_it(string country, bool reads) =>
        JobReaders.Include(country, ["PL", "LV"], "pl-cyfronet", Tenants).ShouldBe(reads);

    [Fact]
    public void The_country_of_the_jobs_training_system_reads_a_record_that_does_not_list_it()
    {
        JobReaders.Include("LT", ["PL"], "lt-rc", Tenants).ShouldBeTrue();
        JobReaders.Include("EE", ["PL"], "lt-rc", Tenants).ShouldBeFalse();
    }

    [Fact]
    public void Without_a_training_system_only_the_listed_countries_read()
    {
        JobReaders.Include("LT", ["PL"], null, Tenants).ShouldBeFalse();
        JobReaders.Include("PL", ["PL"], null, Tenants).ShouldBeTrue();
    }

    [Fact]
    public void A_training_system_not_on_the_tenant_map_adds_no_country()
    {
        JobReaders.Include("LT", ["PL"], "unknown-org", Tenants).ShouldBeFalse();
    }
}
