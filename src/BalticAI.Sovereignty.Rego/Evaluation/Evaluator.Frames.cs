using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>
/// Frames of rule bodies and function calls, reused within one evaluation. A frame is dead once its rule or
/// call has returned: values are immutable and copied out of slots, and no continuation outlives the body.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>Larger frames are rare enough to allocate each time.</summary>
    private const int MaxPooledFrame = 32;

    private List<Value?[]>?[]? freeFrames;

    private Value?[] RentFrame(int slots)
    {
        if (slots == 0)
        {
            return [];
        }

        if (slots < MaxPooledFrame && freeFrames?[slots] is { Count: > 0 } free)
        {
            var frame = free[^1];
            free.RemoveAt(free.Count - 1);
            return frame;
        }

        return new Value?[slots];
    }

    /// <summary>Only on normal return: after an exception the frame is simply left to the GC.</summary>
    private void ReturnFrame(Value?[] frame)
    {
        if (frame.Length is 0 or >= MaxPooledFrame)
        {
            return;
        }

        // Bindings are undone as continuations return, but a fresh-looking frame must not rely on every path doing so.
        Array.Clear(frame);
        freeFrames ??= new List<Value?[]>?[MaxPooledFrame];
        (freeFrames[frame.Length] ??= []).Add(frame);
    }
}
