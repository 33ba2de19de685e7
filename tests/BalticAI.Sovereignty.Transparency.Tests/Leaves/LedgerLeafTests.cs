using System.Text;
using BalticAI.Sovereignty.Transparency.Leaves;

namespace BalticAI.Sovereignty.Transparency.Tests.Leaves;

public sealed class LedgerLeafTests
{
    private static readonly LedgerLeaf Sample = new(
        7, 42, Guid.Parse("0b6f2a5e-9c1d-4e7a-8f00-1234567890ab"), "5d1c6c1e-0a8f-4a36-9a5e-000000000101", "dataset_registered",
        new DateTimeOffset(2026, 11, 28, 23, 59, 1, TimeSpan.Zero).AddTicks(1234567), LedgerLeaf.DigestData("""{"b":1,"a":"x"}"""));

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
        var bytes = Sample.Encode();
        LedgerLeaf.Decode(bytes).Encode().ShouldBe(bytes);
        var digest = new byte[32];
        LedgerLeaf.TryReadIndexAndDigest(bytes, out var index, digest).ShouldBeTrue();
        index.ShouldBe(7);
        digest.ShouldBe(Sample.DataSha256);
    }
}
