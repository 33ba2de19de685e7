using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance;
using BalticAI.Sovereignty.Api.Provenance.IngestingLineage;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Provenance.Propagating;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.TrainingJobs;
using JasperFx.Events;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>
/// A Polish operator's job on a Polish site whose model goes to Latvia, reported by a Lithuanian training system:
/// every provenance record of it lists all of those countries, and the data's.
/// </summary>
public sealed class ProvenanceCountriesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    private static TrainingJob Job(ModelRecipient? recipient) => new(
        Guid.NewGuid(), "lt-rc", "pl-cyfronet", "PL", JobPurpose.Research, false, false, false, Guid.NewGuid(), "PL",
        new ModelReference("bielik", "1.0", null), null, recipient, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 31), Now, []);

    [Fact]
    public void A_record_lists_the_site_operator_recipient_training_system_and_data_countries_once_each()
    {
        var countries = ProvenanceCountries.Of(Job(new ModelRecipient("LV", false)), "LT", ["EE", "PL", "EE"]);

        countries.ShouldBe(["EE", "LT", "LV", "PL"]);
    }

    [Fact]
    public void A_job_without_a_recipient_run_by_its_operators_system_lists_the_one_country()
    {
        ProvenanceCountries.Of(Job(recipient: null), "PL", []).ShouldBe(["PL"]);
    }

    [Fact]
    public void A_run_report_lists_the_recipients_and_the_training_systems_countries()
    {
        var job = Job(new ModelRecipient("LV", false));
        var report = new OpenLineageRunEvent("START", Now, new OpenLineageRun(Guid.NewGuid()), new OpenLineageJob("balticai://training-jobs", job.Id.ToString()),
            [], [], "https://github.com/balticai/test-trainer", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");

        var outcome = RunReportDecision.Decide(report, "sha256:00", job, "LT", null, new Dictionary<Guid, DatasetView>(), [], Now);

        outcome.Recorded.ShouldNotBeNull().Countries.ShouldBe(["LT", "LV", "PL"]);
    }

    [Fact]
    public void A_model_version_lists_the_recipients_and_the_training_systems_countries()
    {
        var prepared = Register(Job(new ModelRecipient("LV", false)), "LT");

        prepared.Registered.Countries.ShouldBe(["LT", "LV", "PL"]);
    }

    [Fact]
    public void A_flag_reaches_the_training_systems_country_also_for_a_model_version_registered_before_it_was_listed()
    {
        var dataset = Guid.NewGuid();
        // As recorded before this broker listed the training system's country: the site's and operator's only.
        var legacy = ModelVersionView.Create(Register(Job(recipient: null), "LT").Registered with { Countries = ["PL"] });
        var withdrawn = new Event<DatasetWithdrawn>(new DatasetWithdrawn(dataset, WithdrawalReason.ErasureRequest, null, Now, ["PL"])) { StreamId = dataset };
        var edge = new LineageEdge { Id = "edge", DatasetId = dataset, DatasetVersion = 1, Kind = LineageEdge.ModelVersionKind, ModelVersionId = legacy.Id };
        var tenants = new TenantMap(new Dictionary<string, TenantEntry>
        {
            [Guid.NewGuid().ToString()] = new() { Organisation = "lt-rc", Name = "Lithuanian research centre", Country = "LT" },
        });

        var flags = LineageFlagger.Flags(withdrawn, [edge], new Dictionary<Guid, ModelVersionView> { [legacy.Id] = legacy }, new Dictionary<Guid, TrainingJob>(), tenants, Now);

        flags.Single().Countries.ShouldBe(["LT", "PL"]);
    }

    [Fact]
    public void A_flag_and_its_lifting_reach_the_model_recipients_country_also_for_a_model_version_registered_before_it_was_listed()
    {
        var dataset = Guid.NewGuid();
        var job = Job(new ModelRecipient("LV", false));
        // As recorded before this broker listed the recipient's country: the site's and operator's only.
        var legacy = ModelVersionView.Create(Register(job, "PL").Registered with { Countries = ["PL"] });
        var models = new Dictionary<Guid, ModelVersionView> { [legacy.Id] = legacy };
        var jobs = new Dictionary<Guid, TrainingJob> { [job.Id] = job };
        var restricted = new Event<DatasetRestricted>(new DatasetRestricted(dataset, RestrictionReason.ObjectionPending, null, Now, ["PL"])) { StreamId = dataset };
        var edge = new LineageEdge { Id = "edge", DatasetId = dataset, DatasetVersion = 1, Kind = LineageEdge.ModelVersionKind, ModelVersionId = legacy.Id };
        var tenants = new TenantMap(new Dictionary<string, TenantEntry>
        {
            [Guid.NewGuid().ToString()] = new() { Organisation = "pl-cyfronet", Name = "ACK Cyfronet AGH", Country = "PL" },
        });

        var flag = LineageFlagger.Flags(restricted, [edge], models, jobs, tenants, Now).Single();
        var lifted = LineageFlagger.Unflags(
            new Event<DatasetRestrictionLifted>(new DatasetRestrictionLifted(dataset, RestrictionLiftReason.ObjectionRejected, null, Now, ["PL"])) { StreamId = dataset },
            new Dictionary<Guid, ModelVersionView> { [legacy.Id] = legacy.Apply(flag) }, jobs, tenants, Now);

        flag.Countries.ShouldBe(["LV", "PL"]);
        lifted.Single().Countries.ShouldBe(["LV", "PL"]);
    }

    private static PreparedModelVersion Register(TrainingJob job, string trainingSystemCountry) => ModelVersionRegistrar.Build(
        Guid.NewGuid(), job, trainingSystemCountry, new ModelVersionRequest("bielik", "1.0", "sha256:00", null, [], null, "/version", "/baseModel", "/jobId"),
        null, null, new Dictionary<Guid, Grant>(), new Dictionary<Guid, AccessDecided>(), new Dictionary<Guid, Dataset>(),
        new Dictionary<string, LicenceTerms>(), Now);
}
