using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using Marten;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.Api.Policies.AssessingImpact;

/// <summary>
/// Which recorded decisions an impact assessment takes again: the newest <see cref="Limit"/> access decisions, of one
/// dataset or job and within a time range when asked, found through the ledger's event index (so it follows the ledger
/// within about a second, as every ledger listing does).
/// </summary>
public sealed record DecisionSample(Guid? Dataset, Guid? Job, DateTimeOffset? From, DateTimeOffset? To, int Limit)
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    /// <summary>Decisions are loaded this many at a time, so a large sample never holds every recorded input at once.</summary>
    private const int LoadedTogether = 250;

    /// <summary>The sample the query names, each fault under its parameter in <paramref name="errors"/>; null when there is one.</summary>
    public static DecisionSample? Parse(string? dataset, string? job, string? from, string? to, string? limit, FieldErrors errors)
    {
        var sample = new DecisionSample(
            LedgerEventFilter.ParseGuid(dataset, "dataset", errors),
            LedgerEventFilter.ParseGuid(job, "job", errors),
            LedgerEventFilter.ParseTime(from, "from", errors),
            LedgerEventFilter.ParseTime(to, "to", errors),
            PageQuery.ReadLimit(limit, DefaultLimit, MaxLimit, errors));
        if (sample is { From: { } start, To: { } end } && end <= start)
        {
            errors.Add("to", "must be later than from");
        }
        return errors.IsEmpty ? sample : null;
    }

    /// <summary>
    /// The ledger sequence numbers of the sample's decisions, newest first, and whether they are every decision that
    /// matches (one more than the limit is read to tell).
    /// </summary>
    public async Task<(List<long> Sequences, bool Every)> SequencesAsync(LedgerStore ledger, CancellationToken ct)
    {
        var conditions = new List<string> { "i.type = 'access_decided'" };
        var parameters = new List<(object Value, NpgsqlDbType Type)>();
        void Where(string column, string comparison, object value, NpgsqlDbType type)
        {
            parameters.Add((value, type));
            conditions.Add($"i.{column} {comparison} ${parameters.Count}");
        }
        if (Dataset is { } dataset)
        {
            Where("dataset", "=", dataset, NpgsqlDbType.Uuid);
        }
        if (Job is { } job)
        {
            Where("job", "=", job, NpgsqlDbType.Uuid);
        }
        if (From is { } from)
        {
            Where("time", ">=", from.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (To is { } to)
        {
            Where("time", "<", to.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        parameters.Add((Limit + 1, NpgsqlDbType.Integer));
        await using var command = ledger.DataSource.CreateCommand(
            $"select i.seq_id from {ledger.Table(LedgerEventIndexSchema.Table)} i where {string.Join(" and ", conditions)} order by i.seq_id desc limit ${parameters.Count}");
        foreach (var (value, type) in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value, NpgsqlDbType = type });
        }
        var sequences = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            sequences.Add(reader.GetInt64(0));
        }
        var every = sequences.Count <= Limit;
        return (every ? sequences : sequences[..Limit], every);
    }

    /// <summary>The recorded decisions at <paramref name="sequences"/>, in their order, a few hundred at a time.</summary>
    public static async IAsyncEnumerable<AccessDecided> LoadAsync(IDocumentStore store, IReadOnlyList<long> sequences,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var chunk in sequences.Chunk(LoadedTogether))
        {
            Dictionary<long, AccessDecided> loaded;
            await using (var session = store.QuerySession())
            {
                loaded = (await session.Events.QueryAllRawEvents().Where(e => chunk.Contains(e.Sequence)).ToListAsync(ct))
                    .Where(e => e.Data is AccessDecided)
                    .ToDictionary(e => e.Sequence, e => (AccessDecided)e.Data);
            }
            foreach (var sequence in chunk)
            {
                if (loaded.TryGetValue(sequence, out var decided))
                {
                    yield return decided;
                }
            }
        }
    }
}
