using BalticAI.Sovereignty.Api.Provenance.Exporting;

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
}
