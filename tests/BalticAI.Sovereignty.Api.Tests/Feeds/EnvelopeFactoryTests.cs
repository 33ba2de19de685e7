using System.Text.Json;
using BalticAI.Sovereignty.Api.Feeds.Envelopes;

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
}
