using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;

namespace BalticAI.Sovereignty.Api.Provenance.Exporting;

/// <summary>
/// A W3C PROV-JSON document (https://www.w3.org/submissions/prov-json/) built from recorded facts:
/// dataset and model versions are entities, runs (or jobs, when no run was reported) activities,
/// organisations agents. Pure: the same facts give the same document.
/// </summary>
public sealed class ProvDocument
{
    private readonly JsonObject _entity = [];
    private readonly JsonObject _activity = [];
    private readonly JsonObject _agent = [];
    private readonly SortedDictionary<string, JsonObject> _relations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _numbered = new(StringComparer.Ordinal);

    /// <summary>
    /// The blank-node prefix of each relation kind. PROV gives a relation's identifier to that relation alone
    /// (PROV-CONSTRAINTS, key constraints), so no two kinds may number from the same prefix: with initials, a
    /// generation, a derivation, an association and an attribution would all have been `_:w000001`, one node to an
    /// RDF store.
    /// </summary>
    private static readonly (string Kind, string Prefix)[] Kinds =
    [
        ("used", "u"), ("wasGeneratedBy", "g"), ("wasDerivedFrom", "d"), ("specializationOf", "s"), ("wasAssociatedWith", "a"), ("wasAttributedTo", "t"),
        ("wasInvalidatedBy", "i"),
    ];

    public static string DatasetVersion(Guid datasetId, int version) => $"dataset:{datasetId}/{version}";

    /// <summary>A dataset as a whole, of which each version is a specialisation; derivation between datasets is recorded at this level.</summary>
    public static string Dataset(Guid datasetId) => $"dataset:{datasetId}";

    public static string ModelVersion(string modelId, string version) => $"model:{modelId}/{version}";

    public static string Organisation(string organisation) => $"org:{organisation}";

    public static string ActivityOf(Guid jobId, Guid? runId) => runId is { } run ? $"run:{run}" : $"job:{jobId}";

    public ProvDocument Entity(string id, string type, params (string Key, JsonNode? Value)[] attributes) => Add(_entity, id, type, attributes);

    public ProvDocument Activity(string id, string type, params (string Key, JsonNode? Value)[] attributes) => Add(_activity, id, type, attributes);

    /// <summary>
    /// A PROV-JSON typed literal (`"$"` is always a string in the submission's schema): a bare "true" would be read
    /// as an xsd:string, and a query for flagged models would compare text.
    /// </summary>
    public static JsonNode Boolean(bool value) => new JsonObject { ["$"] = value ? "true" : "false", ["type"] = "xsd:boolean" };

    public ProvDocument Agent(string id) => Add(_agent, id, "prov:Organization", []);

    public ProvDocument Used(string activity, string entity) => Relate("used", ("prov:activity", activity), ("prov:entity", entity));

    public ProvDocument WasGeneratedBy(string entity, string activity) => Relate("wasGeneratedBy", ("prov:entity", entity), ("prov:activity", activity));

    public ProvDocument WasDerivedFrom(string generated, string used) => Relate("wasDerivedFrom", ("prov:generatedEntity", generated), ("prov:usedEntity", used));

    public ProvDocument SpecializationOf(string specific, string general) => Relate("specializationOf", ("prov:specificEntity", specific), ("prov:generalEntity", general));

    public ProvDocument WasAssociatedWith(string activity, string agent) => Relate("wasAssociatedWith", ("prov:activity", activity), ("prov:agent", agent));

    public ProvDocument WasAttributedTo(string entity, string agent) => Relate("wasAttributedTo", ("prov:entity", entity), ("prov:agent", agent));

    /// <summary>A withdrawn dataset or version: PROV's invalidation, the end of the entity's usability, at the withdrawal's time.</summary>
    public ProvDocument WasInvalidatedBy(string entity, DateTimeOffset at) =>
        Relate("wasInvalidatedBy", ("prov:entity", entity), ("prov:time", at.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A model version, the activity that generated it and who ran it, and its base model.</summary>
    public ProvDocument Model(ModelVersionView model)
    {
        var entity = ModelVersion(model.ModelId, model.Version);
        var activity = ActivityOf(model.JobId, model.RunId);
        Entity(entity, "balticai:ModelVersion", ("balticai:digest", model.Digest), ("balticai:licence", model.Licence),
            ("balticai:flagged", Boolean(model.IsFlagged)), ("balticai:nonCommercial", Boolean(model.Restrictions.NonCommercial)));
        Activity(activity, model.RunId is null ? "balticai:TrainingJob" : "balticai:TrainingRun", ("balticai:job", model.JobId.ToString()), ("balticai:site", model.SiteId.ToString()));
        Agent(Organisation(model.TrainingSystem)).Agent(Organisation(model.Operator));
        WasGeneratedBy(entity, activity).WasAssociatedWith(activity, Organisation(model.TrainingSystem)).WasAttributedTo(entity, Organisation(model.Operator));
        if (model.BaseModel is { } baseModel)
        {
            var baseEntity = ModelVersion(baseModel.ModelId, baseModel.Version);
            if (baseModel.ModelVersionId is null)
            {
                Entity(baseEntity, "balticai:ExternalModel", ("balticai:licence", baseModel.Licence));
            }
            WasDerivedFrom(entity, baseEntity).Used(activity, baseEntity);
        }
        return this;
    }

    public JsonObject ToJson()
    {
        var document = new JsonObject
        {
            ["prefix"] = new JsonObject
            {
                ["balticai"] = "https://balticai.eu/ns/provenance#",
                ["dataset"] = "balticai://datasets/",
                ["model"] = "balticai://models/",
                ["run"] = "balticai://runs/",
                ["job"] = "balticai://training-jobs/",
                ["org"] = "balticai://organisations/",
            },
            ["entity"] = _entity.DeepClone(),
            ["activity"] = _activity.DeepClone(),
            ["agent"] = _agent.DeepClone(),
        };
        foreach (var (relation, _) in Kinds)
        {
            var entries = new JsonObject();
            foreach (var (key, value) in _relations.Where(r => r.Key.StartsWith(relation + "|", StringComparison.Ordinal)))
            {
                entries[key[(relation.Length + 1)..]] = value.DeepClone();
            }
            document[relation] = entries;
        }
        return document;
    }

    private ProvDocument Add(JsonObject section, string id, string type, (string Key, JsonNode? Value)[] attributes)
    {
        if (section.ContainsKey(id))
        {
            return this;
        }
        var node = new JsonObject { ["prov:type"] = type };
        foreach (var (key, value) in attributes.Where(a => a.Value is not null))
        {
            node[key] = value;
        }
        section[id] = node;
        return this;
    }

    /// <summary>Each distinct relation once, with a blank-node id numbered per kind in the order first stated.</summary>
    private ProvDocument Relate(string kind, params (string Key, string Value)[] ends)
    {
        if (!_stated.Add(kind + "|" + string.Join("|", ends.Select(e => e.Value))))
        {
            return this;
        }
        var number = _numbered[kind] = _numbered.GetValueOrDefault(kind) + 1;
        var node = new JsonObject();
        foreach (var (key, value) in ends)
        {
            node[key] = value;
        }
        _relations[$"{kind}|_:{Kinds.Single(k => k.Kind == kind).Prefix}{number:D6}"] = node;
        return this;
    }
}
