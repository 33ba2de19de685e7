using System.Diagnostics;
using BalticAI.Sovereignty.Cli.Seeding;
using Npgsql;

namespace BalticAI.Sovereignty.ProvenanceBenchmarks;

/// <summary>A model version by its public key.</summary>
public sealed record ModelVersionRef(string ModelId, string Version)
{
    public string ProvenancePath => $"/models/{Uri.EscapeDataString(ModelId)}/versions/{Uri.EscapeDataString(Version)}/provenance";

    public override string ToString() => $"{ModelId}@{Version}";
}

/// <summary>
/// Subjects of the seeded ledger that the timed routes name: for the ledger pages a dataset and a job with
/// recent grants; for lineage the dataset with the most downstream uses (one of them through a fine-tune),
/// and for provenance the model version with the most upstream dataset versions, each also among those a
/// Lithuanian regulator may read.
/// </summary>
public sealed record SeededWorld(Guid Dataset, Guid Job, string Model, Guid LineageDataset, Guid LineageDatasetLt, ModelVersionRef Provenance, ModelVersionRef ProvenanceLt)
{
    public string Fill(string route) => route
        .Replace("{dataset}", Dataset.ToString(), StringComparison.Ordinal)
        .Replace("{job}", Job.ToString(), StringComparison.Ordinal)
        .Replace("{model}", Uri.EscapeDataString(Model), StringComparison.Ordinal);
}

/// <summary>The benchmark schema, read with plain SQL.</summary>
public sealed class BenchDatabase(string connection, string schema)
{
    /// <summary>Seeded events (the broker's own, such as recorded reads and its bundle, do not count); 0 when the schema is missing.</summary>
    public async Task<long> CountSeededAsync()
    {
        if (await ScalarAsync<long>($"select count(*) from information_schema.tables where table_schema = '{schema}' and table_name = 'mt_events'") == 0)
        {
            return 0;
        }
        return await ScalarAsync<long>($"select count(*) from {schema}.mt_events where headers ->> 'actor_app' = '{SeedPlan.Application}'");
    }

    public Task DropAsync() => ScalarAsync<object>($"drop schema if exists {schema} cascade");

    /// <summary>Waits until the broker's subscriptions have indexed and hashed every event; returns how long that took.</summary>
    public async Task<TimeSpan> WaitForIndexAndTreeAsync(TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            var events = await ScalarAsync<long>($"select max(seq_id) from {schema}.mt_events");
            var indexed = await ScalarAsync<long?>($"select max(seq_id) from {schema}.ledger_event_index") ?? 0;
            var hashed = await ScalarAsync<long?>($"select max(seq_id) from {schema}.ledger_leaves") ?? 0;
            if (indexed >= events && hashed >= events)
            {
                return waited.Elapsed;
            }
            await Task.Delay(1000);
        }
        throw new TimeoutException($"the index and tree of {schema} did not catch up within {timeout}");
    }

    /// <summary>A dataset and a job with a typical amount of activity, and a model name in use.</summary>
    public async Task<SeededWorld> SampleAsync()
    {
        var dataset = await ScalarAsync<Guid>($"select dataset from {schema}.ledger_event_index where type = 'grant_issued' order by seq_id desc limit 1");
        var job = await ScalarAsync<Guid>($"select job from {schema}.ledger_event_index where type = 'grant_issued' order by seq_id desc limit 1");
        var model = await ScalarAsync<string>($"select model from {schema}.ledger_event_index where model is not null limit 1");
        return new SeededWorld(dataset, job, model,
            await MostUsedDatasetAsync(""), await MostUsedDatasetAsync("LT"),
            await LargestUpstreamAsync(""), await LargestUpstreamAsync("LT"));
    }

    /// <summary>The dataset with the most lineage edges, at least one of them through a fine-tune (depth ≥ 1); of <paramref name="country"/> if given.</summary>
    private Task<Guid> MostUsedDatasetAsync(string country) => ScalarAsync<Guid>($"""
        select (e.data ->> 'DatasetId')::uuid from {schema}.mt_doc_lineageedge e
        join {schema}.mt_doc_datasetview d on d.id = (e.data ->> 'DatasetId')::uuid
        where '{country}' = '' or (d.data -> 'Countries' ? '{country}' and e.data -> 'Countries' ? '{country}')
        group by 1 having max((e.data ->> 'Depth')::int) >= 1
        order by count(*) desc, 1 limit 1
        """);

    /// <summary>The model version with the most upstream dataset versions; of <paramref name="country"/> if given.</summary>
    private async Task<ModelVersionRef> LargestUpstreamAsync(string country)
    {
        var key = await ScalarAsync<string>($"""
            select (data ->> 'ModelId') || '@' || (data ->> 'Version') from {schema}.mt_doc_modelversionview
            where '{country}' = '' or data -> 'Countries' ? '{country}'
            order by jsonb_array_length(data -> 'Upstream') desc, id limit 1
            """);
        var at = key.LastIndexOf('@');
        return new ModelVersionRef(key[..at], key[(at + 1)..]);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(sql);
        command.CommandTimeout = 600;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)value;
    }
}
