namespace BalticAI.Sovereignty.Api.Tests.Fixtures;

/// <summary>Waits for what the broker does after it has answered (the daemon, feeds, a request still finishing).</summary>
public static class Eventually
{
    /// <summary>True as soon as <paramref name="condition"/> holds, false once <paramref name="wait"/> has passed without it.</summary>
    public static async Task<bool> HoldsWithinAsync(TimeSpan wait, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }
}
