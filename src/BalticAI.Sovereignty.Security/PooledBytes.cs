using System.Buffers;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// Bytes in an array from the shared pool, readable until disposed. For bytes that die young and
/// large, such as the sealer's unsigned envelope, which is dead once the sealed one is made.
/// </summary>
public sealed class PooledBytes : IDisposable
{
    private readonly int _length;
    private byte[]? _array;

    internal PooledBytes(ReadOnlySpan<byte> bytes)
    {
        _array = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(_array);
        _length = bytes.Length;
    }

    public ReadOnlyMemory<byte> Memory => _array is { } array
        ? array.AsMemory(0, _length)
        : throw new ObjectDisposedException(nameof(PooledBytes));

    /// <summary>Returns the array once, however often it is called; memory taken before must not be read after.</summary>
    public void Dispose()
    {
        var array = _array;
        _array = null;
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
