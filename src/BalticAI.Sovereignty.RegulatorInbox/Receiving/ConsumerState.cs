namespace BalticAI.Sovereignty.RegulatorInbox.Receiving;

/// <summary>Whether the inbox is consuming its queue right now (shown by the status endpoint).</summary>
public sealed class ConsumerState
{
    private volatile bool _connected;

    public bool Connected
    {
        get => _connected;
        set => _connected = value;
    }
}
