using System.Security.Cryptography;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.RegulatorInbox.Reviewing;
using BalticAI.Sovereignty.RegulatorInbox.Verification;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.RegulatorInbox.Storage;

/// <summary>What one batch did: stored envelopes, duplicates ignored, problems reported.</summary>
public sealed record BatchOutcome(int Stored, int Duplicates, IReadOnlyList<Failure> Failures, IReadOnlyList<(long From, long To)> NewGaps);

/// <summary>A message the inbox did not store as an envelope; <see cref="Whole"/> when <see cref="Body"/> is only part of it.</summary>
public sealed record Failure(string Kind, string Reason, string? EventId, long? FeedSeq, byte[]? Body, WholeBody? Whole = null);

/// <summary>
/// The inbox's own PostgreSQL schema: each envelope stored once (unique sequence and id), and every
/// rejected, conflicting or unchained message recorded as a failure. One batch is one transaction.
/// </summary>
public sealed class InboxStore(NpgsqlDataSource database, IOptions<InboxOptions> options)
{
    /// <summary>A message that is not a validly signed envelope of this feed.</summary>
    public const string RejectedKind = "rejected";

    private readonly string _schema = options.Value.SchemaName;
    private readonly int _maxRejectedBody = options.Value.MaxRejectedBodyBytes;

    public async Task CreateAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            create schema if not exists {_schema};
            create table if not exists {_schema}.envelopes (
                seq bigint primary key, id text not null unique, body bytea not null, hash text not null,
                prevhash text not null, kid text not null, received_at timestamptz not null default clock_timestamp());
            create table if not exists {_schema}.failures (
                n bigserial primary key, at timestamptz not null default now(), kind text not null,
                reason text not null, event_id text, feedseq bigint, body bytea);
            alter table {_schema}.failures add column if not exists body_bytes bigint, add column if not exists body_sha256 text;
            alter table {_schema}.envelopes add column if not exists type text;
            create index if not exists envelopes_untyped on {_schema}.envelopes (seq) where type is null;
            update {_schema}.envelopes set type = coalesce(convert_from(body, 'UTF8')::jsonb ->> 'type', '') where type is null;
            create index if not exists envelopes_type_seq on {_schema}.envelopes (type, seq);
            {IntegrityProblems.CreateSql(_schema)}
            """);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<BatchOutcome> StoreAsync(IReadOnlyList<CheckResult> batch, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var failures = batch.Where(r => r.Envelope is null)
            .Select(r => new Failure(RejectedKind, r.Rejection!, r.Id, r.Seq, r.Body, r.Whole)).ToList();
        var envelopes = batch.Select(r => r.Envelope).OfType<VerifiedEnvelope>().OrderBy(e => e.Seq).ToList();
        var fresh = new List<VerifiedEnvelope>();
        var duplicates = 0;
        var gaps = new List<(long, long)>();
        if (envelopes.Count > 0)
        {
            var known = await NeighboursAsync(connection, envelopes, ct);
            var max = await MaxSeqAsync(connection, ct);
            foreach (var envelope in envelopes)
            {
                if (known.BySeq.TryGetValue(envelope.Seq, out var holder) || known.ById.TryGetValue(envelope.Id, out holder))
                {
                    if (holder.Id == envelope.Id && holder.Hash == envelope.Hash && holder.Seq == envelope.Seq)
                    {
                        duplicates++;
                    }
                    else
                    {
                        failures.Add(new Failure("conflict", $"feedseq {holder.Seq} / id {holder.Id} already holds a different validly signed envelope", envelope.Id, envelope.Seq, envelope.Body));
                    }
                    continue;
                }
                failures.AddRange(ChainProblems(envelope, known));
                if (envelope.Seq > max + 1)
                {
                    gaps.Add((max + 1, envelope.Seq - 1));
                }
                max = Math.Max(max, envelope.Seq);
                var stored = new Known(envelope.Seq, envelope.Id, envelope.Hash, envelope.PrevHash);
                known.BySeq[envelope.Seq] = stored;
                known.ById[envelope.Id] = stored;
                fresh.Add(envelope);
            }
        }
        await InsertEnvelopesAsync(connection, fresh, ct);
        await InsertFailuresAsync(connection, failures, ct);
        await transaction.CommitAsync(ct);
        return new BatchOutcome(fresh.Count, duplicates, failures, gaps);
    }

    private static IEnumerable<Failure> ChainProblems(VerifiedEnvelope envelope, Neighbours known)
    {
        var expected = envelope.Seq == 1 ? FeedEnvelopeFields.GenesisHash : known.BySeq.GetValueOrDefault(envelope.Seq - 1)?.Hash;
        if (expected is not null && expected != envelope.PrevHash)
        {
            yield return new Failure("chain", $"prevhash of feedseq {envelope.Seq} does not match the envelope before it", envelope.Id, envelope.Seq, envelope.Body);
        }
        if (known.BySeq.GetValueOrDefault(envelope.Seq + 1) is { } next && next.PrevHash != envelope.Hash)
        {
            yield return new Failure("chain", $"prevhash of feedseq {next.Seq} does not match feedseq {envelope.Seq}", next.Id, next.Seq, null);
        }
    }

    private sealed record Known(long Seq, string Id, string Hash, string PrevHash);

    private sealed record Neighbours(Dictionary<long, Known> BySeq, Dictionary<string, Known> ById);

    private async Task<Neighbours> NeighboursAsync(NpgsqlConnection connection, List<VerifiedEnvelope> envelopes, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select seq, id, hash, prevhash from {_schema}.envelopes where seq = any(@seqs) or id = any(@ids)", connection);
        command.Parameters.AddWithValue("seqs", envelopes.SelectMany(e => new[] { e.Seq - 1, e.Seq, e.Seq + 1 }).Distinct().ToArray());
        command.Parameters.AddWithValue("ids", envelopes.Select(e => e.Id).ToArray());
        var neighbours = new Neighbours([], new Dictionary<string, Known>(StringComparer.Ordinal));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var known = new Known(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            neighbours.BySeq[known.Seq] = known;
            neighbours.ById[known.Id] = known;
        }
        return neighbours;
    }

    private async Task<long> MaxSeqAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select coalesce(max(seq), 0) from {_schema}.envelopes", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task InsertEnvelopesAsync(NpgsqlConnection connection, List<VerifiedEnvelope> envelopes, CancellationToken ct)
    {
        if (envelopes.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(
            $"insert into {_schema}.envelopes (seq, id, body, hash, prevhash, kid, type) select * from unnest(@seq, @id, @body, @hash, @prev, @kid, @type)", connection);
        command.Parameters.AddWithValue("seq", envelopes.Select(e => e.Seq).ToArray());
        command.Parameters.AddWithValue("id", envelopes.Select(e => e.Id).ToArray());
        command.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = envelopes.Select(e => e.Body).ToArray() });
        command.Parameters.AddWithValue("hash", envelopes.Select(e => e.Hash).ToArray());
        command.Parameters.AddWithValue("prev", envelopes.Select(e => e.PrevHash).ToArray());
        command.Parameters.AddWithValue("kid", envelopes.Select(e => e.KeyId).ToArray());
        command.Parameters.AddWithValue("type", envelopes.Select(e => e.Type).ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Each failure with its body's length and SHA-256, and the body itself: whole for envelopes the broker signed, the
    /// first <see cref="InboxOptions.MaxRejectedBodyBytes"/> of a rejected message, whose size its sender chose.
    /// </summary>
    private async Task InsertFailuresAsync(NpgsqlConnection connection, List<Failure> failures, CancellationToken ct)
    {
        foreach (var failure in failures)
        {
            await using var command = new NpgsqlCommand(
                $"""
                insert into {_schema}.failures (kind, reason, event_id, feedseq, body, body_bytes, body_sha256)
                values (@kind, @reason, @id, @seq, @body, @bytes, @sha256)
                """, connection);
            var body = failure.Body;
            var kept = body is not null && failure.Kind == RejectedKind && body.Length > _maxRejectedBody ? body[.._maxRejectedBody] : body;
            command.Parameters.AddWithValue("kind", failure.Kind);
            command.Parameters.AddWithValue("reason", failure.Reason);
            command.Parameters.AddWithValue("id", (object?)failure.EventId ?? DBNull.Value);
            command.Parameters.AddWithValue("seq", (object?)failure.FeedSeq ?? DBNull.Value);
            command.Parameters.AddWithValue("body", NpgsqlDbType.Bytea, (object?)kept ?? DBNull.Value);
            command.Parameters.AddWithValue("bytes", NpgsqlDbType.Bigint, (object?)failure.Whole?.Bytes ?? (object?)body?.LongLength ?? DBNull.Value);
            command.Parameters.AddWithValue("sha256", NpgsqlDbType.Text,
                (object?)failure.Whole?.Sha256 ?? (body is null ? DBNull.Value : Convert.ToHexStringLower(SHA256.HashData(body))));
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
