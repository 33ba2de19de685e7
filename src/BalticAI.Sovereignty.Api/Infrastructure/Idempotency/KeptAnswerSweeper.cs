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
public sealed class KeptAnswerSweeper : BackgroundService
{
    private readonly IDocumentStore _store;
    private readonly KeptAnswerSweepOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<KeptAnswerSweeper> _logger;
    private readonly string _sql;

    public KeptAnswerSweeper(IDocumentStore store, IOptions<KeptAnswerSweepOptions> options, TimeProvider clock, ILogger<KeptAnswerSweeper> logger)
    {
        _store = store;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        var table = store.Options.FindOrResolveDocumentType(typeof(IdempotencyRecord)).TableName.QualifiedName;
        // The expression of the index on ExpiresAt (IdempotencySetup), so that the oldest are found through it.
        var expiresAt = $"{store.Options.DatabaseSchemaName}.mt_immutable_timestamptz(data ->> 'ExpiresAt')";
        _sql = $"""
            delete from {table} where id in (
                select id from {table} where {expiresAt} <= $1 order by {expiresAt} limit $2 for update skip locked)
            """;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.Interval, _clock, stoppingToken);
                var deleted = await SweepAsync(stoppingToken);
                _logger.LogDebug("Deleted {Count} expired kept answers", deleted);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Deleting expired kept answers failed; retrying in {Interval}", _options.Interval);
            }
        }
    }

    /// <summary>
    /// One pass: deletes, batch by batch, the answers expired when the pass began, except those another
    /// sweep holds at that moment (that sweep deletes them). Returns how many this pass deleted.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        // Fixed for the pass, so that it ends even while answers keep expiring.
        var now = _clock.GetUtcNow();
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
