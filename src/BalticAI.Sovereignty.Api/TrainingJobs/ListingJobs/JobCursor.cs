using System.Globalization;
using System.Text;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.TrainingJobs.ListingJobs;

/// <summary>
/// The list's order and its cursor, "v1|" + registration ticks (19 digits) + ":" + id, as the dataset list's.
/// Unlike DatasetView, the job document keeps no sort-key column: the order is computed in SQL from the RegisteredAt
/// every stored job already has, so jobs written before this list existed need no backfill. PostgreSQL reads that
/// instant to the microsecond, .NET keeps 100 ns, so a cursor compared as a DateTimeOffset parameter (truncated by
/// the driver) could skip or repeat a job. The cursor's instant is therefore sent as text and read by the same
/// function as the column, and the same-microsecond ties are broken by id: an exact total order.
/// </summary>
public static class JobCursor
{
    public sealed record Key(string RegisteredAt, Guid Id);

    /// <summary>The expression of the index on RegisteredAt (TrainingJobsModule), then the id.</summary>
    public static string OrderExpression(string schema) => $"{Instant(schema, "d.data ->> 'RegisteredAt'")}, d.id";

    /// <summary>The same order for a cursor sent as the text parameters (instant, id).</summary>
    public static string After(string schema) => $"({OrderExpression(schema)}) > ({Instant(schema, "?")}, ?)";

    public static string Encode(TrainingJob job) => Base64Url.Encode(Encoding.UTF8.GetBytes(
        "v1|" + job.RegisteredAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + ":" + job.Id.ToString("N")));

    public static Key? Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.Decode(cursor));
            if (!(text.StartsWith("v1|", StringComparison.Ordinal) && text.Length == 3 + 19 + 1 + 32
                && text[3..22].All(char.IsAsciiDigit) && text[22] == ':' && text[23..].All(char.IsAsciiHexDigitLower)))
            {
                return null;
            }
            if (!long.TryParse(text[3..22], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return null;
            }
            return new Key(new DateTimeOffset(ticks, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture), Guid.ParseExact(text[23..], "N"));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Instant(string schema, string text) => $"{schema}.mt_immutable_timestamptz({text})";
}
