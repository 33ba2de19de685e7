using BalticAI.Sovereignty.Api.Provenance.Exporting;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

public sealed class ProvDocumentTests
{
    private static readonly string[] RelationKinds = ["used", "wasGeneratedBy", "wasDerivedFrom", "specializationOf", "wasAssociatedWith", "wasAttributedTo"];

    /// <summary>PROV gives a relation's identifier to that relation alone; an RDF store would merge two that share one.</summary>
    [Fact]
    public void Every_relation_has_an_identifier_of_its_own_across_kinds()
    {
        var dataset = ProvDocument.DatasetVersion(Guid.NewGuid(), 1);
        var model = ProvDocument.ModelVersion("bielik", "2.0");
        var run = ProvDocument.ActivityOf(Guid.NewGuid(), Guid.NewGuid());
        var org = ProvDocument.Organisation("pl-cyfronet");

        var json = new ProvDocument()
            .Used(run, dataset).WasGeneratedBy(model, run).WasDerivedFrom(model, dataset)
            .SpecializationOf(dataset, ProvDocument.Dataset(Guid.NewGuid())).WasAssociatedWith(run, org).WasAttributedTo(model, org)
            .Used(run, ProvDocument.DatasetVersion(Guid.NewGuid(), 2)).WasDerivedFrom(model, ProvDocument.DatasetVersion(Guid.NewGuid(), 3))
            .Used(run, dataset)
            .ToJson();

        var ids = RelationKinds.SelectMany(kind => json[kind]!.AsObject().Select(relation => relation.Key)).ToList();
        ids.Count.ShouldBe(8, "each distinct relation once: the repeated use is stated once");
        ids.ShouldBeUnique();
        ids.ShouldAllBe(id => id.StartsWith("_:", StringComparison.Ordinal));
        json["used"]!.AsObject().Select(r => r.Key).ShouldBe(["_:u000001", "_:u000002"]);
    }

    /// <summary>A plain "true" is an xsd:string to a PROV reader (ProvToolbox, the prov package): booleans are typed literals.</summary>
    [Fact]
    public void A_model_versions_flags_are_typed_booleans_and_text_stays_text()
    {
        var view = new ModelVersionView(Guid.NewGuid(), "bielik", "2.0", "sha256:" + new string('a', 64), "CC-BY-NC-4.0", Guid.NewGuid(), null,
            "pl-cyfronet", "pl-cyfronet", Guid.NewGuid(), "PL", false, null, [],
            new ModelRestrictions(true, false, false, false, [], [], []), DateTimeOffset.UnixEpoch, ["PL"], []);

        var entity = new ProvDocument().Model(view).ToJson()["entity"]![ProvDocument.ModelVersion("bielik", "2.0")]!;

        entity["balticai:flagged"]!.ToJsonString().ShouldBe("""{"$":"false","type":"xsd:boolean"}""");
        entity["balticai:nonCommercial"]!.ToJsonString().ShouldBe("""{"$":"true","type":"xsd:boolean"}""");
        entity["balticai:licence"]!.GetValue<string>().ShouldBe("CC-BY-NC-4.0");
    }
}
