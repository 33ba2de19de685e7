using System.Text;
using BalticAI.Sovereignty.Transparency.Leaves;

namespace BalticAI.Sovereignty.Transparency.Tests.Leaves;

public sealed class LedgerLeafTests
{
    private static readonly LedgerLeaf Sample = new(
        7, 42, Guid.Parse("0b6f2a5e-9c1d-4e7a-8f00-1234567890ab"), "5d1c6c1e-0a8f-4a36-9a5e-000000000101", "dataset_registered",
        new DateTimeOffset(2026, 11, 28, 23, 59, 1, TimeSpan.Zero).AddTicks(1234567), LedgerLeaf.DigestData("""{"b":1,"a":"x"}"""));

    private static readonly LedgerLeaf WithActor = Sample with
    {
        HeadersSha256 = LedgerLeaf.DigestHeaders("""{"actor_org": "pl-mc", "actor_country": "PL", "actor_app": "balticai-cli", "actor_pseudonym": "ps:T0bYsrqgiU6tgMqSFhXFng"}"""),
    };

    [Fact]
    public void Encoding_is_the_documented_byte_string()
    {
        // The same bytes as docs/ledger-format.md's worked example.
        Encoding.UTF8.GetString(Sample.Encode()).ShouldBe(
            """{"dataSha256":"cdab067e9f3beb32d1252cfd63e492592fecbf591b0d08cadb24bb17f3864246","eventId":"0b6f2a5e-9c1d-4e7a-8f00-1234567890ab","eventType":"dataset_registered","index":7,"sequence":42,"stream":"5d1c6c1e-0a8f-4a36-9a5e-000000000101","timestamp":"2026-11-28T23:59:01.123456Z"}""");
    }

    [Fact]
    public void Leaf_hash_is_the_documented_one_reproduced_outside_dotnet() =>
        Convert.ToHexStringLower(BalticAI.Sovereignty.Transparency.Merkle.MerkleHash.Leaf(Sample.Encode()))
            .ShouldBe("79a09055e80a0cd8031722e1de57ebe831d351d3556804c466bea8403db3c2fd");

    [Fact]
    public void A_leaf_that_covers_who_acted_is_the_documented_byte_string_and_hash()
    {
        // docs/ledger-format.md's second worked example: the same event with its actor headers.
        var bytes = WithActor.Encode();
        Encoding.UTF8.GetString(bytes).ShouldBe(
            """{"dataSha256":"cdab067e9f3beb32d1252cfd63e492592fecbf591b0d08cadb24bb17f3864246","eventId":"0b6f2a5e-9c1d-4e7a-8f00-1234567890ab","eventType":"dataset_registered","headersSha256":"2f88026cae5658b2b9577a92aa38cd281d0fc653038401a8a463113a28484f8c","index":7,"sequence":42,"stream":"5d1c6c1e-0a8f-4a36-9a5e-000000000101","timestamp":"2026-11-28T23:59:01.123456Z"}""");
        Convert.ToHexStringLower(BalticAI.Sovereignty.Transparency.Merkle.MerkleHash.Leaf(bytes))
            .ShouldBe("8fbcdaa77ad3a7d9d9ce1fb7646bbec1b64db1a25ae692bb4b8935b958333c5b");
        WithActor.Format.ShouldBe(LedgerLeaf.WithHeaders);
        Sample.Format.ShouldBe(LedgerLeaf.DataOnly);
    }

    [Fact]
    public void An_event_without_headers_digests_json_null_and_differs_from_empty_headers()
    {
        Convert.ToHexStringLower(LedgerLeaf.DigestHeaders(null)).ShouldBe("74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b");
        LedgerLeaf.DigestHeaders(null).ShouldNotBe(LedgerLeaf.DigestHeaders("{}"));
    }

    [Theory]
    [InlineData("dataset_registered", "5d1c6c1e-0a8f-4a36-9a5e-000000000101", 0L)]
    [InlineData("quote\"back\\slash\ttab\u0001ctl", "łódź-€-😀", 9_007_199_254_740_991L)]
    public void Direct_encoding_equals_rfc8785_of_the_same_object(string type, string stream, long index)
    {
        var leaf = Sample with { EventType = type, Stream = stream, Index = index, Sequence = index / 3 };
        var viaCanonicalJson = BalticAI.Sovereignty.Security.CanonicalJson.Serialize(new System.Text.Json.Nodes.JsonObject
        {
            ["timestamp"] = LedgerLeaf.FormatTimestamp(leaf.Timestamp),
            ["stream"] = leaf.Stream,
            ["sequence"] = leaf.Sequence,
            ["index"] = leaf.Index,
            ["eventType"] = leaf.EventType,
            ["eventId"] = leaf.EventId.ToString(),
            ["dataSha256"] = Convert.ToHexStringLower(leaf.DataSha256),
        });

        leaf.Encode().ShouldBe(viaCanonicalJson);
        var withActor = leaf with { HeadersSha256 = WithActor.HeadersSha256 };
        var node = System.Text.Json.Nodes.JsonNode.Parse(viaCanonicalJson)!.AsObject();
        node["headersSha256"] = Convert.ToHexStringLower(WithActor.HeadersSha256!);
        withActor.Encode().ShouldBe(BalticAI.Sovereignty.Security.CanonicalJson.Serialize(node));
    }

    [Fact]
    public void Long_fields_past_the_stack_buffer_encode_as_rfc8785_too() =>
        Direct_encoding_equals_rfc8785_of_the_same_object(string.Concat(Enumerable.Repeat("\t\"x\u001f", 100)), string.Concat(Enumerable.Repeat("łódź-😀\\", 60)), 123_456_789);

    [Fact]
    public void Data_digest_ignores_key_order_and_spacing_as_jsonb_rewrites_them() =>
        LedgerLeaf.DigestData("""{ "a" : "x", "b" : 1.0 }""").ShouldBe(LedgerLeaf.DigestData("""{"b":1,"a":"x"}"""));

    [Fact]
    public void Decoding_round_trips_and_the_fast_reader_agrees()
    {
        foreach (var leaf in new[] { Sample, WithActor })
        {
            var bytes = leaf.Encode();
            LedgerLeaf.Decode(bytes).Encode().ShouldBe(bytes);
            var (data, headers) = (new byte[32], new byte[32]);
            LedgerLeaf.TryReadIndexAndDigests(bytes, out var index, out var format, data, headers).ShouldBeTrue();
            index.ShouldBe(7);
            format.ShouldBe(leaf.Format);
            data.ShouldBe(leaf.DataSha256);
            headers.ShouldBe(leaf.HeadersSha256 ?? new byte[32]);
        }
    }

    [Theory]
    [InlineData("""{"index":7}""")]
    [InlineData("""{"dataSha256":"cdab","index":7}""")]
    [InlineData("""{"dataSha256":"cdab067e9f3beb32d1252cfd63e492592fecbf591b0d08cadb24bb17f3864246","headersSha256":7,"index":7}""")]
    [InlineData("""{"dataSha256":"cdab067e9f3beb32d1252cfd63e492592fecbf591b0d08cadb24bb17f3864246","index":"7"}""")]
    [InlineData("""{"dataSha256":""")]
    public void The_fast_reader_refuses_what_is_no_leaf(string text) =>
        LedgerLeaf.TryReadIndexAndDigests(Encoding.UTF8.GetBytes(text), out _, out _, new byte[32], new byte[32]).ShouldBeFalse();
}
