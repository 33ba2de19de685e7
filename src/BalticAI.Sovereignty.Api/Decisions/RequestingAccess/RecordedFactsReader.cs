using System.Collections.Concurrent;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.Api.Decisions.RequestingAccess;

/// <summary>
/// Reads a request's job, its site and the asked datasets in one round trip, exactly as recorded, without
/// sending or deserialising a document this node already holds in that very row version. A row version is
/// the document's <c>mt_version</c> (its stream's version: these are inline snapshots) together with
/// PostgreSQL's <c>xmin</c> (the transaction that wrote the row, new on every update whoever writes it).
/// The query receives the row versions held here and returns a body only where the stored one differs, so
/// a held document is used only while it is still the recorded one. A stale answer here would be a wrong
/// decision, so there is no time-based expiry to trust: every read asks the database. Under load,
/// deserialising these documents was 3% of the machine's CPU.
/// </summary>
public sealed class RecordedFactsReader
{
    /// <summary>Documents held per kind; past it the kind starts afresh, which costs one full read each.</summary>
    public const int Capacity = 4096;

    private readonly IDocumentStore _store;
    private readonly ISerializer _serializer;
    private readonly string _sql;
    private readonly ConcurrentDictionary<Guid, Held<TrainingJob>> _jobs = new();
    private readonly ConcurrentDictionary<Guid, Held<ComputeSite>> _sites = new();
    private readonly ConcurrentDictionary<Guid, Held<DatasetView>> _datasets = new();
    private long _reused;
    private long _read;

    public RecordedFactsReader(IDocumentStore store)
    {
        _store = store;
        _serializer = store.Options.Serializer();
        var jobs = Table<TrainingJob>(store);
        var sites = Table<ComputeSite>(store);
        var views = Table<DatasetView>(store);
        // One statement, three kinds: 0 job, 1 site (found through the job in SQL), 2 datasets.
        _sql = $"""
            select 0, j.id, j.mt_version, j.xmin, case when j.mt_version = @job_version and j.xmin = @job_xmin then null else j.data end
            from {jobs} j where j.id = @job
            union all
            select 1, s.id, s.mt_version, s.xmin, case when s.mt_version = @site_version and s.xmin = @site_xmin then null else s.data end
            from {sites} s where s.id = (select (j.data ->> 'SiteId')::uuid from {jobs} j where j.id = @job)
            union all
            select 2, d.id, d.mt_version, d.xmin, case when d.mt_version = h.version and d.xmin = h.xmin then null else d.data end
            from {views} d left join unnest(@datasets, @dataset_versions, @dataset_xmins) as h(id, version, xmin) on h.id = d.id
            where d.id = any(@datasets)
            """;
    }

    /// <summary>Documents answered from what this node held (no body sent), and documents read in full; tests read them.</summary>
    public long Reused => Interlocked.Read(ref _reused);

    public long Read => Interlocked.Read(ref _read);

    public async Task<RecordedFacts> ReadAsync(Guid jobId, IReadOnlyCollection<Guid> datasetIds, CancellationToken ct)
    {
        // What this request holds is fixed here: versions sent and documents used come from the same entries.
        var heldJob = _jobs.GetValueOrDefault(jobId);
        var heldSite = heldJob is null ? null : _sites.GetValueOrDefault(heldJob.Document.SiteId);
        var ids = datasetIds.Distinct().ToArray();
        var heldViews = new Held<DatasetView>?[ids.Length];
        var versions = new long?[ids.Length];
        var xmins = new uint?[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            heldViews[i] = _datasets.GetValueOrDefault(ids[i]);
            versions[i] = heldViews[i]?.Version;
            xmins[i] = heldViews[i]?.Xmin;
        }

        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(_sql, connection);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("job_version", NpgsqlDbType.Bigint, (object?)heldJob?.Version ?? DBNull.Value);
        command.Parameters.AddWithValue("job_xmin", NpgsqlDbType.Xid, (object?)heldJob?.Xmin ?? DBNull.Value);
        command.Parameters.AddWithValue("site_version", NpgsqlDbType.Bigint, (object?)heldSite?.Version ?? DBNull.Value);
        command.Parameters.AddWithValue("site_xmin", NpgsqlDbType.Xid, (object?)heldSite?.Xmin ?? DBNull.Value);
        command.Parameters.AddWithValue("datasets", ids);
        command.Parameters.AddWithValue("dataset_versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint, versions);
        command.Parameters.AddWithValue("dataset_xmins", NpgsqlDbType.Array | NpgsqlDbType.Xid, xmins);

        TrainingJob? job = null;
        ComputeSite? site = null;
        var views = new Dictionary<Guid, DatasetView>(ids.Length);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(1);
            var row = new RowVersion(reader.GetInt64(2), reader.GetFieldValue<uint>(3));
            var sent = !await reader.IsDBNullAsync(4, ct);
            switch (reader.GetInt32(0))
            {
                case 0:
                    job = Take(_jobs, id, row, sent ? _serializer.FromJson<TrainingJob>(reader, 4) : null, heldJob);
                    break;
                case 1:
                    site = Take(_sites, id, row, sent ? _serializer.FromJson<ComputeSite>(reader, 4) : null, heldSite);
                    break;
                default:
                    var held = heldViews[Array.IndexOf(ids, id)];
                    views[id] = Take(_datasets, id, row, sent ? _serializer.FromJson<DatasetView>(reader, 4) : null, held);
                    break;
            }
        }
        return new RecordedFacts(job, site, views);
    }

    /// <summary>The body sent, now held; or, when none was sent, the held document, which the query matched by version.</summary>
    private T Take<T>(ConcurrentDictionary<Guid, Held<T>> kind, Guid id, RowVersion row, T? sent, Held<T>? held) where T : class
    {
        if (sent is null)
        {
            Interlocked.Increment(ref _reused);
            return held is { } h && h.Version == row.Version && h.Xmin == row.Xmin
                ? h.Document
                : throw new InvalidOperationException($"the database matched row version {row} of {id}, which this request did not hold");
        }
        Interlocked.Increment(ref _read);
        if (kind.Count >= Capacity)
        {
            kind.Clear();
        }
        kind[id] = new Held<T>(row.Version, row.Xmin, sent);
        return sent;
    }

    private static string Table<T>(IDocumentStore store) =>
        store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;

    private readonly record struct RowVersion(long Version, uint Xmin);

    private sealed record Held<T>(long Version, uint Xmin, T Document);
}
