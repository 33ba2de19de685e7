using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

/// <summary>
/// Deletes expired kept answers off the request path. Deleting them inside every keyed commit made
/// concurrent group commits (and nodes) lock the same expired rows in different orders and deadlock, each
/// deadlock aborting a batch of decisions. Here each statement deletes a few rows that no one else holds
/// (SKIP LOCKED), so sweeps of several nodes share the work and never wait on each other or on a commit.
/// An expired answer is never replayed whether or not it was swept yet (<see cref="IdempotencyFilter"/>).
/// </summary>
public sealed class KeptAnswerSweeper : RepeatingWork
{
    private readonly IDocumentStore _store;
    private readonly KeptAnswerSweepOptions _options;
    private readonly string _sql;

    public KeptAnswerSweeper(IDocumentStore store, IOptions<KeptAnswerSweepOptions> options, TimeProvider clock, ILogger<KeptAnswerSweeper> logger)
        : base(clock, logger)
    {
        _store = store;
        _options = options.Value;
        var table = store.Options.FindOrResolveDocumentType(typeof(IdempotencyRecord)).TableName.QualifiedName;
        // The expression of the index on ExpiresAt (IdempotencySetup), so that the oldest are found through it.
        var expiresAt = $"{store.Options.DatabaseSchemaName}.mt_immutable_timestamptz(data ->> 'ExpiresAt')";
        _sql = $"""
            delete from {table} where id in (
                select id from {table} where {expiresAt} <= $1 order by {expiresAt} limit $2 for update skip locked)
            """;
    }

    protected override TimeSpan Interval => _options.Interval;

    protected override string Work => "Deleting expired kept answers";

    // An answer that expired while the broker was down is never replayed anyway, so nothing is owed at start,
    // when the table may not exist yet on a fresh database.
    protected override bool WaitsBeforeFirstPass => true;

    protected override Task RunPassAsync(CancellationToken ct) => SweepAsync(ct);

    /// <summary>
    /// One pass: deletes, batch by batch, the answers expired when the pass began, except those another
    /// sweep holds at that moment (that sweep deletes them). Returns how many this pass deleted.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        // Fixed for the pass, so that it ends even while answers keep expiring.
        var now = Clock.GetUtcNow();
        var batchSize = _options.BatchSize;
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var total = 0;
        int deleted;
        do
        {
            await using var command = new NpgsqlCommand(_sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = batchSize });
            deleted = await command.ExecuteNonQueryAsync(ct);
            total += deleted;
        }
        while (deleted == batchSize);
        return total;
    }
}
