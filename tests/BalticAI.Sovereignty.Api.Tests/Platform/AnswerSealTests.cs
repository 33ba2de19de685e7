using System.Security.Cryptography;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class AnswerSealTests
{
    private const string Body = """{"grant":{"token":"eyJhbGciOiJFUzI1NiJ9.e30.c2ln"},"note":"zażółć"}""";

    [Fact]
    public void An_answer_opens_with_the_key_and_record_it_was_sealed_for()
    {
        var key = AnswerSeal.Key("key-1", "record-1");

        var sealedText = AnswerSeal.Seal(key, "record-1", Body);

        sealedText.ShouldNotContain("token");
        AnswerSeal.TryOpen(key, "record-1", sealedText, out var body).ShouldBeTrue();
        body.ShouldBe(Body);
    }

    [Fact]
    public void Another_key_another_record_or_a_changed_byte_does_not_open_it()
    {
        var key = AnswerSeal.Key("key-1", "record-1");
        var sealedText = AnswerSeal.Seal(key, "record-1", Body);
        var altered = Convert.FromBase64String(sealedText);
        altered[^1] ^= 1;

        AnswerSeal.TryOpen(AnswerSeal.Key("key-2", "record-1"), "record-1", sealedText, out _).ShouldBeFalse();
        AnswerSeal.TryOpen(key, "record-2", sealedText, out _).ShouldBeFalse();
        AnswerSeal.TryOpen(key, "record-1", Convert.ToBase64String(altered), out _).ShouldBeFalse();
        AnswerSeal.TryOpen(key, "record-1", "not base64!", out _).ShouldBeFalse();
        AnswerSeal.TryOpen(key, "record-1", "", out _).ShouldBeFalse();
    }

    [Fact]
    public void Keys_differ_per_idempotency_key_and_per_record_and_every_seal_is_fresh()
    {
        AnswerSeal.Key("key-1", "record-1").ShouldNotBe(AnswerSeal.Key("key-2", "record-1"));
        AnswerSeal.Key("key-1", "record-1").ShouldNotBe(AnswerSeal.Key("key-1", "record-2"));
        AnswerSeal.Key("key-1", "record-1").ShouldBe(AnswerSeal.Key("key-1", "record-1"));
        AnswerSeal.Key("key-1", "record-1").Length.ShouldBe(32);
        var key = AnswerSeal.Key("key-1", "record-1");

        AnswerSeal.Seal(key, "record-1", Body).ShouldNotBe(AnswerSeal.Seal(key, "record-1", Body));
    }

    [Fact]
    public void The_key_is_HKDF_SHA256_of_the_idempotency_key_salted_with_the_record_id()
    {
        var expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, "key-1"u8.ToArray(), 32, "record-1"u8.ToArray(), "BalticAI.Sovereignty kept answer v1"u8.ToArray());

        AnswerSeal.Key("key-1", "record-1").ShouldBe(expected);
    }

    [Fact]
    public void A_record_kept_in_the_clear_by_an_earlier_broker_reads_as_it_is()
    {
        var record = new IdempotencyRecord { Id = "record-1", Completed = true, Status = 200, Body = Body };

        record.TryReadBody(AnswerSeal.Key("any", "record-1"), out var body).ShouldBeTrue();
        body.ShouldBe(Body);
    }
}
