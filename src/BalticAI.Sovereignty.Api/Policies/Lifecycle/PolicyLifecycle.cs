using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Signing;
using Marten;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// Holds the active bundle in memory and records activations in the ledger. All activations go to one
/// stream, so two concurrent activations cannot both win.
/// </summary>
public sealed partial class PolicyLifecycle(IDocumentStore store, IPolicyEngine engine, PolicyOptions options, TimeProvider clock)
{
    /// <summary>The lifecycle stream (UUID fixed for this broker's ledger).</summary>
    public static readonly Guid StreamId = Guid.Parse("0193c6b4-5a1e-7b7a-9d3e-00000000b0d1");

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile ActiveActivation? _inForce;

    public PolicyBundle Active => ActiveActivation.Bundle;

    /// <summary>The bundle in force on this node with the activation that put it there (the active policy's ETag).</summary>
    public ActiveActivation ActiveActivation => _inForce ?? throw new PolicyEngineUnavailableException("no policy bundle is active yet");

    public bool HasActive => _inForce is not null;

    /// <summary>Why no bundle is active while a fresh ledger's first one cannot be recorded (<see cref="InitialBundle"/>), or null.</summary>
    public string? NotActiveBecause => _inForce is null ? _notActiveBecause : null;

    private volatile string? _notActiveBecause;

    /// <summary>
    /// Loads the recorded active bundle, recording the first one (<see cref="InitialBundle"/>) when the ledger has none;
    /// throws <see cref="InitialBundleRefusedException"/> when that cannot be recorded.
    /// </summary>
    public async Task<PolicyBundle> LoadOrRecordInitialAsync(Actor system, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            while (true)
            {
                await using (var session = store.LightweightSession())
                {
                    var pointer = await session.LoadAsync<ActivePolicyPointer>(ActivePolicyPointer.SingletonId, ct);
                    if (pointer is not null)
                    {
                        var recorded = await session.LoadAsync<RecordedPolicyBundle>(pointer.Digest, ct)
                            ?? throw new InvalidOperationException($"the active policy bundle {pointer.Digest} is not recorded");
                        var bundle = recorded.ToBundle();
                        await engine.ActivateAsync(bundle, ct);
                        _inForce = new ActiveActivation(bundle, pointer.LedgerVersion);
                        return bundle;
                    }
                }
                try
                {
                    var (first, signature) = InitialBundle.Read(options);
                    await ActivateUnderGateAsync(first, system, initial: true, ct, signature);
                    return first;
                }
                catch (InitialBundleRefusedException e)
                {
                    _notActiveBecause = e.Message;
                    throw;
                }
                catch (Exception e) when (IsConcurrencyConflict(e))
                {
                    // Another node, or an activation on this one, recorded a bundle first: the shipped bundle
                    // must never replace it, so load that one instead.
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Validates, loads into the engine, then records, with the signature the bundle was verified with if any; nothing is
    /// recorded if any step fails. With <paramref name="ifInForce"/>, only while the ledger's last activation is that
    /// version of the lifecycle stream (<see cref="PolicyActivationStaleException"/> otherwise). Returns what its tests
    /// showed and the version it was recorded at.
    /// </summary>
    public async Task<RecordedActivation> ActivateAsync(PolicyBundle bundle, Actor actor, CancellationToken ct, BundleSignature? signature = null, long? ifInForce = null)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await ActivateUnderGateAsync(bundle, actor, initial: false, ct, signature, ifInForce);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Every check an activation makes before the engine loads the bundle (its revision is free, it compiles, its data
    /// matches its schemas, its tests pass), outside the gate, since nothing is loaded or recorded; returns the policy it
    /// compiled, with the options of live decisions, and what its tests showed. Throws as <see cref="ActivateAsync"/> does.
    /// </summary>
    public async Task<(Rego.RegoPolicy Policy, BundleTests Tests)> CheckAsync(PolicyBundle bundle, CancellationToken ct)
    {
        await using (var session = store.QuerySession())
        {
            await EnsureRevisionIsFreeAsync(session, bundle, ct);
        }
        return Validate(bundle, ct);
    }

    /// <summary>
    /// Engine and record change together under the gate, so the engine never evaluates with one bundle while
    /// another is recorded as active. The first recording starts the stream and gives way to any other;
    /// later activations retry a conflict, the later one winning.
    /// </summary>
    private async Task<RecordedActivation> ActivateUnderGateAsync(PolicyBundle bundle, Actor actor, bool initial, CancellationToken ct,
        BundleSignature? signature = null, long? ifInForce = null)
    {
        if (!initial)
        {
            // Before the tests run, which take seconds; RecordAsync asks again in the transaction that records.
            await using var session = store.QuerySession();
            await EnsureRevisionIsFreeAsync(session, bundle, ct);
            EnsureInForce(ifInForce, (await session.Events.FetchStreamStateAsync(StreamId, ct))?.Version ?? 0);
        }
        var (_, tests) = Validate(bundle, ct);
        try
        {
            await engine.ActivateAsync(bundle, ct);
        }
        catch (PolicyBundleInvalidException) when (_inForce is { } previous)
        {
            // OPA loads module by module, so a bundle it refuses leaves part of itself behind and decisions would
            // answer 503 until the keeper's next round: put the active bundle back now.
            await RestoreAsync(previous.Bundle);
            throw;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var version = await RecordAsync(bundle, tests, signature, actor, initial, ifInForce, ct);
                _inForce = new ActiveActivation(bundle, version);
                return new RecordedActivation(tests, version);
            }
            catch (Exception e) when (!initial && attempt < 3 && IsConcurrencyConflict(e))
            {
                // Another node's activation committed in between: the later one wins, unless the caller asked for the one
                // it read (the next attempt then finds it stale).
            }
            catch (Exception e) when (e is PolicyRevisionTakenException or PolicyActivationStaleException && _inForce is { } previous)
            {
                // Another node recorded this revision for other content, or another activation, in between; the engine holds ours.
                await RestoreAsync(previous.Bundle);
                throw;
            }
            catch (Exception e) when (!initial && IsConcurrencyConflict(e) && _inForce is { } previous)
            {
                // Every attempt met another activation: the engine holds ours, which the ledger does not name.
                await RestoreAsync(previous.Bundle);
                throw new PolicyActivationContendedException();
            }
        }
    }

    private static void EnsureInForce(long? ifInForce, long current)
    {
        if (ifInForce is { } expected && expected != current)
        {
            throw new PolicyActivationStaleException(expected, current);
        }
    }

    /// <summary>
    /// The tests run under the gate, so they end when the caller is gone or <see cref="PolicyOptions.TestTimeout"/> has
    /// passed: a bundle whose tests never finish would otherwise hold every later activation, and the keeper, behind it.
    /// Each test query has the limit each decision has, <see cref="PolicyOptions.EvaluationTimeout"/>: a bundle whose
    /// tests need longer than a decision may take would pass here and then answer decisions with 503.
    /// </summary>
    private (Rego.RegoPolicy Policy, BundleTests Tests) Validate(PolicyBundle bundle, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(options.TestTimeout, clock);
        using var tests = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return BundleValidation.ValidateCompiled(bundle, Rego.RegoOptions.Default with { Timeout = options.EvaluationTimeout }, tests.Token, options.MinimumTestCoverage);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var seconds = options.TestTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            throw new PolicyBundleInvalidException($"the bundle's tests did not finish within {seconds} s",
                [$"tests did not finish within {seconds} s (Policy:TestTimeout); nothing was recorded"]);
        }
    }

    private static bool IsConcurrencyConflict(Exception e) =>
        e is JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException;

    private async Task<long> RecordAsync(PolicyBundle bundle, BundleTests tests, BundleSignature? signature, Actor actor, bool initial, long? ifInForce, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (!initial)
        {
            await EnsureRevisionIsFreeAsync(session, bundle, ct);
        }
        var stream = await session.Events.FetchStreamStateAsync(StreamId, ct);
        session.RecordActor(actor);
        var expected = stream?.Version ?? 0;
        EnsureInForce(ifInForce, expected);
        var activated = new PolicyBundleActivated(bundle.Revision, bundle.Digest, bundle.Modules, bundle.Data, engine.Name, tests, signature);
        if (stream is null || initial)
        {
            session.Events.StartStream(StreamId, activated);
        }
        else
        {
            session.Events.Append(StreamId, expected + 1, activated);
        }
        session.Store(new RecordedPolicyBundle
        {
            Id = bundle.Digest, Revision = bundle.Revision, Modules = bundle.Modules, Data = bundle.Data, ActivatedAt = clock.GetUtcNow(), Tests = tests, Signature = signature,
        });
        session.Store(new ActivePolicyPointer { Digest = bundle.Digest, LedgerVersion = expected + 1 });
        await session.CommitAsync(ct);
        return expected + 1;
    }

    /// <summary>
    /// A revision names one content, as a release tag does: decisions, feeds and the ledger quote a bundle by revision,
    /// and an auditor must not find two bundles behind one. Activating a recorded bundle again (a rollback) is its own
    /// digest and passes. Every activation appends to one stream with the version it read, so of two nodes recording one
    /// revision for different content, the second retries and finds the first here.
    /// </summary>
    private static async Task EnsureRevisionIsFreeAsync(IQuerySession session, PolicyBundle bundle, CancellationToken ct)
    {
        // The activations, not the recorded bundles: a bundle relabelled under a new revision keeps only that one.
        var other = await session.Events.QueryRawEventDataOnly<PolicyBundleActivated>()
            .Where(a => a.Revision == bundle.Revision && a.Digest != bundle.Digest)
            .Select(a => a.Digest)
            .FirstOrDefaultAsync(ct);
        if (other is not null)
        {
            throw new PolicyRevisionTakenException(bundle.Revision, other);
        }
    }

    private async Task RestoreAsync(PolicyBundle previous)
    {
        try
        {
            await engine.ActivateAsync(previous, CancellationToken.None);
        }
        catch (Exception e) when (e is PolicyEngineUnavailableException or PolicyBundleInvalidException)
        {
            // The engine cannot take it back now either; the keeper reloads it on its next round.
        }
    }
}
