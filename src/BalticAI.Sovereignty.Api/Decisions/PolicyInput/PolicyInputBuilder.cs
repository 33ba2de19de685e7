using System.Globalization;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Api.Decisions.PolicyInput;

/// <summary>Everything one decision is taken on: recorded facts only, never what a job says of itself.</summary>
public sealed record DecisionFacts(
    Dataset Dataset,
    DatasetVersion Version,
    IReadOnlyList<AncestorVersion> Ancestors,
    TrainingJob Job,
    ComputeSite Site,
    TenantEntry Operator,
    Actor Caller,
    DateTimeOffset Time,
    long DatasetRevision)
{
    /// <summary>
    /// The countries a decision (or refusal) on these facts concerns: the job's, the training system's (which hears of
    /// the grant's redemptions and revocations), the dataset's and the site's. The job's include its model's recipient,
    /// on whose transfer the policy decides.
    /// </summary>
    public IReadOnlyList<string> ConcernedCountries() => ProvenanceCountries.Of(Job, Caller.Country, Dataset.Countries.Append(Site.Country));
}

/// <summary>
/// Maps recorded facts onto the policy input contract (schemas/policy-input.schema.json). Pure, so the
/// same facts always give the same input, and the input's digest names exactly what was decided on.
/// </summary>
public static class PolicyInputBuilder
{
    /// <summary>The contract leaves optional objects out rather than null; these are dropped when absent.</summary>
    private static readonly (string Parent, string Property)[] OmittedWhenAbsent =
        [("dataset.origin", "crawler"), ("dataset.terms", "reuseConditions"), ("job", "baseModel"), ("job", "recipient")];

    public static JsonObject Build(DecisionFacts facts) => WithoutAbsent(Compose(facts));

    private static JsonObject WithoutAbsent(JsonObject input)
    {
        foreach (var (parent, property) in OmittedWhenAbsent)
        {
            var owner = parent.Split('.').Aggregate((JsonNode)input, (node, key) => node[key]!).AsObject();
            if (owner[property] is null)
            {
                owner.Remove(property);
            }
        }
        return input;
    }

    private static JsonObject Compose(DecisionFacts facts) => new()
    {
        ["dataset"] = Dataset(facts.Dataset, facts.Version, facts.Ancestors),
        ["job"] = Job(facts.Job, facts.Operator),
        ["site"] = Site(facts.Site),
        ["caller"] = new JsonObject
        {
            ["organisation"] = facts.Caller.Organisation,
            ["country"] = facts.Caller.Country,
            ["application"] = facts.Caller.Application,
        },
        ["time"] = Instant(facts.Time),
    };

    private static JsonObject Dataset(Dataset dataset, DatasetVersion version, IReadOnlyList<AncestorVersion> ancestors)
    {
        var terms = dataset.Terms;
        var evidence = terms.Evidence;
        return new JsonObject
        {
            ["id"] = dataset.Id.ToString(),
            ["version"] = version.Number.ToString(CultureInfo.InvariantCulture),
            ["title"] = terms.Title,
            ["owner"] = Party(dataset.Owner, dataset.OwnerCountry),
            ["controller"] = terms.Controller,
            ["countryOfOrigin"] = terms.Sovereignty.OriginCountry,
            ["storage"] = new JsonObject { ["site"] = terms.Sovereignty.Storage.Site, ["country"] = terms.Sovereignty.Storage.Country },
            ["residency"] = new JsonObject { ["constraint"] = Residency(terms.Sovereignty.Residency) },
            ["origin"] = new JsonObject
            {
                ["sourceType"] = DatasetView.Token(terms.Origin.SourceType),
                ["sourceUri"] = terms.Origin.SourceUri,
                ["collectionPeriod"] = new JsonObject
                {
                    ["start"] = Date(terms.Origin.CollectionPeriod?.From),
                    ["end"] = Date(terms.Origin.CollectionPeriod?.To),
                },
                ["crawler"] = terms.Origin.Crawler is { } crawler
                    ? new JsonObject
                    {
                        ["name"] = crawler.UserAgent,
                        ["optOutEvidence"] = evidence.TdmOptOutCheck?.Reference,
                        // The training-content summary reports how the crawl treated opt-outs (rules/gpai).
                        ["honoursRobotsTxt"] = crawler.HonoursRobotsTxt,
                        ["honoursTdmReservationProtocol"] = crawler.HonoursTdmReservationProtocol,
                        ["excludedDomains"] = Strings(crawler.ExcludedDomains),
                    }
                    : null,
                ["tdmOptOut"] = terms.Origin.TdmReserved,
                ["licenceEvidence"] = evidence.PublisherLicence?.Reference,
            },
            ["licensing"] = new JsonObject
            {
                ["licence"] = terms.Licensing.Licence,
                ["restrictions"] = Tokens(terms.Licensing.Restrictions),
                ["copyrightBasis"] = DatasetView.Token(terms.Licensing.CopyrightBasis),
            },
            ["personalData"] = new JsonObject
            {
                ["contains"] = terms.PersonalData.ContainsPersonalData,
                ["specialCategories"] = Tokens(terms.PersonalData.SpecialCategories),
                ["lawfulBasis"] = terms.PersonalData.LawfulBasis is { } basis ? DatasetView.Token(basis) : null,
                ["originalPurpose"] = terms.PersonalData.OriginalPurpose,
                ["dpiaReference"] = evidence.Dpia?.Reference,
                ["pseudonymisation"] = terms.PersonalData.PseudonymisationMethod,
                ["dataSubjects"] = terms.PersonalData.DataSubjects,
            },
            ["sector"] = new JsonObject
            {
                ["health"] = terms.Sector.Health,
                ["publicSector"] = terms.Sector.PublicSector,
                ["classified"] = terms.Sector.Classified,
                ["securityClass"] = terms.Sector.SecurityClass?.Class,
                ["protectedCategories"] = Tokens(terms.Sector.ProtectedCategories),
                ["permitReference"] = evidence.DataPermit?.Reference,
            },
            ["documentation"] = new JsonObject
            {
                ["origin"] = terms.Origin.SourceUri ?? terms.Description,
                ["collectionMethod"] = terms.Origin.CollectionMethod,
                ["preparationSteps"] = Strings(terms.Origin.PreparationSteps),
                ["knownBiases"] = Strings(terms.Content.KnownBiases),
            },
            ["terms"] = new JsonObject
            {
                ["evidence"] = new JsonObject
                {
                    ["dpia"] = evidence.Dpia?.Reference,
                    ["art9Exception"] = evidence.Art9Exception?.Reference,
                    ["purposeCompatibility"] = evidence.PurposeCompatibility?.Reference,
                    ["chapterVSafeguard"] = evidence.ChapterVSafeguard?.Reference,
                    ["tdmOptOutCheck"] = evidence.TdmOptOutCheck?.Reference,
                    ["dataPermit"] = evidence.DataPermit?.Reference,
                    ["publisherLicence"] = evidence.PublisherLicence?.Reference,
                },
                ["permittedPurposes"] = Strings(terms.Use.PermittedPurposes),
                ["expiry"] = EndOfDay(terms.Use.Expires),
                ["reuseConditions"] = terms.Use.ReuseConditions is { } conditions
                    ? new JsonObject
                    {
                        ["reference"] = conditions.Reference,
                        ["permittedPurposes"] = Strings(conditions.PermittedPurposes),
                        ["secureProcessingEnvironment"] = conditions.SecureProcessingEnvironment,
                        ["allowedCountries"] = Strings(conditions.AllowedCountries),
                    }
                    : null,
            },
            ["status"] = DatasetView.Token(dataset.Status),
            ["content"] = new JsonObject
            {
                ["digest"] = version.Digest,
                ["sizeBytes"] = version.SizeBytes,
                ["tokens"] = version.Tokens,
                ["languages"] = Strings(version.Languages),
                ["modality"] = DatasetView.Token(terms.Content.Modality),
            },
            ["derivedFrom"] = new JsonArray(ancestors.Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.DatasetId.ToString(),
                ["version"] = p.Version?.ToString(CultureInfo.InvariantCulture) ?? "",
                ["status"] = p.Status,
            }).ToArray()),
        };
    }

    private static JsonObject Job(TrainingJob job, TenantEntry operatorEntry) => new()
    {
        ["id"] = job.Id.ToString(),
        ["operator"] = new JsonObject { ["organisation"] = job.Operator, ["country"] = job.OperatorCountry, ["type"] = operatorEntry.Type },
        ["purpose"] = DatasetView.Token(job.Purpose),
        ["commercial"] = job.Commercial,
        ["generalPurposeModel"] = job.GeneralPurposeModel,
        ["highRiskSystem"] = job.HighRiskSystem,
        ["site"] = job.SiteId.ToString(),
        ["model"] = Model(job.Model),
        ["baseModel"] = job.BaseModel is null ? null : Model(job.BaseModel),
        ["plannedStart"] = Instant(new DateTimeOffset(job.PlannedStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
        ["plannedEnd"] = EndOfDay(job.PlannedEnd),
        ["recipient"] = job.Recipient is { } r ? new JsonObject { ["country"] = r.Country, ["dpfCertified"] = r.DpfCertified } : null,
    };

    /// <summary>
    /// The input's `site` object. Public because a site amendment re-decides recorded decisions on the site's
    /// new facts (GrantRevoker), and those must read the site exactly as a live decision would.
    /// </summary>
    public static JsonObject Site(ComputeSite site)
    {
        var facts = new JsonObject
        {
            ["id"] = site.Id.ToString(),
            ["country"] = site.Country,
            ["operator"] = site.Operator,
            ["accreditations"] = Strings(site.Accreditations),
            ["securityClasses"] = Strings(site.SecurityClasses),
            ["dataEmbassy"] = site.DataEmbassyFor is not null,
        };
        if (site.DataEmbassyFor is { } state)
        {
            facts["dataEmbassyFor"] = state;
        }
        facts["dpfCertified"] = site.DpfCertified;
        return facts;
    }

    /// <summary>
    /// Pure: a recorded input with its `dataset` object rebuilt from <paramref name="dataset"/> (amended terms), for the
    /// version it named; the sources it derives from (`derivedFrom`) and the rest as recorded. Their withdrawal or
    /// restriction revokes on its own.
    /// </summary>
    public static JsonObject WithDataset(JsonObject recorded, Dataset dataset)
    {
        var input = recorded.DeepClone().AsObject();
        var named = int.Parse(input["dataset"]!["version"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var facts = Dataset(dataset, dataset.Versions.Single(v => v.Number == named), []);
        facts["derivedFrom"] = input["dataset"]!["derivedFrom"]?.DeepClone() ?? new JsonArray();
        input["dataset"] = facts;
        return WithoutAbsent(input);
    }

    /// <summary>Pure: a recorded input with its `site` object replaced by <paramref name="site"/>'s facts; the rest as recorded.</summary>
    public static JsonObject WithSite(JsonObject recorded, ComputeSite site)
    {
        var input = recorded.DeepClone().AsObject();
        input["site"] = Site(site);
        return input;
    }

    private static JsonObject Model(ModelReference model) => new() { ["name"] = model.Name, ["version"] = model.Version, ["licence"] = model.Licence };

    private static JsonObject Party(string organisation, string country) => new() { ["organisation"] = organisation, ["country"] = country };

    private static string Residency(Residency residency) => residency switch
    {
        Datasets.Residency.National => "national",
        Datasets.Residency.Eea => "eea",
        // Bundles before balticai-default-2026.11.4 know no such token and refuse it (fail closed).
        Datasets.Residency.EuEeaNato => "eu-eea-nato",
        _ => "none",
    };

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // The contract's instants are RFC 3339 date-times, which Rego's time.parse_rfc3339_ns reads and a bare
    // date is not. A recorded day ends where the broker's grants end (GrantRevoker.EndOf), so the policy and
    // the grant expiry agree on the last moment of the owner's terms and of the job.
    private static string? EndOfDay(DateOnly? day) => day is { } d ? Instant(GrantRevoker.EndOf(d)) : null;

    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static JsonArray Tokens<TEnum>(IEnumerable<TEnum> values) where TEnum : struct, Enum =>
        new(values.Select(v => (JsonNode)JsonValue.Create(DatasetView.Token(v))).ToArray());
}
