using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

public sealed class LedgerEventFilterTests
{
    private static (LedgerEventFilter? Filter, FieldErrors Errors) Parse(string name, string value)
    {
        var errors = new FieldErrors();
        return (LedgerEventFilter.Parse(new QueryCollection(new Dictionary<string, StringValues> { [name] = value }), errors), errors);
    }

    [Theory]
    [InlineData("2026-11-29T10:00:00Z")]
    [InlineData("2026-11-29t10:00:00z")]
    [InlineData("2026-11-29T11:00:00+01:00")]
    [InlineData("2026-11-29T10:00:00.000000Z")]
    public void Every_rfc_3339_spelling_of_a_time_is_accepted(string time)
    {
        var (filter, errors) = Parse("from", time);

        errors.Entries.ShouldBeEmpty();
        filter!.From.ShouldBe(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
    }
}
