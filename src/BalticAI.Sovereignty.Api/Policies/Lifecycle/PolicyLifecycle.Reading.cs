using BalticAI.Sovereignty.Api.Policies.Bundles;
using Marten;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>Recorded bundles by digest, and activations made by other nodes picked up.</summary>
public sealed partial class PolicyLifecycle
{
    /// <summary>A recorded bundle by digest with what its tests showed at its last activation, or null.</summary>
    public async Task<RecordedPolicyBundle?> FindRecordedAsync(string digest, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<RecordedPolicyBundle>(digest, ct);
    }

    /// <summary>A recorded bundle by digest (for replays), or null.</summary>
    public async Task<PolicyBundle?> FindAsync(string digest, CancellationToken ct)
    {
        if (_inForce?.Bundle is { } active && active.Digest == digest)
        {
            return active;
        }
        await using var session = store.QuerySession();
        return (await session.LoadAsync<RecordedPolicyBundle>(digest, ct))?.ToBundle();
    }

    /// <summary>Picks up activations made by another broker node.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var session = store.QuerySession();
            var pointer = await session.LoadAsync<ActivePolicyPointer>(ActivePolicyPointer.SingletonId, ct);
            if (pointer is null || pointer.Digest == _inForce?.Bundle.Digest)
            {
                if (_inForce is { } inForce)
                {
                    await engine.EnsureLoadedAsync(inForce.Bundle, ct);
                    if (pointer is not null)
                    {
                        // A bundle activated again elsewhere (a rollback past another) is the same bundle under a later activation.
                        _inForce = inForce with { Version = pointer.LedgerVersion };
                    }
                }
                return;
            }
            var recorded = await session.LoadAsync<RecordedPolicyBundle>(pointer.Digest, ct);
            if (recorded is not null)
            {
                var bundle = recorded.ToBundle();
                await engine.ActivateAsync(bundle, ct);
                _inForce = new ActiveActivation(bundle, pointer.LedgerVersion);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
