using System.Threading.Channels;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Recording;

public sealed class GroupCommitOptions
{
    public const string SectionName = "Decisions:GroupCommit";

    /// <summary>Batch concurrent decisions into one transaction (one durable commit for many answers).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most decisions committed together.</summary>
    public int MaxBatch { get; set; } = 128;

    /// <summary>
    /// Batches in flight at once. With one, the batch being built waits for the one on the wire, and the
    /// writer's CPU work (serialising events, building SQL) is one thread's share of a busy machine; a few
    /// overlap those while each commit still carries many decisions.
    /// </summary>
    public int Writers { get; set; } = 4;
}

/// <summary>A new stream to start; <paramref name="FirstEventId"/> fixes the first event's id when callers name it.</summary>
public sealed record StreamStart(Guid StreamId, Type? AggregateType, IReadOnlyList<object> Events, Guid? FirstEventId = null);

/// <summary>
/// The writer commits what concurrent requests want recorded. Under load each PostgreSQL commit carries
/// many decisions (group commit), the main lever on decision throughput; alone, a request still commits
/// at once. A request is answered only after its transaction committed, and a request that gave up before a
/// writer took it is never committed; if a batch fails, its members are retried one by one so one bad write
/// cannot fail its neighbours. Several writers drain the same
/// queue; decisions are independent streams, so their commit order carries no meaning.
/// </summary>
public sealed class GroupCommitWriter : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly IDocumentStore _store;
    private readonly GroupCommitOptions _options;
    private readonly ILogger<GroupCommitWriter> _logger;
    private readonly TimeProvider _clock;
    private readonly BrokerTelemetry _telemetry;

    public GroupCommitWriter(IDocumentStore store, Microsoft.Extensions.Options.IOptions<GroupCommitOptions> options, ILogger<GroupCommitWriter> logger, TimeProvider clock, BrokerTelemetry telemetry)
    {
        _telemetry = telemetry;
        _store = store;
        _options = options.Value;
        _logger = logger;
        _clock = clock;
    }

    /// <summary>
    /// Commits the streams, and the answer kept for the request's Idempotency-Key when there is one, and
    /// returns once they are durable. When another request kept an answer for that key first, nothing is
    /// committed and <see cref="JasperFx.DocumentAlreadyExistsException"/> is thrown.
    /// </summary>
    public async Task CommitAsync(Actor actor, IReadOnlyList<StreamStart> streams, IdempotencyRecord? answer, CancellationToken ct)
    {
        if (!_options.Enabled)
        {
            await WriteAsync([new Pending(actor, streams, answer, null!)], ct);
            return;
        }
        var pending = new Pending(actor, streams, answer, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, ct);
        try
        {
            await pending.Done.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // A caller that gives up (request timeout, client gone) is answered 503 "nothing recorded": its
            // decision must then never be committed. Once a writer has taken it, the commit is under way and
            // its outcome, whichever it is, is the true answer, so that is awaited instead.
            if (pending.TryAbandon())
            {
                throw;
            }
            await pending.Done.Task;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.Writers)).Select(_ => Task.Run(() => WriteBatchesAsync(stoppingToken), stoppingToken)));

    private async Task WriteBatchesAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(_options.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var next))
            {
                if (next.TryTake())
                {
                    batch.Add(next);
                }
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                await WriteAsync(batch, stoppingToken);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception batchFailure) when (batch.Count > 1 && !stoppingToken.IsCancellationRequested)
            {
                _logger.LogWarning(batchFailure, "Group commit of {Count} failed; committing them one by one", batch.Count);
                foreach (var pending in batch)
                {
                    await WriteOneAsync(pending, stoppingToken);
                }
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Done.TrySetException(e));
            }
        }
    }

    private async Task WriteOneAsync(Pending pending, CancellationToken ct)
    {
        try
        {
            await WriteAsync([pending], ct);
            pending.Done.TrySetResult();
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private async Task WriteAsync(IReadOnlyList<Pending> batch, CancellationToken ct)
    {
        await using var session = _store.LightweightSession();
        IdempotencyReservation.InsertAfresh(session, _clock.GetUtcNow(), batch.Select(p => p.Answer).OfType<IdempotencyRecord>().ToList());
        foreach (var pending in batch)
        {
            foreach (var stream in pending.Streams)
            {
                // One session carries several actors, so each event is stamped with its own.
                var events = stream.Events.Select(e => (e as IEvent ?? session.Events.BuildEvent(e)).Stamp(pending.Actor)).ToArray();
                if (stream.FirstEventId is { } firstId)
                {
                    events[0].Id = firstId;
                }
                if (stream.AggregateType is null)
                {
                    session.Events.StartStream(stream.StreamId, events.Cast<object>().ToArray());
                }
                else
                {
                    session.Events.StartStream(stream.AggregateType, stream.StreamId, events.Cast<object>().ToArray());
                }
            }
        }
        // Once the commit is under way its outcome is what its callers are told, whether a caller without batching gives
        // up or the host stops a writer (WholeCommits).
        await session.CommitAsync(ct);
        _telemetry.Committed(batch.Select(p => p.Streams));
    }

    /// <summary>Taken by a writer or abandoned by its caller, whichever comes first; never both.</summary>
    private sealed class Pending(Actor actor, IReadOnlyList<StreamStart> streams, IdempotencyRecord? answer, TaskCompletionSource done)
    {
        private const int Waiting = 0;
        private const int Taken = 1;
        private const int Abandoned = 2;
        private int _state;

        public Actor Actor => actor;

        public IReadOnlyList<StreamStart> Streams => streams;

        public IdempotencyRecord? Answer => answer;

        public TaskCompletionSource Done => done;

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

        public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Waiting;
    }
}
