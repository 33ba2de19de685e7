using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Provenance;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

public sealed class RestrictionInheritanceTests
{
    private static readonly Dictionary<string, LicenceTerms> Licences = new()
    {
        ["Apache-2.0"] = new("Apache", CommercialUse: true, Derivatives: true, ShareAlike: false, ResearchOnly: false),
        ["CC-BY-4.0"] = new("CC BY", CommercialUse: true, Derivatives: true, ShareAlike: false, ResearchOnly: false),
        ["CC-BY-NC-4.0"] = new("CC BY-NC", CommercialUse: false, Derivatives: true, ShareAlike: false, ResearchOnly: false),
        ["CC-BY-SA-4.0"] = new("CC BY-SA", CommercialUse: true, Derivatives: true, ShareAlike: true, ResearchOnly: false),
    };

    private static RestrictionInheritance.DatasetInput Dataset(string licence, CopyrightBasis basis = CopyrightBasis.Owned, params LicenceRestriction[] restrictions) =>
        new($"dataset {licence}", new LicensingTerms { Licence = licence, CopyrightBasis = basis, Restrictions = restrictions });

    [Fact]
    public void Open_inputs_leave_an_open_model_unrestricted()
    {
        var inherited = RestrictionInheritance.Inherit([Dataset("CC-BY-4.0")], null, "Apache-2.0", Licences);

        inherited.NonCommercial.ShouldBeFalse();
        inherited.Sources.ShouldBeEmpty();
        inherited.LicenceConflicts.ShouldBeEmpty();
        inherited.InputLicences.ShouldBe(["CC-BY-4.0"]);
    }

    [Fact]
    public void A_non_commercial_licence_makes_the_model_non_commercial_and_conflicts_with_a_commercial_model_licence()
    {
        var inherited = RestrictionInheritance.Inherit([Dataset("CC-BY-4.0"), Dataset("CC-BY-NC-4.0")], null, "Apache-2.0", Licences);

        inherited.NonCommercial.ShouldBeTrue();
        inherited.Sources.ShouldContain(s => s.Restriction == ModelRestrictions.Nc && s.From == "dataset CC-BY-NC-4.0");
        inherited.LicenceConflicts.ShouldHaveSingleItem().ShouldContain("non-commercial");
    }

    [Fact]
    public void Research_exception_data_are_research_only_and_non_commercial()
    {
        var inherited = RestrictionInheritance.Inherit([Dataset("CC-BY-4.0", CopyrightBasis.TdmResearchException)], null, null, Licences);

        inherited.ResearchOnly.ShouldBeTrue();
        inherited.NonCommercial.ShouldBeTrue();
        inherited.LicenceConflicts.ShouldBeEmpty("a model without a declared licence has nothing to conflict with");
    }

    [Fact]
    public void A_fine_tune_inherits_its_bases_restrictions_with_the_base_named_as_their_source()
    {
        var baseRestrictions = RestrictionInheritance.Inherit([Dataset("CC-BY-SA-4.0", CopyrightBasis.Owned, LicenceRestriction.ResearchOnly)], null, null, Licences);

        var tune = RestrictionInheritance.Inherit([Dataset("CC-BY-4.0")], new RestrictionInheritance.BaseInput("model base version 1", "Apache-2.0", baseRestrictions), "Apache-2.0", Licences);

        tune.ResearchOnly.ShouldBeTrue();
        tune.ShareAlike.ShouldBeTrue();
        tune.Sources.ShouldAllBe(s => s.From == "model base version 1");
        tune.InputLicences.ShouldBe(["Apache-2.0", "CC-BY-4.0", "CC-BY-SA-4.0"]);
        tune.LicenceConflicts.Count.ShouldBe(3);
    }

    [Fact]
    public void Coverage_needs_a_redeemed_grant_of_the_version_and_an_unrevoked_one_while_reading()
    {
        var dataset = Guid.NewGuid();
        Grant Grant(int version, int redemptions, GrantStatus status = GrantStatus.Active) =>
            new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), dataset, version, Guid.NewGuid(), "pl-cyfronet", DateTimeOffset.UtcNow.AddDays(1), [], ["PL"],
                status, status == GrantStatus.Revoked ? "dataset-withdrawn:erasure-request" : null, redemptions, 0);

        GrantCoverage.Check(dataset, 1, [Grant(2, 1)], stillReading: true).Reason.ShouldNotBeNull();
        GrantCoverage.Check(dataset, 1, [Grant(1, 0)], stillReading: true).Reason!.ShouldContain("redeemed");
        GrantCoverage.Check(dataset, 1, [Grant(1, 1, GrantStatus.Revoked)], stillReading: true).Reason!.ShouldContain("revoked");
        GrantCoverage.Check(dataset, 1, [Grant(1, 1, GrantStatus.Revoked)], stillReading: false).Reason.ShouldBeNull();
        GrantCoverage.Check(dataset, 1, [Grant(1, 1)], stillReading: true).Covering.ShouldHaveSingleItem();
    }
}
