using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Feeds.Envelopes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.Security;
using JasperFx.Events;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

public sealed class EnvelopeFactoryTests
{
    [Fact]
    public void Type_is_the_kebab_case_event_name_under_the_broker_prefix()
    {
        EnvelopeFactory.TypeOf(typeof(ProbeDecisionMade)).ShouldBe("eu.baltic-ai.sovereignty.probe-decision-made");
    }

    [Fact]
    public void Free_text_is_dropped_at_any_depth_and_facts_are_kept()
    {
        var note = new ProbeNote("Quarterly audit", new NoteBody(12, "Jan Kowalski said ..."), ["PL"]);

        var json = JsonSerializer.SerializeToNode(note, FactsOnly.Options)!.ToJsonString();

        json.ShouldNotContain("Kowalski");
        json.ShouldNotContain("text");
        json.ShouldContain("\"pages\":12");
        json.ShouldContain("Quarterly audit");
    }

    /// <summary>
    /// A regulator reads the same terms in its feed as the API and the stored events use: a vocabulary's own
    /// kebab-case converter is not overridden, and an enum without one is still a string.
    /// </summary>
    [Fact]
    public void Vocabulary_terms_are_written_as_the_API_writes_them()
    {
        var withdrawn = new Api.Datasets.DatasetWithdrawn(Guid.NewGuid(), Api.Datasets.WithdrawalReason.ErasureRequest, "a note", DateTimeOffset.UnixEpoch, ["PL"]);
        var probe = new ProbeStatus(Api.Datasets.Residency.EuEeaNato, ProbeStage.SecondLook);

        var feed = JsonSerializer.SerializeToNode(withdrawn, FactsOnly.Options)!;
        var api = JsonSerializer.SerializeToNode(withdrawn, JsonSerializerOptions.Web)!;
        var status = JsonSerializer.SerializeToNode(probe, FactsOnly.Options)!;

        feed["reason"]!.GetValue<string>().ShouldBe("erasure-request");
        feed["reason"]!.GetValue<string>().ShouldBe(api["reason"]!.GetValue<string>());
        status["residency"]!.GetValue<string>().ShouldBe("eu-eea-nato");
        status["stage"]!.GetValue<string>().ShouldBe("SecondLook");
    }

    /// <summary>Every regulator reads who signed the policy in force: an activation goes to every feed, its signature with it.</summary>
    [Fact]
    public void An_activation_carries_the_signature_it_was_verified_with()
    {
        var activated = new Api.Policies.Lifecycle.PolicyBundleActivated("r1", "sha256:00", [], new JsonObject(), "embedded", null,
            new Api.Policies.Signing.BundleSignature("policy-board", "ES256", "balticai", [".manifest", "access/access.rego"], "e30.e30.c2ln"));

        var feed = JsonSerializer.SerializeToNode(activated, FactsOnly.Options)!;

        feed["signature"]!["keyId"]!.GetValue<string>().ShouldBe("policy-board");
        feed["signature"]!["files"]!.AsArray().Count.ShouldBe(2);
        feed["signature"]!["jwt"]!.GetValue<string>().ShouldBe("e30.e30.c2ln");
        activated.Countries.ShouldBe(FeedNames.Countries);
    }

    public static TheoryData<string> Events => ["decision with actor", "note without actor", "probe with free text"];

    [Theory]
    [MemberData(nameof(Events))]
    public void The_envelope_is_the_canonical_form_of_its_CloudEvents_object(string which)
    {
        var ledgerEvent = Sample(which);

        using var pooled = EnvelopeFactory.BuildPooled(ledgerEvent, EnvelopeFactory.Data(ledgerEvent), "PL", 42, "sha256:" + new string('c', 64));
        var built = pooled.Memory.ToArray();

        // The envelope as a node tree, member by member, canonicalised as a whole: what a verifier rebuilds.
        var actor = ledgerEvent.ReadActor();
        var expected = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = ledgerEvent.Id.ToString(),
            ["source"] = FeedNames.Source("PL"),
            ["type"] = EnvelopeFactory.TypeOf(ledgerEvent.EventType),
            ["time"] = ledgerEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["subject"] = ledgerEvent.StreamId.ToString(),
            ["datacontenttype"] = "application/json",
            ["data"] = new JsonObject
            {
                ["actor"] = actor is null ? null : new JsonObject
                {
                    ["organisation"] = actor.Organisation,
                    ["country"] = actor.Country,
                    ["application"] = actor.Application,
                },
                ["event"] = JsonSerializer.SerializeToNode(ledgerEvent.Data, ledgerEvent.EventType, FactsOnly.Options),
            },
            ["feedseq"] = 42,
            ["prevhash"] = "sha256:" + new string('c', 64),
        };
        Encoding.UTF8.GetString(built).ShouldBe(Encoding.UTF8.GetString(CanonicalJson.Serialize(expected)));
        Encoding.UTF8.GetString(built).ShouldNotContain("pseudonym-");
    }

    private static IEvent Sample(string which)
    {
        IEvent e = which switch
        {
            "decision with actor" => new Event<AccessDecided>(new AccessDecided(
                Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 3, "pl-cyfronet", Guid.NewGuid(), true,
                [new DecisionReason("residency", "Data stay in \"PL\"\n", null)],
                [new JsonObject { ["type"] = "delete-after", ["days"] = 90, ["ratio"] = 0.25 }],
                "rev-1", "sha256:" + new string('a', 64), "sha256:" + new string('b', 64),
                new JsonObject { ["dataset"] = new JsonObject { ["title"] = "Korpus \u0001 ż 😀", ["sizes"] = new JsonArray(1, 2.5, 1e21) } },
                Guid.NewGuid(), new DateTimeOffset(2026, 11, 29, 10, 0, 0, 123, TimeSpan.FromHours(1)), ["PL"])),
            "note without actor" => new Event<ProbeNote>(new ProbeNote("Audit", new NoteBody(7, "prose"), ["LT"])),
            _ => new Event<ProbeDecisionMade>(new ProbeDecisionMade(Guid.NewGuid(), "allow", ["EE"], "because")),
        };
        e.Id = Guid.NewGuid();
        e.StreamId = Guid.NewGuid();
        e.Timestamp = new DateTimeOffset(2026, 11, 29, 11, 22, 33, 456, TimeSpan.FromHours(2)).AddTicks(7);
        if (which != "note without actor")
        {
            e.Stamp(new Actor("pl-cyfronet", "PL", "cyfronet-trainer-1", "pseudonym-123"));
        }
        return e;
    }
}
