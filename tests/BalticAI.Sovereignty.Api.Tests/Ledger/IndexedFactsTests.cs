using System.Reflection;
using System.Text.Json.Serialization;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Marten.Events;
using Weasel.Core;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Ledger.LedgerEventsApi;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>Names its subjects the way every broker event does, in a type the index code never saw.</summary>
public sealed record ProbeModelTrained(Guid DatasetId, Guid JobId, string ModelId, string[] Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>Names no subject: it takes its stream's first subjects, as a grant's redemption does.</summary>
public sealed record ProbeModelNoted(int Step);

/// <summary>A member named DatasetId that holds no uuid must leave the index's column empty, not fail the page.</summary>
public sealed record ProbeOddlyNamed(string DatasetId);

[Collection(LedgerCollection.Name)]
public sealed class IndexedFactsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    /// <summary>
    /// The index reads subjects and countries from the stored JSON by member name, where the broker's
    /// own code reads them by type: the two agree only while every event type follows the convention.
    /// </summary>
    [Fact]
    public void Every_registered_event_type_names_its_subjects_and_countries_as_the_index_reads_them()
    {
        var store = (DocumentStore)broker.Services.GetRequiredService<IDocumentStore>();
        store.Options.Serializer().Casing.ShouldBe(Casing.Default, "the index reads members by their C# names");
        // Other tests append probe types of their own; the convention binds the broker's events.
        var types = ((EventGraph)store.Options.Events).AllKnownEventTypes().Select(e => e.EventType).Where(t => t.Assembly == typeof(AccessDecided).Assembly).ToList();
        types.ShouldContain(typeof(AccessDecided));
        types.ShouldContain(typeof(TrainingJobRegistered));

        var violations = types.SelectMany(Violations).ToList();

        violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Events_of_a_type_the_index_never_saw_are_indexed_by_convention_and_a_subjectless_one_inherits_its_streams_subjects()
    {
        var dataset = Guid.NewGuid();
        var job = Guid.NewGuid();
        var model = $"probe-model-{Guid.NewGuid():N}";
        var stream = Guid.NewGuid();
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.RecordActor(new Actor("lt-probe", "lt", "probe-app", "ps:probe"));
            session.Events.StartStream(stream, new ProbeModelNoted(0), new ProbeModelTrained(dataset, job, model, ["ee", "PL", "EE"]), new ProbeModelNoted(1));
            session.Events.StartStream(Guid.NewGuid(), new ProbeOddlyNamed("not-a-uuid"));
            await session.SaveChangesAsync();
        }
        await using (var later = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            later.RecordActor(new Actor("eu-probe", "EU", "probe-app", "ps:probe"));
            later.Events.Append(stream, new ProbeModelNoted(2));
            await later.SaveChangesAsync();
        }

        var byDataset = await WaitForAsync(Auditor(broker), $"?dataset={dataset}", i => i.Count == 3);
        var byJob = await WaitForAsync(Auditor(broker), $"?job={job}", i => i.Count == 3);
        var byModel = await WaitForAsync(Auditor(broker), $"?model={model}", i => i.Count == 3);

        byDataset.Select(Type).ShouldBe(["probe_model_trained", "probe_model_noted", "probe_model_noted"]);
        byJob.Select(i => i["sequence"]!.GetValue<long>()).ShouldBe(byDataset.Select(i => i["sequence"]!.GetValue<long>()));
        byModel.Select(i => i["sequence"]!.GetValue<long>()).ShouldBe(byDataset.Select(i => i["sequence"]!.GetValue<long>()));
        Countries(byDataset[0]).ShouldBe(["EE", "LT", "PL"], "the event's own, upper-cased and once each, plus the actor's, in ordinal order");
        Countries(byDataset[1]).ShouldBe(["LT"], "a subjectless event keeps its own countries");
        Countries(byDataset[2]).ShouldBeEmpty("an EU actor adds no country; the EU feed takes every event anyway");
        var noted = await WaitForAsync(Auditor(broker), "?type=probe_model_noted", i => i.Count == 3);
        noted.ShouldAllBe(i => i["stream"]!.GetValue<string>() == stream.ToString());
        noted[0]["sequence"]!.GetValue<long>().ShouldBeLessThan(byDataset[0]["sequence"]!.GetValue<long>(),
            "the event before the stream's first subjects is indexed, without subjects: it is not among the dataset's");
        (await WaitForAsync(Auditor(broker), "?type=probe_oddly_named", i => i.Count == 1)).Single()["stream"].ShouldNotBeNull();
    }

    private static string[] Countries(System.Text.Json.Nodes.JsonObject item) =>
        item["countries"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();

    private static IEnumerable<string> Violations(Type type)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .ToDictionary(p => p.Name);
        var countries = properties.GetValueOrDefault("Countries");
        if (typeof(ILedgerEvent).IsAssignableFrom(type) && (countries is null || !typeof(IEnumerable<string>).IsAssignableFrom(countries.PropertyType)))
        {
            yield return $"{type.Name} is a ledger event without a serialised public Countries";
        }
        if (!typeof(ILedgerEvent).IsAssignableFrom(type) && countries is not null)
        {
            yield return $"{type.Name} has Countries but is not a ledger event";
        }
        foreach (var name in new[] { "DatasetId", "JobId" })
        {
            if (properties.GetValueOrDefault(name) is { } p && p.PropertyType != typeof(Guid) && p.PropertyType != typeof(Guid?))
            {
                yield return $"{type.Name}.{name} is a {p.PropertyType.Name}, not a Guid";
            }
        }
        if (properties.GetValueOrDefault("ModelId") is { } modelId && modelId.PropertyType != typeof(string))
        {
            yield return $"{type.Name}.ModelId is a {modelId.PropertyType.Name}, not a string";
        }
        if (properties.GetValueOrDefault("Model") is { } reference && reference.PropertyType != typeof(ModelReference))
        {
            yield return $"{type.Name}.Model is a {reference.PropertyType.Name}, not a ModelReference";
        }
    }
}
