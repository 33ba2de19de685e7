using System.Buffers;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// One reusable buffer per thread for composing canonical bytes: the result leaves as a single exactly
/// sized copy, instead of a fresh writer per call whose array grew by doubling and was then copied.
/// Renting takes the buffer out of its slot, so a nested use on the same thread gets a new one and a
/// buffer is never handed out twice. Composition is synchronous, so no rented buffer crosses an await.
/// </summary>
internal static class ScratchWriter
{
    /// <summary>Larger buffers are left to the collector rather than held for the thread's life.</summary>
    private const int LargestKept = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_free;

    public static ArrayBufferWriter<byte> Rent()
    {
        var writer = t_free;
        if (writer is null)
        {
            return new ArrayBufferWriter<byte>(4096);
        }
        t_free = null;
        writer.ResetWrittenCount();
        return writer;
    }

    /// <summary>Gives a rented writer back; it must not be used afterwards. One that threw while writing is simply not returned.</summary>
    public static void Return(ArrayBufferWriter<byte> writer)
    {
        if (writer.Capacity <= LargestKept)
        {
            t_free = writer;
        }
    }

    /// <summary>The written bytes as a new array, and the writer returned.</summary>
    public static byte[] ToArrayAndReturn(ArrayBufferWriter<byte> writer)
    {
        var bytes = writer.WrittenSpan.ToArray();
        Return(writer);
        return bytes;
    }
}
